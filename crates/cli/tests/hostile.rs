//! A hostile repository or dotfile never gets a secret: files others wrote (a cloned
//! repository given with `--in`, a shared dotfile) are read as their clients read them,
//! links do not lead out, what they say reaches the terminal escaped, git is not theirs to
//! choose, and a found credential is sent to Azure DevOps a bounded number of times.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use base64::Engine;
use common::{Service, known_token, stderr, stdout_json};
use std::path::Path;
use std::process::Output;

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A home with nothing in it, and a repository folder beside it.
struct Machine {
    dir: tempfile::TempDir,
}

impl Machine {
    fn new() -> Self {
        let machine = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(machine.home()).unwrap();
        std::fs::create_dir_all(machine.repo()).unwrap();
        machine
    }

    fn home(&self) -> std::path::PathBuf {
        self.dir.path().join("home")
    }

    fn repo(&self) -> std::path::PathBuf {
        self.dir.path().join("repo")
    }

    fn adopat(&self, service: &Service, args: &[&str]) -> Output {
        self.adopat_in(service, &self.home(), args)
    }

    fn adopat_in(&self, service: &Service, cwd: &Path, args: &[&str]) -> Output {
        let mut cmd = service.adopat_std();
        cmd.env("HOME", self.home())
            .env("USERPROFILE", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .current_dir(cwd)
            .args(args);
        cmd.output().unwrap()
    }

    fn places_in_repo(&self, service: &Service) -> (Vec<String>, String) {
        let repo = self.repo();
        let out = self.adopat(
            service,
            &["--json", "places", "--in", repo.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let ids = stdout_json(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| format!("{}:{}", p["kind"], p["entry"]))
            .collect();
        (ids, stderr(&out))
    }
}

/// A listener standing in for the third party: whether anything connected to it.
struct ThirdParty(std::net::TcpListener);

impl ThirdParty {
    fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        Self(listener)
    }

    fn host(&self) -> String {
        self.0.local_addr().unwrap().to_string()
    }

    fn was_called(&self) -> bool {
        self.0.accept().is_ok()
    }
}

#[test]
fn a_feed_whose_url_leads_elsewhere_is_no_place_and_never_gets_a_secret() {
    let service = Service::start();
    let machine = Machine::new();
    let evil = ThirdParty::start();
    let host = evil.host();
    let a = known_token('a');
    let feed = "pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = format!(
        "//{host}/x@{feed}:_password={0}\n//{host}/x#@{feed}:_password={0}\n\
//{host}/x?@{feed}:_password={0}\n//{host}\\@{feed}:_password={0}\n",
        b64(&a)
    );
    let pip = format!(
        "[global]\nindex-url = https://me:{a}@{host}/x@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n\
extra-index-url = http://me:{a}@pkgs.dev.azure.com/contoso/_packaging/py/pypi/simple/\n"
    );
    let nuget = format!(
        "<configuration><packageSources>\
<add key=\"evil\" value=\"https://{host}/x@pkgs.dev.azure.com/contoso/_packaging/web/nuget/v3/index.json\"/>\
<add key=\"plain\" value=\"http://pkgs.dev.azure.com/contoso/_packaging/web/nuget/v3/index.json\"/>\
</packageSources><packageSourceCredentials>\
<evil><add key=\"ClearTextPassword\" value=\"{a}\"/></evil>\
<plain><add key=\"ClearTextPassword\" value=\"{a}\"/></plain>\
</packageSourceCredentials></configuration>"
    );
    let maven = format!(
        "<settings><servers><server><id>evil</id><password>{a}</password></server></servers>\
<profiles><profile><repositories><repository><id>evil</id>\
<url>https://{host}/x@pkgs.dev.azure.com/contoso/_packaging/jars/maven/v1</url>\
</repository></repositories></profile></profiles></settings>"
    );
    let repo = machine.repo();
    let files = [
        (".npmrc", npmrc),
        ("pip.conf", pip),
        ("nuget.config", nuget),
        ("settings.xml", maven),
    ];
    for (name, text) in &files {
        std::fs::write(repo.join(name), text).unwrap();
    }

    let (ids, _) = machine.places_in_repo(&service);
    assert!(ids.is_empty(), "{ids:?}");

    let out = machine.adopat(
        &service,
        &[
            "--json",
            "regenerate",
            "nuget-feed",
            "--print",
            "--in",
            repo.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (name, text) in &files {
        assert_eq!(
            &std::fs::read_to_string(repo.join(name)).unwrap(),
            text,
            "{name} is as it was"
        );
    }
    assert!(!evil.was_called());
}

#[test]
fn nuget_and_maven_places_show_the_host_their_client_calls() {
    let service = Service::start();
    let machine = Machine::new();
    std::fs::write(
        machine.repo().join("nuget.config"),
        format!(
            "<configuration><packageSources><add key=\"team\" value=\"https://contoso.pkgs.visualstudio.com/_packaging/t/nuget/v3/index.json\"/></packageSources>\
<packageSourceCredentials><team><add key=\"ClearTextPassword\" value=\"{}\"/></team></packageSourceCredentials></configuration>",
            known_token('a')
        ),
    )
    .unwrap();
    let repo = machine.repo();
    let out = machine.adopat(&service, &["places", "--in", repo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("HOST"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.contains("nuget:team") && l.contains("contoso.pkgs.visualstudio.com")),
        "{table}"
    );
}

#[test]
fn put_in_refuses_an_encrypted_password_and_another_organization_s_place() {
    let service = Service::start();
    let machine = Machine::new();
    let nuget = format!(
        "<configuration><packageSources>\
<add key=\"sealed\" value=\"https://pkgs.dev.azure.com/contoso/_packaging/s/nuget/v3/index.json\"/>\
<add key=\"theirs\" value=\"https://pkgs.dev.azure.com/fabrikam/_packaging/f/nuget/v3/index.json\"/>\
</packageSources><packageSourceCredentials>\
<sealed><add key=\"Password\" value=\"AQAAANCMnd8BFdERjHoAwE\"/></sealed>\
<theirs><add key=\"ClearTextPassword\" value=\"{}\"/></theirs>\
</packageSourceCredentials></configuration>",
        known_token('b')
    );
    let config = machine.repo().join("nuget.config");
    std::fs::write(&config, &nuget).unwrap();
    let repo = machine.repo();
    let create = |place: &str, anyway: bool| {
        let mut args = vec![
            "--json",
            "--org",
            "contoso",
            "create",
            "--name",
            "feed",
            "--scope",
            "vso.packaging",
            "--expires",
            "30d",
            "--print",
            "--put-in",
            place,
            "--in",
            repo.to_str().unwrap(),
        ];
        if anyway {
            args.push("--put-in-anyway");
        }
        machine.adopat(&service, &args)
    };
    service.forget_requests();
    let out = create("nuget:sealed", false);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keeps its password encrypted"),
        "{}",
        stderr(&out)
    );
    let out = create("nuget:theirs", false);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is for the organization fabrikam, not contoso"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--put-in-anyway"), "{}", stderr(&out));
    assert!(
        !service.requests().iter().any(|r| r["method"] == "POST"),
        "nothing was created: {:#?}",
        service.requests()
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), nuget);

    let out = create("nuget:theirs", true);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let token = stdout_json(&out)["token"].as_str().unwrap().to_owned();
    assert!(std::fs::read_to_string(&config).unwrap().contains(&token));
}

#[test]
fn checks_send_each_credential_once_and_stop_at_a_ceiling() {
    let service = Service::start();
    let machine = Machine::new();
    let a = known_token('a');
    let mut npmrc = String::new();
    for i in 0..3000 {
        npmrc.push_str(&format!(
            "//pkgs.dev.azure.com/contoso/_packaging/same{i}/npm/registry/:_password={}\n",
            b64(&a)
        ));
    }
    std::fs::write(machine.repo().join(".npmrc"), &npmrc).unwrap();
    let repo = machine.repo();
    let checks = |service: &Service| {
        service
            .requests()
            .iter()
            .filter(|r| {
                r["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
                    .contains("connectiondata")
            })
            .count()
    };
    service.forget_requests();
    let out = machine.adopat(
        &service,
        &[
            "--json",
            "places",
            "--check",
            "--in",
            repo.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(checks(&service), 1, "one credential, one organization");
    assert!(
        stdout_json(&out)
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["works"] == true)
    );

    let mut junk = String::new();
    for i in 0..3000 {
        junk.push_str(&format!(
            "//pkgs.dev.azure.com/contoso/_packaging/junk{i}/npm/registry/:_authToken=junk-{i}\n"
        ));
    }
    std::fs::write(machine.repo().join(".npmrc"), &junk).unwrap();
    service.forget_requests();
    let out = machine.adopat(
        &service,
        &["places", "--check", "--in", repo.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(checks(&service) <= 50, "{} checks", checks(&service));
    assert!(
        stderr(&out).contains("were not checked: AdoPat asks Azure DevOps at most 50 times"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;

    fn script(path: &Path, body: &str) {
        std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[test]
    fn a_link_out_of_the_given_folder_is_not_followed() {
        let service = Service::start();
        let machine = Machine::new();
        let outside = machine.dir.path().join("elsewhere");
        std::fs::create_dir_all(&outside).unwrap();
        let target = outside.join("npmrc");
        let text = format!(
            "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/:_password={}\n",
            b64(&known_token('a'))
        );
        std::fs::write(&target, &text).unwrap();
        std::os::unix::fs::symlink(&target, machine.repo().join(".npmrc")).unwrap();

        let (ids, said) = machine.places_in_repo(&service);
        assert!(ids.is_empty(), "{ids:?}");
        assert!(said.contains("outside"), "{said}");
        assert!(said.contains(&target.display().to_string()), "{said}");

        let repo = machine.repo();
        let out = machine.adopat(
            &service,
            &[
                "regenerate",
                "nuget-feed",
                "--print",
                "--in",
                repo.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), text);
    }

    #[test]
    fn what_a_file_says_reaches_the_terminal_escaped() {
        let service = Service::start();
        let machine = Machine::new();
        let repo = machine.dir.path().join("repo\u{1b}[31mred");
        std::fs::create_dir_all(&repo).unwrap();
        std::fs::write(
            repo.join(".npmrc"),
            format!(
                "//pkgs.dev.azure.com/con\u{1b}]0;pwn\u{7}toso/_packaging/web/npm/registry/:_password={}\n",
                b64(&known_token('a'))
            ),
        )
        .unwrap();
        let out = machine.adopat(&service, &["places", "--in", repo.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
        assert!(shown.contains("pkgs.dev.azure.com"), "{shown}");
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
            "{shown:?}"
        );
        assert!(shown.contains("\\u{1b}"), "{shown}");
    }

    #[test]
    fn git_is_never_the_repository_s_to_choose_and_never_sees_adopat_s_token() {
        let service = Service::start();
        let machine = Machine::new();
        let seen = machine.dir.path().join("helper-saw");
        let hostile = machine.dir.path().join("hostile-ran");
        let helper = machine.dir.path().join("helper");
        script(
            &helper,
            &format!("env > '{}'; pwd >> '{}'", seen.display(), seen.display()),
        );
        std::fs::write(
            machine.home().join(".gitconfig"),
            format!("[credential]\n\thelper = {}\n", helper.display()),
        )
        .unwrap();
        let evil = machine.dir.path().join("evil-helper");
        script(&evil, &format!("touch '{}'", hostile.display()));
        let repo = machine.repo();
        let git = |args: &[&str]| {
            let status = Command::new("git")
                .args(args)
                .current_dir(&repo)
                .env("HOME", machine.home())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .output()
                .unwrap();
            assert!(status.status.success(), "{}", stderr(&status));
        };
        git(&["init", "-q"]);
        git(&[
            "config",
            "credential.helper",
            &format!("!{}", evil.display()),
        ]);

        let out = machine.adopat_in(&service, &repo, &["places"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!hostile.exists(), "the repository's helper ran");
        let saw = std::fs::read_to_string(&seen).expect("the user's own helper ran");
        assert!(!saw.contains("ADOPAT_"), "{saw}");
        assert!(!saw.contains(common::TOKEN), "{saw}");
        assert!(!saw.contains(&repo.display().to_string()), "{saw}");
    }

    #[test]
    fn the_new_git_credential_is_stored_before_the_old_is_removed() {
        let service = Service::start();
        let machine = Machine::new();
        let log = machine.dir.path().join("helper-log");
        let store = machine.dir.path().join("store");
        let helper = machine.dir.path().join("helper");
        // A helper keeping one credential per URL, as store, libsecret and GCM do;
        // it logs each action, so the order is known.
        script(
            &helper,
            &format!(
                "log='{}'; store='{}'\necho \"$1\" >> \"$log\"\ncase \"$1\" in\n\
get) cat \"$store\" 2>/dev/null ;;\n\
store) grep -E '^(username|password)=' > \"$store\" ;;\n\
erase) rm -f \"$store\" ;;\nesac",
                log.display(),
                store.display()
            ),
        );
        std::fs::write(
            machine.home().join(".gitconfig"),
            format!("[credential]\n\thelper = {}\n", helper.display()),
        )
        .unwrap();
        std::fs::write(
            &store,
            format!("username=me\npassword={}\n", known_token('a')),
        )
        .unwrap();

        let out = machine.adopat(&service, &["--json", "regenerate", "nuget-feed", "--print"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let token = stdout_json(&out)["token"].as_str().unwrap().to_owned();
        assert_eq!(
            std::fs::read_to_string(&store).unwrap(),
            format!("username=me\npassword={token}\n")
        );
        let actions = std::fs::read_to_string(&log).unwrap();
        let first_store = actions.lines().position(|a| a == "store");
        assert!(first_store.is_some(), "{actions}");
        assert!(
            !actions.lines().any(|a| a == "erase"),
            "nothing was erased: a kill at any point leaves a working credential\n{actions}"
        );
    }

    /// Run as `nobody` (only root can make a file of a group its owner is not in, and
    /// the tests run as root): the rewritten file cannot keep its group, so only its
    /// owner may read it now, and AdoPat says so.
    #[test]
    fn a_file_whose_group_cannot_be_kept_is_left_readable_by_its_owner_alone() {
        let root = Command::new("id").arg("-u").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&root.stdout).trim(),
            "0",
            "this test makes files of another user: run it as root (cargo xtask test does)"
        );
        let service = Service::start();
        let machine = Machine::new();
        let chown = |owner: &str, path: &Path| {
            let out = Command::new("chown").arg(owner).arg(path).output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        };
        let config = machine.dir.path().join("nobody-config");
        std::fs::create_dir_all(&config).unwrap();
        for dir in [
            machine.dir.path(),
            &machine.home(),
            &machine.repo(),
            &config,
        ] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            chown("nobody", dir);
        }
        let npmrc = machine.repo().join(".npmrc");
        std::fs::write(
            &npmrc,
            format!(
                "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/:_authToken={}\n",
                known_token('c')
            ),
        )
        .unwrap();
        chown("nobody:users", &npmrc);
        std::fs::set_permissions(&npmrc, std::fs::Permissions::from_mode(0o640)).unwrap();

        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_adopat"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("ADOPAT_VSSPS_URL", service.base())
            .env("ADOPAT_APP_VSSPS_URL", service.base())
            .env("ADOPAT_LOGIN_URL", service.base())
            .env("ADOPAT_ACCESS_TOKEN", common::TOKEN)
            .env("ADOPAT_CONFIG_DIR", &config)
            .env("HOME", machine.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .current_dir(machine.home())
            .args([
                "--json",
                "--org",
                "contoso",
                "create",
                "--name",
                "web-feed",
                "--scope",
                "vso.packaging",
                "--expires",
                "30d",
                "--print",
                "--put-in",
                "npm://pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
                "--in",
            ])
            .arg(machine.repo());
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let token = stdout_json(&out)["token"].as_str().unwrap().to_owned();
        assert!(std::fs::read_to_string(&npmrc).unwrap().contains(&token));
        let mode = std::fs::metadata(&npmrc).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        assert!(
            stderr(&out).contains("its group could not be kept, so only you can read it now"),
            "{}",
            stderr(&out)
        );
    }
}
