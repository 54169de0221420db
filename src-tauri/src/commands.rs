//! The commands the webview may call (and nothing else: see capabilities/main.json).
//! Each unpacks its state and arguments, calls core, and converts the result.

use crate::error::{IpcError, Result};
use crate::last_secret::LastSecret;
use crate::requests::{
    CreateRequest, EditRequest, RegenerateRequest, ReplaceGlobalRequest, SettingsRequest,
    SignInRequest, StartUp,
};
use crate::selection::Selection;
use crate::session::Session;
use crate::tray;
use crate::views::{
    AccountView, Accounts, Copied, CreatedView, EditedView, KeptView, OrgView, PatList, PatView,
    PlaceView, RegeneratedView, RenewsView, ReplacedView, ScopeOption, SettingsView, SignInPrompt,
};
use adopat_core::accounts::Prompt;
use adopat_core::ado::pats::PatChanges;
use adopat_core::changes::NewPat;
use adopat_core::input;
use adopat_core::inventory::{Filter, Status};
use adopat_core::places::Scope;
use adopat_core::rotate::{RegenerateOptions, ReplaceOptions};
use adopat_core::scopes;
use adopat_core::state::RenewMode;
use adopat_core::stop::InFlight;
use tauri::State;
use tauri::ipc::Channel;
use uuid::Uuid;

#[tauri::command]
pub async fn list_pats(session: State<'_, Session>, filter: Filter) -> Result<PatList> {
    Ok(session.pat_list(filter).await?)
}

/// The last list seen (drawn at start, before the refresh completes); null the first time.
#[tauri::command]
pub async fn cached_list(session: State<'_, Session>, filter: Filter) -> Result<Option<PatList>> {
    Ok(session.cached(filter))
}

#[tauri::command]
pub fn list_scopes() -> Vec<ScopeOption> {
    scopes::catalog()
        .iter()
        .filter(|s| s.selectable)
        .map(ScopeOption::from)
        .collect()
}

#[tauri::command]
pub async fn list_orgs(session: State<'_, Session>) -> Result<Vec<OrgView>> {
    Ok(session
        .inventory()
        .await?
        .targets()
        .iter()
        .map(OrgView::from)
        .collect())
}

#[tauri::command]
pub async fn create_pat(
    session: State<'_, Session>,
    last_secret: State<'_, LastSecret>,
    changes: State<'_, InFlight>,
    request: CreateRequest,
) -> Result<CreatedView> {
    let _change = changes.begin();
    let inventory = session.inventory().await?;
    let now = inventory.server_now();
    let new = NewPat {
        org: request.org,
        name: input::name(&request.name)?,
        scopes: input::scope_list(&request.scopes)?,
        valid_to: input::expiry(&request.expires, now)?,
        keep: session.keep_secrets(),
        put_in: request.put_in.unwrap_or_default(),
        look_in: Vec::new(),
        put_in_anyway: false,
        renew: request.renew.unwrap_or(false),
    };
    let (done, copied) = last_secret
        .create(inventory.as_ref(), &new, changes.stop())
        .await?;
    let created = &done.created;
    session.remember(std::slice::from_ref(&created.pat));
    tray::changed();
    let mut pat = PatView::new(&created.pat, now);
    pat.renews = match &done.renews {
        Some(Ok(renewing)) => Some(RenewsView::new(&created.pat, renewing)),
        _ => None,
    };
    Ok(CreatedView {
        pat,
        renew_error: done.renews.and_then(|r| r.err()),
        copied,
        shortened_from: created.shortened_from,
        places: done.places,
        kept: KeptView::from_outcome(done.kept),
    })
}

#[tauri::command]
pub async fn edit_pat(session: State<'_, Session>, request: EditRequest) -> Result<EditedView> {
    let inventory = session.inventory().await?;
    let now = inventory.server_now();
    let changes = PatChanges {
        display_name: request.name.as_deref().map(input::name).transpose()?,
        scopes: request
            .scopes
            .as_deref()
            .map(input::scope_list)
            .transpose()?,
        valid_to: request
            .expires
            .as_deref()
            .map(|e| input::expiry(e, now))
            .transpose()?,
    };
    let pat = session.find(request.id).await?;
    let edited = inventory.edit(&pat, &changes).await?;
    session.remember(std::slice::from_ref(&edited.pat));
    tray::changed();
    Ok(EditedView {
        pat: PatView::new(&edited.pat, now),
        shortened_from: edited.shortened_from,
    })
}

#[tauri::command]
pub async fn revoke_pat(session: State<'_, Session>, id: Uuid) -> Result<PatView> {
    let pat = session.find(id).await?;
    let inventory = session.inventory().await?;
    inventory.revoke(&pat).await?;
    tray::changed();
    let revoked = adopat_core::inventory::Pat {
        status: Status::Revoked,
        ..pat
    };
    session.remember(std::slice::from_ref(&revoked));
    Ok(PatView::new(&revoked, inventory.server_now()))
}

#[tauri::command]
pub async fn regenerate_pat(
    session: State<'_, Session>,
    last_secret: State<'_, LastSecret>,
    changes: State<'_, InFlight>,
    request: RegenerateRequest,
) -> Result<RegeneratedView> {
    let _change = changes.begin();
    let inventory = session.inventory().await?;
    let now = inventory.server_now();
    let options = RegenerateOptions {
        places: Scope::of(&inventory, Vec::new()),
        keep: session.keep_secrets(),
        org: request.org,
        valid_to: request
            .expires
            .as_deref()
            .map(|e| input::expiry(e, now))
            .transpose()?,
        // As the page was shown it: read again before the twin copies it.
        fresh: false,
        hold_unless_placed: false,
    };
    let old = session.find(request.id).await?;
    let (done, copied) = last_secret
        .regenerate(inventory.as_ref(), &old, &options, changes.stop())
        .await?;
    let replaced = adopat_core::inventory::Pat {
        status: if done.old_revoked {
            Status::Revoked
        } else {
            old.status
        },
        ..old
    };
    session.remember(&[done.new.clone(), replaced.clone()]);
    tray::changed();
    Ok(RegeneratedView {
        new_id: done.new.id,
        pat: PatView::new(&done.new, now),
        replaces: done.replaces.id,
        replaced: PatView::new(&replaced, now),
        copied,
        old_revoked: done.old_revoked,
        old_revoke_error: done.revoke_error.map(IpcError::from),
        shortened_from: done.shortened_from,
        places: done.places,
        kept: KeptView::from_outcome(done.kept),
    })
}

/// One PAT per organization in place of a global PAT, made by core in one go (places
/// included); the first new secret is on the clipboard.
#[tauri::command]
pub async fn replace_global(
    session: State<'_, Session>,
    last_secret: State<'_, LastSecret>,
    changes: State<'_, InFlight>,
    request: ReplaceGlobalRequest,
) -> Result<ReplacedView> {
    let _change = changes.begin();
    let inventory = session.inventory().await?;
    let now = inventory.server_now();
    let options = ReplaceOptions {
        orgs: request.orgs,
        valid_to: Some(input::expiry(&request.expires, now)?),
        keep: session.keep_secrets(),
        places: Scope::of(&inventory, Vec::new()),
    };
    let old = session.find(request.id).await?;
    let (done, copied) = last_secret
        .replace_global(inventory.as_ref(), &old, &options, changes.stop())
        .await?;
    let mut changed: Vec<_> = done.made.iter().map(|made| made.new.clone()).collect();
    if done.old_revoked {
        changed.push(adopat_core::inventory::Pat {
            status: Status::Revoked,
            ..old
        });
    }
    session.remember(&changed);
    tray::changed();
    Ok(ReplacedView::new(done, copied, now))
}

/// The `index`th new PAT of the last replacement to the clipboard.
#[tauri::command]
pub async fn copy_replacement(last_secret: State<'_, LastSecret>, index: usize) -> Result<Copied> {
    Ok(last_secret.copy_replacement(index)?)
}

// Async so the clipboard's brief blocking happens off the main (UI) thread.
#[tauri::command]
pub async fn copy_again(last_secret: State<'_, LastSecret>) -> Result<Copied> {
    Ok(last_secret.copy_again()?)
}

/// The only command that returns a secret: the user pressed Reveal.
#[tauri::command]
pub fn reveal_secret(last_secret: State<'_, LastSecret>) -> Result<String> {
    Ok(last_secret.reveal()?.expose().to_owned())
}

/// The success pane closed; the clipboard still clears on its own schedule.
#[tauri::command]
pub async fn clear_secret(last_secret: State<'_, LastSecret>) -> Result<()> {
    last_secret.forget();
    Ok(())
}

/// The first list is on screen. Logged (RUST_LOG=adopat_desktop=info) so start-up can
/// be timed from outside, as `cargo xtask bench desktop` does, with where the time went
/// in the page (`StartUp`).
#[tauri::command]
pub fn list_drawn(rows: u32, cached: bool, at: StartUp) {
    tracing::info!(
        rows,
        cached,
        script_ms = at.script,
        mount_ms = at.mount,
        mounted_ms = at.mounted,
        list_ms = at.list,
        page_ms = at.page,
        "first list drawn"
    );
}

#[tauri::command]
pub fn list_accounts(session: State<'_, Session>) -> Result<Accounts> {
    Ok(session.accounts()?)
}

/// Resolves when the sign-in completes; what the user must do meanwhile (open a page,
/// enter a code) arrives on `on_prompt`.
#[tauri::command]
pub async fn sign_in(
    session: State<'_, Session>,
    request: SignInRequest,
    on_prompt: Channel<SignInPrompt>,
) -> Result<AccountView> {
    let show = move |prompt: Prompt<'_>| drop(on_prompt.send(SignInPrompt::from(prompt)));
    let record = session
        .sign_in(request.method, request.tenant, show)
        .await?;
    tray::changed();
    Ok(AccountView::from(&record))
}

#[tauri::command]
pub fn cancel_sign_in(session: State<'_, Session>) {
    session.cancel_sign_in();
}

#[tauri::command]
pub async fn sign_out(session: State<'_, Session>, id: String) -> Result<()> {
    session.sign_out(&id).await?;
    tray::changed();
    Ok(())
}

/// The page is ready to be told which PAT to show (a tray or notification "Open").
#[tauri::command]
pub fn watch_selection(selection: State<'_, Selection>, on_select: Channel<Uuid>) {
    selection.watch(on_select);
}

#[tauri::command]
pub fn get_settings(session: State<'_, Session>) -> Result<SettingsView> {
    Ok(SettingsView::from(session.settings()?))
}

#[tauri::command]
pub async fn save_settings(
    session: State<'_, Session>,
    request: SettingsRequest,
) -> Result<SettingsView> {
    let saved = session.save_settings(&request)?;
    tray::changed();
    Ok(SettingsView::from((saved, true)))
}

/// The places on this machine holding Azure DevOps credentials; `check` asks the service
/// once per place whether it still works.
#[tauri::command]
pub async fn list_places(session: State<'_, Session>, check: bool) -> Result<Vec<PlaceView>> {
    Ok(session.places(check).await?)
}

/// Turns a PAT's renewal on or off; the tray renews it when it is due.
#[tauri::command]
pub async fn set_renewal(
    session: State<'_, Session>,
    id: Uuid,
    on: bool,
    mode: Option<RenewMode>,
) -> Result<Option<RenewsView>> {
    let renews = session.set_renewal(id, on, mode).await?;
    tray::changed();
    Ok(renews)
}

/// The PATs whose secret is kept in the OS keyring.
#[tauri::command]
pub fn kept_ids(session: State<'_, Session>) -> Vec<Uuid> {
    session.kept_ids()
}

/// A kept secret to the clipboard; it never enters the webview.
#[tauri::command]
pub async fn copy_kept(
    session: State<'_, Session>,
    last_secret: State<'_, LastSecret>,
    id: Uuid,
) -> Result<Copied> {
    Ok(last_secret.copy_other(&session.kept_secret(id)?)?)
}

/// No reminder about this PAT for `days` days; returns until when.
// Async, as save_settings: off the main (UI) thread while the files are written.
#[tauri::command]
pub async fn snooze_pat(
    session: State<'_, Session>,
    id: Uuid,
    days: u32,
) -> Result<jiff::Timestamp> {
    let until = session.snooze(id, days)?;
    tray::changed();
    Ok(until)
}
