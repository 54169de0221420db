//! A private X server for tests: the clipboard is the real X11 one, never the user's.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    pub fn start() -> Result<Self> {
        // -displayfd picks a free display and writes its number to the given fd.
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("could not start Xvfb (cargo xtask deps installs it)")?;
        let stdout = child.stdout.take().context("Xvfb has no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let number = line.trim();
        if number.is_empty() {
            let _ = child.kill();
            bail!("Xvfb did not report its display");
        }
        let display = format!(":{number}");
        eprintln!("xtask: Xvfb serves {display}");
        Ok(Self { child, display })
    }

    pub fn name(&self) -> &str {
        &self.display
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
