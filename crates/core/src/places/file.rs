//! Reading and writing the files of places, which other people may have written (a
//! cloned repository's `.npmrc`): a file given with `--in` never leads out of its folder,
//! a link among the user's own files leads only to a file that only the user can change;
//! a write changes only the values that held the old secret, everything else stays byte
//! for byte; the file keeps its permissions and never becomes readable by more people
//! than before; a read-only file is left alone, a file changed since it was read is not
//! written, and readers see the old file or the new one, never a mix.

use super::Encoding;
use crate::secret::Secret;
use std::ops::Range;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Far more than any client's settings file.
pub(super) const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// A place's file as AdoPat may use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolved {
    /// The file itself, links followed.
    pub target: PathBuf,
    /// The path given was a link: the file is named by its target.
    pub linked: bool,
}

/// Where a place's file was found, which decides how far a link there may lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reach {
    /// In a folder given with `--in` (a cloned repository, say): nothing leads out of it.
    In(PathBuf),
    /// Among the user's own files, under their home folder.
    Home(PathBuf),
}

/// Where `path` leads when AdoPat may read and write it, `None` when there is nothing.
/// The error says why not.
pub(super) fn resolve(path: &Path, reach: &Reach) -> Result<Option<Resolved>, String> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let linked = meta.file_type().is_symlink();
    // dunce: Windows' own form of the path (`C:\…`), not the `\\?\C:\…` that std gives
    // and that would show in every message.
    let target = match dunce::canonicalize(path) {
        Ok(target) => target,
        Err(e) if linked && e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be resolved ({e})")),
    };
    match reach {
        Reach::In(folder) => {
            let folder = dunce::canonicalize(folder)
                .map_err(|e| format!("its folder cannot be resolved ({e})"))?;
            if !target.starts_with(&folder) {
                return Err(format!(
                    "is a link to {}, outside {}; AdoPat does not follow links out of the folder it was given",
                    target.display(),
                    folder.display()
                ));
            }
        }
        Reach::Home(home) if linked => only_mine(&target, home)?,
        Reach::Home(_) => {}
    }
    Ok(Some(Resolved { target, linked }))
}

/// A link among the user's own files is followed only to a file nobody else can change.
#[cfg(unix)]
fn only_mine(target: &Path, _home: &Path) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let me = nix::unistd::geteuid().as_raw();
    let meta = std::fs::metadata(target).map_err(|e| format!("cannot be read ({e})"))?;
    let folder = target.parent().unwrap_or(Path::new("/"));
    let folder_meta = std::fs::metadata(folder).map_err(|e| format!("cannot be read ({e})"))?;
    let why = if meta.uid() != me {
        "is owned by another user"
    } else if meta.mode() & 0o022 != 0 {
        "can be changed by other users"
    } else if folder_meta.mode() & 0o022 != 0 {
        "is in a folder other users can change"
    } else {
        return Ok(());
    };
    Err(format!(
        "is a link to {}, which {why}; AdoPat does not follow it",
        target.display()
    ))
}

/// Windows has no owner and mode bits to read cheaply; what it has is the profile
/// folder, which only its user (and administrators) can open by default. A link is
/// followed only into it: not to a shared folder, another drive or a network share.
#[cfg(not(unix))]
fn only_mine(target: &Path, home: &Path) -> Result<(), String> {
    let home = dunce::canonicalize(home).map_err(|e| format!("cannot be resolved ({e})"))?;
    if target.starts_with(&home) {
        return Ok(());
    }
    Err(format!(
        "is a link to {}, outside your user folder {}; AdoPat does not follow it",
        target.display(),
        home.display()
    ))
}

/// What a write did beyond the values: said to the user.
pub(super) type Note = Option<String>;

/// Whether the file read as `read` from `resolved` could be written now: still the same
/// file with the same bytes, and not read-only.
pub(super) fn writable(
    path: &Path,
    reach: &Reach,
    resolved: &Resolved,
    read: &[u8],
) -> Result<(), String> {
    if resolve(path, reach)?.as_ref() != Some(resolved) {
        return Err("changed since AdoPat read it, so it was not written; run it again".into());
    }
    let target = &resolved.target;
    let now = crate::files::read_capped(target, MAX_BYTES).map_err(|e| e.to_string())?;
    if now.as_deref() != Some(read) {
        return Err("changed since AdoPat read it, so it was not written; run it again".into());
    }
    let meta = std::fs::metadata(target).map_err(|e| e.to_string())?;
    if meta.permissions().readonly() {
        return Err("is read-only, so it was not written".into());
    }
    Ok(())
}

/// Replaces each value range of `read` (the file as it was read from `resolved`) with
/// `secret` in its encoding and writes the file; returns the bytes written, or why it was
/// not. `path` and `found` are those the file was found by: it must lead to the same file.
pub(super) fn replace_values(
    path: &Path,
    reach: &Reach,
    resolved: &Resolved,
    read: &[u8],
    values: &[(Range<usize>, Encoding)],
    secret: &Secret,
) -> Result<(Vec<u8>, Note), String> {
    writable(path, reach, resolved, read)?;
    let target = &resolved.target;
    let meta = std::fs::metadata(target).map_err(|e| e.to_string())?;
    let mut sorted: Vec<&(Range<usize>, Encoding)> = values.iter().collect();
    sorted.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut bytes = Zeroizing::new(read.to_vec());
    for (range, encoding) in sorted {
        if range.end > bytes.len() {
            return Err("changed while it was read".into());
        }
        let value = encoding.encode(secret);
        bytes.splice(range.clone(), value.as_bytes().iter().copied());
    }
    let note =
        write_keeping(target, &meta, &bytes).map_err(|e| format!("could not be written: {e}"))?;
    Ok((bytes.to_vec(), note))
}

/// The prefix of the temporary files a write of `target` makes beside it.
pub(super) fn temporary_prefix(target: &Path) -> String {
    format!(
        ".{}.adopat-",
        target.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Temporary files a write of `target` killed half-way left beside it, with a secret in
/// them: removed by any command that reads the place again.
pub(super) fn remove_leftovers(target: &Path) {
    if let Some(dir) = target.parent() {
        crate::files::remove_stale(dir, &temporary_prefix(target));
    }
}

/// An atomic replace that keeps the file's permissions and owner; where its group cannot
/// be kept, the group and others lose every access (the note says so).
fn write_keeping(target: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> std::io::Result<Note> {
    // Widened to the file's own permissions only once it is whole.
    crate::files::replace(target, &temporary_prefix(target), bytes, |file| {
        keep_access(file, meta)
    })
}

#[cfg(unix)]
fn keep_access(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<Note> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // Only root may give a file away, and only to a group one belongs to: the outcome
    // is read back rather than trusted.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    let now = file.metadata()?;
    let mode = meta.mode() & 0o777;
    if now.gid() == meta.gid() {
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        return Ok(None);
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))?;
    Ok((mode & 0o077 != 0)
        .then(|| "its group could not be kept, so only you can read it now".to_owned()))
}

#[cfg(not(unix))]
fn keep_access(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<Note> {
    file.set_permissions(meta.permissions())?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::new("NEW")
    }

    /// The file's folder taken for the home folder it was found in.
    fn home_of(path: &Path) -> Reach {
        Reach::Home(path.parent().unwrap().to_path_buf())
    }

    /// Resolved as the survey does, then written.
    fn replace(
        path: &Path,
        read: &[u8],
        values: &[(Range<usize>, Encoding)],
    ) -> Result<(Vec<u8>, Note), String> {
        let found = home_of(path);
        let resolved = resolve(path, &found)?.expect("the file is there");
        replace_values(path, &found, &resolved, read, values, &secret())
    }

    #[test]
    fn only_the_values_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".npmrc");
        let text = b"\xef\xbb\xbfa=OLD\r\n# keep\r\nb=OLD\r\n";
        std::fs::write(&path, text).unwrap();
        let (written, note) = replace(
            &path,
            text,
            &[(5..8, Encoding::Plain), (20..23, Encoding::Base64)],
        )
        .unwrap();
        assert_eq!(written, b"\xef\xbb\xbfa=NEW\r\n# keep\r\nb=TkVX\r\n");
        assert_eq!(std::fs::read(&path).unwrap(), written);
        assert_eq!(note, None);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".npmrc");
        std::fs::write(&path, b"a=OLD\nedited\n").unwrap();
        let err = replace(&path, b"a=OLD\n", &[(2..5, Encoding::Plain)]).unwrap_err();
        assert!(err.contains("changed since"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"a=OLD\nedited\n");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_a_read_only_file_is_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pip.conf");
        std::fs::write(&path, b"a=OLD\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        replace(&path, b"a=OLD\n", &[(2..5, Encoding::Plain)]).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err = replace(&path, b"a=NEW\n", &[(2..5, Encoding::Plain)]).unwrap_err();
        assert!(err.contains("read-only"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_among_the_user_s_files_is_written_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-npmrc");
        let link = dir.path().join(".npmrc");
        std::fs::write(&real, b"a=OLD\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let resolved = resolve(&link, &home_of(&link)).unwrap().unwrap();
        assert!(resolved.linked);
        assert_eq!(resolved.target, std::fs::canonicalize(&real).unwrap());
        replace(&link, b"a=OLD\n", &[(2..5, Encoding::Plain)]).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"a=NEW\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_file_others_can_change_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
        let real = shared.join("npmrc");
        std::fs::write(&real, b"a=OLD\n").unwrap();
        let link = dir.path().join(".npmrc");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = resolve(&link, &home_of(&link)).unwrap_err();
        assert!(err.contains("a folder other users can change"), "{err}");

        let mine = dir.path().join("mine");
        std::fs::write(&mine, b"a=OLD\n").unwrap();
        std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o666)).unwrap();
        let link = dir.path().join("pip.conf");
        std::os::unix::fs::symlink(&mine, &link).unwrap();
        let err = resolve(&link, &home_of(&link)).unwrap_err();
        assert!(err.contains("can be changed by other users"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_of_a_given_folder_never_leads_out_of_it() {
        let outside = tempfile::tempdir().unwrap();
        let repo = tempfile::tempdir().unwrap();
        let real = outside.path().join("credentials");
        std::fs::write(&real, b"a=OLD\n").unwrap();
        let link = repo.path().join(".npmrc");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = resolve(&link, &Reach::In(repo.path().to_path_buf())).unwrap_err();
        assert!(err.contains("outside"), "{err}");
        assert!(err.contains(&real.display().to_string()), "{err}");

        let inside = repo.path().join("npmrc.shared");
        std::fs::write(&inside, b"a=OLD\n").unwrap();
        let link = repo.path().join("pip.conf");
        std::os::unix::fs::symlink(&inside, &link).unwrap();
        assert!(
            resolve(&link, &Reach::In(repo.path().to_path_buf()))
                .unwrap()
                .is_some()
        );
        assert_eq!(
            resolve(
                &repo.path().join("none"),
                &Reach::In(repo.path().to_path_buf())
            ),
            Ok(None)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_kill_s_leftover_is_removed_by_the_next_look() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".npmrc");
        std::fs::write(&path, b"a=OLD\n").unwrap();
        let leftover = dir
            .path()
            .join(format!("{}abc123.tmp", temporary_prefix(&path)));
        std::fs::write(&leftover, b"a=SECRET\n").unwrap();
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&leftover)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        remove_leftovers(&std::fs::canonicalize(&path).unwrap());
        assert!(!leftover.exists());
    }

    /// Wine (Debian's 8.0) cannot make a link (`CreateSymbolicLinkW` came in Wine 10.20),
    /// so the rule that decides is tried on the files a link would lead to.
    #[cfg(windows)]
    #[test]
    fn a_link_among_the_user_s_files_stays_in_the_user_folder() {
        let home = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let inside = home.path().join("dotfiles").join("npmrc");
        std::fs::create_dir_all(inside.parent().unwrap()).unwrap();
        std::fs::write(&inside, b"a=OLD\n").unwrap();
        let outside = elsewhere.path().join("npmrc");
        std::fs::write(&outside, b"a=OLD\n").unwrap();

        let resolved = |path: &Path| dunce::canonicalize(path).unwrap();
        assert_eq!(only_mine(&resolved(&inside), home.path()), Ok(()));
        let err = only_mine(&resolved(&outside), home.path()).unwrap_err();
        assert!(err.contains("outside your user folder"), "{err}");
        assert!(
            err.contains(&resolved(&outside).display().to_string()),
            "{err}"
        );
        assert!(!err.contains(r"\\?\"), "{err}");
    }
}
