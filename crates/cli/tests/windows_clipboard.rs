#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// Wine runs here, on Linux, on the Xvfb display; `cargo xtask test` runs these.
#![cfg(target_os = "linux")]
//! The Windows build of `adopat` under Wine, seen from Linux: a new secret goes to the
//! Windows clipboard, which Wine bridges to the X server, marked for Windows to keep it
//! out of clipboard history and off the cloud clipboard, and is cleared on time.

use adopat_test_support::{clipboard, clipboard_targets};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn windows_adopat() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/x86_64-pc-windows-gnu/debug/adopat.exe")
}

#[test]
#[ignore = "needs Wine and the Windows build: cargo xtask test runs it"]
fn a_new_secret_reaches_the_clipboard_marked_and_is_cleared() {
    let prefix =
        std::env::var("WINEPREFIX").expect("run by cargo xtask test, which sets WINEPREFIX");
    let before = clipboard();
    let adopat = Command::new("wine")
        .arg(windows_adopat())
        .args([
            "--demo",
            "--org",
            "contoso",
            "create",
            "--name",
            "wine-clip",
            "--scope",
            "vso.code",
            "--expires",
            "7d",
        ])
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", "4")
        .env("ADOPAT_CONFIG_DIR", r"C:\adopat-clipboard-test")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let secret = loop {
        let now = clipboard();
        if now != before && now.len() == 84 {
            break now;
        }
        assert!(Instant::now() < deadline, "no secret reached the clipboard");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(&secret[76..80], "AZDO", "an Azure DevOps PAT");
    let targets = clipboard_targets();
    for format in ["CanIncludeInClipboardHistory", "CanUploadToCloudClipboard"] {
        assert!(targets.contains(format), "{format} is offered: {targets}");
    }
    let out = adopat.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(clipboard(), secret, "cleared once its time is up");
}
