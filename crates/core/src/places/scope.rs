//! Which files to look in: each client's user-level file, found as that client finds
//! it (its own variable first, then the home folder), and the folders the user adds.

use super::file::Reach;
use super::{FILE_KINDS, Kind};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Scope {
    home: Option<PathBuf>,
    vars: Vars,
    dirs: Vec<PathBuf>,
    /// Ask git's credential helper too.
    pub(crate) git: bool,
    /// AdoPat's folder, where it remembers which PAT a secret it handed over was.
    pub(crate) memory: Option<PathBuf>,
}

/// The clients' own variables that move their user files.
#[derive(Debug, Clone, Default)]
pub(super) struct Vars {
    pub(super) npm_userconfig: Option<PathBuf>,
    pub(super) pip_config_file: Option<PathBuf>,
    pub(super) xdg_config_home: Option<PathBuf>,
    pub(super) appdata: Option<PathBuf>,
    pub(super) netrc: Option<PathBuf>,
}

impl Scope {
    /// This user's places, and those in `dirs`; `memory` is AdoPat's config folder.
    pub fn from_env(dirs: Vec<PathBuf>, memory: Option<PathBuf>) -> Self {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let home = if cfg!(windows) {
            var("USERPROFILE").or_else(|| var("HOME"))
        } else {
            var("HOME").or_else(|| var("USERPROFILE"))
        };
        Self {
            home,
            vars: Vars {
                // npm reads its variables in any case.
                npm_userconfig: var("NPM_CONFIG_USERCONFIG")
                    .or_else(|| var("npm_config_userconfig")),
                pip_config_file: var("PIP_CONFIG_FILE"),
                xdg_config_home: var("XDG_CONFIG_HOME"),
                appdata: var("APPDATA"),
                netrc: var("NETRC"),
            },
            dirs,
            git: true,
            memory,
        }
    }

    /// The places of the user `inventory` works for, and those in `dirs`; `None` for
    /// the demo, whose PATs belong in no file of this machine.
    pub fn of(inventory: &crate::inventory::Inventory, dirs: Vec<PathBuf>) -> Option<Self> {
        let dir = inventory.local_dir()?;
        Some(Self::from_env(dirs, Some(dir.to_path_buf())))
    }

    /// The files each client would read, that exist or not, each once, with where each
    /// was found.
    pub(crate) fn files(&self) -> Vec<(Kind, PathBuf, Reach)> {
        let mut files: Vec<(Kind, PathBuf, Reach)> = Vec::new();
        if let Some(home) = &self.home {
            let found = Reach::Home(home.clone());
            for kind in &FILE_KINDS {
                for path in (kind.mine)(&self.vars, home) {
                    files.push((kind.kind, path, found.clone()));
                }
            }
        }
        for dir in &self.dirs {
            let found = Reach::In(dir.clone());
            for kind in &FILE_KINDS {
                for path in (kind.in_dir)(dir) {
                    files.push((kind.kind, path, found.clone()));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(_, path, _)| {
            seen.insert(std::fs::canonicalize(path).unwrap_or(path.clone()))
        });
        files
    }
}
