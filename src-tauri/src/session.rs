//! Whom the app works as: the demo service it starts itself, `ADOPAT_ACCESS_TOKEN`, or
//! the accounts signed in, through `adopat_core::source` as the CLI does.
//!
//! The inventory is opened on first use rather than at start, so the window shows at
//! once and a failure (not signed in, offline) reaches the UI as an error it can show;
//! only success is kept, so the next refresh tries again.

use crate::requests::SettingsRequest;
use crate::views::{AccountSource, AccountView, Accounts, PatList};
use adopat_core::accounts::{self, Method, Prompt, SignInOptions};
use adopat_core::config::AccountRecord;
use adopat_core::config::Config;
use adopat_core::inventory::{Filter, Inventory, Listing, Pat};
use adopat_core::source::{self, Source};
use adopat_core::state::{CachedList, State};
use adopat_core::{Error, Result};
use adopat_demo::Demo;
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::task::AbortHandle;
use uuid::Uuid;

const HOW_TO_SIGN_IN: &str = "Sign in under Accounts";
const CANCELLED: &str = "Sign-in cancelled; nothing was saved.";

pub struct Session {
    source: Source,
    /// Opened on first use; dropped when the accounts change, so the next use reopens it.
    inventory: Mutex<Option<Arc<Inventory>>>,
    /// The sign-in running, if any: Cancel, or a new sign-in, ends it.
    signing_in: std::sync::Mutex<Option<AbortHandle>>,
    /// Where the state file lives; none in the demo, which keeps nothing.
    state_dir: Option<PathBuf>,
    /// The active list fetched at launch, while the window opens; the page's first
    /// request takes it (waiting for it if need be), later ones fetch anew.
    prefetched: Arc<Mutex<Option<Result<Listing>>>>,
    /// The PATs the page was last shown, by id: the page acts on those, so a change
    /// needs no listing to find its PAT's organization and status.
    shown: std::sync::Mutex<std::collections::HashMap<Uuid, Pat>>,
    /// Keeps the demo service serving as long as the app runs.
    _demo: Option<Demo>,
}

impl Session {
    /// Starts the demo service (the emulator with the demo seed) on the current runtime.
    pub async fn demo() -> Result<Self> {
        let demo = Demo::start().await?;
        Ok(Self::new(demo.source(), Some(demo), None))
    }

    /// The demo service, keeping settings and reminders in `dir` (tests).
    pub async fn demo_keeping(dir: PathBuf) -> Result<Self> {
        let mut session = Self::demo().await?;
        session.state_dir = Some(dir);
        Ok(session)
    }

    /// `ADOPAT_ACCESS_TOKEN`, else the signed-in accounts.
    pub fn from_env() -> Self {
        Self::new(Source::from_env(), None, Config::dir().ok())
    }

    fn new(source: Source, demo: Option<Demo>, state_dir: Option<PathBuf>) -> Self {
        Self {
            source,
            inventory: Mutex::new(None),
            signing_in: std::sync::Mutex::new(None),
            state_dir,
            prefetched: Arc::new(Mutex::new(None)),
            shown: std::sync::Mutex::new(std::collections::HashMap::new()),
            _demo: demo,
        }
    }

    /// Claims the first list for a fetch started at launch: over a real network that is
    /// most of the time to a first list, and it need not wait for the page to ask.
    /// Claimed before the page loads, so the page's first request waits for it.
    pub fn claim_prefetch(&self) -> Option<OwnedMutexGuard<Option<Result<Listing>>>> {
        self.prefetched.clone().try_lock_owned().ok()
    }

    pub async fn prefetch(&self, mut slot: OwnedMutexGuard<Option<Result<Listing>>>) {
        *slot = Some(self.fetch(Filter::Active).await);
    }

    async fn fetch(&self, filter: Filter) -> Result<Listing> {
        self.inventory().await?.list(filter).await.into_result()
    }

    /// Lists and remembers the list (metadata only) for the next start. A list with an
    /// organization missing is not remembered: it would forget that organization's PATs.
    pub async fn list(&self, filter: Filter) -> Result<Listing> {
        let prefetched = match filter {
            Filter::Active => self.prefetched.lock().await.take(),
            _ => None,
        };
        let listing = match prefetched {
            Some(listing) => listing?,
            None => self.fetch(filter).await?,
        };
        self.remember(&listing.pats);
        if listing.failures.is_empty() {
            self.update_state(|state| {
                let machine_now = Timestamp::now();
                match &mut state.last_list {
                    Some(list) => list.merge(filter, &listing, machine_now),
                    None => state.last_list = Some(CachedList::new(&listing, machine_now)),
                }
            })
            .await;
        }
        Ok(listing)
    }

    /// The last list seen, of the statuses `filter` shows, as the page draws it (a small
    /// file read): at launch with the page's scripts, and at each new filter.
    pub fn cached(&self, filter: Filter) -> Option<PatList> {
        let dir = self.state_dir.as_ref()?;
        let state = State::load(dir);
        let mut list = state.last_list?;
        list.pats.retain(|p| filter.includes(p.status));
        let now = list.service_now(Timestamp::now());
        Some(PatList::cached(&list, now, &state.renewals))
    }

    /// The list as the page shows it, with the PATs that renew themselves marked.
    pub async fn pat_list(&self, filter: Filter) -> Result<PatList> {
        let listing = self.list(filter).await?;
        Ok(PatList::new(listing, &self.renewals()))
    }

    /// The PATs that renew themselves (none in the demo).
    pub fn renewals(&self) -> crate::views::Renewals {
        self.state_dir
            .as_deref()
            .map(adopat_core::renewal::kept)
            .unwrap_or_default()
    }

    /// Turns a PAT's renewal on (in `mode`, or as it was) or off; how it renews itself now.
    pub async fn set_renewal(
        &self,
        id: Uuid,
        on: bool,
        mode: Option<adopat_core::state::RenewMode>,
    ) -> Result<Option<crate::views::RenewsView>> {
        let dir = self.state_dir.as_deref();
        if !on {
            adopat_core::renewal::turn_off(dir, id)?;
            return Ok(None);
        }
        let pat = self.find(id).await?;
        let renewing = adopat_core::renewal::turn_on(dir, &pat, mode, None)?;
        Ok(Some(crate::views::RenewsView::new(&pat, &renewing)))
    }

    /// A state file that cannot be written costs only the next start's instant list:
    /// logged, not shown.
    async fn update_state(&self, change: impl FnOnce(&mut State)) {
        let Some(dir) = &self.state_dir else { return };
        // Under the state file's own lock, which the tray takes too.
        if let Err(error) = State::update(dir, change) {
            tracing::warn!("could not keep the list for the next start: {error}");
        }
    }

    pub async fn inventory(&self) -> Result<Arc<Inventory>> {
        let mut slot = self.inventory.lock().await;
        if let Some(open) = &*slot {
            return Ok(open.clone());
        }
        let open = Arc::new(source::open(&self.source, &[], HOW_TO_SIGN_IN).await?);
        *slot = Some(open.clone());
        Ok(open)
    }

    /// The accounts signed in, and whether the app works as them.
    pub fn accounts(&self) -> Result<Accounts> {
        let source = match self.source {
            Source::Service { .. } => AccountSource::Demo,
            Source::AccessToken(_) => AccountSource::AccessToken,
            Source::Accounts => AccountSource::SignedIn,
        };
        let accounts = match (&self.source, &self.state_dir) {
            (Source::Service { .. }, _) | (_, None) => Vec::new(),
            (_, Some(dir)) => Config::load(dir)?
                .accounts
                .iter()
                .map(AccountView::from)
                .collect(),
        };
        Ok(Accounts { accounts, source })
    }

    /// Signs in and keeps the account; the list then includes its organizations. A
    /// sign-in already running is cancelled first.
    pub async fn sign_in(
        &self,
        method: Method,
        tenant: Option<String>,
        prompt: impl FnOnce(Prompt<'_>) + Send + 'static,
    ) -> Result<AccountRecord> {
        let dir = self.accounts_dir()?;
        let task = tokio::spawn(async move {
            let options = SignInOptions {
                tenant: tenant.as_deref().map(str::trim).filter(|t| !t.is_empty()),
                client_id: None,
            };
            accounts::sign_in(&dir, method, options, prompt)
                .await
                .map(|new| new.record)
        });
        let this = task.abort_handle();
        let id = this.id();
        if let Some(earlier) = self.running().replace(this) {
            earlier.abort();
        }
        let outcome = task.await;
        {
            let mut running = self.running();
            if running.as_ref().is_some_and(|r| r.id() == id) {
                running.take();
            }
        }
        let record = match outcome {
            Ok(signed) => signed?,
            Err(e) if e.is_cancelled() => return Err(Error::Other(CANCELLED.into())),
            Err(e) => return Err(Error::Other(format!("the sign-in failed: {e}"))),
        };
        self.reopen().await;
        Ok(record)
    }

    pub fn cancel_sign_in(&self) {
        if let Some(running) = self.running().take() {
            running.abort();
        }
    }

    /// Forgets an account: its refresh token leaves the keyring, its PATs the list.
    pub async fn sign_out(&self, id: &str) -> Result<()> {
        let dir = self.accounts_dir()?;
        if accounts::sign_out(&dir, &[id.to_owned()]).await?.is_empty() {
            return Err(Error::NotFound(format!("No account '{id}' is signed in.")));
        }
        self.reopen().await;
        Ok(())
    }

    async fn reopen(&self) {
        *self.inventory.lock().await = None;
    }

    fn running(&self) -> std::sync::MutexGuard<'_, Option<AbortHandle>> {
        // A panic elsewhere cannot leave an abort handle half-written.
        self.signing_in
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where accounts are kept; the demo keeps none.
    fn accounts_dir(&self) -> Result<PathBuf> {
        match (&self.source, &self.state_dir) {
            (Source::Service { .. }, _) => Err(Error::invalid(
                "account",
                "The demo works without an account; start AdoPat without --demo to sign in.",
            )),
            (_, Some(dir)) => Ok(dir.clone()),
            (_, None) => Config::dir(),
        }
    }

    /// The reminder settings, and whether they can be kept at all (not in the demo).
    pub fn settings(&self) -> Result<(Config, bool)> {
        match &self.state_dir {
            Some(dir) => Ok((Config::load(dir)?, true)),
            None => Ok((Config::default(), false)),
        }
    }

    /// Settings' "keep new secrets" (never in the demo).
    pub fn keep_secrets(&self) -> bool {
        Config::keeps_secrets(self.state_dir.as_deref())
    }

    /// Keeps new settings; the tray reads the reminders at its next round.
    pub fn save_settings(&self, request: &SettingsRequest) -> Result<Config> {
        let settings = adopat_core::autostart::Settings {
            thresholds: request.thresholds.clone(),
            start_at_login: request.start_at_login,
            keep_secrets: request.keep_secrets,
        };
        adopat_core::autostart::save_settings(self.kept_dir("settings")?, &settings)
    }

    /// The PATs whose secret is kept in the OS keyring.
    pub fn kept_ids(&self) -> Vec<Uuid> {
        self.state_dir
            .as_ref()
            .map(|dir| State::load(dir).kept)
            .unwrap_or_default()
    }

    /// A PAT's kept secret.
    pub fn kept_secret(&self, id: Uuid) -> Result<adopat_core::Secret> {
        let dir = self.kept_dir("kept secret")?;
        adopat_core::kept::fetch(dir, id)?.ok_or_else(|| {
            Error::NotFound(
                "No secret is kept for this PAT; AdoPat keeps new ones when Settings say so."
                    .into(),
            )
        })
    }

    /// The places, checked with the service when asked.
    pub async fn places(&self, check: bool) -> Result<Vec<crate::views::PlaceView>> {
        let mut survey = self.survey().await?;
        if check {
            survey.check(self.inventory().await?.as_ref()).await;
        }
        Ok(survey.places().into_iter().map(Into::into).collect())
    }

    /// The places of this machine's user (never the demo's).
    pub async fn survey(&self) -> Result<adopat_core::places::Survey> {
        adopat_core::places::survey_of(self.inventory().await?.as_ref(), Vec::new()).await
    }

    /// No reminder about this PAT for `days` days (by the service's clock, which reminders
    /// count by); returns until when.
    pub fn snooze(&self, id: Uuid, days: u32) -> Result<Timestamp> {
        State::snooze(self.kept_dir("reminders")?, id, days, self.service_now())
    }

    /// Azure DevOps' time as far as this session knows it without a request (a snooze
    /// works offline): the open inventory's clock, else the last list's, else this
    /// machine's.
    fn service_now(&self) -> Timestamp {
        if let Some(open) = self.inventory.try_lock().ok().and_then(|slot| slot.clone()) {
            return open.server_now();
        }
        let machine = Timestamp::now();
        self.state_dir
            .as_ref()
            .and_then(|dir| State::load(dir).last_list)
            .map_or(machine, |list| list.service_now(machine))
    }

    fn kept_dir(&self, what: &'static str) -> Result<&PathBuf> {
        self.state_dir.as_ref().ok_or_else(|| {
            Error::invalid(
                what,
                "The demo keeps nothing; start AdoPat without --demo to keep it.",
            )
        })
    }

    /// A PAT by id, looked up fresh among every status: the UI's copy may be stale.
    /// The PAT the page asks about: as the page was shown it (no request), else found
    /// through the listings (active first).
    pub async fn find(&self, id: Uuid) -> Result<Pat> {
        if let Some(pat) = self.shown().get(&id) {
            return Ok(pat.clone());
        }
        Ok(self.inventory().await?.find(&id.to_string()).await?.pat)
    }

    /// What a change made of the PATs the page shows (an edit, a revoke, a new PAT).
    pub fn remember(&self, pats: &[Pat]) {
        let mut shown = self.shown();
        for pat in pats {
            shown.insert(pat.id, pat.clone());
        }
    }

    fn shown(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<Uuid, Pat>> {
        self.shown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The demo service's address, for tests that count what it receives.
    pub fn demo_url(&self) -> Option<&str> {
        self._demo.as_ref().map(Demo::base_url)
    }
}
