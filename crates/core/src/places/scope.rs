//! Which files to look in: each client's user-level file, found as that client finds
//! it (its own variable first, then the home folder), and the folders the user adds.

use super::Kind;
use super::file::Reach;
use std::path::{Path, PathBuf};

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

#[derive(Debug, Clone, Default)]
struct Vars {
    npm_userconfig: Option<PathBuf>,
    pip_config_file: Option<PathBuf>,
    xdg_config_home: Option<PathBuf>,
    appdata: Option<PathBuf>,
    netrc: Option<PathBuf>,
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
        let mut mine: Vec<(Kind, PathBuf)> = Vec::new();
        if let Some(home) = &self.home {
            mine.push((
                Kind::Npm,
                self.vars
                    .npm_userconfig
                    .clone()
                    .unwrap_or_else(|| home.join(".npmrc")),
            ));
            mine.push((Kind::Nuget, self.nuget_config(home)));
            mine.push((Kind::Maven, home.join(".m2").join("settings.xml")));
            mine.extend(self.pip_configs(home).into_iter().map(|p| (Kind::Pip, p)));
            match &self.vars.netrc {
                Some(netrc) => mine.push((Kind::Netrc, netrc.clone())),
                None => {
                    mine.push((Kind::Netrc, home.join(".netrc")));
                    if cfg!(windows) {
                        mine.push((Kind::Netrc, home.join("_netrc")));
                    }
                }
            }
        }
        if let Some(home) = &self.home {
            let found = Reach::Home(home.clone());
            files.extend(
                mine.into_iter()
                    .map(|(kind, path)| (kind, path, found.clone())),
            );
        }
        for dir in &self.dirs {
            let found = Reach::In(dir.clone());
            let mut add = |kind, path| files.push((kind, path, found.clone()));
            add(Kind::Npm, dir.join(".npmrc"));
            for path in nuget_files_in(dir) {
                add(Kind::Nuget, path);
            }
            add(Kind::Maven, dir.join("settings.xml"));
            add(Kind::Pip, dir.join("pip.conf"));
            add(Kind::Pip, dir.join("pip.ini"));
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|(_, path, _)| {
            seen.insert(std::fs::canonicalize(path).unwrap_or(path.clone()))
        });
        files
    }

    fn nuget_config(&self, home: &Path) -> PathBuf {
        match (&self.vars.appdata, cfg!(windows)) {
            (Some(appdata), true) => appdata.join("NuGet").join("NuGet.Config"),
            _ => home.join(".nuget").join("NuGet").join("NuGet.Config"),
        }
    }

    /// pip's user files: `PIP_CONFIG_FILE` alone when set, else the platform's and the
    /// legacy one.
    fn pip_configs(&self, home: &Path) -> Vec<PathBuf> {
        if let Some(file) = &self.vars.pip_config_file {
            return vec![file.clone()];
        }
        if cfg!(windows) {
            let mut files: Vec<PathBuf> = self
                .vars
                .appdata
                .iter()
                .map(|a| a.join("pip").join("pip.ini"))
                .collect();
            files.push(home.join("pip").join("pip.ini"));
            return files;
        }
        let mut files = Vec::new();
        if cfg!(target_os = "macos") {
            files.push(home.join("Library/Application Support/pip/pip.conf"));
        }
        let config = self
            .vars
            .xdg_config_home
            .clone()
            .unwrap_or_else(|| home.join(".config"));
        files.push(config.join("pip").join("pip.conf"));
        files.push(home.join(".pip").join("pip.conf"));
        files
    }
}

/// NuGet finds `nuget.config` in a folder in any of its spellings.
fn nuget_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.eq_ignore_ascii_case("nuget.config"))
        })
        .collect()
}
