//! The list the page draws first, handed over with the page's own scripts: the last
//! list seen (metadata only, as `cached_list` gives it), so the first frame already
//! shows it, with no request and no "Loading" frame before it. The fresh list follows
//! as before (#11: the window's start).

use crate::views::PatList;
use tauri::Runtime;
use tauri::plugin::TauriPlugin;

/// The global the page's inventory takes its first list from (ui/src/lib/firstList.ts).
pub const GLOBAL: &str = "__ADOPAT_FIRST_LIST__";

pub fn plugin<R: Runtime>(list: Option<&PatList>) -> TauriPlugin<R> {
    let builder = tauri::plugin::Builder::new("first-list");
    match script(list) {
        Some(script) => builder.js_init_script(script),
        None => builder,
    }
    .build()
}

/// JSON is a JavaScript expression: the list as the page would have received it.
pub fn script(list: Option<&PatList>) -> Option<String> {
    let json = serde_json::to_string(list?).ok()?;
    Some(format!("window.{GLOBAL} = {json};"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use adopat_core::state::CachedList;

    #[test]
    fn no_list_seen_yet_gives_no_script() {
        assert_eq!(script(None), None);
    }

    #[test]
    fn the_script_sets_the_list_as_the_page_reads_it() {
        let list = PatList::cached(
            &CachedList {
                fetched_at: "2026-12-01T08:00:00Z".parse().unwrap(),
                service_ahead_secs: 0,
                pats: Vec::new(),
            },
            "2026-12-02T08:00:00Z".parse().unwrap(),
            &Default::default(),
        );
        let script = script(Some(&list)).unwrap();
        let json = script
            .strip_prefix("window.__ADOPAT_FIRST_LIST__ = ")
            .and_then(|s| s.strip_suffix(';'))
            .unwrap();
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(value, serde_json::to_value(&list).unwrap());
        assert_eq!(value["cached"], true);
    }
}
