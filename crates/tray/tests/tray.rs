#![allow(clippy::unwrap_used)]
// a failed unwrap is a failed test
// The StatusNotifierItem and notifications are read on the D-Bus session bus.
#![cfg(target_os = "linux")]
//! The real `adopat-tray` binary on the private session bus of `cargo xtask test`, with
//! `notify-sink` standing in for the desktop's notification server and panel, against
//! the emulator: notifications as the user gets them, the menu as a panel reads it
//! (com.canonical.dbusmenu, with gdbus from another process), and its actions.

use adopat_emulator::{Config, Emulator, Policies, Seed};
use adopat_test_support::{
    clipboard, emulator_fault, emulator_requests, keyring_users, known_token, token_works,
    wait_for_request,
};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TOKEN: &str = "tray-test-token";
const WAIT: Duration = Duration::from_secs(20);

fn beside_the_tray(name: &str) -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_adopat-tray")).with_file_name(name)
}

/// The sink, the emulator and a config folder for one test.
struct Desk {
    dir: tempfile::TempDir,
    sink: Child,
    emulator: Emulator,
}

impl Desk {
    async fn new(pats: Value, policies: Policies) -> Self {
        Self::with_sink(pats, policies, &[]).await
    }

    async fn with_sink(pats: Value, policies: Policies, sink_args: &[&str]) -> Self {
        let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS")
            .expect("needs the private D-Bus session: run with `cargo xtask test`");
        assert!(
            !bus.contains("/run/user/"),
            "refusing a real session ({bus})"
        );
        let dir = tempfile::tempdir().unwrap();
        let emulator = Emulator::start(Config {
            seed: Seed::Json(json!({"orgs": [{"name": "contoso"}], "pats": pats})),
            static_token: Some(TOKEN.into()),
            policies,
            ..Config::default()
        })
        .await
        .unwrap();
        let mut sink = Command::new(beside_the_tray("notify-sink"))
            .arg(dir.path().join("desk.jsonl"))
            .args(sink_args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("notify-sink is built (cargo build -p notify-sink; cargo xtask test does)");
        let mut ready = String::new();
        BufReader::new(sink.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready");
        Self {
            dir,
            sink,
            emulator,
        }
    }

    fn home(&self) -> PathBuf {
        let home = self.dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        home
    }

    fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn lines(&self, kind: &str) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("desk.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|l| l["kind"] == kind)
            .collect()
    }

    fn notifications(&self) -> Vec<Value> {
        self.lines("notify")
    }

    async fn advance_clock(&self, days: i64) {
        let response = reqwest::Client::new()
            .post(format!("{}/_emulator/clock", self.emulator.base_url()))
            .json(&json!({"advanceSeconds": days * 86_400}))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
    }

    async fn pat(&self, name: &str) -> Value {
        let state: Value = reqwest::get(format!("{}/_emulator/state", self.emulator.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        state["pats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["displayName"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no PAT '{name}' in {state}"))
    }

    /// The tray as a signed-in user would start it, on this desk's config folder: no
    /// access token, so it signs in with the accounts of the config.
    fn tray_command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_adopat-tray"));
        command
            .env("ADOPAT_CONFIG_DIR", self.config_dir())
            // A home of its own: the places a regenerate updates are found there.
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("ADOPAT_ACCESS_TOKEN")
            .env("RUST_LOG", "adopat_tray=info,adopat_core=warn")
            .env_remove("NO_COLOR");
        command
    }

    /// The tray working with the emulator's token, after its first round.
    fn start_tray(&self) -> Tray {
        self.start_tray_clearing_after("60")
    }

    fn start_tray_clearing_after(&self, seconds: &str) -> Tray {
        let url = self.emulator.base_url();
        let mut command = self.tray_command();
        command
            .env("ADOPAT_VSSPS_URL", url)
            .env("ADOPAT_APP_VSSPS_URL", url)
            .env("ADOPAT_LOGIN_URL", url)
            .env("ADOPAT_ACCESS_TOKEN", TOKEN)
            .env("ADOPAT_CLIPBOARD_CLEAR_SECONDS", seconds);
        let tray = Tray::spawn(command);
        tray.wait_for_round();
        tray
    }

    /// The tray's bus name, as it registered with the panel (the latest one).
    fn tray_name(&self) -> String {
        let items = self.lines("tray");
        items.last().expect("the tray registered with the panel")["service"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The menu as a panel reads it, in gdbus's text form.
    fn menu(&self) -> String {
        let out = gdbus(
            &self.tray_name(),
            "/MenuBar",
            "com.canonical.dbusmenu.GetLayout",
            &["0", "-1", "[\"label\"]"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Clicks the item labelled `label`, the first after `under` (a PAT's submenu).
    fn click(&self, under: Option<&str>, label: &str) {
        let menu = self.menu();
        let from = under.map_or(0, |u| {
            menu.find(&format!("'label': <'{u}"))
                .unwrap_or_else(|| panic!("no '{u}' in {menu}"))
        });
        let at = from
            + menu[from..]
                .find(&format!("{{'label': <'{label}'>}}"))
                .unwrap_or_else(|| panic!("no '{label}' in {menu}"));
        let open = menu[..at].rfind('(').unwrap();
        let id = menu[open + 1..at].trim_end_matches(", ");
        let out = gdbus(
            &self.tray_name(),
            "/MenuBar",
            "com.canonical.dbusmenu.Event",
            &[id, "clicked", "<\"\">", "0"],
        );
        // Quit may end the tray before its reply leaves.
        let quit_without_reply = label == "Quit" && !out.status.success();
        assert!(
            out.status.success() || quit_without_reply,
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A D-Bus call from another process, as a panel or the window makes it.
fn gdbus(dest: &str, path: &str, method: &str, args: &[&str]) -> std::process::Output {
    Command::new("timeout")
        .args(["5", "gdbus", "call", "--session", "--dest", dest])
        .args(["--object-path", path, "--method", method, "--"])
        .args(args)
        .output()
        .unwrap()
}

impl Drop for Desk {
    fn drop(&mut self) {
        let _ = self.sink.kill();
        let _ = self.sink.wait();
    }
}

struct Tray {
    child: Child,
    log: mpsc::Receiver<String>,
}

impl Tray {
    fn spawn(mut command: Command) -> Self {
        let mut child = command.stderr(Stdio::piped()).spawn().unwrap();
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("tray: {line}");
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Self { child, log }
    }

    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => panic!("the tray never logged '{what}'"),
            }
        }
    }

    fn wait_for_round(&self) -> String {
        self.wait_for("reminder round")
    }

    /// SIGTERM, as a session ending sends it.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "ends cleanly on SIGTERM: {status}");
    }
}

impl Drop for Tray {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn pat(name: &str, valid_to: &str) -> Value {
    json!({"displayName": name, "scope": "vso.packaging", "orgs": ["contoso"],
           "validFrom": "-30d", "validTo": valid_to})
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crossed_threshold_is_told_once_and_not_again_after_a_restart() {
    let desk = Desk::new(
        json!([pat("nuget-feed", "+20d"), pat("far-away", "+200d")]),
        Policies::default(),
    )
    .await;
    let tray = desk.start_tray();
    assert!(desk.notifications().is_empty(), "nothing is due yet");
    assert!(desk.menu().contains("'Quit'"));
    assert!(!desk.menu().contains("nuget-feed"), "not yet within a week");

    // Seven days on, by the service's clock: 13 days left crosses the 14-day threshold.
    desk.advance_clock(7).await;
    desk.click(None, "Check now");
    tray.wait_for_round();
    let told = desk.notifications();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        told[0]["summary"],
        "PAT 'nuget-feed' (contoso) expires in 13 days"
    );
    assert_eq!(told[0]["appName"], "AdoPat");
    assert!(
        told[0]["actions"]
            .as_array()
            .unwrap()
            .contains(&json!("default")),
        "clickable"
    );

    tray.stop();
    let again = desk.start_tray();
    assert_eq!(
        desk.notifications().len(),
        1,
        "a restart tells nothing twice"
    );

    // Ten more days: 3 left, within a week; the 7-day threshold is told, and the
    // menu now names the PAT with its actions.
    desk.advance_clock(10).await;
    desk.click(None, "Check now");
    again.wait_for_round();
    let told = desk.notifications();
    assert_eq!(told.len(), 2, "{told:?}");
    assert_eq!(
        told[1]["summary"],
        "PAT 'nuget-feed' (contoso) expires in 3 days"
    );
    let menu = desk.menu();
    assert!(
        menu.contains("nuget-feed (contoso): expires in 3 days"),
        "{menu}"
    );
    assert!(menu.contains("'Extend 30 days'") && menu.contains("'Regenerate & copy'"));

    desk.click(None, "Quit");
    let mut again = again;
    let deadline = Instant::now() + WAIT;
    while again.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "Quit ends the tray");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn extend_from_the_menu_says_when_the_policy_shortened_it() {
    let desk = Desk::new(
        json!([pat("git-push", "+2d")]),
        Policies {
            max_lifespan_days: Some(20),
            ..Policies::default()
        },
    )
    .await;
    let tray = desk.start_tray();
    let before = desk.pat("git-push").await["validTo"].clone();
    desk.click(Some("git-push"), "Extend 30 days");
    tray.wait_for_round();
    let after = desk.pat("git-push").await["validTo"].clone();
    assert_ne!(before, after, "the service has the new expiry");
    let told = desk.notifications();
    let extended = told
        .iter()
        .find(|n| n["summary"] == "'git-push' extended")
        .unwrap_or_else(|| panic!("{told:?}"));
    assert!(
        extended["body"]
            .as_str()
            .unwrap()
            .contains("the organization's policy does not allow"),
        "{extended}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_pat_is_offered_regenerate_not_extend_and_regenerate_copies_a_working_token() {
    let desk = Desk::new(json!([pat("old-runner", "-2d")]), Policies::default()).await;
    let tray = desk.start_tray();
    let menu = desk.menu();
    let item = menu
        .find("old-runner (contoso): expired 2 days ago")
        .unwrap_or_else(|| panic!("{menu}"));
    let submenu = &menu[item..menu[item..].find("'Open'").map_or(menu.len(), |e| item + e)];
    assert!(!submenu.contains("Extend"), "{submenu}");

    desk.click(Some("old-runner"), "Regenerate & copy");
    tray.wait_for_round();
    let told = desk.notifications();
    let copied = told
        .iter()
        .find(|n| n["summary"] == "New token for 'old-runner' copied")
        .unwrap_or_else(|| panic!("{told:?}"));
    assert!(
        copied["body"]
            .as_str()
            .unwrap()
            .contains("cleared from the clipboard in 60 s")
    );
    assert!(
        copied["body"]
            .as_str()
            .unwrap()
            .contains("The old token no longer works.")
    );

    // Read by another process, as a paste would.
    let token = clipboard();
    assert_eq!(token.len(), 84, "an Azure DevOps PAT is on the clipboard");
    assert!(
        token_works(desk.emulator.base_url(), &token).await,
        "the new token authenticates"
    );
    tray.stop();
    assert_ne!(
        clipboard(),
        token,
        "quitting clears the secret from the clipboard"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn regenerate_and_copy_updates_the_places_and_the_notification_names_them() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let old_token = known_token('n');
    let mut feed = pat("feed", "+3d");
    feed["token"] = json!(old_token);
    let desk = Desk::new(json!([feed]), Policies::default()).await;
    let registry = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = desk.home().join(".npmrc");
    let text = format!(
        "# mine\nregistry=https://registry.npmjs.org/\n{registry}:_password={}\n",
        b64(&old_token)
    );
    std::fs::write(&npmrc, &text).unwrap();
    let tray = desk.start_tray();

    desk.click(Some("feed"), "Regenerate & copy");
    tray.wait_for_round();
    let told = desk.notifications();
    let copied = told
        .iter()
        .find(|n| n["summary"] == "New token for 'feed' copied")
        .unwrap_or_else(|| panic!("{told:?}"));
    let body = copied["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("Updated where it was used: .npmrc ({registry})")),
        "{body}"
    );
    let token = clipboard();
    assert_eq!(token.len(), 84);
    assert_eq!(
        std::fs::read_to_string(&npmrc).unwrap(),
        text.replace(&b64(&old_token), &b64(&token)),
        "the new secret is where the old one was, and nothing else changed"
    );
    assert!(
        !body.contains(&token) && !body.contains(&b64(&token)),
        "{body}"
    );
    tray.stop();
}

/// Turned on from the menu, a due PAT is renewed by the tray with no window: the new
/// secret goes where the old one was, never to the clipboard, and one notification names
/// the place. Signed out later, the tray says once that renewing needs a sign-in.
#[tokio::test(flavor = "multi_thread")]
async fn a_pat_set_to_renew_itself_is_renewed_by_the_tray_into_its_places() {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    let old_token = known_token('r');
    let mut feed = pat("feed", "+3d");
    feed["token"] = json!(old_token);
    let desk = Desk::new(json!([feed]), Policies::default()).await;
    let registry = "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/";
    let npmrc = desk.home().join(".npmrc");
    let text = format!("{registry}:_password={}\n", engine.encode(&old_token));
    std::fs::write(&npmrc, &text).unwrap();
    let tray = desk.start_tray();

    desk.click(Some("feed"), "Renew it automatically");
    tray.wait_for("renewal");
    tray.wait_for_round();
    let told = desk.notifications();
    let summaries: Vec<&str> = told.iter().filter_map(|n| n["summary"].as_str()).collect();
    assert!(summaries.contains(&"'feed' renews itself"), "{summaries:?}");
    let renewed = told
        .iter()
        .find(|n| n["summary"] == "Renewed 'feed'")
        .unwrap_or_else(|| panic!("{told:?}"));
    let body = renewed["body"].as_str().unwrap();
    assert!(body.contains("the new token is in .npmrc"), "{body}");
    assert!(body.contains("the old one is revoked"), "{body}");
    let written = std::fs::read_to_string(&npmrc).unwrap();
    let new_token = String::from_utf8(
        engine
            .decode(written.trim().rsplit('=').next().unwrap_or_default())
            .unwrap(),
    )
    .unwrap();
    assert_ne!(new_token, old_token);
    assert_eq!(new_token.len(), 84, "{written}");
    assert_ne!(clipboard(), new_token, "nobody is at the clipboard");
    assert!(!body.contains(&new_token));
    let works = |token: String| {
        let base = desk.emulator.base_url().to_owned();
        async move { token_works(&base, &token).await }
    };
    assert!(works(new_token.clone()).await, "the new token works");
    assert!(!works(old_token.clone()).await, "the old one is revoked");
    tray.stop();
    assert_eq!(
        told.iter()
            .filter(|n| n["summary"] == "Renewed 'feed'")
            .count(),
        1
    );

    // Signed out (no access token, no account): said, naming the PAT.
    let signed_out = Tray::spawn(desk.tray_command());
    signed_out.wait_for("reminder round failed");
    drop(signed_out);
    let asks: Vec<Value> = desk
        .notifications()
        .into_iter()
        .filter(|n| {
            n["summary"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Sign in again so AdoPat can renew")
        })
        .collect();
    assert_eq!(asks.len(), 1, "{:?}", desk.notifications());
    assert!(
        asks[0]["body"]
            .as_str()
            .unwrap()
            .contains("'feed' renews itself only while you are signed in")
    );
}

/// Logging out (SIGTERM) while a renewal's create is on its way: the tray waits for the
/// answer, keeps the new token in the keyring and the old PAT active, and leaves; the
/// next start finishes that renewal without making another PAT.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_ending_during_a_renewal_loses_nothing_and_the_next_start_finishes_it() {
    let old_token = known_token('s');
    let mut feed = pat("feed", "+3d");
    feed["token"] = json!(old_token);
    let desk = Desk::new(json!([feed]), Policies::default()).await;
    let base = desk.emulator.base_url().to_owned();
    let works = |token: String| {
        let base = base.clone();
        async move { token_works(&base, &token).await }
    };
    let tray = desk.start_tray();
    emulator_fault(
        &base,
        json!({"method": "POST", "act": true, "delayMs": 2500, "count": 1}),
    )
    .await;
    desk.click(Some("feed"), "Renew it automatically");
    wait_for_request(&base, "POST", "").await;
    let mut tray = tray;
    Command::new("kill")
        .arg(tray.child.id().to_string())
        .status()
        .unwrap();
    let status = tray.child.wait().unwrap();
    assert!(status.success(), "ends cleanly: {status}");
    let state: Value = serde_json::from_str(
        &std::fs::read_to_string(desk.config_dir().join("state.json")).unwrap(),
    )
    .unwrap();
    let renewing = state["renewals"].as_object().unwrap();
    assert_eq!(renewing.len(), 1, "{state}");
    let (old_id, setting) = renewing.iter().next().unwrap();
    let new_id = setting["pending"]
        .as_str()
        .expect("a replacement kept for later");
    assert!(
        keyring_users().contains(&format!("pat/{new_id}")),
        "the new token is in the keyring"
    );
    assert!(works(old_token.clone()).await, "the old PAT still works");

    // The next start finishes it: the old one revoked, no further PAT made.
    let tray = desk.start_tray();
    tray.stop();
    let posts = emulator_requests(&base)
        .await
        .iter()
        .filter(|r| r["method"] == "POST")
        .count();
    assert_eq!(posts, 1, "one new PAT in all");
    assert!(!works(old_token).await, "the old one is revoked now");
    let state: Value = serde_json::from_str(
        &std::fs::read_to_string(desk.config_dir().join("state.json")).unwrap(),
    )
    .unwrap();
    assert!(state["renewals"][old_id].is_null());
    assert!(state["renewals"][new_id]["pending"].is_null(), "{state}");
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_out_the_tray_says_so_and_tells_nothing() {
    let desk = Desk::new(json!([pat("nuget-feed", "+1d")]), Policies::default()).await;
    let tray = Tray::spawn(desk.tray_command());
    let failed = tray.wait_for("reminder round failed");
    drop(tray);
    assert!(failed.contains("sign in"), "names what to do: {failed}");
    assert!(desk.notifications().is_empty());
    let tray = desk.lines("tray");
    assert_eq!(tray.len(), 1, "the icon still shows");
}

/// Runs the tray as a signed-in user would (no access token) with its own home folder,
/// until its first round has ended, and returns that home.
fn first_round_signed_in(desk: &Desk, config: Value) -> tempfile::TempDir {
    std::fs::create_dir_all(desk.config_dir()).unwrap();
    std::fs::write(desk.config_dir().join("config.json"), config.to_string()).unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut command = desk.tray_command();
    command.env("HOME", home.path());
    // Failed or not (no refresh token is kept for this account), the round has ended.
    Tray::spawn(command).wait_for("reminder round");
    home
}

#[tokio::test(flavor = "multi_thread")]
async fn once_signed_in_adopat_starts_at_login_unless_the_user_said_no() {
    let desk = Desk::new(json!([]), Policies::default()).await;
    let account =
        json!({"id": "t/u", "kind": "entra", "tenant": "t", "username": "dev@contoso.com"});
    let entry = |home: &Path| home.join(".config/autostart/AdoPat.desktop");

    let home = first_round_signed_in(&desk, json!({"accounts": [account]}));
    let desktop_entry = std::fs::read_to_string(entry(home.path())).expect("an autostart entry");
    assert!(
        desktop_entry.contains(&format!("Exec={}", env!("CARGO_BIN_EXE_adopat-tray"))),
        "{desktop_entry}"
    );
    let config: Value = serde_json::from_str(
        &std::fs::read_to_string(desk.config_dir().join("config.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        config["reminders"]["startAtLogin"], true,
        "remembered as chosen"
    );

    let home = first_round_signed_in(
        &desk,
        json!({"accounts": [account], "reminders": {"startAtLogin": false}}),
    );
    assert!(!entry(home.path()).exists(), "the user's 'no' stands");
    let home = first_round_signed_in(&desk, json!({"accounts": []}));
    assert!(!entry(home.path()).exists(), "not before anyone signed in");
}

/// The processes running `adopat-desktop` with `--select ID`.
fn windows_on(id: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
            args.first().is_some_and(|a| a.ends_with(b"adopat-desktop"))
                && args
                    .windows(2)
                    .any(|w| w[0] == b"--select" && w[1] == id.as_bytes())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn clicking_a_reminder_opens_the_window_on_its_pat() {
    let desk = Desk::with_sink(
        json!([pat("nuget-feed", "+2d")]),
        Policies::default(),
        &["--click-after-ms", "300"],
    )
    .await;
    let tray = desk.start_tray();
    let told = desk.notifications();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        told[0]["summary"],
        "PAT 'nuget-feed' (contoso) expires in 2 days"
    );
    let id = desk.pat("nuget-feed").await["authorizationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = Instant::now() + WAIT;
    let window = loop {
        if let Some(pid) = windows_on(&id).first() {
            break *pid;
        }
        assert!(Instant::now() < deadline, "no window opened on {id}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = Command::new("kill").arg(window.to_string()).status();
    drop(tray);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_asking_to_check_now_runs_a_round_at_once() {
    let desk = Desk::new(json!([pat("nuget-feed", "+16d")]), Policies::default()).await;
    let tray = desk.start_tray();
    assert!(desk.notifications().is_empty());
    // As the window does after a change (src-tauri/src/tray.rs), from another process.
    desk.advance_clock(3).await;
    let asked = gdbus(
        "dev.adopat.Tray",
        "/dev/adopat/Tray",
        "dev.adopat.Tray1.CheckNow",
        &[],
    );
    assert!(
        asked.status.success(),
        "{}",
        String::from_utf8_lossy(&asked.stderr)
    );
    tray.wait_for_round();
    let told = desk.notifications();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        told[0]["summary"],
        "PAT 'nuget-feed' (contoso) expires in 13 days"
    );
}

/// Where a regenerate is when the session ends (SIGTERM), held there by the service
/// acting slowly on that request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// Reading the old PAT: nothing made yet.
    Read,
    /// Creating the new PAT.
    Create,
    /// Revoking the old PAT, the new secret already on the clipboard.
    Revoke,
}

struct Ended {
    /// What the clipboard held once the step's request was answered.
    clipboard: String,
    old_works: bool,
    new_works: bool,
    feeds: usize,
    posts: usize,
    /// What the clipboard held after the tray ended.
    after: String,
}

/// Logging out (SIGTERM) while a regenerate from the tray's menu waits at `step`.
async fn end_session_during(step: Step) -> Ended {
    let old_token = known_token('q');
    let mut feed = pat("feed", "+3d");
    feed["token"] = json!(old_token);
    let desk = Desk::new(json!([feed]), Policies::default()).await;
    let base = desk.emulator.base_url().to_owned();
    let works = |token: String| {
        let base = base.clone();
        async move { token_works(&base, &token).await }
    };
    let tray = desk.start_tray_clearing_after("4");
    let (method, query) = match step {
        Step::Read => ("GET", "authorizationId"),
        Step::Create => ("POST", ""),
        Step::Revoke => ("DELETE", "authorizationId"),
    };
    emulator_fault(
        &base,
        json!({"method": method, "queryContains": query, "act": true, "delayMs": 2500}),
    )
    .await;
    desk.click(Some("feed"), "Regenerate & copy");
    wait_for_request(&base, method, query).await;
    let mut tray = tray;
    Command::new("kill")
        .arg(tray.child.id().to_string())
        .status()
        .unwrap();
    // The held request is answered; whatever the tray hands over is served meanwhile.
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let read = clipboard;
    let clipboard = read();
    let new_works = clipboard.len() == 84 && works(clipboard.clone()).await;
    let old_works = works(old_token).await;
    let status = tray.child.wait().unwrap();
    assert!(status.success(), "{step:?}: ends cleanly: {status}");
    let state: Value = reqwest::Client::new()
        .get(format!("{base}/_emulator/state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feeds = state["pats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["displayName"] == "feed" && p["status"] == "active")
        .count();
    let posts = emulator_requests(&base)
        .await
        .iter()
        .filter(|r| r["method"] == "POST")
        .count();
    Ended {
        clipboard,
        old_works,
        new_works,
        feeds,
        posts,
        after: read(),
    }
}

/// Logging out while the old PAT is read: nothing is made, nothing changes.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_ending_before_the_create_changes_nothing() {
    let ended = end_session_during(Step::Read).await;
    assert_eq!(ended.posts, 0, "no create was sent");
    assert!(ended.old_works);
    assert_eq!(ended.feeds, 1);
    assert!(!ended.new_works, "no new secret: {:?}", ended.clipboard);
}

/// Logging out while the new PAT is created: it is made and its secret served until it
/// clears; the old PAT, not yet revoked when the stop came, is left working.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_ending_during_the_create_leaves_a_working_secret_and_the_old_pat() {
    let ended = end_session_during(Step::Create).await;
    assert!(
        ended.new_works,
        "the new secret is on the clipboard: {:?}",
        ended.clipboard
    );
    assert!(
        ended.old_works,
        "the old PAT was not revoked after the stop"
    );
    assert_eq!(ended.feeds, 2, "both work, as the notification says");
    assert_ne!(ended.after, ended.clipboard, "then cleared");
}

/// Logging out while the old PAT is revoked: the revoke finishes, and the new secret,
/// handed over before it began, is served until it clears.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_ending_during_the_revoke_finishes_it_and_serves_the_secret() {
    let ended = end_session_during(Step::Revoke).await;
    assert!(ended.new_works, "{:?}", ended.clipboard);
    assert!(!ended.old_works, "the revoke was finished");
    assert_eq!(ended.feeds, 1);
    assert_ne!(ended.after, ended.clipboard, "then cleared");
}
