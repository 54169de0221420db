#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// The keyring is read back with secret-tool, the Secret Service's own client.
#![cfg(target_os = "linux")]
//! Sign-in against the emulator's Entra, with the real Secret Service (gnome-keyring in
//! the private D-Bus session `cargo xtask test` starts) and, for the canary, the real
//! X11 clipboard.

mod common;

use common::{Service, standard_seed, stderr};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// The keyring and clipboard are one per session: these tests take turns.
static SESSION: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .expect("these tests need the private D-Bus session with gnome-keyring: run them with `cargo xtask test`");
    assert!(
        !bus.contains("/run/user/"),
        "refusing to touch a real user session's keyring ({bus})"
    );
    SESSION.lock().unwrap_or_else(|e| e.into_inner())
}

fn signed_in_service(seed: Value) -> Service {
    let service = Service::with(seed, Default::default());
    service.control(
        reqwest::Method::POST,
        "entra",
        Some(json!({"autoApprove": true, "deviceIntervalSecs": 1})),
    );
    service
}

/// `adopat` with no access token: it has to use what `login` kept.
fn adopat(service: &Service) -> assert_cmd::Command {
    let mut cmd = service.adopat();
    cmd.env_remove("ADOPAT_ACCESS_TOKEN");
    for var in [
        "DBUS_SESSION_BUS_ADDRESS",
        "XDG_RUNTIME_DIR",
        "XDG_DATA_HOME",
    ] {
        if let Some(value) = std::env::var_os(var) {
            cmd.env(var, value);
        }
    }
    cmd
}

use adopat_test_support::{clear_keyring as clean_keyring, keyring_users};

fn keyring_value(user: &str) -> String {
    let out = adopat_test_support::secret_tool(&["lookup", "service", "adopat", "username", user]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn config(service: &Service) -> Value {
    let text =
        std::fs::read_to_string(service.dir.path().join("config/config.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[test]
fn device_code_sign_in_keeps_the_refresh_token_in_the_keyring_only() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let out = adopat(&service)
        .args(["login", "--device-code"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("devicelogin"),
        "the code and page are shown: {}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("Signed in as"), "{}", stderr(&out));

    let accounts = config(&service)["accounts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(accounts.len(), 1);
    let id = accounts[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(keyring_users(), vec![id.clone()]);
    let first = keyring_value(&id);
    assert!(!first.is_empty());

    // A second process lists without signing in, and the rotated refresh token replaces
    // the old one at once.
    let out = adopat(&service).args(["--json", "list"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nuget-feed"));
    let second = keyring_value(&id);
    assert!(
        !second.is_empty() && second != first,
        "the refresh token was not rotated in the keyring"
    );

    let out = adopat(&service).arg("whoami").output().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(accounts[0]["username"].as_str().unwrap())
    );

    let out = adopat(&service).arg("logout").output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        keyring_users().is_empty(),
        "logout left {:?}",
        keyring_users()
    );
    assert_eq!(config(&service)["accounts"], json!([]));
    let out = adopat(&service).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn a_revoked_sign_in_asks_to_sign_in_again() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let out = adopat(&service)
        .args(["login", "--device-code"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    service.control(reqwest::Method::POST, "entra/revoke", Some(json!({})));
    let out = adopat(&service).arg("list").output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("adopat login"), "{}", stderr(&out));
    clean_keyring();
}

#[test]
fn an_expired_access_token_is_renewed_without_the_user() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    assert!(
        adopat(&service)
            .args(["login", "--device-code"])
            .output()
            .unwrap()
            .status
            .success()
    );
    service.control(
        reqwest::Method::POST,
        "clock",
        Some(json!({"advanceSeconds": 2 * 3600})),
    );
    let out = adopat(&service)
        .args(["--json", "list", "--filter", "all"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    clean_keyring();
}

#[test]
fn browser_sign_in_completes_through_the_loopback_redirect() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let mut child = std_adopat(&service)
        .arg("login")
        .env("BROWSER", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("adopat printed no sign-in address")
            .unwrap();
        if let Some(url) = line.trim().strip_prefix("http") {
            break format!("http{url}");
        }
    };
    assert!(url.contains("code_challenge="), "PKCE is used: {url}");
    // The browser: follows the authority's redirect to AdoPat's loopback listener.
    let page = service
        .runtime
        .block_on(async { reqwest::get(&url).await.unwrap().text().await.unwrap() });
    assert!(page.contains("close this tab"), "{page}");
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert!(child.wait().unwrap().success(), "{rest:?}");
    assert_eq!(keyring_users().len(), 1);
    clean_keyring();
}

#[test]
fn cancelling_a_browser_sign_in_leaves_nothing_behind() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let mut child = std_adopat(&service)
        .arg("login")
        .env("BROWSER", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    while !lines
        .next()
        .expect("no sign-in address")
        .unwrap()
        .trim()
        .starts_with("http")
    {}
    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "interrupted, as docs/CONTRACTS.md says: {rest:?}"
    );
    assert!(
        rest.iter()
            .any(|l| l.contains("Interrupted; nothing was changed")),
        "{rest:?}"
    );
    assert!(keyring_users().is_empty());
    assert!(!service.dir.path().join("config/config.json").exists());
}

fn std_adopat(service: &Service) -> Command {
    let mut cmd = service.adopat_std();
    cmd.env_remove("ADOPAT_ACCESS_TOKEN");
    for var in [
        "DBUS_SESSION_BUS_ADDRESS",
        "XDG_RUNTIME_DIR",
        "XDG_DATA_HOME",
    ] {
        if let Some(value) = std::env::var_os(var) {
            cmd.env(var, value);
        }
    }
    cmd
}

#[test]
fn without_a_secret_service_sign_in_fails_clearly_and_writes_nothing() {
    let _turn = turn();
    let service = signed_in_service(standard_seed());
    let out = adopat(&service)
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/adopat-test-bus",
        )
        .args(["login", "--device-code"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("Secret Service"), "{}", stderr(&out));
    assert!(
        service.requests().is_empty(),
        "nothing is sent before the keyring is known"
    );
    let config_dir = service.dir.path().join("config");
    let files: Vec<_> = std::fs::read_dir(&config_dir)
        .map(|d| d.collect())
        .unwrap_or_default();
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn the_azure_cli_sign_in_is_borrowed_not_stored() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let minted = service.control(reqwest::Method::POST, "entra/mint", Some(json!({})));
    let fake = service.dir.path().join("az");
    let answer = json!({"accessToken": minted["accessToken"], "expires_on": 4_102_444_800i64,
        "tenant": minted["tenant"], "tokenType": "Bearer"});
    std::fs::write(&fake, format!("#!/bin/sh\ncat <<'EOF'\n{answer}\nEOF\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();

    let out = adopat(&service)
        .env("ADOPAT_AZ", &fake)
        .args(["login", "--azure-cli"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        keyring_users().is_empty(),
        "nothing of the Azure CLI goes to the keyring"
    );
    let out = adopat(&service)
        .env("ADOPAT_AZ", &fake)
        .args(["--json", "list"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));

    std::fs::write(
        &fake,
        "#!/bin/sh\necho \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1\n",
    )
    .unwrap();
    let out = adopat(&service)
        .env("ADOPAT_AZ", &fake)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("az login"), "{}", stderr(&out));
}

#[test]
fn several_accounts_list_their_own_organizations() {
    let _turn = turn();
    clean_keyring();
    let mut seed = standard_seed();
    seed["orgs"] = json!([{"name": "contoso"}, {"name": "fabrikam"}, {"name": "tailspin"}]);
    seed["users"] = json!([
        {"displayName": "Jamie Rivera", "email": "jamie@contoso.com", "orgs": ["contoso", "fabrikam"]},
        {"displayName": "Sam Lee", "email": "sam@tailspin.com", "tenant": "0f0e0d0c-0b0a-4909-8807-060504030201", "orgs": ["tailspin"]}
    ]);
    let service = signed_in_service(seed);
    assert!(
        adopat(&service)
            .args(["login", "--device-code"])
            .output()
            .unwrap()
            .status
            .success()
    );
    let out = adopat(&service)
        .args([
            "login",
            "--device-code",
            "--tenant",
            "0f0e0d0c-0b0a-4909-8807-060504030201",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = adopat(&service)
        .args(["--json", "whoami"])
        .output()
        .unwrap();
    let who: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(who.as_array().unwrap().len(), 2);
    let out = adopat(&service).args(["--json", "orgs"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let orgs: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs: Vec<(String, String)> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["name"].as_str().unwrap().to_owned(),
                o["account"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        pairs.contains(&("tailspin".into(), "sam@tailspin.com".into())),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&("contoso".into(), "jamie@contoso.com".into())),
        "{pairs:?}"
    );

    let out = adopat(&service).arg("logout").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "two accounts: logout must be told which"
    );
    let out = adopat(&service).args(["logout", "--all"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(keyring_users().is_empty());
}

/// After sign-in, a refresh and a regenerate, no token or PAT value is anywhere it must
/// not be: files under ADOPAT_CONFIG_DIR, stdout, stderr at the most verbose log level.
#[test]
fn canary_no_secret_reaches_a_file_or_a_log() {
    let _turn = turn();
    clean_keyring();
    let service = signed_in_service(standard_seed());
    let mut said = String::new();
    let mut run = |args: &[&str]| {
        let out = adopat(&service)
            .env("RUST_LOG", "trace")
            .args(args)
            .output()
            .unwrap();
        said.push_str(&String::from_utf8_lossy(&out.stdout));
        said.push_str(&String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    run(&["login", "--device-code"]);
    run(&["list", "--filter", "all"]);

    // Regenerate to the clipboard, read back from another process while it waits.
    let display =
        std::env::var("DISPLAY").expect("the canary needs the X display of `cargo xtask test`");
    let mut child = std_adopat(&service)
        .args(["regenerate", "nuget-feed"])
        .env("RUST_LOG", "trace")
        .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", "3")
        .env("DISPLAY", &display)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    while !line.contains("on the clipboard") {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "no clipboard notice; said: {said}"
        );
        said.push_str(&line);
    }
    let pat = adopat_test_support::clipboard();
    assert_eq!(pat.len(), 84);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    said.push_str(&rest);
    said.push_str(&std::io::read_to_string(child.stdout.take().unwrap()).unwrap());
    assert!(child.wait().unwrap().success(), "{said}");

    let issued = service.control(reqwest::Method::GET, "entra/issued", None);
    let mut secrets: Vec<String> = vec![pat];
    for kind in ["accessTokens", "refreshTokens"] {
        secrets.extend(
            issued[kind]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_owned()),
        );
    }
    assert!(
        secrets.len() >= 5,
        "login and a refresh issue two of each: {}",
        secrets.len()
    );
    let files = files_under(&service.dir.path().join("config"));
    assert!(!files.is_empty());
    for secret in &secrets {
        assert!(
            !said.contains(secret.as_str()),
            "a secret reached stdout or stderr"
        );
        for (path, content) in &files {
            assert!(
                !content.contains(secret.as_str()),
                "a secret reached {}",
                path.display()
            );
        }
    }
    clean_keyring();
}

fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push((
                path.clone(),
                String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
            ));
        }
    }
    found
}
