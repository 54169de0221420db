//! The tray's part of PATs that renew themselves: core renews what is due in each round
//! (`adopat_core::renewal::due`), and the tray says what happened, once per renewal; a
//! sign-in that is needed to renew is said once, not every round.

use adopat_core::ErrorCode;
use adopat_core::inventory::Inventory;
use adopat_core::places::Scope;
use adopat_core::reminders::Notice;
use adopat_core::renewal::{self, Action, Options};
use adopat_core::stop::Stop;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Said at most once until a round works again.
#[derive(Default)]
pub struct Told {
    sign_in: AtomicBool,
}

/// What a renewal round did: what to tell, and when the next PAT becomes due.
#[derive(Default)]
pub struct Renewed {
    pub notices: Vec<Notice>,
    pub next_due: Option<jiff::Timestamp>,
}

/// Renews what is due. Nothing is asked of the service when no PAT renews itself.
pub async fn round(inventory: &Inventory, told: &Told, stop: &Stop) -> Renewed {
    if inventory.local_dir().is_none() {
        return Renewed::default();
    }
    let options = Options {
        places: Scope::of(inventory, Vec::new()),
        ..Options::default()
    };
    let done = match renewal::due(inventory, &options, stop).await {
        Ok(done) => done,
        Err(e) => {
            tracing::warn!("renewal round: {e}");
            return Renewed::default();
        }
    };
    let next_due = done.iter().filter_map(|r| r.due).min();
    let mut notices = Vec::new();
    let mut sign_in = false;
    for r in done.iter().filter(|r| r.attempted || r.failure.is_some()) {
        if r.failure == Some(ErrorCode::SignInRequired) {
            sign_in = true;
            continue;
        }
        if !r.attempted {
            continue;
        }
        let title = match r.action {
            Action::Failed => format!("Could not renew '{}'", r.name),
            _ if r.places_left() => format!("'{}' renewed, a place left", r.name),
            _ => format!("Renewed '{}'", r.name),
        };
        tracing::info!(pat = %r.id, action = ?r.action, "renewal");
        notices.push(Notice {
            title,
            body: r.said(),
            pat: Some(
                r.new_id
                    .filter(|_| r.old_revoked == Some(true))
                    .unwrap_or(r.id),
            ),
        });
    }
    if let Some(notice) = sign_in_needed(told, sign_in, &done) {
        notices.push(notice);
    }
    Renewed { notices, next_due }
}

/// Signed out while PATs are set to renew themselves: said once.
pub fn signed_out(dir: &Path, told: &Told) -> Option<Notice> {
    let names: Vec<String> = renewal::kept(dir)
        .values()
        .map(|r| format!("'{}'", r.name))
        .collect();
    if names.is_empty() || told.sign_in.swap(true, Ordering::AcqRel) {
        return None;
    }
    Some(sign_in_notice(&names))
}

fn sign_in_needed(told: &Told, needed: bool, done: &[renewal::Renewal]) -> Option<Notice> {
    if !needed {
        told.sign_in.store(false, Ordering::Release);
        return None;
    }
    if told.sign_in.swap(true, Ordering::AcqRel) {
        return None;
    }
    let names: Vec<String> = done
        .iter()
        .filter(|r| r.failure == Some(ErrorCode::SignInRequired))
        .map(|r| format!("'{}'", r.name))
        .collect();
    Some(sign_in_notice(&names))
}

fn sign_in_notice(names: &[String]) -> Notice {
    Notice {
        title: "Sign in again so AdoPat can renew your PATs".into(),
        body: format!(
            "{} renew{} itself only while you are signed in: open AdoPat and sign in under Accounts.",
            names.join(", "),
            if names.len() == 1 { "s" } else { "" }
        ),
        pat: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_out_is_said_once_and_only_when_a_pat_renews_itself() {
        let dir = tempfile::tempdir().unwrap();
        let told = Told::default();
        assert!(
            signed_out(dir.path(), &told).is_none(),
            "nothing renews itself"
        );
        let mut state = adopat_core::state::State::default();
        state.renewals.insert(
            uuid::Uuid::from_u128(7),
            adopat_core::state::Renewing {
                mode: adopat_core::state::RenewMode::Regenerate,
                before_secs: 7 * 86_400,
                name: "feed".into(),
                org: "contoso".into(),
                lifetime_secs: None,
                last: None,
                pending: None,
                blocked_until: None,
            },
        );
        state.save(dir.path()).unwrap();
        let first = signed_out(dir.path(), &told).unwrap();
        assert!(
            first
                .body
                .contains("'feed' renews itself only while you are signed in")
        );
        assert!(signed_out(dir.path(), &told).is_none(), "not every round");
        // A round that needed no sign-in: the next sign-out is said again.
        assert!(sign_in_needed(&told, false, &[]).is_none());
        assert!(signed_out(dir.path(), &told).is_some());
    }
}
