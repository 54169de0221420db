//! Native notifications (freedesktop Notifications on Linux, the notification centre
//! on macOS, toasts on Windows) through notify-rust.

use crate::error::{Error, Result};
use crate::reminders::Notice;

/// The name notifications are grouped under.
pub const APP_NAME: &str = "AdoPat";

/// Shows `notice`; `icon` is an icon name or a path to the app's icon.
pub fn show(notice: &Notice, icon: &str) -> Result<()> {
    notify_rust::Notification::new()
        .appname(APP_NAME)
        .summary(&notice.title)
        .body(&notice.body)
        .icon(icon)
        .show()
        .map(drop)
        .map_err(|e| Error::Other(format!("the notification could not be shown: {e}")))
}
