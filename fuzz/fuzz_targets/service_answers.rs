//! Azure DevOps answers are untrusted bytes: a proxy, a sign-in page, a truncated body or
//! a changed API can hand us anything. Reading a page of PATs or a create/update result
//! must fail with an error, never panic.
#![no_main]

use adopat_core::ado::models::{PagedPatTokens, PatTokenResult};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<PagedPatTokens>(data);
    let _ = serde_json::from_slice::<PatTokenResult>(data);
});
