//! Who the CLI works as and where (`adopat_core::source`): the demo service it starts
//! itself for `--demo`, a given access token, or the accounts signed in with
//! `adopat login`; the organizations named with `--org`, or all that are not hidden.

use crate::args::Global;
use adopat_core::inventory::Inventory;
use adopat_core::source::{self, Source};
use adopat_core::{Error, Result};
use adopat_demo::Demo;

pub use adopat_core::source::{ACCESS_TOKEN_ENV, access_token_from_env};

const HOW_TO_SIGN_IN: &str = "Run `adopat login` (or `adopat login --device-code`, or `adopat login --azure-cli`), set ADOPAT_ACCESS_TOKEN, or try --demo";

pub struct Session {
    pub inventory: Inventory,
    /// Keeps the demo service alive as long as the session.
    _demo: Option<Demo>,
}

/// What `--org` named, checked before any request.
pub fn named_orgs(global: &Global) -> Result<Vec<String>> {
    source::check_orgs(&global.orgs)
}

pub async fn open(global: &Global) -> Result<Session> {
    let named = named_orgs(global)?;
    let (source, demo) = if global.demo {
        let demo = Demo::start().await?;
        (demo.source(), Some(demo))
    } else {
        (Source::from_env(), None)
    };
    let inventory = source::open(&source, &named, HOW_TO_SIGN_IN).await?;
    Ok(Session {
        inventory,
        _demo: demo,
    })
}

pub fn not_signed_in() -> Error {
    source::not_signed_in(HOW_TO_SIGN_IN)
}
