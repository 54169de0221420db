//! `.netrc` (`_netrc` on Windows): `machine HOST login NAME password SECRET` for an Azure
//! DevOps host, as curl, pip and git read it.

use super::{Encoding, FileKind, Found, Kind, hosts};
use std::ops::Range;

/// `NETRC`, else `~/.netrc` (and `_netrc` on Windows); never in a project.
pub(super) const KIND: FileKind = FileKind {
    kind: Kind::Netrc,
    mine: |vars, home| match &vars.netrc {
        Some(netrc) => vec![netrc.clone()],
        None if cfg!(windows) => vec![home.join(".netrc"), home.join("_netrc")],
        None => vec![home.join(".netrc")],
    },
    in_dir: |_| Vec::new(),
    find,
};

pub(super) fn find(text: &str) -> Vec<Found> {
    let tokens = tokens(text);
    let mut found = Vec::new();
    let mut machine: Option<&str> = None;
    let mut i = 0;
    while i < tokens.len() {
        let word = &text[tokens[i].clone()];
        let next = tokens.get(i + 1).map(|r| (r.clone(), &text[r.clone()]));
        match (word, next) {
            ("machine", Some((_, host))) => {
                machine = Some(host);
                i += 2;
            }
            ("default", _) => {
                machine = None;
                i += 1;
            }
            ("password", Some((span, value))) => {
                if let Some(host) = machine
                    && let Some(azure) = hosts::azure_machine(host)
                {
                    found.push(Found {
                        entry: host.to_ascii_lowercase(),
                        host: azure.host,
                        org: azure.org,
                        value: span,
                        encoding: Encoding::Plain,
                        secret: Some(crate::Secret::new(value)),
                    });
                }
                i += 2;
            }
            ("login" | "account", Some(_)) => i += 2,
            ("macdef", _) => {
                // A macro runs to the next blank line; its words are not netrc's.
                let end = text[tokens[i].end..]
                    .find("\n\n")
                    .or_else(|| text[tokens[i].end..].find("\r\n\r\n"))
                    .map_or(text.len(), |at| tokens[i].end + at);
                while i < tokens.len() && tokens[i].start < end {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// Whitespace-separated words, with `#` comments to the end of the line skipped.
fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    let mut comment = false;
    for (at, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), '\n')))
    {
        if comment {
            comment = c != '\n';
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' {
            if let Some(s) = start.take() {
                out.push(s..at);
            }
        } else if c == '#' && start.is_none() {
            comment = true;
        } else if start.is_none() {
            start = Some(at);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_machines_are_found_and_others_not() {
        let text = "# mine\nmachine github.com login me password gh-secret\n\
machine pkgs.dev.azure.com\n  login x\n  password pkgs-secret\n\
machine contoso.visualstudio.com login x password old-host-secret\n\
macdef init\nmachine dev.azure.com password in-a-macro\n\n\
default login anon password anon-secret\n";
        let found: Vec<_> = find(text)
            .into_iter()
            .map(|f| (f.entry, f.org, text[f.value].to_owned()))
            .collect();
        assert_eq!(
            found,
            [
                ("pkgs.dev.azure.com".into(), None, "pkgs-secret".into()),
                (
                    "contoso.visualstudio.com".into(),
                    Some("contoso".into()),
                    "old-host-secret".into()
                ),
            ]
        );
    }
}
