//! A request to stop (Ctrl-C, SIGTERM, the tray's Quit) that a change heeds only where
//! stopping loses nothing: before anything is created, or once a new secret has been
//! handed over. A request already sent is never abandoned half-way.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use tokio::sync::Notify;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Ctrl-C (SIGINT): the CLI exits 130.
    Interrupt,
    /// SIGTERM, or the app quitting: the CLI exits 143.
    Terminate,
}

impl StopReason {
    pub fn exit_code(self) -> i32 {
        match self {
            StopReason::Interrupt => 130,
            StopReason::Terminate => 143,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Stop {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// 0: not asked; else 1 + the reason's index.
    asked: AtomicU8,
    notify: Notify,
}

impl Stop {
    /// A stop that is never asked for (a caller with nothing to interrupt it).
    pub fn never() -> Self {
        Self::default()
    }

    /// The first reason given stays.
    pub fn ask(&self, reason: StopReason) {
        let code = match reason {
            StopReason::Interrupt => 1,
            StopReason::Terminate => 2,
        };
        let _ = self
            .inner
            .asked
            .compare_exchange(0, code, Ordering::AcqRel, Ordering::Acquire);
        self.inner.notify.notify_waiters();
    }

    pub fn asked(&self) -> Option<StopReason> {
        match self.inner.asked.load(Ordering::Acquire) {
            0 => None,
            1 => Some(StopReason::Interrupt),
            _ => Some(StopReason::Terminate),
        }
    }

    /// Resolves once a stop is asked for.
    pub async fn wait(&self) -> StopReason {
        loop {
            let notified = self.inner.notify.notified();
            if let Some(reason) = self.asked() {
                return reason;
            }
            notified.await;
        }
    }
}

/// The changes under way in an app (the window), so that quitting lets them reach a
/// point where nothing is lost first: it asks them to stop, then waits for them.
#[derive(Debug, Clone, Default)]
pub struct InFlight {
    stop: Stop,
    running: Arc<Running>,
}

#[derive(Debug, Default)]
struct Running {
    count: std::sync::atomic::AtomicUsize,
    done: Notify,
}

/// One change under way; it ends when this is dropped.
#[derive(Debug)]
pub struct Change {
    running: Arc<Running>,
}

impl Drop for Change {
    fn drop(&mut self) {
        self.running.count.fetch_sub(1, Ordering::AcqRel);
        self.running.done.notify_waiters();
    }
}

impl InFlight {
    /// What each change heeds.
    pub fn stop(&self) -> &Stop {
        &self.stop
    }

    pub fn begin(&self) -> Change {
        self.running.count.fetch_add(1, Ordering::AcqRel);
        Change {
            running: Arc::clone(&self.running),
        }
    }

    pub fn busy(&self) -> bool {
        self.running.count.load(Ordering::Acquire) > 0
    }

    /// Asks every change under way to stop where nothing is lost, and waits for them.
    pub async fn wind_down(&self, reason: StopReason) {
        self.stop.ask(reason);
        loop {
            let done = self.running.done.notified();
            if !self.busy() {
                return;
            }
            done.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn winding_down_waits_for_the_changes_under_way() {
        let changes = InFlight::default();
        let change = changes.begin();
        assert!(changes.busy());
        let heeded = changes.stop().clone();
        let finishing = tokio::spawn(async move {
            heeded.wait().await;
            drop(change);
        });
        changes.wind_down(StopReason::Terminate).await;
        assert!(!changes.busy());
        finishing.await.unwrap();
    }

    #[tokio::test]
    async fn the_first_reason_stays_and_waiters_wake() {
        let stop = Stop::never();
        assert_eq!(stop.asked(), None);
        let waiting = tokio::spawn({
            let stop = stop.clone();
            async move { stop.wait().await }
        });
        tokio::task::yield_now().await;
        stop.ask(StopReason::Terminate);
        stop.ask(StopReason::Interrupt);
        assert_eq!(waiting.await.unwrap(), StopReason::Terminate);
        assert_eq!(stop.asked().map(StopReason::exit_code), Some(143));
    }
}
