//! Filtering 5,000 rows in the real WebKit of the release app, driven through
//! tauri-driver: the time from a keystroke's input event until the rows are in the DOM
//! and laid out.

use super::desktop::Desk;
use super::{Emulator, procs};
use anyhow::{Context, Result, bail};
use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

const ORGS: usize = 10;
const PATS_PER_ORG: usize = 500;
const RUNS: usize = 9;
const TOKEN: &str = "bench-static-token";

pub struct Filtering {
    /// Median ms from 5,000 rows to the 500 whose name holds "nuget".
    pub narrow: f64,
    /// Median ms from those 500 back to 5,000.
    pub widen: f64,
    /// Median ms of the same steps for an input that changes nothing.
    pub floor: f64,
}

/// Installed in the page: a step sets the search box as typing does, lets Svelte apply
/// it, forces style and layout, and times all of it.
const INSTALL: &str = r#"
const input = document.querySelector("input[type=search]");
// The list may draw only the rows in view; it says how many it holds.
const rows = () => Number(document.querySelector("[role=listbox]")?.dataset.count ?? -1);
window.__adopatBenchApply = async (value) => {
  const started = performance.now();
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => setTimeout(resolve, 0));
  void document.body.offsetHeight;
  return [performance.now() - started, rows()];
};
"#;

const STEP: &str = r#"
const done = arguments[arguments.length - 1];
window.__adopatBenchApply(arguments[0]).then(done, (error) => done([-1, String(error)]));
"#;

pub fn measure(desk: &Desk, app: &Path, driver: &Path) -> Result<Filtering> {
    let emulator = Emulator::start(ORGS, PATS_PER_ORG, 0, TOKEN)?;
    let port = free_port()?;
    let mut cmd = desk.command(driver);
    desk.signed_in(&mut cmd, &emulator);
    cmd.args(["--port", &port.to_string()])
        .args(["--native-port", &free_port()?.to_string()])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let _driver = procs::Tree::new(cmd.spawn().context("could not start tauri-driver")?);
    wait_for_port(port)?;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let out = runtime.block_on(async {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("wry"));
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": app.to_string_lossy() }),
        );
        let ui = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("no WebDriver session with the app")?;
        let wanted = ORGS * PATS_PER_ORG;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let shown = ui
                .execute(
                    "return Number(document.querySelector('[role=listbox]')?.dataset.count ?? -1)",
                    vec![],
                )
                .await?;
            if shown == wanted {
                break;
            }
            if Instant::now() > deadline {
                bail!("the app shows {shown} rows, not {wanted}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        ui.execute(INSTALL, vec![]).await?;
        let mut out = Steps::default();
        for _ in 0..RUNS {
            out.narrow.push(step(&ui, "nuget", 500).await?);
            out.floor.push(step(&ui, "nuget", 500).await?);
            out.widen.push(step(&ui, "", wanted).await?);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = ui.close().await;
        anyhow::Ok(out)
    })?;
    Ok(Filtering {
        narrow: median_ms(out.narrow),
        widen: median_ms(out.widen),
        floor: median_ms(out.floor),
    })
}

#[derive(Default)]
struct Steps {
    narrow: Vec<f64>,
    widen: Vec<f64>,
    floor: Vec<f64>,
}

/// One search in the page: its time in ms, checked to show `rows` rows.
async fn step(ui: &fantoccini::Client, query: &str, rows: usize) -> Result<f64> {
    let out = ui.execute_async(STEP, vec![json!(query)]).await?;
    let (took, shown) = (out[0].as_f64().unwrap_or(-1.0), &out[1]);
    if took < 0.0 || shown != rows {
        bail!("searching '{query}' showed {shown} rows, not {rows}");
    }
    Ok(took)
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn wait_for_port(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("tauri-driver did not listen on {port}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}
