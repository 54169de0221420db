//! Create, edit and revoke across the inventory: the PAT's organization is found from
//! the listing, and what the service did to the requested expiry is reported.

use crate::ado::pats::PatChanges;
use crate::error::{Error, Result};
use crate::inventory::{Inventory, Pat, Status};
use crate::secret::Secret;
use jiff::{SignedDuration, Timestamp};

/// A new PAT to create in one organization; build it from checked input (`crate::input`).
#[derive(Debug, Clone)]
pub struct NewPat {
    pub org: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub valid_to: Timestamp,
    /// Keep the secret in the OS keyring to copy it again later (`crate::kept`).
    pub keep: bool,
    /// Places (`kind:entry`, as `places` names them) to write the secret into, found
    /// before the PAT is made; `look_in`: folders to look in besides the user's files.
    pub put_in: Vec<String>,
    pub look_in: Vec<std::path::PathBuf>,
    /// Put it in places of another organization, or over an encrypted password, all the
    /// same (`--put-in-anyway`).
    pub put_in_anyway: bool,
    /// It renews itself from the start (`crate::renewal`, regenerate a week ahead).
    pub renew: bool,
}

#[derive(Debug)]
pub struct CreatedPat {
    pub pat: Pat,
    pub secret: Secret,
    /// Set when a lifespan policy shortened the requested expiry.
    pub shortened_from: Option<Timestamp>,
}

#[derive(Debug)]
pub struct EditedPat {
    pub pat: Pat,
    pub shortened_from: Option<Timestamp>,
}

/// The service clamps `validTo` silently under a lifespan policy; a second's rounding is
/// not a clamp (it stores 1/300 s ticks).
pub fn shortened(requested: Timestamp, granted: Timestamp) -> Option<Timestamp> {
    (granted + SignedDuration::from_secs(1) < requested).then_some(requested)
}

/// A new PAT whose secret went where the caller handed it.
#[derive(Debug)]
pub struct Delivered<T> {
    pub created: CreatedPat,
    pub delivery: T,
    /// A stop was asked for while the PAT was being made; it was made and handed over.
    pub stopped: Option<crate::stop::StopReason>,
    /// Whether the secret was kept in the OS keyring, when that was asked (`NewPat::keep`).
    pub kept: Option<std::result::Result<(), String>>,
    /// The places it was put in (`NewPat::put_in`), or not and why.
    pub places: crate::places::Updates,
    /// How it renews itself, when that was asked (`NewPat::renew`), or why it does not.
    pub renews: Option<std::result::Result<crate::state::Renewing, String>>,
}

impl<T> Delivered<T> {
    /// The outcome without what the hand-off returned, and that.
    pub fn take_delivery(self) -> (Delivered<()>, T) {
        let Self {
            created,
            delivery,
            stopped,
            kept,
            places,
            renews,
        } = self;
        let done = Delivered {
            created,
            delivery: (),
            stopped,
            kept,
            places,
            renews,
        };
        (done, delivery)
    }
}

impl Inventory {
    /// Creates a PAT, hands its secret over and puts it in the places asked for; when the hand-off fails the PAT is
    /// revoked again, so nothing is left that nobody holds the secret of. A stop asked
    /// for before the request leaves is heeded (nothing made); once it has left, the
    /// PAT is made and handed over, and the outcome says a stop was asked.
    pub async fn create_and_deliver<T>(
        &self,
        new: &NewPat,
        stop: &crate::stop::Stop,
        deliver: impl FnOnce(&Pat, &Secret) -> Result<T>,
    ) -> Result<Delivered<T>> {
        // The places are found before the PAT is made: one that is not there costs nothing.
        let mut places = match new.put_in.as_slice() {
            [] => None,
            ids => {
                let survey = crate::places::survey_of(self, new.look_in.clone()).await?;
                let chosen = survey.choose(ids, &new.org, new.put_in_anyway)?;
                Some((survey, chosen))
            }
        };
        if let Some(reason) = stop.asked() {
            return Err(Error::Stopped {
                reason,
                message: "Stopped before anything was created.".into(),
            });
        }
        let created = self.create(new).await?;
        match deliver(&created.pat, &created.secret) {
            Ok(delivery) => {
                let kept = self.local_dir().and_then(|dir| {
                    crate::kept::remember(dir, &created.pat, &created.secret, new.keep)
                });
                let places = match places.as_mut() {
                    Some((survey, chosen)) => {
                        survey.put(chosen, &created.pat, &created.secret).await
                    }
                    None => crate::places::Updates::default(),
                };
                let renews = new.renew.then(|| match self.local_dir() {
                    Some(dir) => {
                        let org = created.pat.orgs.first().unwrap_or(&new.org);
                        crate::state::State::renew(dir, &created.pat, org, None, None)
                            .map_err(|e| e.to_string())
                    }
                    None => Err(
                        "PATs renew themselves for your own accounts only, not in the demo".into(),
                    ),
                });
                Ok(Delivered {
                    kept,
                    places,
                    renews,
                    created,
                    delivery,
                    stopped: stop.asked(),
                })
            }
            Err(error) => {
                let left = self.revoke_again(&[&created.pat]).await;
                Err(if left.is_empty() {
                    Error::Clipboard(format!(
                        "{error} The new PAT was revoked again, so nothing is left behind."
                    ))
                } else {
                    Error::Other(format!(
                        "{error} Revoking the new PAT {} failed too; revoke it.",
                        left.join(", ")
                    ))
                })
            }
        }
    }

    pub async fn create(&self, new: &NewPat) -> Result<CreatedPat> {
        let target = self.target(&new.org)?;
        let created = target
            .client
            .create_pat(&target.name, &new.name, &new.scopes, new.valid_to)
            .await?;
        Ok(CreatedPat {
            pat: Pat::from_token(&created.pat, &target.name, Status::Active),
            shortened_from: shortened(new.valid_to, created.pat.valid_to),
            secret: created.secret,
        })
    }

    pub async fn edit(&self, pat: &Pat, changes: &PatChanges) -> Result<EditedPat> {
        if changes.display_name.is_none() && changes.scopes.is_none() && changes.valid_to.is_none()
        {
            return Err(Error::invalid(
                "edit",
                "nothing to change: give a new name, scopes or expiry",
            ));
        }
        if pat.status == Status::Revoked {
            return Err(Error::invalid(
                "pat",
                format!("'{}' is revoked and can no longer be edited", pat.name),
            ));
        }
        let org = self.home_org(pat)?;
        let target = self.target(org)?;
        let updated = target
            .client
            .update_pat(&target.name, pat.id, changes)
            .await?;
        let mut edited = Pat::from_token(&updated, &target.name, Status::Active);
        edited.orgs = pat.orgs.clone();
        if edited.valid_to <= self.server_now() {
            edited.status = Status::Expired;
        }
        Ok(EditedPat {
            shortened_from: changes
                .valid_to
                .and_then(|asked| shortened(asked, updated.valid_to)),
            pat: edited,
        })
    }

    pub async fn revoke(&self, pat: &Pat) -> Result<()> {
        if pat.status == Status::Revoked {
            return Err(Error::invalid(
                "pat",
                format!("'{}' is already revoked", pat.name),
            ));
        }
        let target = self.target(self.home_org(pat)?)?;
        target.client.revoke_pat(&target.name, pat.id).await?;
        if let Some(dir) = self.local_dir() {
            crate::kept::forget(dir, pat.id);
            if let Err(e) = crate::state::State::drop_renewal(dir, pat.id) {
                tracing::warn!("could not note that a revoked PAT renews itself no more: {e}");
            }
        }
        Ok(())
    }

    /// New PATs whose hand-off failed are revoked again, so nobody is left with a PAT
    /// whose secret nobody has (create and rotations alike); the ones that could not be,
    /// each with why.
    pub(crate) async fn revoke_again(&self, made: &[&Pat]) -> Vec<String> {
        let mut left = Vec::new();
        for &pat in made {
            let revoked = match self.home_org(pat).and_then(|org| self.target(org)) {
                Ok(target) => target.client.revoke_pat(&target.name, pat.id).await,
                Err(error) => Err(error),
            };
            if let Err(error) = revoked {
                left.push(format!("{} ({error})", pat.id));
            }
        }
        left
    }

    /// The organization to address a PAT through: its own, or for a global PAT the
    /// first organization that listed it.
    pub fn home_org<'a>(&self, pat: &'a Pat) -> Result<&'a str> {
        pat.orgs.first().map(String::as_str).ok_or_else(|| {
            Error::NotFound(format!("'{}' is in none of your organizations", pat.name))
        })
    }
}
