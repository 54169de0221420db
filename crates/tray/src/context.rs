//! Whom the tray works as and where it keeps its state: the signed-in accounts (or
//! `ADOPAT_ACCESS_TOKEN`) and the config folder, or for `--demo` the demo service it
//! hosts and a throw-away folder, which the window it opens is pointed at too.

use crate::window::Window;
use adopat_core::config::Config;
use adopat_core::source::Source;
use adopat_core::{Error, Result};
use adopat_demo::Demo;
use std::path::PathBuf;

/// Whom the tray works as and where it keeps its state.
pub struct Context {
    pub source: Source,
    pub state_dir: PathBuf,
    pub window: Window,
    /// The demo's service and its throw-away folder, kept as long as the tray runs.
    pub demo: Option<(Demo, tempfile::TempDir)>,
}

impl Context {
    pub fn from_env() -> Result<Self> {
        Ok(Self {
            source: Source::from_env(),
            state_dir: Config::dir()?,
            window: Window::beside_this_binary(Vec::new())?,
            demo: None,
        })
    }

    /// The demo service runs here, in the resident process, so the window it opens
    /// (pointed at it by the usual variables) sees what the tray changes.
    pub async fn demo() -> Result<Self> {
        let demo = Demo::start().await?;
        let dir = tempfile::tempdir()
            .map_err(|e| Error::Other(format!("no folder for the demo: {e}")))?;
        let mut env = demo.env();
        env.push((
            adopat_core::config::CONFIG_DIR_ENV,
            dir.path().as_os_str().to_owned(),
        ));
        Ok(Self {
            source: demo.source(),
            state_dir: dir.path().to_owned(),
            window: Window::beside_this_binary(env)?,
            demo: Some((demo, dir)),
        })
    }
}
