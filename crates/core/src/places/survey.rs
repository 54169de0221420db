//! Finding the places: every file of the scope read once, git asked per organization,
//! and the PAT of each from what AdoPat remembers handing over; checking them with the
//! service, and writing a secret into those chosen, each file once.

use super::{Encoding, FILE_KINDS, Kind, NotUpdated, PatRef, Place, Scope, Updates};
use super::{file, git, memory};
use crate::inventory::{Inventory, Pat};
use crate::secret::Secret;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

/// Where a found credential lives, for writing it back.
#[derive(Debug)]
pub(super) enum At {
    File {
        value: Range<usize>,
        encoding: Encoding,
    },
    Git(git::Credential),
}

#[derive(Debug)]
pub(super) struct Holding {
    pub(super) place: Place,
    pub(super) secret: Option<Secret>,
    at: At,
}

/// A file a place was found in, as read.
#[derive(Debug)]
struct Read {
    /// The path it was found by (a link, or the file).
    path: PathBuf,
    reach: file::Reach,
    resolved: file::Resolved,
    /// Its bytes as read: a file that changed since is not written.
    bytes: Vec<u8>,
}

/// Every place found, with what each holds. The secrets stay in here.
#[derive(Debug, Default)]
pub struct Survey {
    pub(super) holdings: Vec<Holding>,
    read: BTreeMap<PathBuf, Read>,
    /// Files that could not be read, and programs that did not answer: why, for the user.
    pub problems: Vec<String>,
}

/// The places of the user `inventory` works for, and those in `dirs`: git is asked about
/// each of its organizations. The demo has none.
pub async fn survey_of(inventory: &Inventory, dirs: Vec<PathBuf>) -> crate::Result<Survey> {
    let Some(scope) = Scope::of(inventory, dirs) else {
        return Err(crate::Error::invalid(
            "demo",
            "the demo's PATs are used nowhere on this machine; places are those of your own account",
        ));
    };
    Ok(survey(&scope, &inventory.org_names()).await)
}

/// Finds the places in `scope`; git is asked about each of `orgs`. The PAT of each is
/// filled in from what AdoPat remembers handing over.
pub async fn survey(scope: &Scope, orgs: &[String]) -> Survey {
    let mut survey = Survey::default();
    for (kind, path, reach) in scope.files() {
        let resolved = match file::resolve(&path, &reach) {
            Ok(Some(resolved)) => resolved,
            Ok(None) => continue,
            Err(why) => {
                survey.problems.push(format!("{} {why}", path.display()));
                continue;
            }
        };
        file::remove_leftovers(&resolved.target);
        let bytes = match crate::files::read_capped(&resolved.target, file::MAX_BYTES) {
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
        let found = FILE_KINDS
            .iter()
            .find(|k| k.kind == kind)
            .map_or_else(Vec::new, |k| (k.find)(text));
        // A link is named by the file it leads to: that is the file written.
        let shown = if resolved.linked {
            resolved.target.clone()
        } else {
            path.clone()
        };
        for f in found {
            survey.holdings.push(Holding {
                place: Place {
                    kind,
                    file: Some(shown.clone()),
                    entry: f.entry,
                    host: f.host,
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
        survey.read.insert(
            shown,
            Read {
                path,
                reach,
                resolved,
                bytes,
            },
        );
    }
    if scope.git {
        let (credentials, problem) = git::credentials(orgs).await;
        survey.problems.extend(problem);
        for credential in credentials {
            survey.holdings.push(Holding {
                place: Place {
                    kind: Kind::Git,
                    file: None,
                    entry: credential.url(),
                    host: credential.host().to_owned(),
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
                holding.place.pat = Some(memory::pat_of_remembered(known));
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

    /// Asks Azure DevOps whether each place's credential works (`connectionData` of its
    /// organization; of each organization in turn for a place that serves all): each
    /// distinct credential once per organization, and at most `MAX_CHECKS` requests in
    /// all; a problem says when it stopped there.
    pub async fn check(&mut self, inventory: &Inventory) {
        let orgs = inventory.org_names();
        let mut checks = Checks::default();
        for i in 0..self.holdings.len() {
            let works = self.works(i, inventory, &orgs, &mut checks).await;
            self.holdings[i].place.works = works;
        }
        if checks.skipped > 0 {
            self.problems.push(format!(
                "{} places were not checked: AdoPat asks Azure DevOps at most {MAX_CHECKS} times in one command",
                checks.skipped
            ));
        }
    }

    pub(super) async fn works(
        &self,
        i: usize,
        inventory: &Inventory,
        orgs: &[String],
        checks: &mut Checks,
    ) -> Option<bool> {
        let holding = &self.holdings[i];
        let secret = holding.secret.as_ref()?;
        let client = &inventory.targets().first()?.client;
        let tried: Vec<&str> = match &holding.place.org {
            Some(org) => vec![org.as_str()],
            None => orgs.iter().map(String::as_str).collect(),
        };
        let fingerprint = memory::fingerprint(secret);
        let mut answered = false;
        for org in tried {
            let key = (org.to_ascii_lowercase(), fingerprint.clone());
            let works = match checks.known.get(&key) {
                Some(works) => *works,
                None if checks.sent >= MAX_CHECKS => {
                    checks.skipped += 1;
                    return None;
                }
                None => {
                    checks.sent += 1;
                    let works = match client.credential_works(org, secret).await {
                        Ok(works) => Some(works),
                        Err(e) => {
                            tracing::debug!("checking {}: {e}", holding.place.id());
                            None
                        }
                    };
                    checks.known.insert(key, works);
                    works
                }
            };
            match works {
                Some(true) => return Some(true),
                Some(false) => answered = true,
                None => {}
            }
        }
        answered.then_some(false)
    }

    /// The places that hold `pat`, by what AdoPat remembers.
    pub(super) fn holding(&self, pat: &Pat) -> Vec<usize> {
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
    pub(super) fn unknown_of(&self, pat: &Pat) -> Vec<usize> {
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

    /// Why place `i` could not be written now, if it could not (a git place is only
    /// known by trying).
    pub(super) fn unwritable(&self, i: usize) -> Option<String> {
        let At::File { .. } = &self.holdings[i].at else {
            return None;
        };
        let path = self.holdings[i].place.file.as_ref()?;
        let Some(read) = self.read.get(path) else {
            return Some("could not be read again".into());
        };
        file::writable(&read.path, &read.reach, &read.resolved, &read.bytes).err()
    }

    /// Writes `secret` into the places `which`, each file once and only where its bytes
    /// are still those read; a place that fails does not stop the others.
    pub(super) async fn write(&mut self, which: &[usize], secret: &Secret, pat: &Pat) -> Updates {
        let mut updates = Updates::default();
        let mut by_file: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
        // A helper that did not answer once is not waited for again in this write.
        let mut git_stuck: Option<String> = None;
        for &i in which {
            match &self.holdings[i].at {
                At::Git(credential) => {
                    let place = self.holdings[i].place.clone();
                    if let Some(reason) = &git_stuck {
                        let reason = format!("not tried: {reason}");
                        updates.not_updated.push(NotUpdated { place, reason });
                        continue;
                    }
                    match git::replace(credential, secret).await {
                        Ok(()) => updates.updated.push(place),
                        Err(git::Refused::Stuck(reason)) => {
                            git_stuck = Some(reason.clone());
                            updates.not_updated.push(NotUpdated { place, reason });
                        }
                        Err(git::Refused::Failed(reason)) => {
                            updates.not_updated.push(NotUpdated { place, reason })
                        }
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
            match file::replace_values(
                &read.path,
                &read.reach,
                &read.resolved,
                &read.bytes,
                &changes,
                secret,
            ) {
                Ok((written, note)) => {
                    if let Some(note) = note {
                        updates.notes.push(format!("{}: {note}", path.display()));
                    }
                    if let Some(read) = self.read.get_mut(&path) {
                        read.bytes = written;
                    }
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

/// The most requests one command sends with found credentials: a repository with
/// thousands of junk entries must not make AdoPat flood a service that rate-limits users.
pub(super) const MAX_CHECKS: usize = 50;

/// What was asked so far in one round of checks: a credential is asked about once per
/// organization, whatever number of places hold it.
#[derive(Debug, Default)]
pub(super) struct Checks {
    known: std::collections::HashMap<(String, String), Option<bool>>,
    sent: usize,
    skipped: usize,
}

/// Places the user named to receive a new secret (`create --put-in`), found before the
/// PAT is made so a typo costs nothing.
#[derive(Debug)]
pub struct Chosen(Vec<usize>);

impl Survey {
    /// The places named `kind:entry` (as `places` shows them), to receive a new PAT of
    /// `org`; an error names what is unknown or ambiguous, a place whose password the file
    /// keeps encrypted, and a place of another organization, unless `anyway`.
    pub fn choose(&self, ids: &[String], org: &str, anyway: bool) -> crate::Result<Chosen> {
        let mut chosen = Vec::new();
        for id in ids {
            let matching: Vec<usize> = (0..self.holdings.len())
                .filter(|&i| self.holdings[i].place.id() == *id)
                .collect();
            match matching.as_slice() {
                [one] => {
                    if !anyway {
                        self.fits(*one, org)?;
                    }
                    chosen.push(*one);
                }
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

    /// A place a new PAT of `org` may go into without the user's `--put-in-anyway`.
    fn fits(&self, i: usize, org: &str) -> crate::Result<()> {
        let holding = &self.holdings[i];
        let place = &holding.place;
        let refuse = |why: String| {
            Err(crate::Error::invalid(
                "place",
                format!(
                    "'{}' {why}; nothing was created (--put-in-anyway writes it all the same)",
                    crate::text::printable(&place.id())
                ),
            ))
        };
        if holding.secret.is_none() {
            return refuse(
                "keeps its password encrypted, and AdoPat would write the new one in clear text"
                    .into(),
            );
        }
        match &place.org {
            Some(of) if !of.eq_ignore_ascii_case(org) => refuse(format!(
                "is for the organization {}, not {}",
                crate::text::printable(of),
                crate::text::printable(org)
            )),
            _ => Ok(()),
        }
    }

    /// Writes a new PAT's secret into the places chosen, whatever they held.
    pub async fn put(&mut self, chosen: &Chosen, pat: &Pat, secret: &Secret) -> Updates {
        self.write(&chosen.0, secret, pat).await
    }
}
