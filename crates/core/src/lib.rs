//! AdoPat's core: everything that is not a window. The CLI, the desktop shell and the
//! tray are three faces of this crate: each user action is one operation here
//! (`changes`, `rotate`, `places`, `reminders`, ...), over the domain (`inventory`,
//! `scopes`, `input`) and the I/O (`ado`, `auth`, `vault`, `handoff`, `files`, `link`).
//!
//! It must not know its faces: no Tauri, no terminal, no menu. It returns typed outcomes
//! and errors; how they are worded on a screen is the face's.

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
pub mod link;
pub mod lookup;
pub mod places;
pub mod programs;
pub mod refusal;
pub mod reminders;
pub mod renewal;
pub mod rotate;
pub mod scopes;
pub mod secret;
pub mod source;
pub mod state;
pub mod status;
pub mod stop;
pub mod text;
pub mod vault;

pub use error::{Error, ErrorCode, Result};
pub use secret::Secret;
