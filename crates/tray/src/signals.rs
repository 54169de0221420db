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
    wall_clock_gaps(nudge).await;
    std::future::pending::<()>().await;
}

/// How often the wall clock is looked at where the system does not say it resumed.
#[cfg(not(target_os = "linux"))]
const LOOK: std::time::Duration = std::time::Duration::from_secs(60);

/// Windows and macOS: the system slept when the wall clock moved on far more than the
/// minute this loop waited (timers do not run during sleep, whatever the monotonic
/// clock does meanwhile).
#[cfg(not(target_os = "linux"))]
async fn wall_clock_gaps(nudge: mpsc::Sender<()>) {
    let mut last = std::time::SystemTime::now();
    loop {
        tokio::time::sleep(LOOK).await;
        let now = std::time::SystemTime::now();
        if slept(last, now, LOOK) {
            let _ = nudge.try_send(());
        }
        last = now;
    }
}

// Used on Windows and macOS; tested everywhere.
#[cfg_attr(target_os = "linux", allow(dead_code))]
/// Whether the wall clock went from `before` to `after` over a wait of `waited` with
/// the system asleep in between: more than two minutes beyond the wait.
pub fn slept(
    before: std::time::SystemTime,
    after: std::time::SystemTime,
    waited: std::time::Duration,
) -> bool {
    after
        .duration_since(before)
        .is_ok_and(|passed| passed > waited + std::time::Duration::from_secs(120))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn a_gap_in_the_wall_clock_is_a_sleep_and_a_late_timer_or_a_step_back_is_not() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let minute = Duration::from_secs(60);
        assert!(slept(t, t + Duration::from_secs(3600), minute));
        assert!(!slept(t, t + Duration::from_secs(61), minute));
        assert!(
            !slept(t, t + Duration::from_secs(170), minute),
            "a busy machine"
        );
        assert!(
            !slept(t, t - Duration::from_secs(3600), minute),
            "the clock set back"
        );
    }
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
