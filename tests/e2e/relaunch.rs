//! Quitting the window and starting it again at once, as a user who reopens quickly or
//! an autostart racing a manual start does, with the machine busy: the second start
//! hands over to the first while it answers, or waits for it to go and becomes the one
//! window; it never exits with an error.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const NAME: &str = "dev.adopat.desktop.SingleInstance";

fn owned() -> bool {
    let bus = zbus::blocking::Connection::session().expect("the private D-Bus session");
    let dbus = zbus::blocking::fdo::DBusProxy::new(&bus).unwrap();
    dbus.name_has_owner(zbus::names::BusName::try_from(NAME).unwrap())
        .unwrap()
}

fn until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

fn start(home: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_adopat-desktop"))
        .args(["--demo", "--no-tray"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("ADOPAT_CONFIG_DIR", home.join("adopat"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the app starts")
}

fn terminate(child: &Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}

/// Waits for `child` to end, ending it hard past `limit`; what it said on stderr.
fn reap(mut child: Child, limit: Duration) -> (Option<std::process::ExitStatus>, String) {
    let status = if until(limit, || matches!(child.try_wait(), Ok(Some(_)))) {
        child.try_wait().unwrap()
    } else {
        let _ = child.kill();
        let _ = child.wait();
        None
    };
    let mut said = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut said);
    }
    (status, said)
}

#[test]
fn a_start_while_the_window_quits_hands_over_or_becomes_the_window() {
    let home = tempfile::tempdir().unwrap();
    assert!(
        until(Duration::from_secs(10), || !owned()),
        "a window of an earlier test is still open"
    );
    // The machine busy, as CI's is: one spinning thread per core.
    let busy = Arc::new(AtomicBool::new(true));
    let load: Vec<_> = (0..2)
        .map(|_| {
            let busy = busy.clone();
            std::thread::spawn(move || {
                let mut n: u64 = 0;
                while busy.load(Ordering::Relaxed) {
                    n = n.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                n
            })
        })
        .collect();
    // Twelve rounds put the second start every 37 ms across the first's 400 ms of
    // leaving, once.
    for round in 0..12u64 {
        let first = start(home.path());
        assert!(
            until(Duration::from_secs(60), owned),
            "round {round}: the first window never became the instance"
        );
        // Leaving and starting again at once, at a different moment each round.
        std::thread::sleep(Duration::from_millis(round * 37));
        terminate(&first);
        let second = start(home.path());
        let (first_end, first_said) = reap(first, Duration::from_secs(30));
        assert!(
            first_end.is_some(),
            "round {round}: the first window did not quit: {first_said}"
        );
        // Either it handed over and left (exit 0), or it is the window now.
        let mut second = second;
        let became = until(Duration::from_secs(60), || {
            matches!(second.try_wait(), Ok(Some(_))) || owned()
        });
        assert!(
            became,
            "round {round}: the second start neither left nor became the window"
        );
        if let Ok(Some(status)) = second.try_wait() {
            let (_, said) = reap(second, Duration::from_secs(1));
            assert!(status.success(), "round {round}: {status}: {said}");
            continue;
        }
        terminate(&second);
        let (end, said) = reap(second, Duration::from_secs(30));
        assert!(
            end.is_some(),
            "round {round}: the second window did not quit: {said}"
        );
        assert!(!said.contains("could not start"), "round {round}: {said}");
        assert!(until(Duration::from_secs(10), || !owned()));
    }
    busy.store(false, Ordering::Relaxed);
    for thread in load {
        let _ = thread.join();
    }
}
