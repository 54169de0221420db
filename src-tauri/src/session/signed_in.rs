//! The accounts the window signs in and out, and the sign-in under way.

use super::Session;
use crate::views::{AccountSource, AccountView, Accounts};
use adopat_core::accounts::{self, Method, Prompt, SignInOptions};
use adopat_core::config::{AccountRecord, Config};
use adopat_core::source::Source;
use adopat_core::{Error, Result};
use std::path::PathBuf;
use tokio::task::AbortHandle;

const CANCELLED: &str = "Sign-in cancelled; nothing was saved.";

impl Session {
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

    pub(super) async fn reopen(&self) {
        *self.inventory.lock().await = None;
    }

    pub(super) fn running(&self) -> std::sync::MutexGuard<'_, Option<AbortHandle>> {
        // A panic elsewhere cannot leave an abort handle half-written.
        self.signing_in
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where accounts are kept; the demo keeps none.
    pub(super) fn accounts_dir(&self) -> Result<PathBuf> {
        match (&self.source, &self.state_dir) {
            (Source::Service { .. }, _) => Err(Error::invalid(
                "account",
                "The demo works without an account; start AdoPat without --demo to sign in.",
            )),
            (_, Some(dir)) => Ok(dir.clone()),
            (_, None) => Config::dir(),
        }
    }
}
