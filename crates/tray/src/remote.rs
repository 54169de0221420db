//! "Check now" from another process: the window says it after it changed a PAT or a
//! setting, so the menu and the plan follow at once rather than at the next round, and
//! `adopat-tray --check-now` says it from a terminal. On Linux the tray owns
//! `dev.adopat.Tray` on the session bus; on Windows and macOS it listens on core's
//! `nudge` endpoint (a named pipe, a Unix socket).

use std::path::Path;
use tokio::sync::mpsc;

#[cfg(target_os = "linux")]
pub const NAME: &str = "dev.adopat.Tray";
#[cfg(target_os = "linux")]
pub const PATH: &str = "/dev/adopat/Tray";

#[cfg(target_os = "linux")]
struct Remote {
    nudge: mpsc::Sender<()>,
}

#[cfg(target_os = "linux")]
#[zbus::interface(name = "dev.adopat.Tray1")]
impl Remote {
    fn check_now(&self) {
        // A round already pending covers this one.
        let _ = self.nudge.try_send(());
    }
}

/// What keeps the tray listening; dropping it stops.
pub enum Listening {
    #[cfg(target_os = "linux")]
    Bus(#[allow(dead_code)] zbus::Connection),
    #[cfg(not(target_os = "linux"))]
    Endpoint(tokio::task::JoinHandle<()>),
}

#[cfg(not(target_os = "linux"))]
impl Drop for Listening {
    fn drop(&mut self) {
        let Listening::Endpoint(task) = self;
        task.abort();
    }
}

/// Serves until the returned guard is dropped; `None` (logged) when the bus, the name
/// or the endpoint is not to be had: the tray works without it.
pub async fn serve(dir: &Path, nudge: mpsc::Sender<()>) -> Option<Listening> {
    #[cfg(target_os = "linux")]
    {
        let _ = dir;
        let built = async {
            zbus::connection::Builder::session()?
                .name(NAME)?
                .serve_at(PATH, Remote { nudge })?
                .build()
                .await
        };
        match built.await {
            Ok(connection) => Some(Listening::Bus(connection)),
            Err(e) => {
                tracing::info!("the window cannot ask this tray to check: {e}");
                None
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    match adopat_core::nudge::serve(dir, nudge) {
        Ok(task) => Some(Listening::Endpoint(task)),
        Err(e) => {
            tracing::info!("the window cannot ask this tray to check: {e}");
            None
        }
    }
}

/// `adopat-tray --check-now`: asks the running tray of config folder `dir`.
pub fn ask_check_now(dir: &Path) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let _ = dir;
        zbus::blocking::Connection::session()
            .and_then(|bus| {
                bus.call_method(Some(NAME), PATH, Some("dev.adopat.Tray1"), "CheckNow", &())
            })
            .map(|_| ())
            .map_err(|e| format!("no tray answered on the session bus ({e})"))
    }
    #[cfg(not(target_os = "linux"))]
    adopat_core::nudge::ask_check_now(dir).map_err(|e| format!("no tray is listening ({e})"))
}
