//! What a user types (`--name`, `--expires`, `--expiring-within`, `--scope`) reaches the
//! checks in adopat_core::input unfiltered. They must answer with an error naming the
//! field, never panic (date arithmetic overflow, slicing inside a UTF-8 char, ...), and an
//! accepted name must be non-empty and free of control characters.
#![no_main]

use adopat_core::input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // Fixed so that a failure reproduces: 2026-11-18T04:53:20Z.
    let now = jiff::Timestamp::from_second(1_795_000_000).expect("a valid timestamp");

    if let Ok(name) = input::name(text) {
        assert!(!name.is_empty(), "name {text:?} accepted as empty");
        assert!(
            !name.chars().any(char::is_control),
            "name {text:?} accepted with a control character: {name:?}"
        );
    }
    let _ = input::expiry(text, now);
    let _ = input::within(text, now);
    // `--scope` may be repeated: try the text whole and split into several values.
    let _ = input::scope_list(&[text.to_owned()]);
    let _ = input::scope_list(&text.split(',').map(str::to_owned).collect::<Vec<_>>());
});
