//! The tray is a process of its own (`adopat-tray`, crates/tray): it stays when the
//! window closes and holds no webview. The window starts it if it is not running; a
//! second one finds the first holding its lock and leaves at once.

use std::process::{Command, Stdio};

pub fn ensure_running() {
    let tray = match adopat_core::autostart::tray_exe() {
        Ok(tray) if tray.exists() => tray,
        Ok(tray) => {
            return tracing::info!("no tray: {} is not installed", tray.display());
        }
        Err(e) => return tracing::warn!("no tray: {e}"),
    };
    let mut command = Command::new(&tray);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group: Ctrl-C on the terminal that started the window is not
    // meant for the tray.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let started = command.spawn();
    match started {
        // Reaped when it ends, which is usually long after the window.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => tracing::warn!("no tray: {}: {e}", tray.display()),
    }
}

/// Asks the tray to check now: a PAT or a setting changed here.
pub fn changed() {
    match adopat_core::config::Config::dir() {
        Ok(dir) => adopat_core::link::changed(dir),
        Err(e) => tracing::debug!("the tray was not asked to check: {e}"),
    }
}
