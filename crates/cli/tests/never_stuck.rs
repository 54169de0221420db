//! Never stuck: what a home folder holds (a named pipe, a socket, a device where a
//! client's file should be) and a credential helper that does not answer make AdoPat say
//! so and go on, never wait for ever; a regenerate whose place update hangs still hands
//! the new secret over.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
mod common;

use common::{Service, known_token, stderr, stdout_json};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        let path = self.0.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        path
    }

    /// `git config credential.helper` as a script of its own.
    fn helper(&self, body: &str) {
        let helper = self.path("helper");
        std::fs::write(&helper, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(
            self.path(".gitconfig"),
            format!("[credential]\n\thelper = {}\n", helper.display()),
        )
        .unwrap();
    }

    fn adopat(&self, service: &Service, args: &[&str]) -> Output {
        let mut cmd = service.adopat_std();
        cmd.env("HOME", self.0.path())
            .env("XDG_CONFIG_HOME", self.path(".config"))
            .args(args);
        cmd.output().unwrap()
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_pipe_or_a_socket_is_a_place_that_cannot_be_read_not_a_wait() {
    let service = Service::start();
    let home = Home::new();
    mkfifo(&home.path(".npmrc"));
    mkfifo(&home.path(".config/pip/pip.conf"));
    let _socket = std::os::unix::net::UnixListener::bind(home.path(".netrc")).unwrap();
    mkfifo(&home.path(".m2/settings.xml"));
    let repo = tempfile::tempdir().unwrap();
    mkfifo(&repo.path().join("nuget.config"));
    let out = home.adopat(&service, &["places", "--in", repo.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    for file in [
        ".npmrc",
        "pip.conf",
        ".netrc",
        "settings.xml",
        "nuget.config",
    ] {
        assert!(
            said.lines()
                .any(|l| l.contains(file) && l.contains("is not a regular file")),
            "{file}: {said}"
        );
    }
}

#[test]
fn a_helper_that_does_not_answer_is_ended_and_the_other_places_are_shown() {
    let service = Service::start();
    let home = Home::new();
    let pid_file = home.path("helper-pid");
    // It starts a child that holds its output open, then waits for ever: neither
    // git's end nor the output's end would ever come.
    home.helper(&format!(
        "sleep 600 & echo $! > '{}'; wait",
        pid_file.display()
    ));
    std::fs::write(
        home.path(".npmrc"),
        format!(
            "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/:_authToken={}\n",
            known_token('a')
        ),
    )
    .unwrap();
    let out = home.adopat(&service, &["--timeout", "3", "--json", "places"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("git's credential helper did not answer within")
            && stderr(&out).contains("the git places were not checked"),
        "{}",
        stderr(&out)
    );
    let places = stdout_json(&out);
    assert_eq!(places.as_array().unwrap().len(), 1, "{places:#}");
    assert_eq!(places[0]["kind"], "npm");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let proc = Path::new("/proc").join(pid.trim());
    let ended = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::read_to_string(proc.join("stat")).map_or(true, |s| s.contains(") Z"))
    });
    assert!(ended, "the helper's child was ended with it");
}

#[test]
fn a_regenerate_whose_git_update_hangs_hands_the_secret_over_and_says_so() {
    let service = Service::start();
    let home = Home::new();
    // It answers what it holds at once, and never comes back from a store or an erase.
    home.helper(&format!(
        "case \"$1\" in get) printf 'username=me\\npassword={}\\n' ;; *) sleep 600 ;; esac",
        known_token('a')
    ));
    let out = home.adopat(&service, &["--json", "regenerate", "nuget-feed", "--print"]);
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let done = stdout_json(&out);
    let token = done["token"].as_str().unwrap();
    assert!(service.pat_works("contoso", token));
    assert_eq!(done["oldRevoked"], true, "{done:#}");
    let missed = done["notUpdated"].as_array().unwrap();
    assert!(!missed.is_empty(), "{done:#}");
    assert!(
        missed.iter().all(|m| m["kind"] == "git"
            && m["reason"]
                .as_str()
                .unwrap()
                .contains("git credential approve did not answer within 10 s")),
        "{done:#}"
    );
}
