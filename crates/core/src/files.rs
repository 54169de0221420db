//! AdoPat's own files (config, state): read with a size cap, changed under a lock that
//! every process of AdoPat (CLI, window, tray) takes, and replaced atomically. The folder
//! is private to the user; a temporary file left by a process that was killed mid-write
//! is removed by the next write.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

/// A temporary file older than this cannot belong to a write still under way.
const STALE: Duration = Duration::from_secs(60);

/// The file's bytes, `None` when it does not exist; an error past `cap` bytes (a config
/// pointed at `/dev/zero` must not fill the memory), and for anything but a regular file
/// (a named pipe, a socket or a device would make a read wait forever).
pub fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>> {
    let fail = |e: std::io::Error| Error::Other(format!("could not read {}: {e}", path.display()));
    let not_a_file = || {
        Error::Other(format!(
            "{} is not a regular file, so AdoPat does not read it",
            path.display()
        ))
    };
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return Err(not_a_file()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        _ => {}
    }
    let file = match open_without_waiting(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(fail(e)),
    };
    // Checked again on what was opened: it may have been swapped since.
    if !file.metadata().map_err(fail)?.is_file() {
        return Err(not_a_file());
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > cap {
        return Err(Error::Other(format!(
            "{} is larger than AdoPat reads ({} KiB); move it away or remove it",
            path.display(),
            cap / 1024
        )));
    }
    Ok(Some(bytes))
}

/// Opening a named pipe for reading waits for a writer; without blocking it does not.
#[cfg(unix)]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    File::options()
        .read(true)
        .custom_flags(nix::fcntl::OFlag::O_NONBLOCK.bits())
        .open(path)
}

#[cfg(not(unix))]
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Creates AdoPat's folder, readable by its owner only.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Runs `change` while holding the lock file `name` in `dir`: a read, a change and an
/// atomic write, milliseconds. Another process waits for it rather than overwriting it.
pub fn locked<T>(dir: &Path, name: &str, change: impl FnOnce() -> Result<T>) -> Result<T> {
    let lock = lock_file(dir, name)?;
    lock.lock().map_err(|e| lock_failed(dir, name, e))?;
    let out = change();
    drop(lock);
    out
}

/// AdoPat's lock file `name` in `dir`, made if it is not there.
fn lock_file(dir: &Path, name: &str) -> Result<File> {
    private_dir(dir).map_err(|e| lock_failed(dir, name, e))?;
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(name))
        .map_err(|e| lock_failed(dir, name, e))
}

fn lock_failed(dir: &Path, name: &str, e: std::io::Error) -> Error {
    Error::Other(format!("could not lock {}: {e}", dir.join(name).display()))
}

/// Takes the lock file `name` in `dir` if nobody holds it: `None` when another process
/// does. Held until the file is dropped; the system frees it when a holder dies, so a
/// killed process leaves nothing held.
pub fn claim(dir: &Path, name: &str) -> Result<Option<File>> {
    let lock = lock_file(dir, name)?;
    match lock.try_lock() {
        Ok(()) => Ok(Some(lock)),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(lock_failed(dir, name, e)),
    }
}

/// Writes `bytes` to AdoPat's own file `path`, readable by its owner only (see `replace`).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let fail = |e: std::io::Error| Error::Other(format!("could not write {}: {e}", path.display()));
    private_dir(dir).map_err(fail)?;
    let prefix = format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    replace(path, &prefix, bytes, |_| Ok(())).map_err(fail)
}

/// Replaces `path` with `bytes` so that readers see the old file or the new one, never a
/// mix: every atomic write of AdoPat, its own files' and the places'. The bytes go to a
/// temporary file beside it (`prefix`…`.tmp`, created readable by its owner alone, as
/// it may hold a secret), which `finish` gives what the new file must carry (an owner,
/// a mode) before it takes the name. A killed write's leftovers are removed first.
pub fn replace<T>(
    path: &Path,
    prefix: &str,
    bytes: &[u8],
    finish: impl FnOnce(&File) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let dir = path.parent().unwrap_or(Path::new("."));
    remove_stale(dir, prefix);
    let mut file = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    let out = finish(file.as_file())?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(out)
}

/// Temporary files of earlier writes that never finished (the process was killed).
pub(crate) fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > STALE);
        if name.starts_with(prefix) && name.ends_with(".tmp") && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_past_the_cap_is_refused_and_a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        assert!(read_capped(&path, 10).unwrap().is_none());
        std::fs::write(&path, vec![b' '; 11]).unwrap();
        let err = read_capped(&path, 10).unwrap_err().to_string();
        assert!(err.contains("larger than AdoPat reads"), "{err}");
        std::fs::write(&path, b"{}").unwrap();
        assert_eq!(read_capped(&path, 10).unwrap().unwrap(), b"{}");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_a_pipe_or_a_socket_is_refused_at_once() {
        let err = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(
            err.to_string().contains("/dev/zero is not a regular file"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pip.conf");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        // Nobody writes to it: a blocking open would never return.
        let err = read_capped(&fifo, 1024).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let socket = dir.path().join(".npmrc");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let err = read_capped(&socket, 1024).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn stale_temporary_files_are_removed_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".config.json.abc123.tmp");
        let fresh = dir.path().join(".config.json.def456.tmp");
        let other = dir.path().join("notes.tmp");
        for path in [&stale, &fresh, &other] {
            std::fs::write(path, b"x").unwrap();
        }
        let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        write_atomically(&dir.path().join("config.json"), b"{}").unwrap();
        assert!(!stale.exists(), "a killed writer's leftover is removed");
        assert!(
            fresh.exists(),
            "a write that may be under way is left alone"
        );
        assert!(other.exists());
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("adopat");
        write_atomically(&folder.join("config.json"), b"{}").unwrap();
        let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
    }
}
