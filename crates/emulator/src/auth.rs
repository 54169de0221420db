//! Who is calling, and what the service answers someone it does not know.
//!
//! A missing or unknown bearer token gets the sign-in page with 203 Non-Authoritative
//! Information, as the service does for browsers; clients that send
//! `X-TFS-FedAuthRedirect: Suppress` get 401 with TF400813 instead.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::errors::ServiceError;
use crate::params::{self, ApiVersion, Params, Versions};
use crate::signin;
use uuid::Uuid;

use crate::state::{Org, Shared, User, lock};

pub(crate) const RESOURCE_TENANT: HeaderName = HeaderName::from_static("x-vss-resourcetenant");
const FED_AUTH_REDIRECT: &str = "x-tfs-fedauthredirect";

pub(crate) enum Credentials {
    None,
    Bearer(String),
    /// The password part of Basic auth: the PAT, whatever the user part says.
    Basic(Option<String>),
    Other,
}

pub(crate) fn credentials(headers: &HeaderMap) -> Credentials {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return Credentials::None;
    };
    let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        Credentials::Bearer(rest.trim().to_owned())
    } else if scheme.eq_ignore_ascii_case("basic") {
        let password = STANDARD
            .decode(rest.trim())
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|pair| {
                pair.split_once(':')
                    .map(|(_, password)| password.to_owned())
            });
        Credentials::Basic(password)
    } else {
        Credentials::Other
    }
}

/// How the request log names the credentials, without their value.
pub(crate) fn kind(headers: &HeaderMap) -> &'static str {
    match credentials(headers) {
        Credentials::None => "none",
        Credentials::Bearer(_) => "bearer",
        Credentials::Basic(_) => "basic",
        Credentials::Other => "other",
    }
}

pub(crate) fn bearer_user(shared: &Shared, headers: &HeaderMap) -> Option<User> {
    let Credentials::Bearer(token) = credentials(headers) else {
        return None;
    };
    let now = shared.clock.now();
    lock(&shared.store).user_for_bearer(&token, now).cloned()
}

/// The answer to a caller without valid credentials; `tenant` is the one the resource
/// belongs to, where the challenge sends the client to sign in.
pub(crate) fn sign_in_required(shared: &Shared, headers: &HeaderMap, tenant: Uuid) -> Response {
    let suppressed = headers
        .get(FED_AUTH_REDIRECT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().eq_ignore_ascii_case("suppress"));
    if suppressed {
        not_authorized(shared, "", tenant)
    } else {
        signin::page(
            &shared.base_url,
            axum::http::StatusCode::NON_AUTHORITATIVE_INFORMATION,
        )
    }
}

/// 401 TF400813 with the challenge the service sends, pointing at the emulated Entra.
pub(crate) fn not_authorized(shared: &Shared, user: &str, tenant: Uuid) -> Response {
    let base = &shared.base_url;
    ServiceError::unauthorized(user)
        .with_header(
            header::WWW_AUTHENTICATE,
            format!(
                "Bearer authorization_uri={base}/{tenant}, Basic realm=\"{base}/\", TFS-Federated"
            ),
        )
        .into_response()
}

/// Names the organization's tenant, as the service does on its answers.
pub(crate) fn with_tenant(mut response: Response, tenant: Uuid) -> Response {
    response.headers_mut().insert(
        RESOURCE_TENANT,
        HeaderValue::from_str(&tenant.to_string()).unwrap_or_else(|_| HeaderValue::from_static("")),
    );
    response
}

/// The answer to a call that did not get as far as its handler.
pub(crate) type Rejected = Box<Response>;

/// A signed-in call to one organization's API.
pub(crate) struct OrgCall {
    pub(crate) user: User,
    pub(crate) org: Org,
    pub(crate) version: ApiVersion,
    pub(crate) params: Params,
}

/// Resolves the organization first (an unknown one is 404 for anyone, as the host
/// cannot be found before authentication), then the caller, then the api-version.
pub(crate) fn org_call(
    shared: &Shared,
    method: &Method,
    org_name: &str,
    uri: &Uri,
    headers: &HeaderMap,
    versions: Versions,
) -> Result<OrgCall, Rejected> {
    let org = lock(&shared.store).org_named(org_name).cloned();
    let Some(org) = org else {
        return Err(Box::new(
            ServiceError::organization_not_found(org_name).into_response(),
        ));
    };
    let Some(user) = bearer_user(shared, headers) else {
        return Err(Box::new(with_tenant(
            sign_in_required(shared, headers, org.tenant),
            org.tenant,
        )));
    };
    if !user.orgs.contains(&org.account_id) {
        return Err(Box::new(with_tenant(
            not_authorized(shared, &user.id.to_string(), org.tenant),
            org.tenant,
        )));
    }
    let params = Params::parse(uri.query());
    let version = params::api_version(method.as_str(), &params, headers, versions)
        .map_err(|error| Box::new(with_tenant(error.into_response(), org.tenant)))?;
    Ok(OrgCall {
        user,
        org,
        version,
        params,
    })
}

/// A signed-in call to an API that is not per organization (profile, accounts).
pub(crate) struct UserCall {
    pub(crate) user: User,
    pub(crate) params: Params,
}

pub(crate) fn user_call(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    versions: Versions,
) -> Result<UserCall, Rejected> {
    let Some(user) = bearer_user(shared, headers) else {
        let tenant = lock(&shared.store).default_tenant();
        return Err(Box::new(sign_in_required(shared, headers, tenant)));
    };
    let params = Params::parse(uri.query());
    params::api_version(method.as_str(), &params, headers, versions)
        .map_err(|error| Box::new(error.into_response()))?;
    Ok(UserCall { user, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn basic_auth_yields_the_password_whatever_the_user() {
        let encoded = STANDARD.encode(":secret-pat");
        match credentials(&with_auth(&format!("Basic {encoded}"))) {
            Credentials::Basic(Some(password)) => assert_eq!(password, "secret-pat"),
            _ => panic!("expected basic credentials"),
        }
        let encoded = STANDARD.encode("anyone:other");
        match credentials(&with_auth(&format!("basic {encoded}"))) {
            Credentials::Basic(Some(password)) => assert_eq!(password, "other"),
            _ => panic!("expected basic credentials"),
        }
    }

    #[test]
    fn kinds_never_carry_the_value() {
        assert_eq!(kind(&with_auth("Bearer abc")), "bearer");
        assert_eq!(kind(&with_auth("Basic Zm9v")), "basic");
        assert_eq!(kind(&with_auth("Negotiate x")), "other");
        assert_eq!(kind(&HeaderMap::new()), "none");
    }
}
