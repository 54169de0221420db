#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test
//! The commands through Tauri's mock runtime, with the app's own config and capabilities,
//! against the demo service: what the webview would get back, JSON and all.

use adopat_desktop::command_names::COMMANDS;
use adopat_desktop::session::Session;
use adopat_desktop::{context, wire};
use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow};

struct Shell {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl Shell {
    fn demo() -> Self {
        Self::with(tauri::async_runtime::block_on(Session::demo()).expect("the demo service"))
    }

    /// The demo service, with settings and reminders kept in `dir`.
    fn keeping(dir: &std::path::Path) -> Self {
        Self::with(
            tauri::async_runtime::block_on(Session::demo_keeping(dir.to_owned()))
                .expect("the demo service"),
        )
    }

    fn with(session: Session) -> Self {
        let app = wire(mock_builder(), session)
            .build(context())
            .expect("the app builds with its own config");
        let window = match app.get_webview_window("main") {
            Some(window) => window,
            None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .expect("a main window"),
        };
        Self { app, window }
    }

    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke_from("tauri://localhost", cmd, args)
    }

    fn invoke_from(&self, origin: &str, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: origin.parse().expect("a URL"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.into(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("JSON"))
    }

    /// The demo service's control API: what it received since it was last asked.
    fn requests_since_last(&self) -> Vec<String> {
        let base = self
            .app
            .state::<Session>()
            .demo_url()
            .expect("the demo service")
            .to_owned();
        tauri::async_runtime::block_on(async move {
            let log = adopat_test_support::emulator_requests(&base).await;
            reqwest::Client::new()
                .delete(format!("{base}/_emulator/requests"))
                .send()
                .await
                .unwrap();
            log.iter()
                .map(|r| {
                    format!(
                        "{} {}",
                        r["method"].as_str().unwrap(),
                        r["path"].as_str().unwrap()
                    )
                })
                .collect()
        })
    }

    fn pats(&self, filter: &str) -> Vec<Value> {
        let list = self
            .invoke("list_pats", json!({ "filter": filter }))
            .expect("a listing");
        list["pats"].as_array().expect("pats").clone()
    }
}

fn statuses(pats: &[Value]) -> Vec<&str> {
    pats.iter()
        .map(|p| p["status"].as_str().expect("a status"))
        .collect()
}

#[test]
fn list_pats_shows_every_status_with_scopes_in_short_and_urgency() {
    let shell = Shell::demo();
    let pats = shell.pats("all");
    assert!(pats.len() >= 10, "the demo seed has a dozen PATs: {pats:?}");
    let seen = statuses(&pats);
    for status in ["active", "expired", "revoked"] {
        assert!(seen.contains(&status), "no {status} PAT in {seen:?}");
    }
    let first = &pats[0];
    for field in [
        "id",
        "name",
        "orgs",
        "global",
        "scopes",
        "scopesSummary",
        "validFrom",
        "validTo",
        "status",
        "urgency",
    ] {
        assert!(first.get(field).is_some(), "{field} missing from {first}");
    }
    assert!(
        pats.iter().any(|p| p["global"] == true),
        "the demo seed has a global PAT"
    );
    assert!(
        shell.pats("active").iter().all(|p| p["status"] == "active"),
        "the active filter lists active PATs only"
    );
}

#[test]
fn no_secret_crosses_in_a_listing() {
    let shell = Shell::demo();
    let list = shell
        .invoke("list_pats", json!({ "filter": "all" }))
        .unwrap();
    let text = list.to_string();
    assert!(!text.contains("AZDO"), "a PAT secret carries AZDO: {text}");
    for key in ["\"token\"", "\"secret\""] {
        assert!(!text.contains(key), "{key} in {text}");
    }
}

#[test]
fn list_orgs_names_the_demo_organizations() {
    let shell = Shell::demo();
    let orgs = shell.invoke("list_orgs", json!({})).unwrap();
    let names: Vec<&str> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for org in ["contoso", "fabrikam", "northwind"] {
        assert!(names.contains(&org), "{org} missing from {names:?}");
    }
}

#[test]
fn extend_then_revoke_a_pat() {
    let shell = Shell::demo();
    let pat = shell
        .pats("active")
        .into_iter()
        .find(|p| p["global"] == false && p["urgency"] == "soon")
        .expect("an organization PAT due within a week");
    let id = pat["id"].as_str().unwrap().to_owned();

    let edited = shell
        .invoke(
            "edit_pat",
            json!({ "request": { "id": id, "expires": "60d" } }),
        )
        .expect("extended");
    assert_eq!(edited["pat"]["urgency"], "fine", "{edited}");
    assert_eq!(edited["pat"]["name"], pat["name"]);

    let revoked = shell
        .invoke("revoke_pat", json!({ "id": id }))
        .expect("revoked");
    assert_eq!(revoked["status"], "revoked");
    assert!(
        !shell.pats("active").iter().any(|p| p["id"] == id.as_str()),
        "a revoked PAT leaves the active list"
    );
}

#[test]
fn errors_cross_as_a_code_and_a_message() {
    let shell = Shell::demo();
    let missing = shell
        .invoke(
            "revoke_pat",
            json!({ "id": "00000000-0000-4000-8000-000000000000" }),
        )
        .expect_err("no such PAT");
    assert_eq!(missing["code"], "notFound", "{missing}");
    assert!(missing["message"].as_str().unwrap().contains("No PAT"));

    let bad = shell
        .invoke(
            "create_pat",
            json!({ "request": { "org": "contoso", "name": "x", "scopes": ["vso.code"], "expires": "2001-01-01" } }),
        )
        .expect_err("an expiry in the past");
    assert_eq!(bad["code"], "invalidInput", "{bad}");
    assert_eq!(bad["field"], "expires", "{bad}");
}

#[test]
fn reveal_with_no_new_secret_kept_is_refused() {
    let shell = Shell::demo();
    let refused = shell
        .invoke("reveal_secret", json!({}))
        .expect_err("nothing kept");
    assert_eq!(refused["code"], "notFound", "{refused}");
}

#[test]
fn a_remote_page_may_call_nothing() {
    let shell = Shell::demo();
    let refused = shell.invoke_from(
        "https://attacker.example",
        "list_pats",
        json!({ "filter": "all" }),
    );
    let refused = refused.expect_err("a remote origin was let through");
    assert!(
        refused.to_string().contains("not allowed"),
        "refused by the ACL: {refused}"
    );
}

#[test]
fn no_plugin_command_is_allowed() {
    // The window-state plugin is registered as in the app, so a refusal here is the
    // capability's doing, not a missing plugin's.
    let app = wire(
        mock_builder().plugin(tauri_plugin_window_state::Builder::default().build()),
        tauri::async_runtime::block_on(Session::demo()).expect("the demo service"),
    )
    .build(context())
    .expect("the app builds");
    let window = match app.get_webview_window("main") {
        Some(window) => window,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("a main window"),
    };
    let shell = Shell { app, window };
    for cmd in [
        "plugin:window-state|save_window_state",
        "plugin:window-state|filename",
        "plugin:fs|read_file",
        "plugin:shell|execute",
    ] {
        let refused = shell
            .invoke(cmd, json!({ "flags": 0 }))
            .expect_err(&format!("{cmd} must not be callable"));
        assert!(
            refused.to_string().contains("not allowed"),
            "{cmd}: refused by the capability, not by chance: {refused}"
        );
    }
}

#[test]
fn every_command_is_granted_to_the_app_itself() {
    let shell = Shell::demo();
    for cmd in COMMANDS {
        // Missing arguments are the command's own error; a refusal names the ACL.
        if let Err(error) = shell.invoke(cmd, json!({})) {
            let text = error.to_string();
            assert!(!text.contains("not allowed"), "{cmd}: {text}");
        }
    }
}

#[test]
fn the_demo_has_no_accounts_and_says_so_when_asked_to_sign_in_or_out() {
    let shell = Shell::demo();
    let accounts = shell.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(accounts["source"], "demo");
    assert_eq!(accounts["accounts"], json!([]));

    let refused = shell
        .invoke(
            "sign_in",
            json!({ "request": { "method": "deviceCode", "tenant": null }, "onPrompt": "__CHANNEL__:1" }),
        )
        .expect_err("the demo signs nobody in");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("demo"),
        "{refused}"
    );

    let refused = shell
        .invoke("sign_out", json!({ "id": "t/u" }))
        .expect_err("the demo has nobody to sign out");
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    // Nothing running: cancelling is no error.
    shell.invoke("cancel_sign_in", json!({})).unwrap();
}

#[test]
fn an_unknown_sign_in_method_is_refused_before_anything_starts() {
    let shell = Shell::demo();
    let refused = shell
        .invoke(
            "sign_in",
            json!({ "request": { "method": "password", "tenant": null }, "onPrompt": "__CHANNEL__:1" }),
        )
        .expect_err("no such method");
    assert!(refused.to_string().contains("password"), "{refused}");
}

#[test]
fn the_demo_shows_default_settings_and_keeps_none() {
    let shell = Shell::demo();
    let settings = shell.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["thresholds"], json!([14, 7, 1, 0]));
    assert_eq!(settings["kept"], false);
    let refused = shell
        .invoke(
            "save_settings",
            json!({ "request": { "thresholds": [3], "startAtLogin": false, "keepSecrets": false } }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "invalidInput", "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("without --demo")
    );
    // Nor does it look for places on this machine, or keep tokens.
    let refused = shell
        .invoke("list_places", json!({ "check": false }))
        .unwrap_err();
    assert_eq!(refused["field"], "demo", "{refused}");
    assert_eq!(shell.invoke("kept_ids", json!({})).unwrap(), json!([]));
}

#[test]
fn thresholds_are_kept_in_order_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::keeping(dir.path());
    let saved = shell
        .invoke(
            "save_settings",
            json!({ "request": { "thresholds": [0, 30, 7, 7], "startAtLogin": false, "keepSecrets": true } }),
        )
        .unwrap();
    assert_eq!(
        saved["thresholds"],
        json!([30, 7, 0]),
        "most days first, once each"
    );
    assert_eq!(saved["keepSecrets"], true);
    assert_eq!(shell.invoke("get_settings", json!({})).unwrap(), saved);

    let refused = shell
        .invoke(
            "save_settings",
            json!({ "request": { "thresholds": [400], "startAtLogin": false, "keepSecrets": false } }),
        )
        .unwrap_err();
    assert_eq!(refused["code"], "invalidInput");
    assert_eq!(refused["field"], "thresholds");
    assert!(
        refused["message"].as_str().unwrap().contains("400 days"),
        "{refused}"
    );
    assert_eq!(shell.invoke("get_settings", json!({})).unwrap(), saved);
}

#[test]
fn snoozing_a_pat_is_kept_for_the_tray_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::keeping(dir.path());
    let id = shell.pats("active")[0]["id"].as_str().unwrap().to_owned();
    for days in [0, 31] {
        let refused = shell
            .invoke("snooze_pat", json!({ "id": id, "days": days }))
            .unwrap_err();
        assert_eq!(refused["field"], "days", "{days}: {refused}");
    }
    let until = shell
        .invoke("snooze_pat", json!({ "id": id, "days": 7 }))
        .unwrap();
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("state.json")).unwrap())
            .unwrap();
    assert_eq!(state["reminders"]["snoozed"][&id], until);
}

/// The page knows each PAT's organization and id: a change costs only its own requests
/// (Azure DevOps rate-limits users), none to find the PAT again.
#[test]
fn changes_from_the_page_send_only_their_own_requests() {
    let shell = Shell::demo();
    let pats = shell.pats("active");
    let mut ours = pats
        .iter()
        .filter(|p| p["global"] == false)
        .map(|p| p["id"].as_str().unwrap().to_owned());
    let (extend, regenerate, revoke) = (
        ours.next().unwrap(),
        ours.next().unwrap(),
        ours.next().unwrap(),
    );
    shell.requests_since_last();

    shell
        .invoke(
            "edit_pat",
            json!({ "request": { "id": extend, "expires": "60d" } }),
        )
        .expect("extended");
    assert_eq!(methods(&shell.requests_since_last()), ["PUT"]);

    let done = shell
        .invoke("regenerate_pat", json!({ "request": { "id": regenerate } }))
        .expect("regenerated");
    assert_eq!(done["oldRevoked"], true, "{done}");
    assert_eq!(
        methods(&shell.requests_since_last()),
        ["GET", "POST", "DELETE"]
    );
    shell.invoke("clear_secret", json!({})).expect("cleared");

    shell
        .invoke("revoke_pat", json!({ "id": revoke }))
        .expect("revoked");
    assert_eq!(methods(&shell.requests_since_last()), ["DELETE"]);

    // The new PAT is known too: regenerating it again costs the same three.
    let new_id = done["newId"].as_str().unwrap();
    shell
        .invoke("regenerate_pat", json!({ "request": { "id": new_id } }))
        .expect("regenerated again");
    assert_eq!(
        methods(&shell.requests_since_last()),
        ["GET", "POST", "DELETE"]
    );
}

fn methods(requests: &[String]) -> Vec<&str> {
    requests
        .iter()
        .filter(|r| r.contains("/_apis/tokens/pats"))
        .map(|r| r.split(' ').next().unwrap())
        .collect()
}

/// `command_names::COMMANDS` is the one list: the handler registers exactly those, and
/// the page's api.ts calls exactly those (the capability is generated from it).
#[test]
fn the_handler_and_the_page_use_the_one_command_list() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut listed: Vec<&str> = COMMANDS.to_vec();
    listed.sort_unstable();

    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let handler = &lib[lib.find("generate_handler![").unwrap()..];
    let handler = &handler[..handler.find("])").unwrap()];
    let mut registered: Vec<&str> = handler
        .split("commands::")
        .skip(1)
        .map(|rest| {
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap()
        })
        .collect();
    registered.sort_unstable();
    assert_eq!(registered, listed, "generate_handler! in src/lib.rs");

    let api = std::fs::read_to_string(root.join("../ui/src/api.ts")).unwrap();
    let mut called: Vec<&str> = api
        .split("call<")
        .skip(1)
        .filter_map(|rest| rest.split('"').nth(1))
        .collect();
    called.sort_unstable();
    assert_eq!(called, listed, "ui/src/api.ts");

    let capability = std::fs::read_to_string(root.join("capabilities/main.json")).unwrap();
    for cmd in COMMANDS {
        assert!(
            capability.contains(&format!("\"allow-{}\"", cmd.replace('_', "-"))),
            "{cmd} in capabilities/main.json"
        );
    }
}

#[test]
fn a_pat_set_to_renew_itself_is_marked_in_the_list_until_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::keeping(dir.path());
    let pat = shell
        .pats("active")
        .into_iter()
        .find(|p| p["global"] == false)
        .unwrap();
    let id = pat["id"].as_str().unwrap().to_owned();
    assert!(pat["renews"].is_null());

    let on = shell
        .invoke("set_renewal", json!({ "id": id, "on": true, "mode": null }))
        .unwrap();
    assert_eq!(on["mode"], "regenerate");
    assert_eq!(on["before"], "7d");
    let marked = |shell: &Shell| {
        shell
            .pats("active")
            .into_iter()
            .find(|p| p["id"] == id.as_str())
            .unwrap()["renews"]
            .clone()
    };
    assert_eq!(marked(&shell)["due"], on["due"]);
    let extend = shell
        .invoke(
            "set_renewal",
            json!({ "id": id, "on": true, "mode": "extend" }),
        )
        .unwrap();
    assert_eq!(extend["mode"], "extend");
    assert_eq!(marked(&shell)["mode"], "extend");

    let off = shell
        .invoke(
            "set_renewal",
            json!({ "id": id, "on": false, "mode": null }),
        )
        .unwrap();
    assert!(off.is_null());
    assert!(marked(&shell).is_null());

    // A global PAT's replacement needs an organization chosen: refused, said why.
    let global = shell
        .pats("active")
        .into_iter()
        .find(|p| p["global"] == true)
        .unwrap();
    let refused = shell
        .invoke(
            "set_renewal",
            json!({ "id": global["id"], "on": true, "mode": null }),
        )
        .unwrap_err();
    assert!(
        refused["message"].as_str().unwrap().contains("global PAT"),
        "{refused}"
    );
}

#[test]
fn the_demo_keeps_no_renewal_and_says_so() {
    let shell = Shell::demo();
    let id = shell.pats("active")[0]["id"].as_str().unwrap().to_owned();
    let refused = shell
        .invoke("set_renewal", json!({ "id": id, "on": true, "mode": null }))
        .unwrap_err();
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("not in the demo"),
        "{refused}"
    );
}
