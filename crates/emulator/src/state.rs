//! Everything the emulator remembers: organizations, users and the bearer tokens that
//! identify them, PATs (only a hash of each secret), policies, plus the test knobs.
//!
//! Identity is a map from a token's hash to a user, so that the static token of the
//! command line and the access tokens issued by the Entra endpoints resolve the same way.
//! The first user is the default one: the static token's, and who `organizations` and
//! `common` sign in.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::Policies;
use crate::clock::Clock;
use crate::entra::Grants;
use crate::faults::Fault;

/// The tenant of users (and so organizations) that a seed does not place elsewhere (an
/// invented id).
pub(crate) const TENANT_ID: Uuid = Uuid::from_u128(0x3c4b2a1e_5d6f_4e7a_8b9c_0d1e2f3a4b5c);

pub(crate) type TokenHash = [u8; 32];

pub(crate) fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// A poisoned lock only means another request panicked mid-way; the data is still the
/// best we have, and one bad request must not take the emulator down for the rest.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the handlers share.
pub(crate) struct Shared {
    pub(crate) store: Mutex<Store>,
    pub(crate) clock: Clock,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) requests: Mutex<Vec<RequestRecord>>,
    pub(crate) latency: Mutex<Duration>,
    pub(crate) base_url: String,
}

/// One non-control request, as the control API reports it: never a header value or a
/// body, so a test can show what was sent without the log holding a secret.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct RequestRecord {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) auth: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct Org {
    pub(crate) name: String,
    pub(crate) account_id: Uuid,
    /// The Entra tenant backing the organization (`X-VSS-ResourceTenant`).
    pub(crate) tenant: Uuid,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    /// The Entra object id (`oid`), also the profile id.
    pub(crate) id: Uuid,
    pub(crate) tenant: Uuid,
    pub(crate) display_name: String,
    pub(crate) email: String,
    /// Account ids of the organizations the user is a member of.
    pub(crate) orgs: Vec<Uuid>,
    pub(crate) profile_time: Timestamp,
}

#[derive(Debug, Clone, Copy)]
struct BearerGrant {
    user: Uuid,
    expires: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub(crate) struct Pat {
    pub(crate) id: Uuid,
    pub(crate) owner: Uuid,
    pub(crate) display_name: String,
    pub(crate) scope: String,
    /// `None` is a global PAT: every organization the owner can reach.
    pub(crate) targets: Option<Vec<Uuid>>,
    pub(crate) valid_from: Timestamp,
    pub(crate) valid_to: Timestamp,
    pub(crate) revoked: bool,
    pub(crate) token_hash: TokenHash,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PatStatus {
    // The order is the service's DisplayFilterOptions order, which sorting by status uses.
    Active,
    Revoked,
    Expired,
}

impl PatStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PatStatus::Active => "active",
            PatStatus::Revoked => "revoked",
            PatStatus::Expired => "expired",
        }
    }
}

impl Pat {
    pub(crate) fn status(&self, now: Timestamp) -> PatStatus {
        if self.revoked {
            PatStatus::Revoked
        } else if self.valid_to <= now {
            PatStatus::Expired
        } else {
            PatStatus::Active
        }
    }

    /// Whether the PAT shows in (and may be managed from) this organization's list.
    pub(crate) fn visible_in(&self, owner: Uuid, account_id: Uuid) -> bool {
        self.owner == owner
            && self
                .targets
                .as_ref()
                .is_none_or(|targets| targets.contains(&account_id))
    }
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) orgs: Vec<Org>,
    pub(crate) users: Vec<User>,
    bearer: HashMap<TokenHash, BearerGrant>,
    /// In creation order.
    pub(crate) pats: Vec<Pat>,
    pub(crate) policies: Policies,
    /// Codes and tokens of the Entra endpoints, and their settings.
    pub(crate) entra: Grants,
}

impl Store {
    pub(crate) fn org_named(&self, name: &str) -> Option<&Org> {
        self.orgs
            .iter()
            .find(|org| org.name.eq_ignore_ascii_case(name))
    }

    pub(crate) fn org_names(&self, account_ids: &[Uuid]) -> Vec<String> {
        self.orgs
            .iter()
            .filter(|org| account_ids.contains(&org.account_id))
            .map(|org| org.name.clone())
            .collect()
    }

    pub(crate) fn user(&self, id: Uuid) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    /// The static token's user, and who `organizations` and `common` sign in.
    pub(crate) fn default_user(&self) -> Option<&User> {
        self.users.first()
    }

    /// The default user's tenant: what a response names when no organization is known.
    pub(crate) fn default_tenant(&self) -> Uuid {
        self.default_user().map_or(TENANT_ID, |user| user.tenant)
    }

    /// Lets `token` act as `user` until `expires` (by the emulator's clock), or for ever.
    pub(crate) fn grant_bearer(&mut self, token: &str, user: Uuid, expires: Option<Timestamp>) {
        self.bearer
            .insert(hash_token(token), BearerGrant { user, expires });
    }

    pub(crate) fn user_for_bearer(&self, token: &str, now: Timestamp) -> Option<&User> {
        let grant = self.bearer.get(&hash_token(token))?;
        if grant.expires.is_some_and(|expires| expires <= now) {
            return None;
        }
        self.user(grant.user)
    }

    pub(crate) fn pat(&self, id: Uuid) -> Option<&Pat> {
        self.pats.iter().find(|pat| pat.id == id)
    }

    pub(crate) fn pat_mut(&mut self, id: Uuid) -> Option<&mut Pat> {
        self.pats.iter_mut().find(|pat| pat.id == id)
    }

    pub(crate) fn pat_by_secret(&self, secret: &str) -> Option<&Pat> {
        let hash = hash_token(secret);
        self.pats.iter().find(|pat| pat.token_hash == hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(targets: Option<Vec<Uuid>>) -> Pat {
        Pat {
            id: Uuid::new_v4(),
            owner: Uuid::from_u128(1),
            display_name: "x".into(),
            scope: "vso.code".into(),
            targets,
            valid_from: "2026-01-01T00:00:00Z".parse().unwrap(),
            valid_to: "2026-02-01T00:00:00Z".parse().unwrap(),
            revoked: false,
            token_hash: hash_token("secret"),
        }
    }

    #[test]
    fn status_follows_the_clock_and_revocation() {
        let mut p = pat(None);
        assert_eq!(
            p.status("2026-01-15T00:00:00Z".parse().unwrap()),
            PatStatus::Active
        );
        assert_eq!(
            p.status("2026-02-01T00:00:00Z".parse().unwrap()),
            PatStatus::Expired
        );
        p.revoked = true;
        assert_eq!(
            p.status("2026-01-15T00:00:00Z".parse().unwrap()),
            PatStatus::Revoked
        );
    }

    #[test]
    fn global_pats_are_visible_everywhere_for_their_owner_only() {
        let org = Uuid::from_u128(7);
        assert!(pat(None).visible_in(Uuid::from_u128(1), org));
        assert!(!pat(None).visible_in(Uuid::from_u128(2), org));
        assert!(pat(Some(vec![org])).visible_in(Uuid::from_u128(1), org));
        assert!(!pat(Some(vec![Uuid::from_u128(8)])).visible_in(Uuid::from_u128(1), org));
    }

    #[test]
    fn bearer_grants_expire_by_the_emulator_clock() {
        let mut store = Store::default();
        store.users.push(User {
            id: Uuid::from_u128(1),
            tenant: TENANT_ID,
            display_name: "A".into(),
            email: "a@example.com".into(),
            orgs: vec![],
            profile_time: Timestamp::UNIX_EPOCH,
        });
        let until: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        store.grant_bearer("t", Uuid::from_u128(1), Some(until));
        assert!(
            store
                .user_for_bearer("t", "2025-12-31T00:00:00Z".parse().unwrap())
                .is_some()
        );
        assert!(store.user_for_bearer("t", until).is_none());
        assert!(
            store
                .user_for_bearer("u", "2025-12-31T00:00:00Z".parse().unwrap())
                .is_none()
        );
    }
}
