//! `cargo xtask bench list`: listing every PAT of many organizations, against the
//! leanest client fetching one organization's pages.

use super::{Emulator, median, ms};
use anyhow::{Result, bail};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ORGS: usize = 8;
const PATS_PER_ORG: usize = 250;
const LATENCY_MS: u64 = 50;
const RUNS: usize = 5;
const TOKEN: &str = "bench-static-token";

/// One raw HTTP/1.1 GET, so the floor carries no client overhead of AdoPat's.
fn get(base: &str, path_and_query: &str) -> Result<String> {
    let authority = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority)?;
    write!(
        stream,
        "GET {path_and_query} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok(body)
}

/// The network floor for one organization: its pages fetched one after another, as
/// continuation tokens require, by the leanest possible client.
fn floor_one_org(base: &str, org: &str) -> Result<(Duration, usize)> {
    let started = Instant::now();
    let mut pages = 0;
    let mut continuation = String::new();
    loop {
        let mut query = format!(
            "/{org}/_apis/tokens/pats?api-version=7.1-preview.1&displayFilterOption=all&$top=100"
        );
        if !continuation.is_empty() {
            query.push_str("&continuationToken=");
            query.push_str(&continuation);
        }
        let body = get(base, &query)?;
        let chunked_free =
            body.trim_start_matches(|c: char| c.is_ascii_hexdigit() || c.is_whitespace());
        let json: serde_json::Value = serde_json::from_str(chunked_free)
            .or_else(|_| serde_json::from_str(&body))
            .unwrap_or_default();
        pages += 1;
        match json["continuationToken"].as_str() {
            Some(next) if !next.is_empty() && pages < 50 => {
                continuation = next
                    .replace('=', "%3D")
                    .replace('+', "%2B")
                    .replace('/', "%2F")
            }
            _ => break,
        }
    }
    Ok((started.elapsed(), pages))
}

fn time_adopat(base: &str, orgs: &[String]) -> Result<Duration> {
    let mut cmd = Command::new(crate::root().join("target/release/adopat"));
    cmd.arg("--json");
    for org in orgs {
        cmd.args(["--org", org]);
    }
    cmd.args(["list", "--filter", "all"])
        .env("ADOPAT_ACCESS_TOKEN", TOKEN)
        .env("ADOPAT_VSSPS_URL", base)
        .env("ADOPAT_APP_VSSPS_URL", base)
        .env("ADOPAT_LOGIN_URL", base)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let out = cmd.output()?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("adopat failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let count = listed.as_array().map_or(0, Vec::len);
    if count != orgs.len() * PATS_PER_ORG {
        bail!(
            "adopat listed {count} PATs, expected {}",
            orgs.len() * PATS_PER_ORG
        );
    }
    Ok(took)
}

pub fn run() -> Result<()> {
    crate::run(crate::cargo().args([
        "build",
        "--release",
        "--bin",
        "adopat",
        "--bin",
        "adopat-emulator",
    ]))?;
    let emulator = Emulator::start(ORGS, PATS_PER_ORG, LATENCY_MS, TOKEN)?;
    let orgs: Vec<String> = (1..=ORGS).map(|i| format!("org{i:02}")).collect();

    let mut floors = Vec::new();
    let mut pages = 0;
    for _ in 0..RUNS {
        let (took, p) = floor_one_org(&emulator.base, &orgs[0])?;
        floors.push(took);
        pages = p;
    }
    let floor = median(floors);

    time_adopat(&emulator.base, &orgs)?; // warm the page cache
    let mut together = Vec::new();
    for _ in 0..RUNS {
        together.push(time_adopat(&emulator.base, &orgs)?);
    }
    let together = median(together);

    let mut one_by_one = Vec::new();
    for _ in 0..RUNS {
        let mut total = Duration::ZERO;
        for org in &orgs {
            total += time_adopat(&emulator.base, std::slice::from_ref(org))?;
        }
        one_by_one.push(total);
    }
    let one_by_one = median(one_by_one);

    println!(
        "bench list: {ORGS} orgs × {PATS_PER_ORG} PATs, {LATENCY_MS} ms latency, median of {RUNS}"
    );
    println!(
        "  floor: {pages} pages of one org fetched in sequence by a raw HTTP client: {:.0} ms (nominal {} ms)",
        ms(floor),
        pages as u64 * LATENCY_MS
    );
    let ratio = ms(together) / ms(floor);
    println!(
        "  adopat list, all {ORGS} orgs at once:  {:>7.0} ms  = {ratio:.2}× the floor (target ≤ 1.2×: {})",
        ms(together),
        super::verdict(ratio, 1.2)
    );
    println!(
        "  adopat list, one org after another: {:>7.0} ms  = {:.2}× the floor, {:.2}× {ORGS} floors",
        ms(one_by_one),
        ms(one_by_one) / ms(floor),
        ms(one_by_one) / (ms(floor) * ORGS as f64)
    );
    Ok(())
}
