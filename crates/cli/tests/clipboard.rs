#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// Read back with xclip from the X server; Windows is tested under Wine (see xtask).
#![cfg(target_os = "linux")]
//! The real X11 clipboard (Xvfb under `cargo xtask test`), read back by xclip from
//! another process, as a paste would.

mod common;

use common::{Service, stderr};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One X clipboard for every test: under plain `cargo test` (threads) they take turns
/// here; nextest runs them one at a time (.config/nextest.toml).
static CLIPBOARD: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    CLIPBOARD.lock().unwrap_or_else(|e| e.into_inner())
}

fn display() -> String {
    std::env::var("DISPLAY")
        .expect("these tests need an X display: run them with `cargo xtask test`")
}

use adopat_test_support::{Reaped, clipboard, clipboard_targets as targets};

/// Starts `adopat` with its stderr piped and waits for the notice that the PAT is on
/// the clipboard.
fn start(service: &Service, args: &[&str], clear_seconds: &str) -> Reaped {
    let mut cmd = service.adopat_std();
    cmd.args(args)
        .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", clear_seconds)
        .env("DISPLAY", display())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = Reaped(cmd.spawn().expect("adopat starts"));
    let mut lines = BufReader::new(child.0.stderr.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = lines.next().expect("adopat said nothing").unwrap();
        if line.contains("on the clipboard") {
            assert!(line.contains("kept out of clipboard history"), "{line}");
            break;
        }
        assert!(Instant::now() < deadline, "no clipboard notice");
    }
    std::thread::spawn(move || for _ in lines {});
    child
}

#[test]
fn create_puts_a_working_secret_on_the_clipboard_and_clears_it() {
    let _turn = turn();
    let service = Service::start();
    let mut child = start(
        &service,
        &[
            "--org",
            "contoso",
            "create",
            "--name",
            "clip",
            "--scope",
            "vso.code",
            "--expires",
            "7d",
        ],
        "4",
    );
    let pasted = clipboard();
    assert_eq!(pasted.len(), 84, "clipboard holds {pasted:?}");
    assert!(service.pat_works("contoso", &pasted));
    assert!(
        targets().contains("x-kde-passwordManagerHint"),
        "not marked to stay out of history: {}",
        targets()
    );
    let stdout = std::io::read_to_string(child.0.stdout.take().unwrap()).unwrap();
    assert!(!stdout.contains(&pasted), "the secret leaked to stdout");
    let status = child.0.wait().unwrap();
    assert!(status.success());
    assert_ne!(clipboard(), pasted, "the clipboard was not cleared");
}

#[test]
fn regenerate_puts_the_new_secret_on_the_clipboard() {
    let _turn = turn();
    let service = Service::start();
    let mut child = start(&service, &["regenerate", "git-push"], "3");
    let pasted = clipboard();
    assert!(service.pat_works("fabrikam", &pasted));
    assert!(!service.pat_works("fabrikam", &common::known_token('b')));
    assert!(child.0.wait().unwrap().success());
}

#[test]
fn copying_something_else_is_left_alone() {
    let _turn = turn();
    let service = Service::start();
    let mut child = start(
        &service,
        &[
            "--org",
            "contoso",
            "create",
            "--name",
            "clip2",
            "--scope",
            "vso.code",
            "--expires",
            "7d",
        ],
        "30",
    );
    let mut other = Reaped(
        Command::new("xclip")
            .args(["-i", "-selection", "clipboard", "-loops", "10", "-quiet"])
            .env("DISPLAY", display())
            .stdin(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    use std::io::Write;
    other
        .0
        .stdin
        .take()
        .unwrap()
        .write_all(b"my own text")
        .unwrap();
    let started = Instant::now();
    let status = child.0.wait().unwrap();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "adopat kept waiting after the user copied over it"
    );
    assert_eq!(clipboard(), "my own text");
}

#[test]
fn without_a_clipboard_nothing_is_created_and_print_is_suggested() {
    let service = Service::start();
    let out = service
        .adopat()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "x",
            "--scope",
            "vso.code",
            "--expires",
            "7d",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--print"), "{}", stderr(&out));
    assert!(service.requests().is_empty());
}

/// `adopat` with the private session's keyring.
fn with_keyring(service: &Service, args: &[&str]) -> std::process::Output {
    let mut cmd = service.adopat_std();
    cmd.args(args).env("DISPLAY", display());
    if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    cmd.output().unwrap()
}

#[test]
fn a_kept_token_is_copied_again_until_its_pat_is_revoked() {
    let _turn = turn();
    let service = Service::start();
    let out = with_keyring(
        &service,
        &[
            "--json",
            "--org",
            "contoso",
            "create",
            "--name",
            "kept-one",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
            "--keep",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let created = common::stdout_json(&out);
    let (id, token) = (
        created["id"].as_str().unwrap().to_owned(),
        created["token"].as_str().unwrap().to_owned(),
    );
    assert!(
        stderr(&out).contains(&format!("`adopat copy {id}`")),
        "{}",
        stderr(&out)
    );
    let user = format!("pat/{id}");
    assert!(adopat_test_support::keyring_users().contains(&user));

    // By id: nothing is asked of Azure DevOps.
    service.forget_requests();
    let mut cmd = service.adopat_std();
    cmd.args(["copy", &id])
        .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", "2")
        .env("DISPLAY", display())
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").unwrap(),
        );
    let copy = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while clipboard() != token {
        assert!(
            Instant::now() < deadline,
            "the kept token never reached the clipboard"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = copy.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(service.requests().is_empty(), "{:#?}", service.requests());

    let out = with_keyring(&service, &["revoke", "kept-one", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !adopat_test_support::keyring_users().contains(&user),
        "revoking forgets the kept token"
    );
    let out = with_keyring(&service, &["copy", &id]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no secret is kept"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_keyring_the_token_is_handed_over_and_not_kept_is_said() {
    let service = Service::start();
    let out = service
        .adopat()
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .args([
            "--org",
            "contoso",
            "create",
            "--name",
            "unkept",
            "--scope",
            "vso.code",
            "--expires",
            "7d",
            "--print",
            "--keep",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim().len(),
        84,
        "the token is printed"
    );
    assert!(
        stderr(&out).contains("The secret could not be kept"),
        "{}",
        stderr(&out)
    );
}
