//! AdoPat's core: everything that is not a window. The CLI and the desktop shell are
//! two faces of this crate.

pub mod accounts;
pub mod ado;
pub mod auth;
#[cfg(feature = "autostart")]
pub mod autostart;
pub mod changes;
pub mod config;
pub mod error;
pub mod files;
pub mod global_pats;
pub mod handoff;
pub mod input;
pub mod inventory;
pub mod kept;
pub mod lookup;
pub mod nudge;
pub mod places;
pub mod programs;
pub mod reminders;
pub mod rotate;
pub mod scopes;
pub mod secret;
pub mod source;
pub mod state;
pub mod stop;
pub mod text;
pub mod vault;

pub use error::{Error, ErrorCode, Result};
pub use secret::Secret;
