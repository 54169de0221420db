//! Starting with the session: what starts is the tray (`adopat-tray`, installed beside
//! the window's binary), which opens the window only when asked. An XDG autostart entry
//! on Linux, a login item on macOS, the Run key on Windows.

use crate::config::{Config, ReminderSettings};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

#[cfg(not(test))]
const NAME: &str = "AdoPat";
/// The Run key (Windows) and the login items (macOS) are the user's whatever HOME says:
/// core's own tests register under a name of their own, so that running them on a
/// developer's machine leaves AdoPat's real entry alone.
#[cfg(test)]
const NAME: &str = "AdoPat (core's tests)";

/// The tests that may change the entry take turns: one test's first save turns it off
/// (`save_settings` applies a change) while another checks that it is on, which a
/// loaded run under Wine met.
#[cfg(test)]
fn entry_turn() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `adopat-tray` beside the running binary (the window, the CLI or the tray itself).
pub fn tray_exe() -> Result<PathBuf> {
    let me = std::env::current_exe()
        .map_err(|e| Error::Other(format!("could not find where AdoPat is installed: {e}")))?;
    Ok(me.with_file_name(format!("adopat-tray{}", std::env::consts::EXE_SUFFIX)))
}

fn launcher(tray: &Path) -> Result<auto_launch::AutoLaunch> {
    auto_launch::AutoLaunchBuilder::new()
        .set_app_name(NAME)
        .set_app_path(&tray.to_string_lossy())
        // The user's own Run key: an elevated start must not register AdoPat for every
        // user of the machine.
        .set_windows_enable_mode(auto_launch::WindowsEnableMode::CurrentUser)
        .build()
        .map_err(failed)
}

fn failed(e: auto_launch::Error) -> Error {
    Error::Other(format!(
        "could not change whether AdoPat starts at login: {e}"
    ))
}

pub fn set(tray: &Path, enabled: bool) -> Result<()> {
    let launcher = launcher(tray)?;
    if enabled {
        launcher.enable().map_err(failed)
    } else if launcher.is_enabled().map_err(failed)? {
        launcher.disable().map_err(failed)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, windows))]
mod windows_tests {
    use super::*;

    fn run_key() -> String {
        let out = std::process::Command::new("reg")
            .args([
                "query",
                r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run",
                "/v",
                NAME,
            ])
            .output()
            .expect("reg.exe runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn start_at_login_is_the_run_key_and_goes_when_switched_off() {
        let _turn = entry_turn();
        let tray = std::env::temp_dir().join("adopat-test-tray.exe");
        set(&tray, true).unwrap();
        let value = run_key();
        assert!(value.contains("adopat-test-tray.exe"), "{value}");
        assert!(value.contains(NAME), "{value}");
        set(&tray, false).unwrap();
        assert!(!run_key().contains("adopat-test-tray.exe"));
        set(&tray, false).unwrap();
    }
}

/// On by default once the user has signed in: the first time an account is there and
/// the user never chose, AdoPat starts with the session from then on.
pub fn default_once_signed_in(dir: &Path, tray: &Path) -> Result<bool> {
    Config::update(dir, |config| {
        if config.accounts.is_empty() || config.reminders.start_at_login.is_some() {
            return Ok(false);
        }
        set(tray, true)?;
        config.reminders.start_at_login = Some(true);
        Ok(true)
    })
}

/// The Settings dialog, as one save.
#[derive(Debug, Clone)]
pub struct Settings {
    pub thresholds: Vec<u32>,
    pub start_at_login: bool,
    pub keep_secrets: bool,
}

/// The Settings dialog's save, all or nothing, in one locked write of the config: the
/// thresholds are checked first, then start at login is registered or removed when the
/// choice changed, and only then is the config written (atomically: a kill leaves it
/// wholly old or wholly new). A failure of either leaves every setting as it was.
pub fn save_settings(dir: &Path, settings: &Settings) -> Result<Config> {
    Config::update(dir, |config| {
        let reminders = config.reminders.with_thresholds(&settings.thresholds)?;
        if config.reminders.start_at_login != Some(settings.start_at_login) {
            set(&tray_exe()?, settings.start_at_login)?;
        }
        config.reminders = ReminderSettings {
            start_at_login: Some(settings.start_at_login),
            ..reminders
        };
        config.keep_secrets = settings.keep_secrets;
        Ok(config.clone())
    })
}
