//! Where a PAT is used on this machine: git's credentials, `.npmrc`, `NuGet.Config`,
//! Maven's `settings.xml`, `pip.conf` and `.netrc`, found as each client finds them.
//!
//! A place is changed only where it held the old secret, and which PAT a place holds is
//! known exactly, never guessed: AdoPat remembers a fingerprint of each secret it hands
//! over (`memory`), and a place it did not write is known to have held the old PAT when
//! its credential worked before the old PAT was revoked and fails right after
//! (`crate::rotate`). Everything else in a file stays byte for byte (`file`).

mod file;
mod git;
mod hosts;
mod maven;
pub mod memory;
mod netrc;
mod npmrc;
mod nuget;
mod pip;
mod rotation;
mod scope;
mod survey;

pub use rotation::{Preview, Rotation, Twin};
pub use scope::Scope;
pub use survey::{Chosen, Survey, survey, survey_of};

use crate::secret::Secret;
use serde::Serialize;
use std::ops::Range;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "PlaceKind"))]
pub enum Kind {
    Git,
    Npm,
    Nuget,
    Maven,
    Pip,
    Netrc,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Git => "git",
            Kind::Npm => "npm",
            Kind::Nuget => "nuget",
            Kind::Maven => "maven",
            Kind::Pip => "pip",
            Kind::Netrc => "netrc",
        }
    }
}

/// The PAT a place holds, when AdoPat knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PatRef {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub id: uuid::Uuid,
    pub name: String,
}

/// One credential for Azure DevOps on this machine, as `adopat places` shows it. Never
/// the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Place {
    pub kind: Kind,
    /// The file; `None` for git, whose credential helper keeps it.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub file: Option<PathBuf>,
    /// The registry key, source name, server id, index URL, host or git URL.
    pub entry: String,
    /// Where its client sends the credential, as the client reads the URL.
    pub host: String,
    /// `None` where the place serves every organization of its host (`.netrc` for
    /// `dev.azure.com`).
    pub org: Option<String>,
    pub pat: Option<PatRef>,
    /// Whether its credential works, when it was checked.
    pub works: Option<bool>,
}

impl Place {
    /// A short name for a sentence: the kind and the file's name or the entry.
    pub fn short(&self) -> String {
        match &self.file {
            Some(file) => format!(
                "{} ({})",
                file.file_name().unwrap_or_default().to_string_lossy(),
                crate::text::shortened(&self.entry, 60)
            ),
            None => format!("git ({})", self.entry),
        }
    }

    /// What a new PAT for this place needs, preselected when one is made for it: read
    /// access to packages for a feed, code read & write for git.
    pub fn suggested_scopes(&self) -> &'static [&'static str] {
        if hosts::is_feed_host(&self.host) {
            &["vso.packaging"]
        } else {
            &["vso.code_write"]
        }
    }

    /// How the CLI names it: `kind:entry` (`--put-in`, the JSON's place names).
    pub fn id(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.entry)
    }
}

/// What a regenerate (or a create told where to put its secret) did to the places.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Updates {
    pub updated: Vec<Place>,
    pub not_updated: Vec<NotUpdated>,
    /// What a write did beyond the secret (a file's access narrowed), to be said.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotUpdated {
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub place: Place,
    pub reason: String,
}

impl Updates {
    /// One or two sentences for a notification: which places got the new secret, and
    /// which could not.
    pub fn summary(&self) -> Option<String> {
        let names = |places: &mut dyn Iterator<Item = &Place>| {
            places.map(Place::short).collect::<Vec<_>>().join(", ")
        };
        let mut text = Vec::new();
        if !self.updated.is_empty() {
            text.push(format!(
                "Updated where it was used: {}.",
                names(&mut self.updated.iter())
            ));
        }
        if !self.not_updated.is_empty() {
            text.push(format!(
                "Not updated, put it there yourself: {}.",
                names(&mut self.not_updated.iter().map(|n| &n.place))
            ));
        }
        text.extend(self.notes.iter().map(|note| format!("{note}.")));
        (!text.is_empty()).then(|| text.join(" "))
    }

    fn extend(&mut self, other: Updates) {
        self.updated.extend(other.updated);
        self.not_updated.extend(other.not_updated);
        self.notes.extend(other.notes);
    }
}

/// How a file writes its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Plain,
    /// npm's `_password`.
    Base64,
    /// The password of a URL (pip's index URLs).
    UrlPassword,
}

impl Encoding {
    fn encode(self, secret: &Secret) -> zeroize::Zeroizing<String> {
        use base64::Engine;
        zeroize::Zeroizing::new(match self {
            Encoding::Plain => secret.expose().to_owned(),
            Encoding::Base64 => {
                base64::engine::general_purpose::STANDARD.encode(secret.expose().as_bytes())
            }
            Encoding::UrlPassword => pip::percent_encoded(secret.expose()),
        })
    }
}

/// A kind of place kept in a file: where its client looks for it, and how its
/// credentials read. A new kind is a file of its own and a line in `FILE_KINDS`.
struct FileKind {
    kind: Kind,
    /// The user's own files, as the client finds them: its variables, else the home.
    mine: fn(&scope::Vars, &std::path::Path) -> Vec<PathBuf>,
    /// Its files in a folder the user names (`--in`).
    in_dir: fn(&std::path::Path) -> Vec<PathBuf>,
    /// The Azure DevOps credentials in a file's text.
    find: fn(&str) -> Vec<Found>,
}

const FILE_KINDS: [FileKind; 5] = [
    npmrc::KIND,
    nuget::KIND,
    maven::KIND,
    pip::KIND,
    netrc::KIND,
];

/// A credential in a file: its entry, and exactly where its value is.
#[derive(Debug)]
pub(crate) struct Found {
    pub entry: String,
    pub host: String,
    pub org: Option<String>,
    /// Byte range of the value as the file writes it.
    pub value: Range<usize>,
    pub encoding: Encoding,
    /// `None` when the file keeps it in a form AdoPat cannot read (encrypted).
    pub secret: Option<Secret>,
}

/// The lines of a text with the byte offset each starts at, without `\r\n` or `\n`,
/// and without a byte-order mark on the first.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        match line.strip_prefix('\u{feff}') {
            Some(rest) if start == 0 => (start + '\u{feff}'.len_utf8(), rest),
            _ => (start, line),
        }
    })
}

/// The lines of an ini-like file (`.npmrc`, `pip.conf`) that are not comments (`#` or
/// `;` first), with their offsets as [`lines`] gives them.
pub(crate) fn uncommented_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    lines(text).filter(|(_, line)| {
        let trimmed = line.trim_start();
        !(trimmed.starts_with('#') || trimmed.starts_with(';'))
    })
}

/// Where `part`, a slice borrowed from `text`, lies in it.
pub(crate) fn offset_in(text: &str, part: &[u8]) -> Option<Range<usize>> {
    let base = text.as_ptr() as usize;
    let start = (part.as_ptr() as usize).checked_sub(base)?;
    (start + part.len() <= text.len()).then(|| start..start + part.len())
}
