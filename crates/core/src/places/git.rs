//! git's credentials, through git itself: `git credential fill` asks whatever helper
//! the user chose (Git Credential Manager, libsecret, osxkeychain, wincred, store), and
//! `git credential reject`/`approve` write through the same helper. Prompts are off, so
//! a helper with nothing stored answers nothing rather than asking; the secret travels
//! on stdin, never on a command line.

use crate::secret::Secret;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

/// A helper that hangs (a sign-in window nobody sees) is given up on.
const TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub(super) struct Credential {
    host: String,
    path: Option<String>,
    username: String,
    pub(super) secret: Secret,
    pub(super) org: Option<String>,
}

impl Credential {
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
/// organization, and is one place.
pub(super) async fn credentials(orgs: &[String]) -> Vec<Credential> {
    let mut out: Vec<Credential> = Vec::new();
    for org in orgs {
        let org = org.to_ascii_lowercase();
        for (host, path) in [
            ("dev.azure.com".to_owned(), Some(org.clone())),
            (format!("{org}.visualstudio.com"), None),
        ] {
            if let Some(found) = fill(&host, path.as_deref()).await {
                out.push(Credential {
                    org: Some(org.clone()),
                    ..found
                });
            }
        }
    }
    if out.iter().any(|c| c.path.is_some())
        && let Some(whole_host) = fill("dev.azure.com", None).await
    {
        for credential in &mut out {
            if credential.host == whole_host.host && credential.secret == whole_host.secret {
                credential.path = None;
                credential.org = None;
            }
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
    out
}

fn git(action: &str) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new("git");
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
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .kill_on_drop(true);
    cmd
}

async fn run(action: &str, input: &str) -> Result<Vec<u8>, String> {
    let mut child = git(action)
        .spawn()
        .map_err(|e| format!("git could not be started ({e})"))?;
    let mut stdin = child.stdin.take().ok_or("git has no stdin")?;
    let talk = async {
        stdin
            .write_all(input.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        drop(stdin);
        child.wait_with_output().await.map_err(|e| e.to_string())
    };
    let output = tokio::time::timeout(TIMEOUT, talk).await.map_err(|_| {
        format!(
            "git credential {action} did not answer within {} s",
            TIMEOUT.as_secs()
        )
    })??;
    if !output.status.success() {
        return Err(format!(
            "git credential {action} failed ({})",
            output.status
        ));
    }
    Ok(output.stdout)
}

async fn fill(host: &str, path: Option<&str>) -> Option<Credential> {
    let mut input = format!("protocol=https\nhost={host}\n");
    if let Some(path) = path {
        input.push_str(&format!("path={path}\n"));
    }
    input.push('\n');
    let stdout = zeroize::Zeroizing::new(run("fill", &input).await.ok()?);
    let text = std::str::from_utf8(&stdout).ok()?;
    let mut username = None;
    let mut password = None;
    for line in text.lines() {
        match line.split_once('=') {
            Some(("username", v)) => username = Some(v.to_owned()),
            Some(("password", v)) => password = Some(Secret::new(v)),
            _ => {}
        }
    }
    let secret = password.filter(|p| !p.is_empty())?;
    Some(Credential {
        host: host.to_owned(),
        path: path.map(str::to_owned),
        username: username.unwrap_or_default(),
        secret,
        org: None,
    })
}

/// The old credential rejected (so a helper keeping several drops it), the new one
/// approved, both through the user's helper.
pub(super) async fn replace(old: &Credential, new: &Secret) -> Result<(), String> {
    run("reject", &old.describe(&old.secret)).await?;
    run("approve", &old.describe(new)).await?;
    Ok(())
}
