//! Starts the window, `adopat-desktop`, installed beside this binary. A window already
//! open takes the request over (single instance) and comes to the front.

use adopat_core::{Error, Result};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Window {
    exe: PathBuf,
    /// What the window needs to reach the same service as the tray (the demo's).
    env: Vec<(&'static str, OsString)>,
}

impl Window {
    pub fn beside_this_binary(env: Vec<(&'static str, OsString)>) -> Result<Self> {
        let me = std::env::current_exe()
            .map_err(|e| Error::Other(format!("could not find where AdoPat is installed: {e}")))?;
        let exe = me.with_file_name(format!("adopat-desktop{}", std::env::consts::EXE_SUFFIX));
        Ok(Self { exe, env })
    }

    /// Opens the window, on `pat` if given. The tray starts the window without a tray
    /// of its own: this process is it.
    pub fn open(&self, pat: Option<Uuid>) -> Result<()> {
        let mut command = Command::new(&self.exe);
        command
            .arg("--no-tray")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if let Some(id) = pat {
            command.arg("--select").arg(id.to_string());
        }
        let mut child = command.spawn().map_err(|e| {
            Error::Other(format!(
                "could not open the window ({}): {e}",
                self.exe.display()
            ))
        })?;
        // Reaped when it ends, so no zombie stays behind in a long-lived tray.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
}
