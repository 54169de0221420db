//! The List operation: filter by status at the emulator's clock, sort, and page with an
//! opaque `continuationToken` (`""` when nothing follows, as in the official example).
//!
//! With no `sortByOption` the order is by display date (the expiry day, as the web UI
//! shows it) ascending, newer `validFrom` first within a day: that is the order of the
//! official ListPats example. The continuation token carries the sort key of the last
//! row returned, so rows created or revoked between pages neither repeat nor vanish,
//! and it remembers the options: the spec requires the same ones on every page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::errors::ServiceError;
use crate::params::{Params, parse_bool};
use crate::state::{Pat, PatStatus};

const PAGE_LIMIT: usize = 100;
const SECONDS_PER_DAY: i64 = 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Filter {
    Active,
    Revoked,
    Expired,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum SortBy {
    DisplayName,
    DisplayDate,
    Status,
}

/// Compared field by field, so the order of the fields is the sort order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Key {
    status: u8,
    day: i64,
    name: String,
    newest_first: i128,
    id: Uuid,
}

#[derive(Debug, Serialize, Deserialize)]
struct Cursor {
    filter: Filter,
    sort: SortBy,
    ascending: bool,
    after: Key,
}

#[derive(Debug)]
pub(crate) struct ListQuery {
    filter: Filter,
    sort: SortBy,
    ascending: bool,
    after: Option<Key>,
    top: usize,
}

impl ListQuery {
    pub(crate) fn parse(params: &Params) -> Result<ListQuery, ServiceError> {
        let filter = match params.get("displayFilterOption") {
            None => Filter::Active,
            Some(text) => parse_filter(text).ok_or_else(|| invalid("displayFilterOption", text))?,
        };
        let sort = match params.get("sortByOption") {
            None => SortBy::DisplayDate,
            Some(text) => parse_sort(text).ok_or_else(|| invalid("sortByOption", text))?,
        };
        let ascending = match params.get("isSortAscending") {
            None => true,
            Some(text) => parse_bool(text).ok_or_else(|| invalid("isSortAscending", text))?,
        };
        let top = match params.get("$top") {
            None => PAGE_LIMIT,
            Some(text) => {
                let top: i64 = text.trim().parse().map_err(|_| invalid("$top", text))?;
                match usize::try_from(top) {
                    Ok(0) | Err(_) => PAGE_LIMIT,
                    Ok(top) => top.min(PAGE_LIMIT),
                }
            }
        };
        let after = match params.get("continuationToken").map(str::trim) {
            None | Some("") => None,
            Some(token) => {
                let cursor = decode(token).ok_or_else(|| {
                    ServiceError::bad_argument("The continuation token is not valid.")
                })?;
                if (cursor.filter, cursor.sort, cursor.ascending) != (filter, sort, ascending) {
                    return Err(ServiceError::bad_argument(
                        "The continuation token was issued for other filtering options; \
                         subsequent calls must supply the same options.",
                    ));
                }
                Some(cursor.after)
            }
        };
        Ok(ListQuery {
            filter,
            sort,
            ascending,
            after,
            top,
        })
    }

    /// One page of `pats` (already narrowed to the caller and the organization) and the
    /// continuation token for the next.
    pub(crate) fn page<'a>(&self, pats: Vec<&'a Pat>, now: Timestamp) -> (Vec<&'a Pat>, String) {
        let mut rows: Vec<(Key, &Pat)> = pats
            .into_iter()
            .filter(|pat| self.keeps(pat.status(now)))
            .map(|pat| (self.key(pat, now), pat))
            .collect();
        rows.sort_by(|(a, _), (b, _)| self.order(a, b));
        let start = match &self.after {
            Some(after) => rows
                .iter()
                .position(|(key, _)| self.order(key, after).is_gt())
                .unwrap_or(rows.len()),
            None => 0,
        };
        let rest = &rows[start..];
        let shown = &rest[..rest.len().min(self.top)];
        let token = match shown.last() {
            Some((last, _)) if rest.len() > shown.len() => encode(&Cursor {
                filter: self.filter,
                sort: self.sort,
                ascending: self.ascending,
                after: last.clone(),
            }),
            _ => String::new(),
        };
        (shown.iter().map(|(_, pat)| *pat).collect(), token)
    }

    fn keeps(&self, status: PatStatus) -> bool {
        match self.filter {
            Filter::Active => status == PatStatus::Active,
            Filter::Revoked => status == PatStatus::Revoked,
            Filter::Expired => status == PatStatus::Expired,
            Filter::All => true,
        }
    }

    fn key(&self, pat: &Pat, now: Timestamp) -> Key {
        let day = pat.valid_to.as_second().div_euclid(SECONDS_PER_DAY);
        let newest_first = -pat.valid_from.as_nanosecond();
        let (status, day, name) = match self.sort {
            SortBy::DisplayName => (0, 0, pat.display_name.to_lowercase()),
            SortBy::DisplayDate => (0, day, String::new()),
            SortBy::Status => (pat.status(now) as u8, day, String::new()),
        };
        Key {
            status,
            day,
            name,
            newest_first,
            id: pat.id,
        }
    }

    fn order(&self, a: &Key, b: &Key) -> std::cmp::Ordering {
        if self.ascending { a.cmp(b) } else { b.cmp(a) }
    }
}

fn parse_filter(text: &str) -> Option<Filter> {
    let text = text.trim();
    [
        ("active", "1", Filter::Active),
        ("revoked", "2", Filter::Revoked),
        ("expired", "3", Filter::Expired),
        ("all", "4", Filter::All),
    ]
    .into_iter()
    .find(|(name, number, _)| text.eq_ignore_ascii_case(name) || text == *number)
    .map(|(_, _, filter)| filter)
}

fn parse_sort(text: &str) -> Option<SortBy> {
    let text = text.trim();
    [
        ("displayName", "1", SortBy::DisplayName),
        ("displayDate", "2", SortBy::DisplayDate),
        ("status", "3", SortBy::Status),
    ]
    .into_iter()
    .find(|(name, number, _)| text.eq_ignore_ascii_case(name) || text == *number)
    .map(|(_, _, sort)| sort)
}

fn invalid(parameter: &str, value: &str) -> ServiceError {
    ServiceError::bad_argument(format!(
        "The value '{value}' is not valid for the parameter '{parameter}'."
    ))
}

fn encode(cursor: &Cursor) -> String {
    // A cursor is plain data; serialising it cannot fail.
    let json = serde_json::to_vec(cursor).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

fn decode(token: &str) -> Option<Cursor> {
    let json = URL_SAFE_NO_PAD.decode(token).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::hash_token;

    fn pat(name: &str, from: &str, to: &str) -> Pat {
        Pat {
            id: Uuid::new_v4(),
            owner: Uuid::from_u128(1),
            display_name: name.into(),
            scope: "vso.code".into(),
            targets: None,
            valid_from: from.parse().unwrap(),
            valid_to: to.parse().unwrap(),
            revoked: false,
            token_hash: hash_token(name),
        }
    }

    fn query(text: &str) -> ListQuery {
        ListQuery::parse(&Params::parse(Some(text))).unwrap()
    }

    fn names(pats: &[&Pat]) -> Vec<String> {
        pats.iter().map(|p| p.display_name.clone()).collect()
    }

    #[test]
    fn default_order_is_the_official_examples_order() {
        let now: Timestamp = "2020-11-02T22:56:52Z".parse().unwrap();
        let pats = [
            pat(
                "analytics_token",
                "2020-10-29T17:26:46.72Z",
                "2020-12-01T23:46:23.32Z",
            ),
            pat(
                "work_token",
                "2020-10-24T03:04:19.1466667Z",
                "2020-11-23T04:03:55.8033333Z",
            ),
            pat(
                "new_token",
                "2020-11-02T22:56:52.1033333Z",
                "2020-12-01T23:46:23.32Z",
            ),
            pat(
                "all_access_token",
                "2020-10-24T03:04:57.52Z",
                "2020-11-23T04:04:38.5233333Z",
            ),
        ];
        let (page, token) = query("").page(pats.iter().collect(), now);
        assert_eq!(
            names(&page),
            [
                "all_access_token",
                "work_token",
                "new_token",
                "analytics_token"
            ]
        );
        assert_eq!(token, "");
    }

    #[test]
    fn pages_follow_each_other_without_gaps_or_repeats() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let pats: Vec<Pat> = (0..7)
            .map(|i| {
                pat(
                    &format!("p{i}"),
                    "2025-12-01T00:00:00Z",
                    &format!("2026-02-0{}T00:00:00Z", i + 1),
                )
            })
            .collect();
        let mut seen = Vec::new();
        let mut token = String::new();
        loop {
            let q = query(&format!("$top=3&continuationToken={token}"));
            let (page, next) = q.page(pats.iter().collect(), now);
            seen.extend(names(&page));
            if next.is_empty() {
                break;
            }
            token = next;
        }
        assert_eq!(seen, ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
    }

    #[test]
    fn a_token_must_come_back_with_the_same_options() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let pats: Vec<Pat> = (0..3)
            .map(|i| {
                pat(
                    &format!("p{i}"),
                    "2025-12-01T00:00:00Z",
                    "2026-02-01T00:00:00Z",
                )
            })
            .collect();
        let (_, token) = query("$top=1").page(pats.iter().collect(), now);
        assert!(!token.is_empty());
        let other = format!("$top=1&displayFilterOption=all&continuationToken={token}");
        assert!(ListQuery::parse(&Params::parse(Some(&other))).is_err());
        assert!(ListQuery::parse(&Params::parse(Some("continuationToken=garbage"))).is_err());
    }

    #[test]
    fn top_is_capped_at_one_hundred() {
        assert_eq!(query("$top=500").top, 100);
        assert_eq!(query("$top=0").top, 100);
        assert_eq!(query("$top=7").top, 7);
        assert!(ListQuery::parse(&Params::parse(Some("$top=many"))).is_err());
    }

    #[test]
    fn dotnet_spellings_of_options_are_understood() {
        let q = query("displayFilterOption=Revoked&sortByOption=DisplayName&isSortAscending=False");
        assert_eq!(
            (q.filter, q.sort, q.ascending),
            (Filter::Revoked, SortBy::DisplayName, false)
        );
        assert_eq!(query("displayFilterOption=4").filter, Filter::All);
    }
}
