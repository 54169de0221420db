//! The real [`Store`]: the OS keyring through `keyring-core` and one store crate per
//! platform. Linux (and the BSDs): the freedesktop Secret Service over D-Bus
//! (`zbus-secret-service-keyring-store`, pure Rust), items with the attributes `service`
//! and `username`. Windows: Credential Manager (`windows-native-keyring-store`), generic
//! credentials named `<user>.<service>`. macOS: the login Keychain
//! (`apple-native-keyring-store`), generic passwords with service and account.
//!
//! Values are written as UTF-8 bytes (`set_secret`), so the 2,560-byte limit the parent
//! module splits at is the same count on every platform.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use zeroize::Zeroize;

use super::Store;
use crate::error::{Error, Result};
use crate::secret::Secret;

pub use platform::REQUIREMENT;
use platform::store as platform_store;

/// The OS keyring, connected.
pub struct OsStore {
    store: Arc<CredentialStore>,
}

impl std::fmt::Debug for OsStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsStore")
            .field("vendor", &self.store.vendor())
            .finish()
    }
}

impl OsStore {
    /// Connects to the OS keyring (on Linux: opens a Secret Service session on the D-Bus
    /// session bus named by `DBUS_SESSION_BUS_ADDRESS`).
    pub fn connect() -> Result<Self> {
        platform_store()
            .map(|store| Self { store })
            .map_err(|err| unavailable(&err))
    }

    fn entry(&self, service: &str, user: &str) -> Result<Entry> {
        Entry::new_in_store(&self.store, service, user).map_err(into_error)
    }
}

impl Store for OsStore {
    fn set(&self, service: &str, user: &str, value: &Secret) -> Result<()> {
        let entry = self.entry(service, user)?;
        match entry.set_secret(value.expose().as_bytes()) {
            // Items another program made with the same attributes: replace them all.
            Err(KeyringError::Ambiguous(entries)) => {
                delete_all(entries)?;
                entry
                    .set_secret(value.expose().as_bytes())
                    .map_err(into_error)
            }
            other => other.map_err(into_error),
        }
    }

    fn get(&self, service: &str, user: &str) -> Result<Option<Secret>> {
        match self.entry(service, user)?.get_secret() {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Some(Secret::new(text))),
                Err(err) => {
                    err.into_bytes().zeroize();
                    Err(not_text(user))
                }
            },
            Err(KeyringError::NoEntry) => Ok(None),
            Err(err) => Err(into_error(err)),
        }
    }

    fn delete(&self, service: &str, user: &str) -> Result<bool> {
        match self.entry(service, user)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(KeyringError::NoEntry) => Ok(false),
            Err(KeyringError::Ambiguous(entries)) => delete_all(entries).map(|()| true),
            Err(err) => Err(into_error(err)),
        }
    }
}

fn delete_all(entries: Vec<Entry>) -> Result<()> {
    for entry in entries {
        match entry.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => {}
            Err(err) => return Err(into_error(err)),
        }
    }
    Ok(())
}

// Per platform, what the user must have for AdoPat to keep its sign-in, and the store.

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
mod platform {
    use super::{Arc, CredentialStore};

    pub const REQUIREMENT: &str = "a Secret Service such as GNOME Keyring or KWallet must be \
         running and unlocked in your session (with D-Bus)";

    pub fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new()?;
        Ok(store)
    }
}

#[cfg(windows)]
mod platform {
    use super::{Arc, CredentialStore};

    pub const REQUIREMENT: &str = "Windows Credential Manager must be available to your \
         account (it is not in some remote and service sessions)";

    pub fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
        Ok(store)
    }
}

#[cfg(target_os = "macos")]
mod platform {
    use super::{Arc, CredentialStore};

    pub const REQUIREMENT: &str =
        "your login Keychain must be unlocked and AdoPat allowed to use it";

    pub fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        let store: Arc<CredentialStore> = apple_native_keyring_store::keychain::Store::new()?;
        Ok(store)
    }
}

#[cfg(any(not(any(windows, unix)), target_os = "ios", target_os = "android"))]
mod platform {
    use super::{Arc, CredentialStore, KeyringError};

    pub const REQUIREMENT: &str = "AdoPat has no OS keyring support on this platform";

    pub fn store() -> keyring_core::Result<Arc<CredentialStore>> {
        Err(KeyringError::NotSupportedByStore(
            "no OS keyring store is built for this platform".into(),
        ))
    }
}

/// No keyring at all: no Secret Service, no D-Bus session, no store for the platform.
pub fn unavailable(detail: &dyn std::fmt::Display) -> Error {
    Error::Keyring(format!(
        "No OS keyring is available: {REQUIREMENT}. AdoPat keeps its sign-in only there, \
         never in a plain file. ({detail})"
    ))
}

fn not_text(user: &str) -> Error {
    Error::Keyring(format!(
        "The OS keyring entry adopat/{user} does not hold text; another program may have \
         written it. Sign in again to replace it."
    ))
}

/// Maps a keyring failure to the error the user reads. Never includes secret bytes: the
/// variants that carry them are zeroized here.
pub fn into_error(err: KeyringError) -> Error {
    match err {
        KeyringError::NoStorageAccess(detail) => Error::Keyring(format!(
            "The OS keyring is locked or refused access: {REQUIREMENT}. ({detail})"
        )),
        KeyringError::PlatformFailure(detail) => unavailable(&detail),
        KeyringError::NoDefaultStore => unavailable(&KeyringError::NoDefaultStore),
        KeyringError::BadEncoding(mut bytes) => {
            bytes.zeroize();
            Error::Keyring(
                "An OS keyring entry under service adopat does not hold text; sign in again \
                 to replace it."
                    .into(),
            )
        }
        KeyringError::BadDataFormat(mut bytes, detail) => {
            bytes.zeroize();
            Error::Keyring(format!(
                "An OS keyring entry under service adopat is unreadable ({detail}); sign in \
                 again to replace it."
            ))
        }
        KeyringError::Ambiguous(entries) => Error::Keyring(format!(
            "{} OS keyring entries match one AdoPat credential; remove the extra ones with \
             your keyring's manager (service adopat).",
            entries.len()
        )),
        other => Error::Keyring(format!("The OS keyring refused the request: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(message: &str) -> Box<dyn std::error::Error + Send + Sync> {
        message.into()
    }

    #[test]
    fn every_keyring_failure_is_a_keyring_error_with_exit_code_3() {
        let cases = [
            KeyringError::NoStorageAccess(boxed("collection is locked")),
            KeyringError::PlatformFailure(boxed("no bus")),
            KeyringError::NoDefaultStore,
            KeyringError::BadEncoding(vec![0xff, 0xfe]),
            KeyringError::BadDataFormat(b"secret bytes".to_vec(), boxed("bad")),
            KeyringError::TooLong("secret".into(), 2560),
            KeyringError::Invalid("user".into(), "empty".into()),
            KeyringError::Ambiguous(Vec::new()),
        ];
        for case in cases {
            let err = into_error(case);
            assert!(matches!(err, Error::Keyring(_)), "{err:?}");
            assert_eq!(err.exit_code(), 3);
            assert!(!err.to_string().contains("secret bytes"), "{err}");
        }
    }

    #[test]
    fn locked_and_missing_keyrings_say_what_to_do() {
        let locked = into_error(KeyringError::NoStorageAccess(boxed("locked"))).to_string();
        assert!(locked.contains("locked or refused"), "{locked}");
        assert!(locked.contains(REQUIREMENT), "{locked}");
        let missing = into_error(KeyringError::PlatformFailure(boxed("no bus"))).to_string();
        assert!(
            missing.starts_with("No OS keyring is available"),
            "{missing}"
        );
        assert!(
            missing.contains(REQUIREMENT) && missing.contains("no bus"),
            "{missing}"
        );
        assert!(missing.contains("never in a plain file"), "{missing}");
    }
}
