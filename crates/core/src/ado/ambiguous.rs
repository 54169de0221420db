//! A create whose answer was lost: the connection dropped, the body came cut short or
//! unreadable, or no answer came in time. The service may have made the PAT, and it never
//! shows a secret twice, so the outcome is found out at once: the PATs of the
//! organization are listed, and one with the name and scopes just sent, made since the
//! request left, is the orphan. It is revoked, so the user ends with the secret in hand
//! or nothing changed, and is told which.

use super::client::{AdoClient, with_deadline};
use crate::error::Error;
use crate::status::Filter;
use jiff::SignedDuration;
use std::collections::BTreeSet;
use std::time::Duration;
use tokio::time::Instant;
use uuid::Uuid;

/// Time allowed to find out, on top of whatever deadline ran out before.
const GRACE: Duration = Duration::from_secs(30);
/// Clock steps between the service's `Date` header and the `validFrom` it writes.
const SLACK: SignedDuration = SignedDuration::from_secs(60);

pub(crate) struct Ambiguous<'a> {
    pub org: &'a str,
    pub name: &'a str,
    pub scopes: &'a [String],
    /// When the create left.
    pub sent: Instant,
}

#[derive(Debug)]
pub(crate) enum Outcome {
    NoneMade,
    /// The orphan was found and revoked.
    Revoked(Uuid),
    /// Found, but revoking it failed.
    RevokeFailed(Uuid, Error),
    /// More than one PAT fits: which one is the orphan cannot be told, so none is touched.
    Several(Vec<Uuid>),
}

impl Ambiguous<'_> {
    pub(crate) async fn resolve(&self, client: &AdoClient) -> Result<Outcome, Error> {
        with_deadline(Instant::now() + GRACE, self.find_and_revoke(client)).await
    }

    async fn find_and_revoke(&self, client: &AdoClient) -> Result<Outcome, Error> {
        let listed = client.list_pats(self.org, Filter::Active).await?;
        let elapsed = SignedDuration::try_from(self.sent.elapsed()).unwrap_or(SignedDuration::MAX);
        // By the service's clock, as its last answer (the listing) stated it.
        let since = client.server_now() - elapsed.saturating_add(SLACK);
        let wanted: BTreeSet<String> = self.scopes.iter().cloned().collect();
        let fits: Vec<Uuid> = listed
            .iter()
            .filter(|p| {
                p.display_name == self.name
                    && p.valid_from >= since
                    && crate::scopes::split(&p.scope)
                        .into_iter()
                        .collect::<BTreeSet<_>>()
                        == wanted
            })
            .map(|p| p.authorization_id)
            .collect();
        match fits.as_slice() {
            [] => Ok(Outcome::NoneMade),
            [orphan] => Ok(match client.revoke_pat(self.org, *orphan).await {
                Ok(()) => Outcome::Revoked(*orphan),
                Err(error) => Outcome::RevokeFailed(*orphan, error),
            }),
            _ => Ok(Outcome::Several(fits)),
        }
    }

    /// Finding out failed too: say what may be left, and where to look.
    pub(crate) fn unresolved(&self, lost: &Error, why: &Error) -> Error {
        Error::Unavailable(format!(
            "{lost} AdoPat could not find out whether Azure DevOps created '{}' in {} all the same ({why}). Look for a PAT of that name made just now, and revoke it if it is there.",
            self.name, self.org
        ))
    }
}

impl Outcome {
    pub(crate) fn into_error(self, lost: &Error, name: &str) -> Error {
        match self {
            Outcome::NoneMade => Error::Unavailable(format!(
                "{lost} No PAT was created (AdoPat checked, twice): nothing changed."
            )),
            Outcome::Revoked(id) => Error::Unavailable(format!(
                "{lost} Azure DevOps had created '{name}' all the same, without AdoPat receiving its secret; AdoPat revoked it again ({id}), so nothing changed. Try again."
            )),
            Outcome::RevokeFailed(id, error) => Error::Unavailable(format!(
                "{lost} Azure DevOps had created '{name}' ({id}) all the same, and revoking it failed ({error}); its secret was never received, so revoke it."
            )),
            Outcome::Several(ids) => Error::Unavailable(format!(
                "{lost} AdoPat cannot tell whether Azure DevOps created '{name}': {} PATs of that name and scopes were made in the last minutes ({}). Revoke the one you did not receive a secret for.",
                ids.len(),
                ids.iter()
                    .map(Uuid::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}
