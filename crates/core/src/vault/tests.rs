//! The vault over the in-memory store: the three verbs, the chunk scheme, serialization.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::*;

const ACCOUNT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47/0a1b2c3d-0000-4000-8000-000000000001";

fn vault() -> (Vault, Arc<MemoryStore>) {
    let memory = Arc::new(MemoryStore::new());
    (Vault::new(memory.clone()), memory)
}

/// A value of `bytes` bytes or a little more, full of 2-, 3- and 4-byte characters
/// placed so that a cut every 2,560 bytes would fall inside one.
fn long_value(bytes: usize) -> String {
    let mut value = String::with_capacity(bytes + 8);
    // 13 bytes a round: 2,560 is not a multiple, so cuts fall inside characters.
    let pattern = ['é', '€', '😀', 'r', '中'];
    let mut i = 0;
    while value.len() < bytes {
        value.push(pattern[i % pattern.len()]);
        i += 1;
    }
    value
}

fn users(memory: &MemoryStore) -> Vec<String> {
    memory.users(SERVICE)
}

fn chunk_names(count: usize) -> Vec<String> {
    let mut names = vec![ACCOUNT.to_owned()];
    names.extend((1..=count).map(|i| format!("{ACCOUNT}#{i}")));
    names.sort();
    names
}

#[test]
fn round_trip_and_replace() {
    let (vault, memory) = vault();
    vault
        .store(ACCOUNT, &Secret::new("refresh-1"))
        .expect("store");
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), "refresh-1");
    assert_eq!(
        memory
            .get(SERVICE, ACCOUNT)
            .expect("get")
            .expect("entry")
            .expose(),
        "refresh-1",
        "a short value sits in the one entry as is"
    );

    vault
        .store(ACCOUNT, &Secret::new("refresh-2"))
        .expect("store");
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), "refresh-2");
    assert_eq!(users(&memory), [ACCOUNT]);
}

#[test]
fn missing_is_none_and_deleting_missing_is_fine() {
    let (vault, memory) = vault();
    assert!(vault.fetch(ACCOUNT).expect("fetch").is_none());
    vault.delete(ACCOUNT).expect("delete of nothing");

    vault.store(ACCOUNT, &Secret::new("x")).expect("store");
    vault.delete(ACCOUNT).expect("delete");
    vault.delete(ACCOUNT).expect("delete again");
    assert!(vault.fetch(ACCOUNT).expect("fetch").is_none());
    assert!(users(&memory).is_empty());
}

#[test]
fn accounts_are_kept_apart() {
    let (vault, _) = vault();
    let other = "72f988bf-86f1-41af-91ab-2d7cd011db47/other";
    vault.store(ACCOUNT, &Secret::new("mine")).expect("store");
    vault.store(other, &Secret::new("theirs")).expect("store");
    vault.delete(other).expect("delete");
    let mine = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(mine.expose(), "mine");
}

#[test]
fn a_long_multibyte_value_is_split_on_character_boundaries_and_reassembled() {
    let (vault, memory) = vault();
    let value = long_value(3 * MAX_ENTRY_BYTES);
    assert!(value.len() >= 3 * MAX_ENTRY_BYTES);
    vault
        .store(ACCOUNT, &Secret::new(value.clone()))
        .expect("store");

    let head = memory.get(SERVICE, ACCOUNT).expect("get").expect("head");
    assert!(
        head.expose().starts_with("adopat-chunks:v1:"),
        "{}",
        head.expose()
    );
    let count = users(&memory).len() - 1;
    assert!(count >= 3, "{count} chunks");
    assert!(
        head.expose()
            .starts_with(&format!("adopat-chunks:v1:{count}:{}:", value.len()))
    );
    assert_eq!(users(&memory), chunk_names(count));

    let mut parts = Vec::new();
    for i in 1..=count {
        let part = memory
            .get(SERVICE, &format!("{ACCOUNT}#{i}"))
            .expect("get")
            .expect("chunk");
        assert!(part.expose().len() <= MAX_ENTRY_BYTES);
        parts.push(part.expose().to_owned());
    }
    assert!(
        parts[..count - 1].iter().any(|p| p.len() < MAX_ENTRY_BYTES),
        "some cut had to step back from the middle of a character"
    );
    assert_eq!(parts.concat(), value);

    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), value);
}

#[test]
fn exactly_the_limit_is_one_entry_and_one_byte_more_is_chunked() {
    let (vault, memory) = vault();
    vault
        .store(ACCOUNT, &Secret::new("a".repeat(MAX_ENTRY_BYTES)))
        .expect("store");
    assert_eq!(users(&memory), [ACCOUNT]);
    vault
        .store(ACCOUNT, &Secret::new("a".repeat(MAX_ENTRY_BYTES + 1)))
        .expect("store");
    assert_eq!(users(&memory), chunk_names(2));
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose().len(), MAX_ENTRY_BYTES + 1);
}

#[test]
fn shrinking_a_value_leaves_no_stale_chunks() {
    let (vault, memory) = vault();
    let long = long_value(5 * MAX_ENTRY_BYTES);
    vault.store(ACCOUNT, &Secret::new(long)).expect("store");
    let before = users(&memory).len() - 1;
    assert!(before >= 5);

    let medium = long_value(MAX_ENTRY_BYTES + 10);
    vault
        .store(ACCOUNT, &Secret::new(medium.clone()))
        .expect("store");
    assert_eq!(users(&memory), chunk_names(2));
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), medium);

    vault.store(ACCOUNT, &Secret::new("short")).expect("store");
    assert_eq!(users(&memory), [ACCOUNT]);
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), "short");
}

#[test]
fn delete_removes_every_chunk() {
    let (vault, memory) = vault();
    vault
        .store(ACCOUNT, &Secret::new(long_value(3 * MAX_ENTRY_BYTES)))
        .expect("store");
    vault.delete(ACCOUNT).expect("delete");
    assert!(users(&memory).is_empty(), "{:?}", users(&memory));
}

#[test]
fn chunks_left_by_an_interrupted_write_are_cleaned_up() {
    let (vault, memory) = vault();
    // Chunks written, header never: the entry itself still holds an older plain value.
    for i in 1..=3 {
        memory
            .set(SERVICE, &format!("{ACCOUNT}#{i}"), &Secret::new("orphan"))
            .expect("set");
    }
    memory
        .set(SERVICE, ACCOUNT, &Secret::new("older"))
        .expect("set");
    vault.store(ACCOUNT, &Secret::new("newer")).expect("store");
    assert_eq!(users(&memory), [ACCOUNT]);

    for i in 1..=2 {
        memory
            .set(SERVICE, &format!("{ACCOUNT}#{i}"), &Secret::new("orphan"))
            .expect("set");
    }
    vault.delete(ACCOUNT).expect("delete");
    assert!(users(&memory).is_empty(), "{:?}", users(&memory));
}

#[test]
fn a_value_that_looks_like_a_header_round_trips() {
    let (vault, memory) = vault();
    let tricky = "adopat-chunks:v1:1:3:0000000000000000";
    vault.store(ACCOUNT, &Secret::new(tricky)).expect("store");
    assert_eq!(users(&memory), chunk_names(1));
    let fetched = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    assert_eq!(fetched.expose(), tricky);
}

#[test]
fn parts_of_two_writes_are_never_put_together() {
    let (vault, memory) = vault();
    let value = "a".repeat(2 * MAX_ENTRY_BYTES);
    vault.store(ACCOUNT, &Secret::new(value)).expect("store");
    // Same length, other content: as if another process were half-way through a write.
    memory
        .set(
            SERVICE,
            &format!("{ACCOUNT}#2"),
            &Secret::new("b".repeat(MAX_ENTRY_BYTES)),
        )
        .expect("set");
    let err = vault.fetch(ACCOUNT).expect_err("torn value");
    assert!(matches!(err, Error::Keyring(_)), "{err:?}");
    assert_eq!(err.exit_code(), 3);
    assert!(err.to_string().contains("damaged"), "{err}");
    assert!(err.to_string().contains("Sign in again"), "{err}");

    memory
        .delete(SERVICE, &format!("{ACCOUNT}#2"))
        .expect("delete");
    let err = vault.fetch(ACCOUNT).expect_err("missing part");
    assert!(err.to_string().contains("part 2 of 2 is missing"), "{err}");

    // Still mended by storing again.
    vault.store(ACCOUNT, &Secret::new("fresh")).expect("store");
    assert_eq!(users(&memory), [ACCOUNT]);
}

#[test]
fn a_header_from_an_unknown_format_is_reported_not_returned() {
    let (vault, memory) = vault();
    memory
        .set(SERVICE, ACCOUNT, &Secret::new("adopat-chunks:v7:whatever"))
        .expect("set");
    let err = vault.fetch(ACCOUNT).expect_err("unknown format");
    assert!(err.to_string().contains("format v7"), "{err}");
    vault.delete(ACCOUNT).expect("delete");
    assert!(users(&memory).is_empty());
}

#[test]
fn bad_accounts_and_empty_secrets_are_refused_before_the_keyring() {
    let (vault, memory) = vault();
    for bad in ["", "tenant/object#1", "tenant/\nobject", &"x".repeat(300)] {
        let err = vault
            .store(bad, &Secret::new("v"))
            .expect_err("bad account");
        assert!(
            matches!(
                err,
                Error::Invalid {
                    field: "account",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(vault.fetch(bad).is_err());
        assert!(vault.delete(bad).is_err());
    }
    let err = vault.store(ACCOUNT, &Secret::new("")).expect_err("empty");
    assert!(
        matches!(
            err,
            Error::Invalid {
                field: "secret",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(users(&memory).is_empty());
}

/// A store that refuses everything, as a locked keyring does.
struct Refusing;

impl Store for Refusing {
    fn set(&self, _: &str, _: &str, _: &Secret) -> Result<()> {
        Err(Error::Keyring("locked".into()))
    }
    fn get(&self, _: &str, _: &str) -> Result<Option<Secret>> {
        Err(Error::Keyring("locked".into()))
    }
    fn delete(&self, _: &str, _: &str) -> Result<bool> {
        Err(Error::Keyring("locked".into()))
    }
}

#[test]
fn keyring_errors_reach_the_caller() {
    let vault = Vault::new(Arc::new(Refusing));
    for result in [
        vault.store(ACCOUNT, &Secret::new("v")),
        vault.fetch(ACCOUNT).map(|_| ()),
        vault.delete(ACCOUNT),
    ] {
        let err = result.expect_err("refused");
        assert!(matches!(err, Error::Keyring(_)), "{err:?}");
    }
}

/// Counts how many calls are inside the store at once.
struct Watched {
    inner: MemoryStore,
    inside: AtomicUsize,
    overlaps: AtomicUsize,
    calls: AtomicUsize,
}

impl Watched {
    fn enter<T>(&self, call: impl FnOnce(&MemoryStore) -> T) -> T {
        if self.inside.fetch_add(1, Ordering::SeqCst) > 0 {
            self.overlaps.fetch_add(1, Ordering::SeqCst);
        }
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_micros(200));
        let result = call(&self.inner);
        self.inside.fetch_sub(1, Ordering::SeqCst);
        result
    }
}

impl Store for Watched {
    fn set(&self, service: &str, user: &str, value: &Secret) -> Result<()> {
        self.enter(|s| s.set(service, user, value))
    }
    fn get(&self, service: &str, user: &str) -> Result<Option<Secret>> {
        self.enter(|s| s.get(service, user))
    }
    fn delete(&self, service: &str, user: &str) -> Result<bool> {
        self.enter(|s| s.delete(service, user))
    }
}

#[test]
fn concurrent_stores_are_serialized() {
    let watched = Arc::new(Watched {
        inner: MemoryStore::new(),
        inside: AtomicUsize::new(0),
        overlaps: AtomicUsize::new(0),
        calls: AtomicUsize::new(0),
    });
    let values: Vec<String> = (0..6)
        .map(|n| format!("{n}{}", long_value((n % 3 + 1) * MAX_ENTRY_BYTES)))
        .collect();
    let all = &values;
    std::thread::scope(|scope| {
        for value in all {
            // A vault of its own per thread: the lock is process-wide, not per vault.
            let vault = Vault::new(watched.clone());
            scope.spawn(move || {
                for _ in 0..4 {
                    vault
                        .store(ACCOUNT, &Secret::new(value.as_str()))
                        .expect("store");
                    let seen = vault.fetch(ACCOUNT).expect("fetch").expect("present");
                    assert!(all.iter().any(|v| v == seen.expose()), "a mixed value");
                }
            });
        }
    });
    assert!(watched.calls.load(Ordering::SeqCst) > 100);
    assert_eq!(
        watched.overlaps.load(Ordering::SeqCst),
        0,
        "calls overlapped"
    );

    let vault = Vault::new(watched.clone());
    let last = vault.fetch(ACCOUNT).expect("fetch").expect("present");
    let count = values
        .iter()
        .find(|v| *v == last.expose())
        .map(|v| split(v, MAX_ENTRY_BYTES).len())
        .expect("one of the values");
    assert_eq!(watched.inner.users(SERVICE), chunk_names(count));
}
