//! Whom the app works as: the demo service it starts itself, `ADOPAT_ACCESS_TOKEN`, or
//! the accounts signed in, through `adopat_core::source` as the CLI does.
//!
//! The inventory is opened on first use rather than at start, so the window shows at
//! once and a failure (not signed in, offline) reaches the UI as an error it can show;
//! only success is kept, so the next refresh tries again.

use crate::views::PatList;
use adopat_core::Result;
use adopat_core::config::Config;
use adopat_core::inventory::{Filter, Inventory, Listing, Pat};
use adopat_core::source::{self, Source};
use adopat_core::state::{CachedList, State};
use adopat_demo::Demo;
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::task::AbortHandle;
use uuid::Uuid;

mod kept;
mod signed_in;

const HOW_TO_SIGN_IN: &str = "Sign in under Accounts";

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

    pub(super) fn new(source: Source, demo: Option<Demo>, state_dir: Option<PathBuf>) -> Self {
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

    pub(super) async fn fetch(&self, filter: Filter) -> Result<Listing> {
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

    /// A state file that cannot be written costs only the next start's instant list:
    /// logged, not shown.
    pub(super) async fn update_state(&self, change: impl FnOnce(&mut State)) {
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

    pub(super) fn shown(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<Uuid, Pat>> {
        self.shown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The demo service's address, for tests that count what it receives.
    pub fn demo_url(&self) -> Option<&str> {
        self._demo.as_ref().map(Demo::base_url)
    }
}
