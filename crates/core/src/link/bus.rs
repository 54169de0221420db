//! Linux: the tray owns `dev.adopat.Tray` on the session bus, which is the user's own
//! (the config folder is not needed to find it).

use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

pub const NAME: &str = "dev.adopat.Tray";
pub const PATH: &str = "/dev/adopat/Tray";
/// Also the name of `Remote`'s interface below (a test holds them together).
pub const INTERFACE: &str = "dev.adopat.Tray1";
/// A tray that owns the name but does not answer (hung, stopped) is not waited for.
const PATIENCE: Duration = Duration::from_secs(5);

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
    ask(NAME, PATIENCE)
}

fn ask(name: &str, patience: Duration) -> Result<(), String> {
    zbus::blocking::connection::Builder::session()
        .map(|builder| builder.method_timeout(patience))
        .and_then(|builder| builder.build())
        .and_then(|bus| bus.call_method(Some(name), PATH, Some(INTERFACE), "CheckNow", &()))
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

    struct Hung;

    #[zbus::interface(name = "dev.adopat.Tray1")]
    impl Hung {
        async fn check_now(&self) {
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    }

    /// Needs the session bus `cargo xtask test` starts; a name of its own, so that it
    /// meets no tray of another test.
    #[tokio::test(flavor = "multi_thread")]
    async fn a_tray_that_does_not_answer_is_not_waited_for() {
        let name = format!("dev.adopat.Test.Hung{}", std::process::id());
        let _hung = zbus::connection::Builder::session()
            .unwrap()
            .name(name.as_str())
            .unwrap()
            .serve_at(PATH, Hung)
            .unwrap()
            .build()
            .await
            .expect("a session bus (cargo xtask test starts one)");
        let started = std::time::Instant::now();
        let asked = tokio::task::spawn_blocking(move || ask(&name, Duration::from_millis(500)))
            .await
            .unwrap();
        let error = asked.unwrap_err();
        assert!(error.contains("no tray answered"), "{error}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "it waited for the tray"
        );
    }
}
