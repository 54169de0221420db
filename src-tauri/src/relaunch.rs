//! A second start while the first window is leaving: the first still owns the
//! single-instance name but no longer answers, so handing the arguments over fails
//! ("NoReply"). Rather than exit with that error, this start waits until the first has
//! gone and starts again, becoming the one instance, a bounded number of times.

use std::time::{Duration, Instant};

/// The single-instance plugin's bus name: the app's identifier and its suffix.
#[cfg(target_os = "linux")]
const INSTANCE_NAME: &str = "dev.adopat.desktop.SingleInstance";

/// Marks a start that is itself a relaunch, with how many came before it.
const ATTEMPT_ENV: &str = "ADOPAT_DESKTOP_RELAUNCH";
const ATTEMPTS: u32 = 5;
/// How long a leaving window may take to let go of its name.
const LEAVING: Duration = Duration::from_secs(5);

/// Whether `error`, from building the app, is a hand-over to an instance that did not
/// answer: one that is leaving.
pub fn is_failed_handover(error: &tauri::Error) -> bool {
    error
        .to_string()
        .contains("failed to forward arguments to the running instance")
}

/// Waits for the leaving instance to go, then starts this program again with the same
/// arguments; `None` when it has been tried enough (the caller reports the error).
pub fn again() -> Option<std::process::ExitCode> {
    let attempt: u32 = std::env::var(ATTEMPT_ENV)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if attempt >= ATTEMPTS {
        return None;
    }
    wait_until_gone(LEAVING);
    let exe = std::env::current_exe().ok()?;
    let mut command = std::process::Command::new(exe);
    command
        .args(std::env::args_os().skip(1))
        .env(ATTEMPT_ENV, (attempt + 1).to_string());
    tracing::info!("the window that was open is leaving: starting again");
    #[cfg(unix)]
    {
        // The same process, so whoever started it waits for the one that stays.
        let error = std::os::unix::process::CommandExt::exec(&mut command);
        tracing::warn!("could not start again: {error}");
        None
    }
    #[cfg(not(unix))]
    {
        let status = command.status().ok()?;
        Some(std::process::ExitCode::from(
            status.code().unwrap_or(1).clamp(0, 255) as u8,
        ))
    }
}

/// Until nobody owns the single-instance name, or `limit` passes.
fn wait_until_gone(limit: Duration) {
    let until = Instant::now() + limit;
    while Instant::now() < until && owned() {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(target_os = "linux")]
fn owned() -> bool {
    let Ok(bus) = zbus::blocking::Connection::session() else {
        return false;
    };
    let Ok(dbus) = zbus::blocking::fdo::DBusProxy::new(&bus) else {
        return false;
    };
    zbus::names::BusName::try_from(INSTANCE_NAME)
        .ok()
        .and_then(|name| dbus.name_has_owner(name).ok())
        .unwrap_or(false)
}

/// Windows and macOS hand over through a named mutex or socket that goes with the
/// process: a short pause is all there is to wait for.
#[cfg(not(target_os = "linux"))]
fn owned() -> bool {
    false
}
