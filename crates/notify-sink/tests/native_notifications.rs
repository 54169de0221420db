#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Core's notifications go through the real D-Bus Notifications API to the sink, in the
//! private session bus of `cargo xtask test`.

use adopat_core::reminders::Notice;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn a_notice_reaches_the_session_notification_server() {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .expect("needs the private D-Bus session: run with `cargo xtask test`");
    assert!(
        !bus.contains("/run/user/"),
        "refusing a real user session ({bus})"
    );
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("notifications.jsonl");
    let mut sink = Command::new(env!("CARGO_BIN_EXE_notify-sink"))
        .arg(&log)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut ready = String::new();
    BufReader::new(sink.stdout.take().unwrap())
        .read_line(&mut ready)
        .unwrap();
    assert_eq!(ready.trim(), "ready");

    let notice = Notice {
        title: "PAT 'nuget-feed' (contoso) expires in 3 days".into(),
        body: "Extend or regenerate it in AdoPat before it breaks what uses it.".into(),
        pat: None,
    };
    adopat_core::notify::show(&notice, "adopat").unwrap();
    let _ = sink.kill();
    let _ = sink.wait();

    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["summary"], notice.title);
    assert_eq!(lines[0]["appName"], "AdoPat");
    assert_eq!(lines[0]["appIcon"], "adopat");
}
