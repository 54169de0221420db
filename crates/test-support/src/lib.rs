//! What AdoPat's test suites share. The clipboard and the keyring are read the way
//! another program (a paste, a password manager) would: through `xclip` and
//! `secret-tool`, which `cargo xtask deps` installs, never through AdoPat's own code.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed helper is a failed test

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// The X clipboard as a paste in another program sees it (`DISPLAY` from the test).
pub fn clipboard() -> String {
    xclip(&["-o", "-selection", "clipboard"])
}

/// The formats the clipboard's owner offers (`x-kde-passwordManagerHint` and the like).
pub fn clipboard_targets() -> String {
    xclip(&["-o", "-selection", "clipboard", "-t", "TARGETS"])
}

/// A read asks the selection's owner, which may be leaving at that moment (a program
/// clearing the clipboard as it exits): xclip then waits for an answer that never comes.
/// Such a read is given up and made again, as a paste would be.
fn xclip(args: &[&str]) -> String {
    for _ in 0..3 {
        if let Some(out) = bounded_output(Command::new("xclip").args(args), XCLIP_LIMIT) {
            return String::from_utf8_lossy(&out.stdout).into_owned();
        }
    }
    panic!("xclip {args:?} did not answer within {XCLIP_LIMIT:?}, three times");
}

const XCLIP_LIMIT: Duration = Duration::from_secs(5);

/// `cmd`'s output, or `None` when it has not exited within `limit`: it is then killed
/// and reaped. Its output is read as it comes, so a full pipe never holds it up.
pub fn bounded_output(cmd: &mut Command, limit: Duration) -> Option<Output> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {:?}: {e}", cmd.get_program()));
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // A grandchild holding the pipes would keep these open; the tests start none.
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    status.map(|status| Output {
        status,
        stdout,
        stderr,
    })
}

/// `cmd`'s exit status, or `None` when it has not exited within `limit`: it is then
/// killed and reaped. Its output goes nowhere, for a program that leaves a process behind
/// holding the pipes it was given (an installer starting a program, say).
pub fn bounded_status(cmd: &mut Command, limit: Duration) -> Option<ExitStatus> {
    let mut child = Reaped(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {:?}: {e}", cmd.get_program())),
    );
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            return Some(status);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// A process a test started, killed and reaped however the test ends (a failed assert
/// included), so that none outlives its test.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `secret-tool` with `args`, bounded: a keyring that does not answer fails the test.
pub fn secret_tool(args: &[&str]) -> Output {
    bounded_output(
        Command::new("secret-tool").args(args),
        Duration::from_secs(20),
    )
    .unwrap_or_else(|| panic!("secret-tool {args:?} did not answer within 20 s"))
}

/// AdoPat's Secret Service entries (service `adopat`), by user, as `secret-tool` sees them.
pub fn keyring_users() -> Vec<String> {
    let out = secret_tool(&["search", "--all", "service", "adopat"]);
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
        secret_tool(&["clear", "service", "adopat", "username", &user]);
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
    fn a_program_that_does_not_answer_is_ended_and_one_that_does_is_read_whole() {
        let mut sleeper = Command::new("sleep");
        sleeper.arg("30");
        assert!(bounded_output(&mut sleeper, Duration::from_millis(200)).is_none());
        let out = bounded_output(
            Command::new("sh").args(["-c", "head -c 200000 /dev/zero; echo done >&2"]),
            Duration::from_secs(30),
        )
        .expect("it exits");
        assert!(out.status.success());
        assert_eq!(out.stdout.len(), 200_000, "more than a pipe holds");
        assert_eq!(out.stderr, b"done\n");
    }

    #[test]
    fn a_status_is_bounded_even_when_what_it_started_keeps_running() {
        let started = Instant::now();
        let mut sleeper = Command::new("sleep");
        sleeper.arg("30");
        assert!(bounded_status(&mut sleeper, Duration::from_millis(200)).is_none());
        // As an installer that starts a program and exits: its status comes at once.
        let pid_file =
            std::env::temp_dir().join(format!("adopat-bounded-status-{}", std::process::id()));
        let status = bounded_status(
            Command::new("sh")
                .args(["-c", "sleep 30 & echo $! > \"$1\"; exit 3", "sh"])
                .arg(&pid_file),
            Duration::from_secs(20),
        );
        let left = std::fs::read_to_string(&pid_file).unwrap();
        let _ = std::fs::remove_file(&pid_file);
        let _ = Command::new("kill").arg(left.trim()).status();
        assert_eq!(status.and_then(|s| s.code()), Some(3));
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
    }
}
