//! The authorization code flow with PKCE: `{base}/{tenant}/oauth2/v2.0/authorize`, and
//! the redemption of its codes at the token endpoint.
//!
//! Until the redirect URI is known to be a loopback address (all a public client may
//! use), a problem is shown as an HTML page; after that it goes back to the client as
//! `?error=…&error_description=…&state=…`. With auto-approve the answer is a 302 with
//! the code right away; otherwise a page asks to approve, and posts back here.
//!
//! Codes are single use, expire after 10 minutes by the emulator's clock, and are bound
//! to the client id, the redirect URI, the S256 challenge and the signed-in user.

use std::net::Ipv4Addr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};
use url::{Host, Url};

use super::errors::{Context, Failure};
use super::grants::Grant;
use super::pages;
use super::scopes::Scopes;
use super::token::{self, Redeemed, required};
use super::users::Route;
use crate::dates;
use crate::params::Params;
use crate::state::{Shared, Store, lock};

const CODE_LIFETIME: SignedDuration = SignedDuration::from_mins(10);

pub(crate) async fn show(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let params = Params::parse(uri.query());
    handle(&shared, &tenant, &uri, &params, &headers, None)
}

/// The consent page's buttons post here (to the same URL, so the query still holds the
/// request); a request may also come as a form post of its own.
pub(crate) async fn answer(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Params::parse(std::str::from_utf8(&body).ok());
    let choice = match form.get("action").map(str::trim) {
        Some(action) if action.eq_ignore_ascii_case("approve") => Some(Choice::Approve),
        Some(action) if action.eq_ignore_ascii_case("cancel") => Some(Choice::Cancel),
        _ => None,
    };
    let params = match uri.query() {
        Some(query) if !query.is_empty() => Params::parse(Some(query)),
        _ => form,
    };
    handle(&shared, &tenant, &uri, &params, &headers, choice)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    Approve,
    Cancel,
}

fn handle(
    shared: &Shared,
    tenant: &str,
    uri: &Uri,
    params: &Params,
    headers: &HeaderMap,
    choice: Option<Choice>,
) -> Response {
    let context = Context::new(shared, headers);
    let mut store = lock(&shared.store);
    let request = match Request::check(&store, tenant, params) {
        Ok(request) => request,
        Err(refused) => {
            return match *refused {
                Refused::Page(failure) => failure.page(&context),
                Refused::Redirect(failure, to, state) => {
                    failure.redirect(&context, &to, state.as_deref())
                }
            };
        }
    };
    let refuse = |failure: Failure| failure.redirect(&context, &request.redirect, request.state);
    let Some(user) = request.route.user(&store, request.login_hint).cloned() else {
        return Failure::tenant_not_found(tenant).page(&context);
    };
    let choice = match choice {
        Some(choice) => choice,
        None if store.entra.settings.auto_approve => Choice::Approve,
        None if request.prompt_none => return refuse(Failure::login_required()),
        None => {
            let action = match uri.query() {
                Some(query) => format!("{}?{query}", uri.path()),
                None => uri.path().to_owned(),
            };
            return pages::sign_in(&user, &request.client_id, &request.scopes.listed(), &action);
        }
    };
    if choice == Choice::Cancel {
        return refuse(Failure::access_denied());
    }
    let code = store.entra.issue_code(
        Grant {
            user: user.id,
            client_id: request.client_id.clone(),
            scopes: request.scopes.clone(),
        },
        request.redirect.to_string(),
        request.challenge.to_owned(),
        request.nonce.map(str::to_owned),
        dates::add(context.now, CODE_LIFETIME),
    );
    tracing::info!(user = %user.email, "Entra authorization code issued");
    let mut target = request.redirect.clone();
    {
        let mut query = target.query_pairs_mut();
        query.append_pair("code", &code);
        if let Some(state) = request.state {
            query.append_pair("state", state);
        }
    }
    pages::redirect(&target)
}

/// A checked authorization request.
struct Request<'a> {
    route: Route,
    client_id: String,
    redirect: Url,
    state: Option<&'a str>,
    scopes: Scopes,
    challenge: &'a str,
    nonce: Option<&'a str>,
    login_hint: Option<&'a str>,
    prompt_none: bool,
}

enum Refused {
    /// The redirect URI cannot be trusted (yet): tell the person in the browser.
    Page(Failure),
    Redirect(Failure, Url, Option<String>),
}

impl<'a> Request<'a> {
    fn check(store: &Store, tenant: &str, params: &'a Params) -> Result<Request<'a>, Box<Refused>> {
        let page = |failure: Failure| Box::new(Refused::Page(failure));
        let route = Route::of(store, tenant).map_err(page)?;
        let client_id = token::client_id(params, tenant).map_err(page)?;
        let redirect_text =
            required(params, "redirect_uri").map_err(|_| page(Failure::no_reply_address()))?;
        let redirect = loopback(redirect_text)
            .ok_or_else(|| page(Failure::reply_address_refused(redirect_text, &client_id)))?;
        let state = params.get("state");
        let back = |failure: Failure| {
            Box::new(Refused::Redirect(
                failure,
                redirect.clone(),
                state.map(str::to_owned),
            ))
        };

        let response_type = required(params, "response_type").map_err(back)?;
        if response_type != "code" {
            return Err(back(Failure::unsupported_response_type(response_type)));
        }
        if let Some(mode) = params.get("response_mode").map(str::trim)
            && !mode.is_empty()
            && mode != "query"
        {
            return Err(back(Failure::unsupported_response_mode(mode)));
        }
        let scopes = Scopes::parse(required(params, "scope").map_err(back)?).map_err(back)?;
        let challenge = params
            .get("code_challenge")
            .map(str::trim)
            .filter(|challenge| !challenge.is_empty())
            .ok_or_else(|| back(Failure::pkce_required()))?;
        let method = params.get("code_challenge_method").unwrap_or_default();
        if method != "S256" {
            return Err(back(Failure::challenge_method(method)));
        }
        // base64url of a SHA-256 digest, without padding.
        if challenge.len() != 43 || URL_SAFE_NO_PAD.decode(challenge).is_err() {
            return Err(back(Failure::challenge_size()));
        }
        Ok(Request {
            route,
            client_id,
            redirect,
            state,
            scopes,
            challenge,
            nonce: params.get("nonce"),
            login_hint: params.get("login_hint"),
            prompt_none: params
                .get("prompt")
                .is_some_and(|prompt| prompt.trim() == "none"),
        })
    }
}

/// `http://localhost[:port]/…` or `http://127.0.0.1[:port]/…`, the only redirect URIs a
/// public client may use here (any port, as Entra allows for loopback).
fn loopback(uri: &str) -> Option<Url> {
    let url = Url::parse(uri).ok()?;
    let host_ok = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        _ => false,
    };
    let plain = url.username().is_empty() && url.password().is_none() && url.fragment().is_none();
    (url.scheme() == "http" && host_ok && plain).then_some(url)
}

/// RFC 7636: 43 to 128 unreserved characters.
fn verifier_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// The `authorization_code` grant.
pub(crate) fn redeem(
    store: &mut Store,
    route: Route,
    client_id: &str,
    form: &Params,
    now: Timestamp,
) -> Result<Redeemed, Failure> {
    let code = required(form, "code")?;
    let redirect_uri = required(form, "redirect_uri")?;
    let verifier = required(form, "code_verifier")?;
    let requested = Scopes::requested(form)?;
    let found = store
        .entra
        .code_mut(code)
        .map(|found| found.clone())
        .ok_or_else(Failure::malformed_grant)?;
    if found.grant.client_id != client_id {
        return Err(Failure::other_client("authorization code"));
    }
    if found.redeemed {
        return Err(Failure::code_redeemed());
    }
    if now >= found.expires {
        return Err(Failure::code_expired());
    }
    if !route.admits_id(store, found.grant.user) {
        return Err(Failure::other_tenant());
    }
    if redirect_uri != found.redirect_uri {
        return Err(Failure::reply_address_mismatch(
            redirect_uri,
            &found.redirect_uri,
        ));
    }
    // A wrong verifier leaves the code usable: only a successful redemption spends it.
    if !verifier_well_formed(verifier) || s256(verifier) != found.challenge {
        return Err(Failure::verifier_mismatch());
    }
    if let Some(code) = store.entra.code_mut(code) {
        code.redeemed = true;
    }
    let scopes = found.grant.scopes.redeemed_with(requested);
    Ok(Redeemed {
        with_refresh_token: scopes.offline_access,
        grant: Grant {
            scopes,
            ..found.grant
        },
        family: None,
        nonce: found.nonce,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_redirects() {
        for ok in [
            "http://localhost/",
            "http://localhost:8400/callback?x=1",
            "http://127.0.0.1:51234/",
            "http://LOCALHOST:1/",
        ] {
            assert!(loopback(ok).is_some(), "{ok}");
        }
        for bad in [
            "https://localhost:8400/",
            "http://example.com/",
            "http://127.0.0.2/",
            "http://[::1]:8400/",
            "http://localhost:8400/#frag",
            "http://user:pw@localhost/",
            "urn:ietf:wg:oauth:2.0:oob",
            "not a url",
        ] {
            assert!(loopback(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn s256_matches_rfc_7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(verifier_well_formed(verifier));
        assert_eq!(
            s256(verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(!verifier_well_formed("short"));
        assert!(!verifier_well_formed(&"a".repeat(129)));
        assert!(!verifier_well_formed(&format!("{}+", "a".repeat(43))));
    }
}
