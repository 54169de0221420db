//! `.npmrc`: Azure Artifacts feeds as npm's documentation for them writes them,
//! `//pkgs.dev.azure.com/ORG[/PROJECT]/_packaging/FEED/npm/registry/:_password=BASE64`
//! (with its `…/npm/:` twin), or `:_authToken=PAT`.

use super::{Encoding, FileKind, Found, Kind, hosts, uncommented_lines};
use base64::Engine;

/// npm's user file: `NPM_CONFIG_USERCONFIG`, else `~/.npmrc`; a project's `.npmrc`.
pub(super) const KIND: FileKind = FileKind {
    kind: Kind::Npm,
    mine: |vars, home| {
        vec![
            vars.npm_userconfig
                .clone()
                .unwrap_or_else(|| home.join(".npmrc")),
        ]
    },
    in_dir: |dir| vec![dir.join(".npmrc")],
    find,
};

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (start, line) in uncommented_lines(text) {
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let (registry, encoding) = if let Some(r) = key.strip_suffix(":_password") {
            (r, Encoding::Base64)
        } else if let Some(r) = key.strip_suffix(":_authToken") {
            (r, Encoding::Plain)
        } else {
            continue;
        };
        let Some(azure) = hosts::azure_registry_key(registry) else {
            continue;
        };
        let Some(value) = value_span(line) else {
            continue;
        };
        let raw = &line[value.clone()];
        // `${NPM_TOKEN}` is the user's own indirection; the secret is not here.
        if raw.contains("${") {
            continue;
        }
        let secret = match encoding {
            Encoding::Base64 => base64::engine::general_purpose::STANDARD
                .decode(raw)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok()),
            _ => Some(raw.to_owned()),
        };
        let Some(secret) = secret.filter(|s| !s.is_empty()) else {
            continue;
        };
        found.push(Found {
            entry: registry.to_owned(),
            host: azure.host,
            org: azure.org,
            value: start + value.start..start + value.end,
            encoding,
            secret: Some(crate::Secret::new(secret)),
        });
    }
    found
}

/// The value after `=`, without the spaces around it or the quotes npm allows.
fn value_span(line: &str) -> Option<std::ops::Range<usize>> {
    let eq = line.find('=')?;
    let after = &line[eq + 1..];
    let lead = after.len() - after.trim_start().len();
    let mut start = eq + 1 + lead;
    let mut end = eq + 1 + after.trim_end().len();
    let bytes = line.as_bytes();
    if end >= start + 2 {
        let (first, last) = (bytes[start], bytes[end - 1]);
        if (first == b'"' || first == b'\'') && first == last {
            start += 1;
            end -= 1;
        }
    }
    (end > start).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NPMRC: &str = "; my settings\r\nregistry=https://registry.npmjs.org/\r\n\
//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/:username=contoso\r\n\
//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/:_password=c2VjcmV0LW9uZQ==\r\n\
//pkgs.dev.azure.com/contoso/_packaging/web/npm/:_password = \"c2VjcmV0LW9uZQ==\"\r\n\
# //pkgs.dev.azure.com/contoso/_packaging/old/npm/registry/:_password=b2xk\r\n\
//fabrikam.pkgs.visualstudio.com/_packaging/f/npm/registry/:_authToken=plain-two\r\n\
//pkgs.dev.azure.com/contoso/_packaging/env/npm/registry/:_authToken=${NPM_TOKEN}\r\n\
//registry.npmjs.org/:_authToken=npm_elsewhere\r\n";

    #[test]
    fn azure_feeds_are_found_with_their_values_exact() {
        let found = find(NPMRC);
        let shown: Vec<_> = found
            .iter()
            .map(|f| {
                (
                    f.entry.as_str(),
                    f.org.as_deref(),
                    &NPMRC[f.value.clone()],
                    f.secret.as_ref().map(|s| s.expose().to_owned()),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
                    Some("contoso"),
                    "c2VjcmV0LW9uZQ==",
                    Some("secret-one".to_owned())
                ),
                (
                    "//pkgs.dev.azure.com/contoso/_packaging/web/npm/",
                    Some("contoso"),
                    "c2VjcmV0LW9uZQ==",
                    Some("secret-one".to_owned())
                ),
                (
                    "//fabrikam.pkgs.visualstudio.com/_packaging/f/npm/registry/",
                    Some("fabrikam"),
                    "plain-two",
                    Some("plain-two".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn a_value_that_is_not_base64_is_not_a_credential() {
        assert!(
            find("//pkgs.dev.azure.com/c/_packaging/f/npm/registry/:_password=%%%\n").is_empty()
        );
        assert!(find("//pkgs.dev.azure.com/c/_packaging/f/npm/registry/:_password=\n").is_empty());
    }
}
