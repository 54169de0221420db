//! `--demo`: the demo service, started in the process that asks for it, and how to reach
//! it. One start-up for the CLI, the window and the tray.
//!
//! Built without the `service` feature (the installed packages), there is no demo
//! service in the binary: an installed security tool carries no fake identity provider,
//! and `--demo` says how to get one.

use adopat_core::source::{ACCESS_TOKEN_ENV, Source};
use adopat_core::{Error, Result, Secret};
use std::ffi::OsString;

/// A running demo service; it serves as long as this lives.
pub struct Demo {
    #[cfg(feature = "service")]
    emulator: adopat_emulator::Emulator,
    /// Without the service no `Demo` can exist.
    #[cfg(not(feature = "service"))]
    none: std::convert::Infallible,
}

impl Demo {
    /// Starts the demo service on the current tokio runtime.
    pub async fn start() -> Result<Self> {
        #[cfg(feature = "service")]
        {
            let emulator = adopat_emulator::Emulator::demo()
                .await
                .map_err(|e| Error::Other(format!("could not start the demo service: {e}")))?;
            Ok(Self { emulator })
        }
        #[cfg(not(feature = "service"))]
        Err(Error::invalid(
            "demo",
            "this build of AdoPat carries no demo service (the installed packages leave it out); build AdoPat from source with `cargo build` to try it",
        ))
    }

    /// Whom to work as against the demo service.
    pub fn source(&self) -> Source {
        Source::Service {
            base_url: self.base_url().to_owned(),
            token: Secret::new(self.token()),
        }
    }

    pub fn base_url(&self) -> &str {
        #[cfg(feature = "service")]
        return self.emulator.base_url();
        #[cfg(not(feature = "service"))]
        match self.none {}
    }

    /// The variables that point another AdoPat process (the window the tray opens) at
    /// this demo service.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        let url = OsString::from(self.base_url());
        vec![
            ("ADOPAT_VSSPS_URL", url.clone()),
            ("ADOPAT_APP_VSSPS_URL", url.clone()),
            ("ADOPAT_LOGIN_URL", url),
            (ACCESS_TOKEN_ENV, self.token().into()),
        ]
    }

    fn token(&self) -> &'static str {
        #[cfg(feature = "service")]
        return adopat_emulator::DEMO_TOKEN;
        #[cfg(not(feature = "service"))]
        match self.none {}
    }
}
