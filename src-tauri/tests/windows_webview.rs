#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// Wine runs here, on Linux, on the Xvfb display `cargo xtask test` starts.
#![cfg(target_os = "linux")]
//! The Windows build of the window where WebView2 is missing, as on a Windows 10 machine
//! without it (Wine has none): it says so, with what to install, in a native message and
//! on stderr, instead of a window that never opens. `cargo xtask test` builds the Windows
//! binaries and runs this (`--ignored`), with `WINEPREFIX` set.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[test]
#[ignore = "needs Wine and the Windows build: cargo xtask test runs it"]
fn without_webview2_the_window_says_what_to_install() {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/x86_64-pc-windows-gnu/debug/adopat-desktop.exe");
    let prefix =
        std::env::var("WINEPREFIX").expect("run by cargo xtask test, which sets WINEPREFIX");
    let config = tempfile::tempdir().unwrap();
    let mut app = Command::new("wine")
        .arg(&exe)
        .arg("--no-tray")
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env(
            "ADOPAT_CONFIG_DIR",
            format!("Z:{}", config.path().display()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = app.stderr.take().unwrap();
    let (tx, said) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    // The message stays until the user closes it: what it says is read, then it is ended.
    let mut lines = Vec::new();
    let told = loop {
        match said.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains("WebView2") => break line,
            Ok(line) => lines.push(line),
            Err(_) => panic!("the window never said WebView2 is missing: {lines:#?}"),
        }
    };
    let _ = app.kill();
    app.wait().unwrap();
    reader.join().unwrap();
    assert!(told.contains("Microsoft Edge WebView2 Runtime"), "{told}");
    assert!(
        told.contains("https://go.microsoft.com/fwlink/p/?LinkId=2124703"),
        "what to install: {told}"
    );
    assert!(told.contains("the adopat command work"), "{told}");
}
