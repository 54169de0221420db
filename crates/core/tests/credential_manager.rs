#![cfg(windows)]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The vault through the real Windows Credential Manager (Wine's, under `cargo xtask
//! test`). Windows holds at most 2,560 bytes per credential; Wine does not enforce it, so
//! each entry the vault writes is read back as another program would and held to the
//! limit itself.

use adopat_core::Secret;
use adopat_core::vault::{OsStore, SERVICE, Store, Vault};
use std::sync::Arc;

const LIMIT: usize = 2560;

/// Deletes the test account's entries even when an assertion fails half-way.
struct Cleanup<'a>(&'a Vault, &'a str);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = self.0.delete(self.1);
    }
}

#[test]
fn a_long_refresh_token_is_split_within_the_credential_limit_and_read_back_whole() {
    let store = Arc::new(OsStore::connect().unwrap());
    let vault = Vault::new(store.clone());
    let account = "00000000-0000-0000-0000-00000000c0de/credential-manager-test";
    let _cleanup = Cleanup(&vault, account);
    // Entra refresh tokens run to several kilobytes.
    let long: String = (0..7000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    vault.store(account, &Secret::new(long.clone())).unwrap();
    assert_eq!(vault.fetch(account).unwrap().unwrap().expose(), long);

    let header = store.get(SERVICE, account).unwrap().unwrap();
    assert!(
        header.expose().starts_with("adopat-chunks:v1:"),
        "the entry holds the header"
    );
    let mut parts = 0;
    while let Some(part) = store
        .get(SERVICE, &format!("{account}#{}", parts + 1))
        .unwrap()
    {
        assert!(
            part.expose().len() <= LIMIT,
            "part {} is {} bytes",
            parts + 1,
            part.expose().len()
        );
        parts += 1;
    }
    assert_eq!(parts, 3, "7,000 bytes in parts of at most 2,560");

    // Shorter again: the parts no longer needed go.
    vault.store(account, &Secret::new("short")).unwrap();
    assert_eq!(
        store.get(SERVICE, account).unwrap().unwrap().expose(),
        "short"
    );
    assert!(
        store
            .get(SERVICE, &format!("{account}#1"))
            .unwrap()
            .is_none()
    );
    vault.delete(account).unwrap();
    assert!(vault.fetch(account).unwrap().is_none());
}
