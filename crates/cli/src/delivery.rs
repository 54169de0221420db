//! Where a new secret goes: the clipboard (default) or stdout (`--print`). Either way it
//! goes there inside the hand-off, before an old PAT is revoked, so that an interruption
//! after that point leaves the user holding the new secret.

use crate::output::{self, PatJson};
use adopat_core::handoff::{Clipboard, ClipboardLease, LeaseEnd};
use adopat_core::inventory::Pat;
use adopat_core::{Error, Result, Secret};
use std::io::{BufRead, IsTerminal};

pub struct Route {
    print: bool,
    json: bool,
    clipboard: Clipboard,
}

/// How a printed secret is written: alone on its line, or in the command's JSON object.
/// A regenerate's object is left open for `oldRevoked`, known only after the revoke.
#[derive(Clone, Copy)]
pub enum Shape {
    /// `then_places`: the object is left open for the places it was put in.
    Created {
        then_places: bool,
    },
    Twin {
        replaces: uuid::Uuid,
    },
}

/// Checks, before anything is created, that the secret can be delivered.
pub fn route(print: bool, json: bool) -> Result<Route> {
    let clipboard = Clipboard::from_env()?;
    if !print {
        clipboard.check().map_err(|e| {
            Error::Clipboard(format!(
                "{e} Use --print to write the secret to stdout instead."
            ))
        })?;
    }
    Ok(Route {
        print,
        json,
        clipboard,
    })
}

pub enum Delivered {
    Printed,
    Clipboard(ClipboardLease),
}

impl Route {
    pub fn prints(&self) -> bool {
        self.print
    }

    /// To the clipboard whatever the route (`copy`).
    pub fn copy(&self, secret: &Secret) -> Result<Delivered> {
        self.clipboard.copy(secret).map(Delivered::Clipboard)
    }

    pub fn deliver(&self, pat: &Pat, secret: &Secret, shape: Shape) -> Result<Delivered> {
        if !self.print {
            return self.clipboard.copy(secret).map(Delivered::Clipboard);
        }
        let written = match (self.json, shape) {
            (false, _) => output::print_line(secret.expose()),
            (true, Shape::Created { then_places: false }) => output::print_json(&PatJson {
                token: Some(secret.expose()),
                ..PatJson::plain(pat)
            }),
            (true, Shape::Created { then_places: true }) => output::print_json_open(&PatJson {
                token: Some(secret.expose()),
                ..PatJson::plain(pat)
            }),
            (true, Shape::Twin { replaces }) => output::print_json_open(&PatJson {
                token: Some(secret.expose()),
                replaces: Some(replaces),
                ..PatJson::plain(pat)
            }),
        };
        written
            .map(|()| Delivered::Printed)
            .map_err(|e| Error::Other(format!("could not write the new secret to stdout: {e}.")))
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
