//! The JSON the service writes, shaped after the 7.2 definitions (`PatToken`,
//! `PagedPatTokens`, `PatTokenResult`) and the official examples: camelCase, fields in
//! the examples' order, `token` and `targetAccounts` written as `null` rather than left
//! out.

use serde::Serialize;
use uuid::Uuid;

use crate::dates;
use crate::state::Pat;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PatToken {
    pub(crate) display_name: String,
    pub(crate) valid_to: String,
    pub(crate) scope: String,
    pub(crate) target_accounts: Option<Vec<Uuid>>,
    pub(crate) valid_from: String,
    pub(crate) authorization_id: Uuid,
    pub(crate) token: Option<String>,
}

impl PatToken {
    /// The secret is only ever known at creation, so only `create` passes it.
    pub(crate) fn of(pat: &Pat, token: Option<String>) -> PatToken {
        PatToken {
            display_name: pat.display_name.clone(),
            valid_to: dates::render(pat.valid_to),
            scope: pat.scope.clone(),
            target_accounts: pat.targets.clone(),
            valid_from: dates::render(pat.valid_from),
            authorization_id: pat.id,
            token,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PagedPatTokens {
    pub(crate) continuation_token: String,
    pub(crate) pat_tokens: Vec<PatToken>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PatTokenResult {
    pub(crate) pat_token: Option<PatToken>,
    pub(crate) pat_token_error: &'static str,
    /// Outer `None`: the field does not exist in the requested api-version (before 7.2).
    /// `Some(None)`: it exists and there was no error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) pat_token_error_message: Option<Option<String>>,
}

impl PatTokenResult {
    pub(crate) fn ok(pat: PatToken, with_message_field: bool) -> PatTokenResult {
        PatTokenResult {
            pat_token: Some(pat),
            pat_token_error: "none",
            pat_token_error_message: with_message_field.then_some(None),
        }
    }

    pub(crate) fn refused(refusal: Refusal, with_message_field: bool) -> PatTokenResult {
        PatTokenResult {
            pat_token: None,
            pat_token_error: refusal.error.as_str(),
            pat_token_error_message: with_message_field.then_some(Some(refusal.message)),
        }
    }
}

/// The `SessionTokenError` values this emulator gives out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatTokenError {
    DisplayNameRequired,
    InvalidDisplayName,
    InvalidValidTo,
    InvalidScope,
    AuthorizationNotFound,
    InvalidAuthorizationId,
    GlobalPatPolicyViolation,
    FullScopePatPolicyViolation,
    GlobalPatCreationBlocked,
    ExpiredPatCannotBeExtended,
    DisablePatCreationPolicyViolation,
}

impl PatTokenError {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            PatTokenError::DisplayNameRequired => "displayNameRequired",
            PatTokenError::InvalidDisplayName => "invalidDisplayName",
            PatTokenError::InvalidValidTo => "invalidValidTo",
            PatTokenError::InvalidScope => "invalidScope",
            PatTokenError::AuthorizationNotFound => "authorizationNotFound",
            PatTokenError::InvalidAuthorizationId => "invalidAuthorizationId",
            PatTokenError::GlobalPatPolicyViolation => "globalPatPolicyViolation",
            PatTokenError::FullScopePatPolicyViolation => "fullScopePatPolicyViolation",
            PatTokenError::GlobalPatCreationBlocked => "globalPATCreationBlocked",
            PatTokenError::ExpiredPatCannotBeExtended => "expiredPatCannotBeExtended",
            PatTokenError::DisablePatCreationPolicyViolation => "disablePatCreationPolicyViolation",
        }
    }
}

/// A refusal in the body of an HTTP 200, as the spec declares every outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) error: PatTokenError,
    pub(crate) message: String,
}

impl Refusal {
    pub(crate) fn new(error: PatTokenError, message: impl Into<String>) -> Refusal {
        Refusal {
            error,
            message: message.into(),
        }
    }
}

/// The service's standard error body (docs/ado-pat-api.md §6), in its field order.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ErrorBody {
    #[serde(rename = "$id")]
    pub(crate) id: &'static str,
    pub(crate) inner_exception: Option<()>,
    pub(crate) message: String,
    pub(crate) type_name: String,
    pub(crate) type_key: String,
    pub(crate) error_code: i32,
    pub(crate) event_id: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_matches_the_service_layout() {
        let body = ErrorBody {
            id: "1",
            inner_exception: None,
            message: "m".into(),
            type_name: "T, A".into(),
            type_key: "T".into(),
            error_code: 0,
            event_id: 3000,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"$id":"1","innerException":null,"message":"m","typeName":"T, A","typeKey":"T","errorCode":0,"eventId":3000}"#
        );
    }

    #[test]
    fn the_message_field_exists_only_from_7_2() {
        let refusal = Refusal::new(PatTokenError::InvalidScope, "bad");
        let old = serde_json::to_value(PatTokenResult::refused(refusal.clone(), false)).unwrap();
        assert!(old.get("patTokenErrorMessage").is_none());
        let new = serde_json::to_value(PatTokenResult::refused(refusal, true)).unwrap();
        assert_eq!(new["patTokenErrorMessage"], "bad");
        assert_eq!(new["patToken"], serde_json::Value::Null);
    }
}
