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
mod scope;

pub use scope::Scope;

use crate::inventory::{Inventory, Pat};
use crate::secret::Secret;
use serde::Serialize;
use std::collections::BTreeMap;
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
        let feed = match self.kind {
            Kind::Git => false,
            Kind::Netrc => self.entry.contains("pkgs."),
            _ => true,
        };
        if feed {
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
        (!text.is_empty()).then(|| text.join(" "))
    }

    pub fn is_empty(&self) -> bool {
        self.updated.is_empty() && self.not_updated.is_empty()
    }

    fn extend(&mut self, other: Updates) {
        self.updated.extend(other.updated);
        self.not_updated.extend(other.not_updated);
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

/// A credential in a file: its entry, and exactly where its value is.
#[derive(Debug)]
pub(crate) struct Found {
    pub entry: String,
    pub org: Option<String>,
    /// Byte range of the value as the file writes it.
    pub value: Range<usize>,
    pub encoding: Encoding,
    /// `None` when the file keeps it in a form AdoPat cannot read (encrypted).
    pub secret: Option<Secret>,
}

/// Where a found credential lives, for writing it back.
#[derive(Debug)]
enum At {
    File {
        value: Range<usize>,
        encoding: Encoding,
    },
    Git(git::Credential),
}

#[derive(Debug)]
struct Holding {
    place: Place,
    secret: Option<Secret>,
    at: At,
}

/// Every place found, with what each holds. The secrets stay in here.
#[derive(Debug, Default)]
pub struct Survey {
    holdings: Vec<Holding>,
    /// Each file's bytes as read: a file that changed since is not written.
    read: BTreeMap<PathBuf, Vec<u8>>,
    /// Files that could not be read, and why.
    pub problems: Vec<String>,
}

/// Finds the places in `scope`; git is asked about each of `orgs`. The PAT of each is
/// filled in from what AdoPat remembers handing over.
pub async fn survey(scope: &Scope, orgs: &[String]) -> Survey {
    let mut survey = Survey::default();
    for (kind, path) in scope.files() {
        let bytes = match crate::files::read_capped(&path, file::MAX_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => continue,
            Err(e) => {
                survey.problems.push(e.to_string());
                continue;
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            survey
                .problems
                .push(format!("{} is not UTF-8 text; skipped", path.display()));
            continue;
        };
        let found = match kind {
            Kind::Npm => npmrc::find(text),
            Kind::Nuget => nuget::find(text),
            Kind::Maven => maven::find(text),
            Kind::Pip => pip::find(text),
            Kind::Netrc => netrc::find(text),
            Kind::Git => Vec::new(),
        };
        for f in found {
            survey.holdings.push(Holding {
                place: Place {
                    kind,
                    file: Some(path.clone()),
                    entry: f.entry,
                    org: f.org,
                    pat: None,
                    works: None,
                },
                secret: f.secret,
                at: At::File {
                    value: f.value,
                    encoding: f.encoding,
                },
            });
        }
        survey.read.insert(path, bytes);
    }
    if scope.git {
        for credential in git::credentials(orgs).await {
            survey.holdings.push(Holding {
                place: Place {
                    kind: Kind::Git,
                    file: None,
                    entry: credential.url(),
                    org: credential.org.clone(),
                    pat: None,
                    works: None,
                },
                secret: Some(credential.secret.clone()),
                at: At::Git(credential),
            });
        }
    }
    if let Some(dir) = &scope.memory {
        let memory = memory::Memory::load(dir);
        for holding in &mut survey.holdings {
            if let Some(secret) = &holding.secret
                && let Some(known) = memory.pat_of(secret)
            {
                holding.place.pat = Some(known.pat());
                holding.place.org.get_or_insert_with(|| known.org.clone());
            }
        }
    }
    survey
}

impl Survey {
    pub fn places(&self) -> Vec<Place> {
        self.holdings.iter().map(|h| h.place.clone()).collect()
    }

    /// Asks Azure DevOps once per place whether its credential works (`connectionData`
    /// of its organization; of each organization in turn for a place that serves all).
    pub async fn check(&mut self, inventory: &Inventory) {
        let orgs: Vec<String> = inventory.targets().iter().map(|t| t.name.clone()).collect();
        for i in 0..self.holdings.len() {
            let works = self.works(i, inventory, &orgs).await;
            self.holdings[i].place.works = works;
        }
    }

    async fn works(&self, i: usize, inventory: &Inventory, orgs: &[String]) -> Option<bool> {
        let holding = &self.holdings[i];
        let secret = holding.secret.as_ref()?;
        let client = &inventory.targets().first()?.client;
        let tried: Vec<&str> = match &holding.place.org {
            Some(org) => vec![org.as_str()],
            None => orgs.iter().map(String::as_str).collect(),
        };
        let mut answered = false;
        for org in tried {
            match client.credential_works(org, secret).await {
                Ok(true) => return Some(true),
                Ok(false) => answered = true,
                Err(e) => tracing::debug!("checking {}: {e}", holding.place.id()),
            }
        }
        answered.then_some(false)
    }

    /// The places that hold `pat`, by what AdoPat remembers.
    fn holding(&self, pat: &Pat) -> Vec<usize> {
        (0..self.holdings.len())
            .filter(|&i| {
                self.holdings[i]
                    .place
                    .pat
                    .as_ref()
                    .is_some_and(|p| p.id == pat.id)
            })
            .collect()
    }

    /// Places of `pat`'s organization (or of every organization) whose PAT AdoPat does
    /// not know: they may hold it.
    fn unknown_of(&self, pat: &Pat) -> Vec<usize> {
        (0..self.holdings.len())
            .filter(|&i| {
                let place = &self.holdings[i].place;
                self.holdings[i].secret.is_some()
                    && place.pat.is_none()
                    && place.org.as_ref().is_none_or(|org| {
                        pat.global || pat.orgs.iter().any(|o| o.eq_ignore_ascii_case(org))
                    })
            })
            .collect()
    }

    /// Writes `secret` into the places `which`, each file once and only where its bytes
    /// are still those read; a place that fails does not stop the others.
    async fn write(&mut self, which: &[usize], secret: &Secret, pat: &Pat) -> Updates {
        let mut updates = Updates::default();
        let mut by_file: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        for &i in which {
            match &self.holdings[i].at {
                At::Git(credential) => {
                    let place = self.holdings[i].place.clone();
                    match git::replace(credential, secret).await {
                        Ok(()) => updates.updated.push(place),
                        Err(reason) => updates.not_updated.push(NotUpdated { place, reason }),
                    }
                }
                At::File { .. } => {
                    if let Some(path) = self.holdings[i].place.file.clone() {
                        by_file.entry(path).or_default().push(i);
                    }
                }
            }
        }
        for (path, indices) in by_file {
            let Some(read) = self.read.get(&path) else {
                continue;
            };
            let changes: Vec<(Range<usize>, Encoding)> = indices
                .iter()
                .filter_map(|&i| match &self.holdings[i].at {
                    At::File { value, encoding } => Some((value.clone(), *encoding)),
                    At::Git(_) => None,
                })
                .collect();
            let places = indices.iter().map(|&i| self.holdings[i].place.clone());
            match file::replace_values(&path, read, &changes, secret) {
                Ok(written) => {
                    self.read.insert(path, written);
                    updates.updated.extend(places);
                }
                Err(reason) => updates.not_updated.extend(places.map(|place| NotUpdated {
                    place,
                    reason: reason.clone(),
                })),
            }
        }
        for place in &mut updates.updated {
            place.pat = Some(PatRef {
                id: pat.id,
                name: pat.name.clone(),
            });
            place.works = None;
        }
        updates
    }
}

/// Places the user named to receive a new secret (`create --put-in`), found before the
/// PAT is made so a typo costs nothing.
#[derive(Debug)]
pub struct Chosen(Vec<usize>);

impl Survey {
    /// The places named `kind:entry` (as `places` shows them); an error names what is
    /// unknown or ambiguous.
    pub fn choose(&self, ids: &[String]) -> crate::Result<Chosen> {
        let mut chosen = Vec::new();
        for id in ids {
            let matching: Vec<usize> = (0..self.holdings.len())
                .filter(|&i| self.holdings[i].place.id() == *id)
                .collect();
            match matching.as_slice() {
                [one] => chosen.push(*one),
                [] => {
                    return Err(crate::Error::invalid(
                        "place",
                        format!(
                            "'{}' is not a place AdoPat found on this machine",
                            crate::text::printable(id)
                        ),
                    ));
                }
                several => {
                    let files: Vec<String> = several
                        .iter()
                        .filter_map(|&i| self.holdings[i].place.file.as_ref())
                        .map(|f| f.display().to_string())
                        .collect();
                    return Err(crate::Error::invalid(
                        "place",
                        format!(
                            "'{}' is in several files ({}); keep one folder to look in",
                            crate::text::printable(id),
                            files.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(Chosen(chosen))
    }

    /// Writes a new PAT's secret into the places chosen, whatever they held.
    pub async fn put(&mut self, chosen: &Chosen, pat: &Pat, secret: &Secret) -> Updates {
        self.write(&chosen.0, secret, pat).await
    }
}

/// What a regenerate of a PAT would do to the places (`regenerate --dry-run`): nothing is
/// created, written or sent with a found credential.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Known to hold the PAT: they would get the new token before the old is revoked.
    pub would_update: Vec<Place>,
    /// Their PAT is not known: each would be checked before and after the revoke, and
    /// updated if it stopped working then.
    pub would_check: Vec<Place>,
}

impl Preview {
    pub async fn of(scope: &Scope, inventory: &Inventory, old: &Pat) -> Self {
        let orgs: Vec<String> = inventory.targets().iter().map(|t| t.name.clone()).collect();
        let survey = survey(scope, &orgs).await;
        let pick = |which: Vec<usize>| {
            which
                .iter()
                .map(|&i| survey.holdings[i].place.clone())
                .collect()
        };
        let would_check = if old.status == crate::inventory::Status::Active {
            pick(survey.unknown_of(old))
        } else {
            Vec::new()
        };
        Self {
            would_update: pick(survey.holding(old)),
            would_check,
        }
    }
}

/// What a regenerate does with the places of the PAT it replaces: found before the
/// twin is made, written after its secret is handed over.
#[derive(Debug, Default)]
pub struct Rotation {
    survey: Survey,
    /// Known to hold the old PAT.
    held: Vec<usize>,
    /// Not known, and working while the old PAT is active: those failing once it is
    /// revoked held it.
    watched: Vec<usize>,
    updates: Updates,
}

impl Rotation {
    pub async fn prepare(scope: &Scope, inventory: &Inventory, old: &Pat) -> Self {
        let orgs: Vec<String> = inventory.targets().iter().map(|t| t.name.clone()).collect();
        let mut survey = survey(scope, &orgs).await;
        let held = survey.holding(old);
        let mut watched = Vec::new();
        if old.status == crate::inventory::Status::Active {
            for i in survey.unknown_of(old) {
                if survey.works(i, inventory, &orgs).await == Some(true) {
                    survey.holdings[i].place.works = Some(true);
                    watched.push(i);
                }
            }
        }
        Self {
            survey,
            held,
            watched,
            updates: Updates::default(),
        }
    }

    /// Writes the new secret where the old PAT is known to be; before the revoke, so
    /// those places never stop working.
    pub async fn write_known(&mut self, new: &Pat, secret: &Secret) {
        let held = std::mem::take(&mut self.held);
        let done = self.survey.write(&held, secret, new).await;
        self.updates.extend(done);
    }

    /// After the old PAT is revoked: the watched places that stopped working held it.
    pub async fn write_learned(&mut self, inventory: &Inventory, new: &Pat, secret: &Secret) {
        let orgs: Vec<String> = inventory.targets().iter().map(|t| t.name.clone()).collect();
        let mut learned = Vec::new();
        for i in std::mem::take(&mut self.watched) {
            match self.survey.works(i, inventory, &orgs).await {
                Some(false) => learned.push(i),
                Some(true) => {}
                None => self.updates.not_updated.push(NotUpdated {
                    place: self.survey.holdings[i].place.clone(),
                    reason: "could not be checked after the old PAT was revoked; if it stopped working, put the new PAT there".into(),
                }),
            }
        }
        let done = self.survey.write(&learned, secret, new).await;
        self.updates.extend(done);
    }

    pub fn finish(self) -> Updates {
        self.updates
    }
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

/// Where `part`, a slice borrowed from `text`, lies in it.
pub(crate) fn offset_in(text: &str, part: &[u8]) -> Option<Range<usize>> {
    let base = text.as_ptr() as usize;
    let start = (part.as_ptr() as usize).checked_sub(base)?;
    (start + part.len() <= text.len()).then(|| start..start + part.len())
}
