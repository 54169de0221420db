//! Programs AdoPat starts that are not its own (git and its credential helpers, the Azure
//! CLI): each runs with a deadline, in a process group (a job object on Windows) that is
//! ended whole when the deadline passes or the caller gives up, with its output read
//! only up to a cap. None of them inherits AdoPat's own variables (`ADOPAT_ACCESS_TOKEN`
//! is an Entra token), and none runs in the user's current folder, where a cloned
//! repository's `.git/config` could choose what git runs.

use process_wrap::tokio::{ChildWrapper, CommandWrap, KillOnDrop};
use std::ffi::OsStr;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

/// The most a program may print on stdout or stderr; an answer AdoPat asks for is a few
/// hundred bytes.
const MAX_OUTPUT: u64 = 1024 * 1024;

/// Why a program gave no answer.
#[derive(Debug)]
pub enum Failure {
    NotStarted(std::io::Error),
    /// Still running at its deadline: it was ended, with all it had started.
    TimedOut(Duration),
    /// Printed more than `MAX_OUTPUT`: ended, nothing of it read.
    TooMuch,
    Io(std::io::Error),
}

impl Failure {
    /// `what` (as "git's credential helper") and why it gave no answer, for a sentence.
    pub fn said(&self, what: &str) -> String {
        match self {
            Failure::NotStarted(e) => format!("{what} could not be started ({e})"),
            Failure::TimedOut(limit) => format!(
                "{what} did not answer within {}",
                crate::text::seconds(*limit)
            ),
            Failure::TooMuch => format!("{what} printed far more than an answer; it was ended"),
            Failure::Io(e) => format!("{what} could not be talked to ({e})"),
        }
    }
}

#[derive(Debug)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: zeroize::Zeroizing<Vec<u8>>,
    pub stderr: Vec<u8>,
}

/// A command for `program` with AdoPat's own variables removed, started in a folder of
/// its own (empty, private) rather than the user's current one.
pub fn command(program: impl AsRef<OsStr>) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(program);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ADOPAT_") {
            cmd.env_remove(name);
        }
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` with `input` on its stdin, until it exits or `limit` passes (or the
/// operation's deadline, `crate::ado::with_deadline`, when that comes first).
pub async fn run(
    mut cmd: tokio::process::Command,
    input: &[u8],
    limit: Duration,
) -> Result<Output, Failure> {
    let limit = crate::ado::remaining(limit);
    // A folder of its own, gone when the program is: nothing in it chooses anything.
    let folder = tempfile::tempdir().map_err(Failure::NotStarted)?;
    cmd.current_dir(folder.path())
        // git looks for a repository upwards from its folder; it stops here.
        .env("GIT_CEILING_DIRECTORIES", folder.path())
        .stdin(Stdio::piped());
    let mut wrap = CommandWrap::from(cmd);
    #[cfg(unix)]
    wrap.wrap(process_wrap::tokio::ProcessGroup::leader());
    #[cfg(windows)]
    wrap.wrap(process_wrap::tokio::JobObject);
    wrap.wrap(KillOnDrop);
    let child = wrap.spawn().map_err(Failure::NotStarted)?;
    let mut running = Running(Some(child));
    let talk = running.talk(input);
    let outcome = match tokio::time::timeout(limit, talk).await {
        Ok(outcome) => outcome,
        Err(_) => Err(Failure::TimedOut(limit)),
    };
    if outcome.is_err() {
        running.end().await;
    }
    running.0 = None;
    drop(folder);
    outcome
}

/// How long the system's URL opener may take to hand a URL to the browser.
const OPENER_WAIT: Duration = Duration::from_secs(5);

/// Asks the system to open `url` in the browser (`xdg-open`, `open`, or Windows' URL
/// handler), without AdoPat's variables; true when it took it. The opener is waited for
/// a few seconds at most and then left alone, not ended: where no browser was running it
/// may have become the browser the user is signing in with.
pub fn open_in_browser(url: &str) -> bool {
    let (program, args): (&str, &[&str]) = if cfg!(windows) {
        ("rundll32.exe", &["url.dll,FileProtocolHandler"])
    } else if cfg!(target_os = "macos") {
        ("open", &[])
    } else {
        ("xdg-open", &[])
    };
    let mut cmd = std::process::Command::new(program);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("ADOPAT_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(args)
        .arg(url)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    let until = std::time::Instant::now() + OPENER_WAIT;
    while std::time::Instant::now() < until {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => return false,
        }
    }
    // Reaped whenever it ends, so it leaves no zombie behind.
    std::thread::spawn(move || child.wait());
    true
}

/// A started program; ended with its whole group when dropped before it was waited for
/// (a caller's deadline dropped the future).
struct Running(Option<Box<dyn ChildWrapper>>);

impl Running {
    async fn talk(&mut self, input: &[u8]) -> Result<Output, Failure> {
        let Some(child) = self.0.as_mut() else {
            return Err(Failure::Io(std::io::ErrorKind::NotFound.into()));
        };
        let mut stdin = child.stdin().take();
        let stdout = child.stdout().take();
        let stderr = child.stderr().take();
        let write = async {
            if let Some(stdin) = stdin.as_mut() {
                // A program that does not read its input is not an error here.
                let _ = stdin.write_all(input).await;
            }
            drop(stdin);
        };
        let (_, out, err) = tokio::join!(write, capped(stdout), capped(stderr));
        let (stdout, stderr) = (out?, err?);
        let status = child.wait().await.map_err(Failure::Io)?;
        Ok(Output {
            status,
            stdout: zeroize::Zeroizing::new(stdout),
            stderr,
        })
    }

    async fn end(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.start_kill();
            let _ = tokio::time::timeout(Duration::from_secs(2), child.wait()).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.start_kill();
        }
    }
}

async fn capped(stream: Option<impl AsyncRead + Unpin>) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    if let Some(stream) = stream {
        stream
            .take(MAX_OUTPUT + 1)
            .read_to_end(&mut bytes)
            .await
            .map_err(Failure::Io)?;
    }
    if bytes.len() as u64 > MAX_OUTPUT {
        return Err(Failure::TooMuch);
    }
    Ok(bytes)
}

#[cfg(test)]
mod portable_tests {
    use super::*;

    /// This test binary, asked to run `sleeper` below: a program that never answers, on
    /// every platform (Windows' under Wine included).
    fn never_answers() -> tokio::process::Command {
        let mut cmd = command(std::env::current_exe().unwrap());
        cmd.args(["--exact", "programs::portable_tests::sleeper", "--ignored"])
            .env("ADOPAT_TEST_SLEEPER", "1");
        cmd
    }

    #[test]
    #[ignore = "started by a_program_that_never_answers_is_ended_at_its_deadline"]
    fn sleeper() {
        // Set only by the test that starts it (and removed by `command` from its own
        // children, so it cannot start itself again).
        if std::env::var_os("ADOPAT_TEST_SLEEPER").is_some() {
            std::thread::sleep(Duration::from_secs(300));
        }
    }

    #[tokio::test]
    async fn a_program_that_never_answers_is_ended_at_its_deadline() {
        let started = std::time::Instant::now();
        let failure = run(never_answers(), b"", Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(matches!(failure, Failure::TimedOut(_)), "{failure:?}");
        assert!(started.elapsed() < Duration::from_secs(60));
    }

    #[tokio::test]
    async fn a_program_that_is_not_there_says_so() {
        let failure = run(
            command("adopat-no-such-program"),
            b"",
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert!(matches!(failure, Failure::NotStarted(_)), "{failure:?}");
        assert!(failure.said("git").starts_with("git could not be started"));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> tokio::process::Command {
        let mut cmd = command("sh");
        cmd.args(["-c", script]);
        cmd
    }

    #[tokio::test]
    async fn an_answer_is_read_with_the_input_given() {
        let out = run(sh("cat; echo done >&2"), b"hello", Duration::from_secs(10))
            .await
            .unwrap();
        assert!(out.status.success());
        assert_eq!(out.stdout.as_slice(), b"hello");
        assert_eq!(out.stderr, b"done\n");
    }

    #[tokio::test]
    async fn a_program_that_never_answers_is_ended_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        // The background sleep keeps stdout open: waiting for its end would be forever.
        let script = format!("sleep 300 & echo $! > {}; wait", pid_file.display());
        let started = std::time::Instant::now();
        let failure = run(sh(&script), b"", Duration::from_millis(500))
            .await
            .unwrap_err();
        assert!(matches!(failure, Failure::TimedOut(_)), "{failure:?}");
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(
            failure.said("git's credential helper"),
            "git's credential helper did not answer within 0.5 s"
        );
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let alive = std::path::Path::new("/proc").join(pid.trim());
        let gone = (0..50).any(|_| {
            std::thread::sleep(Duration::from_millis(20));
            !alive.exists()
                || std::fs::read_to_string(alive.join("stat")).is_ok_and(|s| s.contains(") Z"))
        });
        assert!(gone, "the helper's own child was ended too");
    }

    #[tokio::test]
    async fn endless_output_is_cut_and_the_program_ended() {
        let failure = run(sh("yes"), b"", Duration::from_secs(20))
            .await
            .unwrap_err();
        assert!(matches!(failure, Failure::TooMuch), "{failure:?}");
    }

    #[tokio::test]
    async fn the_child_runs_in_a_folder_of_its_own() {
        let here = std::env::current_dir().unwrap();
        let out = run(sh("pwd"), b"", Duration::from_secs(10)).await.unwrap();
        let folder = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert_ne!(std::path::Path::new(&folder), here);
        assert!(!std::path::Path::new(&folder).exists(), "removed after");
    }
}
