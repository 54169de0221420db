//! One tray per user: a second `adopat-tray` (started at login and again by the window,
//! say) finds the lock taken and leaves.

use adopat_core::{Error, Result};
use std::fs::{File, TryLockError};
use std::path::Path;

const LOCK: &str = "tray.lock";

/// Held while this process is the tray; released when it ends, however it ends.
pub struct Instance(#[allow(dead_code)] File);

/// `None` when another tray already runs for this config folder.
pub fn claim(dir: &Path) -> Result<Option<Instance>> {
    let fail = |e: std::io::Error| {
        Error::Other(format!("could not lock {}: {e}", dir.join(LOCK).display()))
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))
        .map_err(fail)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Instance(file))),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(fail(e)),
    }
}
