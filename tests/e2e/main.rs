#![allow(clippy::unwrap_used, clippy::expect_used)]
// a failed unwrap is a failed test
// WebKitWebDriver is Linux's: Windows and macOS have no driver for their web views here.
#![cfg(target_os = "linux")]
//! End to end on the real `adopat-desktop` binary: WebKitWebDriver through tauri-driver,
//! under the X server and the private D-Bus session that `cargo xtask test` provides,
//! against the emulator. Each test starts its own emulator and app.

mod accessibility;
mod accounts;
mod desktop;
mod list;
mod relaunch;
mod reminders;
mod secrets;

mod changes;
