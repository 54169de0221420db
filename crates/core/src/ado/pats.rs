//! The five operations of the PAT Lifecycle API on one organization.

use super::client::AdoClient;
use super::models::{
    PagedPatTokens, PatToken, PatTokenCreateRequest, PatTokenResult, PatTokenUpdateRequest,
};
use super::pat_error::PatTokenError;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::status::Filter;
use jiff::Timestamp;
use reqwest::Method;
use serde::Serialize;
use url::Url;
use uuid::Uuid;

/// The newest version whose shapes AdoPat reads; 7.2's extra fields are read when sent.
pub const API_VERSION: &str = "7.1-preview.1";
/// The service's page limit for `$top`.
pub const PAGE_SIZE: u32 = 100;

/// A freshly created PAT and its secret, which the service shows only once.
#[derive(Debug)]
pub struct Created {
    pub pat: PatToken,
    pub secret: Secret,
}

/// What an edit changes; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct PatChanges {
    pub display_name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub valid_to: Option<Timestamp>,
}

impl AdoClient {
    fn pats_url(&self, org: &str, query: &[(&str, &str)]) -> Result<Url> {
        let mut url = self
            .endpoints()
            .vssps
            .join(&format!("{}/_apis/tokens/pats", check_org(org)?))
            .map_err(|e| {
                Error::invalid("organization", format!("'{org}' does not form a URL: {e}"))
            })?;
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("api-version", API_VERSION);
        }
        Ok(url)
    }

    /// Every PAT of `org` that passes `filter`, following continuation tokens to the end.
    pub async fn list_pats(&self, org: &str, filter: Filter) -> Result<Vec<PatToken>> {
        let top = PAGE_SIZE.to_string();
        let mut all = Vec::new();
        let mut continuation = String::new();
        // A service that comes back to a continuation token it sent before would
        // otherwise loop for ever (A, A, … or A, B, A, B, …).
        let mut seen = std::collections::HashSet::new();
        loop {
            let mut query = vec![
                ("displayFilterOption", filter.as_str()),
                ("$top", top.as_str()),
            ];
            if !continuation.is_empty() {
                query.push(("continuationToken", continuation.as_str()));
            }
            let url = self.pats_url(org, &query)?;
            let page: PagedPatTokens = self.json(Method::GET, url, None).await?;
            all.extend(page.pat_tokens);
            match page.continuation_token.filter(|t| !t.is_empty()) {
                None => return Ok(all),
                Some(next) if !seen.insert(next.clone()) => {
                    return Err(Error::Unavailable(format!(
                        "Azure DevOps sent the pages of '{org}' in a circle (a continuation token came back); stopped listing."
                    )));
                }
                Some(next) => continuation = next,
            }
        }
    }

    pub async fn get_pat(&self, org: &str, id: Uuid) -> Result<PatToken> {
        let url = self.pats_url(org, &[("authorizationId", &id.to_string())])?;
        let result: PatTokenResult = self.json(Method::GET, url, None).await?;
        into_pat(result)
    }

    /// Creates a PAT. When the answer is lost (the service may or may not have made
    /// it), the outcome is found out before anything else: a PAT made then is revoked
    /// again and the caller told so, or, when none was made, the create is sent once
    /// more. The secret is never lost silently: it is either returned or nothing is left.
    pub async fn create_pat(
        &self,
        org: &str,
        name: &str,
        scopes: &[String],
        valid_to: Timestamp,
    ) -> Result<Created> {
        let body = to_body(&PatTokenCreateRequest {
            display_name: name,
            scope: scopes.join(" "),
            valid_to,
            all_orgs: false,
        })?;
        let mut resent = false;
        loop {
            let url = self.pats_url(org, &[])?;
            let sent_at = tokio::time::Instant::now();
            let lost = match self
                .json_or_lost::<PatTokenResult>(Method::POST, url, Some(&body))
                .await
            {
                Ok(result) => return created(result, name),
                Err(lost) if !lost.uncertain => return Err(lost.error),
                Err(lost) => lost.error,
            };
            let ambiguous = super::ambiguous::Ambiguous {
                org,
                name,
                scopes,
                sent: sent_at,
            };
            match ambiguous.resolve(self).await {
                Ok(super::ambiguous::Outcome::NoneMade) if !resent => {
                    tracing::info!(
                        org,
                        "a create's answer was lost and none was made: sending it again"
                    );
                    resent = true;
                }
                Ok(outcome) => return Err(outcome.into_error(&lost, name)),
                Err(why) => return Err(ambiguous.unresolved(&lost, &why)),
            }
        }
    }

    pub async fn update_pat(&self, org: &str, id: Uuid, changes: &PatChanges) -> Result<PatToken> {
        let body = to_body(&PatTokenUpdateRequest {
            authorization_id: id,
            display_name: changes.display_name.as_deref(),
            scope: changes.scopes.as_ref().map(|s| s.join(" ")),
            valid_to: changes.valid_to,
        })?;
        let url = self.pats_url(org, &[])?;
        let result: PatTokenResult = self.json(Method::PUT, url, Some(&body)).await?;
        into_pat(result)
    }

    pub async fn revoke_pat(&self, org: &str, id: Uuid) -> Result<()> {
        let url = self.pats_url(org, &[("authorizationId", &id.to_string())])?;
        self.send(Method::DELETE, url, None).await.map(drop)
    }
}

fn created(result: PatTokenResult, name: &str) -> Result<Created> {
    let mut pat = into_pat(result)?;
    let secret = pat.token.take().filter(|s| !s.is_empty()).ok_or_else(|| {
        Error::Unavailable(format!(
            "Azure DevOps created the PAT '{name}' ({}) but sent no secret; revoke it and try again.",
            pat.authorization_id
        ))
    })?;
    Ok(Created { pat, secret })
}

fn to_body(request: &impl Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(request)
        .map_err(|e| Error::Other(format!("could not encode the request: {e}")))
}

fn into_pat(result: PatTokenResult) -> Result<PatToken> {
    if result.pat_token_error != PatTokenError::None {
        return Err(Error::refused(
            result.pat_token_error,
            result.pat_token_error_message.as_deref(),
        ));
    }
    let value = result
        .pat_token
        .filter(|v| !v.is_null())
        .ok_or_else(|| Error::Unavailable("Azure DevOps answered without the PAT.".into()))?;
    serde_json::from_value(value)
        .map_err(|e| Error::Unavailable(format!("Azure DevOps sent a PAT AdoPat cannot read: {e}")))
}

/// Organization names are letters, digits and hyphens; anything else would change the
/// URL's meaning, so it is refused before a request.
pub fn check_org(org: &str) -> Result<&str> {
    let ok = !org.is_empty()
        && org.len() <= 50
        && org
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !org.starts_with(['-', '.']);
    if ok {
        Ok(org)
    } else {
        Err(Error::invalid(
            "organization",
            format!(
                "'{org}' is not an organization name (letters, digits and hyphens, as in dev.azure.com/NAME)"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_names_that_would_bend_the_url_are_refused() {
        assert!(check_org("contoso").is_ok());
        assert!(check_org("my-org-2").is_ok());
        for bad in ["", "a/b", "../x", "a?b", "a b", "-x"] {
            let err = check_org(bad).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.to_string().starts_with("organization:"), "{err}");
        }
    }
}
