//! Every diagnostic code xwalk reports, in one place: its id, its severity and
//! where `docs/diagnostics.md` explains it. A test keeps this list, the code and
//! the documentation in step.

use super::Severity;
use serde::{Serialize, Serializer};
use std::fmt;

/// A stable diagnostic code such as `XW0301`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    /// The id as printed: `XW0301`, `SOA01`.
    pub id: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// What it means, in a few words.
    pub summary: &'static str,
}

impl Code {
    /// The anchor of its row in `docs/diagnostics.md` (`xw0301`).
    pub fn anchor(&self) -> String {
        self.id.to_ascii_lowercase()
    }

    /// The documentation of the code, relative to the repository root.
    pub fn doc_path(&self) -> String {
        format!("docs/diagnostics.md#{}", self.anchor())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.id == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.id == other
    }
}

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $severity:ident, $summary:literal;)*) => {
        $(
            $(#[$doc])*
            #[doc = $summary]
            pub const $name: &Code = &Code {
                id: stringify!($name),
                severity: Severity::$severity,
                summary: $summary,
            };
        )*
        /// Every code, in id order.
        pub const ALL: &[&Code] = &[$($name),*];
    };
}

codes! {
    // Crosswalk data
    XW0001 = Error, "unreadable CSV row";
    XW0002 = Error, "a required column is missing from the header";
    XW0003 = Error, "a link file FROM__TO.csv names a framework that has no catalog";
    XW0004 = Error, "a framework is declared or catalogued twice";
    XW0005 = Warning, "a framework is declared in frameworks.csv but has no catalog file";
    XW0006 = Error, "a CSV file in a --crosswalk directory cannot be read";
    XW0007 = Warning, "a user crosswalk file replaces a built-in file of the same name";
    XW0010 = Error, "duplicate requirement id in a catalog";
    XW0011 = Error, "a requirement's parent is not in the catalog";
    XW0012 = Error, "the parent chain forms a cycle";
    XW0013 = Error, "a row has an empty id, kind or title";
    XW0020 = Error, "a link names an unknown requirement id (with the closest known id)";
    XW0021 = Error, "unknown relationship";
    XW0022 = Error, "strength is not a whole number from 1 to 10";
    XW0023 = Error, "the same pair is linked twice with the same relationship";
    XW0024 = Error, "the same pair is linked twice with contradicting relationships (either direction)";
    XW0025 = Error, "a link without rationale or source";
    XW0026 = Error, "a requirement is linked to itself";
    XW0027 = Error, "a `disputed` link names no published reference as its source";
    XW0030 = Error, "a procedures file names a framework that has no catalog";
    XW0031 = Error, "a procedure names an unknown requirement or one with sub-requirements";
    XW0032 = Error, "a procedure row is malformed (slug, tests, renewal or statement)";
    XW0033 = Error, "the same procedure is defined twice for a requirement";
    XW0034 = Warning, "assessable requirements without test procedures (at most partial)";
    // Facts
    XW0301 = Error, "the file is not valid JSON (line and column of the error)";
    XW0302 = Error, "the document is not an object with a kind";
    XW0303 = Error, "the file is larger than the cap";
    XW0304 = Error, "the file is not UTF-8";
    XW0305 = Error, "the file cannot be read";
    XW0306 = Error, "arrays and objects nest deeper than 64 levels";
    XW0307 = Error, "an object has the same key twice (line and column just after the second one)";
    XW0308 = Error, "an integer too large for 64 bits";
    XW0310 = Error, "the document breaks the JSON Schema of its kind (message names the JSON pointer)";
    // Rules
    XW0401 = Error, "the header lacks a required field (id, title, severity, tests or requirements, facts)";
    XW0402 = Error, "severity is not major, minor or ofi";
    XW0403 = Error, "a requirement is not written FRAMEWORK:ID";
    XW0404 = Warning, "unknown header key or a header line that is not key: value";
    XW0405 = Error, "a requirement id is not in the catalog (with the closest known id)";
    XW0406 = Error, "two rule files declare the same id";
    XW0407 = Error, "a header key is given twice";
    XW0408 = Error, "a rule claims a test procedure that does not exist (with the closest one)";
    XW0409 = Error, "the rule file cannot be read";
    XW0410 = Error, "syntax error in the script";
    XW0411 = Error, "the script has no fn evaluate(doc) or fn evaluate(doc, facts)";
    XW0412 = Warning, "the rule has no test-case file beside it";
    XW0413 = Warning, "a test-case file has no rule beside it";
    XW0414 = Warning, "the header names a facts kind that is not in the vocabulary";
    XW0415 = Error, "the script reads a facts kind its header does not declare";
    XW0416 = Warning, "a rule of a later rules directory replaces one of the same id";
    XW0417 = Error, "the rule uses a library that does not exist or cannot be used";
    XW0418 = Error, "a rule library holds statements besides function definitions";
    XW0419 = Error, "a parameter declaration of the header is malformed";
    XW0420 = Error, "the test-case file cannot be read";
    XW0421 = Error, "a parameter value names an unknown rule or parameter, has the wrong type, or is out of range";
    // Waivers (`--waivers FILE`)
    XW0501 = Error, "the waiver file cannot be read or a waiver is malformed";
    XW0502 = Warning, "a waiver names a rule that is not loaded";
    XW0503 = Warning, "a waiver has expired: the failures it covered count again";
    XW0504 = Warning, "a waiver is not approved yet on the evaluation date";
    XW0505 = Warning, "an active waiver matches no failing result";
    // Configuration (`xwalk.toml`)
    XW0601 = Error, "the configuration file has an unknown key or a bad value";
    // Importers (`xwalk import`)
    XW0701 = Error, "an export cannot be imported as written: empty, a value in a foreign format, or a fact it lacks";
    // 2013 SoA for `xwalk transition`
    XW0801 = Error, "not an ISO 27001:2013 Annex A control (with the closest id)";
    XW0802 = Error, "applicable is not yes/no";
    XW0803 = Error, "a control is listed twice (names the first line)";
    XW0804 = Error, "implementation is not one of implemented, partial, planned, not-implemented";
    XW0805 = Error, "the clause-change data names a clause the 2022 catalog lacks, an unknown change kind, or leaves a description empty";
    // Saved eval reports for `xwalk diff`
    XW0901 = Error, "a saved report is not JSON or not the eval report layout (line and column)";
    XW0902 = Error, "a saved report's schema tag is not the one xwalk diff reads";
    // Statement of Applicability defects (`xwalk soa`)
    SOA00 = Warning, "no SoA";
    SOA01 = Warning, "not in SoA";
    SOA02 = Warning, "exclusion without justification";
    SOA03 = Warning, "applicable but not implemented";
    SOA04 = Warning, "applicable with no test";
    SOA05 = Warning, "declared implemented but rules fail";
    SOA06 = Warning, "not reviewed within 12 months";
    SOA07 = Warning, "not reviewed since the last organisational change";
    SOA08 = Warning, "listed more than once";
    SOA09 = Warning, "not a 2022 Annex A control";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for code in ALL {
            assert!(seen.insert(code.id), "{} is listed twice", code.id);
            let well_formed = (code.id.len() == 6 && code.id.starts_with("XW"))
                || (code.id.len() == 5 && code.id.starts_with("SOA"));
            assert!(well_formed, "{} is not XWnnnn or SOAnn", code.id);
            assert!(!code.summary.is_empty(), "{} has no summary", code.id);
        }
    }

    #[test]
    fn the_diagnostics_page_documents_every_code_and_no_other() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let page = std::fs::read_to_string(root.join("docs/diagnostics.md")).unwrap();
        for code in ALL {
            let row = format!("| <a id=\"{}\"></a>{} |", code.anchor(), code.id);
            assert!(
                page.contains(&row),
                "docs/diagnostics.md has no row `{row}`"
            );
            let warning_row = page
                .lines()
                .find(|l| l.starts_with(&row))
                .is_some_and(|l| l.contains("(warning)"));
            if code.id.starts_with("XW") {
                assert_eq!(
                    warning_row,
                    code.severity == Severity::Warning,
                    "{}: the page and the registry disagree on its severity",
                    code.id
                );
            }
        }
        let documented: BTreeSet<&str> = page
            .split("<a id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let known: BTreeSet<String> = ALL.iter().map(|c| c.anchor()).collect();
        for anchor in documented {
            assert!(
                known.contains(anchor),
                "docs/diagnostics.md documents `{anchor}`, which no code has"
            );
        }
    }
}
