//! Builds ui/ when its sources changed, then lets tauri-build embed ui/dist.
//!
//! The Tauri CLI's `beforeBuildCommand` does not run in a plain `cargo build`, so the
//! build script does it; `npm ci` only when node_modules is missing or older than the
//! lock file, with `--prefer-offline` so a warm npm cache needs no network.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The commands the webview may call; each gets an `allow-<command>` permission, granted
/// in capabilities/main.json. Keep in step with `generate_handler!` in src/lib.rs.
const COMMANDS: &[&str] = &[
    "list_pats",
    "cached_list",
    "list_scopes",
    "list_orgs",
    "create_pat",
    "edit_pat",
    "revoke_pat",
    "regenerate_pat",
    "copy_again",
    "reveal_secret",
    "clear_secret",
    "list_drawn",
    "list_accounts",
    "sign_in",
    "cancel_sign_in",
    "sign_out",
    "watch_selection",
    "get_settings",
    "save_settings",
    "snooze_pat",
];

/// What ui/dist is built from (besides ui/src).
const UI_INPUTS: &[&str] = &[
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "svelte.config.js",
    "tsconfig.json",
];

fn main() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui");
    println!("cargo:rerun-if-changed={}", ui.join("src").display());
    for input in UI_INPUTS {
        println!("cargo:rerun-if-changed={}", ui.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=ADOPAT_SKIP_UI_BUILD");
    // A panic's message is what cargo shows in full; an error from main is a Debug dump.
    if let Err(message) = build_ui(&ui) {
        panic!("{message}");
    }
    // src-tauri/tauri.conf.json is a link to the top-level file, so tauri-build, the Tauri
    // CLI and the bundler all find the one config where they look for it.
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {error:#}");
    }
}

fn build_ui(ui: &Path) -> Result<(), String> {
    let dist = ui.join("dist/index.html");
    let skip = std::env::var_os("ADOPAT_SKIP_UI_BUILD").is_some();
    if skip && dist.exists() {
        return Ok(());
    }
    let built = modified(&dist);
    let sources = newest(&ui.join("src"))
        .into_iter()
        .chain(UI_INPUTS.iter().filter_map(|i| modified(&ui.join(i))))
        .max();
    if built.is_some() && built >= sources {
        return Ok(());
    }
    let installed = modified(&ui.join("node_modules/.package-lock.json"));
    if installed.is_none() || installed < modified(&ui.join("package-lock.json")) {
        npm(ui, &["ci", "--prefer-offline", "--no-audit", "--no-fund"])?;
    }
    npm(ui, &["run", "build"])
}

fn npm(ui: &Path, args: &[&str]) -> Result<(), String> {
    let shown = format!("npm {}", args.join(" "));
    let output = Command::new("npm")
        .args(args)
        .current_dir(ui)
        .output()
        .map_err(|e| {
            format!("could not run `{shown}` in ui/ ({e}); install Node.js and npm, or build ui/ yourself and set ADOPAT_SKIP_UI_BUILD=1")
        })?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "`{shown}` in ui/ failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// The newest modification under `dir`, counting directories too so a deleted file
/// (which touches its folder) counts as a change.
fn newest(dir: &Path) -> Option<SystemTime> {
    let mut newest = modified(dir);
    let mut pending: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            newest = newest.max(modified(&path));
            if path.is_dir() {
                pending.push(path);
            }
        }
    }
    newest
}
