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
    sweep_abandoned(dir);
    builder
        .prefix(&format!(".xwalk-{}-", std::process::id()))
        .tempfile_in(dir)
}

/// Temporary files of an earlier run that was killed before it could clean up (`.xwalk-PID-…`,
/// and old files moved aside, `.xwalk-old-PID-NAME`), removed once that process is gone.
/// An old file moved aside goes back to its name when nothing took its place.
fn sweep_abandoned(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let (rest, aside) = match name.strip_prefix(".xwalk-old-") {
            Some(rest) => (rest, true),
            None => match name.strip_prefix(".xwalk-") {
                Some(rest) => (rest, false),
                None => continue,
            },
        };
        let Some((pid, original)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || !process_gone(pid) {
            continue;
        }
        let path = entry.path();
        let target = dir.join(original);
        if aside && !target.exists() {
            let _ = std::fs::rename(&path, &target);
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// True when no process has this id (known on Linux; elsewhere nothing is swept).
fn process_gone(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && Path::new("/proc/self").exists()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

/// Refuse to replace a file its owner made read-only: that says "keep this".
fn refuse_read_only(path: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.permissions().readonly() => Err(Error::io(
            &path.display().to_string(),
            std::io::Error::other(
                "the file is read-only; not replacing it (make it writable, or write elsewhere)",
            ),
        )),
        _ => Ok(()),
    }
}

/// Write `bytes` to `path` so that readers see either the old file or the whole new one.
pub fn atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    refuse_read_only(path)?;
    let (tmp, display) = stage(path, bytes)?;
    tmp.persist(path)
        .map_err(|e| Error::io(&display, e.error))?;
    Ok(())
}

/// Write several files all or nothing: after a failure every target holds what it held
/// before (or is still absent).
///
/// Every file is first written in full to a temporary file beside its target. Then,
/// one target at a time, the old file is moved aside and the new one renamed into
/// place; if any step fails, the targets already swapped get their old files back.
/// A target that is a directory or a read-only file is refused before anything is written.
pub fn atomic_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), Error> {
    atomic_all_with(files, &|_| Ok(()))
}

/// [`atomic_all`] with a hook called before each swap (a test makes one step fail).
pub fn atomic_all_with(
    files: &[(PathBuf, Vec<u8>)],
    before_swap: &dyn Fn(usize) -> std::io::Result<()>,
) -> Result<(), Error> {
    if let Some((path, _)) = files.iter().find(|(p, _)| p.is_dir()) {
        let display = path.display().to_string();
        return Err(Error::io(
            &display,
            std::io::Error::other("a directory is in the way"),
        ));
    }
    for (path, _) in files {
        refuse_read_only(path)?;
    }
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes).map(|(tmp, display)| (tmp, path, display)))
        .collect::<Result<Vec<_>, Error>>()?;
    // (target, where its old file was moved, if it had one)
    let mut swapped: Vec<(&PathBuf, Option<PathBuf>)> = Vec::new();
    let mut failure = None;
    for (i, (tmp, path, display)) in staged.into_iter().enumerate() {
        let step = before_swap(i).and_then(|()| {
            let backup = match path.exists() {
                true => {
                    let aside = aside_path(path);
                    std::fs::rename(path, &aside)?;
                    Some(aside)
                }
                false => None,
            };
            swapped.push((path, backup));
            tmp.persist(path).map(|_| ()).map_err(|e| e.error)
        });
        if let Err(e) = step {
            failure = Some(Error::io(&display, e));
            break;
        }
    }
    match failure {
        None => {
            for (_, backup) in swapped {
                if let Some(aside) = backup {
                    let _ = std::fs::remove_file(aside);
                }
            }
            Ok(())
        }
        Some(err) => {
            for (path, backup) in swapped.into_iter().rev() {
                match backup {
                    Some(aside) => {
                        let _ = std::fs::rename(aside, path);
                    }
                    None => {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
            Err(err)
        }
    }
}

/// A name beside `path` to move its old content to while the new one goes in.
fn aside_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".xwalk-old-{}-{name}", std::process::id()))
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
    fn a_failed_step_leaves_every_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("results.csv");
        let b = dir.path().join("coverage.csv");
        let c = dir.path().join("evidence.csv");
        std::fs::write(&a, b"old a").unwrap();
        std::fs::write(&b, b"old b").unwrap();
        let files = vec![
            (a.clone(), b"new a".to_vec()),
            (b.clone(), b"new b".to_vec()),
            (c.clone(), b"new c".to_vec()),
        ];
        for failing in 0..3 {
            let fail_at = move |i: usize| match i == failing {
                true => Err(std::io::Error::other("injected failure")),
                false => Ok(()),
            };
            let err = atomic_all_with(&files, &fail_at).unwrap_err();
            assert!(err.to_string().contains("injected failure"), "{err}");
            assert_eq!(std::fs::read(&a).unwrap(), b"old a", "step {failing}");
            assert_eq!(std::fs::read(&b).unwrap(), b"old b", "step {failing}");
            assert!(!c.exists(), "step {failing}: a new file stayed behind");
            let left: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(".xwalk"))
                .collect();
            assert!(left.is_empty(), "step {failing}: {left:?} left behind");
        }
        atomic_all(&files).unwrap();
        assert_eq!(std::fs::read(&b).unwrap(), b"new b");
        assert_eq!(std::fs::read(&c).unwrap(), b"new c");
    }

    #[test]
    fn files_left_by_a_killed_run_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid 999999999 here (Linux caps pids far lower).
        std::fs::write(
            dir.path().join(".xwalk-999999999-abc123"),
            vec![0u8; 1 << 20],
        )
        .unwrap();
        std::fs::write(dir.path().join(".xwalk-old-999999999-coverage.csv"), b"old").unwrap();
        atomic(&dir.path().join("results.csv"), b"new").unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        if cfg!(target_os = "linux") {
            assert_eq!(names, ["coverage.csv", "results.csv"]);
            assert_eq!(
                std::fs::read(dir.path().join("coverage.csv")).unwrap(),
                b"old"
            );
        }
    }

    #[test]
    fn read_only_targets_are_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        std::fs::write(&path, b"keep").unwrap();
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
        assert!(atomic(&path, b"new").is_err());
        assert!(atomic_all(&[(path.clone(), b"new".to_vec())]).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"keep");
    }

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
