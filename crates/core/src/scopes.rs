//! The Azure DevOps scope catalog, as data.
//!
//! A PAT's `scope` is a space-delimited string of scope ids such as
//! `"vso.code_write vso.packaging"`, or `"app_token"` for full access
//! (`docs/ado-pat-api.md` section 7).
//!
//! The table follows Microsoft's "available scopes" table (DOCS
//! `docs/integrate/includes/scopes.md`, ms.date 2025-07-16): its categories,
//! its order and its high-privilege flags. Display names keep that table's
//! name and shorten the level (for example "Code (read, write, and manage)"
//! becomes "Code (read, write & manage)"). Some ids are not in that table and
//! were added from other sources: `app_token`, `vso.pats`, `vso.pats_manage`,
//! `vso.governance`, `vso.drop_write`, `vso.loadtest` and `vso.loadtest_write`.
//!
//! `selectable` is false for scopes that the PAT page does not offer: the ones
//! the table marks "No longer public", `vso.governance` (DOCS say it "isn't
//! selectable in the UI"), the Entra-only scopes and the retired ones.

use serde::Serialize;

use ScopeLevel::{Execute, Full, Manage, Other, Read, ReadWrite};

/// The access level of a scope.
///
/// The scope picker groups each category's scopes by level. Levels that don't
/// fit read, write, execute or manage are [`ScopeLevel::Other`]. Examples are
/// `vso.code_status`, `vso.gallery_publish` and `vso.pipelineresources_use`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ScopeLevel {
    Read,
    ReadWrite,
    Execute,
    Manage,
    Full,
    Other,
}

/// One scope that a PAT can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scope {
    /// The id as the service spells it, for example `vso.code_write`.
    pub id: &'static str,
    /// A short display name, for example "Code (read & write)".
    pub name: &'static str,
    /// The category that groups the scope in the picker, for example "Code".
    pub category: &'static str,
    pub level: ScopeLevel,
    /// True where Microsoft's table flags the scope as high-privilege.
    /// `app_token` is also true: it includes every high-privilege scope.
    pub high_privilege: bool,
    /// False for scopes that the PAT page does not offer.
    pub selectable: bool,
}

/// The scope id for a full-access PAT.
pub const FULL_ACCESS: &str = "app_token";

impl Scope {
    /// "Code" of "Code (read & write)": what the picker groups levels under.
    pub fn resource(&self) -> &'static str {
        self.split_name().0
    }

    /// "read & write" of "Code (read & write)": the level in the scope's own words.
    pub fn level_text(&self) -> Option<&'static str> {
        self.split_name().1
    }

    pub fn is_full_access(&self) -> bool {
        self.id == FULL_ACCESS
    }

    fn split_name(&self) -> (&'static str, Option<&'static str>) {
        let name = self.name;
        match (name.find('('), name.strip_suffix(')')) {
            (Some(open), Some(_)) => (
                name[..open].trim_end(),
                Some(&name[open + 1..name.len() - 1]),
            ),
            _ => (name, None),
        }
    }
}

const fn scope(
    id: &'static str,
    name: &'static str,
    category: &'static str,
    level: ScopeLevel,
    high_privilege: bool,
    selectable: bool,
) -> Scope {
    Scope {
        id,
        name,
        category,
        level,
        high_privilege,
        selectable,
    }
}

/// High-privilege flag values, named so that the table stays readable.
const HIGH: bool = true;
const LOW: bool = false;
/// Selectable flag values.
const UI: bool = true;
const NO_UI: bool = false;

#[rustfmt::skip]
static CATALOG: &[Scope] = &[
    scope(FULL_ACCESS, "Full access", "Full access", Full, HIGH, UI),
    // Advanced Security
    scope("vso.advsec", "Advanced Security (read)", "Advanced Security", Read, HIGH, UI),
    scope("vso.advsec_write", "Advanced Security (read & write)", "Advanced Security", ReadWrite, HIGH, UI),
    scope("vso.advsec_manage", "Advanced Security (read, write & manage)", "Advanced Security", Manage, HIGH, UI),
    // Agent Pools
    scope("vso.agentpools", "Agent Pools (read)", "Agent Pools", Read, LOW, UI),
    scope("vso.agentpools_manage", "Agent Pools (read & manage)", "Agent Pools", Manage, HIGH, UI),
    scope("vso.environment_manage", "Environment (read & manage)", "Agent Pools", Manage, HIGH, UI),
    // Analytics
    scope("vso.analytics", "Analytics (read)", "Analytics", Read, LOW, UI),
    // Auditing. Microsoft's table names vso.auditstreams_manage "Audit Streams (read)";
    // its id and description say manage.
    scope("vso.auditlog", "Audit Log (read)", "Auditing", Read, LOW, UI),
    scope("vso.auditstreams_manage", "Audit Streams (manage)", "Auditing", Manage, HIGH, UI),
    // Build
    scope("vso.build", "Build (read)", "Build", Read, LOW, UI),
    scope("vso.build_execute", "Build (read & execute)", "Build", Execute, HIGH, UI),
    // Code
    scope("vso.code", "Code (read)", "Code", Read, LOW, UI),
    scope("vso.code_write", "Code (read & write)", "Code", ReadWrite, HIGH, UI),
    scope("vso.code_manage", "Code (read, write & manage)", "Code", Manage, HIGH, UI),
    scope("vso.code_full", "Code (full)", "Code", Full, HIGH, UI),
    scope("vso.code_status", "Code (status)", "Code", Other, LOW, UI),
    // Component Governance: not in the table; DOCS say it isn't selectable in the UI.
    scope("vso.governance", "Component Governance (read)", "Component Governance", Read, LOW, NO_UI),
    // Connected Server
    scope("vso.connected_server", "Connected Server", "Connected Server", Other, LOW, UI),
    // Drop: not in any version of the table that was read.
    scope("vso.drop_write", "Drop (read & write)", "Drop", ReadWrite, LOW, NO_UI),
    // Entitlements
    scope("vso.entitlements", "Entitlements (read)", "Entitlements", Read, LOW, UI),
    scope("vso.memberentitlementmanagement", "Member Entitlement Management (read)", "Entitlements", Read, LOW, UI),
    scope("vso.memberentitlementmanagement_write", "Member Entitlement Management (read & write)", "Entitlements", ReadWrite, HIGH, UI),
    // Extensions
    scope("vso.extension", "Extensions (read)", "Extensions", Read, LOW, UI),
    scope("vso.extension_manage", "Extensions (read & manage)", "Extensions", Manage, HIGH, UI),
    scope("vso.extension.data", "Extension data (read)", "Extensions", Read, LOW, UI),
    scope("vso.extension.data_write", "Extension data (read & write)", "Extensions", ReadWrite, LOW, UI),
    // GitHub Connections
    scope("vso.githubconnections", "GitHub Connections (read)", "GitHub Connections", Read, LOW, UI),
    scope("vso.githubconnections_manage", "GitHub Connections (read & manage)", "GitHub Connections", Manage, HIGH, UI),
    // Graph & identity
    scope("vso.graph", "Graph (read)", "Graph & identity", Read, LOW, UI),
    scope("vso.graph_manage", "Graph (manage)", "Graph & identity", Manage, HIGH, UI),
    scope("vso.identity", "Identity (read)", "Graph & identity", Read, LOW, UI),
    scope("vso.identity_manage", "Identity (manage)", "Graph & identity", Manage, HIGH, UI),
    // Load Test: only in older versions of the table; the service is retired.
    scope("vso.loadtest", "Load test (read)", "Load Test", Read, LOW, NO_UI),
    scope("vso.loadtest_write", "Load test (read & write)", "Load Test", ReadWrite, LOW, NO_UI),
    // Machine Group
    scope("vso.machinegroup_manage", "Deployment group (read & manage)", "Machine Group", Manage, HIGH, UI),
    // Marketplace
    scope("vso.gallery", "Marketplace (read)", "Marketplace", Read, LOW, UI),
    scope("vso.gallery_acquire", "Marketplace (acquire)", "Marketplace", Other, LOW, UI),
    scope("vso.gallery_publish", "Marketplace (publish)", "Marketplace", Other, HIGH, UI),
    scope("vso.gallery_manage", "Marketplace (manage)", "Marketplace", Manage, HIGH, UI),
    // Notifications
    scope("vso.notification", "Notifications (read)", "Notifications", Read, LOW, UI),
    scope("vso.notification_write", "Notifications (read & write)", "Notifications", ReadWrite, LOW, UI),
    scope("vso.notification_manage", "Notifications (manage)", "Notifications", Manage, LOW, UI),
    scope("vso.notification_diagnostics", "Notifications (diagnostics)", "Notifications", Other, LOW, UI),
    // Packaging
    scope("vso.packaging", "Packaging (read)", "Packaging", Read, LOW, UI),
    scope("vso.packaging_write", "Packaging (read & write)", "Packaging", ReadWrite, HIGH, UI),
    scope("vso.packaging_manage", "Packaging (read, write & manage)", "Packaging", Manage, HIGH, UI),
    // Pipeline Resources
    scope("vso.pipelineresources_use", "Pipeline Resources (use)", "Pipeline Resources", Other, HIGH, UI),
    scope("vso.pipelineresources_manage", "Pipeline Resources (use & manage)", "Pipeline Resources", Manage, HIGH, UI),
    // Project and Team
    scope("vso.project", "Project and team (read)", "Project and Team", Read, LOW, UI),
    scope("vso.project_write", "Project and team (read & write)", "Project and Team", ReadWrite, LOW, UI),
    scope("vso.project_manage", "Project and team (read, write & manage)", "Project and Team", Manage, HIGH, UI),
    // Release
    scope("vso.release", "Release (read)", "Release", Read, LOW, UI),
    scope("vso.release_execute", "Release (read, write & execute)", "Release", Execute, HIGH, UI),
    scope("vso.release_manage", "Release (read, write, execute & manage)", "Release", Manage, HIGH, UI),
    // Secure Files
    scope("vso.securefiles_read", "Secure Files (read)", "Secure Files", Read, HIGH, UI),
    scope("vso.securefiles_write", "Secure Files (read & create)", "Secure Files", ReadWrite, HIGH, UI),
    scope("vso.securefiles_manage", "Secure Files (read, create & manage)", "Secure Files", Manage, HIGH, UI),
    // Security
    scope("vso.security_manage", "Security (manage)", "Security", Manage, HIGH, UI),
    // Service Connections
    scope("vso.serviceendpoint", "Service Endpoints (read)", "Service Connections", Read, LOW, UI),
    scope("vso.serviceendpoint_query", "Service Endpoints (read & query)", "Service Connections", Other, LOW, UI),
    scope("vso.serviceendpoint_manage", "Service Endpoints (read, query & manage)", "Service Connections", Manage, HIGH, UI),
    // Service Hooks: the table marks all three "No longer public".
    scope("vso.hooks", "Service hooks (read)", "Service Hooks", Read, LOW, NO_UI),
    scope("vso.hooks_write", "Service hooks (read & write)", "Service Hooks", ReadWrite, LOW, NO_UI),
    scope("vso.hooks_interact", "Service hooks (interact)", "Service Hooks", Other, LOW, NO_UI),
    // Settings
    scope("vso.settings", "Settings (read)", "Settings", Read, LOW, UI),
    scope("vso.settings_write", "Settings (read & write)", "Settings", ReadWrite, LOW, UI),
    // Symbols
    scope("vso.symbols", "Symbols (read)", "Symbols", Read, LOW, UI),
    scope("vso.symbols_write", "Symbols (read & write)", "Symbols", ReadWrite, LOW, UI),
    scope("vso.symbols_manage", "Symbols (read, write & manage)", "Symbols", Manage, LOW, UI),
    // Task Groups
    scope("vso.taskgroups_read", "Task Groups (read)", "Task Groups", Read, LOW, UI),
    scope("vso.taskgroups_write", "Task Groups (read & create)", "Task Groups", ReadWrite, LOW, UI),
    scope("vso.taskgroups_manage", "Task Groups (read, create & manage)", "Task Groups", Manage, HIGH, UI),
    // Team Dashboard
    scope("vso.dashboards", "Team dashboards (read)", "Team Dashboard", Read, LOW, UI),
    scope("vso.dashboards_manage", "Team dashboards (manage)", "Team Dashboard", Manage, LOW, UI),
    // Test Management
    scope("vso.test", "Test management (read)", "Test Management", Read, LOW, UI),
    scope("vso.test_write", "Test management (read & write)", "Test Management", ReadWrite, LOW, UI),
    // Threads
    scope("vso.threads_full", "PR threads (read & write)", "Threads", ReadWrite, LOW, UI),
    // Tokens. vso.pats and vso.pats_manage are Entra scopes for the PAT API
    // itself (SPEC 7.2 securityDefinitions.EntraOAuth); a PAT can't call that API.
    scope("vso.tokens", "Delegated Authorization Tokens (manage)", "Tokens", Manage, HIGH, UI),
    scope("vso.tokenadministration", "Token Administration (manage)", "Tokens", Manage, HIGH, UI),
    scope("vso.pats", "PATs (read)", "Tokens", Read, LOW, NO_UI),
    scope("vso.pats_manage", "PATs (read & manage)", "Tokens", Manage, LOW, NO_UI),
    // User Profile
    scope("vso.profile", "User profile (read)", "User Profile", Read, LOW, UI),
    scope("vso.profile_write", "User profile (read & write)", "User Profile", ReadWrite, LOW, UI),
    // Variable Groups
    scope("vso.variablegroups_read", "Variable Groups (read)", "Variable Groups", Read, LOW, UI),
    scope("vso.variablegroups_write", "Variable Groups (read & create)", "Variable Groups", ReadWrite, LOW, UI),
    scope("vso.variablegroups_manage", "Variable Groups (read, create & manage)", "Variable Groups", Manage, HIGH, UI),
    // Wiki
    scope("vso.wiki", "Wiki (read)", "Wiki", Read, LOW, UI),
    scope("vso.wiki_write", "Wiki (read & write)", "Wiki", ReadWrite, LOW, UI),
    // Work Items
    scope("vso.work", "Work items (read)", "Work Items", Read, LOW, UI),
    scope("vso.work_write", "Work items (read & write)", "Work Items", ReadWrite, LOW, UI),
    scope("vso.work_full", "Work items (full)", "Work Items", Full, LOW, UI),
    // User Impersonation: Entra only, never a PAT scope.
    scope("user_impersonation", "User Impersonation", "User Impersonation", Full, HIGH, NO_UI),
];

/// Every known scope, in picker order: full access first, then by category.
pub fn catalog() -> &'static [Scope] {
    CATALOG
}

/// Looks up a scope by its exact id. Case matters, as it does for the service.
pub fn find(id: &str) -> Option<&'static Scope> {
    CATALOG.iter().find(|s| s.id == id)
}

/// The categories in catalog order, each once.
pub fn categories() -> impl Iterator<Item = &'static str> {
    CATALOG
        .iter()
        .enumerate()
        .filter(|&(i, s)| !CATALOG[..i].iter().any(|p| p.category == s.category))
        .map(|(_, s)| s.category)
}

/// A short human summary for a table column.
///
/// Known ids show their display name and unknown ids show as they are, in the
/// given order. `["vso.code_write", "vso.packaging"]` gives
/// "Code (read & write), Packaging (read)" and `["app_token"]` gives
/// "Full access". With more than `max` ids, the first `max` are shown and then
/// " +N" for the rest, for example "Code (read) +2". With `max == 0` the
/// summary is only "+N".
pub fn summarize(ids: &[impl AsRef<str>], max: usize) -> String {
    let mut out = ids
        .iter()
        .take(max)
        .map(|id| {
            let id = id.as_ref();
            find(id).map_or(id, |s| s.name)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let rest = ids.len().saturating_sub(max);
    if rest > 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push('+');
        out.push_str(&rest.to_string());
    }
    out
}

/// Splits a scope string as the service stores it (space-delimited, for example
/// `"vso.code vso.packaging"`) into ids. Extra whitespace is ignored.
pub fn split(scope: &str) -> Vec<String> {
    scope.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_scope_name_gives_its_resource_and_level() {
        let code = find("vso.code_write").unwrap();
        assert_eq!(code.resource(), "Code");
        assert_eq!(code.level_text(), Some("read & write"));
        let full = find(FULL_ACCESS).unwrap();
        assert!(full.is_full_access());
        assert_eq!(full.level_text(), None);
    }

    use super::*;
    use std::collections::HashSet;

    /// The scopes that Microsoft's table (ms.date 2025-07-16) flags high-privilege.
    const HIGH_PRIVILEGE_IDS: &[&str] = &[
        "vso.advsec",
        "vso.advsec_write",
        "vso.advsec_manage",
        "vso.agentpools_manage",
        "vso.environment_manage",
        "vso.auditstreams_manage",
        "vso.build_execute",
        "vso.code_write",
        "vso.code_manage",
        "vso.code_full",
        "vso.memberentitlementmanagement_write",
        "vso.extension_manage",
        "vso.githubconnections_manage",
        "vso.graph_manage",
        "vso.identity_manage",
        "vso.machinegroup_manage",
        "vso.gallery_publish",
        "vso.gallery_manage",
        "vso.packaging_write",
        "vso.packaging_manage",
        "vso.pipelineresources_use",
        "vso.pipelineresources_manage",
        "vso.project_manage",
        "vso.release_execute",
        "vso.release_manage",
        "vso.securefiles_read",
        "vso.securefiles_write",
        "vso.securefiles_manage",
        "vso.security_manage",
        "vso.serviceendpoint_manage",
        "vso.taskgroups_manage",
        "vso.tokens",
        "vso.tokenadministration",
        "vso.variablegroups_manage",
        "user_impersonation",
    ];

    #[test]
    fn catalog_has_no_duplicate_ids() {
        let mut seen = HashSet::new();
        for s in catalog() {
            assert!(seen.insert(s.id), "duplicate id {}", s.id);
        }
    }

    #[test]
    /// The scopes of `docs/ado-pat-api.md` section 7 (Microsoft's table and the ones it
    /// misses), as the emulator knows them in Azure DevOps' place: AdoPat offers exactly
    /// what the service accepts.
    fn catalog_holds_exactly_the_scopes_the_service_knows() {
        let known = adopat_emulator::known_scopes();
        for id in known {
            assert!(find(id).is_some(), "missing {id}");
        }
        let listed: HashSet<_> = known.iter().copied().collect();
        for s in catalog() {
            assert!(listed.contains(s.id), "{} is not in section 7", s.id);
        }
        assert_eq!(catalog().len(), known.len());
    }

    #[test]
    fn entries_are_well_formed() {
        let mut names = HashSet::new();
        for s in catalog() {
            assert!(!s.id.is_empty() && !s.id.contains(char::is_whitespace));
            assert!(!s.category.is_empty(), "{}", s.id);
            assert!(names.insert(s.name), "duplicate name {}", s.name);
            match s.level {
                Read => assert!(s.name.ends_with(" (read)"), "{}", s.name),
                Manage => assert!(s.name.ends_with("manage)"), "{}", s.name),
                Full if s.id.ends_with("_full") => {
                    assert!(s.name.ends_with(" (full)"), "{}", s.name);
                }
                _ => {}
            }
        }
    }

    #[test]
    fn full_access_is_app_token() {
        assert_eq!(FULL_ACCESS, "app_token");
        let s = find(FULL_ACCESS).expect("app_token");
        assert_eq!(s.name, "Full access");
        assert_eq!(s.category, "Full access");
        assert_eq!(s.level, Full);
        assert!(s.selectable);
        assert_eq!(catalog()[0].id, FULL_ACCESS);
    }

    #[test]
    fn high_privilege_flags_follow_the_table() {
        for s in catalog() {
            let expected = s.id == FULL_ACCESS || HIGH_PRIVILEGE_IDS.contains(&s.id);
            assert_eq!(s.high_privilege, expected, "{}", s.id);
        }
    }

    #[test]
    fn unoffered_scopes_are_not_selectable() {
        for id in [
            "user_impersonation",
            "vso.hooks",
            "vso.hooks_write",
            "vso.hooks_interact",
            "vso.governance",
            "vso.pats",
            "vso.pats_manage",
            "vso.loadtest",
            "vso.loadtest_write",
            "vso.drop_write",
        ] {
            assert!(!find(id).expect(id).selectable, "{id}");
        }
        for id in ["vso.code", "vso.packaging_write", "vso.work_full"] {
            assert!(find(id).expect(id).selectable, "{id}");
        }
    }

    #[test]
    fn levels_and_categories() {
        let code = find("vso.code").expect("vso.code");
        assert_eq!((code.category, code.level), ("Code", Read));
        assert_eq!(find("vso.code_write").map(|s| s.level), Some(ReadWrite));
        assert_eq!(find("vso.code_manage").map(|s| s.level), Some(Manage));
        assert_eq!(find("vso.build_execute").map(|s| s.level), Some(Execute));
        assert_eq!(find("vso.code_status").map(|s| s.level), Some(Other));
        let env = find("vso.environment_manage").expect("environment");
        assert_eq!(env.category, "Agent Pools");
    }

    #[test]
    fn find_is_exact_and_case_sensitive() {
        assert!(find("vso.code").is_some());
        assert!(find("VSO.CODE").is_none());
        assert!(find("vso.Code").is_none());
        assert!(find(" vso.code").is_none());
        assert!(find("vso.cod").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn categories_are_deduplicated_in_catalog_order() {
        let cats: Vec<_> = categories().collect();
        let unique: HashSet<_> = cats.iter().collect();
        assert_eq!(unique.len(), cats.len());
        assert_eq!(
            &cats[..5],
            [
                "Full access",
                "Advanced Security",
                "Agent Pools",
                "Analytics",
                "Auditing"
            ]
        );
        assert_eq!(cats.last(), Some(&"User Impersonation"));
        let from_catalog: HashSet<_> = catalog().iter().map(|s| s.category).collect();
        assert_eq!(unique.len(), from_catalog.len());
        assert!(cats.contains(&"Graph & identity"));
    }

    #[test]
    fn summarize_examples() {
        assert_eq!(
            summarize(&["vso.code_write", "vso.packaging"], 3),
            "Code (read & write), Packaging (read)"
        );
        assert_eq!(summarize(&["app_token"], 3), "Full access");
        assert_eq!(
            summarize(&["vso.code", "vso.work_write", "vso.wiki", "vso.test"], 2),
            "Code (read), Work items (read & write) +2"
        );
        assert_eq!(
            summarize(&["vso.code", "vso.wiki"], 2),
            "Code (read), Wiki (read)"
        );
        assert_eq!(
            summarize(&["vso.nonesuch", "vso.packaging_write"], 5),
            "vso.nonesuch, Packaging (read & write)"
        );
        assert_eq!(summarize(&["VSO.CODE"], 5), "VSO.CODE");
        assert_eq!(summarize(&["vso.code", "vso.wiki"], 0), "+2");
        assert_eq!(summarize(&[] as &[&str], 3), "");
        let owned = split("vso.code_write  vso.packaging");
        assert_eq!(summarize(&owned, 1), "Code (read & write) +1");
    }

    #[test]
    fn split_ignores_extra_whitespace() {
        assert_eq!(
            split("vso.code vso.packaging"),
            ["vso.code", "vso.packaging"]
        );
        assert_eq!(
            split("  vso.dashboards \t vso.taskgroups_manage\n"),
            ["vso.dashboards", "vso.taskgroups_manage"]
        );
        assert_eq!(split("app_token"), ["app_token"]);
        assert!(split("").is_empty());
        assert!(split("   ").is_empty());
    }

    #[test]
    fn serializes_in_camel_case() {
        let json =
            serde_json::to_value(find("vso.packaging_write").expect("scope")).expect("serialize");
        assert_eq!(
            json,
            serde_json::json!({
                "id": "vso.packaging_write",
                "name": "Packaging (read & write)",
                "category": "Packaging",
                "level": "readWrite",
                "highPrivilege": true,
                "selectable": true,
            })
        );
    }
}
