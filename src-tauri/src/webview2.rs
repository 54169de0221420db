//! The window's web view on Windows is Microsoft's WebView2 runtime: Windows 11 has it, a
//! Windows 10 machine may not, and Wine has none. Without it no window can open to say
//! so, so it is said in a native message with what to install; the tray and `adopat` do
//! not need it and go on working.

/// What a user without WebView2 is told.
#[cfg(windows)]
const MISSING: &str = "AdoPat's window needs the Microsoft Edge WebView2 Runtime, \
which this Windows does not have. Install it from Microsoft \
(https://go.microsoft.com/fwlink/p/?LinkId=2124703, for your user, no administrator \
needed), then open AdoPat again. The reminders in the tray and the adopat command work \
without it.";

/// Whether the window can open; when it cannot, says why (stderr, and a native message)
/// and returns false.
#[cfg(windows)]
pub fn present() -> bool {
    match tauri::webview_version() {
        Ok(version) => {
            tracing::debug!(%version, "WebView2");
            true
        }
        Err(error) => {
            eprintln!("adopat-desktop: {MISSING} ({error})");
            rfd::MessageDialog::new()
                .set_title("AdoPat")
                .set_description(MISSING)
                .set_level(rfd::MessageLevel::Warning)
                .set_buttons(rfd::MessageButtons::Ok)
                .show();
            false
        }
    }
}

/// WebKitGTK (Linux) and WKWebView (macOS) come with the system.
#[cfg(not(windows))]
pub fn present() -> bool {
    true
}
