//! Native notifications (freedesktop Notifications on Linux, the notification centre
//! on macOS, toasts on Windows) through notify-rust.

use adopat_core::reminders::Notice;
use adopat_core::{Error, Result};

/// The name notifications are grouped under.
pub const APP_NAME: &str = "AdoPat";

/// Shows `notice` (`icon`: an icon name or a path to the app's icon) and calls `on_click` if the user clicks it, where the platform tells
/// (the freedesktop servers do). The wait happens on a thread of its own, which ends
/// when the notification is closed.
pub fn show_clickable(
    notice: &Notice,
    icon: &str,
    on_click: impl FnOnce() + Send + 'static,
) -> Result<()> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let handle = build(notice, icon)
            .action("default", "Open")
            .show()
            .map_err(failed)?;
        std::thread::Builder::new()
            .name("notification-click".into())
            .spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click();
                    }
                });
            })
            .map_err(|e| Error::Other(format!("could not wait for the notification: {e}")))?;
        Ok(())
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        drop(on_click);
        build(notice, icon).show().map(drop).map_err(failed)
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
