//! Native notifications (freedesktop Notifications on Linux, the notification centre
//! on macOS, toasts on Windows) through notify-rust.

use adopat_core::reminders::Notice;
use adopat_core::{Error, Result};

/// The name notifications are grouped under.
pub const APP_NAME: &str = "AdoPat";

/// The AppUserModelID Windows shows AdoPat's toasts under.
#[cfg(windows)]
pub const APP_ID: &str = "dev.adopat.desktop";

/// Windows shows a toast only for an app it knows: an unpackaged app registers its
/// AppUserModelID under `HKCU\Software\Classes\AppUserModelId`, with the name and icon
/// toasts show. Done at every start, so a moved install keeps its icon.
#[cfg(windows)]
pub fn register_app_id(icon: &str) -> Result<()> {
    let failed = |e: windows_result::Error| {
        Error::Other(format!("could not register AdoPat for notifications: {e}"))
    };
    let key = windows_registry::CURRENT_USER
        .create(format!(r"Software\Classes\AppUserModelId\{APP_ID}"))
        .map_err(failed)?;
    key.set_string("DisplayName", APP_NAME).map_err(failed)?;
    key.set_string("IconUri", icon).map_err(failed)
}

/// Elsewhere the notification server knows apps by name.
#[cfg(not(windows))]
pub fn register_app_id(_icon: &str) -> Result<()> {
    Ok(())
}

/// How long a notification server may take to take a notification; one that hangs
/// (seen with Windows' toasts under Wine) must not hold the tray's round.
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// Shows `notice` (`icon`: an icon name or a path to the app's icon) and calls
/// `on_click` if the user clicks it, where the platform tells (the freedesktop servers
/// do). Shown from a thread of its own, which then waits for the click and ends when
/// the notification is closed; an error when it is not shown within `PATIENCE`.
pub fn show_clickable(
    notice: &Notice,
    icon: &str,
    on_click: impl FnOnce() + Send + 'static,
) -> Result<()> {
    let notification = build(notice, icon);
    let (shown, outcome) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("notification".into())
        .spawn(move || show_and_wait(notification, on_click, shown))
        .map_err(|e| Error::Other(format!("could not show the notification: {e}")))?;
    match outcome.recv_timeout(PATIENCE) {
        Ok(outcome) => outcome,
        Err(_) => Err(Error::Other(format!(
            "the notification could not be shown: the notification server did not answer within {} s",
            PATIENCE.as_secs()
        ))),
    }
}

fn show_and_wait(
    notification: notify_rust::Notification,
    on_click: impl FnOnce(),
    shown: std::sync::mpsc::Sender<Result<()>>,
) {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let mut notification = notification;
        match notification.action("default", "Open").show() {
            Ok(handle) => {
                let _ = shown.send(Ok(()));
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click();
                    }
                });
            }
            Err(e) => {
                let _ = shown.send(Err(failed(e)));
            }
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        drop(on_click);
        let _ = shown.send(notification.show().map(drop).map_err(failed));
    }
}

fn build(notice: &Notice, icon: &str) -> notify_rust::Notification {
    let mut notification = notify_rust::Notification::new();
    notification
        .appname(APP_NAME)
        // Names come from the service: no control or bidi character reaches the screen.
        .summary(&adopat_core::text::printable(&notice.title))
        .body(&adopat_core::text::printable(&notice.body))
        .icon(icon);
    #[cfg(windows)]
    notification.app_id(APP_ID);
    notification
}

fn failed(e: notify_rust::error::Error) -> Error {
    Error::Other(format!("the notification could not be shown: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_escapes_reaches_the_notification_escaped() {
        let notice = Notice {
            title: "PAT 'x\u{1b}[2J' expires".into(),
            body: "evil\u{202e}exe".into(),
            pat: None,
        };
        let shown = build(&notice, "");
        assert_eq!(shown.summary, "PAT 'x\\u{1b}[2J' expires");
        assert_eq!(shown.body, "evil\\u{202e}exe");
    }
}
