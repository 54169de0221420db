#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The vault through the real Secret Service: gnome-keyring, unlocked, on a private D-Bus
//! session bus, as `cargo xtask test` runs the suite. What the vault stores is checked
//! from another process with `secret-tool` (apt: dbus, gnome-keyring, libsecret-tools).

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use adopat_core::vault::{SERVICE, Vault};
use adopat_core::{Error, Secret};

const HOW_TO_RUN: &str = "run the suite with `cargo xtask test`, which starts a private D-Bus \
    session with gnome-keyring unlocked; by hand: dbus-run-session -- sh -c 'echo -n pw | \
    gnome-keyring-daemon --unlock --components=secrets >/dev/null; cargo test -p adopat-core \
    --test vault_keyring' (with private XDG_RUNTIME_DIR and XDG_DATA_HOME)";

/// Fails, never skips, outside a private session; refuses a desktop session's own bus so
/// the developer's keyring is never touched.
fn require_private_session() {
    let Some(address) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") else {
        panic!(
            "DBUS_SESSION_BUS_ADDRESS is not set, so there is no Secret Service to test: {HOW_TO_RUN}"
        );
    };
    let address = address.to_string_lossy();
    assert!(
        !address.contains("/run/user/"),
        "DBUS_SESSION_BUS_ADDRESS ({address}) looks like your desktop session's bus; this test \
         must not touch your own keyring: {HOW_TO_RUN}"
    );
}

/// Deletes the test account's entries even when an assertion fails half-way.
struct Cleanup<'a>(&'a Vault, &'a str);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        let _ = self.0.delete(self.1);
    }
}

fn secret_tool(args: &[&str]) -> (bool, String, String) {
    let output = adopat_test_support::secret_tool(args);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The `username` of every item with `service = adopat`, as another process sees them.
/// (secret-tool prints the attributes on stderr, the rest on stdout.)
fn listed_users(prefix: &str) -> (Vec<String>, String) {
    let (_, stdout, stderr) = secret_tool(&["search", "--all", "service", SERVICE]);
    let mut users: Vec<String> = format!("{stdout}\n{stderr}")
        .lines()
        .filter_map(|line| line.strip_prefix("attribute.username = "))
        .filter(|user| user.starts_with(prefix))
        .map(str::to_owned)
        .collect();
    users.sort();
    (users, stdout)
}

/// The value of one item, read by another process.
fn looked_up(user: &str) -> Option<String> {
    let (found, stdout, _) = secret_tool(&["lookup", "service", SERVICE, "username", user]);
    found.then(|| stdout.strip_suffix('\n').unwrap_or(&stdout).to_owned())
}

fn expected_users(account: &str, chunks: usize) -> Vec<String> {
    let mut users = vec![account.to_owned()];
    users.extend((1..=chunks).map(|i| format!("{account}#{i}")));
    users.sort();
    users
}

#[test]
fn real_secret_service_keeps_fetches_and_forgets() {
    require_private_session();
    let vault = Vault::os().unwrap_or_else(|e| panic!("{e}\n({HOW_TO_RUN})"));
    let run = uuid::Uuid::new_v4();
    let account = format!("adopat-test-tenant/{run}");
    let _cleanup = Cleanup(&vault, &account);

    // A short value: one item, with the attributes docs/CONTRACTS.md names.
    let short = format!("refresh-token-{run}");
    vault.store(&account, &Secret::new(short.clone())).unwrap();
    let (users, stdout) = listed_users(&account);
    assert_eq!(
        users,
        expected_users(&account, 0),
        "secret-tool search: {stdout}"
    );
    assert!(
        stdout.contains(&short),
        "secret-tool shows the value: {stdout}"
    );
    assert_eq!(looked_up(&account).as_deref(), Some(short.as_str()));
    let fetched = vault.fetch(&account).unwrap().expect("stored value");
    assert_eq!(fetched.expose(), short);

    // A long value with multibyte characters: a header item and chunk items.
    let long: String = "Entra-é€😀中-".chars().cycle().take(3 * 2560).collect();
    assert!(long.len() > 3 * 2560);
    vault.store(&account, &Secret::new(long.clone())).unwrap();
    let (users, stdout) = listed_users(&account);
    let chunks = users.len() - 1;
    assert!(chunks >= 4, "{users:?}");
    assert_eq!(users, expected_users(&account, chunks), "{stdout}");
    let head = looked_up(&account).unwrap();
    assert!(
        head.starts_with(&format!("adopat-chunks:v1:{chunks}:{}:", long.len())),
        "{head}"
    );
    let mut parts = String::new();
    for i in 1..=chunks {
        let part = looked_up(&format!("{account}#{i}")).unwrap();
        assert!(part.len() <= 2560, "chunk {i} is {} bytes", part.len());
        parts.push_str(&part);
    }
    assert_eq!(parts, long);
    let fetched = vault.fetch(&account).unwrap().expect("stored value");
    assert_eq!(fetched.expose(), long);

    // Shorter again: the chunk items are gone.
    vault.store(&account, &Secret::new(short.clone())).unwrap();
    assert_eq!(listed_users(&account).0, expected_users(&account, 0));
    assert_eq!(vault.fetch(&account).unwrap().unwrap().expose(), short);

    // Deleted: nothing left, and deleting again is fine.
    vault.delete(&account).unwrap();
    let (users, stdout) = listed_users(&account);
    assert!(users.is_empty(), "{users:?} {stdout}");
    assert_eq!(looked_up(&account), None);
    assert!(vault.fetch(&account).unwrap().is_none());
    vault.delete(&account).unwrap();
}

const CHILD: &str = "ADOPAT_VAULT_TEST_CHILD";

/// Runs [`keyring_error_child`] in `command` (this test binary, maybe wrapped) and
/// returns the error message it printed; fails if it fails or takes over a minute.
fn run_child(mut command: Command, mode: &str) -> String {
    let mut child = command
        .args(["--exact", "keyring_error_child", "--ignored", "--nocapture"])
        .env(CHILD, mode)
        // No display: a keyring prompt must fail, not wait for a click.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the {mode} child did not finish within a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the {mode} child failed:\n{stdout}\n{stderr}"
    );
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("vault error: "))
        .unwrap_or_else(|| panic!("the {mode} child printed no error:\n{stdout}"))
        .to_owned()
}

#[test]
fn without_a_session_bus_the_error_says_what_to_run() {
    let nowhere = tempfile::tempdir().unwrap();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus-here", nowhere.path().display()),
        )
        .env("XDG_RUNTIME_DIR", nowhere.path());
    let message = run_child(command, "no-bus");
    assert!(
        message.starts_with("No OS keyring is available"),
        "{message}"
    );
}

#[test]
fn a_keyring_that_is_not_unlocked_gives_the_clear_error() {
    // A session bus of its own where gnome-keyring starts on demand, never unlocked.
    let home = tempfile::tempdir().unwrap();
    let runtime = home.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut command = Command::new("dbus-run-session");
    command
        .arg("--")
        .arg(std::env::current_exe().unwrap())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_RUNTIME_DIR", &runtime)
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_CONFIG_HOME", home.path().join("config"));
    let message = run_child(command, "locked");
    assert!(
        message.starts_with("The OS keyring is locked or refused access"),
        "{message}"
    );
}

/// The child of the two tests above, in a session without a usable keyring.
#[test]
#[ignore = "a child process of the keyring error tests"]
fn keyring_error_child() {
    let Some(mode) = std::env::var_os(CHILD) else {
        return;
    };
    let err = Vault::os()
        .and_then(|vault| vault.store("adopat-test-tenant/locked", &Secret::new("x")))
        .expect_err("no usable keyring here");
    assert!(matches!(err, Error::Keyring(_)), "{mode:?}: {err:?}");
    assert_eq!(err.exit_code(), 3);
    let message = err.to_string();
    assert!(
        message.contains(
            "a Secret Service such as GNOME Keyring or KWallet must be running and unlocked"
        ),
        "{message}"
    );
    println!("vault error: {message}");
}
