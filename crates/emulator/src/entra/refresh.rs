//! The `refresh_token` grant, with rotation: every use spends the token and issues its
//! successor, so a spent token is refused (`invalid_grant`). A token also fails when its
//! sign-in was revoked (AADSTS50173), after 90 days without use by the emulator's clock
//! (AADSTS700082), or, with `interaction_required` (AADSTS50076), when the control API
//! asked for a new interactive sign-in.

use jiff::Timestamp;
use uuid::Uuid;

use super::errors::Failure;
use super::scopes::Scopes;
use super::token::{Redeemed, required};
use super::users::Route;
use crate::dates;
use crate::params::Params;
use crate::state::Store;

/// Entra's refresh tokens expire after 90 days of inactivity.
const INACTIVITY_DAYS: i64 = 90;

pub(crate) fn redeem(
    store: &mut Store,
    route: Route,
    client_id: &str,
    form: &Params,
    now: Timestamp,
) -> Result<Redeemed, Failure> {
    let presented = required(form, "refresh_token")?;
    let requested = Scopes::requested(form)?;
    let token = store
        .entra
        .refresh_token_mut(presented)
        .map(|token| token.clone())
        .ok_or_else(Failure::malformed_grant)?;
    if token.grant.client_id != client_id {
        return Err(Failure::other_client("refresh token"));
    }
    if !route.admits_id(store, token.grant.user) {
        return Err(Failure::other_tenant());
    }
    let family = store
        .entra
        .families
        .get(token.family)
        .cloned()
        .unwrap_or_default();
    if let Some(revoked_at) = family.revoked_at {
        return Err(Failure::refresh_token_revoked(
            &dates::render(token.issued),
            &dates::render(revoked_at),
        ));
    }
    if token.spent {
        return Err(Failure::refresh_token_spent());
    }
    if now >= dates::add(token.issued, dates::days(INACTIVITY_DAYS)) {
        return Err(Failure::refresh_token_inactive(&dates::render(
            token.issued,
        )));
    }
    if family.needs_interaction {
        return Err(Failure::interaction_required());
    }
    if let Some(spent) = store.entra.refresh_token_mut(presented) {
        spent.spent = true;
    }
    let scopes = token.grant.scopes.redeemed_with(requested);
    Ok(Redeemed {
        grant: super::grants::Grant {
            scopes,
            ..token.grant
        },
        family: Some(token.family),
        nonce: None,
        with_refresh_token: true,
    })
}

/// Revokes every refresh token of `users` (all users when `None`): "the sign-in was
/// revoked". Returns how many unspent refresh tokens it revoked.
pub(crate) fn revoke(store: &mut Store, users: Option<&[Uuid]>, now: Timestamp) -> usize {
    let live_before = store.entra.live_refresh_tokens();
    for family in store.entra.families_of(users) {
        if let Some(family) = store.entra.families.get_mut(family)
            && family.revoked_at.is_none()
        {
            family.revoked_at = Some(now);
        }
    }
    live_before - store.entra.live_refresh_tokens()
}

/// Marks (or clears) every existing sign-in as needing a new interactive sign-in, as a
/// new Conditional Access policy would. Sign-ins made afterwards are not marked.
pub(crate) fn require_interaction(store: &mut Store, required: bool) -> usize {
    let mut changed = 0;
    for family in &mut store.entra.families {
        if family.needs_interaction != required && family.revoked_at.is_none() {
            family.needs_interaction = required;
            changed += 1;
        }
    }
    changed
}
