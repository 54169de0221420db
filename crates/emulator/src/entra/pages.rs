//! The HTML a person sees: the sign-in (consent) page, the device-code page, error pages,
//! and the redirect back to the client. Plain pages with plain forms, so a test or a
//! demo can drive them with any HTTP client.

use axum::extract::Query;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use url::Url;

use super::errors::{Context, Failure};
use crate::state::User;

/// Text made safe for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

fn html(status: StatusCode, title: &str, body: &str) -> Response {
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <title>{}</title></head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    );
    uncached_html(status, page)
}

/// HTML no cache may keep: it carries codes and names.
fn uncached_html(status: StatusCode, page: String) -> Response {
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    response
}

/// A 302 to `to`. The Location may hold an authorization code: it goes to the browser
/// only, never to the log.
pub(crate) fn redirect(to: &Url) -> Response {
    let body = format!(
        "<!DOCTYPE html>\n<html><head><title>Object moved</title></head><body>\n\
         <h2>Object moved to <a href=\"{}\">here</a>.</h2>\n</body></html>\n",
        escape(to.as_str())
    );
    let mut response = uncached_html(StatusCode::FOUND, body);
    if let Ok(location) = HeaderValue::from_str(to.as_str()) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub(crate) fn error_page(status: StatusCode, failure: &Failure, context: &Context) -> Response {
    let body = format!(
        "<h1>Sign in</h1>\n<p>Sorry, but we're having trouble signing you in.</p>\n\
         <p id=\"error\">AADSTS{}: {}</p>\n\
         <p>Request Id: {}<br>Correlation Id: {}<br>Timestamp: {}</p>\n\
         <p><a href=\"{}\">More about this error</a></p>",
        failure.code,
        escape(&failure.message),
        context.trace_id,
        context.correlation_id,
        context.timestamp(),
        escape(&failure.error_uri(context)),
    );
    html(status, "Sign in to your account", &body)
}

/// The consent page. `action` is the authorization URL it posts back to.
pub(crate) fn sign_in(user: &User, client_id: &str, scopes: &[String], action: &str) -> Response {
    let items: String = scopes
        .iter()
        .map(|scope| format!("<li>{}</li>", escape(scope)))
        .collect();
    let body = format!(
        "<h1>Sign in to AdoPat's test Entra as {name}</h1>\n\
         <p id=\"account\">{email}</p>\n\
         <p>The application <code>{client}</code> asks for:</p>\n<ul>{items}</ul>\n\
         <form method=\"post\" action=\"{action}\">\n\
         <button type=\"submit\" name=\"action\" value=\"approve\">Approve</button>\n\
         <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\n\
         </form>",
        name = escape(&user.display_name),
        email = escape(&user.email),
        client = escape(client_id),
        action = escape(action),
    );
    html(StatusCode::OK, "Sign in to your account", &body)
}

/// Where a person types a device's user code.
pub(crate) fn device_login(problem: Option<&str>) -> Response {
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let problem = problem
        .map(|text| format!("<p id=\"error\">{}</p>\n", escape(text)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Enter code</h1>\n{problem}\
         <p>Enter the code displayed on your app or device.</p>\n\
         <form method=\"post\" action=\"/devicelogin\">\n\
         <input type=\"text\" name=\"otc\" placeholder=\"Code\" autocomplete=\"off\">\n\
         <button type=\"submit\" name=\"action\" value=\"approve\">Next</button>\n\
         <button type=\"submit\" name=\"action\" value=\"decline\">Cancel</button>\n\
         </form>"
    );
    html(status, "Enter code", &body)
}

pub(crate) fn device_done(user: &User, approved: bool) -> Response {
    let body = if approved {
        format!(
            "<h1>AdoPat's test Entra</h1>\n<p>You have signed in as {} ({}) on your device. \
             You may now close this window.</p>",
            escape(&user.display_name),
            escape(&user.email)
        )
    } else {
        "<h1>AdoPat's test Entra</h1>\n<p>The sign-in was cancelled. You may now close this \
         window.</p>"
            .to_owned()
    };
    html(StatusCode::OK, "Device sign-in", &body)
}

#[derive(serde::Deserialize)]
pub(crate) struct Lookup {
    code: Option<String>,
}

/// `GET /error?code=N`, where every `error_uri` points.
pub(crate) async fn error_lookup(Query(lookup): Query<Lookup>) -> Response {
    let code = lookup.code.unwrap_or_default();
    let body = format!(
        "<h1>Error code lookup</h1>\n<p>AADSTS{}: see the error_description the emulator \
         returned with it; the codes follow Microsoft Entra's documented table.</p>",
        escape(code.trim())
    );
    html(StatusCode::OK, "Error code lookup", &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
