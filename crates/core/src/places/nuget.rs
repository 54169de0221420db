//! `NuGet.Config`: a source of `packageSources` on an Azure Artifacts feed, and its
//! `packageSourceCredentials` entry with `ClearTextPassword`. An encrypted `Password`
//! (Windows' DPAPI) is shown, never rewritten.

use super::{Encoding, FileKind, Found, Kind, hosts, offset_in};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// NuGet's user file (under `APPDATA` on Windows), and `nuget.config` in a folder named.
pub(super) const KIND: FileKind = FileKind {
    kind: Kind::Nuget,
    mine: |vars, home| {
        vec![match (&vars.appdata, cfg!(windows)) {
            (Some(appdata), true) => appdata.join("NuGet").join("NuGet.Config"),
            _ => home.join(".nuget").join("NuGet").join("NuGet.Config"),
        }]
    },
    in_dir: files_in,
    find,
};

/// NuGet finds `nuget.config` in a folder in any of its spellings.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.eq_ignore_ascii_case("nuget.config"))
        })
        .collect()
}

struct Credential {
    source: String,
    value: Range<usize>,
    secret: Option<String>,
}

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut credentials = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) => {
                read_tag(text, &tag, &stack, &mut sources, &mut credentials);
                stack.push(tag.name().as_ref().to_owned());
            }
            Ok(Event::Empty(tag)) => read_tag(text, &tag, &stack, &mut sources, &mut credentials),
            Ok(Event::End(_)) => {
                stack.pop();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            // A file NuGet itself could not read holds nothing AdoPat should touch.
            Err(_) => return Vec::new(),
        }
    }
    credentials
        .into_iter()
        .filter_map(|c| {
            let url = sources.get(&c.source)?;
            let azure = hosts::azure_url(url)?;
            Some(Found {
                entry: c.source,
                host: azure.host,
                org: azure.org,
                value: c.value,
                encoding: Encoding::Plain,
                secret: c.secret.map(crate::Secret::new),
            })
        })
        .collect()
}

fn read_tag(
    text: &str,
    tag: &BytesStart<'_>,
    stack: &[String],
    sources: &mut HashMap<String, String>,
    credentials: &mut Vec<Credential>,
) {
    if tag.name().as_ref() != "add" {
        return;
    }
    let mut key = None;
    let mut value = None;
    for attr in tag.attributes().flatten() {
        let Ok(unescaped) = attr.normalized_value(XmlVersion::Implicit1_0) else {
            return;
        };
        match attr.key.as_ref() {
            "key" => key = Some(unescaped.into_owned()),
            "value" => {
                let span = offset_in(text, attr.value.as_bytes());
                value = Some((span, unescaped.into_owned()));
            }
            _ => {}
        }
    }
    let (Some(key), Some((span, value))) = (key, value) else {
        return;
    };
    match stack {
        [.., parent] if parent == "packageSources" => {
            sources.insert(key, value);
        }
        [.., grandparent, source] if grandparent == "packageSourceCredentials" => {
            let secret = match key.as_str() {
                "ClearTextPassword" => Some(value),
                "Password" => None,
                _ => return,
            };
            let Some(span) = span else {
                return;
            };
            credentials.push(Credential {
                // NuGet writes a space in a source's name as `_x0020_` in the element name.
                source: source.replace("_x0020_", " "),
                value: span,
                secret: secret.filter(|s| !s.is_empty() && !s.contains('%')),
            });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSourceCredentials>
    <Contoso_x0020_Web>
      <add key="Username" value="me" />
      <add key="ClearTextPassword" value="nuget-secret" />
    </Contoso_x0020_Web>
    <Locked>
      <add key="Username" value="me" />
      <add key="Password" value="AQAAANCMnd8BFdERjHoAwE" />
    </Locked>
    <nuget.org><add key="ClearTextPassword" value="not-azure" /></nuget.org>
  </packageSourceCredentials>
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
    <add key="Contoso Web" value="https://pkgs.dev.azure.com/contoso/_packaging/web/nuget/v3/index.json" />
    <add key="Locked" value="https://fabrikam.pkgs.visualstudio.com/_packaging/f/nuget/v3/index.json" />
  </packageSources>
</configuration>
"#;

    #[test]
    fn azure_sources_are_found_with_their_password() {
        let found: Vec<_> = find(CONFIG)
            .into_iter()
            .map(|f| {
                (
                    f.entry,
                    f.org,
                    CONFIG[f.value].to_owned(),
                    f.secret.map(|s| s.expose().to_owned()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "Contoso Web".into(),
                    Some("contoso".into()),
                    "nuget-secret".into(),
                    Some("nuget-secret".into())
                ),
                (
                    "Locked".into(),
                    Some("fabrikam".into()),
                    "AQAAANCMnd8BFdERjHoAwE".into(),
                    None
                ),
            ]
        );
    }

    #[test]
    fn a_broken_file_yields_nothing() {
        assert!(
            find("<configuration><packageSources><add key=\"a\" value=\"b\"></configuration>")
                .is_empty()
        );
    }
}
