//! A private desktop session for tests: its own D-Bus session bus with gnome-keyring's
//! Secret Service unlocked, and its own XDG folders, so no test ever touches the
//! developer's keyring, notifications or files.

use anyhow::{Context, Result};
use std::process::Command;

pub struct PrivateSession {
    dir: tempfile::TempDir,
}

/// Starts the keyring inside the new bus, then runs the given command there.
const INSIDE: &str = r#"
set -e
echo -n adopat-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
"#;

impl PrivateSession {
    pub fn new() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("adopat-test-session-")
            .tempdir()
            .context("could not make the session's folder")?;
        // XDG_RUNTIME_DIR must be private to the user.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(Self { dir })
    }

    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "sh", "-c", INSIDE, "sh", program])
            .args(args)
            .env("XDG_RUNTIME_DIR", self.sub("runtime"))
            .env("XDG_DATA_HOME", self.sub("data"))
            .env("XDG_CACHE_HOME", self.sub("cache"))
            .env("XDG_CONFIG_HOME", self.sub("config"))
            .env_remove("DBUS_SESSION_BUS_ADDRESS");
        cmd
    }

    fn sub(&self, name: &str) -> std::path::PathBuf {
        let path = self.dir.path().join(name);
        let _ = std::fs::create_dir_all(&path);
        path
    }
}

/// A D-Bus session bus of its own, for a window started directly (not under
/// dbus-run-session), so the process tree measured is the app's alone.
pub struct Bus {
    daemon: std::process::Child,
    address: String,
}

impl Bus {
    pub fn start() -> Result<Self> {
        use std::io::BufRead;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .context("could not start dbus-daemon (cargo xtask deps installs it)")?;
        let mut address = String::new();
        std::io::BufReader::new(daemon.stdout.take().context("no stdout")?)
            .read_line(&mut address)?;
        let address = address.trim().to_owned();
        if address.is_empty() {
            let _ = daemon.kill();
            anyhow::bail!("dbus-daemon did not print its address");
        }
        Ok(Self { daemon, address })
    }

    pub fn address(&self) -> &str {
        &self.address
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
