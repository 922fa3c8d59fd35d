//! Writing output files atomically: a temporary file in the same directory, then a rename.

use crate::error::Error;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` so that readers see either the old file or the whole new one.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let display = path.display().to_string();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(&display, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(&display, e))?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io(&display, e))?;
    tmp.persist(path)
        .map_err(|e| Error::io(&display, e.error))?;
    Ok(())
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

    #[test]
    fn unwritable_directory_is_an_error_naming_the_path() {
        let err = atomic(Path::new("/nonexistent-dir/x.csv"), b"x").unwrap_err();
        assert!(err.to_string().contains("/nonexistent-dir/x.csv"));
    }
}
