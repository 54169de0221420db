//! The config file: accounts (metadata only), hidden organizations and settings. No
//! secret is ever written here; refresh tokens live in the OS keyring (`vault`).
//!
//! Writes go to a temporary file in the same folder and are renamed over the old one,
//! so a crash never leaves a half-written config.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const CONFIG_DIR_ENV: &str = "ADOPAT_CONFIG_DIR";
const FILE: &str = "config.json";
const LOCK: &str = "config.lock";
/// A config holds a few accounts and settings: kilobytes. Far more is not ours.
const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    #[serde(default)]
    pub accounts: Vec<AccountRecord>,
    /// Organizations the user chose not to see, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_orgs: Vec<String>,
    /// The Entra app (client id) to sign in with; AdoPat's default when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The Entra tenant to sign in to; `organizations` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clipboard_clear_seconds: Option<u64>,
    #[serde(default)]
    pub reminders: ReminderSettings,
    /// Keep each new secret in the OS keyring, to copy it again later (`kept`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_secrets: bool,
}

/// When to warn before PATs expire, and whether AdoPat starts with the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderSettings {
    /// Days before expiry; `0` means "has expired".
    #[serde(default = "default_thresholds")]
    pub thresholds: Vec<u32>,
    /// Unset until the user chooses, or until the first sign-in turns it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at_login: Option<bool>,
}

/// Days before expiry at which a reminder is due, by default.
pub const DEFAULT_THRESHOLDS: [u32; 4] = [14, 7, 1, 0];

fn default_thresholds() -> Vec<u32> {
    DEFAULT_THRESHOLDS.to_vec()
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            thresholds: default_thresholds(),
            start_at_login: None,
        }
    }
}

/// The most days before expiry a threshold may be: a PAT lives at most a year.
pub const MAX_THRESHOLD_DAYS: u32 = 365;

impl ReminderSettings {
    /// Checks thresholds a user typed: each a whole number of days, at most a year.
    pub fn with_thresholds(&self, thresholds: &[u32]) -> Result<Self> {
        if let Some(too_far) = thresholds.iter().find(|d| **d > MAX_THRESHOLD_DAYS) {
            return Err(Error::invalid(
                "thresholds",
                format!("{too_far} days is more than a PAT can live ({MAX_THRESHOLD_DAYS} days)"),
            ));
        }
        let mut thresholds = thresholds.to_vec();
        thresholds.sort_unstable_by(|a, b| b.cmp(a));
        thresholds.dedup();
        Ok(Self {
            thresholds,
            ..self.clone()
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum AccountKind {
    /// Signed in through AdoPat; its refresh token is in the OS keyring.
    Entra,
    /// Borrowed from `az login`; the Azure CLI keeps its own credentials.
    AzureCli,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    /// `<tenant>/<object id>`: the keyring entry's user name.
    pub id: String,
    pub kind: AccountKind,
    pub tenant: String,
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    /// The client id the refresh token was issued to; a refresh must use the same.
    #[serde(default)]
    pub client_id: String,
}

impl Config {
    /// `ADOPAT_CONFIG_DIR`, else the platform's config folder + `adopat`.
    pub fn dir() -> Result<PathBuf> {
        if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
            return Ok(PathBuf::from(dir));
        }
        directories::BaseDirs::new()
            .map(|b| b.config_dir().join("adopat"))
            .ok_or_else(|| {
                Error::Other(format!(
                    "no home folder to keep settings in; set {CONFIG_DIR_ENV}"
                ))
            })
    }

    /// Settings' "keep new secrets in the keyring", for AdoPat's folder `dir` (`None` in
    /// the demo, which keeps nothing): the one reading of it, for every face. A config
    /// that cannot be read keeps nothing rather than failing a new secret's hand-off.
    pub fn keeps_secrets(dir: Option<&Path>) -> bool {
        dir.is_some_and(|dir| Self::load(dir).is_ok_and(|config| config.keep_secrets))
    }

    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(FILE);
        match crate::files::read_capped(&path, MAX_BYTES)? {
            Some(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                Error::Other(format!(
                    "{} is not a valid AdoPat config ({e}); fix or remove it",
                    path.display()
                ))
            }),
            None => Ok(Self::default()),
        }
    }

    /// Writes the whole config. A change should go through [`Config::update`], so
    /// that another process's change made meanwhile is not lost.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::Other(format!("could not encode the config: {e}")))?;
        crate::files::write_atomically(&dir.join(FILE), &bytes)
    }

    /// Reads, changes and writes the config under its lock: the CLI, the window and
    /// the tray may change it at the same moment, and none undoes another's change.
    pub fn update<T>(dir: &Path, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
        crate::files::locked(dir, LOCK, || {
            let mut config = Self::load(dir)?;
            let out = change(&mut config)?;
            config.save(dir)?;
            Ok(out)
        })
    }

    pub fn account(&self, id: &str) -> Option<&AccountRecord> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// Adds or replaces the account with the same id.
    pub fn upsert(&mut self, account: AccountRecord) {
        match self.accounts.iter_mut().find(|a| a.id == account.id) {
            Some(existing) => *existing = account,
            None => self.accounts.push(account),
        }
    }

    pub fn is_hidden(&self, org: &str) -> bool {
        self.hidden_orgs.iter().any(|h| h.eq_ignore_ascii_case(org))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: &str) -> AccountRecord {
        AccountRecord {
            id: id.into(),
            kind: AccountKind::Entra,
            tenant: "t".into(),
            username: "jamie@contoso.com".into(),
            display_name: "Jamie".into(),
            client_id: "c".into(),
        }
    }

    #[test]
    fn a_missing_file_is_an_empty_config_and_a_saved_one_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(dir.path()).unwrap(), Config::default());
        let mut config = Config::default();
        config.upsert(account("t/1"));
        config.upsert(account("t/1"));
        config.hidden_orgs.push("Old".into());
        config.save(dir.path()).unwrap();
        let back = Config::load(dir.path()).unwrap();
        assert_eq!(back.accounts.len(), 1);
        assert!(back.is_hidden("old"));
    }

    #[test]
    fn a_corrupt_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{not json").unwrap();
        let err = Config::load(dir.path()).unwrap_err();
        assert!(err.to_string().contains("config.json"), "{err}");
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), b"{not json");
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_no_temporary_file_is_left() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Config::default().save(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE]);
    }
}
