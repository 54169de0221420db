//! Device-code sign-in: for a terminal without a browser. The user opens a page
//! anywhere and types the code; AdoPat polls as Entra tells it to.

use super::oauth;
use super::{Authority, SignedIn};
use crate::error::{Error, Result};
use oauth2::RequestTokenError;
use oauth2::basic::BasicErrorResponseType;
use oauth2::{
    DeviceAuthorizationResponse, DeviceCodeErrorResponseType, ExtraDeviceAuthorizationFields,
};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Entra adds a ready-made sentence to the device authorization answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct EntraDeviceFields {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for EntraDeviceFields {}

/// What to show the user: where to go and which code to enter.
pub struct Prompt {
    pub verification_uri: String,
    pub user_code: String,
    pub expires_in: Duration,
    /// Entra's own sentence, ready to print.
    pub message: Option<String>,
}

pub async fn sign_in(authority: &Authority, show: impl FnOnce(&Prompt)) -> Result<SignedIn> {
    let client = oauth::client(authority)?;
    let http = oauth::http()?;
    let details: DeviceAuthorizationResponse<EntraDeviceFields> = client
        .exchange_device_code()
        .add_scopes(oauth::scopes())
        .request_async(&http)
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => Error::SignIn(format!(
                "Entra refused to start a device sign-in ({}): {}",
                r.error(),
                r.error_description()
                    .map(String::as_str)
                    .unwrap_or_default()
            )),
            RequestTokenError::Request(e) => {
                Error::Unavailable(format!("The sign-in service could not be reached ({e})."))
            }
            other => Error::SignIn(format!("The device sign-in could not start: {other}")),
        })?;
    show(&Prompt {
        verification_uri: details.verification_uri().to_string(),
        user_code: details.user_code().secret().clone(),
        expires_in: details.expires_in(),
        message: details.extra_fields().message.clone(),
    });
    let response = client
        .exchange_device_access_token(&details)
        .request_async(&http, tokio::time::sleep, None)
        .await
        .map_err(|e| match e {
            RequestTokenError::ServerResponse(r) => match r.error() {
                DeviceCodeErrorResponseType::ExpiredToken => Error::SignIn(
                    "The device code expired before the sign-in was finished; start the sign-in again.".into(),
                ),
                DeviceCodeErrorResponseType::AccessDenied => {
                    Error::SignIn("The sign-in was declined.".into())
                }
                // Entra's own word for a declined device sign-in.
                DeviceCodeErrorResponseType::Basic(BasicErrorResponseType::Extension(code))
                    if code == "authorization_declined" =>
                {
                    Error::SignIn("The sign-in was declined.".into())
                }
                other => Error::SignIn(format!(
                    "Entra refused the device sign-in ({other}): {}",
                    r.error_description().map(String::as_str).unwrap_or_default()
                )),
            },
            RequestTokenError::Request(e) => Error::Unavailable(format!(
                "The sign-in service could not be reached ({e})."
            )),
            other => Error::SignIn(format!("The device sign-in failed: {other}")),
        })?;
    oauth::signed_in(&response, None)
}
