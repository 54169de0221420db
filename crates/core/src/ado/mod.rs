//! Azure DevOps REST: the client, the PAT API, organization discovery, and their shapes.

mod ambiguous;
pub mod client;
mod connection;
pub mod discovery;
pub mod endpoints;
pub mod models;
/// Where the spec's `patTokenError` values are read and worded (`crate::refusal`).
pub use crate::refusal as pat_error;
pub mod pats;

pub use client::{AdoClient, RetryPolicy, StaticToken, TokenProvider, remaining, with_deadline};
pub use endpoints::Endpoints;
