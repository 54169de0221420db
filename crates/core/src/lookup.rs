//! Finding the PAT a user named (an authorizationId or a display name) at the fewest
//! requests: active PATs first, as most names are found there, and the expired and
//! revoked ones only when it is not among them.
//!
//! An organization that could not be listed is never taken for "no such PAT": when the
//! PAT is not found elsewhere, that organization's error is the answer.

use crate::error::{Error, Result};
use crate::inventory::{Filter, Inventory, Listing, Pat, Status, resolve};
use uuid::Uuid;

#[derive(Debug)]
pub struct Found {
    pub pat: Pat,
    /// Organizations that could not be listed (with why); the PAT was found without them.
    pub unchecked: Vec<(String, String)>,
    /// Read from the service just now by its id (a regenerate need not read it again).
    pub fresh: bool,
}

impl Inventory {
    pub async fn find(&self, token: &str) -> Result<Found> {
        if token.trim().is_empty() {
            return Err(Error::invalid(
                "pat",
                "give an authorizationId or a PAT's name",
            ));
        }
        // An id in one organization: one read, no listing. A read does not tell a
        // revoked PAT from an active one; the service answers for what follows.
        if let (Ok(id), [target]) = (token.trim().parse::<Uuid>(), self.targets()) {
            let read = target.client.get_pat(&target.name, id).await?;
            let status = if read.valid_to <= target.client.server_now() {
                Status::Expired
            } else {
                Status::Active
            };
            return Ok(Found {
                pat: Pat::from_token(&read, &target.name, status),
                unchecked: Vec::new(),
                fresh: true,
            });
        }
        let active = self.list(Filter::Active).await;
        if let Some(found) = settle(&active.pats, token, &active.failures)? {
            return Ok(found);
        }
        let (expired, revoked) =
            futures::join!(self.list(Filter::Expired), self.list(Filter::Revoked));
        let mut all = active;
        for more in [expired, revoked] {
            all.pats.extend(more.pats);
            for (org, error) in more.failures {
                if !all.failures.iter().any(|(o, _)| *o == org) {
                    all.failures.push((org, error));
                }
            }
        }
        let Listing {
            pats, mut failures, ..
        } = all;
        match settle(&pats, token, &failures)? {
            Some(found) => Ok(found),
            None if failures.is_empty() => Err(resolve(&pats, token)
                .err()
                .unwrap_or_else(|| Error::NotFound(format!("No PAT named '{token}'.")))),
            None => {
                let (org, error) = failures.remove(0);
                Err(reword(
                    error,
                    &format!("Could not look for '{}' in {org}:", token.trim()),
                ))
            }
        }
    }
}

/// The PAT when `pats` name it unambiguously; `None` when they do not hold it.
fn settle(pats: &[Pat], token: &str, failures: &[(String, Error)]) -> Result<Option<Found>> {
    match resolve(pats, token) {
        Ok(pat) => Ok(Some(Found {
            pat: pat.clone(),
            unchecked: failures
                .iter()
                .map(|(org, e)| (org.clone(), e.to_string()))
                .collect(),
            fresh: false,
        })),
        Err(Error::NotFound(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The same kind of error (and exit code), its message led by `lead`.
fn reword(error: Error, lead: &str) -> Error {
    let message = format!("{lead} {error}");
    match error {
        Error::SignIn(_) => Error::SignIn(message),
        Error::Keyring(_) => Error::Keyring(message),
        Error::AccessDenied(_) => Error::AccessDenied(message),
        Error::NotFound(_) => Error::NotFound(message),
        Error::Rejected(_) => Error::Rejected(message),
        Error::Unavailable(_) | Error::RateLimited { .. } => Error::Unavailable(message),
        Error::Refused { code, .. } => Error::Refused { code, message },
        _ => Error::Other(message),
    }
}
