//! `pip.conf` / `pip.ini`: an Azure Artifacts index URL carrying its credential,
//! `index-url = https://NAME:PAT@pkgs.dev.azure.com/ORG/_packaging/FEED/pypi/simple/`,
//! also in `extra-index-url` and its continuation lines.

use super::{Encoding, Found, hosts, lines};

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (start, line) in lines(text) {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let mut from = 0;
        while let Some(at) = line[from..].find("https://") {
            let url_start = from + at;
            let url_end = line[url_start..]
                .find(char::is_whitespace)
                .map_or(line.len(), |n| url_start + n);
            from = url_end;
            let url = &line[url_start..url_end];
            let rest = &url["https://".len()..];
            let authority_end = rest.find('/').unwrap_or(rest.len());
            let Some(at_sign) = rest[..authority_end].rfind('@') else {
                continue;
            };
            let Some(colon) = rest[..at_sign].find(':') else {
                continue;
            };
            let (host, path) = hosts::split(&rest[at_sign + 1..]);
            let Some(org) = hosts::org_of(host, path) else {
                continue;
            };
            let value =
                url_start + "https://".len() + colon + 1..url_start + "https://".len() + at_sign;
            let raw = &line[value.clone()];
            let Some(secret) = percent_decoded(raw) else {
                continue;
            };
            if secret.is_empty() || raw.contains("${") {
                continue;
            }
            found.push(Found {
                entry: format!("https://{}", &rest[at_sign + 1..]),
                org,
                value: start + value.start..start + value.end,
                encoding: Encoding::UrlPassword,
                secret: Some(crate::Secret::new(secret)),
            });
        }
    }
    found
}

/// A URL's password as written, `%XX` escapes decoded (`+` is itself in a URL's
/// user part).
fn percent_decoded(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A secret written into a URL's password: anything but unreserved characters escaped.
pub(super) fn percent_encoded(secret: &str) -> String {
    secret
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_urls_with_credentials_are_found() {
        let text = "[global]\nindex-url = https://me:pat-one@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n\
extra-index-url =\n    https://pypi.org/simple\n    https://x:pat-two@fabrikam.pkgs.visualstudio.com/_packaging/f/pypi/simple/\n\
# index-url = https://me:commented@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n\
trusted = https://me:elsewhere@example.com/simple\n";
        let found: Vec<_> = find(text)
            .into_iter()
            .map(|f| (f.entry, f.org, text[f.value].to_owned()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "https://pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/".into(),
                    Some("contoso".into()),
                    "pat-one".into()
                ),
                (
                    "https://fabrikam.pkgs.visualstudio.com/_packaging/f/pypi/simple/".into(),
                    Some("fabrikam".into()),
                    "pat-two".into()
                ),
            ]
        );
    }

    #[test]
    fn escapes_are_read_and_written_both_ways() {
        assert_eq!(percent_decoded("a%2Fb+c").as_deref(), Some("a/b+c"));
        assert_eq!(percent_decoded("bad%2"), None);
        assert_eq!(percent_encoded("a/b+c~"), "a%2Fb%2Bc~");
    }
}
