//! Whom the app works as: the demo service it starts itself, `ADOPAT_ACCESS_TOKEN`, or
//! the accounts signed in, through `adopat_core::session` as the CLI does.
//!
//! The inventory is opened on first use rather than at start, so the window shows at
//! once and a failure (not signed in, offline) reaches the UI as an error it can show;
//! only success is kept, so the next refresh tries again.

use adopat_core::config::Config;
use adopat_core::inventory::{Filter, Inventory, Listing, Pat, resolve};
use adopat_core::session::{self as shared, Source};
use adopat_core::state::{CachedList, State};
use adopat_core::{Error, Result, Secret};
use adopat_emulator::{Config as EmulatorConfig, Emulator, Seed};
use jiff::Timestamp;
use std::path::PathBuf;
use tokio::sync::Mutex;
use tokio::sync::OnceCell;
use uuid::Uuid;

const DEMO_TOKEN: &str = "adopat-demo-session";
// The app's own sign-in is not there yet; the CLI's is, and they share the accounts.
const HOW_TO_SIGN_IN: &str = "Sign in with `adopat login` in a terminal";

pub struct Session {
    source: Source,
    inventory: OnceCell<Inventory>,
    /// Where the state file lives; none in the demo, which keeps nothing.
    state_dir: Option<PathBuf>,
    /// The state file is read, changed and written whole: one writer at a time.
    state: Mutex<()>,
    /// Keeps the demo service serving as long as the app runs.
    _demo: Option<Emulator>,
}

impl Session {
    /// Starts the demo service (the emulator with the demo seed) on the current runtime.
    pub async fn demo() -> Result<Self> {
        let emulator = Emulator::start(EmulatorConfig {
            seed: Seed::Demo,
            static_token: Some(DEMO_TOKEN.into()),
            ..EmulatorConfig::default()
        })
        .await
        .map_err(|e| Error::Other(format!("could not start the demo service: {e}")))?;
        let source = Source::Service {
            base_url: emulator.base_url().to_owned(),
            token: Secret::new(DEMO_TOKEN),
        };
        Ok(Self::new(source, Some(emulator), None))
    }

    /// `ADOPAT_ACCESS_TOKEN`, else the signed-in accounts.
    pub fn from_env() -> Self {
        Self::new(Source::from_env(), None, Config::dir().ok())
    }

    fn new(source: Source, demo: Option<Emulator>, state_dir: Option<PathBuf>) -> Self {
        Self {
            source,
            inventory: OnceCell::new(),
            state_dir,
            state: Mutex::new(()),
            _demo: demo,
        }
    }

    /// Lists and remembers the list (metadata only) for the next start. A list with an
    /// organization missing is not remembered: it would forget that organization's PATs.
    pub async fn list(&self, filter: Filter) -> Result<Listing> {
        let listing = self.inventory().await?.list(filter).await.into_result()?;
        if listing.failures.is_empty() {
            self.update_state(|state| {
                let list = state.last_list.get_or_insert_with(|| CachedList {
                    fetched_at: Timestamp::now(),
                    pats: Vec::new(),
                });
                list.merge(filter, &listing.pats, Timestamp::now());
            })
            .await;
        }
        Ok(listing)
    }

    /// The last list seen, of the statuses `filter` shows.
    pub async fn cached(&self, filter: Filter) -> Option<CachedList> {
        let dir = self.state_dir.as_ref()?;
        let _guard = self.state.lock().await;
        let mut list = State::load(dir).last_list?;
        list.pats.retain(|p| filter.includes(p.status));
        Some(list)
    }

    /// A state file that cannot be written costs only the next start's instant list:
    /// logged, not shown.
    async fn update_state(&self, change: impl FnOnce(&mut State)) {
        let Some(dir) = &self.state_dir else { return };
        let _guard = self.state.lock().await;
        let mut state = State::load(dir);
        change(&mut state);
        if let Err(error) = state.save(dir) {
            tracing::warn!("could not keep the list for the next start: {error}");
        }
    }

    pub async fn inventory(&self) -> Result<&Inventory> {
        self.inventory
            .get_or_try_init(|| shared::open(&self.source, &[], HOW_TO_SIGN_IN))
            .await
    }

    /// A PAT by id, looked up fresh among every status: the UI's copy may be stale.
    pub async fn find(&self, id: Uuid) -> Result<Pat> {
        let listing = self
            .inventory()
            .await?
            .list(Filter::All)
            .await
            .into_result()?;
        resolve(&listing.pats, &id.to_string()).cloned()
    }
}
