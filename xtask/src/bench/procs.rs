//! A process and all it started (the app's WebKit web and network processes), and the
//! memory they hold together as PSS: shared pages are split among their sharers, so a
//! library mapped by three processes is not counted three times.

use anyhow::{Context, Result};
use std::collections::HashMap;

/// `root` and every descendant still running.
pub fn tree(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some(parent) = parent_of(pid) {
            children.entry(parent).or_default().push(pid);
        }
    }
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        found.extend(children.get(&found[next]).into_iter().flatten().copied());
        next += 1;
    }
    found
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may itself hold spaces or parentheses.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// PSS of the whole tree, in MiB.
pub fn pss_mib(root: u32) -> Result<f64> {
    let mut kib = 0u64;
    for pid in tree(root) {
        let Ok(rollup) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) else {
            continue; // it ended meanwhile
        };
        let line = rollup
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .with_context(|| format!("no Pss in /proc/{pid}/smaps_rollup"))?;
        kib += line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.parse::<u64>().ok())
            .context("unreadable Pss")?;
    }
    Ok(kib as f64 / 1024.0)
}

/// A started process whose whole tree is killed when this is dropped.
pub struct Tree(std::process::Child);

impl Tree {
    pub fn new(child: std::process::Child) -> Self {
        Self(child)
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    pub fn stdout(&mut self) -> Option<std::process::ChildStdout> {
        self.0.stdout.take()
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        // Leaves first; a sandboxed web process may have left the process group.
        for pid in tree(self.0.id()).into_iter().rev() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        let _ = self.0.wait();
    }
}
