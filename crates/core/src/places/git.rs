//! git's credentials, through git itself: `git credential fill` asks whatever helper
//! the user chose (Git Credential Manager, libsecret, osxkeychain, wincred, store), and
//! `git credential approve`/`reject` write through the same helper. Prompts are off, so
//! a helper with nothing stored answers nothing rather than asking; the secret travels
//! on stdin, never on a command line. git runs outside any repository (`crate::programs`):
//! the user's global and system configuration choose the helper, a repository's never.

use crate::programs::{self, Failure};
use crate::secret::Secret;
use std::time::Duration;

/// A helper that hangs (a sign-in window nobody sees, a network that is gone) is given
/// up on, and ended.
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub(super) struct Credential {
    host: String,
    path: Option<String>,
    username: String,
    pub(super) secret: Secret,
    pub(super) org: Option<String>,
}

impl Credential {
    pub(super) fn host(&self) -> &str {
        &self.host
    }

    pub(super) fn url(&self) -> String {
        match &self.path {
            Some(path) => format!("https://{}/{path}", self.host),
            None => format!("https://{}", self.host),
        }
    }

    fn describe(&self, secret: &Secret) -> zeroize::Zeroizing<String> {
        let mut text = format!("protocol=https\nhost={}\n", self.host);
        if let Some(path) = &self.path {
            text.push_str(&format!("path={path}\n"));
        }
        text.push_str(&format!(
            "username={}\npassword={}\n\n",
            self.username,
            secret.expose()
        ));
        zeroize::Zeroizing::new(text)
    }
}

/// The credentials git has for each organization's two URLs. A helper that does not
/// keep `dev.azure.com` per path (git's default without `credential.useHttpPath`)
/// answers the host alone with the same secret: that credential serves every
/// organization, and is one place. A helper that does not answer in time stops the
/// asking: the problem says so.
pub(super) async fn credentials(orgs: &[String]) -> (Vec<Credential>, Option<String>) {
    let mut out: Vec<Credential> = Vec::new();
    // Without git there are no git places to speak of.
    let unanswered = |failure: Failure| match failure {
        Failure::NotStarted(_) => None,
        other => Some(format!(
            "{}: the git places were not checked",
            other.said("git's credential helper")
        )),
    };
    for org in orgs {
        let org = org.to_ascii_lowercase();
        for (host, path) in [
            ("dev.azure.com".to_owned(), Some(org.clone())),
            (format!("{org}.visualstudio.com"), None),
        ] {
            match fill(&host, path.as_deref()).await {
                Ok(Some(found)) => out.push(Credential {
                    org: Some(org.clone()),
                    ..found
                }),
                Ok(None) => {}
                Err(failure) => return (Vec::new(), unanswered(failure)),
            }
        }
    }
    if out.iter().any(|c| c.path.is_some()) {
        match fill("dev.azure.com", None).await {
            Ok(Some(whole_host)) => {
                for credential in &mut out {
                    if credential.host == whole_host.host && credential.secret == whole_host.secret
                    {
                        credential.path = None;
                        credential.org = None;
                    }
                }
            }
            Ok(None) => {}
            Err(failure) => return (Vec::new(), unanswered(failure)),
        }
    }
    let mut seen: Vec<(String, Option<String>, Secret)> = Vec::new();
    out.retain(|c| {
        let key = (c.host.clone(), c.path.clone(), c.secret.clone());
        let new = !seen.contains(&key);
        if new {
            seen.push(key);
        }
        new
    });
    (out, None)
}

fn git(action: &str) -> tokio::process::Command {
    let mut cmd = programs::command("git");
    cmd.args([
        "-c",
        "credential.interactive=false",
        "-c",
        "core.askPass=",
        "credential",
        action,
    ])
    .env("GIT_TERMINAL_PROMPT", "0")
    .env("GCM_INTERACTIVE", "never")
    .env_remove("GIT_ASKPASS")
    .env_remove("SSH_ASKPASS")
    // The user's own repository, when AdoPat is started from a hook or an alias.
    .env_remove("GIT_DIR")
    .env_remove("GIT_WORK_TREE");
    cmd
}

/// What git printed, or why it gave no answer; `Ok(None)` when it answered with a
/// failure (no credential stored is one).
async fn run(action: &str, input: &str) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, Failure> {
    let output = programs::run(git(action), input.as_bytes(), TIMEOUT).await?;
    Ok(output.status.success().then_some(output.stdout))
}

async fn fill(host: &str, path: Option<&str>) -> Result<Option<Credential>, Failure> {
    let mut input = format!("protocol=https\nhost={host}\n");
    if let Some(path) = path {
        input.push_str(&format!("path={path}\n"));
    }
    input.push('\n');
    let Some(stdout) = run("fill", &input).await? else {
        return Ok(None);
    };
    let Ok(text) = std::str::from_utf8(&stdout) else {
        return Ok(None);
    };
    let mut username = None;
    let mut password = None;
    for line in text.lines() {
        match line.split_once('=') {
            Some(("username", v)) => username = Some(v.to_owned()),
            Some(("password", v)) => password = Some(Secret::new(v)),
            _ => {}
        }
    }
    let Some(secret) = password.filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    Ok(Some(Credential {
        host: host.to_owned(),
        path: path.map(str::to_owned),
        username: username.unwrap_or_default(),
        secret,
        org: None,
    }))
}

/// Why a credential was not replaced.
#[derive(Debug)]
pub(super) enum Refused {
    /// git or its helper did not answer: asking again would wait as long.
    Stuck(String),
    Failed(String),
}

/// The new credential stored through the user's helper, and the old one gone. The new
/// one is approved first: a helper that keeps one credential per URL and user (store,
/// libsecret, wincred, Git Credential Manager) replaces the old one with it, and a kill
/// at any point leaves a working credential. Only a helper that still answers the old
/// one after that is told to reject it, and given the new one again.
pub(super) async fn replace(old: &Credential, new: &Secret) -> Result<(), Refused> {
    let stuck = |action: &str, failure: Failure| {
        Refused::Stuck(failure.said(&format!("git credential {action}")))
    };
    let approve = || async {
        match run("approve", &old.describe(new)).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err(Refused::Failed("git credential approve failed".to_owned())),
            Err(failure) => Err(stuck("approve", failure)),
        }
    };
    approve().await?;
    let now = fill(&old.host, old.path.as_deref())
        .await
        .map_err(|failure| stuck("fill", failure))?;
    if now.is_some_and(|c| c.secret == *new) {
        return Ok(());
    }
    if let Err(failure) = run("reject", &old.describe(&old.secret)).await {
        return Err(stuck("reject", failure));
    }
    approve().await
}
