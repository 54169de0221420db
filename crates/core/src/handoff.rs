//! Hands a new secret to the user through the clipboard, as careful password managers
//! do: marked to stay out of clipboard history, and cleared after a while unless the
//! user has copied something else meanwhile.
//!
//! On X11 the clipboard is served by the process that set it, so a lease keeps a thread
//! (and its `Clipboard`) alive until the secret is cleared or superseded.

mod held;

pub use held::{Clipboard, Finishing, OnClipboard, no_longer_held};

use crate::error::{Error, Result};
use crate::secret::Secret;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const CLEAR_SECONDS_ENV: &str = "ADOPAT_CLIPBOARD_CLEAR_SECONDS";
pub const DEFAULT_CLEAR_SECONDS: u64 = 45;

/// The clear-after delay from `ADOPAT_CLIPBOARD_CLEAR_SECONDS`, else `default`; `None`
/// means never clear.
pub fn clear_after_from_env(default: u64) -> Result<Option<Duration>> {
    let seconds = match std::env::var(CLEAR_SECONDS_ENV) {
        Ok(text) => text.trim().parse::<u64>().map_err(|_| {
            Error::invalid(
                CLEAR_SECONDS_ENV,
                format!("'{text}' is not a number of seconds (0 = never clear)"),
            )
        })?,
        Err(_) => default,
    };
    Ok((seconds > 0).then(|| Duration::from_secs(seconds)))
}

/// Fails early, before anything is created, when there is no clipboard to hand off to.
pub fn check_available() -> Result<()> {
    open().map(drop).map_err(unavailable)
}

/// A connection to the clipboard. An X server under load can refuse a new connection for
/// a moment (seen on a busy 2-core machine: a regenerate handed back as "clipboard not
/// available"), so a failed connection is tried twice more within a quarter second; with
/// no clipboard at all that is all it costs.
fn open() -> Result<arboard::Clipboard, arboard::Error> {
    retried(arboard::Clipboard::new)
}

fn retried<T, E>(mut connect: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    let mut waits = [Duration::from_millis(50), Duration::from_millis(200)].into_iter();
    loop {
        match connect() {
            Ok(clipboard) => return Ok(clipboard),
            Err(error) => match waits.next() {
                Some(wait) => std::thread::sleep(wait),
                None => return Err(error),
            },
        }
    }
}

fn unavailable(e: arboard::Error) -> Error {
    Error::Clipboard(format!("The clipboard is not available ({e})."))
}

/// How a lease ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseEnd {
    /// The secret was taken off the clipboard.
    Cleared,
    /// The user copied something else over it, which is left alone.
    Superseded,
}

/// Asks a lease to clear now, from any thread (Enter, Ctrl-C, closing a pane).
#[derive(Clone)]
pub struct ClearHandle(mpsc::Sender<()>);

impl ClearHandle {
    pub fn clear(&self) {
        let _ = self.0.send(());
    }
}

/// A secret on the clipboard, with its clearing pending.
pub struct ClipboardLease {
    stop: mpsc::Sender<()>,
    worker: Option<JoinHandle<LeaseEnd>>,
    clears_at: Option<Instant>,
}

impl ClipboardLease {
    pub fn clears_in(&self) -> Option<Duration> {
        self.clears_at
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    pub fn clear_handle(&self) -> ClearHandle {
        ClearHandle(self.stop.clone())
    }

    /// Blocks until the lease ends: cleared on time or on request, or superseded.
    pub fn wait(mut self) -> LeaseEnd {
        self.end()
    }

    /// Clears the clipboard now if it still holds the secret, and ends the lease.
    pub fn clear_now(mut self) -> LeaseEnd {
        let _ = self.stop.send(());
        self.end()
    }

    /// Leaves the secret on the clipboard with no clearing, where the platform keeps it
    /// without this process (Windows, macOS). On X11 the content goes with the process.
    pub fn detach(mut self) {
        self.worker = None;
    }

    /// Whether the clipboard's content lives only as long as this process serves it.
    pub fn needs_process() -> bool {
        cfg!(target_os = "linux")
    }

    fn end(&mut self) -> LeaseEnd {
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(end)) => end,
            _ => LeaseEnd::Cleared,
        }
    }
}

impl Drop for ClipboardLease {
    /// Quitting clears the clipboard too: a secret must not outlive the app that put it
    /// there by surprise.
    fn drop(&mut self) {
        if self.worker.is_some() {
            let _ = self.stop.send(());
            self.end();
        }
    }
}

/// Puts `secret` on the clipboard and returns once it is there.
pub fn copy(secret: &Secret, clear_after: Option<Duration>) -> Result<ClipboardLease> {
    let clears_at = clear_after.map(|d| Instant::now() + d);
    let (ready_tx, ready_rx) = mpsc::channel::<Result<()>>();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let secret = secret.clone();
    let worker = std::thread::Builder::new()
        .name("clipboard".into())
        .spawn(move || serve(secret, clears_at, ready_tx, stop_rx))
        .map_err(|e| Error::Clipboard(format!("could not start the clipboard thread: {e}")))?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(ClipboardLease {
            stop: stop_tx,
            worker: Some(worker),
            clears_at,
        }),
        Ok(Err(error)) => {
            let _ = worker.join();
            Err(error)
        }
        Err(_) => Err(Error::Clipboard("the clipboard thread stopped".into())),
    }
}

fn serve(
    secret: Secret,
    clears_at: Option<Instant>,
    ready: mpsc::Sender<Result<()>>,
    stop: mpsc::Receiver<()>,
) -> LeaseEnd {
    let mut clipboard = match open() {
        Ok(c) => c,
        Err(e) => {
            let _ = ready.send(Err(unavailable(e)));
            return LeaseEnd::Cleared;
        }
    };
    if let Err(e) = set(&mut clipboard, &secret) {
        let _ = ready.send(Err(Error::Clipboard(format!(
            "could not copy to the clipboard: {e}"
        ))));
        return LeaseEnd::Cleared;
    }
    let _ = ready.send(Ok(()));
    hold(&mut clipboard, &secret, clears_at, &stop);
    clear_if_ours(&mut clipboard, &secret)
}

/// Clears only what is still ours: a user who copied something else keeps it.
fn clear_if_ours(clipboard: &mut arboard::Clipboard, secret: &Secret) -> LeaseEnd {
    let still_ours = clipboard
        .get_text()
        .map(|t| t.as_str() == secret.expose())
        .unwrap_or(false);
    if still_ours {
        let _ = clipboard.clear();
        LeaseEnd::Cleared
    } else {
        LeaseEnd::Superseded
    }
}

/// Waits for the deadline or a stop request, watching for the user copying something
/// else; the `Clipboard` kept alive here is what serves the selection on X11.
fn hold(
    clipboard: &mut arboard::Clipboard,
    secret: &Secret,
    clears_at: Option<Instant>,
    stop: &mpsc::Receiver<()>,
) {
    const SLICE: Duration = Duration::from_millis(250);
    loop {
        let slice = match clears_at {
            Some(at) => match at.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => left.min(SLICE),
                _ => return,
            },
            None => SLICE,
        };
        match stop.recv_timeout(slice) {
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            _ => return,
        }
        let ours = clipboard
            .get_text()
            .map(|t| t.as_str() == secret.expose())
            .unwrap_or(false);
        if !ours {
            return;
        }
    }
}

fn set(clipboard: &mut arboard::Clipboard, secret: &Secret) -> Result<(), arboard::Error> {
    let text = secret.expose().to_owned();
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        clipboard.set().exclude_from_history().text(text)
    }
    #[cfg(target_os = "windows")]
    {
        use arboard::SetExtWindows;
        clipboard
            .set()
            .exclude_from_cloud()
            .exclude_from_history()
            .text(text)
    }
    #[cfg(target_os = "macos")]
    {
        use arboard::SetExtApple;
        clipboard.set().exclude_from_history().text(text)
    }
    #[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
    {
        clipboard.set_text(text)
    }
}

#[cfg(test)]
mod open_tests {
    use super::retried;

    #[test]
    fn a_connection_refused_for_a_moment_is_tried_again() {
        let mut tries = 0;
        let opened = retried(|| {
            tries += 1;
            if tries < 3 {
                Err("refused")
            } else {
                Ok("open")
            }
        });
        assert_eq!(opened, Ok("open"));
        assert_eq!(tries, 3);
    }

    #[test]
    fn no_clipboard_at_all_is_said_after_three_tries() {
        let mut tries = 0;
        let opened: Result<(), _> = retried(|| {
            tries += 1;
            Err("no display")
        });
        assert_eq!(opened, Err("no display"));
        assert_eq!(tries, 3);
    }
}
