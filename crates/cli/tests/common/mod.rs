//! A running emulator and a way to call `adopat` against it, as a user would.

#![allow(dead_code)]

use adopat_emulator::{Config, Emulator, Policies, Seed};
use assert_cmd::Command;
use serde_json::{Value, json};
use std::time::Duration;

pub const TOKEN: &str = "test-static-token";

pub struct Service {
    pub emulator: Emulator,
    pub runtime: tokio::runtime::Runtime,
    pub http: reqwest::Client,
    pub dir: tempfile::TempDir,
}

/// A seed with known names across two orgs: every status, a global PAT, namesakes,
/// and PATs whose secrets the test knows.
pub fn standard_seed() -> Value {
    json!({
        "orgs": [{"name": "contoso"}, {"name": "fabrikam"}],
        "pats": [
            {"displayName": "nuget-feed", "scope": "vso.packaging", "orgs": ["contoso"],
             "validFrom": "-20d", "validTo": "+3d", "token": known_token('a')},
            {"displayName": "git-push", "scope": "vso.code_write", "orgs": ["fabrikam"],
             "validFrom": "-10d", "validTo": "+200d", "token": known_token('b')},
            {"displayName": "old-ci", "scope": "vso.build_execute", "orgs": ["contoso"],
             "validFrom": "-100d", "validTo": "-2d", "token": known_token('c')},
            {"displayName": "gone", "scope": "vso.work", "orgs": ["fabrikam"],
             "validFrom": "-30d", "validTo": "+30d", "revoked": true},
            {"displayName": "everywhere", "scope": "vso.code", "orgs": null,
             "validFrom": "-60d", "validTo": "+40d", "token": known_token('d')},
            {"displayName": "twin", "scope": "vso.code", "orgs": ["contoso"],
             "validFrom": "-5d", "validTo": "+20d"},
            {"displayName": "twin", "scope": "vso.code", "orgs": ["fabrikam"],
             "validFrom": "-5d", "validTo": "+25d"}
        ]
    })
}

pub use adopat_test_support::known_token;

impl Service {
    pub fn start() -> Self {
        Self::with(standard_seed(), Policies::default())
    }

    pub fn with(seed: Value, policies: Policies) -> Self {
        Self::configured(seed, policies, None)
    }

    /// The standard seed with the service's clock starting at `now`, for what depends on
    /// the date (the retirement of global PATs).
    pub fn at(now: &str) -> Self {
        let now = now.parse().expect("a test timestamp");
        Self::configured(standard_seed(), Policies::default(), Some(now))
    }

    fn configured(seed: Value, policies: Policies, now: Option<jiff::Timestamp>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let emulator = runtime
            .block_on(Emulator::start(Config {
                seed: Seed::Json(seed),
                static_token: Some(TOKEN.into()),
                policies,
                now,
                ..Config::default()
            }))
            .expect("emulator starts");
        Self {
            emulator,
            runtime,
            http: reqwest::Client::new(),
            dir,
        }
    }

    pub fn base(&self) -> &str {
        self.emulator.base_url()
    }

    /// `adopat` pointed at this service, with a private config dir and no terminal.
    pub fn adopat(&self) -> Command {
        let mut cmd = Command::from_std(self.adopat_std());
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    pub fn adopat_std(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_adopat"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("ADOPAT_VSSPS_URL", self.base())
            .env("ADOPAT_APP_VSSPS_URL", self.base())
            .env("ADOPAT_LOGIN_URL", self.base())
            .env("ADOPAT_ACCESS_TOKEN", TOKEN)
            .env("ADOPAT_CONFIG_DIR", self.dir.path().join("config"))
            // A home of its own, and no system git config: a regenerate looks for the
            // places that used the old secret, never the developer's.
            .env("HOME", self.dir.path().join("home"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1");
        // No X display: the clipboard is one per display, and only the tests of the
        // desktop-session group (.config/nextest.toml) may use it, one at a time; they
        // give it themselves.
        cmd
    }

    pub fn control(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/_emulator/{path}", self.base());
        self.runtime.block_on(async {
            let mut request = self.http.request(method, url);
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("control API answers");
            assert!(
                response.status().is_success(),
                "control {path}: {}",
                response.status()
            );
            let text = response.text().await.expect("body");
            serde_json::from_str(&text).unwrap_or(Value::Null)
        })
    }

    pub fn fault(&self, fault: Value) {
        self.control(reqwest::Method::POST, "faults", Some(fault));
    }

    pub fn state(&self) -> Value {
        self.control(reqwest::Method::GET, "state", None)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.control(reqwest::Method::GET, "requests", None)
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    pub fn forget_requests(&self) {
        self.control(reqwest::Method::DELETE, "requests", None);
    }

    /// Whether a PAT value authenticates, as git or a feed would use it.
    pub fn pat_works(&self, org: &str, pat: &str) -> bool {
        let url = format!("{}/{org}/_apis/connectionData", self.base());
        self.runtime.block_on(async {
            let response = self
                .http
                .get(url)
                .basic_auth("", Some(pat))
                .send()
                .await
                .expect("connectionData answers");
            match response.status().as_u16() {
                200 => true,
                401 => false,
                other => panic!("connectionData answered {other}"),
            }
        })
    }

    pub fn pat_by_name(&self, name: &str) -> Vec<Value> {
        self.state()["pats"]
            .as_array()
            .expect("pats")
            .iter()
            .filter(|p| p["displayName"] == name)
            .cloned()
            .collect()
    }
}

pub fn stdout_json(output: &std::process::Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
