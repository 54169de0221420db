//! The service's `patTokenError` values (the `SessionTokenError` enum).
//!
//! `PatTokenResult.patTokenError` holds one of these strings. Anything other
//! than `none` means the service refused the operation, often with HTTP 200
//! (`docs/ado-pat-api.md` section 2). The 7.2 spec lists 37 values.
//! The service may add more, so a value this module doesn't know is kept as
//! [`PatTokenError::Unknown`] and never fails to parse or deserialize.
//!
//! How a value maps to a [`RefusalClass`] and what [`PatTokenError::explain`]
//! says are inferred from the value names: the spec gives no description for
//! any of them. Where a value names a policy, the sentence names the policy
//! from DOCS `manage-pats-with-policies-for-administrators.md` (section 5).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A `patTokenError` value from the service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum PatTokenError {
    /// `none`: the operation succeeded.
    #[default]
    None,
    DisplayNameRequired,
    InvalidDisplayName,
    InvalidValidTo,
    InvalidScope,
    UserIdRequired,
    InvalidUserId,
    InvalidUserType,
    AccessDenied,
    FailedToIssueAccessToken,
    InvalidClient,
    InvalidClientType,
    InvalidClientId,
    InvalidTargetAccounts,
    HostAuthorizationNotFound,
    AuthorizationNotFound,
    FailedToUpdateAccessToken,
    SourceNotSupported,
    /// Wire value `invalidSourceIP`.
    InvalidSourceIp,
    InvalidSource,
    DuplicateHash,
    SshPolicyDisabled,
    InvalidToken,
    TokenNotFound,
    InvalidAuthorizationId,
    FailedToReadTenantPolicy,
    GlobalPatPolicyViolation,
    FullScopePatPolicyViolation,
    PatLifespanPolicyViolation,
    // Added in 7.1.
    InvalidTokenType,
    InvalidAudience,
    InvalidSubject,
    DeploymentHostNotSupported,
    // Added in 7.2.
    DisablePatCreationPolicyViolation,
    FailedToReadOrgPolicy,
    /// Wire value `globalPATCreationBlocked`.
    GlobalPatCreationBlocked,
    ExpiredPatCannotBeExtended,
    /// A value this version doesn't know, kept exactly as the service sent it.
    Unknown(String),
}

/// What kind of refusal a [`PatTokenError`] is, for choosing how to react.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalClass {
    /// No refusal: the operation succeeded.
    None,
    /// The request itself is wrong: a name, a date, a scope or an id.
    InvalidInput,
    /// An administrator's policy, or a Microsoft-wide block, forbids it.
    Policy,
    /// The token doesn't exist, or not in this organization.
    NotFound,
    /// The signed-in caller, its client app or its sign-in token is not allowed.
    AccessDenied,
    /// The service failed on its side; retrying later may help. Values this
    /// version doesn't know are also classed here.
    Service,
}

/// The 37 known values, in the spec's order.
static KNOWN: [PatTokenError; 37] = [
    PatTokenError::None,
    PatTokenError::DisplayNameRequired,
    PatTokenError::InvalidDisplayName,
    PatTokenError::InvalidValidTo,
    PatTokenError::InvalidScope,
    PatTokenError::UserIdRequired,
    PatTokenError::InvalidUserId,
    PatTokenError::InvalidUserType,
    PatTokenError::AccessDenied,
    PatTokenError::FailedToIssueAccessToken,
    PatTokenError::InvalidClient,
    PatTokenError::InvalidClientType,
    PatTokenError::InvalidClientId,
    PatTokenError::InvalidTargetAccounts,
    PatTokenError::HostAuthorizationNotFound,
    PatTokenError::AuthorizationNotFound,
    PatTokenError::FailedToUpdateAccessToken,
    PatTokenError::SourceNotSupported,
    PatTokenError::InvalidSourceIp,
    PatTokenError::InvalidSource,
    PatTokenError::DuplicateHash,
    PatTokenError::SshPolicyDisabled,
    PatTokenError::InvalidToken,
    PatTokenError::TokenNotFound,
    PatTokenError::InvalidAuthorizationId,
    PatTokenError::FailedToReadTenantPolicy,
    PatTokenError::GlobalPatPolicyViolation,
    PatTokenError::FullScopePatPolicyViolation,
    PatTokenError::PatLifespanPolicyViolation,
    PatTokenError::InvalidTokenType,
    PatTokenError::InvalidAudience,
    PatTokenError::InvalidSubject,
    PatTokenError::DeploymentHostNotSupported,
    PatTokenError::DisablePatCreationPolicyViolation,
    PatTokenError::FailedToReadOrgPolicy,
    PatTokenError::GlobalPatCreationBlocked,
    PatTokenError::ExpiredPatCannotBeExtended,
];

impl PatTokenError {
    /// Every known value, in the spec's order (`None` first, no `Unknown`).
    pub fn known() -> &'static [PatTokenError] {
        &KNOWN
    }

    /// The exact wire string, for example `globalPATCreationBlocked`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::None => "none",
            Self::DisplayNameRequired => "displayNameRequired",
            Self::InvalidDisplayName => "invalidDisplayName",
            Self::InvalidValidTo => "invalidValidTo",
            Self::InvalidScope => "invalidScope",
            Self::UserIdRequired => "userIdRequired",
            Self::InvalidUserId => "invalidUserId",
            Self::InvalidUserType => "invalidUserType",
            Self::AccessDenied => "accessDenied",
            Self::FailedToIssueAccessToken => "failedToIssueAccessToken",
            Self::InvalidClient => "invalidClient",
            Self::InvalidClientType => "invalidClientType",
            Self::InvalidClientId => "invalidClientId",
            Self::InvalidTargetAccounts => "invalidTargetAccounts",
            Self::HostAuthorizationNotFound => "hostAuthorizationNotFound",
            Self::AuthorizationNotFound => "authorizationNotFound",
            Self::FailedToUpdateAccessToken => "failedToUpdateAccessToken",
            Self::SourceNotSupported => "sourceNotSupported",
            Self::InvalidSourceIp => "invalidSourceIP",
            Self::InvalidSource => "invalidSource",
            Self::DuplicateHash => "duplicateHash",
            Self::SshPolicyDisabled => "sshPolicyDisabled",
            Self::InvalidToken => "invalidToken",
            Self::TokenNotFound => "tokenNotFound",
            Self::InvalidAuthorizationId => "invalidAuthorizationId",
            Self::FailedToReadTenantPolicy => "failedToReadTenantPolicy",
            Self::GlobalPatPolicyViolation => "globalPatPolicyViolation",
            Self::FullScopePatPolicyViolation => "fullScopePatPolicyViolation",
            Self::PatLifespanPolicyViolation => "patLifespanPolicyViolation",
            Self::InvalidTokenType => "invalidTokenType",
            Self::InvalidAudience => "invalidAudience",
            Self::InvalidSubject => "invalidSubject",
            Self::DeploymentHostNotSupported => "deploymentHostNotSupported",
            Self::DisablePatCreationPolicyViolation => "disablePatCreationPolicyViolation",
            Self::FailedToReadOrgPolicy => "failedToReadOrgPolicy",
            Self::GlobalPatCreationBlocked => "globalPATCreationBlocked",
            Self::ExpiredPatCannotBeExtended => "expiredPatCannotBeExtended",
            Self::Unknown(s) => s,
        }
    }

    /// Parses a wire string. Matching is exact and case-sensitive. Any other
    /// text, including an empty string, is kept as `Unknown(text)`.
    pub fn parse(s: &str) -> Self {
        KNOWN
            .iter()
            .find(|e| e.as_str() == s)
            .cloned()
            .unwrap_or_else(|| Self::Unknown(s.to_owned()))
    }

    /// True for every value except `None`.
    pub fn is_error(&self) -> bool {
        *self != Self::None
    }

    /// One plain-English sentence a developer can act on.
    pub fn explain(&self) -> String {
        let text = match self {
            Self::None => "Azure DevOps reported no error.",
            Self::DisplayNameRequired => {
                "The token needs a name; give it a non-empty display name and try again."
            }
            Self::InvalidDisplayName => {
                "Azure DevOps rejected the token's display name; choose a shorter, plainer name and try again."
            }
            Self::InvalidValidTo => {
                "The expiry date was not accepted; choose a date in the future and no more than a year away."
            }
            Self::InvalidScope => {
                "One or more of the requested scopes is unknown or not allowed; check the scope list and try again."
            }
            Self::UserIdRequired => {
                "Azure DevOps could not tell which user is asking; sign in again as a person, not a service principal or managed identity."
            }
            Self::InvalidUserId => {
                "Azure DevOps did not accept the user id of your sign-in; sign in again with the account that owns the tokens."
            }
            Self::InvalidUserType => {
                "This kind of account cannot manage PATs (service principals and managed identities can't); sign in as a user."
            }
            Self::AccessDenied => {
                "You are not allowed to do this; check that you are signed in with the right account and to the right organization."
            }
            Self::FailedToIssueAccessToken => {
                "Azure DevOps failed to issue the token on its side; wait a few minutes and try again."
            }
            Self::InvalidClient => {
                "The application you signed in through may not manage PATs; sign in through an app registration granted the vso.pats and vso.pats_manage permissions."
            }
            Self::InvalidClientType => {
                "PATs can only be managed through a delegated user sign-in; use the authorization-code or device-code flow, not client credentials."
            }
            Self::InvalidClientId => {
                "Azure DevOps did not recognise the client id of the application you signed in through; check the app registration's client id."
            }
            Self::InvalidTargetAccounts => {
                "The organization the token should apply to is not valid for your account; check the organization name and that you are a member of it."
            }
            Self::HostAuthorizationNotFound => {
                "The token is not known in this organization; it may belong to another organization, so look for it there."
            }
            Self::AuthorizationNotFound => {
                "No token with this authorization id exists for your account; refresh the token list, as it may have been revoked."
            }
            Self::FailedToUpdateAccessToken => {
                "Azure DevOps failed to save the change to the token on its side; wait a few minutes and try again."
            }
            Self::SourceNotSupported => {
                "Azure DevOps does not accept this operation from where the request came from; call https://vssps.dev.azure.com/{organization} directly."
            }
            Self::InvalidSourceIp => {
                "The request came from an IP address your organization does not allow, for example under a Conditional Access policy; retry from an allowed network."
            }
            Self::InvalidSource => {
                "Azure DevOps rejected the origin of the request; retry from a supported client without a proxy in between."
            }
            Self::DuplicateHash => {
                "The newly generated token clashed with an existing one; simply try the operation again."
            }
            Self::SshPolicyDisabled => {
                "An administrator has turned off the SSH authentication policy for this organization, so SSH keys can't be created there."
            }
            Self::InvalidToken => {
                "The token is no longer valid (it may be revoked or expired), so it can't be changed; create a new one instead."
            }
            Self::TokenNotFound => {
                "The token could not be found; it may have been deleted, so refresh the token list before trying again."
            }
            Self::InvalidAuthorizationId => {
                "The authorization id is not a valid token id; use the authorizationId GUID shown in the token list."
            }
            Self::FailedToReadTenantPolicy => {
                "Azure DevOps could not read your Microsoft Entra tenant's PAT policies, so it refused the request; try again later."
            }
            Self::GlobalPatPolicyViolation => {
                "An administrator's \"Restrict global PAT creation\" policy forbids tokens for all organizations; create one for a single organization instead."
            }
            Self::FullScopePatPolicyViolation => {
                "An administrator's \"Restrict full-scoped PAT creation\" policy forbids Full access tokens; pick only the scopes you need instead."
            }
            Self::PatLifespanPolicyViolation => {
                "The expiry date is beyond the maximum lifespan set by an administrator's \"Enforce maximum PAT lifespan\" policy; choose an earlier date."
            }
            Self::InvalidTokenType => {
                "The sign-in token is of a kind this API does not accept; sign in with a Microsoft Entra user token, since a PAT can't manage PATs."
            }
            Self::InvalidAudience => {
                "The sign-in token was issued for another resource; request one for Azure DevOps (499b84ac-1321-427f-aa17-267ca6975798)."
            }
            Self::InvalidSubject => {
                "Azure DevOps did not accept the subject of the sign-in token; sign out and sign in again as the user who owns the tokens."
            }
            Self::DeploymentHostNotSupported => {
                "The request did not reach an organization; send it to https://vssps.dev.azure.com/{organization} with your organization's name."
            }
            Self::DisablePatCreationPolicyViolation => {
                "An administrator's \"Restrict personal access token (PAT) creation\" policy stops you creating or regenerating tokens in this organization; where it allows Packaging scopes only, a token with Packaging scopes alone can still be made. Otherwise ask to be added to its allowlist; an existing token can still be extended."
            }
            Self::FailedToReadOrgPolicy => {
                "Azure DevOps could not read this organization's PAT policies, so it refused the request; try again later."
            }
            Self::GlobalPatCreationBlocked => {
                "Azure DevOps no longer creates or regenerates tokens for all organizations (blocked since 15 March 2026); create one per organization instead."
            }
            Self::ExpiredPatCannotBeExtended => {
                "This token has already expired, so its expiry can no longer be extended; regenerate it instead."
            }
            Self::Unknown(s) => return format!("Azure DevOps refused the operation ({s})."),
        };
        text.to_owned()
    }

    /// What kind of refusal this is.
    pub fn class(&self) -> RefusalClass {
        match self {
            Self::None => RefusalClass::None,
            Self::DisplayNameRequired
            | Self::InvalidDisplayName
            | Self::InvalidValidTo
            | Self::InvalidScope
            | Self::InvalidTargetAccounts
            | Self::InvalidToken
            | Self::InvalidAuthorizationId
            | Self::DeploymentHostNotSupported
            | Self::ExpiredPatCannotBeExtended => RefusalClass::InvalidInput,
            Self::SshPolicyDisabled
            | Self::GlobalPatPolicyViolation
            | Self::FullScopePatPolicyViolation
            | Self::PatLifespanPolicyViolation
            | Self::DisablePatCreationPolicyViolation
            | Self::GlobalPatCreationBlocked => RefusalClass::Policy,
            Self::HostAuthorizationNotFound | Self::AuthorizationNotFound | Self::TokenNotFound => {
                RefusalClass::NotFound
            }
            Self::UserIdRequired
            | Self::InvalidUserId
            | Self::InvalidUserType
            | Self::AccessDenied
            | Self::InvalidClient
            | Self::InvalidClientType
            | Self::InvalidClientId
            | Self::SourceNotSupported
            | Self::InvalidSourceIp
            | Self::InvalidSource
            | Self::InvalidTokenType
            | Self::InvalidAudience
            | Self::InvalidSubject => RefusalClass::AccessDenied,
            Self::FailedToIssueAccessToken
            | Self::FailedToUpdateAccessToken
            | Self::DuplicateHash
            | Self::FailedToReadTenantPolicy
            | Self::FailedToReadOrgPolicy
            | Self::Unknown(_) => RefusalClass::Service,
        }
    }
}

/// Shows the wire string.
impl fmt::Display for PatTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PatTokenError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Accepts any string (see [`PatTokenError::parse`]) and also `null`, which
/// reads as `None`.
impl<'de> Deserialize<'de> for PatTokenError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(PatTokenErrorVisitor)
    }
}

struct PatTokenErrorVisitor;

impl<'de> Visitor<'de> for PatTokenErrorVisitor {
    type Value = PatTokenError;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a patTokenError string or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PatTokenError::parse(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        match PatTokenError::parse(&v) {
            PatTokenError::Unknown(_) => Ok(PatTokenError::Unknown(v)),
            known => Ok(known),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(PatTokenError::None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(PatTokenError::None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The 37 values of `SessionTokenError` in SPEC 7.2, in order.
    const WIRE: [&str; 37] = [
        "none",
        "displayNameRequired",
        "invalidDisplayName",
        "invalidValidTo",
        "invalidScope",
        "userIdRequired",
        "invalidUserId",
        "invalidUserType",
        "accessDenied",
        "failedToIssueAccessToken",
        "invalidClient",
        "invalidClientType",
        "invalidClientId",
        "invalidTargetAccounts",
        "hostAuthorizationNotFound",
        "authorizationNotFound",
        "failedToUpdateAccessToken",
        "sourceNotSupported",
        "invalidSourceIP",
        "invalidSource",
        "duplicateHash",
        "sshPolicyDisabled",
        "invalidToken",
        "tokenNotFound",
        "invalidAuthorizationId",
        "failedToReadTenantPolicy",
        "globalPatPolicyViolation",
        "fullScopePatPolicyViolation",
        "patLifespanPolicyViolation",
        "invalidTokenType",
        "invalidAudience",
        "invalidSubject",
        "deploymentHostNotSupported",
        "disablePatCreationPolicyViolation",
        "failedToReadOrgPolicy",
        "globalPATCreationBlocked",
        "expiredPatCannotBeExtended",
    ];

    #[test]
    fn known_values_match_the_spec_in_order() {
        let known: Vec<_> = PatTokenError::known().iter().map(|e| e.as_str()).collect();
        assert_eq!(known, WIRE);
    }

    #[test]
    fn every_wire_string_round_trips_through_parse() {
        for w in WIRE {
            let e = PatTokenError::parse(w);
            assert!(
                !matches!(e, PatTokenError::Unknown(_)),
                "{w} parsed as Unknown"
            );
            assert_eq!(e.as_str(), w);
            assert_eq!(e.to_string(), w);
        }
        let distinct: HashSet<_> = WIRE.iter().map(|w| PatTokenError::parse(w)).collect();
        assert_eq!(distinct.len(), 37);
    }

    #[test]
    fn every_wire_string_round_trips_through_serde() {
        for w in WIRE {
            let json = format!("\"{w}\"");
            let e: PatTokenError = serde_json::from_str(&json).expect(w);
            assert_eq!(e, PatTokenError::parse(w));
            assert_eq!(serde_json::to_string(&e).expect(w), json);
            let from_value: PatTokenError =
                serde_json::from_value(serde_json::Value::String(w.to_owned())).expect(w);
            assert_eq!(from_value, e);
        }
    }

    #[test]
    fn odd_casings_are_exact() {
        assert_eq!(
            PatTokenError::parse("globalPATCreationBlocked"),
            PatTokenError::GlobalPatCreationBlocked
        );
        assert_eq!(
            PatTokenError::parse("invalidSourceIP"),
            PatTokenError::InvalidSourceIp
        );
        assert_eq!(
            PatTokenError::parse("globalPatCreationBlocked"),
            PatTokenError::Unknown("globalPatCreationBlocked".into())
        );
        assert_eq!(
            PatTokenError::parse("None"),
            PatTokenError::Unknown("None".into())
        );
    }

    #[test]
    fn unknown_values_are_kept() {
        let e = PatTokenError::parse("globalPatUsageDisabled");
        assert_eq!(e, PatTokenError::Unknown("globalPatUsageDisabled".into()));
        assert_eq!(e.as_str(), "globalPatUsageDisabled");
        assert_eq!(e.class(), RefusalClass::Service);
        assert_eq!(
            e.explain(),
            "Azure DevOps refused the operation (globalPatUsageDisabled)."
        );

        let d: PatTokenError = serde_json::from_str("\"someFutureValue\"").expect("deserialize");
        assert_eq!(d, PatTokenError::Unknown("someFutureValue".into()));
        assert_eq!(
            serde_json::to_string(&d).expect("serialize"),
            "\"someFutureValue\""
        );
        let empty: PatTokenError = serde_json::from_str("\"\"").expect("empty");
        assert_eq!(empty, PatTokenError::Unknown(String::new()));
    }

    #[test]
    fn null_and_missing_read_as_none() {
        let e: PatTokenError = serde_json::from_str("null").expect("null");
        assert_eq!(e, PatTokenError::None);
        assert!(!e.is_error());

        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Body {
            #[serde(default)]
            pat_token_error: PatTokenError,
        }
        let b: Body = serde_json::from_str(r#"{"patTokenError": null}"#).expect("null field");
        assert_eq!(b.pat_token_error, PatTokenError::None);
        let b: Body = serde_json::from_str("{}").expect("missing field");
        assert_eq!(b.pat_token_error, PatTokenError::None);
        let b: Body =
            serde_json::from_str(r#"{"patTokenError": "invalidScope"}"#).expect("string field");
        assert_eq!(b.pat_token_error, PatTokenError::InvalidScope);
        assert!(b.pat_token_error.is_error());
    }

    #[test]
    fn non_strings_are_rejected() {
        assert!(serde_json::from_str::<PatTokenError>("3").is_err());
        assert!(serde_json::from_str::<PatTokenError>("{}").is_err());
    }

    #[test]
    fn every_value_has_its_own_sentence() {
        let mut seen = HashSet::new();
        for e in PatTokenError::known() {
            let s = e.explain();
            assert!(!s.trim().is_empty(), "{e}");
            assert!(s.ends_with('.'), "{e}: {s}");
            assert!(s.starts_with(char::is_uppercase), "{e}: {s}");
            assert!(
                !s.contains("refused the operation ("),
                "{e} uses the fallback"
            );
            assert!(seen.insert(s), "{e} repeats another sentence");
        }
        assert_eq!(seen.len(), 37);
    }

    #[test]
    fn given_sentences() {
        assert_eq!(
            PatTokenError::ExpiredPatCannotBeExtended.explain(),
            "This token has already expired, so its expiry can no longer be extended; regenerate it instead."
        );
        assert_eq!(
            PatTokenError::GlobalPatCreationBlocked.explain(),
            "Azure DevOps no longer creates or regenerates tokens for all organizations (blocked since 15 March 2026); create one per organization instead."
        );
    }

    #[test]
    fn policy_sentences_name_the_policy() {
        let cases = [
            (
                PatTokenError::GlobalPatPolicyViolation,
                "Restrict global PAT creation",
            ),
            (
                PatTokenError::FullScopePatPolicyViolation,
                "Restrict full-scoped PAT creation",
            ),
            (
                PatTokenError::PatLifespanPolicyViolation,
                "maximum PAT lifespan",
            ),
            (
                PatTokenError::DisablePatCreationPolicyViolation,
                "Restrict personal access token (PAT) creation",
            ),
        ];
        for (e, policy) in cases {
            let s = e.explain();
            assert!(s.contains(policy), "{e}: {s}");
            assert!(s.contains("administrator"), "{e}: {s}");
            assert_eq!(e.class(), RefusalClass::Policy);
        }
    }

    #[test]
    fn classes() {
        use PatTokenError as E;
        assert_eq!(E::None.class(), RefusalClass::None);
        for e in [E::DisplayNameRequired, E::InvalidValidTo, E::InvalidScope] {
            assert_eq!(e.class(), RefusalClass::InvalidInput, "{e}");
        }
        assert_eq!(
            E::ExpiredPatCannotBeExtended.class(),
            RefusalClass::InvalidInput
        );
        assert_eq!(E::GlobalPatCreationBlocked.class(), RefusalClass::Policy);
        for e in [
            E::AuthorizationNotFound,
            E::TokenNotFound,
            E::HostAuthorizationNotFound,
        ] {
            assert_eq!(e.class(), RefusalClass::NotFound, "{e}");
        }
        for e in [E::AccessDenied, E::InvalidUserType, E::InvalidAudience] {
            assert_eq!(e.class(), RefusalClass::AccessDenied, "{e}");
        }
        for e in [
            E::FailedToIssueAccessToken,
            E::FailedToUpdateAccessToken,
            E::FailedToReadTenantPolicy,
            E::FailedToReadOrgPolicy,
        ] {
            assert_eq!(e.class(), RefusalClass::Service, "{e}");
        }
        // Only `none` is classed None, and every error gets a class.
        for e in PatTokenError::known() {
            assert_eq!(e.class() == RefusalClass::None, !e.is_error(), "{e}");
        }
    }
}
