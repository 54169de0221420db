//! Helpers shared by the integration tests: an emulator with a known bearer token, and
//! a client that talks to it directly (no proxy, no redirects followed).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

pub mod schema;

use adopat_emulator::{Config, Emulator, Seed};
use reqwest::{Method, RequestBuilder, StatusCode, header::HeaderMap};
use serde_json::Value;

pub const TOKEN: &str = "test-static-token";
pub const PAT_API: &str = "api-version=7.2-preview.1";

pub struct Env {
    pub emulator: Emulator,
    pub client: reqwest::Client,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

pub async fn start(seed: Seed) -> Env {
    start_with(Config {
        seed,
        ..Config::default()
    })
    .await
}

pub async fn start_with(config: Config) -> Env {
    let config = Config {
        static_token: Some(TOKEN.to_owned()),
        ..config
    };
    Env {
        emulator: Emulator::start(config).await.expect("the emulator starts"),
        client: client(),
    }
}

impl Env {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.emulator.base_url(), path_and_query)
    }

    pub fn request(&self, method: Method, path_and_query: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path_and_query))
            .bearer_auth(TOKEN)
    }

    pub async fn send(&self, builder: RequestBuilder) -> Answer {
        let response = builder.send().await.expect("an answer");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a body");
        Answer {
            status,
            headers,
            text,
        }
    }

    pub async fn get(&self, path_and_query: &str) -> Answer {
        self.send(self.request(Method::GET, path_and_query)).await
    }

    pub async fn post(&self, path_and_query: &str, body: Value) -> Answer {
        self.send(self.request(Method::POST, path_and_query).json(&body))
            .await
    }

    pub async fn put(&self, path_and_query: &str, body: Value) -> Answer {
        self.send(self.request(Method::PUT, path_and_query).json(&body))
            .await
    }

    pub async fn delete(&self, path_and_query: &str) -> Answer {
        self.send(self.request(Method::DELETE, path_and_query))
            .await
    }

    /// POST to the control API, which must accept it.
    pub async fn control(&self, path: &str, body: Value) -> Value {
        let answer = self
            .send(
                self.client
                    .post(self.url(&format!("/_emulator/{path}")))
                    .json(&body),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        answer.json()
    }

    pub async fn state(&self) -> Value {
        self.send(self.client.get(self.url("/_emulator/state")))
            .await
            .json()
    }

    /// Creates a PAT in `org` and returns the PatTokenResult body.
    pub async fn create(&self, org: &str, name: &str, scope: &str, valid_to: &str) -> Value {
        let answer = self
            .post(
                &format!("/{org}/_apis/tokens/pats?{PAT_API}"),
                serde_json::json!({
                    "displayName": name, "scope": scope, "validTo": valid_to, "allOrgs": false
                }),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json()
    }

    /// The display names of one page of `org`'s list.
    pub async fn names(&self, org: &str, query: &str) -> Vec<String> {
        let answer = self
            .get(&format!("/{org}/_apis/tokens/pats?{PAT_API}&{query}"))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json()["patTokens"]
            .as_array()
            .expect("patTokens")
            .iter()
            .map(|pat| pat["displayName"].as_str().expect("a name").to_owned())
            .collect()
    }
}

/// The emulator's clock, plus a span, as RFC 3339.
pub async fn from_now(env: &Env, span: jiff::SignedDuration) -> String {
    let now: jiff::Timestamp = env.state().await["now"]
        .as_str()
        .expect("now")
        .parse()
        .expect("RFC 3339");
    now.checked_add(span).expect("in range").to_string()
}

pub fn days(n: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_hours(24 * n)
}
