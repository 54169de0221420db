#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// Wine runs here, on Linux, on the Xvfb display `cargo xtask test` starts.
#![cfg(target_os = "linux")]
//! The Windows build of `adopat-tray`, started under Wine as a user's login would start
//! it, against the emulator: it stays up (it used to quit 0.6 s after starting), shows
//! its notification-area icon with the menu, runs its rounds, checks at once when
//! another process asks, and a second tray leaves. `cargo xtask test` builds the
//! Windows binaries and runs these (`--ignored`), with `WINEPREFIX` set.

use adopat_emulator::{Config, Emulator, Seed};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const TOKEN: &str = "wine-static-token";

fn windows_exe(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/x86_64-pc-windows-gnu/debug")
        .join(format!("{name}.exe"))
}

/// A Linux path as the Windows program reads it (Wine's Z: drive is /).
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

fn wine(exe: &Path) -> Command {
    let prefix =
        std::env::var("WINEPREFIX").expect("run by cargo xtask test, which sets WINEPREFIX");
    let mut command = Command::new("wine");
    command
        .arg(exe)
        .env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env(
            "RUST_LOG",
            "adopat_tray=debug,adopat_core=debug,notify_rust=debug",
        )
        .env("NO_COLOR", "1");
    command
}

struct Tray {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Everything it said, for a failure's message.
    all: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Tray {
    fn start(mut command: Command) -> Self {
        let mut child = command
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        let all = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = all.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line.clone());
                let _ = tx.send(line);
            }
        });
        Self { child, lines, all }
    }

    /// The `n`th line that says `what` (from the start: the icon and the first round
    /// come in either order).
    fn wait_for_nth(&self, what: &str, n: usize) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            {
                let all = self.all.lock().unwrap();
                if let Some(line) = all.iter().filter(|l| l.contains(what)).nth(n - 1) {
                    return line.clone();
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the tray never said '{what}' {n} time(s); it said:\n{}",
                    all.join("\n")
                );
            }
            let _ = self.lines.recv_timeout(Duration::from_millis(200));
        }
    }

    fn wait_for(&self, what: &str) -> String {
        self.wait_for_nth(what, 1)
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Wine and the Windows build: cargo xtask test runs it"]
async fn the_windows_tray_stays_up_with_its_icon_and_checks_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let pats = json!([{"displayName": "feed", "scope": "vso.packaging", "orgs": ["contoso"],
                       "validFrom": "-30d", "validTo": "+2d"}]);
    let emulator = Emulator::start(Config {
        seed: Seed::Json(json!({"orgs": [{"name": "contoso"}], "pats": pats})),
        static_token: Some(TOKEN.into()),
        ..Config::default()
    })
    .await
    .unwrap();
    let config = dir.path().join("config");
    let with_env = |mut command: Command| {
        command
            .env("ADOPAT_VSSPS_URL", emulator.base_url())
            .env("ADOPAT_APP_VSSPS_URL", emulator.base_url())
            .env("ADOPAT_LOGIN_URL", emulator.base_url())
            .env("ADOPAT_ACCESS_TOKEN", TOKEN)
            .env("ADOPAT_CONFIG_DIR", windows_path(&config));
        command
    };
    let tray_exe = windows_exe("adopat-tray");
    let tray = Tray::start(with_env(wine(&tray_exe)));
    let shown = tray.wait_for("tray icon shown");
    assert!(shown.contains("menu items"), "{shown}");
    // Wine shows no toasts: the tray says so, and its round still completes.
    tray.wait_for("Reminders cannot be shown as notifications here");
    let round = tray.wait_for("reminder round");
    assert!(round.contains("pats=1"), "{round}");

    // Registered for toasts under its AppUserModelID, with its name and icon.
    let registered = Command::new("wine")
        .args([
            "reg",
            "query",
            r"HKCU\Software\Classes\AppUserModelId\dev.adopat.desktop",
        ])
        .env("WINEPREFIX", std::env::var("WINEPREFIX").unwrap())
        .env("WINEDEBUG", "-all")
        .output()
        .unwrap();
    let registered = String::from_utf8_lossy(&registered.stdout);
    assert!(
        registered.contains("DisplayName") && registered.contains("AdoPat"),
        "{registered}"
    );
    assert!(registered.contains("adopat.png"), "{registered}");

    // Still there well after the 0.6 s it used to last.
    std::thread::sleep(Duration::from_secs(3));
    let mut tray = tray;
    assert!(tray.child.try_wait().unwrap().is_none(), "the tray quit");

    // Check now, from another process.
    let asked = with_env(wine(&tray_exe))
        .arg("--check-now")
        .output()
        .unwrap();
    assert!(
        asked.status.success(),
        "{}",
        String::from_utf8_lossy(&asked.stderr)
    );
    tray.wait_for_nth("reminder round", 2);

    // A second tray (the window starting one, say) leaves at once.
    let second = with_env(wine(&tray_exe)).output().unwrap();
    assert!(second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("already in the tray"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(tray.child.try_wait().unwrap().is_none());
}

#[test]
#[ignore = "needs Wine and the Windows build: cargo xtask test runs it"]
fn check_now_without_a_tray_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = wine(&windows_exe("adopat-tray"))
        .arg("--check-now")
        .env("ADOPAT_CONFIG_DIR", windows_path(dir.path()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no tray is listening"));
}
