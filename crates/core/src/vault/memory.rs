//! An in-memory [`Store`]: for unit tests and for `--demo`, where nothing may outlive the
//! process. It behaves like a keyring that is always there and never refuses.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use super::Store;
use crate::error::Result;
use crate::secret::Secret;

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<(String, String), Secret>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// The users that have an entry under `service`, sorted: lets a test see chunk
    /// entries (`<user>#<n>`) come and go.
    pub fn users(&self, service: &str) -> Vec<String> {
        self.lock()
            .keys()
            .filter(|(s, _)| s == service)
            .map(|(_, user)| user.clone())
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(String, String), Secret>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("entries", &self.lock().len())
            .finish()
    }
}

impl Store for MemoryStore {
    fn set(&self, service: &str, user: &str, value: &Secret) -> Result<()> {
        self.lock()
            .insert((service.to_owned(), user.to_owned()), value.clone());
        Ok(())
    }

    fn get(&self, service: &str, user: &str) -> Result<Option<Secret>> {
        Ok(self
            .lock()
            .get(&(service.to_owned(), user.to_owned()))
            .cloned())
    }

    fn delete(&self, service: &str, user: &str) -> Result<bool> {
        Ok(self
            .lock()
            .remove(&(service.to_owned(), user.to_owned()))
            .is_some())
    }
}
