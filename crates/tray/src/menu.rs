//! What the tray shows, as data: the shell turns it into a native menu. Every action is
//! in the menu because tray clicks are not delivered on Linux.

use adopat_core::inventory::{Pat, Status, Urgency};
use adopat_core::reminders::when;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use uuid::Uuid;

/// PATs that need attention: expiring within a week, or expired within the last month.
const RECENT_EXPIRY: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 30);

/// What the tray's menu and notifications ask for; the resident loop carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Pat(Uuid, PatAction),
    OpenApp,
    CheckNow,
    PauseForADay,
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatAction {
    Extend30,
    Extend90,
    RegenerateAndCopy,
    /// Turn on renewal (core's `renewal`): the tray renews it from then on.
    RenewItself,
    Open,
}

impl PatAction {
    pub fn label(self) -> &'static str {
        match self {
            PatAction::Extend30 => "Extend 30 days",
            PatAction::Extend90 => "Extend 90 days",
            PatAction::RegenerateAndCopy => "Regenerate & copy",
            PatAction::RenewItself => "Renew it automatically",
            PatAction::Open => "Open",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A submenu named after the PAT, with what can be done to it.
    Pat {
        id: Uuid,
        label: String,
        actions: Vec<PatAction>,
    },
    OpenApp,
    CheckNow,
    PauseForADay,
    Quit,
    Separator,
    /// A line that says something and does nothing (greyed out).
    Note(String),
}

impl Item {
    pub fn label(&self) -> &str {
        match self {
            Item::Pat { label, .. } => label,
            Item::OpenApp => "Open AdoPat",
            Item::CheckNow => "Check now",
            Item::PauseForADay => "Pause reminders for a day",
            Item::Quit => "Quit",
            Item::Separator => "",
            Item::Note(text) => text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenu {
    pub needs_attention: bool,
    pub tooltip: String,
    pub items: Vec<Item>,
}

/// What the tray says when reminders cannot be shown as notifications: the icon and
/// the menu still carry them.
pub const NO_NOTIFICATIONS: &str = "Reminders cannot be shown as notifications here";

impl TrayMenu {
    /// The same menu, saying `note` first and in the tooltip.
    pub fn noting(mut self, note: &str) -> Self {
        self.items.insert(0, Item::Note(note.to_owned()));
        self.items.insert(1, Item::Separator);
        self.tooltip = format!("{} ({})", self.tooltip, note.to_lowercase());
        self
    }
}

pub fn needs_attention(pat: &Pat, now: Timestamp) -> bool {
    match pat.status {
        Status::Revoked => false,
        Status::Expired => now - RECENT_EXPIRY < pat.valid_to,
        Status::Active => matches!(pat.urgency(now), Urgency::Critical | Urgency::Soon),
    }
}

impl TrayMenu {
    /// PATs that renew themselves (`renewing`) say so, and are not offered it again.
    pub fn renewing(mut self, renewing: &[Uuid]) -> Self {
        for item in &mut self.items {
            if let Item::Pat { id, label, actions } = item
                && renewing.contains(id)
            {
                label.push_str(", renews itself");
                actions.retain(|a| *a != PatAction::RenewItself);
            }
        }
        self
    }
}

pub fn build(pats: &[Pat], now: Timestamp, tz: &TimeZone) -> TrayMenu {
    let mut attention: Vec<&Pat> = pats.iter().filter(|p| needs_attention(p, now)).collect();
    attention.sort_by_key(|p| p.valid_to);
    let mut items: Vec<Item> = attention
        .iter()
        .map(|p| {
            let expired = p.valid_to <= now;
            // An expired PAT cannot be extended (expiredPatCannotBeExtended).
            let mut actions = if expired {
                vec![PatAction::RegenerateAndCopy]
            } else {
                vec![
                    PatAction::Extend30,
                    PatAction::Extend90,
                    PatAction::RegenerateAndCopy,
                ]
            };
            // A global PAT's replacement needs an organization chosen: the window asks.
            if !p.global {
                actions.push(PatAction::RenewItself);
            }
            actions.push(PatAction::Open);
            let org = if p.global {
                "all orgs".to_owned()
            } else {
                p.orgs.join(", ")
            };
            Item::Pat {
                id: p.id,
                label: format!("{} ({org}): {}", p.name, when(p.valid_to, now, tz)),
                actions,
            }
        })
        .collect();
    if !items.is_empty() {
        items.push(Item::Separator);
    }
    items.extend([
        Item::OpenApp,
        Item::CheckNow,
        Item::PauseForADay,
        Item::Separator,
        Item::Quit,
    ]);
    let expiring = attention.iter().filter(|p| p.valid_to > now).count();
    let expired = attention.len() - expiring;
    let tooltip = match (expiring, expired) {
        (0, 0) => "AdoPat: no PAT needs attention".to_owned(),
        (n, 0) => format!(
            "{n} PAT{} expire{} this week",
            plural(n),
            if n == 1 { "s" } else { "" }
        ),
        (0, m) => format!("{m} PAT{} expired", plural(m)),
        (n, m) => format!("{n} PAT{} expire this week, {m} expired", plural(n)),
    };
    TrayMenu {
        needs_attention: !attention.is_empty(),
        tooltip,
        items,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(name: &str, hours_left: i64, status: Status) -> Pat {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        Pat {
            id: Uuid::new_v4(),
            name: name.into(),
            orgs: vec!["contoso".into()],
            global: false,
            scopes: vec![],
            valid_from: now,
            valid_to: now + jiff::SignedDuration::from_hours(hours_left),
            status,
        }
    }

    fn labels(menu: &TrayMenu) -> Vec<&str> {
        menu.items.iter().map(Item::label).collect()
    }

    #[test]
    fn lists_what_needs_attention_soonest_first_then_the_app_actions() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let pats = [
            pat("far", 24 * 90, Status::Active),
            pat("nuget-feed", 24 * 3, Status::Active),
            pat("ci", 20, Status::Active),
            pat("old", -24 * 2, Status::Expired),
            pat("gone", 24, Status::Revoked),
        ];
        let menu = build(&pats, now, &TimeZone::UTC);
        assert!(menu.needs_attention);
        assert_eq!(menu.tooltip, "2 PATs expire this week, 1 expired");
        assert_eq!(
            labels(&menu),
            [
                "old (contoso): expired 2 days ago",
                "ci (contoso): expires tomorrow",
                "nuget-feed (contoso): expires in 3 days",
                "",
                "Open AdoPat",
                "Check now",
                "Pause reminders for a day",
                "",
                "Quit"
            ]
        );
        let Item::Pat { actions, .. } = &menu.items[0] else {
            panic!()
        };
        assert_eq!(
            actions,
            &[
                PatAction::RegenerateAndCopy,
                PatAction::RenewItself,
                PatAction::Open
            ],
            "no extend for an expired PAT"
        );
        let Item::Pat { actions, .. } = &menu.items[1] else {
            panic!()
        };
        assert_eq!(actions.len(), 5);
    }

    #[test]
    fn a_pat_that_renews_itself_says_so_and_is_not_offered_it_again() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let ci = pat("ci", 20, Status::Active);
        let menu = build(std::slice::from_ref(&ci), now, &TimeZone::UTC).renewing(&[ci.id]);
        let Item::Pat { label, actions, .. } = &menu.items[0] else {
            panic!()
        };
        assert_eq!(label, "ci (contoso): expires tomorrow, renews itself");
        assert!(!actions.contains(&PatAction::RenewItself));
        let mut global = pat("everywhere", 20, Status::Active);
        global.global = true;
        let menu = build(&[global], now, &TimeZone::UTC);
        let Item::Pat { actions, .. } = &menu.items[0] else {
            panic!()
        };
        assert!(
            !actions.contains(&PatAction::RenewItself),
            "a global PAT's replacement needs an organization chosen"
        );
    }

    #[test]
    fn a_quiet_menu_still_has_quit() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let menu = build(&[pat("far", 24 * 90, Status::Active)], now, &TimeZone::UTC);
        assert!(!menu.needs_attention);
        assert_eq!(menu.tooltip, "AdoPat: no PAT needs attention");
        assert_eq!(labels(&menu).last(), Some(&"Quit"));
        let one = build(&[pat("ci", 30, Status::Active)], now, &TimeZone::UTC);
        assert_eq!(one.tooltip, "1 PAT expires this week");
    }

    #[test]
    fn without_notifications_the_menu_and_tooltip_say_so_and_keep_the_attention() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let menu =
            build(&[pat("ci", 30, Status::Active)], now, &TimeZone::UTC).noting(NO_NOTIFICATIONS);
        assert!(menu.needs_attention);
        assert_eq!(labels(&menu)[0], NO_NOTIFICATIONS);
        assert_eq!(
            menu.tooltip,
            "1 PAT expires this week (reminders cannot be shown as notifications here)"
        );
        assert!(labels(&menu).iter().any(|l| l.starts_with("ci (contoso)")));
    }
}
