//! Writing output files atomically: a temporary file in the same directory, then a rename.

use crate::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary file beside the target. Reports are for sharing: the file gets the
/// usual 0644 (less the umask) rather than tempfile's private 0600.
fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.prefix(".xwalk-").tempfile_in(dir)
}

/// Write `bytes` to `path` so that readers see either the old file or the whole new one.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let (tmp, display) = stage(path, bytes)?;
    tmp.persist(path)
        .map_err(|e| Error::io(&display, e.error))?;
    Ok(())
}

/// Write several files so that a failure leaves none of them half-written or replaced.
///
/// Every file is first written in full to a temporary file beside its target;
/// only when all of them are written are they renamed into place. A target
/// that is a directory is refused before anything is written.
pub fn atomic_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    if let Some((path, _)) = files.iter().find(|(p, _)| p.is_dir()) {
        let display = path.display().to_string();
        return Err(Error::io(
            &display,
            std::io::Error::other("a directory is in the way"),
        ));
    }
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes).map(|(tmp, display)| (tmp, path, display)))
        .collect::<Result<Vec<_>, Error>>()?;
    for (tmp, path, display) in staged {
        tmp.persist(path)
            .map_err(|e| Error::io(&display, e.error))?;
    }
    Ok(())
}

/// Write `bytes` in full (and synced) to a temporary file beside `path`, ready to rename.
fn stage(path: &Path, bytes: &[u8]) -> Result<(tempfile::NamedTempFile, String), Error> {
    let display = path.display().to_string();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = temp_in(dir).map_err(|e| Error::io(&display, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(&display, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(&display, e))?;
    Ok((tmp, display))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        atomic(&path, b"a,b\r\n").unwrap();
        atomic(&path, b"c\r\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"c\r\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_by_others_unless_the_umask_says_no() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.html");
        atomic(&path, b"<p>x</p>").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        // A plain write gets 0666 less the umask; ours must match it, minus write for others.
        let plain = dir.path().join("plain");
        std::fs::write(&plain, b"x").unwrap();
        let expected = std::fs::metadata(&plain).unwrap().permissions().mode() & 0o644;
        assert_eq!(mode, expected, "{mode:o} vs {expected:o}");
    }

    #[test]
    fn a_set_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b.csv")).unwrap();
        let files = vec![
            (dir.path().join("a.csv"), b"a".to_vec()),
            (dir.path().join("b.csv"), b"b".to_vec()),
        ];
        let err = atomic_all(&files).unwrap_err();
        assert!(err.to_string().contains("b.csv"), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["b.csv"]);
        std::fs::remove_dir(dir.path().join("b.csv")).unwrap();
        atomic_all(&files).unwrap();
        assert_eq!(std::fs::read(dir.path().join("b.csv")).unwrap(), b"b");
    }

    #[test]
    fn unwritable_directory_is_an_error_naming_the_path() {
        let err = atomic(Path::new("/nonexistent-dir/x.csv"), b"x").unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/x.csv"));
    }
}
