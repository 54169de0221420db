//! System packages, installed with apt when missing (as root, or through sudo).

use anyhow::{Result, bail};
use std::process::Command;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Build,
    Test,
}

/// The CLI and core need no system library (rustls, pure-Rust X11 clipboard); the desktop
/// app (src-tauri) builds against WebKitGTK and GTK, and loads the appindicator library
/// for its tray at run time. Node.js and npm, which build ui/, come from the machine.
const BUILD: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "pkg-config",
    "file",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
];
/// The real clipboard under a private X server, read back by another process; a
/// private D-Bus session with the real Secret Service (gnome-keyring).
const TEST: &[&str] = &[
    "xvfb",
    "xauth",
    "xclip",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-tools",
    // The desktop app end to end: WebKit's WebDriver, the accessibility bus WebKit
    // asks for, and gdbus to read the tray's menu.
    "webkit2gtk-driver",
    "at-spi2-core",
    "libglib2.0-bin",
    // The linker of `cargo xtask test`'s Linux builds (main.rs, `lean`).
    "mold",
];

/// tauri-driver, the WebDriver front for the desktop app, comes from crates.io.
pub fn tauri_driver() -> Result<std::path::PathBuf> {
    let installed = cargo_home().join("bin/tauri-driver");
    if installed.exists() {
        return Ok(installed);
    }
    let on_path = Command::new("tauri-driver")
        .arg("--help")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    if on_path {
        return Ok("tauri-driver".into());
    }
    crate::run(crate::cargo().args(["install", "tauri-driver", "--version", "^2", "--locked"]))?;
    Ok(installed)
}

fn cargo_home() -> std::path::PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(Into::into)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
        .unwrap_or_default()
}

pub fn install(need: Need) -> Result<()> {
    // apt is Linux's; on Windows and macOS the toolchain and Node.js are all it takes.
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    let mut wanted: Vec<&str> = BUILD.to_vec();
    if need == Need::Test {
        wanted.extend_from_slice(TEST);
        wanted.extend_from_slice(crate::cross::PACKAGES);
        wanted.extend_from_slice(crate::wine::PACKAGES);
    }
    let missing: Vec<&str> = wanted.into_iter().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !cfg!(target_os = "linux") || Command::new("apt-get").arg("--version").output().is_err() {
        bail!(
            "install these packages with your package manager, then run again: {}",
            missing.join(" ")
        );
    }
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    eprintln!("xtask: installing {}", missing.join(" "));
    let apt = |args: &[&str]| {
        let mut cmd = Command::new(sudo.first().copied().unwrap_or("apt-get"));
        if !sudo.is_empty() {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    crate::run(&mut apt(&["update", "-q"]))?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(&missing);
    crate::run(&mut apt(&args))
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
