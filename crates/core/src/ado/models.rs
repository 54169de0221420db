//! The PAT Lifecycle API's JSON shapes (tokens 7.1/7.2 `definitions`).
//!
//! Reading is lenient where the service has changed over time: `patTokenError` keeps
//! values it does not know, `patTokenErrorMessage` (7.2) is optional, and the PAT in a
//! result is only parsed when there is no error, since a refusal may carry a null or an
//! empty object.

use super::pat_error::PatTokenError;
use crate::secret::Secret;
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatToken {
    pub authorization_id: Uuid,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub scope: String,
    /// `None` for a global PAT (all of the user's organizations).
    pub target_accounts: Option<Vec<Uuid>>,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub valid_from: Timestamp,
    #[serde(deserialize_with = "lenient_timestamp")]
    pub valid_to: Timestamp,
    /// Set only in the answer to a create.
    #[serde(default)]
    pub token: Option<Secret>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagedPatTokens {
    #[serde(default)]
    pub continuation_token: Option<String>,
    /// Required: a page without it is not a page of PATs, and reading it as an empty
    /// one would hide an organization's PATs.
    pub pat_tokens: Vec<PatToken>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatTokenResult {
    #[serde(default)]
    pub pat_token: Option<serde_json::Value>,
    #[serde(default = "no_error")]
    pub pat_token_error: PatTokenError,
    #[serde(default)]
    pub pat_token_error_message: Option<String>,
}

fn no_error() -> PatTokenError {
    PatTokenError::None
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatTokenCreateRequest<'a> {
    pub display_name: &'a str,
    pub scope: String,
    pub valid_to: Timestamp,
    /// Always false: creating global PATs is blocked since 2026-03-15.
    pub all_orgs: bool,
}

/// Only the fields the user changed are sent, as Microsoft's sample does.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatTokenUpdateRequest<'a> {
    pub authorization_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<Timestamp>,
}

/// Accepts RFC 3339 with any fraction, and the offset-less form .NET sometimes writes
/// (taken as UTC).
fn lenient_timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_timestamp(&text).map_err(serde::de::Error::custom)
}

pub(crate) fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    text.parse::<jiff::civil::DateTime>()
        .and_then(|dt| dt.to_zoned(jiff::tz::TimeZone::UTC))
        .map(|z| z.timestamp())
        .map_err(|e| format!("'{text}' is not a date and time: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_official_list_example_shape() {
        let body = r#"{"continuationToken":"","patTokens":[
            {"displayName":"all_access_token","validTo":"2020-11-23T04:04:38.5233333Z","scope":"app_token",
             "targetAccounts":null,"validFrom":"2020-10-24T03:04:57.52Z","authorizationId":"4c60c9ed-a378-4883-af16-d655ca025b11","token":null}]}"#;
        let page: PagedPatTokens = serde_json::from_str(body).unwrap();
        let pat = &page.pat_tokens[0];
        assert!(pat.target_accounts.is_none());
        assert!(pat.token.is_none());
        assert_eq!(pat.valid_to.to_string(), "2020-11-23T04:04:38.5233333Z");
    }

    #[test]
    fn keeps_an_unknown_error_value_and_the_72_message() {
        let body =
            r#"{"patToken":null,"patTokenError":"somethingNew","patTokenErrorMessage":"Nope."}"#;
        let result: PatTokenResult = serde_json::from_str(body).unwrap();
        assert_eq!(
            result.pat_token_error,
            PatTokenError::Unknown("somethingNew".into())
        );
        assert_eq!(result.pat_token_error_message.as_deref(), Some("Nope."));
    }

    #[test]
    fn an_offset_less_date_is_utc() {
        assert_eq!(
            parse_timestamp("2026-01-02T03:04:05.1")
                .unwrap()
                .to_string(),
            "2026-01-02T03:04:05.1Z"
        );
        assert!(parse_timestamp("soon").is_err());
    }

    #[test]
    fn update_sends_only_what_changed_and_never_all_orgs() {
        let body = serde_json::to_value(PatTokenUpdateRequest {
            authorization_id: Uuid::nil(),
            display_name: None,
            scope: None,
            valid_to: Some("2027-01-01T00:00:00Z".parse().unwrap()),
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"authorizationId": Uuid::nil(), "validTo": "2027-01-01T00:00:00Z"})
        );
    }
}
