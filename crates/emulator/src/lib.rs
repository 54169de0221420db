//! A faithful, stateful stand-in for the Azure DevOps services AdoPat talks to: the PAT
//! Lifecycle API (`{base}/{org}/_apis/tokens/pats`), profile and accounts for
//! organization discovery, `connectionData` to prove an issued PAT works, and Microsoft
//! Entra's sign-in (`{base}/{tenant}/oauth2/v2.0/authorize|token|devicecode`, see the
//! `entra` module). One base URL serves every host's paths. `/_emulator/...` is a control
//! API for tests (clock, faults, latency, policies, request log, state view, Entra).
//!
//! The CLI's `--demo` runs it in-process; every test runs against it.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let emulator = adopat_emulator::Emulator::start(adopat_emulator::Config {
//!     seed: adopat_emulator::Seed::Demo,
//!     static_token: Some("demo".into()),
//!     ..Default::default()
//! })
//! .await?;
//! println!("{}", emulator.base_url());
//! # Ok(()) }
//! ```

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

mod auth;
mod clock;
mod connection;
mod connection_data;
mod control;
mod dates;
mod discovery;
mod entra;
mod errors;
mod faults;
mod gateway;
mod lifecycle;
mod listing;
mod params;
mod pats;
mod scopes;
mod seed;
mod signin;
mod state;
mod wire;

use crate::connection::{ConnHandle, Listener};
use crate::state::{Shared, lock};

/// How to start an emulator.
#[derive(Clone)]
pub struct Config {
    /// 0 picks a free port.
    pub port: u16,
    pub seed: Seed,
    /// Every request to the emulated service waits this long before it is answered.
    pub latency: Duration,
    /// A bearer token accepted as the seed's user, a member of every seeded organization.
    pub static_token: Option<String>,
    pub policies: Policies,
    /// Completes browser and device-code sign-ins without a person (Entra endpoints).
    pub auto_approve: bool,
    /// The `interval` a device-code sign-in asks the client to poll at (Entra: 5).
    pub device_interval_secs: u64,
    /// Where the emulator's clock starts (and the seed's relative times count from);
    /// the real time when unset. Tests pin it so nothing depends on the day they run.
    pub now: Option<jiff::Timestamp>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            seed: Seed::Empty,
            latency: Duration::ZERO,
            static_token: None,
            policies: Policies::default(),
            auto_approve: false,
            device_interval_secs: entra::DEFAULT_DEVICE_INTERVAL_SECS,
            now: None,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("seed", &self.seed)
            .field("latency", &self.latency)
            .field(
                "static_token",
                &self.static_token.as_ref().map(|_| "<redacted>"),
            )
            .field("policies", &self.policies)
            .field("auto_approve", &self.auto_approve)
            .field("device_interval_secs", &self.device_interval_secs)
            .field("now", &self.now)
            .finish()
    }
}

/// What the emulator knows at start. Times are relative to the clock at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seed {
    /// Three organizations (`contoso`, `fabrikam`, `northwind`) and a dozen PATs: due
    /// within a day, in 3 and 6 days, in about 30 and 300 days; one expired, one revoked,
    /// one global that outlives 2026-12-01, one with full access (`app_token`).
    Demo,
    /// The organizations `fabrikam` (the official examples' org and account id) and
    /// `contoso`; no PATs.
    Empty,
    /// Organizations `org01`…, each with `pats_per_org` active, organization-scoped PATs
    /// with unique names and expiries spread over the next year.
    Generated { orgs: usize, pats_per_org: usize },
    /// A JSON seed file (a UTF-8 BOM is allowed):
    ///
    /// ```json
    /// {
    ///   "orgs": [{ "name": "fabrikam", "accountId": "38aaa865-2c70-4bf7-a308-0c6539c38c1a" },
    ///            { "name": "contoso" }],
    ///   "users": [
    ///     { "displayName": "Ann Example", "email": "ann@example.com" },
    ///     { "displayName": "Bo Other", "email": "bo@other.example",
    ///       "tenant": "0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
    ///       "id": "5b7c4d2f-6a9f-4c1b-9d3a-8e5b7c4d2f11", "orgs": ["contoso"] }
    ///   ],
    ///   "pats": [
    ///     { "displayName": "ci", "scope": "vso.build_execute vso.code", "orgs": ["fabrikam"],
    ///       "validFrom": "-10d", "validTo": "+3d", "token": "a-known-secret" },
    ///     { "displayName": "bo's", "scope": "vso.code", "orgs": ["contoso"],
    ///       "validTo": "+30d", "user": "bo@other.example" },
    ///     { "displayName": "old global", "scope": "app_token", "orgs": null,
    ///       "validTo": "2027-01-01T00:00:00Z", "revoked": true,
    ///       "authorizationId": "4c60c9ed-a378-4883-af16-d655ca025b11" }
    ///   ]
    /// }
    /// ```
    ///
    /// - `orgs[].accountId` is optional (a stable id is derived from the name).
    /// - `users` is optional; the first is the default user (the `--static-token` one,
    ///   and who Entra's `organizations` and `common` sign in). Each has a `displayName`
    ///   and an `email` (unique); `tenant` (default: the emulator's one tenant) and `id`
    ///   (the object id; default: a fixed id for the first, one derived from the email
    ///   for the others) are optional, and so is `orgs`, the names of the organizations
    ///   the user is a member of (default: all). An organization belongs to the tenant of
    ///   its first member. Without `users`, the default user is Jamie Rivera, a member of
    ///   every organization.
    /// - `user` (one object of the same shape) is the older way to write a single user;
    ///   give `user` or `users`, not both.
    /// - `pats[].orgs` is required: a list of organization names, or `null` for a global
    ///   PAT. `scope` must hold known scopes.
    /// - Times are RFC 3339, a date, or relative to the clock at start: `+3d`, `-2d`,
    ///   `+12h`, `+30m`, `+90s`, `+2w`, `now`. `validFrom` defaults to the earlier of now
    ///   and 30 days before `validTo`. Both are rounded as the service stores them.
    /// - `token` is optional: a PAT seeded with one authenticates on `connectionData`;
    ///   the others get a random secret nobody knows.
    /// - `revoked` (default false) and `authorizationId` (default random) are optional.
    /// - `user` is optional: the owner's email (default: the first user), who must be a
    ///   member of the PAT's organizations.
    File(PathBuf),
    /// The same as a seed file holds, given in the process (tests).
    Json(serde_json::Value),
}

/// Every scope the service accepts (docs/ado-pat-api.md section 7), `app_token` first.
pub fn known_scopes() -> &'static [&'static str] {
    scopes::KNOWN
}

/// Organization policies (the same for every organization of the emulator).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Policies {
    /// "Enforce maximum personal access token lifespan": a later `validTo` is shortened.
    pub max_lifespan_days: Option<u32>,
    /// "Restrict creation of full-scoped personal access tokens" (`app_token`).
    pub restrict_full_scope: bool,
    /// "Restrict creation of global personal access tokens".
    pub restrict_global: bool,
    /// "Restrict personal access token (PAT) creation", an organization policy, by
    /// organization name: there only its allowlist creates or regenerates PATs, and uses
    /// global PATs.
    pub restrict_creation: std::collections::BTreeMap<String, CreationPolicy>,
}

/// One organization's "Restrict personal access token (PAT) creation".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct CreationPolicy {
    /// The users (by email) it does not restrict.
    pub allow: Vec<String>,
    /// "Allow creation of PAT with packaging scope only": everyone may still create PATs
    /// whose scopes are all Packaging ones.
    pub packaging_only: bool,
}

/// A running emulator; dropping it stops serving.
pub struct Emulator {
    base_url: String,
    shutdown: Option<oneshot::Sender<()>>,
}

/// The bearer token the demo service accepts as its one signed-in user.
pub const DEMO_TOKEN: &str = "adopat-demo-session";

impl Emulator {
    /// The demo service of `--demo` (the CLI, the window, the tray): the demo seed,
    /// answering [`DEMO_TOKEN`].
    pub async fn demo() -> anyhow::Result<Emulator> {
        Self::start(Config {
            seed: Seed::Demo,
            static_token: Some(DEMO_TOKEN.into()),
            ..Config::default()
        })
        .await
    }

    /// Binds `127.0.0.1:port` and serves in a tokio task of the current runtime.
    pub async fn start(config: Config) -> anyhow::Result<Emulator> {
        let clock = clock::Clock::default();
        if let Some(now) = config.now {
            clock.set(now);
        }
        let mut store = seed::build(&config.seed, clock.now()).context("cannot load the seed")?;
        store.policies = config.policies;
        store.entra.settings.auto_approve = config.auto_approve;
        store.entra.settings.device_interval_secs = config.device_interval_secs;
        if let Some(token) = &config.static_token {
            let user = store.default_user().map(|user| user.id);
            if let Some(user) = user {
                store.grant_bearer(token, user, None);
            }
        }

        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let bound = listener.local_addr().context("no local address")?;
        let base_url = format!("http://{bound}");

        let shared = Arc::new(Shared {
            store: Mutex::new(store),
            clock,
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
            latency: Mutex::new(config.latency),
            base_url: base_url.clone(),
        });
        {
            let store = lock(&shared.store);
            tracing::info!(
                %base_url,
                orgs = store.orgs.len(),
                pats = store.pats.len(),
                "emulator listening"
            );
        }

        let (shutdown, stopped) = oneshot::channel::<()>();
        let service = app(shared).into_make_service_with_connect_info::<ConnHandle>();
        tokio::spawn(async move {
            let serving = axum::serve(Listener(listener), service).with_graceful_shutdown(async {
                // A dropped sender means the Emulator is gone: stop as well.
                let _ = stopped.await;
            });
            if let Err(error) = serving.await {
                tracing::error!(%error, "emulator stopped serving");
            }
        });

        Ok(Emulator {
            base_url,
            shutdown: Some(shutdown),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The whole service. The service routes are one router, the Entra endpoints merged in
/// beside the PAT API and discovery; the gateway wraps them all.
fn app(shared: Arc<Shared>) -> Router {
    let service = Router::new()
        .merge(pats::routes())
        .merge(discovery::routes())
        .merge(connection_data::routes())
        .merge(signin::routes())
        .merge(entra::routes())
        .fallback(unknown_resource)
        .with_state(Arc::clone(&shared));
    let control = control::routes().with_state(Arc::clone(&shared));
    // The gateway runs before the inner router routes, so it may rewrite the path:
    // a layer on a router with only a fallback runs ahead of the fallback's routing.
    Router::new()
        .nest(gateway::CONTROL_PREFIX, control)
        .fallback_service(service)
        .layer(from_fn_with_state(shared, gateway::gateway))
}

async fn unknown_resource(uri: axum::http::Uri) -> Response {
    errors::ServiceError::resource_not_found(uri.path()).into_response()
}
