//! The rules of creating and updating a PAT, apart from HTTP: what is refused with which
//! `patTokenError`, in which order, and how the lifespan policy clamps `validTo`.

use jiff::Timestamp;
use rand::Rng;
use rand::distr::Alphanumeric;
use uuid::Uuid;

use crate::Policies;
use crate::dates;
use crate::scopes;
use crate::state::{Org, Pat, PatStatus, hash_token};
use crate::wire::{PatTokenError, Refusal};

/// Creating (and so regenerating) global PATs is blocked from this day (Microsoft DevOps
/// blog, Dec 2025); `expiredPatCannotBeExtended` arrived in the same month. Before it,
/// as in the 2020 examples, both were allowed, which lets a test replay them.
pub(crate) const GLOBAL_CREATION_BLOCKED_FROM: Timestamp = Timestamp::constant(1_773_532_800, 0);

/// From this day existing global PATs no longer authenticate.
pub(crate) const GLOBAL_PATS_RETIRED_FROM: Timestamp = Timestamp::constant(1_796_083_200, 0);

const MAX_DISPLAY_NAME_CHARS: usize = 256;
const SECRET_LENGTH: usize = 84;
const SIGNATURE_AT: usize = 76;
const SIGNATURE: &str = "AZDO";

/// A `validTo` as the request carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DateInput {
    At(Timestamp),
    Unreadable(String),
}

#[derive(Debug, Default)]
pub(crate) struct CreateRequest {
    pub(crate) display_name: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) valid_to: Option<DateInput>,
    pub(crate) all_orgs: bool,
}

/// Only the fields present change.
#[derive(Debug, Default)]
pub(crate) struct UpdateRequest {
    pub(crate) display_name: Option<String>,
    pub(crate) scope: Option<String>,
    pub(crate) valid_to: Option<DateInput>,
    pub(crate) all_orgs: Option<bool>,
}

/// A new PAT and the secret, which exists only here and in the create response.
pub(crate) struct Issued {
    pub(crate) pat: Pat,
    pub(crate) secret: String,
}

pub(crate) fn create(
    request: &CreateRequest,
    owner: Uuid,
    org: &Org,
    policies: &Policies,
    now: Timestamp,
) -> Result<Issued, Refusal> {
    let display_name = check_display_name(request.display_name.as_deref().unwrap_or(""))?;
    let scope = check_scope(request.scope.as_deref().unwrap_or(""))?;
    let requested_to = match &request.valid_to {
        Some(input) => check_valid_to(input, now)?,
        None => {
            return Err(Refusal::new(
                PatTokenError::InvalidValidTo,
                "An expiration date (validTo) is required.",
            ));
        }
    };
    if request.all_orgs {
        check_global_allowed(policies, now)?;
    }
    check_full_scope_allowed(&scope, policies)?;
    let valid_from = dates::stored(now);
    let valid_to = dates::stored(clamp(requested_to, now, policies));
    let secret = mint_secret();
    let pat = Pat {
        id: Uuid::new_v4(),
        owner,
        display_name,
        scope,
        targets: (!request.all_orgs).then(|| vec![org.account_id]),
        valid_from,
        valid_to,
        revoked: false,
        token_hash: hash_token(&secret),
    };
    Ok(Issued { pat, secret })
}

/// The PAT as it is after the update; the caller has already made sure it exists, is
/// visible in `org` and is not revoked.
pub(crate) fn update(
    current: &Pat,
    request: &UpdateRequest,
    org: &Org,
    policies: &Policies,
    now: Timestamp,
) -> Result<Pat, Refusal> {
    let mut pat = current.clone();
    if let Some(name) = &request.display_name {
        pat.display_name = check_display_name(name)?;
    }
    if let Some(scope) = &request.scope {
        pat.scope = check_scope(scope)?;
    }
    if let Some(input) = &request.valid_to {
        if current.status(now) == PatStatus::Expired && now >= GLOBAL_CREATION_BLOCKED_FROM {
            return Err(Refusal::new(
                PatTokenError::ExpiredPatCannotBeExtended,
                "This personal access token has expired and can no longer be extended. \
                 Create a new token instead.",
            ));
        }
        let requested_to = check_valid_to(input, now)?;
        pat.valid_to = dates::stored(clamp(requested_to, current.valid_from, policies));
    }
    match request.all_orgs {
        Some(true) => {
            check_global_allowed(policies, now)?;
            pat.targets = None;
        }
        Some(false) if pat.targets.is_none() => pat.targets = Some(vec![org.account_id]),
        _ => {}
    }
    if request.scope.is_some() {
        check_full_scope_allowed(&pat.scope, policies)?;
    }
    Ok(pat)
}

/// 84 characters of letters and digits with the `AZDO` signature at 76..80, the format
/// Azure DevOps has issued since 2024 (docs/ado-pat-api.md §2).
pub(crate) fn mint_secret() -> String {
    let mut rng = rand::rng();
    let mut secret: String = (0..SECRET_LENGTH - SIGNATURE.len())
        .map(|_| char::from(rng.sample(Alphanumeric)))
        .collect();
    secret.insert_str(SIGNATURE_AT, SIGNATURE);
    secret
}

fn check_display_name(name: &str) -> Result<String, Refusal> {
    if name.trim().is_empty() {
        return Err(Refusal::new(
            PatTokenError::DisplayNameRequired,
            "A name (displayName) is required for a personal access token.",
        ));
    }
    if name.chars().count() > MAX_DISPLAY_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Refusal::new(
            PatTokenError::InvalidDisplayName,
            format!(
                "The name is not valid: it must be at most {MAX_DISPLAY_NAME_CHARS} characters \
                 and contain no control characters."
            ),
        ));
    }
    Ok(name.to_owned())
}

fn check_scope(scope: &str) -> Result<String, Refusal> {
    scopes::normalise(scope).map_err(|unknown| {
        let message = if unknown.is_empty() {
            "At least one scope is required.".to_owned()
        } else {
            format!("The scope '{unknown}' is not a valid scope for a personal access token.")
        };
        Refusal::new(PatTokenError::InvalidScope, message)
    })
}

fn check_valid_to(input: &DateInput, now: Timestamp) -> Result<Timestamp, Refusal> {
    match input {
        DateInput::Unreadable(text) => Err(Refusal::new(
            PatTokenError::InvalidValidTo,
            format!("The expiration date '{text}' could not be read as a date."),
        )),
        DateInput::At(at) if *at <= now => Err(Refusal::new(
            PatTokenError::InvalidValidTo,
            "The expiration date must be in the future.",
        )),
        DateInput::At(at) => Ok(*at),
    }
}

fn check_global_allowed(policies: &Policies, now: Timestamp) -> Result<(), Refusal> {
    if policies.restrict_global {
        return Err(Refusal::new(
            PatTokenError::GlobalPatPolicyViolation,
            "The organization's policy does not allow personal access tokens for all \
             accessible organizations.",
        ));
    }
    if now >= GLOBAL_CREATION_BLOCKED_FROM {
        return Err(Refusal::new(
            PatTokenError::GlobalPatCreationBlocked,
            "Personal access tokens for all accessible organizations (global PATs) can no \
             longer be created or regenerated since March 15, 2026. Create one for a single \
             organization instead.",
        ));
    }
    Ok(())
}

/// The organization policy "Restrict personal access token (PAT) creation": creating
/// (and so regenerating) is for its allowlist, or, with its option, PATs of Packaging
/// scopes only.
pub(crate) fn check_creation_allowed(
    policies: &Policies,
    org: &Org,
    email: &str,
    scope: Option<&str>,
) -> Result<(), Refusal> {
    let Some(policy) = restricted(policies, org, email) else {
        return Ok(());
    };
    let packaging = scope.is_some_and(|scope| {
        let mut parts = scope.split_whitespace().peekable();
        parts.peek().is_some() && parts.all(scopes::is_packaging)
    });
    if policy.packaging_only && packaging {
        return Ok(());
    }
    let message = if policy.packaging_only {
        "Your organization's policy \"Restrict personal access token (PAT) creation\" allows \
         you to create personal access tokens with Packaging scopes only."
    } else {
        "Your organization's policy \"Restrict personal access token (PAT) creation\" does \
         not allow you to create or regenerate personal access tokens."
    };
    Err(Refusal::new(
        PatTokenError::DisablePatCreationPolicyViolation,
        message,
    ))
}

/// The creation policy that restricts `email` in `org`, if one does.
pub(crate) fn restricted<'a>(
    policies: &'a Policies,
    org: &Org,
    email: &str,
) -> Option<&'a crate::CreationPolicy> {
    policies
        .restrict_creation
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&org.name))
        .map(|(_, policy)| policy)
        .filter(|policy| !policy.allow.iter().any(|a| a.eq_ignore_ascii_case(email)))
}

fn check_full_scope_allowed(scope: &str, policies: &Policies) -> Result<(), Refusal> {
    if policies.restrict_full_scope && scopes::has_full_access(scope) {
        return Err(Refusal::new(
            PatTokenError::FullScopePatPolicyViolation,
            "The organization's policy does not allow full-access personal access tokens. \
             Choose specific scopes instead.",
        ));
    }
    Ok(())
}

/// The lifespan policy shortens, never refuses (spec `PatTokenCreateRequest.validTo`).
fn clamp(valid_to: Timestamp, from: Timestamp, policies: &Policies) -> Timestamp {
    match policies.max_lifespan_days {
        Some(days) if days > 0 => valid_to.min(dates::add(from, dates::days(i64::from(days)))),
        _ => valid_to,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    fn org() -> Org {
        Org {
            name: "fabrikam".into(),
            account_id: Uuid::from_u128(9),
            tenant: crate::state::TENANT_ID,
        }
    }

    fn request(name: &str, scope: &str, to: &str) -> CreateRequest {
        CreateRequest {
            display_name: Some(name.into()),
            scope: Some(scope.into()),
            valid_to: Some(DateInput::At(to.parse().unwrap())),
            all_orgs: false,
        }
    }

    fn refusal(result: Result<Issued, Refusal>) -> PatTokenError {
        match result {
            Ok(_) => panic!("expected a refusal"),
            Err(refusal) => refusal.error,
        }
    }

    #[test]
    fn the_creation_policy_lets_its_allowlist_and_packaging_only_pats_through() {
        let mut policies = Policies::default();
        let check = |policies: &Policies, email: &str, scope: &str| {
            check_creation_allowed(policies, &org(), email, Some(scope)).map_err(|r| r.error)
        };
        assert_eq!(
            check(&policies, "ann@x", "vso.code"),
            Ok(()),
            "off by default"
        );
        policies.restrict_creation.insert(
            "FABRIKAM".into(),
            crate::CreationPolicy {
                allow: vec!["boss@x".into()],
                packaging_only: false,
            },
        );
        let refused = Err(PatTokenError::DisablePatCreationPolicyViolation);
        assert_eq!(check(&policies, "ann@x", "vso.code"), refused);
        assert_eq!(check(&policies, "ann@x", "vso.packaging"), refused);
        assert_eq!(
            check(&policies, "Boss@X", "vso.code"),
            Ok(()),
            "allow-listed"
        );
        policies
            .restrict_creation
            .get_mut("FABRIKAM")
            .unwrap()
            .packaging_only = true;
        assert_eq!(
            check(&policies, "ann@x", "vso.packaging vso.packaging_write"),
            Ok(())
        );
        assert_eq!(check(&policies, "ann@x", "vso.packaging vso.code"), refused);
        assert_eq!(check(&policies, "ann@x", ""), refused);
        let mut elsewhere = org();
        elsewhere.name = "contoso".into();
        assert_eq!(
            check_creation_allowed(&policies, &elsewhere, "ann@x", Some("vso.code")),
            Ok(()),
            "an organization policy"
        );
    }

    #[test]
    fn secrets_have_the_azdo_signature() {
        let secret = mint_secret();
        assert_eq!(secret.len(), 84);
        assert_eq!(&secret[76..80], "AZDO");
        assert!(secret.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(secret, mint_secret());
    }

    #[test]
    fn create_targets_the_org_and_rounds_dates() {
        let issued = create(
            &request("ci", "vso.code", "2026-12-24T10:00:00.319Z"),
            Uuid::from_u128(1),
            &org(),
            &Policies::default(),
            now(),
        )
        .unwrap();
        assert_eq!(issued.pat.targets, Some(vec![Uuid::from_u128(9)]));
        assert_eq!(
            dates::render(issued.pat.valid_to),
            "2026-12-24T10:00:00.32Z"
        );
        assert_eq!(issued.pat.token_hash, hash_token(&issued.secret));
    }

    #[test]
    fn refusals_come_in_order() {
        let policies = Policies::default();
        let owner = Uuid::from_u128(1);
        let create =
            |req: &CreateRequest, policies: &Policies| create(req, owner, &org(), policies, now());
        assert_eq!(
            refusal(create(
                &request(" ", "bogus", "2020-01-01T00:00:00Z"),
                &policies
            )),
            PatTokenError::DisplayNameRequired
        );
        assert_eq!(
            refusal(create(
                &request("a\u{7}b", "vso.code", "2027-01-01T00:00:00Z"),
                &policies
            )),
            PatTokenError::InvalidDisplayName
        );
        assert_eq!(
            refusal(create(
                &request("x", "vso.bogus", "2027-01-01T00:00:00Z"),
                &policies
            )),
            PatTokenError::InvalidScope
        );
        assert_eq!(
            refusal(create(
                &request("x", "vso.code", "2020-01-01T00:00:00Z"),
                &policies
            )),
            PatTokenError::InvalidValidTo
        );
        let mut global = request("x", "vso.code", "2027-01-01T00:00:00Z");
        global.all_orgs = true;
        assert_eq!(
            refusal(create(&global, &policies)),
            PatTokenError::GlobalPatCreationBlocked
        );
        let strict = Policies {
            restrict_global: true,
            restrict_full_scope: true,
            ..Policies::default()
        };
        assert_eq!(
            refusal(create(&global, &strict)),
            PatTokenError::GlobalPatPolicyViolation
        );
        assert_eq!(
            refusal(create(
                &request("x", "app_token", "2027-01-01T00:00:00Z"),
                &strict
            )),
            PatTokenError::FullScopePatPolicyViolation
        );
    }

    #[test]
    fn lifespan_policy_clamps_create_from_now_and_update_from_valid_from() {
        let policies = Policies {
            max_lifespan_days: Some(30),
            ..Policies::default()
        };
        let issued = create(
            &request("x", "vso.code", "2027-06-01T00:00:00Z"),
            Uuid::from_u128(1),
            &org(),
            &policies,
            now(),
        )
        .unwrap();
        assert_eq!(dates::render(issued.pat.valid_to), "2026-12-28T12:00:00Z");

        let mut current = issued.pat;
        current.valid_from = "2026-11-20T00:00:00Z".parse().unwrap();
        let updated = update(
            &current,
            &UpdateRequest {
                valid_to: Some(DateInput::At("2027-06-01T00:00:00Z".parse().unwrap())),
                ..UpdateRequest::default()
            },
            &org(),
            &policies,
            now(),
        )
        .unwrap();
        assert_eq!(dates::render(updated.valid_to), "2026-12-20T00:00:00Z");
    }

    #[test]
    fn expired_pats_cannot_be_extended_but_may_be_renamed() {
        let mut current = create(
            &request("x", "vso.code", "2026-12-01T00:00:00Z"),
            Uuid::from_u128(1),
            &org(),
            &Policies::default(),
            now(),
        )
        .unwrap()
        .pat;
        current.valid_to = "2026-11-01T00:00:00Z".parse().unwrap();
        let extend = UpdateRequest {
            valid_to: Some(DateInput::At("2027-01-01T00:00:00Z".parse().unwrap())),
            ..UpdateRequest::default()
        };
        let refused = update(&current, &extend, &org(), &Policies::default(), now()).unwrap_err();
        assert_eq!(refused.error, PatTokenError::ExpiredPatCannotBeExtended);
        let rename = UpdateRequest {
            display_name: Some("y".into()),
            ..UpdateRequest::default()
        };
        let renamed = update(&current, &rename, &org(), &Policies::default(), now()).unwrap();
        assert_eq!(renamed.display_name, "y");
    }

    #[test]
    fn before_the_block_global_pats_could_be_made() {
        let then: Timestamp = "2020-11-02T22:56:52Z".parse().unwrap();
        let mut req = request("x", "vso.code", "2020-12-01T00:00:00Z");
        req.all_orgs = true;
        let issued = create(&req, Uuid::from_u128(1), &org(), &Policies::default(), then).unwrap();
        assert_eq!(issued.pat.targets, None);
    }
}
