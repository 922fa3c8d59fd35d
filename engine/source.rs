//! Input files as text with the path a user would recognise.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Largest data file xwalk reads (CSV catalogs, links); larger files are refused.
pub const MAX_DATA_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The text of one input file and the name used for it in diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Display path: the path given by the user, or `<builtin>/name`.
    pub path: String,
    /// File content as UTF-8, with any byte-order mark removed.
    pub text: String,
}

impl SourceFile {
    /// A file from memory.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text: String = text.into();
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        SourceFile {
            path: path.into(),
            text,
        }
    }

    /// The file name without directory and extension.
    pub fn stem(&self) -> &str {
        let name = self.path.rsplit(['/', '\\']).next().unwrap_or(&self.path);
        name.strip_suffix(".csv").unwrap_or(name)
    }

    /// Read one file from disk, refusing files above `max_bytes` and text that is not UTF-8.
    pub fn read(path: &Path, max_bytes: u64) -> Result<SourceFile, Error> {
        let bytes = read_bytes(path, max_bytes)?;
        SourceFile::from_bytes(path.display().to_string(), bytes)
    }

    /// A file from bytes read elsewhere, refusing text that is not UTF-8 at the line and
    /// column of its first bad byte.
    pub fn from_bytes(display: String, bytes: Vec<u8>) -> Result<SourceFile, Error> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e
                .as_bytes()
                .get(..e.utf8_error().valid_up_to())
                .unwrap_or_default();
            let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let column = valid.iter().rev().take_while(|b| **b != b'\n').count() as u64 + 1;
            Error::NotUtf8 {
                path: display.clone(),
                line,
                column,
            }
        })?;
        Ok(SourceFile::new(display, text))
    }
}

/// The bytes of one file (a binary format such as XLSX), refusing files above `max_bytes`.
pub fn read_bytes(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Error> {
    let display = path.display().to_string();
    match read_capped(path, max_bytes) {
        Ok(bytes) => Ok(bytes),
        Err(Capped::TooLarge(size)) => Err(Error::TooLarge {
            path: display,
            size,
            limit: max_bytes,
        }),
        Err(Capped::Io(e)) => Err(Error::io(&display, e)),
    }
}

/// All files under `dir` (recursively) whose name ends with `extension` in any case
/// (`.json`, `.JSON`: an export from Windows is still read), sorted by path.
pub fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    collect(dir, extension, &mut out)?;
    out.sort();
    Ok(out)
}

fn collect(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let display = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(&display, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&display, e))?;
        let path = entry.path();
        let file_type = entry.file_type().map_err(|e| Error::io(&display, e))?;
        if file_type.is_dir() {
            collect(&path, extension, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case(extension))
        {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_byte_order_mark_and_computes_stem() {
        let f = SourceFile::new("dir/iso27001-2022.csv", "\u{feff}id\n");
        assert_eq!(f.text, "id\n");
        assert_eq!(f.stem(), "iso27001-2022");
    }

    #[test]
    fn reports_invalid_utf8_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, b"id,title\nx,ab\xffc\n").unwrap();
        let err = SourceFile::read(&path, 1000).unwrap_err();
        assert!(err.to_string().contains(":2:5"), "{err}");
    }
}

/// Why [`read_capped`] read nothing.
#[derive(Debug)]
pub enum Capped {
    /// The file is larger than the cap (its size, or the cap plus one when it grew while read).
    TooLarge(u64),
    /// It could not be opened or read, or it is not a regular file.
    Io(std::io::Error),
}

/// Open a file for reading only if it is a regular file (after following links): a FIFO
/// would block the run and a device such as `/dev/zero` never ends. The check is made
/// again on the opened handle, and on Linux the open itself cannot block.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let not_regular = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device, socket or directory); only regular files are read",
        )
    };
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        const O_NONBLOCK: i32 = 0o4000;
        options.custom_flags(O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// The bytes of a regular file, refusing it unread when its size is over `max_bytes` and
/// stopping one byte past the cap while reading (a file that grows is still refused).
pub fn read_capped(path: &Path, max_bytes: u64) -> Result<Vec<u8>, Capped> {
    let file = open_regular(path).map_err(Capped::Io)?;
    let size = file.metadata().map_err(Capped::Io)?.len();
    if size > max_bytes {
        return Err(Capped::TooLarge(size));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, max_bytes.saturating_add(1)),
        &mut bytes,
    )
    .map_err(Capped::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(Capped::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// 1-based line and column (in characters) of a byte offset into `text`, for diagnostics
/// of parsers that report byte spans (TOML).
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let mut cut = offset.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}

/// SHA-256 of bytes, lower-case hex: the digest xwalk records for files and inputs.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
