//! Data compiled into the binary: the default crosswalk.

use crate::source::SourceFile;

/// The built-in crosswalk files, by file name (the content of `crosswalks/`).
pub const CROSSWALK_FILES: &[(&str, &str)] = &[
    (
        "frameworks.csv",
        include_str!("../crosswalks/frameworks.csv"),
    ),
    (
        "iso27001-2022.csv",
        include_str!("../crosswalks/iso27001-2022.csv"),
    ),
    ("soc2-2017.csv", include_str!("../crosswalks/soc2-2017.csv")),
    (
        "nist-csf-2.0.csv",
        include_str!("../crosswalks/nist-csf-2.0.csv"),
    ),
    (
        "iso27001-2013.csv",
        include_str!("../crosswalks/iso27001-2013.csv"),
    ),
    (
        "iso27001-2022__soc2-2017.csv",
        include_str!("../crosswalks/iso27001-2022__soc2-2017.csv"),
    ),
    (
        "nist-csf-2.0__iso27001-2022.csv",
        include_str!("../crosswalks/nist-csf-2.0__iso27001-2022.csv"),
    ),
    (
        "soc2-2017__nist-csf-2.0.csv",
        include_str!("../crosswalks/soc2-2017__nist-csf-2.0.csv"),
    ),
    (
        "iso27001-2013__iso27001-2022.csv",
        include_str!("../crosswalks/iso27001-2013__iso27001-2022.csv"),
    ),
    (
        "iso27001-2022.procedures.csv",
        include_str!("../crosswalks/iso27001-2022.procedures.csv"),
    ),
    (
        "soc2-2017.procedures.csv",
        include_str!("../crosswalks/soc2-2017.procedures.csv"),
    ),
    (
        "nist-csf-2.0.procedures.csv",
        include_str!("../crosswalks/nist-csf-2.0.procedures.csv"),
    ),
];

/// File name of the ISO 27001 clause-level changes from 2013 to 2022 (in `crosswalks/`),
/// listed by `xwalk transition`; the crosswalk loader leaves it out of the graph.
pub const CLAUSE_CHANGES_FILE: &str = "iso27001-2022.clause-changes.csv";

/// The clause-level changes from 2013 to 2022, as a source file named `<builtin>/crosswalks/NAME`.
pub fn clause_changes_file() -> SourceFile {
    SourceFile::new(
        format!("{BUILTIN_PREFIX}/crosswalks/{CLAUSE_CHANGES_FILE}"),
        include_str!("../crosswalks/iso27001-2022.clause-changes.csv"),
    )
}

/// The audit-time chart of ISO/IEC 27006-1 (initial auditor-days by headcount), with its
/// source in the file's `#` lines.
pub const AUDIT_TIME_CSV: &str = include_str!("../crosswalks/audit-time/iso27006-audit-time.csv");

/// The built-in rule library (the content of `rules/`).
static RULES: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// The built-in demo organisation used when `--facts` is not given.
pub static DEMO_FACTS: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/fixtures/startup");

/// Evaluation date of the built-in demo organisation: its facts are dated
/// relative to this day, so `xwalk eval` without `--facts` and `--as-of`
/// gives the same report whatever today's date is.
pub const DEMO_AS_OF: &str = "2026-06-30";

/// Name under which built-in files are shown.
pub const BUILTIN_PREFIX: &str = "<builtin>";

/// Every file of an embedded directory with the given extension, sorted by path.
fn files_of(
    dir: &'static include_dir::Dir<'static>,
    extension: &str,
) -> Vec<&'static include_dir::File<'static>> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in d.entries() {
            match entry {
                include_dir::DirEntry::Dir(sub) => stack.push(sub),
                include_dir::DirEntry::File(f) => {
                    if f.path().extension().and_then(|e| e.to_str()) == Some(extension) {
                        out.push(f);
                    }
                }
            }
        }
    }
    out.sort_by_key(|f| f.path());
    out
}

fn slash_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The built-in rules as source files named `<builtin>/rules/AREA/RULE.rhai`.
pub fn rule_files() -> Vec<SourceFile> {
    rhai_files(false)
}

/// The built-in rule libraries (`<builtin>/rules/lib/NAME.rhai`): functions rules share.
pub fn library_files() -> Vec<SourceFile> {
    rhai_files(true)
}

fn rhai_files(libraries: bool) -> Vec<SourceFile> {
    files_of(&RULES, "rhai")
        .into_iter()
        .filter(|f| (f.path().parent() == Some(std::path::Path::new("lib"))) == libraries)
        .map(|f| {
            SourceFile::new(
                format!("{BUILTIN_PREFIX}/rules/{}", slash_path(f.path())),
                f.contents_utf8().unwrap_or_default(),
            )
        })
        .collect()
}

/// The built-in rule test-case files (`*.tests.json`) as (rule file stem path, text).
pub fn rule_test_files() -> Vec<SourceFile> {
    files_of(&RULES, "json")
        .into_iter()
        .map(|f| {
            SourceFile::new(
                format!("{BUILTIN_PREFIX}/rules/{}", slash_path(f.path())),
                f.contents_utf8().unwrap_or_default(),
            )
        })
        .collect()
}

/// The demo organisation's facts as `(relative path, text)`.
pub fn demo_facts() -> Vec<(String, String)> {
    files_of(&DEMO_FACTS, "json")
        .into_iter()
        .map(|f| {
            (
                slash_path(f.path()),
                f.contents_utf8().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The built-in crosswalk as source files named `<builtin>/crosswalks/NAME`.
pub fn crosswalk_files() -> Vec<SourceFile> {
    CROSSWALK_FILES
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<builtin>/crosswalks/{name}"), *text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_matches_the_crosswalks_directory() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crosswalks");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".csv"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = CROSSWALK_FILES
            .iter()
            .map(|(n, _)| n.to_string())
            .chain([CLAUSE_CHANGES_FILE.to_string()])
            .collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "add new crosswalk files to CROSSWALK_FILES"
        );
    }
}
