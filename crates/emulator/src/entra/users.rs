//! Who signs in, by the tenant in the path: `organizations` and `common` mean the default
//! user (or whoever `login_hint` names); a tenant id, or the domain of a user's email,
//! means that tenant's (first) user; `consumers` is refused, as Azure DevOps needs a
//! work or school account; anything else is a tenant that does not exist.

use uuid::Uuid;

use super::errors::Failure;
use crate::state::{Store, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// `organizations` or `common`: any work or school account.
    AnyTenant,
    Tenant(Uuid),
}

impl Route {
    pub(crate) fn of(store: &Store, segment: &str) -> Result<Route, Failure> {
        let segment = segment.trim();
        if segment.eq_ignore_ascii_case("organizations") || segment.eq_ignore_ascii_case("common") {
            return Ok(Route::AnyTenant);
        }
        if segment.eq_ignore_ascii_case("consumers") {
            return Err(Failure::consumers());
        }
        if let Ok(id) = Uuid::parse_str(segment) {
            if store.users.iter().any(|user| user.tenant == id) {
                return Ok(Route::Tenant(id));
            }
            return Err(Failure::tenant_not_found(segment));
        }
        store
            .users
            .iter()
            .find(|user| {
                user.email
                    .rsplit_once('@')
                    .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(segment))
            })
            .map(|user| Route::Tenant(user.tenant))
            .ok_or_else(|| Failure::tenant_not_found(segment))
    }

    /// Whether a grant of `user` may be redeemed through this route.
    pub(crate) fn admits(self, user: &User) -> bool {
        match self {
            Route::AnyTenant => true,
            Route::Tenant(tenant) => user.tenant == tenant,
        }
    }

    /// Whether the user a grant was issued to may redeem it through this route.
    pub(crate) fn admits_id(self, store: &Store, user: Uuid) -> bool {
        store.user(user).is_some_and(|user| self.admits(user))
    }

    /// The user who signs in: the one `login_hint` names if the route admits them,
    /// else the default user or the tenant's first.
    pub(crate) fn user<'a>(self, store: &'a Store, login_hint: Option<&str>) -> Option<&'a User> {
        let hinted = login_hint.and_then(|hint| {
            store
                .users
                .iter()
                .find(|user| user.email.eq_ignore_ascii_case(hint.trim()) && self.admits(user))
        });
        hinted.or_else(|| match self {
            Route::AnyTenant => store.default_user(),
            Route::Tenant(tenant) => store.users.iter().find(|user| user.tenant == tenant),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::TENANT_ID;
    use jiff::Timestamp;

    fn store() -> Store {
        let mut store = Store::default();
        for (n, tenant, email) in [
            (1, TENANT_ID, "ann@contoso.com"),
            (2, Uuid::from_u128(9), "bo@fabrikam.com"),
            (3, TENANT_ID, "cy@contoso.com"),
        ] {
            store.users.push(User {
                id: Uuid::from_u128(n),
                tenant,
                display_name: email.into(),
                email: email.into(),
                orgs: vec![],
                profile_time: Timestamp::UNIX_EPOCH,
            });
        }
        store
    }

    #[test]
    fn aliases_ids_and_domains() {
        let store = store();
        let any = Route::of(&store, "organizations").unwrap();
        assert_eq!(any, Route::of(&store, "Common").unwrap());
        assert_eq!(any.user(&store, None).unwrap().id, Uuid::from_u128(1));
        assert_eq!(
            any.user(&store, Some("BO@fabrikam.com")).unwrap().id,
            Uuid::from_u128(2)
        );
        let other = Route::of(&store, &Uuid::from_u128(9).to_string()).unwrap();
        assert_eq!(other.user(&store, None).unwrap().id, Uuid::from_u128(2));
        assert_eq!(
            other.user(&store, Some("cy@contoso.com")).unwrap().id,
            Uuid::from_u128(2),
            "a hint outside the tenant is ignored"
        );
        let by_domain = Route::of(&store, "contoso.com").unwrap();
        assert_eq!(by_domain, Route::Tenant(TENANT_ID));
        assert_eq!(
            by_domain.user(&store, Some("cy@contoso.com")).unwrap().id,
            Uuid::from_u128(3)
        );
    }

    #[test]
    fn unknown_tenants_and_consumers_are_refused() {
        let store = store();
        assert_eq!(Route::of(&store, "consumers").unwrap_err().code, 9002332);
        assert_eq!(
            Route::of(&store, &Uuid::from_u128(77).to_string())
                .unwrap_err()
                .code,
            90002
        );
        assert_eq!(
            Route::of(&store, "nowhere.example").unwrap_err().code,
            90002
        );
    }
}
