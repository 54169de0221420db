//! The device authorization grant: `POST {base}/{tenant}/oauth2/v2.0/devicecode`, the
//! page `{base}/devicelogin` where a person types the user code, and the polling at the
//! token endpoint.
//!
//! A code lives 15 minutes by the emulator's clock. Polling sooner than the announced
//! interval after the previous poll is answered `slow_down`. With auto-approve, the
//! first poll approves the code but still answers `authorization_pending`, so a client
//! sees the pending state once before it gets the tokens (once).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::errors::{Context, Failure};
use super::grants::{DeviceState, Grant};
use super::pages;
use super::scopes::Scopes;
use super::token::{self, Redeemed, required};
use super::users::Route;
use crate::dates;
use crate::params::Params;
use crate::state::{Shared, Store, User, lock};

/// Entra's default `expires_in`: 15 minutes.
pub(crate) const DEVICE_CODE_SECONDS: i64 = 900;

#[derive(Serialize)]
struct DeviceAuthorization {
    user_code: String,
    device_code: String,
    verification_uri: String,
    expires_in: i64,
    interval: u64,
    message: String,
}

pub(crate) async fn start(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let context = Context::new(&shared, &headers);
    let form = Params::parse(std::str::from_utf8(&body).ok());
    context.answer(begin(&shared, &tenant, &form, &context))
}

fn begin(
    shared: &Shared,
    tenant: &str,
    form: &Params,
    context: &Context,
) -> Result<DeviceAuthorization, Failure> {
    let mut store = lock(&shared.store);
    let route = Route::of(&store, tenant)?;
    let client_id = token::client_id(form, tenant)?;
    let scopes = Scopes::parse(required(form, "scope")?)?;
    let user = route
        .user(&store, None)
        .map(|user| user.id)
        .ok_or_else(|| Failure::tenant_not_found(tenant))?;
    let interval = store.entra.settings.device_interval_secs;
    let expires = dates::add(context.now, SignedDuration::from_secs(DEVICE_CODE_SECONDS));
    let (device_code, user_code) = store.entra.issue_device_code(
        Grant {
            user,
            client_id,
            scopes,
        },
        expires,
        interval,
    );
    let verification_uri = format!("{}/devicelogin", context.base);
    let message = format!(
        "To sign in, use a web browser to open the page {verification_uri} and enter the code \
         {user_code} to authenticate."
    );
    Ok(DeviceAuthorization {
        user_code,
        device_code,
        verification_uri,
        expires_in: DEVICE_CODE_SECONDS,
        interval,
        message,
    })
}

/// The device-code grant: one poll.
pub(crate) fn redeem(
    store: &mut Store,
    route: Route,
    client_id: &str,
    form: &Params,
    now: Timestamp,
) -> Result<Redeemed, Failure> {
    let presented = required(form, "device_code")?;
    let auto_approve = store.entra.settings.auto_approve;
    let (user, issued_to) = store
        .entra
        .device_mut(presented)
        .map(|device| (device.grant.user, device.grant.client_id.clone()))
        .ok_or_else(Failure::unknown_device_code)?;
    if issued_to != client_id {
        return Err(Failure::unknown_device_code());
    }
    let admitted = route.admits_id(store, user);
    let device = store
        .entra
        .device_mut(presented)
        .ok_or_else(Failure::unknown_device_code)?;
    if device.state == DeviceState::Redeemed {
        return Err(Failure::unknown_device_code());
    }
    if !admitted {
        return Err(Failure::other_tenant());
    }
    if now >= device.expires {
        return Err(Failure::device_code_expired());
    }
    let interval = device.interval_secs;
    let earliest = device.last_poll.map(|last| {
        dates::add(
            last,
            SignedDuration::from_secs(i64::try_from(interval).unwrap_or(i64::MAX)),
        )
    });
    device.last_poll = Some(now);
    device.polls = device.polls.saturating_add(1);
    if earliest.is_some_and(|earliest| now < earliest) {
        return Err(Failure::slow_down(interval));
    }
    match device.state {
        DeviceState::Declined => Err(Failure::device_declined()),
        DeviceState::Pending => {
            if auto_approve {
                device.state = DeviceState::Approved;
            }
            Err(Failure::authorization_pending())
        }
        DeviceState::Approved => {
            device.state = DeviceState::Redeemed;
            Ok(Redeemed {
                with_refresh_token: device.grant.scopes.offline_access,
                grant: device.grant.clone(),
                family: None,
                nonce: None,
            })
        }
        DeviceState::Redeemed => Err(Failure::unknown_device_code()),
    }
}

/// Why a user code could not be approved or declined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Undecided {
    Unknown,
    Expired,
    /// Already approved, declined or redeemed.
    Settled,
}

/// A person (or the control API) approves or declines the device code with this user
/// code; the answer is who signs in.
pub(crate) fn decide(
    store: &mut Store,
    user_code: &str,
    approve: bool,
    now: Timestamp,
) -> Result<User, Undecided> {
    let device = store
        .entra
        .device_by_user_code(user_code)
        .ok_or(Undecided::Unknown)?;
    if now >= device.expires {
        return Err(Undecided::Expired);
    }
    if device.state != DeviceState::Pending {
        return Err(Undecided::Settled);
    }
    device.state = if approve {
        DeviceState::Approved
    } else {
        DeviceState::Declined
    };
    let user = device.grant.user;
    store.user(user).cloned().ok_or(Undecided::Unknown)
}

/// `GET {base}/devicelogin`.
pub(crate) async fn page() -> Response {
    pages::device_login(None)
}

/// `POST {base}/devicelogin`: `otc` (the user code) and `action` (`approve`, the
/// default, or `decline`).
pub(crate) async fn enter(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let form = Params::parse(std::str::from_utf8(&body).ok());
    let code = form.get("otc").unwrap_or_default();
    let approve = !form
        .get("action")
        .is_some_and(|action| action.trim().eq_ignore_ascii_case("decline"));
    let now = shared.clock.now();
    let decided = decide(&mut lock(&shared.store), code, approve, now);
    match decided {
        Ok(user) => pages::device_done(&user, approve),
        Err(Undecided::Unknown | Undecided::Expired) => {
            pages::device_login(Some(&sentence(&Failure::bad_user_code())))
        }
        Err(Undecided::Settled) => {
            pages::device_login(Some(&sentence(&Failure::device_request_settled())))
        }
    }
}

fn sentence(failure: &Failure) -> String {
    format!("AADSTS{}: {}", failure.code, failure.message)
}
