//! Maven's `settings.xml`: a `<server>` whose `<id>` is that of a repository (or
//! mirror) on an Azure Artifacts feed in the same file, and its `<password>`. An
//! encrypted `{…}` password is shown, never rewritten; `${…}` is the user's own
//! indirection and not a credential here.

use super::{Encoding, FileKind, Found, Kind, hosts, offset_in};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashMap;
use std::ops::Range;

/// Maven's user settings, `~/.m2/settings.xml`; a `settings.xml` in a folder named.
pub(super) const KIND: FileKind = FileKind {
    kind: Kind::Maven,
    mine: |_, home| vec![home.join(".m2").join("settings.xml")],
    in_dir: |dir| vec![dir.join("settings.xml")],
    find,
};

#[derive(Default)]
struct Server {
    id: String,
    password: Option<(Range<usize>, String)>,
    /// The password has an entity in it: not a PAT AdoPat wrote.
    escaped: bool,
}

#[derive(Default)]
struct Repository {
    id: String,
    url: String,
}

pub(super) fn find(text: &str) -> Vec<Found> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<String> = Vec::new();
    let mut servers = Vec::new();
    let mut urls: HashMap<String, String> = HashMap::new();
    let mut server: Option<Server> = None;
    let mut repository: Option<Repository> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) => {
                let name = tag.local_name().as_ref().to_owned();
                match name.as_str() {
                    "server" => server = Some(Server::default()),
                    "repository" | "pluginRepository" | "mirror" => {
                        repository = Some(Repository::default());
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Ok(Event::Text(content)) => {
                let raw_text: &str = &content;
                let raw = raw_text.as_bytes();
                let trimmed = raw_text.trim();
                match (stack.as_slice(), server.as_mut(), repository.as_mut()) {
                    ([.., parent, leaf], Some(s), _) if parent == "server" => match leaf.as_str() {
                        "id" => s.id.push_str(trimmed),
                        "password" if !trimmed.is_empty() => {
                            let lead = raw_text.len() - raw_text.trim_start().len();
                            let span = offset_in(text, raw)
                                .map(|r| r.start + lead..r.start + lead + trimmed.len());
                            if let (Some(span), None) = (span, &s.password) {
                                s.password = Some((span, trimmed.to_owned()));
                            } else {
                                s.escaped = true;
                            }
                        }
                        _ => {}
                    },
                    ([.., parent, leaf], _, Some(r))
                        if matches!(
                            parent.as_str(),
                            "repository" | "pluginRepository" | "mirror"
                        ) =>
                    {
                        match leaf.as_str() {
                            "id" => r.id.push_str(trimmed),
                            "url" => r.url.push_str(trimmed),
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::GeneralRef(_)) => {
                if let (Some(s), Some(leaf)) = (server.as_mut(), stack.last())
                    && leaf == "password"
                {
                    s.escaped = true;
                }
            }
            Ok(Event::End(tag)) => {
                match tag.local_name().as_ref() {
                    "server" => servers.extend(server.take()),
                    "repository" | "pluginRepository" | "mirror" => {
                        if let Some(r) = repository.take() {
                            urls.entry(r.id).or_insert(r.url);
                        }
                    }
                    _ => {}
                }
                stack.pop();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => return Vec::new(),
        }
    }
    servers
        .into_iter()
        .filter_map(|s| {
            let url = urls.get(&s.id)?;
            let azure = hosts::azure_url(url)?;
            let (span, value) = s.password?;
            if value.starts_with("${") {
                return None;
            }
            let encrypted = value.starts_with('{') && value.ends_with('}');
            let readable = !s.escaped && !encrypted;
            Some(Found {
                entry: s.id,
                host: azure.host,
                org: azure.org,
                value: span,
                encoding: Encoding::Plain,
                secret: readable.then(|| crate::Secret::new(value)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"<settings>
  <servers>
    <server>
      <id>contoso-maven</id>
      <username>contoso</username>
      <password>  maven-secret  </password>
    </server>
    <server><id>central-mirror</id><password>elsewhere</password></server>
    <server><id>sealed</id><password>{COQLCE6DU6GtcS5P=}</password></server>
    <server><id>indirect</id><password>${env.PAT}</password></server>
  </servers>
  <profiles><profile><repositories>
    <repository><id>contoso-maven</id><url>https://pkgs.dev.azure.com/contoso/_packaging/jar/maven/v1</url></repository>
    <repository><id>sealed</id><url>https://pkgs.dev.azure.com/contoso/_packaging/s/maven/v1</url></repository>
    <repository><id>indirect</id><url>https://pkgs.dev.azure.com/contoso/_packaging/i/maven/v1</url></repository>
  </repositories></profile></profiles>
  <mirrors><mirror><id>central-mirror</id><url>https://repo.example.com/maven2</url></mirror></mirrors>
</settings>
"#;

    #[test]
    fn servers_of_azure_repositories_are_found() {
        let found: Vec<_> = find(SETTINGS)
            .into_iter()
            .map(|f| {
                (
                    f.entry,
                    SETTINGS[f.value].to_owned(),
                    f.secret.map(|s| s.expose().to_owned()),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    "contoso-maven".into(),
                    "maven-secret".into(),
                    Some("maven-secret".into())
                ),
                ("sealed".into(), "{COQLCE6DU6GtcS5P=}".into(), None),
            ]
        );
    }
}
