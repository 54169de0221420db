//! Where a new secret goes: the clipboard (default) or stdout (`--print`).

use adopat_core::handoff::{self, ClipboardLease, LeaseEnd};
use adopat_core::{Result, Secret};
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

pub struct Plan {
    print: bool,
    clear_after: Option<Duration>,
}

/// Checks, before anything is created, that the secret can be delivered.
pub fn plan(print: bool) -> Result<Plan> {
    let clear_after = handoff::clear_after_from_env(handoff::DEFAULT_CLEAR_SECONDS)?;
    if !print {
        handoff::check_available()?;
    }
    Ok(Plan { print, clear_after })
}

pub enum Delivered {
    Printed,
    Clipboard(ClipboardLease),
}

impl Plan {
    pub fn prints(&self) -> bool {
        self.print
    }

    pub fn deliver(&self, secret: &Secret) -> Result<Delivered> {
        if self.print {
            return Ok(Delivered::Printed);
        }
        handoff::copy(secret, self.clear_after).map(Delivered::Clipboard)
    }
}

impl Delivered {
    /// Tells the user where the secret is and, for the clipboard, stays until it is
    /// cleared: on X11 the clipboard lives only while this process serves it.
    pub async fn finish(self) {
        let Delivered::Clipboard(lease) = self else {
            return;
        };
        let when = match lease.clears_in() {
            Some(left) => format!("It will be cleared in {} s", left.as_secs_f64().round()),
            None if ClipboardLease::needs_process() => {
                "It stays until you copy something else".to_owned()
            }
            None => {
                eprintln!("The new PAT is on the clipboard, kept out of clipboard history.");
                lease.detach();
                return;
            }
        };
        let interactive = std::io::stdin().is_terminal();
        let hint = if interactive {
            "; press Enter to clear it now."
        } else {
            "."
        };
        eprintln!("The new PAT is on the clipboard, kept out of clipboard history. {when}{hint}");
        let clear = lease.clear_handle();
        if interactive {
            let on_enter = clear.clone();
            // A detached thread: stdin cannot be read without blocking, and the process
            // ends when the lease does.
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = std::io::stdin().lock().read_line(&mut line);
                on_enter.clear();
            });
        }
        let waiting = tokio::task::spawn_blocking(move || lease.wait());
        tokio::pin!(waiting);
        let end = tokio::select! {
            end = &mut waiting => end,
            _ = tokio::signal::ctrl_c() => {
                clear.clear();
                waiting.await
            }
        };
        match end {
            Ok(LeaseEnd::Cleared) => eprintln!("Cleared the clipboard."),
            Ok(LeaseEnd::Superseded) => {
                eprintln!("Something else was copied over the PAT; left the clipboard as it is.")
            }
            Err(_) => {}
        }
    }
}
