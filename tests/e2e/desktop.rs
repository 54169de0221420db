//! One running app under WebDriver, with the emulator it talks to.

use adopat_emulator::{Config, Emulator, Seed};
use adopat_test_support::{free_port, tauri_driver};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The static token the app signs in with (`ADOPAT_ACCESS_TOKEN`).
const TOKEN: &str = "e2e-access-token";
/// Enough for a cold WebKit start on a loaded 2-core machine.
const PATIENCE: Duration = Duration::from_secs(30);

pub struct Desktop {
    pub ui: Client,
    pub emulator: Emulator,
    driver: Child,
    config: tempfile::TempDir,
    /// The processes under the driver when the test closed the app: once the app is
    /// gone, WebKit's processes are no longer found under it.
    closed_over: std::sync::Mutex<Vec<Process>>,
}

impl Desktop {
    /// The demo seed: three organizations and a dozen PATs of every status.
    pub async fn start() -> Self {
        Self::start_with(Config {
            seed: Seed::Demo,
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> Self {
        Self::launch(config, true, &[], &[]).await
    }

    /// Started with more arguments, as the tray starts it (`--select ID`).
    pub async fn start_with_args(config: Config, args: &[&str]) -> Self {
        Self::launch(config, true, args, &[]).await
    }

    /// No `ADOPAT_ACCESS_TOKEN` and no account: the app as at its first start.
    pub async fn start_signed_out(config: Config) -> Self {
        Self::launch(config, false, &[], &[]).await
    }

    /// The demo seed, on a desktop whose theme is dark (GTK's, which WebKit's
    /// `prefers-color-scheme` follows).
    pub async fn start_dark() -> Self {
        let demo = Config {
            seed: Seed::Demo,
            ..Config::default()
        };
        Self::launch(demo, true, &[], &[("GTK_THEME", "Adwaita:dark")]).await
    }

    /// The demo seed, with more of the desktop's environment (its GTK settings, say).
    pub async fn start_with_env(env: &[(&str, &str)]) -> Self {
        let demo = Config {
            seed: Seed::Demo,
            ..Config::default()
        };
        Self::launch(demo, true, &[], env).await
    }

    async fn launch(config: Config, token: bool, args: &[&str], env: &[(&str, &str)]) -> Self {
        let emulator = Emulator::start(Config {
            static_token: Some(TOKEN.into()),
            ..config
        })
        .await
        .expect("the emulator starts");
        let config_dir = tempfile::tempdir().unwrap();
        let (port, native_port) = (free_port(), free_port());
        let mut driver = Command::new(tauri_driver());
        driver
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            // The app inherits the driver's environment.
            .env("ADOPAT_VSSPS_URL", emulator.base_url())
            .env("ADOPAT_APP_VSSPS_URL", emulator.base_url())
            .env("ADOPAT_LOGIN_URL", emulator.base_url())
            .env("ADOPAT_CONFIG_DIR", config_dir.path())
            // The places a regenerate updates are the test's own files, found through
            // each client's variable (git's global config included), never the user's.
            .env("NPM_CONFIG_USERCONFIG", config_dir.path().join("npmrc"))
            .env("PIP_CONFIG_FILE", config_dir.path().join("pip.conf"))
            .env("NETRC", config_dir.path().join("netrc"))
            .env("GIT_CONFIG_GLOBAL", config_dir.path().join("gitconfig"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdout(Stdio::null())
            // A file, not the test's own output: WebKit's processes, which may outlive
            // the app by a moment under load, never hold the test's output (nextest's
            // LEAK); a failing test prints it.
            .stderr(Stdio::from(
                std::fs::File::create(config_dir.path().join("driver.log"))
                    .expect("the driver's log"),
            ));
        driver.envs(env.iter().copied());
        if token {
            driver.env("ADOPAT_ACCESS_TOKEN", TOKEN);
        } else {
            driver.env_remove("ADOPAT_ACCESS_TOKEN");
        }
        // Its own process group, so a failed test takes the driver, WebKitWebDriver and
        // the app down together (a stray app would keep the single-instance name).
        std::os::unix::process::CommandExt::process_group(&mut driver, 0);
        let driver = driver
            .spawn()
            .expect("tauri-driver runs (cargo xtask deps installs it)");
        wait_for_port(port);
        let app_args = [&["--no-tray"], args].concat();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert(
            "tauri:options".into(),
            // The tray (a process that outlives the window) has tests of its own.
            json!({
                "application": env!("CARGO_BIN_EXE_adopat-desktop"),
                "args": app_args,
            }),
        );
        // tauri-driver listens before its native driver is ready: a first request may be
        // cut short (hyper's IncompleteMessage), so a new session is asked for again.
        let mut attempt = 0;
        let ui = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(ui) => break ui,
                Err(e) if attempt < 3 => {
                    eprintln!("no WebDriver session yet ({e}); asking again");
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                Err(e) => panic!("a WebDriver session with the app: {e}"),
            }
        };
        Self {
            ui,
            emulator,
            driver,
            config: config_dir,
            closed_over: std::sync::Mutex::default(),
        }
    }

    /// The config file the app keeps its accounts in.
    pub fn config_file(&self) -> Value {
        let text =
            std::fs::read_to_string(self.config.path().join("config.json")).unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// A file of the places the app finds (`npmrc`, `pip.conf`, `netrc`, `gitconfig`).
    pub fn place(&self, name: &str) -> PathBuf {
        self.config.path().join(name)
    }

    /// The state file the app and the tray share (reminders told, snoozes).
    pub fn state_file(&self) -> Value {
        let text =
            std::fs::read_to_string(self.config.path().join("state.json")).unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    /// Waits until the first rows are drawn.
    pub async fn rows(&self) -> Vec<Element> {
        self.wait_for("[data-pat-id][role=option]").await;
        self.ui
            .find_all(Locator::Css("[data-pat-id][role=option]"))
            .await
            .unwrap()
    }

    pub async fn row_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for row in self.rows().await {
            ids.push(row.attr("data-pat-id").await.unwrap().unwrap());
        }
        ids
    }

    pub async fn wait_for(&self, css: &str) -> Element {
        self.ui
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} appeared: {e}"))
    }

    /// Waits until `condition` holds for the page, by a script returning a boolean.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = self.ui.execute(script, vec![]).await.unwrap();
            if value == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting until {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Selects the PAT's row, which shows its details pane with the actions.
    pub async fn select(&self, id: &str) {
        self.click(&format!("[role=option][data-pat-id='{id}']"))
            .await;
        self.wait_for(&format!("section[data-pat-id='{id}']")).await;
    }

    /// The page as WebKit holds it: markup plus every form field's current value.
    pub async fn page_text(&self) -> String {
        let source = self.ui.source().await.unwrap();
        let values = self
            .ui
            .execute(
                "return [...document.querySelectorAll('input, textarea')].map(e => e.value).join('\\n') + document.body.innerText",
                vec![],
            )
            .await
            .unwrap();
        format!("{source}\n{}", values.as_str().unwrap_or_default())
    }

    /// The emulator's state: its clock (`now`), organizations, users and PATs.
    pub async fn service_state(&self) -> Value {
        reqwest::get(format!("{}/_emulator/state", self.emulator.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The emulator's view of every PAT: authorizationId, displayName, status, validTo.
    pub async fn service_pats(&self) -> Vec<Value> {
        self.service_state().await["pats"]
            .as_array()
            .unwrap()
            .clone()
    }

    pub async fn service_pat(&self, name: &str) -> Value {
        self.service_pats()
            .await
            .into_iter()
            .find(|p| p["displayName"] == name)
            .unwrap_or_else(|| panic!("the service has no PAT named {name}"))
    }

    /// Whether `secret` works as a PAT does: Basic auth on connectionData.
    pub async fn authenticates(&self, org: &str, secret: &str) -> bool {
        let status = reqwest::Client::new()
            .get(format!(
                "{}/{org}/_apis/connectionData",
                self.emulator.base_url()
            ))
            .basic_auth("", Some(secret))
            .send()
            .await
            .unwrap()
            .status();
        status.is_success()
    }

    /// Saves a screenshot of the window: into docs/screenshots with
    /// ADOPAT_UPDATE_SCREENSHOTS=1, else beside the build for a look after a run.
    pub async fn screenshot(&self, name: &str) {
        // A screenshot right after a change can show the frame before it.
        tokio::time::sleep(Duration::from_millis(400)).await;
        self.ui.execute(NUDGE, vec![]).await.unwrap();
        let png = self.ui.screenshot().await.unwrap();
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// axe-core's WCAG 2.1 A and AA rules on the page as it is now (npm's axe-core,
    /// injected): each serious or critical violation as "rule: element (what fails)".
    pub async fn axe(&self) -> Vec<String> {
        let source =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&source).unwrap_or_else(|e| {
            panic!(
                "{} (npm ci in ui/; cargo xtask test runs it): {e}",
                source.display()
            )
        });
        self.ui.execute(&source, vec![]).await.unwrap();
        let found = self
            .ui
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                window.axe
                  .run(document, {
                    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                    resultTypes: ["violations"],
                  })
                  .then((r) => done(r.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .flatMap((v) => v.nodes.map((n) =>
                      `${v.id}: ${n.target.join(" ")} (${(n.failureSummary || "").replace(/\s+/g, " ")})`))))
                  .catch((e) => done([`axe could not run: ${e}`]));"#,
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Escape, as a keyboard user closes a dialog; waits until it is gone.
    pub async fn dismiss(&self) {
        let focused = self.ui.active_element().await.unwrap();
        focused.send_keys("\u{E00C}").await.unwrap();
        self.wait_until(
            "the dialog closes",
            "return document.querySelector('[role=dialog]') === null",
        )
        .await;
    }

    /// The app's process id: the `adopat-desktop` whose config folder is this test's.
    pub fn pid(&self) -> u32 {
        let wanted = format!("ADOPAT_CONFIG_DIR={}", self.config.path().display());
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .find(|pid| {
                let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
                let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
                exe.ends_with("adopat-desktop")
                    && environ
                        .split(|b| *b == 0)
                        .any(|var| var == wanted.as_bytes())
            })
            .expect("the app runs")
    }

    pub async fn close(&self) {
        let under = descendants(self.driver.id());
        self.closed_over
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(under);
        let _ = self.ui.clone().close().await;
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // WebKit's own processes may leave the driver's group (its sandbox starts a new
        // session) and end only when they notice the app is gone, holding the test's
        // output meanwhile: each process under the driver is ended and waited for, so
        // that none outlives the test (nextest's LEAK).
        let mut tree = descendants(self.driver.id());
        tree.extend(
            std::mem::take(
                &mut *self
                    .closed_over
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            )
            .into_iter()
            // The same process, not one that took its number since.
            .filter(|seen| started_at(seen.pid) == Some(seen.started)),
        );
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        if !tree.is_empty() {
            let _ = Command::new("kill")
                .arg("-KILL")
                .args(tree.iter().map(|p| p.pid.to_string()))
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.driver.wait();
        let gone = Instant::now() + PATIENCE;
        while Instant::now() < gone && tree.iter().any(|p| holds_files(p.pid)) {
            std::thread::sleep(Duration::from_millis(20));
        }
        // The next test's app must not meet this one's single-instance name on the bus.
        let gone = Instant::now() + PATIENCE;
        while Instant::now() < gone && instance_on_the_bus() {
            std::thread::sleep(Duration::from_millis(50));
        }
        if std::thread::panicking() {
            let log =
                std::fs::read_to_string(self.config.path().join("driver.log")).unwrap_or_default();
            eprintln!("the app and its driver said:\n{log}");
        }
    }
}

/// A process, told apart from a later one given the same number.
struct Process {
    pid: u32,
    started: u64,
}

/// Every process whose parent, or its parent's parent and so on, is `root` (/proc).
fn descendants(root: u32) -> Vec<Process> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((pid, parent_of(pid)?))
        })
        .collect();
    let mut found = vec![root];
    let mut at = 0;
    while at < found.len() {
        let parent = found[at];
        found.extend(
            parents
                .iter()
                .filter(|&&(_, ppid)| ppid == parent)
                .map(|&(pid, _)| pid),
        );
        at += 1;
    }
    found.remove(0);
    found
        .into_iter()
        .filter_map(|pid| {
            Some(Process {
                pid,
                started: started_at(pid)?,
            })
        })
        .collect()
}

/// When the process started, in clock ticks since boot (/proc/PID/stat's 22nd field).
fn started_at(pid: u32) -> Option<u64> {
    stat_fields(pid)?.get(19)?.parse().ok()
}

/// /proc/PID/stat: "pid (comm) state ppid ...", comm possibly holding spaces and ')'.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    Some(after.split_whitespace().map(str::to_owned).collect())
}

fn parent_of(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

/// Still holding open files (the test's output among them): a process whose last
/// thread has exited holds none, even before it is reaped. (A killed process's first
/// thread can be a zombie while the others are still on their way out.)
fn holds_files(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|mut fds| fds.next().is_some())
}

fn instance_on_the_bus() -> bool {
    let Ok(bus) = zbus::blocking::Connection::session() else {
        return false;
    };
    let Ok(dbus) = zbus::blocking::fdo::DBusProxy::new(&bus) else {
        return false;
    };
    zbus::names::BusName::try_from("dev.adopat.desktop.SingleInstance")
        .ok()
        .and_then(|name| dbus.name_has_owner(name).ok())
        .unwrap_or(false)
}

pub use adopat_test_support::clipboard;

/// Waits for the clipboard to hold something other than `before`.
pub async fn clipboard_change(before: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let now = clipboard();
        if !now.is_empty() && now != before {
            return now;
        }
        assert!(Instant::now() < deadline, "the clipboard did not change");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// WebKit's automation takes a screenshot after the next paint. With compositing off
/// (AdoPat's choice where no GPU can do it, as here) a screen where nothing changes paints
/// next at the list's minute tick: a screenshot of the Places dialog took 60 s. A change
/// that paints nothing, just after the screenshot is asked for, brings that paint at once.
const NUDGE: &str = r#"
let nudge = document.getElementById("e2e-nudge");
if (!nudge) {
  nudge = document.createElement("div");
  nudge.id = "e2e-nudge";
  nudge.setAttribute("aria-hidden", "true");
  nudge.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none";
  document.body.append(nudge);
}
setTimeout(() => { nudge.textContent = nudge.textContent ? "" : "\u200b"; }, 100);
"#;

fn screenshot_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if std::env::var_os("ADOPAT_UPDATE_SCREENSHOTS").is_some() {
        root.join("docs/screenshots")
    } else {
        root.join("target/e2e-screenshots")
    }
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + PATIENCE;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
