//! `dev.adopat.Tray` on the session bus: the window says "check now" after it changed a
//! PAT or a setting, so the menu and the plan follow at once rather than at the next
//! round. Linux only, like the tray icon; elsewhere the next round catches up.

use tokio::sync::mpsc;

pub const NAME: &str = "dev.adopat.Tray";
pub const PATH: &str = "/dev/adopat/Tray";

struct Remote {
    nudge: mpsc::Sender<()>,
}

#[zbus::interface(name = "dev.adopat.Tray1")]
impl Remote {
    fn check_now(&self) {
        // A round already pending covers this one.
        let _ = self.nudge.try_send(());
    }
}

/// Serves until the returned connection is dropped; `None` (logged) when the bus or the
/// name is not to be had: the tray works without it.
pub async fn serve(nudge: mpsc::Sender<()>) -> Option<zbus::Connection> {
    let built = async {
        zbus::connection::Builder::session()?
            .name(NAME)?
            .serve_at(PATH, Remote { nudge })?
            .build()
            .await
    };
    match built.await {
        Ok(connection) => Some(connection),
        Err(e) => {
            tracing::info!("the window cannot ask this tray to check: {e}");
            None
        }
    }
}
