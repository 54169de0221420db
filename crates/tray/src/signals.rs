//! What ends the tray (Ctrl-C, SIGTERM at logout) and what wakes it (the system
//! resuming from sleep), besides its own schedule and menu.

use tokio::sync::mpsc;

/// Ctrl-C or SIGTERM (logging out): end as Quit does, clearing the clipboard.
pub async fn ended() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// A round when the system wakes from sleep: timers do not run while it sleeps, so a
/// threshold crossed meanwhile would otherwise wait for the next wake-up.
pub async fn resumed(nudge: mpsc::Sender<()>) {
    #[cfg(target_os = "linux")]
    if let Err(e) = resume::watch(nudge).await {
        tracing::info!("not told when the system resumes: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    drop(nudge);
    std::future::pending::<()>().await;
}

#[cfg(target_os = "linux")]
mod resume {
    use futures::StreamExt;
    use tokio::sync::mpsc;

    #[zbus::proxy(
        interface = "org.freedesktop.login1.Manager",
        default_service = "org.freedesktop.login1",
        default_path = "/org/freedesktop/login1"
    )]
    trait Login1 {
        #[zbus(signal)]
        fn prepare_for_sleep(&self, start: bool) -> zbus::Result<()>;
    }

    pub async fn watch(nudge: mpsc::Sender<()>) -> zbus::Result<()> {
        let system = zbus::Connection::system().await?;
        let mut signals = Login1Proxy::new(&system)
            .await?
            .receive_prepare_for_sleep()
            .await?;
        while let Some(signal) = signals.next().await {
            if signal.args().is_ok_and(|a| !a.start) {
                let _ = nudge.try_send(());
            }
        }
        Ok(())
    }
}
