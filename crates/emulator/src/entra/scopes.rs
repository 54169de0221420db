//! The `scope` parameter: Azure DevOps' delegated permissions, written
//! `499b84ac-1321-427f-aa17-267ca6975798/<name>` (or with the resource URI
//! `https://app.vssps.visualstudio.com/` in front), plus the OpenID Connect scopes.
//!
//! Azure DevOps is the only resource this emulator issues tokens for, so a request must
//! name at least one of its scopes, and naming another resource is refused. `.default`
//! stands for what the client was consented: `user_impersonation`, the permission the
//! pre-authorized public clients hold.

use super::AZURE_DEVOPS;
use super::errors::Failure;
use crate::params::Params;
use crate::scopes;

const RESOURCE_URI: &str = "https://app.vssps.visualstudio.com/";
const DEFAULT: &str = ".default";
const IMPERSONATION: &str = "user_impersonation";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scopes {
    /// Azure DevOps permissions by name (`user_impersonation`, `vso.pats`, …), in the
    /// order asked, `.default` already resolved.
    resource: Vec<String>,
    pub(crate) openid: bool,
    pub(crate) profile: bool,
    pub(crate) email: bool,
    pub(crate) offline_access: bool,
}

impl Scopes {
    /// A redemption's optional `scope`: none (or blank) keeps the grant's own.
    pub(crate) fn requested(form: &Params) -> Result<Option<Scopes>, Failure> {
        match form.get("scope").map(str::trim) {
            Some(text) if !text.is_empty() => Scopes::parse(text).map(Some),
            _ => Ok(None),
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Scopes, Failure> {
        let mut scopes = Scopes::default();
        let mut saw_default = false;
        for part in text.split_whitespace() {
            if part.eq_ignore_ascii_case("openid") {
                scopes.openid = true;
            } else if part.eq_ignore_ascii_case("profile") {
                scopes.profile = true;
            } else if part.eq_ignore_ascii_case("email") {
                scopes.email = true;
            } else if part.eq_ignore_ascii_case("offline_access") {
                scopes.offline_access = true;
            } else if let Some(name) = permission(part) {
                if name.eq_ignore_ascii_case(DEFAULT) {
                    saw_default = true;
                    scopes.add(IMPERSONATION);
                } else if is_permission(name) {
                    scopes.add(&name.to_ascii_lowercase());
                } else {
                    return Err(Failure::invalid_scope(&format!(
                        "The scope {part} is not a permission of Azure DevOps."
                    )));
                }
            } else {
                return Err(Failure::invalid_scope(&format!(
                    "The scope {part} is not valid: this emulator issues tokens for Azure \
                     DevOps ({AZURE_DEVOPS}) only."
                )));
            }
        }
        if saw_default && scopes.resource.len() > 1 {
            return Err(Failure::invalid_scope(
                "The scope .default cannot be combined with other Azure DevOps scopes.",
            ));
        }
        if scopes.resource.is_empty() {
            return Err(Failure::invalid_scope(&format!(
                "It must name an Azure DevOps scope, such as {AZURE_DEVOPS}/.default."
            )));
        }
        Ok(scopes)
    }

    /// The scopes a redemption yields: the permissions the token request names (when it
    /// names a `scope`), and the OpenID Connect scopes of either request.
    pub(crate) fn redeemed_with(&self, requested: Option<Scopes>) -> Scopes {
        match requested {
            None => self.clone(),
            Some(requested) => Scopes {
                resource: requested.resource,
                openid: self.openid || requested.openid,
                profile: self.profile || requested.profile,
                email: self.email || requested.email,
                offline_access: self.offline_access || requested.offline_access,
            },
        }
    }

    fn add(&mut self, name: &str) {
        if !self.resource.iter().any(|known| known == name) {
            self.resource.push(name.to_owned());
        }
    }

    /// The permissions in the access token's `scp` claim.
    pub(crate) fn scp(&self) -> String {
        self.resource.join(" ")
    }

    /// What the token response's `scope` names: the permissions granted, then the
    /// OpenID Connect scopes asked for (`offline_access` is not echoed).
    pub(crate) fn granted(&self) -> String {
        let mut parts: Vec<String> = self
            .resource
            .iter()
            .map(|name| format!("{AZURE_DEVOPS}/{name}"))
            .collect();
        for (asked, name) in [
            (self.profile, "profile"),
            (self.openid, "openid"),
            (self.email, "email"),
        ] {
            if asked {
                parts.push(name.to_owned());
            }
        }
        parts.join(" ")
    }

    /// For the consent page.
    pub(crate) fn listed(&self) -> Vec<String> {
        let mut listed: Vec<String> = self
            .resource
            .iter()
            .map(|name| format!("Azure DevOps: {name}"))
            .collect();
        if self.openid || self.profile || self.email {
            listed.push("Sign you in and read your profile".to_owned());
        }
        if self.offline_access {
            listed.push("Maintain access to data you have given it access to".to_owned());
        }
        listed
    }
}

/// The permission name of an Azure DevOps scope, or `None` for another resource.
fn permission(scope: &str) -> Option<&str> {
    let lower = scope.to_ascii_lowercase();
    for prefix in [format!("{AZURE_DEVOPS}/"), RESOURCE_URI.to_owned()] {
        if lower.starts_with(&prefix) {
            return scope.get(prefix.len()..);
        }
    }
    None
}

fn is_permission(name: &str) -> bool {
    name.eq_ignore_ascii_case(IMPERSONATION)
        || (!scopes::has_full_access(name) && scopes::normalise(name).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stands_for_user_impersonation() {
        let scopes = Scopes::parse(
            "499b84ac-1321-427f-aa17-267ca6975798/.default offline_access openid profile",
        )
        .unwrap();
        assert_eq!(
            scopes.granted(),
            "499b84ac-1321-427f-aa17-267ca6975798/user_impersonation profile openid"
        );
        assert!(scopes.offline_access && scopes.openid);
        assert_eq!(scopes.scp(), "user_impersonation");
    }

    #[test]
    fn granular_scopes_and_the_resource_uri() {
        let scopes = Scopes::parse(
            "https://app.vssps.visualstudio.com/vso.pats 499b84ac-1321-427f-aa17-267ca6975798/VSO.PATS_MANAGE",
        )
        .unwrap();
        assert_eq!(scopes.scp(), "vso.pats vso.pats_manage");
        assert!(!scopes.offline_access);
    }

    #[test]
    fn refusals() {
        for bad in [
            "openid offline_access",
            "",
            "https://graph.microsoft.com/User.Read 499b84ac-1321-427f-aa17-267ca6975798/.default",
            "499b84ac-1321-427f-aa17-267ca6975798/app_token",
            "499b84ac-1321-427f-aa17-267ca6975798/nope",
            "499b84ac-1321-427f-aa17-267ca6975798/.default 499b84ac-1321-427f-aa17-267ca6975798/vso.pats",
        ] {
            let failure = Scopes::parse(bad).unwrap_err();
            assert_eq!(failure.error, "invalid_scope", "{bad}");
            assert_eq!(failure.code, 70011);
        }
    }
}
