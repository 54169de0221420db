//! Browser sign-in: authorization code with PKCE, answered on a loopback redirect.
//!
//! A listener on 127.0.0.1 and a free port receives the browser's redirect; it answers
//! with a small page that says the tab can be closed. Cancelling (dropping the future,
//! Ctrl-C) or the time running out closes the listener: nothing is left behind.

use super::oauth;
use super::{Authority, SignedIn};
use crate::error::{Error, Result};
use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// How long a user has to finish signing in in the browser.
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// Signs in through the browser. `show` is given the URL to open (and to print, for a
/// browser on another screen) once the listener is ready.
pub async fn sign_in(authority: &Authority, show: impl FnOnce(&Url)) -> Result<SignedIn> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| Error::Other(format!("could not listen for the sign-in redirect: {e}")))?;
    let port = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("no local address: {e}")))?
        .port();
    // `localhost` is what public clients such as Visual Studio's register; any port is
    // allowed for a loopback redirect.
    let redirect = format!("http://localhost:{port}/");
    let client = oauth::client(authority)?.set_redirect_uri(
        RedirectUrl::new(redirect).map_err(|e| Error::Other(format!("redirect URL: {e}")))?,
    );
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(oauth::scopes())
        .set_pkce_challenge(challenge)
        .url();
    show(&url);

    let code = tokio::time::timeout(TIMEOUT, receive_code(&listener, state.secret()))
        .await
        .map_err(|_| {
            Error::SignIn(format!(
                "The browser sign-in was not finished within {} minutes; try again.",
                TIMEOUT.as_secs() / 60
            ))
        })??;
    drop(listener);

    let http = oauth::http()?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(oauth::token_error)?;
    oauth::signed_in(&response, None)
}

/// Waits for the redirect that carries the code (other requests, such as a favicon,
/// are answered and ignored).
async fn receive_code(listener: &TcpListener, state: &str) -> Result<String> {
    loop {
        let (mut stream, _) = listener
            .accept()
            .await
            .map_err(|e| Error::Other(format!("the sign-in listener failed: {e}")))?;
        let Some(target) = read_request_target(&mut stream).await else {
            continue;
        };
        let Ok(url) = Url::parse(&format!("http://localhost{target}")) else {
            continue;
        };
        let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| {
            query
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        if let Some(error) = get("error") {
            let description = get("error_description").unwrap_or_default();
            let first_line = description.lines().next().unwrap_or_default().to_owned();
            respond(
                &mut stream,
                false,
                "The sign-in was cancelled or refused. You can close this tab.",
            )
            .await;
            return Err(Error::SignIn(format!(
                "The sign-in was not completed: {error}. {first_line}"
            )));
        }
        match (get("code"), get("state")) {
            (Some(code), Some(got)) if got == state => {
                let code = code.to_owned();
                respond(
                    &mut stream,
                    true,
                    "Signed in to AdoPat. You can close this tab.",
                )
                .await;
                return Ok(code);
            }
            (Some(_), _) => {
                respond(
                    &mut stream,
                    false,
                    "This sign-in answer was not for this request; it was ignored.",
                )
                .await;
            }
            _ => respond_not_found(&mut stream).await,
        }
    }
}

/// The target of a request's first line (`GET /path?query HTTP/1.1`).
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::with_capacity(2048);
    let mut chunk = [0u8; 1024];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") && buffer.len() < 16 * 1024 {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let head = String::from_utf8_lossy(&buffer);
    let mut parts = head.lines().next()?.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_owned()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, ok: bool, message: &str) {
    let colour = if ok { "#107c10" } else { "#a4262c" };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>AdoPat</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:4rem auto;max-width:32rem;text-align:center\">\
         <h1 style=\"color:{colour}\">AdoPat</h1><p>{message}</p></body></html>"
    );
    write_response(stream, "200 OK", &body).await;
}

async fn respond_not_found(stream: &mut TcpStream) {
    write_response(stream, "404 Not Found", "").await;
}

async fn write_response(stream: &mut TcpStream, status: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Tries to open the system browser; the URL is printed as well, so a failure here is
/// not an error.
pub fn open_system_browser(url: &Url) -> bool {
    crate::programs::open_in_browser(url.as_str())
}
