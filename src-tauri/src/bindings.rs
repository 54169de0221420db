//! The TypeScript types of everything that crosses IPC, generated into ui/src/bindings/
//! and committed. `bindings_are_current` fails when they are stale; to regenerate:
//!
//! ```sh
//! ADOPAT_UPDATE_BINDINGS=1 cargo test -p adopat-desktop bindings
//! ```

use crate::error::IpcError;
use crate::requests::{
    CreateRequest, EditRequest, RegenerateRequest, ReplaceGlobalRequest, SettingsRequest,
    SignInRequest, StartUp,
};
use crate::views::{
    Accounts, Copied, CreatedView, EditedView, OrgView, PatList, PlaceView, RegeneratedView,
    ReplacedView, ScopeOption, SettingsView, SignInPrompt,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

fn export_all(dir: &Path) {
    let config = Config::new().with_out_dir(dir);
    // Each exports the types it refers to as well.
    let exports = [
        PatList::export_all(&config),
        OrgView::export_all(&config),
        ScopeOption::export_all(&config),
        CreatedView::export_all(&config),
        EditedView::export_all(&config),
        RegeneratedView::export_all(&config),
        ReplacedView::export_all(&config),
        PlaceView::export_all(&config),
        Copied::export_all(&config),
        IpcError::export_all(&config),
        adopat_core::inventory::Filter::export_all(&config),
        CreateRequest::export_all(&config),
        EditRequest::export_all(&config),
        RegenerateRequest::export_all(&config),
        ReplaceGlobalRequest::export_all(&config),
        Accounts::export_all(&config),
        SignInRequest::export_all(&config),
        SignInPrompt::export_all(&config),
        SettingsView::export_all(&config),
        SettingsRequest::export_all(&config),
        StartUp::export_all(&config),
    ];
    for export in exports {
        export.expect("a binding could not be exported");
    }
}

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(&p).expect("a readable binding"),
            )
        })
        .collect()
}

#[test]
fn bindings_are_current() {
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let expected = read_dir(fresh.path());
    if std::env::var_os("ADOPAT_UPDATE_BINDINGS").is_some() {
        let dir = committed();
        for stale in read_dir(&dir).keys() {
            std::fs::remove_file(dir.join(stale)).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let actual = read_dir(&committed());
    let differing: BTreeSet<&str> = expected
        .keys()
        .chain(actual.keys())
        .filter(|name| expected.get(*name) != actual.get(*name))
        .map(String::as_str)
        .collect();
    assert!(
        differing.is_empty(),
        "ui/src/bindings/ is stale ({differing:?}); run: ADOPAT_UPDATE_BINDINGS=1 cargo test -p adopat-desktop bindings"
    );
}
