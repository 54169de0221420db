//! Which PAT the window should show, when the tray or a notification asks: the page
//! registers a channel once, and a request before that waits here for it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use tauri::ipc::Channel;
use uuid::Uuid;

#[derive(Default)]
pub struct Selection(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    pending: Option<Uuid>,
    page: Option<Channel<Uuid>>,
}

impl Selection {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn select(&self, id: Uuid) {
        let mut inner = self.inner();
        let sent = inner
            .page
            .as_ref()
            .is_some_and(|page| page.send(id).is_ok());
        if !sent {
            inner.pending = Some(id);
        }
    }

    /// The page is ready to select; a request that came first is delivered now.
    pub fn watch(&self, page: Channel<Uuid>) {
        let mut inner = self.inner();
        if let Some(id) = inner.pending.take() {
            let _ = page.send(id);
        }
        inner.page = Some(page);
    }
}

/// `--select ID` among a launch's arguments.
pub fn requested(args: &[String]) -> Option<Uuid> {
    let at = args.iter().position(|a| a == "--select")?;
    args.get(at + 1)?.parse().ok()
}
