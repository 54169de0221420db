//! Linux: the tray owns `dev.adopat.Tray` on the session bus, which is the user's own
//! (the config folder is not needed to find it).

use std::path::Path;
use tokio::sync::mpsc;

pub const NAME: &str = "dev.adopat.Tray";
pub const PATH: &str = "/dev/adopat/Tray";
/// Also the name of `Remote`'s interface below (a test holds them together).
pub const INTERFACE: &str = "dev.adopat.Tray1";

struct Remote {
    nudge: mpsc::Sender<()>,
}

#[zbus::interface(name = "dev.adopat.Tray1")]
impl Remote {
    fn check_now(&self) {
        let _ = self.nudge.try_send(());
    }
}

pub struct Listening(#[allow(dead_code)] zbus::Connection);

pub async fn serve(_dir: &Path, nudge: mpsc::Sender<()>) -> zbus::Result<Listening> {
    let connection = zbus::connection::Builder::session()?
        .name(NAME)?
        .serve_at(PATH, Remote { nudge })?
        .build()
        .await?;
    Ok(Listening(connection))
}

pub fn ask_check_now(_dir: &Path) -> Result<(), String> {
    zbus::blocking::Connection::session()
        .and_then(|bus| bus.call_method(Some(NAME), PATH, Some(INTERFACE), "CheckNow", &()))
        .map(|_| ())
        .map_err(|e| format!("no tray answered on the session bus ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use zbus::object_server::Interface;

    #[test]
    fn the_interface_served_is_the_one_asked() {
        assert_eq!(Remote::name().as_str(), INTERFACE);
    }
}
