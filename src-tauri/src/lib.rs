//! The Tauri shell: wiring only. Commands are adapters in `commands`, the state they
//! share is `Session` (whom to work as) and `LastSecret` (the last new secret).
//!
//! It must not know how anything is done: each command is one call into core, and the
//! page gets the outcome as a view (`views`).

#[cfg(test)]
mod bindings;
pub mod command_names;
pub mod commands;
pub mod error;
pub mod first_list;
pub mod last_secret;
mod relaunch;
#[cfg(target_os = "linux")]
pub mod rendering;
pub mod requests;
pub mod selection;
pub mod session;
pub mod tray;
pub mod views;
mod webview2;

use adopat_core::stop::{InFlight, StopReason};
use last_secret::LastSecret;
use selection::Selection;
use session::Session;
use std::process::ExitCode;
use tauri::webview::{PageLoadEvent, PageLoadPayload};
use tauri::{Manager, RunEvent, Runtime, Webview};
use tauri_plugin_window_state::StateFlags;

/// How the window was started (its command line).
pub struct Launch {
    pub demo: bool,
    /// Start the tray beside the window (not when the tray started the window).
    pub tray: bool,
    pub select: Option<uuid::Uuid>,
    /// Why WebKit's compositing was turned off (no GPU to do it), if it was.
    pub software_rendering: Option<&'static str>,
}

pub fn run(launch: Launch) -> ExitCode {
    let Launch {
        demo,
        tray,
        select,
        software_rendering,
    } = launch;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    if let Some(reason) = software_rendering {
        tracing::info!("compositing off ({reason}); WEBKIT_DISABLE_COMPOSITING_MODE=0 keeps it");
    }
    if !window_can_open() {
        return ExitCode::FAILURE;
    }
    let session = if demo {
        match tauri::async_runtime::block_on(Session::demo()) {
            Ok(session) => session,
            Err(error) => {
                eprintln!("adopat-desktop: {error}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        Session::from_env()
    };
    let first = session.cached(adopat_core::inventory::Filter::Active);
    let builder = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if let Some(id) = selection::requested(&args) {
                app.state::<Selection>().select(id);
            }
            show_main_window(app)
        }))
        // Size, place and so on; not whether it shows: that is `shown_once_loaded`'s.
        .plugin(
            tauri_plugin_window_state::Builder::default()
                .with_state_flags(StateFlags::all() - StateFlags::VISIBLE)
                .build(),
        )
        .plugin(first_list::plugin(first.as_ref()))
        .setup(move |app| {
            if let Some(id) = select {
                app.state::<Selection>().select(id);
            }
            if tray && !demo {
                tray::ensure_running();
            }
            quit_on_sigterm(app.handle());
            show_soon(app.handle());
            let handle = app.handle().clone();
            if let Some(slot) = handle.state::<Session>().claim_prefetch() {
                tauri::async_runtime::spawn(async move {
                    handle.state::<Session>().prefetch(slot).await;
                });
            }
            Ok(())
        })
        .on_page_load(shown_once_loaded);
    let app = match wire(builder, session).build(context()) {
        Ok(app) => app,
        Err(error) if relaunch::is_failed_handover(&error) => {
            return relaunch::again().unwrap_or_else(|| {
                eprintln!("adopat-desktop: could not start: {error}");
                ExitCode::FAILURE
            });
        }
        Err(error) => {
            eprintln!("adopat-desktop: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| match event {
        // Closing the window while a create or regenerate is under way: it is asked to
        // stop where nothing is lost and waited for, and a secret it handed over
        // meanwhile is served until it clears; then the app quits.
        RunEvent::ExitRequested { api, .. } if app.state::<InFlight>().busy() => {
            api.prevent_exit();
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let changes = app.state::<InFlight>().inner().clone();
                changes.wind_down(StopReason::Terminate).await;
                let serving = app.clone();
                let _ = tauri::async_runtime::spawn_blocking(move || {
                    serving.state::<LastSecret>().finish();
                })
                .await;
                app.exit(0);
            });
        }
        // A secret must not outlive the app on the clipboard.
        RunEvent::Exit => app.state::<LastSecret>().finish(),
        _ => {}
    });
    ExitCode::SUCCESS
}

/// Logging out sends SIGTERM: quit as closing the window does, so a change under way
/// winds down first instead of the process ending in the middle of it.
fn quit_on_sigterm<R: Runtime>(app: &tauri::AppHandle<R>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            if let Ok(mut term) = signal(SignalKind::terminate())
                && term.recv().await.is_some()
            {
                tracing::info!("SIGTERM: quitting");
                app.exit(0);
            }
        });
    }
    #[cfg(not(unix))]
    let _ = app;
}

/// Whether this system has what the window's web view needs (WebView2 on Windows); when
/// not, the user is told what to install.
pub fn window_can_open() -> bool {
    webview2::present()
}

/// The window is made hidden (tauri.conf.json) and shown once its page has loaded. Shown
/// at once, a WebKitGTK window's start sometimes stalled its main thread in a timed wait
/// of 500 ms (seen with strace), while that thread is also the one that serves the page
/// (a custom protocol): about one start in three took half a second longer, a blank
/// window's too. Hidden while it loads, none of 12 starts did (shown at once: 7 of 12).
fn shown_once_loaded<R: Runtime>(webview: &Webview<R>, payload: &PageLoadPayload<'_>) {
    if payload.event() == PageLoadEvent::Finished
        && let Some(window) = webview.app_handle().get_webview_window("main")
        && !window.is_visible().unwrap_or(true)
    {
        let _ = window.show();
    }
}

/// Where there is no such wait (WebView2, WKWebView) the window shows at once; and a page
/// that never finished loading must not leave it hidden.
fn show_soon<R: Runtime>(app: &tauri::AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    if cfg!(not(target_os = "linux")) {
        let _ = window.show();
        return;
    }
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SHOWN_AT_THE_LATEST).await;
        if !window.is_visible().unwrap_or(true) {
            tracing::warn!("the page had not loaded in {SHOWN_AT_THE_LATEST:?}: shown anyway");
            let _ = window.show();
        }
    });
}

/// The page loads in a fraction of this, even on a busy machine.
const SHOWN_AT_THE_LATEST: std::time::Duration = std::time::Duration::from_secs(3);

/// A second launch, or a tray or notification action: the window comes to the front.
pub fn show_main_window<R: Runtime>(app: &tauri::AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The app's state and commands on any runtime: the real one, or the mock one in tests.
pub fn wire<R: Runtime>(builder: tauri::Builder<R>, session: Session) -> tauri::Builder<R> {
    builder
        .manage(session)
        .manage(LastSecret::default())
        .manage(InFlight::default())
        .manage(Selection::default())
        .invoke_handler(tauri::generate_handler![
            commands::list_pats,
            commands::cached_list,
            commands::list_scopes,
            commands::list_orgs,
            commands::create_pat,
            commands::edit_pat,
            commands::revoke_pat,
            commands::regenerate_pat,
            commands::replace_global,
            commands::copy_replacement,
            commands::copy_again,
            commands::reveal_secret,
            commands::clear_secret,
            commands::list_drawn,
            commands::list_accounts,
            commands::sign_in,
            commands::cancel_sign_in,
            commands::sign_out,
            commands::watch_selection,
            commands::get_settings,
            commands::save_settings,
            commands::snooze_pat,
            commands::list_places,
            commands::kept_ids,
            commands::set_renewal,
            commands::copy_kept,
        ])
}

/// tauri.conf.json (the top-level file, linked from src-tauri/), the embedded ui/dist
/// and the capabilities.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
