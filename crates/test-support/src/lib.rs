//! What AdoPat's test suites share. The clipboard and the keyring are read the way
//! another program (a paste, a password manager) would: through `xclip` and
//! `secret-tool`, which `cargo xtask deps` installs, never through AdoPat's own code.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed helper is a failed test

use std::path::{Path, PathBuf};
use std::process::Command;

/// The X clipboard as a paste in another program sees it (`DISPLAY` from the test).
pub fn clipboard() -> String {
    xclip(&["-o", "-selection", "clipboard"])
}

/// The formats the clipboard's owner offers (`x-kde-passwordManagerHint` and the like).
pub fn clipboard_targets() -> String {
    xclip(&["-o", "-selection", "clipboard", "-t", "TARGETS"])
}

fn xclip(args: &[&str]) -> String {
    let out = Command::new("xclip")
        .args(args)
        .output()
        .expect("xclip runs (cargo xtask deps installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// AdoPat's Secret Service entries (service `adopat`), by user, as `secret-tool` sees them.
pub fn keyring_users() -> Vec<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", "adopat"])
        .output()
        .expect("secret-tool runs (cargo xtask deps installs libsecret-tools)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    text.lines()
        .filter_map(|l| l.strip_prefix("attribute.username = "))
        .map(str::to_owned)
        .collect()
}

/// Removes every AdoPat entry from the (private, test) keyring.
pub fn clear_keyring() {
    for user in keyring_users() {
        let _ = Command::new("secret-tool")
            .args(["clear", "service", "adopat", "username", &user])
            .status();
    }
}

/// What the emulator at `base` has received, as its control API lists it.
pub async fn emulator_requests(base: &str) -> Vec<serde_json::Value> {
    let log: serde_json::Value = reqwest::get(format!("{base}/_emulator/requests"))
        .await
        .expect("the emulator's control API answers")
        .json()
        .await
        .expect("a JSON request log");
    log.as_array().cloned().unwrap_or_default()
}

/// Whether the emulator at `base` takes `token` as a PAT of contoso, the way git or a
/// feed tries one: Basic auth on `connectionData`.
pub async fn token_works(base: &str, token: &str) -> bool {
    reqwest::Client::new()
        .get(format!("{base}/contoso/_apis/connectionData"))
        .basic_auth("", Some(token))
        .send()
        .await
        .expect("the emulator answers")
        .status()
        == 200
}

/// Queues a fault in the emulator at `base` (see its `faults` module).
pub async fn emulator_fault(base: &str, fault: serde_json::Value) {
    let answer = reqwest::Client::new()
        .post(format!("{base}/_emulator/faults"))
        .json(&fault)
        .send()
        .await
        .expect("the emulator's control API answers");
    assert!(answer.status().is_success(), "fault refused: {fault}");
}

/// Waits (20 s at most) until the emulator at `base` has received a `method` request
/// whose query holds `query`: the moment a test interrupts what sent it.
pub async fn wait_for_request(base: &str, method: &str, query: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let seen = emulator_requests(base).await.iter().any(|r| {
            r["method"] == method && r["query"].as_str().unwrap_or_default().contains(query)
        });
        if seen {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no {method} with '{query}' arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An 84-character PAT value with the `AZDO` signature at 76, as the service issues them,
/// made of `fill` so a test knows it.
pub fn known_token(fill: char) -> String {
    let mut token: String = std::iter::repeat_n(fill, 76).collect();
    token.push_str("AZDO");
    token.extend(std::iter::repeat_n(fill, 4));
    token
}

/// tauri-driver: `TAURI_DRIVER`, else cargo's bin folder, else the PATH.
pub fn tauri_driver() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return path.into();
    }
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin/tauri-driver"))
        .filter(|p| p.exists())
        .unwrap_or_else(|| "tauri-driver".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_token_has_the_shape_of_an_issued_one() {
        let token = known_token('a');
        assert_eq!(token.len(), 84);
        assert_eq!(&token[76..80], "AZDO");
        assert_ne!(known_token('a'), known_token('b'));
    }

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
    }
}
