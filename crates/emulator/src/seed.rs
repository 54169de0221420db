//! What the emulator knows when it starts: organizations, their users (by default one,
//! a member of all of them), and the users' PATs. Seeded PATs get random secrets unless a
//! seed file names one, so only those can be used against `connectionData`.

use std::path::Path;

use anyhow::{Context, bail};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::Seed;
use crate::dates;
use crate::lifecycle::{GLOBAL_CREATION_BLOCKED_FROM, GLOBAL_PATS_RETIRED_FROM, mint_secret};
use crate::scopes;
use crate::state::{Org, Pat, Store, TENANT_ID, User, hash_token};

/// The organization of the official examples, with the account id they show.
const FABRIKAM: (&str, Uuid) = (
    "fabrikam",
    Uuid::from_u128(0x38aaa865_2c70_4bf7_a308_0c6539c38c1a),
);

pub(crate) const USER_ID: Uuid = Uuid::from_u128(0x6a9ff5c1_2f7e_4c1b_9d3a_8e5b7c4d2f10);
const USER_NAME: &str = "Jamie Rivera";
const USER_EMAIL: &str = "jamie.rivera@contoso.com";

/// A seed, read from the file format or built in code.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedFile {
    orgs: Vec<SeedOrg>,
    /// The older form of `users`: one user, a member of every organization.
    user: Option<SeedUser>,
    users: Option<Vec<SeedUser>>,
    #[serde(default)]
    pats: Vec<SeedPat>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedOrg {
    name: String,
    account_id: Option<Uuid>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedUser {
    display_name: String,
    email: String,
    tenant: Option<Uuid>,
    id: Option<Uuid>,
    /// Organization names; every organization when left out.
    orgs: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedPat {
    authorization_id: Option<Uuid>,
    display_name: String,
    scope: String,
    /// Required, and `null` for a global PAT: leaving it out by mistake must not make one.
    #[serde(deserialize_with = "Option::deserialize")]
    orgs: Option<Vec<String>>,
    valid_from: Option<String>,
    valid_to: String,
    #[serde(default)]
    revoked: bool,
    token: Option<String>,
    /// The owner's email; the first user when left out.
    user: Option<String>,
}

pub(crate) fn build(seed: &Seed, now: Timestamp) -> anyhow::Result<Store> {
    let file = match seed {
        Seed::Empty => empty(),
        Seed::Demo => demo(now),
        Seed::Generated { orgs, pats_per_org } => generated(*orgs, *pats_per_org, now),
        Seed::File(path) => read(path)?,
        Seed::Json(seed) => serde_json::from_value(seed.clone()).context("not a valid seed")?,
    };
    into_store(file, now)
}

fn read(path: &Path) -> anyhow::Result<SeedFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the seed file {}", path.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    serde_json::from_str(text)
        .with_context(|| format!("the seed file {} is not a valid seed", path.display()))
}

fn into_store(file: SeedFile, now: Timestamp) -> anyhow::Result<Store> {
    let mut store = Store::default();
    for org in file.orgs {
        if store.org_named(&org.name).is_some() {
            bail!("the organization '{}' is seeded twice", org.name);
        }
        let account_id = org.account_id.unwrap_or_else(|| account_id_for(&org.name));
        store.orgs.push(Org {
            name: org.name,
            account_id,
            tenant: TENANT_ID,
        });
    }
    let users = match (file.user, file.users) {
        (Some(_), Some(_)) => bail!("give either 'user' or 'users', not both"),
        (Some(user), None) => vec![user],
        (None, Some(users)) if users.is_empty() => bail!("'users' needs at least one user"),
        (None, Some(users)) => users,
        (None, None) => vec![SeedUser {
            display_name: USER_NAME.to_owned(),
            email: USER_EMAIL.to_owned(),
            tenant: None,
            id: None,
            orgs: None,
        }],
    };
    let profile_time = dates::stored(dates::add(now, dates::days(-400)));
    for (index, seeded) in users.into_iter().enumerate() {
        let user = seeded_user(&store, seeded, index == 0, profile_time)?;
        if store.user(user.id).is_some() {
            bail!("the user id {} is seeded twice", user.id);
        }
        if user_by_email(&store, &user.email).is_some() {
            bail!("the user '{}' is seeded twice", user.email);
        }
        store.users.push(user);
    }
    // An organization belongs to the tenant of its first member.
    for org in &mut store.orgs {
        if let Some(member) = store
            .users
            .iter()
            .find(|user| user.orgs.contains(&org.account_id))
        {
            org.tenant = member.tenant;
        }
    }
    for seeded in file.pats {
        let pat = seeded_pat(&store, seeded, now)?;
        if store.pat(pat.id).is_some() {
            bail!("the authorizationId {} is seeded twice", pat.id);
        }
        store.pats.push(pat);
    }
    Ok(store)
}

fn seeded_user(
    store: &Store,
    seeded: SeedUser,
    first: bool,
    profile_time: Timestamp,
) -> anyhow::Result<User> {
    let orgs = match &seeded.orgs {
        None => store.orgs.iter().map(|org| org.account_id).collect(),
        Some(names) => names
            .iter()
            .map(|name| {
                store
                    .org_named(name)
                    .map(|org| org.account_id)
                    .with_context(|| {
                        format!("user '{}': unknown organization '{name}'", seeded.email)
                    })
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
    };
    let id = seeded.id.unwrap_or_else(|| {
        if first {
            USER_ID
        } else {
            stable_id("user", &seeded.email)
        }
    });
    Ok(User {
        id,
        tenant: seeded.tenant.unwrap_or(TENANT_ID),
        display_name: seeded.display_name,
        email: seeded.email,
        orgs,
        profile_time,
    })
}

fn user_by_email<'a>(store: &'a Store, email: &str) -> Option<&'a User> {
    store
        .users
        .iter()
        .find(|user| user.email.eq_ignore_ascii_case(email))
}

fn seeded_pat(store: &Store, seeded: SeedPat, now: Timestamp) -> anyhow::Result<Pat> {
    let name = &seeded.display_name;
    let owner = match &seeded.user {
        None => store.default_user(),
        Some(email) => user_by_email(store, email),
    }
    .with_context(|| {
        format!(
            "PAT '{name}': unknown user '{}'",
            seeded.user.as_deref().unwrap_or_default()
        )
    })?;
    let scope = scopes::normalise(&seeded.scope)
        .map_err(|unknown| anyhow::anyhow!("PAT '{name}': unknown scope '{unknown}'"))?;
    let targets = match &seeded.orgs {
        None => None,
        Some(orgs) => Some(
            orgs.iter()
                .map(|org| {
                    let account_id = store
                        .org_named(org)
                        .map(|org| org.account_id)
                        .with_context(|| format!("PAT '{name}': unknown organization '{org}'"))?;
                    if !owner.orgs.contains(&account_id) {
                        bail!("PAT '{name}': '{}' is not a member of '{org}'", owner.email);
                    }
                    Ok(account_id)
                })
                .collect::<anyhow::Result<Vec<_>>>()?,
        ),
    };
    let valid_to = time(&seeded.valid_to, now)
        .with_context(|| format!("PAT '{name}': validTo '{}'", seeded.valid_to))?;
    let valid_from = match &seeded.valid_from {
        Some(text) => {
            time(text, now).with_context(|| format!("PAT '{name}': validFrom '{text}'"))?
        }
        None => now.min(dates::add(valid_to, dates::days(-30))),
    };
    let secret = seeded.token.unwrap_or_else(mint_secret);
    Ok(Pat {
        id: seeded.authorization_id.unwrap_or_else(Uuid::new_v4),
        owner: owner.id,
        display_name: seeded.display_name,
        scope,
        targets,
        valid_from: dates::stored(valid_from),
        valid_to: dates::stored(valid_to),
        revoked: seeded.revoked,
        token_hash: hash_token(&secret),
    })
}

/// An RFC 3339 time, or one relative to `now`: `+3d`, `-2d`, `+12h`, `+30m`, `+90s`,
/// `+2w`, or `now`.
fn time(text: &str, now: Timestamp) -> anyhow::Result<Timestamp> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let Some(sign) = text.chars().next().filter(|c| *c == '+' || *c == '-') else {
        return dates::parse_lenient(text).context("neither RFC 3339 nor like +3d");
    };
    let body = &text[1..];
    let unit_at = body.len().saturating_sub(1);
    let (number, unit) = body.split_at(unit_at);
    let number: i64 = number
        .parse()
        .context("a relative time is like +3d or -12h")?;
    let seconds_per_unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => bail!("the unit of a relative time is one of s, m, h, d, w"),
    };
    let seconds = number
        .checked_mul(seconds_per_unit)
        .context("the relative time is too large")?;
    let span = SignedDuration::from_secs(if sign == '-' { -seconds } else { seconds });
    Ok(dates::add(now, span))
}

/// Stable ids for organizations without one, so runs of the same seed agree.
fn account_id_for(name: &str) -> Uuid {
    if name.eq_ignore_ascii_case(FABRIKAM.0) {
        return FABRIKAM.1;
    }
    stable_id("org", name)
}

/// An id derived from a name, the same in every run.
fn stable_id(kind: &str, name: &str) -> Uuid {
    let digest = Sha256::digest(format!(
        "adopat-emulator/{kind}/{}",
        name.to_ascii_lowercase()
    ));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn org(name: &str) -> SeedOrg {
    SeedOrg {
        name: name.to_owned(),
        account_id: None,
    }
}

fn empty() -> SeedFile {
    SeedFile {
        orgs: vec![org("fabrikam"), org("contoso")],
        user: None,
        users: None,
        pats: Vec::new(),
    }
}

struct DemoPat {
    name: &'static str,
    scope: &'static str,
    org: Option<&'static str>,
    from: Timestamp,
    to: Timestamp,
    revoked: bool,
}

fn demo(now: Timestamp) -> SeedFile {
    let at = |days: i64, hours: i64| {
        dates::add(
            now,
            dates::days(days).saturating_add(SignedDuration::from_hours(hours)),
        )
    };
    let pat = |name, scope, org, from_days_ago: i64, to: Timestamp| DemoPat {
        name,
        scope,
        org: Some(org),
        from: at(-from_days_ago, -3),
        to,
        revoked: false,
    };
    // Global PATs could only be made before the block, and keep working until the
    // retirement date: this one outlives it, to show a "retiring" token.
    let global_from = dates::add(
        GLOBAL_CREATION_BLOCKED_FROM.min(at(-200, 0)),
        dates::days(-30),
    );
    let global_to = dates::add(GLOBAL_PATS_RETIRED_FROM, dates::days(45)).max(at(60, 0));
    let pats = vec![
        pat("nuget-feed", "vso.packaging", "contoso", 88, at(0, 20)),
        pat("git-push laptop", "vso.code_write", "contoso", 57, at(3, 5)),
        pat(
            "pipeline-ci",
            "vso.build_execute vso.code",
            "fabrikam",
            84,
            at(6, 2),
        ),
        pat(
            "npm-artifacts",
            "vso.packaging_write",
            "fabrikam",
            60,
            at(30, 4),
        ),
        pat(
            "terraform-provider",
            "vso.project vso.serviceendpoint_manage vso.variablegroups_read",
            "northwind",
            65,
            at(300, 0),
        ),
        pat(
            "release-bot",
            "vso.release_execute vso.build",
            "northwind",
            40,
            at(51, 7),
        ),
        pat(
            "work-items-sync",
            "vso.work_write",
            "contoso",
            12,
            at(118, 9),
        ),
        pat(
            "symbols-upload",
            "vso.symbols_write",
            "northwind",
            20,
            at(10, 1),
        ),
        pat("admin-scripts", "app_token", "contoso", 30, at(60, 11)),
        pat(
            "old-ci-runner",
            "vso.build_execute",
            "contoso",
            92,
            at(-2, -4),
        ),
        DemoPat {
            revoked: true,
            ..pat("leaked-in-chat", "vso.code", "fabrikam", 15, at(75, 0))
        },
        DemoPat {
            org: None,
            from: global_from,
            ..pat(
                "all-orgs-reader",
                "vso.work vso.code",
                "contoso",
                0,
                global_to,
            )
        },
    ];
    SeedFile {
        orgs: vec![org("contoso"), org("fabrikam"), org("northwind")],
        user: None,
        users: None,
        pats: pats.into_iter().map(DemoPat::into_seed).collect(),
    }
}

impl DemoPat {
    fn into_seed(self) -> SeedPat {
        SeedPat {
            authorization_id: None,
            display_name: self.name.to_owned(),
            scope: self.scope.to_owned(),
            orgs: self.org.map(|org| vec![org.to_owned()]),
            valid_from: Some(self.from.to_string()),
            valid_to: self.to.to_string(),
            revoked: self.revoked,
            token: None,
            user: None,
        }
    }
}

fn generated(org_count: usize, pats_per_org: usize, now: Timestamp) -> SeedFile {
    const KINDS: &[(&str, &str)] = &[
        ("nuget-feed", "vso.packaging"),
        ("git-push", "vso.code_write"),
        ("pipeline-ci", "vso.build_execute vso.code"),
        ("npm-artifacts", "vso.packaging_write"),
        (
            "terraform-provider",
            "vso.project vso.serviceendpoint_manage",
        ),
        ("release-bot", "vso.release_execute"),
        ("work-items-sync", "vso.work_write"),
        ("symbols-upload", "vso.symbols_write"),
        ("wiki-publisher", "vso.wiki_write"),
        ("test-results", "vso.test_write"),
    ];
    let width = org_count.to_string().len().max(2);
    let orgs: Vec<String> = (1..=org_count).map(|n| format!("org{n:0width$}")).collect();
    let spread = i64::try_from(pats_per_org)
        .unwrap_or(i64::MAX)
        .saturating_add(1);
    let mut pats = Vec::new();
    for org_name in &orgs {
        for i in 0..pats_per_org {
            let (kind, scope) = KINDS[i % KINDS.len()];
            let n = i64::try_from(i).unwrap_or(i64::MAX);
            let to_days = n.saturating_add(1).saturating_mul(365) / spread;
            let to = dates::add(
                now,
                dates::days(to_days).saturating_add(SignedDuration::from_hours(n % 24 + 1)),
            );
            let from = dates::add(now, dates::days(-(n.saturating_mul(37) % 300 + 1)));
            pats.push(SeedPat {
                authorization_id: None,
                display_name: format!("{kind}-{org_name}-{:03}", i + 1),
                scope: scope.to_owned(),
                orgs: Some(vec![org_name.clone()]),
                valid_from: Some(from.to_string()),
                valid_to: to.to_string(),
                revoked: false,
                token: None,
                user: None,
            });
        }
    }
    SeedFile {
        orgs: orgs.iter().map(|name| org(name)).collect(),
        user: None,
        users: None,
        pats,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::PatStatus;

    fn now() -> Timestamp {
        "2026-11-28T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn relative_times() {
        let now = now();
        assert_eq!(
            time("+3d", now).unwrap(),
            "2026-12-01T12:00:00Z".parse().unwrap()
        );
        assert_eq!(
            time("-2d", now).unwrap(),
            "2026-11-26T12:00:00Z".parse().unwrap()
        );
        assert_eq!(
            time("+12h", now).unwrap(),
            "2026-11-29T00:00:00Z".parse().unwrap()
        );
        assert_eq!(time("now", now).unwrap(), now);
        assert_eq!(
            time("2027-01-02T03:04:05Z", now).unwrap(),
            "2027-01-02T03:04:05Z".parse().unwrap()
        );
        assert!(time("+3y", now).is_err());
        assert!(time("soon", now).is_err());
    }

    #[test]
    fn empty_has_the_examples_org() {
        let store = build(&Seed::Empty, now()).unwrap();
        let fabrikam = store.org_named("Fabrikam").unwrap();
        assert_eq!(fabrikam.account_id, FABRIKAM.1);
        assert!(store.org_named("contoso").is_some());
        assert!(store.pats.is_empty());
    }

    #[test]
    fn demo_covers_every_case_the_app_shows() {
        let now = now();
        let store = build(&Seed::Demo, now).unwrap();
        let count = |status| {
            store
                .pats
                .iter()
                .filter(|p| p.status(now) == status)
                .count()
        };
        assert!((10..=14).contains(&store.pats.len()));
        assert_eq!(count(PatStatus::Expired), 1);
        assert_eq!(count(PatStatus::Revoked), 1);
        let soon = store
            .pats
            .iter()
            .filter(|p| {
                p.status(now) == PatStatus::Active && p.valid_to <= dates::add(now, dates::days(1))
            })
            .count();
        assert_eq!(soon, 1);
        let global: Vec<_> = store.pats.iter().filter(|p| p.targets.is_none()).collect();
        assert_eq!(global.len(), 1);
        assert!(global[0].valid_to > GLOBAL_PATS_RETIRED_FROM);
        assert!(global[0].valid_from < GLOBAL_CREATION_BLOCKED_FROM);
        assert!(store.pats.iter().any(|p| p.scope == "app_token"));
        assert_eq!(store.orgs.len(), 3);
    }

    #[test]
    fn generated_names_are_unique_and_pats_active() {
        let now = now();
        let store = build(
            &Seed::Generated {
                orgs: 3,
                pats_per_org: 12,
            },
            now,
        )
        .unwrap();
        assert_eq!(store.orgs[0].name, "org01");
        assert_eq!(store.pats.len(), 36);
        let mut names: Vec<_> = store.pats.iter().map(|p| &p.display_name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 36);
        assert!(
            store
                .pats
                .iter()
                .all(|p| p.status(now) == PatStatus::Active)
        );
        assert!(store.pats.iter().all(|p| p.targets.is_some()));
        assert!(
            store
                .pats
                .iter()
                .all(|p| p.valid_to <= dates::add(now, dates::days(366)))
        );
    }

    #[test]
    fn seed_files_resolve_orgs_tokens_and_relative_times() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.json");
        std::fs::write(
            &path,
            "\u{feff}{\"orgs\":[{\"name\":\"acme\"},{\"name\":\"fabrikam\",\"accountId\":\"38aaa865-2c70-4bf7-a308-0c6539c38c1a\"}],\
             \"user\":{\"displayName\":\"Ann\",\"email\":\"ann@acme.test\"},\
             \"pats\":[{\"displayName\":\"a\",\"scope\":\"vso.code\",\"orgs\":[\"acme\"],\"validTo\":\"+3d\",\"token\":\"s3cret\"},\
                       {\"displayName\":\"g\",\"scope\":\"app_token\",\"orgs\":null,\"validFrom\":\"-10d\",\"validTo\":\"2027-01-01T00:00:00Z\",\"revoked\":true}]}",
        )
        .unwrap();
        let store = build(&Seed::File(path.clone()), now()).unwrap();
        assert_eq!(store.users[0].display_name, "Ann");
        assert_eq!(store.pat_by_secret("s3cret").unwrap().display_name, "a");
        assert!(store.pats[1].targets.is_none());
        assert!(store.pats[1].revoked);

        std::fs::write(
            &path,
            r#"{"orgs":[],"pats":[{"displayName":"x","scope":"vso.code","validTo":"+1d"}]}"#,
        )
        .unwrap();
        assert!(
            build(&Seed::File(path.clone()), now()).is_err(),
            "orgs must be explicit"
        );
        std::fs::write(&path, r#"{"orgs":[{"name":"a"}],"pats":[{"displayName":"x","scope":"vso.code","orgs":["b"],"validTo":"+1d"}]}"#)
            .unwrap();
        assert!(build(&Seed::File(path), now()).is_err(), "unknown org");
    }

    #[test]
    fn a_seed_given_in_the_process_is_read_as_a_file_is() {
        let seed = serde_json::json!({"orgs": [{"name": "acme"}],
            "pats": [{"displayName": "a", "scope": "vso.code", "orgs": ["acme"],
                      "validTo": "+3d", "token": "s3cret"}]});
        let store = build(&Seed::Json(seed), now()).unwrap();
        assert_eq!(store.pat_by_secret("s3cret").unwrap().display_name, "a");
        let unknown_org = serde_json::json!({"orgs": [{"name": "a"}],
            "pats": [{"displayName": "x", "scope": "vso.code", "orgs": ["b"], "validTo": "+1d"}]});
        assert!(build(&Seed::Json(unknown_org), now()).is_err());
        assert!(build(&Seed::Json(serde_json::json!({"pats": 1})), now()).is_err());
    }

    #[test]
    fn seed_files_may_have_several_users_in_several_tenants() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seed.json");
        let other_tenant = "0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
        let write = |users: &str, pats: &str| {
            std::fs::write(
                &path,
                format!(
                    r#"{{"orgs":[{{"name":"acme"}},{{"name":"globex"}}],"users":{users},"pats":{pats}}}"#
                ),
            )
            .unwrap();
            build(&Seed::File(path.clone()), now())
        };
        let users = format!(
            r#"[{{"displayName":"Ann","email":"ann@acme.test"}},
                {{"displayName":"Bo","email":"bo@globex.test","tenant":"{other_tenant}","orgs":["globex"]}}]"#
        );
        let store = write(
            &users,
            r#"[{"displayName":"b","scope":"vso.code","orgs":["globex"],"validTo":"+3d","user":"BO@globex.test"}]"#,
        )
        .unwrap();
        let (ann, bo) = (&store.users[0], &store.users[1]);
        assert_eq!(ann.id, USER_ID, "the first user keeps the fixed id");
        assert_eq!(ann.tenant, TENANT_ID);
        assert_eq!(ann.orgs.len(), 2);
        assert_eq!(bo.tenant.to_string(), other_tenant);
        assert_eq!(store.org_names(&bo.orgs), vec!["globex"]);
        assert_eq!(stable_id("user", "bo@globex.test"), bo.id);
        assert_eq!(store.pats[0].owner, bo.id);
        assert_eq!(
            store.org_named("globex").unwrap().tenant,
            TENANT_ID,
            "an organization belongs to its first member's tenant"
        );

        let bad = [
            (
                users.as_str(),
                r#"[{"displayName":"x","scope":"vso.code","orgs":["acme"],"validTo":"+1d","user":"bo@globex.test"}]"#,
            ),
            (
                users.as_str(),
                r#"[{"displayName":"x","scope":"vso.code","orgs":["acme"],"validTo":"+1d","user":"nobody@x"}]"#,
            ),
            (
                r#"[{"displayName":"A","email":"a@x","orgs":["nope"]}]"#,
                "[]",
            ),
            (
                r#"[{"displayName":"A","email":"a@x"},{"displayName":"B","email":"A@X"}]"#,
                "[]",
            ),
            ("[]", "[]"),
        ];
        for (users, pats) in bad {
            assert!(write(users, pats).is_err(), "{users} {pats}");
        }
        std::fs::write(
            &path,
            r#"{"orgs":[],"user":{"displayName":"A","email":"a@x"},"users":[{"displayName":"B","email":"b@x"}]}"#,
        )
        .unwrap();
        assert!(
            build(&Seed::File(path.clone()), now()).is_err(),
            "user and users"
        );
    }
}
