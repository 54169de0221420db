//! The floor for `cargo xtask bench desktop`: a Tauri window like AdoPat's (same
//! config, same runtime, same build profile) that shows an empty page. It prints
//! "blank page loaded" on stderr once the page has loaded, and "blank page painted"
//! once a frame of it is on screen, the moment AdoPat's "first list drawn" is taken at.

use tauri::webview::PageLoadEvent;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// Two animation frames on, the first frame has been painted: then the title says so,
/// with the time since navigation began, as AdoPat's page tells its shell after drawing
/// the list.
const PAGE: &[u8] = br#"<!doctype html><title>blank</title>
<script>requestAnimationFrame(() => requestAnimationFrame(() => { document.title = "painted " + performance.now(); }));</script>"#;

fn main() {
    let mut context = adopat_desktop::context::<tauri::Wry>();
    // The window is made below instead, pointed at an empty page.
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        // An empty page served the way AdoPat's own pages are: by a custom protocol.
        .register_uri_scheme_protocol("blank", |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html")
                .body(PAGE.to_vec())
                .expect("a valid response")
        })
        .setup(|app| {
            let blank = "blank://localhost/".parse().expect("a valid URL");
            WebviewWindowBuilder::new(app, "main", WebviewUrl::External(blank))
                .title("blank")
                .inner_size(1120.0, 720.0)
                // Shown once its page has loaded, as AdoPat's window is (src-tauri/src/lib.rs):
                // the floor has no start stalled by half a second, as a shown window's may be.
                .visible(false)
                .on_document_title_changed(|_, title| {
                    if let Some(ms) = title.strip_prefix("painted ") {
                        eprintln!("blank page painted page_ms={ms}");
                    }
                })
                .on_page_load(|window, payload| {
                    if payload.event() == PageLoadEvent::Finished {
                        let _ = window.show();
                        eprintln!("blank page loaded");
                    }
                })
                .build()?;
            Ok(())
        })
        .run(context)
        .expect("the blank window runs");
}
