//! The chunking scheme: how one value longer than a keyring entry may hold is spread
//! over several entries, and how the head entry describes them. Pure functions; the
//! reading and writing is in the parent module.

use std::fmt;

/// The most bytes one entry holds: Windows Credential Manager's
/// `CRED_MAX_CREDENTIAL_BLOB_SIZE` (5 × 512). Used on every platform.
pub const MAX_ENTRY_BYTES: usize = 2560;

/// What a head entry that points at chunks starts with.
pub const HEADER_PREFIX: &str = "adopat-chunks:";

const VERSION: &str = "v1";

/// More chunks than this in a header is damage, not a credential (160 KiB).
const MAX_CHUNKS: usize = 64;

/// The user of chunk `index` (1-based) of the entry whose user is `user`.
pub fn chunk_user(user: &str, index: usize) -> String {
    format!("{user}#{index}")
}

/// Whether a value must go into chunks: it is too long for one entry, or it would
/// read back as a header.
pub fn needs_chunks(value: &str) -> bool {
    value.len() > MAX_ENTRY_BYTES || value.starts_with(HEADER_PREFIX)
}

/// Splits `value` into parts of at most `max` bytes, never inside a UTF-8 character.
/// `max` must be at least 4 (the longest UTF-8 character).
pub fn split(value: &str, max: usize) -> Vec<&str> {
    debug_assert!(max >= 4);
    let mut parts = Vec::with_capacity(value.len().div_ceil(max));
    let mut rest = value;
    while !rest.is_empty() {
        let mut end = max.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        let (part, tail) = rest.split_at(end);
        parts.push(part);
        rest = tail;
    }
    parts
}

/// What the head entry of a chunked value holds:
/// `adopat-chunks:v1:<count>:<total bytes>:<FNV-1a 64 of the value, 16 hex digits>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub count: usize,
    pub bytes: usize,
    pub checksum: u64,
}

/// Why a head entry that looks like a header cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadHeader {
    /// Written by a later AdoPat in a format this one does not know.
    UnknownVersion(String),
    Malformed,
}

impl fmt::Display for BadHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadHeader::UnknownVersion(version) => write!(
                f,
                "it was written in chunk format {version}, which this version of AdoPat does not know"
            ),
            BadHeader::Malformed => f.write_str("its chunk header is malformed"),
        }
    }
}

impl Header {
    pub fn for_value(value: &str, count: usize) -> Self {
        Self {
            count,
            bytes: value.len(),
            checksum: checksum(value),
        }
    }

    pub fn encode(&self) -> String {
        format!(
            "{HEADER_PREFIX}{VERSION}:{}:{}:{:016x}",
            self.count, self.bytes, self.checksum
        )
    }

    /// `None` when `head` is a plain value, not a header.
    pub fn parse(head: &str) -> Option<Result<Self, BadHeader>> {
        let rest = head.strip_prefix(HEADER_PREFIX)?;
        let mut fields = rest.split(':');
        let version = fields.next().unwrap_or_default();
        if version != VERSION {
            return Some(Err(BadHeader::UnknownVersion(
                version.chars().take(16).collect(),
            )));
        }
        let count = fields.next().and_then(|f| f.parse::<usize>().ok());
        let bytes = fields.next().and_then(|f| f.parse::<usize>().ok());
        let checksum = fields
            .next()
            .filter(|f| f.len() == 16)
            .and_then(|f| u64::from_str_radix(f, 16).ok());
        let (Some(count), Some(bytes), Some(checksum), None) =
            (count, bytes, checksum, fields.next())
        else {
            return Some(Err(BadHeader::Malformed));
        };
        let plausible = (1..=MAX_CHUNKS).contains(&count) && bytes <= count * MAX_ENTRY_BYTES;
        Some(if plausible {
            Ok(Self {
                count,
                bytes,
                checksum,
            })
        } else {
            Err(BadHeader::Malformed)
        })
    }

    /// Whether the reassembled `value` is the one this header was written for.
    pub fn matches(&self, value: &str) -> bool {
        value.len() == self.bytes && checksum(value) == self.checksum
    }
}

/// FNV-1a, 64 bit: detects a value reassembled from chunks of two different writes.
/// Not a security measure (the header sits in the same keyring as the chunks).
fn checksum(value: &str) -> u64 {
    value.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_never_cuts_a_character_and_loses_nothing() {
        let value = "aé€😀".repeat(700);
        for max in [4, 5, 7, 2560] {
            let parts = split(&value, max);
            assert!(parts.iter().all(|p| !p.is_empty() && p.len() <= max));
            assert_eq!(parts.concat(), value);
        }
    }

    #[test]
    fn split_fills_parts_up_to_the_limit() {
        let value = "x".repeat(2 * MAX_ENTRY_BYTES + 1);
        let sizes: Vec<usize> = split(&value, MAX_ENTRY_BYTES)
            .iter()
            .map(|p| p.len())
            .collect();
        assert_eq!(sizes, [MAX_ENTRY_BYTES, MAX_ENTRY_BYTES, 1]);
        assert!(split("", MAX_ENTRY_BYTES).is_empty());
    }

    #[test]
    fn header_round_trips_and_checks_the_value() {
        let header = Header::for_value("héllo", 2);
        let text = header.encode();
        assert!(text.starts_with("adopat-chunks:v1:2:6:"), "{text}");
        assert_eq!(Header::parse(&text), Some(Ok(header)));
        assert!(header.matches("héllo"));
        assert!(!header.matches("hallo!"));
    }

    #[test]
    fn plain_values_are_not_headers_and_bad_headers_are_told_apart() {
        assert_eq!(Header::parse("a refresh token"), None);
        assert_eq!(
            Header::parse("adopat-chunks:v9:1:1:0000000000000000"),
            Some(Err(BadHeader::UnknownVersion("v9".into())))
        );
        for bad in [
            "adopat-chunks:v1",
            "adopat-chunks:v1:x:1:0000000000000000",
            "adopat-chunks:v1:0:0:0000000000000000",
            "adopat-chunks:v1:1:9999:0000000000000000",
            "adopat-chunks:v1:1:1:00",
            "adopat-chunks:v1:1:1:0000000000000000:extra",
        ] {
            assert_eq!(Header::parse(bad), Some(Err(BadHeader::Malformed)), "{bad}");
        }
    }

    #[test]
    fn values_that_look_like_headers_are_chunked() {
        assert!(needs_chunks("adopat-chunks:v1:1:1:0000000000000000"));
        assert!(!needs_chunks(&"a".repeat(MAX_ENTRY_BYTES)));
        assert!(needs_chunks(&"a".repeat(MAX_ENTRY_BYTES + 1)));
    }
}
