//! Ctrl-C and SIGTERM become a stop request (`adopat_core::stop`): a read ends at once,
//! a change ends where ending loses nothing, then the CLI exits 130 or 143 after saying
//! what was done.

use adopat_core::stop::{Stop, StopReason};

pub fn listen(stop: &Stop) {
    let on_ctrl_c = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.ask(StopReason::Interrupt);
        }
    });
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let on_term = stop.clone();
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::spawn(async move {
                if term.recv().await.is_some() {
                    on_term.ask(StopReason::Terminate);
                }
            });
        }
    }
}
