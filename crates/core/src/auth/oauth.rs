//! The OAuth 2.0 plumbing over the `oauth2` crate, set up for Entra's v2 endpoints.

use super::identity::Identity;
use super::{AZURE_DEVOPS_RESOURCE, Authority, SignedIn};
use crate::error::{Error, Result};
use crate::secret::Secret;
use jiff::{SignedDuration, Timestamp};
use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthUrl, Client, ClientId, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet,
    ExtraTokenFields, RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse,
    TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

/// Entra adds the id token to the token response.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntraFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl ExtraTokenFields for EntraFields {}

pub type EntraTokenResponse = StandardTokenResponse<EntraFields, BasicTokenType>;

pub type EntraClient = Client<
    BasicErrorResponse,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Azure DevOps' scopes, plus what makes Entra return a refresh token and an id token.
pub fn scopes() -> Vec<Scope> {
    [
        format!("{AZURE_DEVOPS_RESOURCE}/.default"),
        "offline_access".into(),
        "openid".into(),
        "profile".into(),
    ]
    .into_iter()
    .map(Scope::new)
    .collect()
}

pub fn client(authority: &Authority) -> Result<EntraClient> {
    let base = |what: &str| {
        authority
            .endpoints
            .login
            .join(&format!("{}/oauth2/v2.0/{what}", authority.tenant))
            .map(|u| u.to_string())
            .map_err(|e| Error::invalid("tenant", format!("'{}': {e}", authority.tenant)))
    };
    let bad = |e: url::ParseError| Error::Other(format!("bad sign-in URL: {e}"));
    Ok(Client::new(ClientId::new(authority.client_id.clone()))
        .set_auth_uri(AuthUrl::new(base("authorize")?).map_err(bad)?)
        .set_token_uri(TokenUrl::new(base("token")?).map_err(bad)?)
        .set_device_authorization_url(
            DeviceAuthorizationUrl::new(base("devicecode")?).map_err(bad)?,
        ))
}

/// The HTTP client for the authority: no redirects, as the `oauth2` crate advises.
pub fn http() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("AdoPat/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| Error::Other(format!("could not set up HTTP: {e}")))
}

/// The tokens of a successful exchange; `identity` is read from the id token when there
/// is one (a refresh may leave it out).
pub fn signed_in(response: &EntraTokenResponse, known: Option<&Identity>) -> Result<SignedIn> {
    let identity = match (&response.extra_fields().id_token, known) {
        (Some(id_token), _) => Identity::from_id_token(id_token)?,
        (None, Some(identity)) => identity.clone(),
        (None, None) => {
            return Err(Error::SignIn(
                "Entra did not say who signed in (no id token). Try again.".into(),
            ));
        }
    };
    let refresh_token = response
        .refresh_token()
        .map(|t| Secret::new(t.secret().clone()))
        .ok_or_else(|| {
            Error::SignIn("Entra gave no refresh token, so AdoPat could not stay signed in.".into())
        })?;
    let lifetime = response
        .expires_in()
        .and_then(|d| SignedDuration::try_from(d).ok())
        .unwrap_or(SignedDuration::from_mins(30));
    Ok(SignedIn {
        identity,
        access_token: Secret::new(response.access_token().secret().clone()),
        expires_at: Timestamp::now() + lifetime,
        refresh_token,
    })
}

/// What went wrong at the token endpoint, in words a user can act on. The error text
/// Entra sends never holds a secret, but the request's body would, so only the response
/// is quoted.
pub fn token_error<RE: std::error::Error + 'static>(
    error: RequestTokenError<RE, BasicErrorResponse>,
) -> Error {
    match error {
        RequestTokenError::ServerResponse(response) => {
            let said = response
                .error_description()
                .map(|d| d.lines().next().unwrap_or_default().to_owned())
                .unwrap_or_default();
            match response.error() {
                BasicErrorResponseType::InvalidGrant => Error::SignIn(format!(
                    "Your sign-in has expired or was revoked; sign in again. ({said})"
                )),
                BasicErrorResponseType::Extension(code) if code == "interaction_required" => {
                    Error::SignIn(format!(
                        "Your organization asks you to sign in again interactively (for example for multi-factor authentication): sign in again. ({said})"
                    ))
                }
                other => Error::SignIn(format!("Entra refused the sign-in ({other}): {said}")),
            }
        }
        RequestTokenError::Request(e) => Error::Unavailable(format!(
            "The sign-in service could not be reached ({e}). Check your network connection."
        )),
        RequestTokenError::Parse(e, _) => Error::Unavailable(format!(
            "The sign-in service sent an answer AdoPat cannot read ({e})."
        )),
        RequestTokenError::Other(e) => Error::SignIn(format!("The sign-in failed: {e}")),
    }
}
