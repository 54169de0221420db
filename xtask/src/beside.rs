//! Work that runs beside the tests, on what CPU they leave idle: they spend much of their
//! minutes waiting on windows and WebDriver. A piece writes to a log of its own under
//! target/, so that its lines do not mix with the tests'.

use anyhow::{Context, Result, anyhow, bail};
use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A piece under way. Dropped without `finish` (the run failed before it), it kills the
/// program it is running and starts no other. What that program started itself stops
/// on its own: a fuzz target within its 15 s, a compiler with its crate.
pub struct Beside {
    what: &'static str,
    worker: Option<JoinHandle<Result<()>>>,
    running: Arc<Mutex<Running>>,
    log_path: PathBuf,
    started: Instant,
}

#[derive(Default)]
struct Running {
    child: Option<Child>,
    ended: bool,
}

/// Runs `commands` one after the other in a thread, all writing to target/`log_name`;
/// the first that fails ends the piece.
pub fn start(what: &'static str, log_name: &str, commands: Vec<Command>) -> Result<Beside> {
    let log_path = crate::root().join("target").join(log_name);
    std::fs::create_dir_all(crate::root().join("target"))?;
    let log =
        File::create(&log_path).with_context(|| format!("creating {}", log_path.display()))?;
    eprintln!(
        "xtask: [{}] {what} runs beside: {}",
        crate::since_start(),
        log_path.display()
    );
    let running = Arc::new(Mutex::new(Running::default()));
    let shared = Arc::clone(&running);
    let worker = std::thread::spawn(move || -> Result<()> {
        for mut cmd in commands {
            let described = crate::describe(&cmd);
            cmd.stdout(log.try_clone()?).stderr(log.try_clone()?);
            {
                let mut running = shared.lock().map_err(|_| anyhow!("poisoned"))?;
                if running.ended {
                    bail!("ended before {described}");
                }
                running.child = Some(
                    cmd.spawn()
                        .with_context(|| format!("could not start {described}"))?,
                );
            }
            let status = wait(&shared)?;
            if !status.success() {
                bail!("{described} failed ({status})");
            }
        }
        Ok(())
    });
    Ok(Beside {
        what,
        worker: Some(worker),
        running,
        log_path,
        started: Instant::now(),
    })
}

impl Beside {
    /// Waits for the piece; on failure its log's last lines are shown, which hold the
    /// compiler's or the fuzzer's own words.
    pub fn finish(mut self) -> Result<()> {
        let waiting = Instant::now();
        let outcome = self
            .worker
            .take()
            .context("finished twice")?
            .join()
            .unwrap_or_else(|_| Err(anyhow!("the thread running {} panicked", self.what)));
        match &outcome {
            Ok(()) => eprintln!(
                "xtask: [{}] {} passed beside (took {:.0} s, {:.0} s of it waited for; {})",
                crate::since_start(),
                self.what,
                self.started.elapsed().as_secs_f64(),
                waiting.elapsed().as_secs_f64(),
                self.log_path.display()
            ),
            Err(_) => {
                let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(120).collect();
                for line in tail.into_iter().rev() {
                    eprintln!("{}: {line}", self.what);
                }
            }
        }
        outcome.with_context(|| format!("{} failed: see {}", self.what, self.log_path.display()))
    }
}

impl Drop for Beside {
    fn drop(&mut self) {
        let Some(worker) = self.worker.take() else {
            return;
        };
        if let Ok(mut running) = self.running.lock() {
            running.ended = true;
            if let Some(child) = running.child.as_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = worker.join();
    }
}

/// Polls rather than blocks, so that the lock is free for `Drop` to end the child.
fn wait(shared: &Mutex<Running>) -> Result<ExitStatus> {
    loop {
        {
            let mut running = shared.lock().map_err(|_| anyhow!("poisoned"))?;
            let child = running.child.as_mut().context("no program running")?;
            if let Some(status) = child.try_wait()? {
                running.child = None;
                return Ok(status);
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}
