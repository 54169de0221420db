//! `Retry-After` is a header the server (or anything in between) controls, and its value
//! becomes a sleep. Whatever it says, reading it must not panic (no float-to-duration
//! overflow) and must never ask for a wait longer than MAX_RETRY_AFTER.
#![no_main]

use adopat_core::ado::client::{MAX_RETRY_AFTER, retry_after_value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|value: &str| {
    if let Some(wait) = retry_after_value(value) {
        assert!(
            wait <= MAX_RETRY_AFTER,
            "Retry-After {value:?} gave {wait:?}, more than {MAX_RETRY_AFTER:?}"
        );
    }
});
