//! Data compiled into the binary: the default crosswalk.

use crate::source::SourceFile;

/// The built-in crosswalk files, by file name (the content of `crosswalks/`).
pub const CROSSWALK_FILES: &[(&str, &str)] = &[
    ("frameworks.csv", include_str!("../crosswalks/frameworks.csv")),
    ("iso27001-2022.csv", include_str!("../crosswalks/iso27001-2022.csv")),
    ("soc2-2017.csv", include_str!("../crosswalks/soc2-2017.csv")),
    ("nist-csf-2.0.csv", include_str!("../crosswalks/nist-csf-2.0.csv")),
    ("iso27001-2013.csv", include_str!("../crosswalks/iso27001-2013.csv")),
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
];

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
        let mut embedded: Vec<String> = CROSSWALK_FILES.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new crosswalk files to CROSSWALK_FILES");
    }
}
