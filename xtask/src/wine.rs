//! The Windows build run for real, under Wine, from Linux: core's and the CLI's tests
//! built for x86_64-pc-windows-gnu and each test program run through Wine from its
//! package's folder, as cargo would, against the emulator built for Windows too, with the clipboard bridged to
//! the Xvfb display and Credential Manager in Wine's registry.
//!
//! Wine 8 lacks `bcryptprimitives.dll`, whose `ProcessPrng` Rust's standard library
//! imports since 1.78: a stand-in built with mingw (xtask/wine/bcryptprimitives.c,
//! filling the buffer through advapi32's RtlGenRandom) goes into the prefix first.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Debian's Wine (64-bit Windows programs only), and wixl for the MSI.
pub const PACKAGES: &[&str] = &["wine64", "wine", "wixl"];

/// A Wine prefix of AdoPat's own under target/, made once.
pub fn prefix() -> Result<PathBuf> {
    let prefix = crate::root().join("target/wine-prefix");
    let system32 = prefix.join("drive_c/windows/system32");
    if !system32.join("kernel32.dll").exists() {
        crate::run(
            Command::new("wineboot")
                .arg("-i")
                .env("WINEPREFIX", &prefix)
                .env("WINEDEBUG", "-all"),
        )?;
    }
    let stub = system32.join("bcryptprimitives.dll");
    if !stub.exists() {
        build_stub(&stub)?;
    }
    Ok(prefix)
}

fn build_stub(out: &Path) -> Result<()> {
    let source = crate::root().join("xtask/wine");
    crate::run(
        Command::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(out)
            .arg(source.join("bcryptprimitives.c"))
            .arg(source.join("bcryptprimitives.def"))
            .arg("-ladvapi32"),
    )
    .context("building Wine's missing bcryptprimitives.dll")
}

/// A test program of the Windows build, as cargo would run it: from its package's folder.
pub struct TestProgram {
    exe: PathBuf,
    package_dir: PathBuf,
}

/// Every Windows program and test of the workspace, built once (linted as they are
/// built, which is the Windows clippy check) with the features the workspace resolves
/// together, so that no later build of the run resolves them again; returns core's and
/// the CLI's test programs, which run under Wine. (`cargo test -p adopat-core -p adopat`
/// resolved other features and built the dependencies a second time.)
pub fn build_tests() -> Result<Vec<TestProgram>> {
    let mut cmd = crate::cargo();
    cmd.args(["build", "--workspace", "--bins", "--tests", "--locked"])
        .args(["--target", crate::cross::WINDOWS])
        // Start at login is the Run key there.
        .args(["--features", "adopat-core/autostart"])
        .args(["--message-format", "json-render-diagnostics"])
        .stdout(std::process::Stdio::piped());
    crate::linted(&mut cmd)?;
    eprintln!(
        "xtask: [{}] {}",
        crate::since_start(),
        crate::describe(&cmd)
    );
    let started = std::time::Instant::now();
    let out = cmd
        .spawn()
        .and_then(|child| child.wait_with_output())
        .context("could not start cargo")?;
    if !out.status.success() {
        bail!("the Windows build failed ({})", out.status);
    }
    eprintln!(
        "xtask: [{}] took {:.0} s: the Windows build",
        crate::since_start(),
        started.elapsed().as_secs_f64()
    );
    let wanted = [
        crate::root().join("crates/core/Cargo.toml"),
        crate::root().join("crates/cli/Cargo.toml"),
    ];
    let mut programs = Vec::new();
    for line in out.stdout.split(|b| *b == b'\n') {
        let Ok(message) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        let is_test =
            message["reason"] == "compiler-artifact" && message["profile"]["test"] == true;
        let (Some(exe), Some(manifest)) = (
            message["executable"].as_str(),
            message["manifest_path"].as_str(),
        ) else {
            continue;
        };
        if is_test && wanted.iter().any(|w| Path::new(manifest) == w) {
            programs.push(TestProgram {
                exe: exe.into(),
                package_dir: Path::new(manifest)
                    .parent()
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
            });
        }
    }
    if programs.is_empty() {
        bail!("the Windows build made no test program of core or the CLI");
    }
    Ok(programs)
}

/// Core's and the CLI's tests under Wine on `display`; then the MSI's build, whose tray
/// a Linux test starts under Wine as a login would, and which another installs.
pub fn test(programs: &[TestProgram], display: &str) -> Result<()> {
    let prefix = prefix()?;
    // Wine's server leaves a few seconds after its last program; on a busy machine the
    // next program met it leaving ("recvmsg: Connection reset by peer") and failed. It
    // stays for the whole run instead, and `-k` below ends it. A server may be running
    // already (the one `wineboot` of a new prefix leaves, or one of an interrupted run),
    // and `-p` refuses to start beside it (exit 2, as a clean clone met): it is ended
    // and waited for first.
    let server = |flag: &str| {
        Command::new("wineserver")
            .arg(flag)
            .env("WINEPREFIX", &prefix)
            .status()
    };
    let _ = server("-k");
    let _ = server("-w");
    crate::run(
        Command::new("wineserver")
            .arg("-p")
            .env("WINEPREFIX", &prefix),
    )?;
    let mut failed = Vec::new();
    for program in programs {
        let ran = crate::run(
            Command::new("wine")
                .arg(&program.exe)
                .current_dir(&program.package_dir)
                .env("WINEPREFIX", &prefix)
                .env("WINEDEBUG", "-all")
                .env("DISPLAY", display),
        );
        if let Err(error) = ran {
            eprintln!("xtask: {error}");
            failed.push(error.to_string());
        }
    }
    // The Linux side's tests of the Windows build: resolved for the whole workspace,
    // as every build of the run is, so that only these tests are built.
    let host_test = |test: &str, threads: Option<&str>| {
        let mut cmd = crate::cargo();
        cmd.args([
            "test",
            "--locked",
            "--workspace",
            "--test",
            test,
            "--",
            "--ignored",
        ])
        .env("WINEPREFIX", &prefix)
        .env("DISPLAY", display);
        if let Some(threads) = threads {
            cmd.args(["--test-threads", threads]);
        }
        crate::linted(&mut cmd).and_then(crate::run)
    };
    let outcome = if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "Windows tests failed under Wine:\n{}",
            failed.join("\n")
        ))
    }
    // The clipboard as the Windows CLI leaves it (before the MSI's build replaces that
    // CLI with one without the demo service).
    .and_then(|()| host_test("windows_clipboard", None))
    // The window's own Windows build, where WebView2 is missing (Wine has none).
    .and_then(|()| host_test("windows_webview", None))
    .and_then(|()| msi())
    // The tray as the MSI carries it, then the MSI itself.
    .and_then(|()| host_test("windows_tray", Some("1")))
    .and_then(|()| host_test("windows_installer", None));
    // Wine's server outlives the programs by a few seconds; the run ends with it.
    let _ = server("-k");
    outcome
}

/// The Windows installer (installer/adopat.wxs) from the Windows build of the three
/// programs as installed (no demo service), with wixl: target/x86_64-pc-windows-gnu/adopat.msi.
pub fn msi() -> Result<()> {
    // The whole workspace as the Windows test build has it (its tests too), with every
    // crate's default features off: the programs lose the demo service and serve their
    // embedded page, as installed ones must, while every dependency keeps the features
    // of the test build, so only AdoPat's own crates are built again (a build of the
    // three programs alone resolved other features and rebuilt 163 crates: 105 s
    // against 33 s). Linted as the test build, so the no-demo programs are linted too.
    let mut build = crate::cargo();
    build
        .args(["build", "--workspace", "--bins", "--tests", "--locked"])
        .args(["--target", crate::cross::WINDOWS])
        .args([
            "--no-default-features",
            "--features",
            "adopat-desktop/custom-protocol,adopat-core/autostart",
        ]);
    crate::run(crate::linted(&mut build)?)?;
    let bin = crate::root().join("target/x86_64-pc-windows-gnu/debug");
    let version = env!("CARGO_PKG_VERSION");
    // wixl reads each File's Source from the working folder.
    crate::run(
        Command::new("wixl")
            .current_dir(&bin)
            .args([
                "-a",
                "x64",
                "-D",
                &format!("Version={version}"),
                "-D",
                "Bin=.",
            ])
            .arg("-o")
            .arg(bin.parent().unwrap_or(&bin).join("adopat.msi"))
            .arg(crate::root().join("installer/adopat.wxs")),
    )
}
