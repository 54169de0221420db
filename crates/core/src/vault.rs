//! The vault: AdoPat's own long-lived credentials (Entra refresh tokens; later, PATs the
//! user asks to keep) in the OS keyring, and nowhere else (docs/ARCHITECTURE.md "Secrets:
//! where they may be"). No keyring means an [`Error::Keyring`] that says how to get one,
//! never a plaintext fallback.
//!
//! # Entries
//!
//! Service `adopat`, user = the account's stable id `<tenant>/<object id>` (docs/CONTRACTS.md
//! "Keyring entries"), as the `keyring` ecosystem stores them:
//!
//! - Linux and the BSDs: a Secret Service item in the default collection with the
//!   attributes `service` = `adopat` and `username` = `<tenant>/<object id>` (label
//!   `keyring:<user>@adopat`). `secret-tool search --all service adopat` lists them.
//! - Windows: a generic Credential Manager credential named `<user>.adopat`.
//! - macOS: a generic password in the login Keychain, service `adopat`, account `<user>`.
//!
//! # Long values: chunks (the same on every platform)
//!
//! Windows Credential Manager holds at most 2,560 bytes per credential, and an Entra
//! refresh token can be longer. So on every platform (one logic, tested everywhere):
//!
//! - A value of at most 2,560 bytes (UTF-8) is stored as is in the entry `<user>`, unless
//!   it starts with `adopat-chunks:`.
//! - Any other value is cut into parts of at most 2,560 bytes, never inside a UTF-8
//!   character. Part *i* (from 1) goes into the entry `<user>#<i>`; the entry `<user>`
//!   then holds the header `adopat-chunks:v1:<N>:<bytes>:<checksum>`: the number of
//!   parts, the value's length in bytes, and its 64-bit FNV-1a hash in 16 hex digits.
//!   The parts are written first and the header last.
//! - Fetching reads the header, then the parts, and checks the length and hash, so a
//!   value is never put together from parts of two different writes (another process
//!   writing at that moment is waited out with two short retries; a lasting mismatch is
//!   reported as damage, to be mended by signing in again).
//! - After every store, and on delete, the chunk entries the value does not use are
//!   deleted: those the previous header named (from the highest down), then any further
//!   `<user>#<i>` left by an interrupted write, until one is missing. Delete removes the
//!   head entry last. No stale chunk outlives a shorter value.
//!
//! Account ids therefore may not contain `#`.
//!
//! # Concurrency
//!
//! Every operation holds one process-wide mutex, so writes are serialized and a fetch
//! never sees half of a write from the same process. The calls are blocking (D-Bus on
//! Linux): from async code, call them in `tokio::task::spawn_blocking`.
//!
//! # Testing
//!
//! The keyring sits behind the small [`Store`] trait: unit tests use [`MemoryStore`];
//! `tests/vault_keyring.rs` goes through the real Secret Service (gnome-keyring in a
//! private `dbus-run-session`, as `cargo xtask test` runs it).

mod chunks;
mod memory;
mod os;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::Secret;
use chunks::{Header, MAX_ENTRY_BYTES, chunk_user, needs_chunks, split};

pub use memory::MemoryStore;
pub use os::{OsStore, REQUIREMENT};

/// The keyring service every AdoPat entry is stored under.
pub const SERVICE: &str = "adopat";

/// The longest account id accepted, in bytes.
const MAX_ACCOUNT_BYTES: usize = 256;

/// How often a fetch reads a chunked value that does not add up before calling it damaged.
const FETCH_ATTEMPTS: u64 = 3;

/// A keyring: one secret per (service, user), nothing more. The real one is [`OsStore`].
pub trait Store: Send + Sync {
    /// Creates the entry, or replaces its value.
    fn set(&self, service: &str, user: &str, value: &Secret) -> Result<()>;
    /// The entry's value; `None` when there is no entry.
    fn get(&self, service: &str, user: &str) -> Result<Option<Secret>>;
    /// Removes the entry; `Ok(false)` when there was none.
    fn delete(&self, service: &str, user: &str) -> Result<bool>;
}

/// Serializes every vault operation in the process, whatever the store.
static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// AdoPat's credentials in a keyring, one per account.
#[derive(Clone)]
pub struct Vault {
    store: Arc<dyn Store>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault")
    }
}

impl Vault {
    /// The vault in the OS keyring. Fails with [`Error::Keyring`] when there is none
    /// (on Linux: no D-Bus session or no Secret Service on it); a keyring that is there
    /// but locked or refusing fails the first `store`/`fetch`/`delete` the same way.
    pub fn os() -> Result<Self> {
        Ok(Self::new(Arc::new(OsStore::connect()?)))
    }

    /// A vault that lives only as long as the process (`--demo`, tests).
    pub fn in_memory() -> Self {
        Self::new(Arc::new(MemoryStore::new()))
    }

    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    /// Keeps `secret` for `account`, replacing what was there.
    pub fn store(&self, account: &str, secret: &Secret) -> Result<()> {
        check_account(account)?;
        if secret.is_empty() {
            return Err(Error::invalid(
                "secret",
                "is empty: there is nothing to keep",
            ));
        }
        let _serialized = lock();
        let store = &*self.store;
        let old_chunks = chunk_count(store, account);
        let value = secret.expose();
        let chunks = if needs_chunks(value) {
            let parts = split(value, MAX_ENTRY_BYTES);
            for (index, part) in parts.iter().enumerate() {
                let part = Secret::new(*part);
                store.set(SERVICE, &chunk_user(account, index + 1), &part)?;
            }
            let header = Header::for_value(value, parts.len()).encode();
            store.set(SERVICE, account, &Secret::new(header))?;
            parts.len()
        } else {
            store.set(SERVICE, account, secret)?;
            0
        };
        remove_chunks(store, account, chunks, old_chunks)?;
        tracing::debug!(account, chunks, "vault: stored a credential");
        Ok(())
    }

    /// The secret kept for `account`; `None` when there is none.
    pub fn fetch(&self, account: &str) -> Result<Option<Secret>> {
        check_account(account)?;
        let mut attempt = 1;
        loop {
            let read = {
                let _serialized = lock();
                read(&*self.store, account)?
            };
            match read {
                Read::Done(secret) => return Ok(secret),
                Read::Torn(_) if attempt < FETCH_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(50 * attempt));
                    attempt += 1;
                }
                Read::Torn(reason) => return Err(damaged(account, &reason)),
            }
        }
    }

    /// Forgets the secret kept for `account`, with all its chunks. Nothing there is fine.
    pub fn delete(&self, account: &str) -> Result<()> {
        check_account(account)?;
        let _serialized = lock();
        let store = &*self.store;
        let old_chunks = chunk_count(store, account);
        remove_chunks(store, account, 0, old_chunks)?;
        let existed = store.delete(SERVICE, account)?;
        tracing::debug!(account, existed, "vault: deleted a credential");
        Ok(())
    }
}

fn check_account(account: &str) -> Result<()> {
    let problem = if account.is_empty() {
        "must not be empty"
    } else if account.len() > MAX_ACCOUNT_BYTES {
        "is longer than 256 bytes"
    } else if account.contains('#') {
        "must not contain '#' (the vault names its chunk entries with it)"
    } else if account.chars().any(char::is_control) {
        "must not contain control characters"
    } else {
        return Ok(());
    };
    Err(Error::invalid("account", problem))
}

/// How many chunk entries the current head entry names. 0 when it names none, and also
/// when it cannot be read: a store or delete then goes on and replaces it (the chunks
/// are still found by probing), and a keyring that is really gone fails the next call.
fn chunk_count(store: &dyn Store, account: &str) -> usize {
    match store.get(SERVICE, account) {
        Ok(Some(head)) => match Header::parse(head.expose()) {
            Some(Ok(header)) => header.count,
            _ => 0,
        },
        Ok(None) | Err(_) => 0,
    }
}

/// Deletes the chunk entries past `keep`: the old header's from the highest down (so an
/// interruption leaves a run that the probe below finds), then any further ones.
fn remove_chunks(store: &dyn Store, account: &str, keep: usize, old: usize) -> Result<()> {
    for index in (keep + 1..=old).rev() {
        store.delete(SERVICE, &chunk_user(account, index))?;
    }
    let mut index = keep.max(old) + 1;
    while store.delete(SERVICE, &chunk_user(account, index))? {
        index += 1;
    }
    Ok(())
}

enum Read {
    Done(Option<Secret>),
    /// The chunks do not add up: a write in progress elsewhere, or damage.
    Torn(String),
}

fn read(store: &dyn Store, account: &str) -> Result<Read> {
    let Some(head) = store.get(SERVICE, account)? else {
        return Ok(Read::Done(None));
    };
    let header = match Header::parse(head.expose()) {
        None => return Ok(Read::Done(Some(head))),
        Some(Ok(header)) => header,
        Some(Err(bad)) => return Err(damaged(account, &bad)),
    };
    let mut value = Zeroizing::new(String::with_capacity(header.bytes));
    for index in 1..=header.count {
        let Some(part) = store.get(SERVICE, &chunk_user(account, index))? else {
            return Ok(Read::Torn(format!(
                "part {index} of {} is missing",
                header.count
            )));
        };
        if value.len() + part.expose().len() > header.bytes {
            return Ok(Read::Torn(
                "its parts are longer than the value stored".into(),
            ));
        }
        value.push_str(part.expose());
    }
    if !header.matches(&value) {
        return Ok(Read::Torn(
            "its parts do not add up to the value stored".into(),
        ));
    }
    Ok(Read::Done(Some(Secret::new(std::mem::take(&mut *value)))))
}

fn damaged(account: &str, reason: &dyn std::fmt::Display) -> Error {
    Error::Keyring(format!(
        "The OS keyring entry {SERVICE}/{account} is damaged: {reason}. Sign in again to \
         replace it."
    ))
}
