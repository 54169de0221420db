//! Where a PAT is used: `places` finds the credentials of a temporary home as git, npm,
//! pip, NuGet and Maven find them, and a regenerate gives the new secret to exactly the
//! places that held the old one, read back through the real clients.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use base64::Engine;
use common::{Service, known_token, stderr, stdout_json};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const NPM_FEED: &str = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";

/// Where pip and NuGet keep their user files on this platform, under the home folder
/// (`APPDATA` is the home's `AppData/Roaming` on Windows).
#[cfg(unix)]
const PIP: &str = ".config/pip/pip.conf";
#[cfg(windows)]
const PIP: &str = "AppData/Roaming/pip/pip.ini";
#[cfg(unix)]
const NUGET: &str = ".nuget/NuGet/NuGet.Config";
#[cfg(windows)]
const NUGET: &str = "AppData/Roaming/NuGet/NuGet.Config";

/// git's places are asked of the user's credential helper: there is no git in Wine.
fn git_here() -> bool {
    Command::new("git").arg("--version").output().is_ok()
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A home folder with every kind of place; `a` is nuget-feed's secret (contoso), `b`
/// git-push's (fabrikam), `c` old-ci's (contoso, expired).
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn empty() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn new() -> Self {
        let home = Self::empty();
        let (a, b, c) = (known_token('a'), known_token('b'), known_token('c'));
        home.write(
            ".npmrc",
            &format!(
                "; npm settings\r\nregistry=https://registry.npmjs.org/\r\n\
{NPM_FEED}:username=contoso\r\n{NPM_FEED}:_password={}\r\n\
//pkgs.dev.azure.com/contoso/_packaging/web/npm/:_password=\"{}\"\r\n\
//pkgs.dev.azure.com/contoso/_packaging/ci/npm/registry/:_password={}\r\n\
//registry.npmjs.org/:_authToken=npm_unrelated\r\n",
                b64(&a),
                b64(&a),
                b64(&c)
            ),
        );
        home.write(
            PIP,
            &format!(
                "[global]\n# the team's feed\nindex-url = https://me:{a}@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n"
            ),
        );
        home.write(
            NUGET,
            &format!(
                "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n  <packageSources>\r\n    \
<add key=\"Contoso Web\" value=\"https://pkgs.dev.azure.com/contoso/_packaging/web/nuget/v3/index.json\" />\r\n  \
</packageSources>\r\n  <packageSourceCredentials>\r\n    <Contoso_x0020_Web>\r\n      \
<add key=\"Username\" value=\"me\" />\r\n      <add key=\"ClearTextPassword\" value=\"{a}\" />\r\n    \
</Contoso_x0020_Web>\r\n  </packageSourceCredentials>\r\n</configuration>\r\n"
            ),
        );
        home.write(
            ".m2/settings.xml",
            &format!(
                "<settings>\n  <servers>\n    <server><id>fabrikam-jars</id><username>me</username><password>{b}</password></server>\n  </servers>\n  \
<profiles><profile><repositories><repository><id>fabrikam-jars</id>\
<url>https://pkgs.dev.azure.com/fabrikam/_packaging/jars/maven/v1</url></repository></repositories></profile></profiles>\n</settings>\n"
            ),
        );
        home.write(
            ".netrc",
            &format!("machine github.com login me password gh\nmachine pkgs.dev.azure.com\n  login me\n  password {a}\n"),
        );
        home.write(".gitconfig", "[credential]\n\thelper = store\n");
        home.write(
            ".git-credentials",
            &format!("https://me:{a}@dev.azure.com\n"),
        );
        home
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    fn env(&self, cmd: &mut Command) {
        cmd.env("HOME", self.dir.path())
            .env("USERPROFILE", self.dir.path())
            .env("APPDATA", self.path("AppData/Roaming"))
            .env("XDG_CONFIG_HOME", self.path(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1");
    }

    fn adopat(&self, service: &Service, args: &[&str]) -> std::process::Output {
        let mut cmd = service.adopat_std();
        self.env(&mut cmd);
        cmd.args(args).output().unwrap()
    }

    /// What the real client reads.
    #[cfg(unix)]
    fn client(&self, program: &str, args: &[&str]) -> String {
        let mut cmd = Command::new(program);
        self.env(&mut cmd);
        let out = cmd.args(args).output().unwrap();
        assert!(out.status.success(), "{program} {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    #[cfg(unix)]
    fn git_password(&self, url_path: &str) -> String {
        let mut cmd = Command::new("git");
        self.env(&mut cmd);
        let mut child = cmd
            .args(["credential", "fill"])
            .env("GIT_TERMINAL_PROMPT", "0")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(
            child.stdin.take().unwrap(),
            "protocol=https\nhost=dev.azure.com\npath={url_path}\n"
        )
        .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("password=").map(str::to_owned))
            .unwrap_or_default()
    }

    /// npm's own ini parser (the one its config uses: `npm config get` will not show a
    /// `_password`).
    #[cfg(unix)]
    fn npm_reads(&self, key: &str) -> String {
        let root = Command::new("npm").args(["root", "-g"]).output().unwrap();
        let root = String::from_utf8(root.stdout).unwrap();
        let ini = std::path::Path::new(root.trim()).join("npm/node_modules/ini");
        let script = format!(
            "const ini=require({ini:?});const fs=require('fs');\
             process.stdout.write(String(ini.parse(fs.readFileSync({:?},'utf8'))[{key:?}]))",
            self.path(".npmrc")
        );
        self.client("node", &["-e", &script])
    }
}

/// Whether a credential found on this machine was sent to the service to check it.
fn sent_a_found_credential(service: &Service) -> bool {
    service.requests().iter().any(|r| {
        r["path"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .contains("connectiondata")
    })
}

fn ids(places: &Value) -> Vec<String> {
    let mut ids: Vec<String> = places
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p["kind"].as_str().unwrap(),
                p["entry"].as_str().unwrap()
            )
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn places_are_listed_and_checked_without_showing_a_secret() {
    let service = Service::start();
    let home = Home::new();
    let out = home.adopat(&service, &["--json", "places", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for fill in ['a', 'b', 'c'] {
        assert!(
            !text.contains(&known_token(fill)),
            "a secret was shown: {text}"
        );
        assert!(
            !text.contains(&b64(&known_token(fill))),
            "a secret was shown: {text}"
        );
    }
    let places = stdout_json(&out);
    let works = |id: &str| {
        places
            .as_array()
            .unwrap()
            .iter()
            .find(|p| {
                format!(
                    "{}:{}",
                    p["kind"].as_str().unwrap(),
                    p["entry"].as_str().unwrap()
                ) == id
            })
            .unwrap_or_else(|| panic!("{id} not among {places:#}"))["works"]
            .clone()
    };
    assert_eq!(works(&format!("npm:{NPM_FEED}")), Value::Bool(true));
    assert_eq!(
        works("npm://pkgs.dev.azure.com/contoso/_packaging/ci/npm/registry/"),
        Value::Bool(false),
        "old-ci has expired"
    );
    assert_eq!(works("maven:fabrikam-jars"), Value::Bool(true));
    assert_eq!(works("netrc:pkgs.dev.azure.com"), Value::Bool(true));
    if git_here() {
        assert_eq!(works("git:https://dev.azure.com"), Value::Bool(true));
    }
    let nuget = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "nuget")
        .unwrap();
    assert_eq!(nuget["entry"], "Contoso Web");
    assert_eq!(nuget["org"], "contoso");
    assert_eq!(
        nuget["pat"],
        Value::Null,
        "AdoPat did not hand this secret over"
    );
    assert!(nuget["file"].as_str().unwrap().ends_with("NuGet.Config"));

    // Without --check nothing is sent to Azure DevOps with a found credential.
    service.forget_requests();
    let out = home.adopat(&service, &["--json", "places"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout_json(&out)
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["works"].is_null())
    );
    assert!(
        !sent_a_found_credential(&service),
        "{:#?}",
        service.requests()
    );
}

#[test]
fn regenerate_gives_every_place_that_held_the_old_secret_the_new_one_and_no_other() {
    let service = Service::start();
    let home = Home::new();
    let (a, b, c) = (known_token('a'), known_token('b'), known_token('c'));
    let untouched = [".m2/settings.xml"].map(|f| (f, home.read(f)));
    let before: Vec<(&str, String)> = [".npmrc", PIP, NUGET, ".netrc", ".git-credentials"]
        .map(|f| (f, home.read(f)))
        .to_vec();

    let out = home.adopat(&service, &["--json", "regenerate", "nuget-feed", "--print"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let done = stdout_json(&out);
    let new = done["token"].as_str().unwrap().to_owned();
    assert_eq!(done["oldRevoked"], true);
    let mut expected = vec![
        "netrc:pkgs.dev.azure.com",
        "npm://pkgs.dev.azure.com/contoso/_packaging/web/npm/",
        "npm://pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
        "nuget:Contoso Web",
        "pip:https://pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/",
    ];
    if git_here() {
        expected.insert(0, "git:https://dev.azure.com");
    }
    assert_eq!(ids(&done["updated"]), expected);
    assert_eq!(done["notUpdated"], Value::Array(vec![]));
    let said = stderr(&out);
    assert!(said.contains("Updated nuget:Contoso Web in "), "{said}");
    assert!(!said.contains(&new) && !said.contains(&a), "{said}");

    // Each file is what it was, the old secret replaced by the new one and nothing else.
    for (file, old_text) in &before {
        if *file == ".git-credentials" && !git_here() {
            continue;
        }
        let expected = old_text.replace(&b64(&a), &b64(&new)).replace(&a, &new);
        assert_eq!(&home.read(file), &expected, "{file}");
    }
    for (file, text) in &untouched {
        assert_eq!(&home.read(file), text, "{file} held another PAT");
    }
    assert!(
        home.read(".npmrc").contains(&b64(&c)),
        "old-ci's place is untouched"
    );

    // The real clients read the new secret (Linux's: under Wine there are none).
    #[cfg(unix)]
    {
        assert_eq!(home.npm_reads(&format!("{NPM_FEED}:_password")), b64(&new));
        let pip = home.client("pip", &["config", "list"]);
        assert!(
            pip.contains(&format!("global.index-url='https://me:{new}@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/'")),
            "{pip}"
        );
        assert_eq!(home.git_password("contoso"), new);
    }
    let nuget = home.read(NUGET);
    assert!(
        nuget.starts_with('\u{feff}') && nuget.contains("\r\n"),
        "BOM and CRLF kept"
    );
    assert_eq!(xml_value(&nuget, "ClearTextPassword"), new);
    // And the new secret works where the old one no longer does.
    assert!(service.pat_works("contoso", &new));
    assert!(!service.pat_works("contoso", &a));
    assert!(service.pat_works("fabrikam", &b));
}

/// The `value` of `<add key="KEY" …/>`, as an XML parser reads it.
fn xml_value(xml: &str, key: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml.trim_start_matches('\u{feff}'));
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Empty(tag) => {
                let attrs: Vec<_> = tag.attributes().flatten().collect();
                if attrs
                    .iter()
                    .any(|a| a.key.as_ref() == "key" && a.value == key)
                {
                    let value = attrs.iter().find(|a| a.key.as_ref() == "value").unwrap();
                    return value.value.to_string();
                }
            }
            quick_xml::events::Event::Eof => panic!("no {key}"),
            _ => {}
        }
    }
}

#[test]
fn a_secret_adopat_handed_over_is_known_where_it_is_put_and_updated_before_the_revoke() {
    let service = Service::start();
    let home = tempfile::tempdir().unwrap();
    let home = Home { dir: home };
    let out = home.adopat(
        &service,
        &[
            "--json",
            "--org",
            "contoso",
            "create",
            "--name",
            "feed-reader",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let created = stdout_json(&out);
    let first = created["token"].as_str().unwrap().to_owned();
    home.write(".npmrc", &format!("{NPM_FEED}:_password={}\n", b64(&first)));

    let out = home.adopat(&service, &["--json", "places"]);
    let places = stdout_json(&out);
    assert_eq!(places[0]["pat"]["id"], created["id"], "{places:#}");
    assert_eq!(places[0]["pat"]["name"], "feed-reader");

    service.forget_requests();
    let out = home.adopat(
        &service,
        &["--json", "regenerate", "feed-reader", "--print"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let done = stdout_json(&out);
    assert_eq!(ids(&done["updated"]), [format!("npm:{NPM_FEED}")]);
    assert_eq!(done["updated"][0]["pat"]["id"], done["id"]);
    assert_eq!(
        home.read(".npmrc"),
        format!(
            "{NPM_FEED}:_password={}\n",
            b64(done["token"].as_str().unwrap())
        )
    );
    // Known exactly: no check with the found credential was needed.
    assert!(
        !sent_a_found_credential(&service),
        "{:#?}",
        service.requests()
    );
}

#[test]
fn a_place_that_cannot_be_written_is_named_and_the_rest_are_updated_with_exit_7() {
    let service = Service::start();
    let home = Home::new();
    let npmrc = home.read(".npmrc");
    let mut read_only = std::fs::metadata(home.path(".npmrc"))
        .unwrap()
        .permissions();
    read_only.set_readonly(true);
    std::fs::set_permissions(home.path(".npmrc"), read_only).unwrap();
    let out = home.adopat(&service, &["--json", "regenerate", "nuget-feed", "--print"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let done = stdout_json(&out);
    let new = done["token"].as_str().unwrap();
    let missed = done["notUpdated"].as_array().unwrap();
    assert_eq!(missed.len(), 2, "{missed:#?}");
    assert!(
        missed
            .iter()
            .all(|m| m["kind"] == "npm" && m["reason"].as_str().unwrap().contains("read-only"))
    );
    assert_eq!(home.read(".npmrc"), npmrc);
    assert!(home.read(PIP).contains(new));
    let said = stderr(&out);
    assert!(
        said.contains(
            "Not updated: npm://pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/ in "
        ),
        "{said}"
    );
    assert!(said.contains("read-only"), "{said}");
}

/// A global PAT (`everywhere`, `d`) used for two organizations' feeds and for the host as a
/// whole, replaced by a PAT of one of them: its places get the PAT that works there.
#[test]
fn a_global_pat_s_replacement_goes_only_where_its_organization_is_served() {
    // Before 1 December, while the global PAT still works: the revoke tells its places.
    let service = Service::at("2026-11-20T12:00:00Z");
    let home = Home::empty();
    let d = known_token('d');
    let npmrc = format!("{NPM_FEED}:username=me\n{NPM_FEED}:_password={}\n", b64(&d));
    home.write(".npmrc", &npmrc);
    home.write(
        ".m2/settings.xml",
        &format!(
            "<settings><servers><server><id>fabrikam-jars</id><username>me</username><password>{d}</password></server></servers>\
<profiles><profile><repositories><repository><id>fabrikam-jars</id>\
<url>https://pkgs.dev.azure.com/fabrikam/_packaging/jars/maven/v1</url></repository></repositories></profile></profiles></settings>\n"
        ),
    );
    home.write(
        ".netrc",
        &format!("machine pkgs.dev.azure.com login me password {d}\n"),
    );

    let out = home.adopat(
        &service,
        &[
            "--json",
            "--org",
            "fabrikam",
            "regenerate",
            "everywhere",
            "--print",
        ],
    );
    // A place left with a secret that no longer works is a place not updated.
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let done = stdout_json(&out);
    let new = done["token"].as_str().unwrap().to_owned();
    assert_eq!(done["oldRevoked"], true);
    assert_eq!(
        ids(&done["updated"]),
        ["maven:fabrikam-jars", "netrc:pkgs.dev.azure.com"]
    );
    assert!(
        home.read(".m2/settings.xml")
            .contains(&format!("<password>{new}</password>"))
    );
    assert_eq!(
        home.read(".netrc"),
        format!("machine pkgs.dev.azure.com login me password {new}\n")
    );

    // contoso's feed keeps what it had: a PAT of fabrikam would not work there.
    assert_eq!(home.read(".npmrc"), npmrc);
    let missed = done["notUpdated"].as_array().unwrap();
    assert_eq!(ids(&done["notUpdated"]), [format!("npm:{NPM_FEED}")]);
    let reason = missed[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("it is for contoso, which got no PAT in place of the global one"),
        "{reason}"
    );
    assert!(service.pat_works("fabrikam", &new));
}

#[test]
fn no_update_leaves_every_place_as_it_was() {
    let service = Service::start();
    let home = Home::new();
    let npmrc = home.read(".npmrc");
    let out = home.adopat(
        &service,
        &[
            "--json",
            "regenerate",
            "nuget-feed",
            "--print",
            "--no-update",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["updated"], Value::Array(vec![]));
    assert_eq!(home.read(".npmrc"), npmrc);
}

#[test]
fn a_folder_that_is_not_one_is_refused_before_any_request() {
    let service = Service::start();
    let home = Home::new();
    service.forget_requests();
    for args in [
        &["places", "--in", "/no/such/folder"][..],
        &[
            "regenerate",
            "nuget-feed",
            "--print",
            "--in",
            "/no/such/folder",
        ][..],
    ] {
        let out = home.adopat(&service, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("--in: '/no/such/folder' is not a folder"),
            "{}",
            stderr(&out)
        );
    }
    assert!(service.requests().is_empty(), "{:#?}", service.requests());
}

#[test]
fn a_repository_folder_counts_when_named() {
    let service = Service::start();
    let home = Home::new();
    let repo = tempfile::tempdir().unwrap();
    std::fs::write(
        repo.path().join("nuget.config"),
        format!(
            "<configuration><packageSources><add key=\"ci\" value=\"https://contoso.pkgs.visualstudio.com/_packaging/ci/nuget/v3/index.json\"/></packageSources>\
<packageSourceCredentials><ci><add key=\"ClearTextPassword\" value=\"{}\"/></ci></packageSourceCredentials></configuration>",
            known_token('a')
        ),
    )
    .unwrap();
    let dir = repo.path().to_str().unwrap();
    let out = home.adopat(
        &service,
        &["--json", "regenerate", "nuget-feed", "--print", "--in", dir],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let done = stdout_json(&out);
    assert!(
        ids(&done["updated"]).contains(&"nuget:ci".to_owned()),
        "{done:#}"
    );
    let text = std::fs::read_to_string(repo.path().join("nuget.config")).unwrap();
    assert_eq!(
        xml_value(&text, "ClearTextPassword"),
        done["token"].as_str().unwrap()
    );
}

#[test]
fn a_dead_place_gets_a_new_pat_in_one_step() {
    let service = Service::start();
    let home = Home::new();
    let dead = "npm://pkgs.dev.azure.com/contoso/_packaging/ci/npm/registry/";
    let npmrc = home.read(".npmrc");
    let out = home.adopat(
        &service,
        &[
            "--json",
            "--org",
            "contoso",
            "create",
            "--name",
            "ci-feed",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
            "--put-in",
            dead,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let created = stdout_json(&out);
    let token = created["token"].as_str().unwrap();
    assert_eq!(ids(&created["updated"]), [dead]);
    assert_eq!(
        home.read(".npmrc"),
        npmrc.replace(&b64(&known_token('c')), &b64(token)),
        "only the dead place changed"
    );

    let out = home.adopat(&service, &["--json", "places", "--check"]);
    let places = stdout_json(&out);
    let place = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            format!(
                "{}:{}",
                p["kind"].as_str().unwrap(),
                p["entry"].as_str().unwrap()
            ) == dead
        })
        .unwrap();
    assert_eq!(place["works"], true);
    assert_eq!(place["pat"]["name"], "ci-feed");
}

#[test]
fn a_place_that_is_not_there_is_refused_before_anything_is_created() {
    let service = Service::start();
    let home = Home::new();
    service.forget_requests();
    let out = home.adopat(
        &service,
        &[
            "--org",
            "contoso",
            "create",
            "--name",
            "x",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
            "--put-in",
            "npm://nowhere/",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("--put-in: 'npm://nowhere/' is not a place AdoPat found on this machine"),
        "{}",
        stderr(&out)
    );
    assert!(
        !service.requests().iter().any(|r| r["method"] == "POST"),
        "{:#?}",
        service.requests()
    );
}

#[cfg(unix)]
#[test]
fn a_kill_during_the_writes_leaves_each_file_old_or_new_never_half() {
    let files = [".npmrc", PIP, NUGET, ".netrc"];
    for delay_ms in [60u64, 120, 180, 240, 320, 450] {
        let service = Service::start();
        let home = Home::new();
        let a = known_token('a');
        let before: Vec<String> = files.iter().map(|f| home.read(f)).collect();
        let mut cmd = service.adopat_std();
        home.env(&mut cmd);
        let mut child = cmd
            .args(["regenerate", "nuget-feed", "--print"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let out = child.wait_with_output().unwrap();
        let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        for (file, old) in files.iter().zip(&before) {
            let now = home.read(file);
            let renewed = printed.len() == 84
                && now == old.replace(&b64(&a), &b64(&printed)).replace(&a, &printed);
            assert!(
                now == *old || renewed,
                "{file} after a kill at {delay_ms} ms is neither the old file nor the new one:\n{now}"
            );
        }
    }
}

#[test]
fn a_dry_run_says_what_would_change_and_changes_nothing() {
    let service = Service::start();
    let home = Home::new();
    let before: Vec<String> = [".npmrc", PIP, NUGET, ".netrc"]
        .iter()
        .map(|f| home.read(f))
        .collect();
    service.forget_requests();
    let out = home.adopat(
        &service,
        &["--json", "regenerate", "nuget-feed", "--dry-run"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let preview = stdout_json(&out);
    assert_eq!(preview["replaces"]["name"], "nuget-feed");
    assert!(
        ids(&preview["wouldCheck"]).contains(&format!("npm:{NPM_FEED}")),
        "{preview:#}"
    );
    assert!(
        !ids(&preview["wouldCheck"]).contains(&"maven:fabrikam-jars".to_owned()),
        "another organization's place is not a candidate"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains(&known_token('a')) && !text.contains(&b64(&known_token('a'))));
    let after: Vec<String> = [".npmrc", PIP, NUGET, ".netrc"]
        .iter()
        .map(|f| home.read(f))
        .collect();
    assert_eq!(before, after);
    assert!(
        !sent_a_found_credential(&service),
        "{:#?}",
        service.requests()
    );
    assert!(
        service.requests().iter().all(|r| r["method"] == "GET"),
        "only reads: {:#?}",
        service.requests()
    );
    assert!(service.pat_works("contoso", &known_token('a')));
}
