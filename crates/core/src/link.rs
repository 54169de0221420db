//! The link between AdoPat's processes: the window (after it changed a PAT or a
//! setting) and `adopat tray --check-now` ask the running tray to check at once, so its
//! menu and its plan follow without waiting for the next round. One backend per OS: on
//! Linux the tray owns a name on the session bus (`bus`); on Windows and macOS it
//! listens on an endpoint of its config folder (`endpoint`: a named pipe private to the
//! user, a Unix socket in AdoPat's folder). Every face goes through here.

#[cfg(target_os = "linux")]
mod bus;
#[cfg(not(target_os = "linux"))]
mod endpoint;

#[cfg(target_os = "linux")]
use bus as backend;
#[cfg(not(target_os = "linux"))]
use endpoint as backend;

use std::path::Path;
use tokio::sync::mpsc;

/// What keeps the tray listening; dropping it stops.
pub struct Listening(#[allow(dead_code)] backend::Listening);

/// Serves "check now" for the tray of config folder `dir`: each request is a send on
/// `nudge` (a round already pending covers it). `None` (logged) when the bus, the name
/// or the endpoint is not to be had: the tray works without it.
pub async fn serve(dir: &Path, nudge: mpsc::Sender<()>) -> Option<Listening> {
    match backend::serve(dir, nudge).await {
        Ok(listening) => Some(Listening(listening)),
        Err(e) => {
            tracing::info!("the window cannot ask this tray to check: {e}");
            None
        }
    }
}

/// Asks the running tray of config folder `dir` to check now; why not when none answers.
pub fn ask_check_now(dir: &Path) -> Result<(), String> {
    backend::ask_check_now(dir)
}

/// A PAT or a setting changed here: the tray is asked to check, off the calling thread
/// and best effort (without a tray, as in the demo, nothing happens).
pub fn changed(dir: std::path::PathBuf) {
    std::thread::spawn(move || {
        if let Err(e) = ask_check_now(&dir) {
            tracing::debug!("the tray was not asked to check: {e}");
        }
    });
}
