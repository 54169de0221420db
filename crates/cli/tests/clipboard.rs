#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
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

use adopat_test_support::{clipboard, clipboard_targets as targets};

/// Starts `adopat` with its stderr piped and waits for the notice that the PAT is on
/// the clipboard.
fn start(service: &Service, args: &[&str], clear_seconds: &str) -> std::process::Child {
    let mut cmd = service.adopat_std();
    cmd.args(args)
        .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", clear_seconds)
        .env("DISPLAY", display())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("adopat starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
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
    let stdout = std::io::read_to_string(child.stdout.take().unwrap()).unwrap();
    assert!(!stdout.contains(&pasted), "the secret leaked to stdout");
    let status = child.wait().unwrap();
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
    assert!(child.wait().unwrap().success());
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
    let mut other = Command::new("xclip")
        .args(["-i", "-selection", "clipboard", "-loops", "10", "-quiet"])
        .env("DISPLAY", display())
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    other
        .stdin
        .take()
        .unwrap()
        .write_all(b"my own text")
        .unwrap();
    let started = Instant::now();
    let status = child.wait().unwrap();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "adopat kept waiting after the user copied over it"
    );
    assert_eq!(clipboard(), "my own text");
    let _ = other.kill();
    let _ = other.wait();
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
