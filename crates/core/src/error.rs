//! Errors a user can act on. Each maps to one exit code of the CLI (docs/CONTRACTS.md) and to
//! one `ErrorCode` the desktop UI branches on; the message is what the user reads.

use crate::refusal::{PatTokenError, RefusalClass};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input, caught before any request. `field` names what is wrong.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// A display name matched several PATs; the message lists them.
    #[error("{0}")]
    Ambiguous(String),

    #[error("{0}")]
    SignIn(String),

    #[error("{0}")]
    Keyring(String),

    /// The service answered with a `patTokenError`.
    #[error("{message}")]
    Refused {
        code: PatTokenError,
        message: String,
    },

    #[error("{0}")]
    AccessDenied(String),

    #[error("{0}")]
    NotFound(String),

    /// The service rejected the request itself (HTTP 400 and the like).
    #[error("{0}")]
    Rejected(String),

    #[error("Azure DevOps is limiting the rate of requests; try again in {retry_after_secs} s.")]
    RateLimited { retry_after_secs: u64 },

    #[error("{0}")]
    Unavailable(String),

    #[error("{0}")]
    Clipboard(String),

    #[error("{0}")]
    Other(String),

    /// Stopped on request where stopping lost nothing; the message says what was done.
    #[error("{message}")]
    Stopped {
        reason: crate::stop::StopReason,
        message: String,
    },
}

/// What the desktop UI branches on; stable strings across IPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    InvalidInput,
    SignInRequired,
    KeyringUnavailable,
    RefusedByPolicy,
    Refused,
    AccessDenied,
    NotFound,
    RateLimited,
    Offline,
    Clipboard,
    Other,
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn refused(code: PatTokenError, service_message: Option<&str>) -> Self {
        let mut message = code.explain();
        if let Some(extra) = service_message.map(str::trim).filter(|m| !m.is_empty()) {
            message = format!("{message} Azure DevOps said: {extra}");
        }
        Self::Refused { code, message }
    }

    /// The CLI's exit code (docs/CONTRACTS.md "Exit codes").
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid { .. } | Error::Ambiguous(_) => 2,
            Error::SignIn(_) | Error::Keyring(_) => 3,
            Error::Refused { .. }
            | Error::AccessDenied(_)
            | Error::NotFound(_)
            | Error::Rejected(_) => 4,
            Error::RateLimited { .. } | Error::Unavailable(_) => 5,
            Error::Clipboard(_) | Error::Other(_) => 1,
            Error::Stopped { reason, .. } => reason.exit_code(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid { .. } | Error::Ambiguous(_) => ErrorCode::InvalidInput,
            Error::SignIn(_) => ErrorCode::SignInRequired,
            Error::Keyring(_) => ErrorCode::KeyringUnavailable,
            Error::Refused { code, .. } => match code.class() {
                RefusalClass::Policy => ErrorCode::RefusedByPolicy,
                RefusalClass::NotFound => ErrorCode::NotFound,
                RefusalClass::AccessDenied => ErrorCode::AccessDenied,
                _ => ErrorCode::Refused,
            },
            Error::AccessDenied(_) => ErrorCode::AccessDenied,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Rejected(_) => ErrorCode::Refused,
            Error::RateLimited { .. } => ErrorCode::RateLimited,
            Error::Unavailable(_) => ErrorCode::Offline,
            Error::Clipboard(_) => ErrorCode::Clipboard,
            Error::Other(_) | Error::Stopped { .. } => ErrorCode::Other,
        }
    }
}
