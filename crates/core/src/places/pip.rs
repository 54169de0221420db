//! `pip.conf` / `pip.ini`: an Azure Artifacts index URL carrying its credential,
//! `index-url = https://NAME:PAT@pkgs.dev.azure.com/ORG/_packaging/FEED/pypi/simple/`,
//! also in `extra-index-url` and its continuation lines.

use super::scope::Vars;
use super::{Encoding, FileKind, Found, Kind, hosts, uncommented_lines};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// pip's user files, and `pip.conf` or `pip.ini` in a folder named.
pub(super) const KIND: FileKind = FileKind {
    kind: Kind::Pip,
    mine: user_files,
    in_dir: |dir| vec![dir.join("pip.conf"), dir.join("pip.ini")],
    find,
};

/// `PIP_CONFIG_FILE` alone when set, else the platform's and the legacy one.
fn user_files(vars: &Vars, home: &Path) -> Vec<PathBuf> {
    if let Some(file) = &vars.pip_config_file {
        return vec![file.clone()];
    }
    if cfg!(windows) {
        let mut files: Vec<PathBuf> = vars
            .appdata
            .iter()
            .map(|a| a.join("pip").join("pip.ini"))
            .collect();
        files.push(home.join("pip").join("pip.ini"));
        return files;
    }
    let mut files = Vec::new();
    if cfg!(target_os = "macos") {
        files.push(home.join("Library/Application Support/pip/pip.conf"));
    }
    let config = vars
        .xdg_config_home
        .clone()
        .unwrap_or_else(|| home.join(".config"));
    files.push(config.join("pip").join("pip.conf"));
    files.push(home.join(".pip").join("pip.conf"));
    files
}

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    for (start, line) in uncommented_lines(text) {
        let mut from = 0;
        while let Some(at) = line[from..].find("https://") {
            let url_start = from + at;
            let url_end = line[url_start..]
                .find(char::is_whitespace)
                .map_or(line.len(), |n| url_start + n);
            from = url_end;
            if let Some((value, secret, azure)) = credential(&line[url_start..url_end]) {
                let value = start + url_start + value.start..start + url_start + value.end;
                found.push(Found {
                    entry: azure.1,
                    host: azure.0.host,
                    org: azure.0.org,
                    value,
                    encoding: Encoding::UrlPassword,
                    secret: Some(crate::Secret::new(secret)),
                });
            }
        }
    }
    found
}

/// The password of an Azure DevOps index URL as pip reads it: where it is in `url`, what
/// it is, and the URL without its credential.
fn credential(url: &str) -> Option<(Range<usize>, String, (hosts::Azure, String))> {
    let azure = hosts::azure_url(url)?;
    let parsed = url::Url::parse(url).ok()?;
    let password = parsed.password()?;
    // Exactly as written, or AdoPat could not write it back in place.
    let written = format!("https://{}:{password}@", parsed.username());
    if !url.starts_with(&written) || password.contains("${") {
        return None;
    }
    let secret = percent_encoding::percent_decode_str(password)
        .decode_utf8()
        .ok()?
        .into_owned();
    if secret.is_empty() {
        return None;
    }
    let value = written.len() - 1 - password.len()..written.len() - 1;
    let mut bare = parsed.clone();
    bare.set_username("").ok()?;
    bare.set_password(None).ok()?;
    Some((value, secret, (azure, bare.to_string())))
}

/// Everything but unreserved characters is escaped in a URL's password.
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A secret written into a URL's password.
pub(super) fn percent_encoded(secret: &str) -> String {
    utf8_percent_encode(secret, USERINFO).to_string()
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
        let url = "https://me:a%2Fb+c@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/";
        let (value, secret, _) = credential(url).unwrap();
        assert_eq!(&url[value], "a%2Fb+c");
        assert_eq!(secret, "a/b+c");
        assert_eq!(percent_encoded("a/b+c~"), "a%2Fb%2Bc~");
    }

    #[test]
    fn an_index_url_whose_host_is_elsewhere_is_not_azure_s() {
        for line in [
            "index-url = https://me:pat@evil.example/x@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
            "index-url = https://me:pat@evil.example?@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
            "index-url = https://me:pat@evil.example#@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
            "index-url = https://me:pat@evil.example\\@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
            "index-url = https://evil.example/me:pat@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
            "index-url = http://me:pat@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n",
        ] {
            assert!(find(line).is_empty(), "{line}");
        }
    }
}
