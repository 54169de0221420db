// The commands the webview may call: the one list. build.rs includes this file to give
// each an `allow-<command>` permission and to write capabilities/main.json, which grants
// them all to the app's own window; the shell's tests check `generate_handler!` in
// lib.rs and ui/src/api.ts against it. (Plain items only: build.rs `include!`s it.)

pub const COMMANDS: &[&str] = &[
    "list_pats",
    "cached_list",
    "list_scopes",
    "list_orgs",
    "create_pat",
    "edit_pat",
    "revoke_pat",
    "regenerate_pat",
    "replace_global",
    "copy_replacement",
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
    "list_places",
    "kept_ids",
    "set_renewal",
    "copy_kept",
];
