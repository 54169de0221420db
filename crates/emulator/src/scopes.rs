//! The scope strings a PAT may carry: the documented table (learn.microsoft.com
//! "available scopes"), `app_token` for full access, and the ones the table misses but
//! the service knows (see docs/ado-pat-api.md §7).

pub(crate) const FULL_ACCESS: &str = "app_token";

pub(crate) const KNOWN: &[&str] = &[
    FULL_ACCESS,
    "vso.advsec",
    "vso.advsec_write",
    "vso.advsec_manage",
    "vso.agentpools",
    "vso.agentpools_manage",
    "vso.environment_manage",
    "vso.analytics",
    "vso.auditlog",
    "vso.auditstreams_manage",
    "vso.build",
    "vso.build_execute",
    "vso.code",
    "vso.code_write",
    "vso.code_manage",
    "vso.code_full",
    "vso.code_status",
    "vso.connected_server",
    "vso.entitlements",
    "vso.memberentitlementmanagement",
    "vso.memberentitlementmanagement_write",
    "vso.extension",
    "vso.extension_manage",
    "vso.extension.data",
    "vso.extension.data_write",
    "vso.githubconnections",
    "vso.githubconnections_manage",
    "vso.graph",
    "vso.graph_manage",
    "vso.identity",
    "vso.identity_manage",
    "vso.machinegroup_manage",
    "vso.gallery",
    "vso.gallery_acquire",
    "vso.gallery_publish",
    "vso.gallery_manage",
    "vso.notification",
    "vso.notification_write",
    "vso.notification_manage",
    "vso.notification_diagnostics",
    "vso.packaging",
    "vso.packaging_write",
    "vso.packaging_manage",
    "vso.pipelineresources_use",
    "vso.pipelineresources_manage",
    "vso.project",
    "vso.project_write",
    "vso.project_manage",
    "vso.release",
    "vso.release_execute",
    "vso.release_manage",
    "vso.securefiles_read",
    "vso.securefiles_write",
    "vso.securefiles_manage",
    "vso.security_manage",
    "vso.serviceendpoint",
    "vso.serviceendpoint_query",
    "vso.serviceendpoint_manage",
    "vso.hooks",
    "vso.hooks_write",
    "vso.hooks_interact",
    "vso.settings",
    "vso.settings_write",
    "vso.symbols",
    "vso.symbols_write",
    "vso.symbols_manage",
    "vso.taskgroups_read",
    "vso.taskgroups_write",
    "vso.taskgroups_manage",
    "vso.dashboards",
    "vso.dashboards_manage",
    "vso.test",
    "vso.test_write",
    "vso.threads_full",
    "vso.tokens",
    "vso.tokenadministration",
    "vso.profile",
    "vso.profile_write",
    "vso.variablegroups_read",
    "vso.variablegroups_write",
    "vso.variablegroups_manage",
    "vso.wiki",
    "vso.wiki_write",
    "vso.work",
    "vso.work_write",
    "vso.work_full",
    "user_impersonation",
    // Not in the table, yet accepted by the service.
    "vso.pats",
    "vso.pats_manage",
    "vso.governance",
    "vso.drop_write",
    "vso.loadtest",
    "vso.loadtest_write",
];

/// A scope string, normalised to single spaces, or the first scope that is unknown.
pub(crate) fn normalise(scope: &str) -> Result<String, String> {
    let parts: Vec<&str> = scope.split_whitespace().collect();
    if parts.is_empty() {
        return Err(String::new());
    }
    if let Some(unknown) = parts.iter().find(|part| !is_known(part)) {
        return Err((*unknown).to_owned());
    }
    Ok(parts.join(" "))
}

/// A Packaging scope (`vso.packaging`, `_write`, `_manage`).
pub(crate) fn is_packaging(scope: &str) -> bool {
    let scope = scope.to_ascii_lowercase();
    scope == "vso.packaging" || scope.starts_with("vso.packaging_")
}

pub(crate) fn has_full_access(scope: &str) -> bool {
    scope
        .split_whitespace()
        .any(|part| part.eq_ignore_ascii_case(FULL_ACCESS))
}

fn is_known(scope: &str) -> bool {
    KNOWN.iter().any(|known| known.eq_ignore_ascii_case(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_whitespace_and_names_the_unknown_scope() {
        assert_eq!(
            normalise("  vso.code   vso.packaging "),
            Ok("vso.code vso.packaging".to_owned())
        );
        assert_eq!(normalise("vso.code vso.nope"), Err("vso.nope".to_owned()));
        assert_eq!(normalise("   "), Err(String::new()));
    }

    #[test]
    fn full_access_is_app_token() {
        assert!(has_full_access("vso.code app_token"));
        assert!(!has_full_access("vso.code"));
        assert!(normalise("app_token").is_ok());
        assert!(normalise("vso.pats_manage vso.loadtest_write").is_ok());
    }
}
