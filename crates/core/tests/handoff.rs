#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! Core's one rule of a stop for a secret on the clipboard, which the window and the
//! tray both follow: handed over while a stop was asked for, it is served until it
//! clears; otherwise ending clears it at once. Read back as a paste would (xclip on the
//! test's X display, which `cargo xtask test` starts).

use adopat_core::Secret;
use adopat_core::handoff::{self, LeaseEnd, OnClipboard};
use adopat_test_support::clipboard;
use std::time::{Duration, Instant};

const CLEARS_AFTER: Duration = Duration::from_secs(2);

fn hold(secret: &Secret, during_stop: bool) -> OnClipboard {
    let on_clipboard = OnClipboard::default();
    let lease = handoff::copy(secret, Some(CLEARS_AFTER)).unwrap();
    let clears_in = on_clipboard.hold(lease, during_stop);
    assert!(clears_in.is_some_and(|left| left <= CLEARS_AFTER));
    assert_eq!(clipboard(), secret.expose());
    on_clipboard
}

#[test]
fn a_secret_handed_over_during_a_stop_is_served_until_it_clears() {
    let secret = Secret::new("handed-over-while-quitting");
    let started = Instant::now();
    let on_clipboard = hold(&secret, true);
    let ending = std::thread::spawn(move || on_clipboard.finish());
    // Still there while ending waits: a paste gets it.
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(clipboard(), secret.expose());
    assert_eq!(ending.join().unwrap(), Some(LeaseEnd::Cleared));
    assert!(
        started.elapsed() >= CLEARS_AFTER,
        "ended before the secret had its time"
    );
    assert_ne!(clipboard(), secret.expose());
}

#[test]
fn any_other_secret_is_cleared_when_the_face_ends() {
    let secret = Secret::new("handed-over-before-quitting");
    let on_clipboard = hold(&secret, false);
    let started = Instant::now();
    assert_eq!(on_clipboard.finish(), Some(LeaseEnd::Cleared));
    assert!(
        started.elapsed() < CLEARS_AFTER,
        "ending waited for the clear-after"
    );
    assert_ne!(clipboard(), secret.expose());
    assert_eq!(on_clipboard.finish(), None, "nothing is held any more");
}

#[test]
fn a_new_hand_off_takes_the_place_of_the_one_before() {
    let first = Secret::new("the-first-new-secret");
    let second = Secret::new("the-second-new-secret");
    let on_clipboard = hold(&first, true);
    let lease = handoff::copy(&second, Some(CLEARS_AFTER)).unwrap();
    on_clipboard.hold(lease, false);
    assert_eq!(clipboard(), second.expose());
    // The second was not handed over during a stop: ending clears it now.
    let started = Instant::now();
    assert_eq!(on_clipboard.finish(), Some(LeaseEnd::Cleared));
    assert!(started.elapsed() < CLEARS_AFTER);
    assert_ne!(clipboard(), second.expose());
}
