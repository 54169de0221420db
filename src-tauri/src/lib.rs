//! The Tauri shell: wiring only. Commands are adapters in `commands`, the state they
//! share is `Session` (whom to work as) and `Handover` (the last new secret).

#[cfg(test)]
mod bindings;
pub mod commands;
pub mod error;
pub mod handover;
pub mod requests;
pub mod session;
pub mod views;

use handover::Handover;
use session::Session;
use std::process::ExitCode;
use tauri::{Manager, RunEvent, Runtime};

pub fn run(demo: bool) -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
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
    let builder = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            show_main_window(app)
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
            let handle = app.handle().clone();
            if let Some(slot) = handle.state::<Session>().claim_prefetch() {
                tauri::async_runtime::spawn(async move {
                    handle.state::<Session>().prefetch(slot).await;
                });
            }
            Ok(())
        });
    let app = match wire(builder, session).build(context()) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("adopat-desktop: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|app, event| {
        // A secret must not outlive the app on the clipboard.
        if let RunEvent::Exit = event {
            app.state::<Handover>().clear();
        }
    });
    ExitCode::SUCCESS
}

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
        .manage(Handover::default())
        .invoke_handler(tauri::generate_handler![
            commands::list_pats,
            commands::cached_list,
            commands::list_scopes,
            commands::list_orgs,
            commands::create_pat,
            commands::edit_pat,
            commands::revoke_pat,
            commands::regenerate_pat,
            commands::copy_again,
            commands::reveal_secret,
            commands::clear_secret,
            commands::list_drawn,
            commands::list_accounts,
            commands::sign_in,
            commands::cancel_sign_in,
            commands::sign_out,
        ])
}

/// tauri.conf.json (the top-level file, linked from src-tauri/), the embedded ui/dist
/// and the capabilities.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}
