//! The one type every PAT value and bearer token travels in.
//!
//! It has no `Display` and no `Serialize`, so a secret cannot slip into a log line, a
//! JSON payload or an IPC message by accident: reading it takes a call to `expose`,
//! which is easy to find in review.

use std::fmt;
use zeroize::Zeroizing;

#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The plain value, for the few places that must hand it on (an HTTP header, the
    /// clipboard, the keyring, `--print`).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

/// Deserializing is allowed: the value arrives in a service response and must be
/// captured without an intermediate plain `String` field on a model that derives Debug.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("abcd1234AZDOzz");
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("abcd1234"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn expose_returns_the_value() {
        assert_eq!(Secret::new("x1").expose(), "x1");
    }
}
