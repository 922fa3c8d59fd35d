//! Framework catalogs: the requirements of each framework, read from CSV.

use crate::csvfile;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::ids::FrameworkId;
use crate::source::SourceFile;
use serde::Serialize;

/// Columns a catalog file must have.
pub const CATALOG_COLUMNS: [&str; 4] = ["id", "parent", "kind", "title"];
/// Columns the framework manifest must have.
pub const MANIFEST_COLUMNS: [&str; 2] = ["id", "name"];
/// File name of the framework manifest.
pub const MANIFEST_FILE: &str = "frameworks.csv";

/// A framework: ISO 27001:2022, SOC 2, NIST CSF 2.0 or a user's own control set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// Stable id, e.g. `iso27001-2022`.
    pub id: FrameworkId,
    /// Display name.
    pub name: String,
    /// Edition or version.
    pub version: String,
    /// How reports name it for people: `ISO/IEC 27001:2022` (manifest column `label`;
    /// without one, the name and the version).
    pub label: String,
    /// Where the ids come from.
    pub source: String,
}

impl Framework {
    /// A framework known only by its id (no manifest row).
    pub fn bare(id: &str) -> Self {
        Framework {
            id: id.into(),
            name: id.to_string(),
            version: String::new(),
            label: id.to_string(),
            source: String::new(),
        }
    }
}

/// One requirement row of a catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Framework id.
    pub framework: FrameworkId,
    /// Id inside the framework.
    pub id: String,
    /// Parent id, `None` at the top level.
    pub parent: Option<String>,
    /// Level name: clause, control, criterion, subcategory ...
    pub kind: String,
    /// Short title.
    pub title: String,
    /// Annex A theme or similar grouping, when the catalog has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Where the row is.
    #[serde(skip)]
    pub location: Location,
}

/// Read the framework manifest (`frameworks.csv`).
pub fn parse_manifest(
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Framework, Location)> {
    csvfile::read(file, &MANIFEST_COLUMNS, diags)
        .into_iter()
        .filter_map(|row| {
            let Some(id) = row.opt("id") else {
                diags.push(Diagnostic::new(
                    codes::XW0013,
                    Location::line(&file.path, row.line),
                    "framework row without an id",
                ));
                return None;
            };
            let name = row.opt("name").unwrap_or(id).to_string();
            let version = row.get("version").to_string();
            let label = match (row.opt("label"), version.is_empty()) {
                (Some(label), _) => label.to_string(),
                (None, true) => name.clone(),
                (None, false) => format!("{name} {version}"),
            };
            let framework = Framework {
                id: id.into(),
                name,
                version,
                label,
                source: row.get("source").to_string(),
            };
            Some((framework, Location::line(&file.path, row.line)))
        })
        .collect()
}

/// Read one framework catalog; rows without id, kind or title are reported (`XW0013`).
pub fn parse_catalog(
    file: &SourceFile,
    framework: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Requirement> {
    let mut out = Vec::new();
    for row in csvfile::read(file, &CATALOG_COLUMNS, diags) {
        let location = Location::line(&file.path, row.line);
        let empty: Vec<&str> = ["id", "kind", "title"]
            .into_iter()
            .filter(|c| row.opt(c).is_none())
            .collect();
        if !empty.is_empty() {
            diags.push(Diagnostic::new(
                codes::XW0013,
                location,
                format!("requirement row with empty {}", empty.join(", ")),
            ));
            continue;
        }
        out.push(Requirement {
            framework: framework.into(),
            id: row.get("id").to_string(),
            parent: row.opt("parent").map(str::to_string),
            kind: row.get("kind").to_string(),
            title: row.get("title").to_string(),
            theme: row.opt("theme").map(str::to_string),
            location,
        });
    }
    out
}

/// The closest candidate to `wanted`, if one is close enough to suggest: the same id in
/// other case; else the one candidate that starts with it (`soc2` -> `soc2-2017`,
/// `access.mfa` -> `access.mfa-enforced`; of several, the first given); else the one that
/// contains it; else the nearest by edit distance, when near (ties: the first in text order).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let candidates: Vec<(&str, String)> = candidates
        .into_iter()
        .map(|c| (c, c.to_ascii_lowercase()))
        .collect();
    if wanted_lower.is_empty() {
        return None;
    }
    if let Some((c, _)) = candidates.iter().find(|(_, l)| *l == wanted_lower) {
        return Some(c.to_string());
    }
    if let Some((c, _)) = candidates
        .iter()
        .find(|(_, l)| l.starts_with(&wanted_lower))
    {
        return Some(c.to_string());
    }
    let containing: Vec<&str> = candidates
        .iter()
        .filter(|(_, l)| wanted_lower.len() >= 3 && l.contains(&wanted_lower))
        .map(|(c, _)| *c)
        .collect();
    if let [only] = containing.as_slice() {
        return Some(only.to_string());
    }
    let limit = (wanted.len() / 3).max(2);
    candidates
        .iter()
        .map(|(c, l)| (strsim::levenshtein(&wanted_lower, l), *c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_find_what_was_meant() {
        let frameworks = [
            "iso27001-2022",
            "soc2-2017",
            "nist-csf-2.0",
            "iso27001-2013",
        ];
        assert_eq!(closest("soc2", frameworks).as_deref(), Some("soc2-2017"));
        assert_eq!(
            closest("SOC2-2017", frameworks).as_deref(),
            Some("soc2-2017")
        );
        assert_eq!(
            closest("iso27001", frameworks).as_deref(),
            Some("iso27001-2022")
        );
        assert_eq!(
            closest("nist-csf-2", frameworks).as_deref(),
            Some("nist-csf-2.0")
        );
        assert_eq!(
            closest("iso27001-2020", frameworks).as_deref(),
            Some("iso27001-2022")
        );
        assert_eq!(closest("csf", frameworks).as_deref(), Some("nist-csf-2.0"));
        assert_eq!(closest("pci-dss", frameworks), None);
        let rules = [
            "access.mfa-enforced",
            "access.dormant-accounts",
            "ops.backups-succeed",
        ];
        assert_eq!(
            closest("access.mfa", rules).as_deref(),
            Some("access.mfa-enforced")
        );
        assert_eq!(
            closest("backups", rules).as_deref(),
            Some("ops.backups-succeed")
        );
        assert_eq!(
            closest("access.dormant-acounts", rules).as_deref(),
            Some("access.dormant-accounts")
        );
        assert_eq!(
            closest("access", rules).as_deref(),
            Some("access.mfa-enforced")
        );
        assert_eq!(closest("", rules), None);
    }

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["A.5.15", "A.5.16", "CC6.1"];
        assert_eq!(closest("A.5.51", ids).as_deref(), Some("A.5.15"));
        assert_eq!(closest("cc6.1", ids).as_deref(), Some("CC6.1"));
        assert_eq!(closest("totally-different", ids), None);
    }

    #[test]
    fn catalog_rows_need_id_kind_and_title() {
        let f = SourceFile::new(
            "fw.csv",
            "id,parent,kind,title\nA,,clause,Top\nB,A,,Missing kind\n",
        );
        let mut diags = Vec::new();
        let reqs = parse_catalog(&f, "fw", &mut diags);
        assert_eq!(reqs.len(), 1);
        assert_eq!(diags[0].code, codes::XW0013);
        assert_eq!(diags[0].location.line, 3);
    }
}
