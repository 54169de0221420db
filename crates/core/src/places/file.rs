//! Writing a new secret into a file the user owns: only the values that held the old
//! one change, everything else stays byte for byte; the file keeps its permissions, a
//! read-only file is left alone, a file changed since it was read is not written, and
//! readers see the old file or the new one, never a mix.

use super::Encoding;
use crate::secret::Secret;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use zeroize::Zeroizing;

/// Far more than any client's settings file.
pub(super) const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Replaces each value range of `read` (the file as it was read) with `secret` in its
/// encoding and writes the file; returns the bytes written, or why it was not.
pub(super) fn replace_values(
    path: &Path,
    read: &[u8],
    values: &[(Range<usize>, Encoding)],
    secret: &Secret,
) -> Result<Vec<u8>, String> {
    let now = crate::files::read_capped(path, MAX_BYTES).map_err(|e| e.to_string())?;
    if now.as_deref() != Some(read) {
        return Err("changed since AdoPat read it, so it was not written; run it again".into());
    }
    let target = std::fs::canonicalize(path).map_err(|e| format!("cannot be resolved: {e}"))?;
    let meta = std::fs::metadata(&target).map_err(|e| e.to_string())?;
    if meta.permissions().readonly() {
        return Err("is read-only, so it was not written".into());
    }
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
    write_keeping(&target, &meta, &bytes).map_err(|e| format!("could not be written: {e}"))?;
    Ok(bytes.to_vec())
}

/// An atomic replace that keeps the file's permissions (and owner, where allowed).
fn write_keeping(target: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let prefix = format!(
        ".{}.adopat-",
        target.file_name().unwrap_or_default().to_string_lossy()
    );
    // A write killed half-way leaves a temporary file with secrets in it: gone now.
    crate::files::remove_stale(dir, &prefix);
    let mut file = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    file.as_file().set_permissions(meta.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; as its owner the file is ours already.
        let _ = std::os::unix::fs::fchown(file.as_file(), Some(meta.uid()), Some(meta.gid()));
    }
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::new("NEW")
    }

    #[test]
    fn only_the_values_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".npmrc");
        let text = b"\xef\xbb\xbfa=OLD\r\n# keep\r\nb=OLD\r\n";
        std::fs::write(&path, text).unwrap();
        let written = replace_values(
            &path,
            text,
            &[(5..8, Encoding::Plain), (20..23, Encoding::Base64)],
            &secret(),
        )
        .unwrap();
        assert_eq!(written, b"\xef\xbb\xbfa=NEW\r\n# keep\r\nb=TkVX\r\n");
        assert_eq!(std::fs::read(&path).unwrap(), written);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".npmrc");
        std::fs::write(&path, b"a=OLD\nedited\n").unwrap();
        let err =
            replace_values(&path, b"a=OLD\n", &[(2..5, Encoding::Plain)], &secret()).unwrap_err();
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
        replace_values(&path, b"a=OLD\n", &[(2..5, Encoding::Plain)], &secret()).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);

        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
        let err =
            replace_values(&path, b"a=NEW\n", &[(2..5, Encoding::Plain)], &secret()).unwrap_err();
        assert!(err.contains("read-only"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_file_is_written_where_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-npmrc");
        let link = dir.path().join(".npmrc");
        std::fs::write(&real, b"a=OLD\n").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace_values(&link, b"a=OLD\n", &[(2..5, Encoding::Plain)], &secret()).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"a=NEW\n");
    }
}
