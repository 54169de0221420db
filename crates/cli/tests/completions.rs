//! `adopat completions SHELL`: scripts the shells load, offering the commands and flags.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use std::process::Command;

fn completions(shell: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_adopat"))
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(unix)]
#[test]
fn bash_completes_commands_and_flags_when_loaded_into_bash() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("adopat.bash");
    std::fs::write(&script, completions("bash")).unwrap();
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {}; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT={}; _adopat adopat '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display(),
                words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" "),
                words.len() - 1,
                line.len(),
                words[words.len() - 1],
                words[words.len() - 2],
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let commands = complete("adopat pl");
    assert_eq!(commands.trim(), "places", "{commands}");
    let flags = complete("adopat regenerate --no");
    assert!(flags.lines().any(|l| l == "--no-update"), "{flags}");
}

#[test]
fn every_shell_gets_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = completions(shell);
        for command in ["list", "create", "regenerate", "places", "copy"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_adopat"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("possible values: bash, zsh, fish, powershell")
    );
}
