//! The installed packages (.deb, .rpm): the window, the tray and the CLI, built without
//! the demo service, so no HTTP server and no stand-in for Entra ships to users.

use anyhow::Result;
use std::process::Command;

/// Cargo arguments for the window as the packages carry it (after `tauri build --`).
const WINDOW_FEATURES: &[&str] = &["--no-default-features", "--features", "custom-protocol"];

/// The CLI as the Linux packages carry it: the tray too (`adopat tray`, which their
/// `/usr/bin/adopat-tray`, installer/linux/adopat-tray, runs), so the two share one copy
/// of everything they have in common.
const PACKAGED_CLI: &[&str] = &[
    "-p",
    "adopat",
    "--no-default-features",
    "--features",
    "tray",
];

/// `cargo xtask package`: this platform's installers into target/release/bundle/ (the
/// .deb and .rpm on Linux, NSIS and MSI on Windows, the .app and .dmg on macOS).
pub fn build() -> Result<()> {
    crate::deps::install(crate::deps::Need::Build)?;
    bundle(if cfg!(windows) {
        "nsis,msi"
    } else if cfg!(target_os = "macos") {
        "app,dmg"
    } else {
        "deb,rpm"
    })
}

/// The shells whose completions the packages install, and the file each is written to
/// under target/completions/.
pub const COMPLETIONS: [(&str, &str); 3] = [
    ("bash", "adopat.bash"),
    ("zsh", "_adopat"),
    ("fish", "adopat.fish"),
];

/// `cargo xtask bundle-parts`, run by the Tauri bundler before it packs.
pub fn parts() -> Result<()> {
    crate::run(
        crate::cargo()
            .args(["build", "--release", "--locked"])
            .args(PACKAGED_CLI),
    )?;
    let dir = crate::root().join("target/completions");
    std::fs::create_dir_all(&dir)?;
    for (shell, file) in COMPLETIONS {
        let out = Command::new(crate::root().join("target/release/adopat"))
            .args(["completions", shell])
            .output()?;
        anyhow::ensure!(out.status.success(), "adopat completions {shell} failed");
        std::fs::write(dir.join(file), out.stdout)?;
    }
    Ok(())
}

/// The packages in `formats` (Tauri's names), built as users get them; this also builds
/// target/release/adopat-desktop, -tray and adopat, from the one tauri.conf.json.
pub fn bundle(formats: &str) -> Result<()> {
    let ui = crate::ui::install()?;
    crate::run(
        Command::new(ui.join("node_modules/.bin/tauri"))
            .current_dir(crate::root())
            .env("TAURI_APP_PATH", "src-tauri")
            .env("TAURI_FRONTEND_PATH", "ui")
            .args(["build", "--bundles", formats, "--ci", "--"])
            .args(WINDOW_FEATURES),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CLI (which is the tray too) as the packages carry it, and the completions:
    /// `tauri.conf.json`'s `beforeBundleCommand` makes them (`parts`).
    const BUNDLED_PARTS: &str = "cargo xtask bundle-parts";

    /// The crates a packaged binary links, as cargo resolves them with the packages'
    /// features.
    fn linked(package: &str, features: &[&str]) -> Vec<String> {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(crate::root())
            .args([
                "tree",
                "--locked",
                "--offline",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(["-p", package])
            .args(features)
            .output()
            .expect("cargo tree runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect()
    }

    #[test]
    fn the_packaged_binaries_link_no_emulator_and_no_http_server() {
        for (package, features) in [
            ("adopat-desktop", WINDOW_FEATURES),
            ("adopat-tray", &["--no-default-features"][..]),
            ("adopat", &PACKAGED_CLI[2..]),
        ] {
            let crates = linked(package, features);
            assert!(
                crates.iter().any(|c| c == "adopat-core"),
                "{package}: {crates:?}"
            );
            for server in ["adopat-emulator", "axum"] {
                assert!(
                    !crates.iter().any(|c| c == server),
                    "the packaged {package} links {server}"
                );
            }
        }
        // And the plain build, for `--demo` (docs/CONTRACTS.md), does carry it.
        assert!(linked("adopat", &[]).iter().any(|c| c == "adopat-emulator"));
    }

    #[test]
    fn the_packaged_cli_is_the_tray_too() {
        let crates = linked("adopat", &PACKAGED_CLI[2..]);
        assert!(crates.iter().any(|c| c == "adopat-tray"), "{crates:?}");
        let script =
            std::fs::read_to_string(crate::root().join("installer/linux/adopat-tray")).unwrap();
        assert!(script.starts_with("#!/bin/sh\n"), "{script}");
        assert!(
            script.contains("\nexec /usr/bin/adopat tray \"$@\"\n"),
            "{script}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(crate::root().join("installer/linux/adopat-tray"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "the script is executable");
        }
    }

    /// Notifications, the tray menu and start at login are the tray's: the CLI does not
    /// carry them.
    #[test]
    fn the_cli_links_none_of_the_trays_parts() {
        let crates = linked("adopat", &[]);
        for part in ["notify-rust", "auto-launch", "ksni"] {
            assert!(!crates.iter().any(|c| c == part), "the CLI links {part}");
        }
        assert!(
            linked("adopat-tray", &[])
                .iter()
                .any(|c| c == "notify-rust")
        );
    }

    #[test]
    fn the_bundle_builds_the_tray_and_the_cli_as_packaged() {
        let config: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(crate::root().join("tauri.conf.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(config["build"]["beforeBundleCommand"], BUNDLED_PARTS);
        for format in ["deb", "rpm"] {
            let files = &config["bundle"]["linux"][format]["files"];
            assert_eq!(
                files["/usr/bin/adopat"], "../target/release/adopat",
                "{format} installs adopat"
            );
            assert_eq!(
                files["/usr/bin/adopat-tray"], "../installer/linux/adopat-tray",
                "{format} installs adopat-tray, which runs adopat tray"
            );
            for (installed, (_, file)) in [
                "/usr/share/bash-completion/completions/adopat",
                "/usr/share/zsh/vendor-completions/_adopat",
                "/usr/share/fish/vendor_completions.d/adopat.fish",
            ]
            .into_iter()
            .zip(COMPLETIONS)
            {
                assert_eq!(
                    files[installed],
                    format!("../target/completions/{file}"),
                    "{format} installs {installed}"
                );
            }
        }
    }
}
