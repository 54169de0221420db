//! Azure DevOps REST: the client, the PAT API, organization discovery, and their shapes.

pub mod client;
pub mod discovery;
pub mod endpoints;
pub mod models;
pub mod pat_error;
pub mod pats;

pub use client::{AdoClient, RetryPolicy, StaticToken, TokenProvider};
pub use endpoints::Endpoints;
