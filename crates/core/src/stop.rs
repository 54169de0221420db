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

#[cfg(test)]
mod tests {
    use super::*;

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
