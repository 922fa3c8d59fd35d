//! Test procedures: what an auditor performs to conclude that a requirement is met.
//!
//! Each assessable requirement carries its procedures (`A.5.18/periodic-review`, ...),
//! read from `<framework>.procedures.csv` files beside the catalogs. A requirement is
//! satisfied only when every one of its procedures is tested and passing; rules claim
//! the procedures they test (`//! tests:` in the rule header).

use super::load::{did_you_mean, MAX_SUGGESTIONS};
use super::{Crosswalk, NodeId};
use crate::csvfile;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::error::Error;
use crate::ids::RequirementRef;
use crate::source::SourceFile;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Columns a procedures file must have (`evidence` and `owner` are optional: what an
/// auditor inspects when no rule tests the procedure, and who provides it).
pub const PROCEDURE_COLUMNS: [&str; 5] =
    ["requirement", "procedure", "tests", "renewal", "statement"];

/// The file-name marker of a procedures file: `iso27001-2022.procedures.csv`, or
/// `iso27001-2022.procedures.acme.csv` to add to a built-in framework's procedures.
pub const PROCEDURES_MARKER: &str = ".procedures";

/// What a procedure examines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Examines {
    /// The control exists as designed: documented, approved, assigned (inspected once).
    Design,
    /// The control works over time: records, samples, logs over the period.
    Operation,
}

/// How long a procedure's evidence stays current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Renewal {
    /// State that changes daily (configuration, accounts, monitoring): re-collected weekly.
    Continuous,
    /// Renewed every month.
    Monthly,
    /// Renewed every quarter.
    Quarterly,
    /// Renewed every year.
    Annual,
    /// Renewed when the thing itself changes.
    OnChange,
}

impl Renewal {
    /// All values, in the order used for display.
    pub const ALL: [Renewal; 5] = [
        Renewal::Continuous,
        Renewal::Monthly,
        Renewal::Quarterly,
        Renewal::Annual,
        Renewal::OnChange,
    ];

    /// The oldest evidence still current, in days (`None`: it does not age).
    pub fn max_age_days(self) -> Option<i64> {
        match self {
            Renewal::Continuous => Some(7),
            Renewal::Monthly => Some(31),
            Renewal::Quarterly => Some(92),
            Renewal::Annual => Some(366),
            Renewal::OnChange => None,
        }
    }

    /// The spelling used in CSV files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Renewal::Continuous => "continuous",
            Renewal::Monthly => "monthly",
            Renewal::Quarterly => "quarterly",
            Renewal::Annual => "annual",
            Renewal::OnChange => "on-change",
        }
    }
}

impl Examines {
    /// The spelling used in CSV files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Examines::Design => "design",
            Examines::Operation => "operation",
        }
    }
}

impl fmt::Display for Renewal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Examines {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Renewal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Renewal::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "renewal `{s}` is not one of continuous, monthly, quarterly, annual, on-change"
                )
            })
    }
}

impl FromStr for Examines {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "design" => Ok(Examines::Design),
            "operation" => Ok(Examines::Operation),
            _ => Err(format!("tests `{s}` is not one of design, operation")),
        }
    }
}

/// One test procedure of a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Procedure {
    /// The slug, unique within the requirement (`periodic-review`).
    pub id: String,
    /// Design or operation.
    pub tests: Examines,
    /// How long its evidence stays current.
    pub renewal: Renewal,
    /// What the auditor checks, in one sentence.
    pub statement: String,
    /// What to hand the auditor when no rule tests it (empty when the file gives none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence: String,
    /// Who in the organisation provides that evidence (empty when the file gives none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// Where the row is.
    #[serde(skip)]
    pub location: Location,
}

/// A reference to one procedure, as rules write it: `FRAMEWORK:REQUIREMENT/PROCEDURE`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ProcedureRef {
    /// The requirement the procedure belongs to.
    pub requirement: RequirementRef,
    /// The procedure's slug.
    pub procedure: String,
}

impl ProcedureRef {
    /// Parse `FRAMEWORK:REQUIREMENT/PROCEDURE`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let requirement = RequirementRef::parse(text)?;
        match requirement.id.split_once('/') {
            Some((id, slug)) if !id.trim().is_empty() && valid_slug(slug.trim()) => {
                Ok(ProcedureRef {
                    requirement: RequirementRef::new(requirement.framework.clone(), id.trim()),
                    procedure: slug.trim().to_string(),
                })
            }
            _ => Err(Error::BadReference(format!(
                "{} (a procedure is written FRAMEWORK:REQUIREMENT/PROCEDURE, e.g. iso27001-2022:A.5.18/periodic-review)",
                text.trim()
            ))),
        }
    }
}

impl fmt::Display for ProcedureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.requirement, self.procedure)
    }
}

/// A procedure slug: 2-60 characters of lowercase letters, digits and inner hyphens.
pub fn valid_slug(slug: &str) -> bool {
    (2..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// The framework a procedures file is for, from its file stem (`iso27001-2022.procedures`
/// or `iso27001-2022.procedures.acme`).
pub fn procedures_framework(stem: &str) -> Option<&str> {
    let at = stem.find(PROCEDURES_MARKER)?;
    let rest = &stem[at + PROCEDURES_MARKER.len()..];
    (rest.is_empty() || rest.starts_with('.')).then(|| &stem[..at])
}

impl Crosswalk {
    /// Number of test procedures in all frameworks.
    pub fn procedure_count(&self) -> usize {
        self.procedures.values().map(Vec::len).sum()
    }

    /// The test procedures of a requirement, in file order.
    pub fn procedures(&self, id: NodeId) -> &[Procedure] {
        self.procedures.get(&id.0).map_or(&[], Vec::as_slice)
    }

    /// Look up one procedure.
    pub fn procedure(&self, reference: &ProcedureRef) -> Result<(NodeId, &Procedure), Error> {
        let node = self.resolve(&reference.requirement)?;
        let procedures = self.procedures(node);
        procedures
            .iter()
            .find(|p| p.id == reference.procedure)
            .map(|p| (node, p))
            .ok_or_else(|| {
                let known: Vec<&str> = procedures.iter().map(|p| p.id.as_str()).collect();
                let hint =
                    match crate::catalog::closest(&reference.procedure, known.iter().copied()) {
                        Some(s) => format!("; did you mean `{s}`?"),
                        None if known.is_empty() => {
                            format!("; {} has no procedures", reference.requirement)
                        }
                        None => format!("; its procedures are {}", known.join(", ")),
                    };
                Error::Usage(format!("no procedure `{reference}`{hint}"))
            })
    }

    /// Read one procedures file into the crosswalk. `suggestions` is the load's budget of
    /// "did you mean" hints, shared with the link files.
    pub(super) fn read_procedures(
        &mut self,
        file: &SourceFile,
        framework: &str,
        diags: &mut Vec<Diagnostic>,
        suggestions: &mut usize,
    ) {
        if self.framework(framework).is_err() {
            let hint = did_you_mean(crate::catalog::closest(
                framework,
                self.frameworks.iter().map(|f| f.id.as_str()),
            ));
            diags.push(Diagnostic::new(
                codes::XW0030,
                Location::line(&file.path, 1),
                format!("procedures file for framework `{framework}`, which has no catalog{hint}; name it FRAMEWORK.procedures.csv"),
            ));
            return;
        }
        for row in csvfile::read(file, &PROCEDURE_COLUMNS, diags) {
            self.procedure_row(&row, file, framework, diags, suggestions);
        }
    }

    fn procedure_row(
        &mut self,
        row: &csvfile::Row,
        file: &SourceFile,
        framework: &str,
        diags: &mut Vec<Diagnostic>,
        suggestions: &mut usize,
    ) {
        let at = Location::line(&file.path, row.line);
        let id = row.get("requirement");
        let Some(node) = self.find(framework, id) else {
            let hint = if *suggestions < MAX_SUGGESTIONS {
                *suggestions += 1;
                did_you_mean(self.suggest(framework, id))
            } else {
                String::new()
            };
            diags.push(
                Diagnostic::new(
                    codes::XW0031,
                    at,
                    format!("unknown requirement `{id}` in {framework}{hint}"),
                )
                .with_subject(format!("{framework}:{id}")),
            );
            return;
        };
        let subject = format!("{framework}:{id}");
        if !self.children(node).is_empty() {
            diags.push(
                Diagnostic::new(
                    codes::XW0031,
                    at,
                    format!("`{id}` has sub-requirements; procedures belong to the assessable ones under it"),
                )
                .with_subject(subject),
            );
            return;
        }
        let mut problems = Vec::new();
        let slug = row.get("procedure");
        if !valid_slug(slug) {
            problems.push(format!("procedure `{slug}` is not a slug (2-60 lowercase letters, digits and inner hyphens)"));
        }
        let tests = row
            .get("tests")
            .parse::<Examines>()
            .map_err(|e| problems.push(e))
            .ok();
        let renewal = row
            .get("renewal")
            .parse::<Renewal>()
            .map_err(|e| problems.push(e))
            .ok();
        let statement = row.get("statement").trim();
        if statement.is_empty() {
            problems.push("the statement is empty: say what the auditor checks".to_string());
        }
        if !problems.is_empty() {
            for p in problems {
                diags.push(
                    Diagnostic::new(codes::XW0032, at.clone(), p).with_subject(subject.clone()),
                );
            }
            return;
        }
        let (Some(tests), Some(renewal)) = (tests, renewal) else {
            return;
        };
        let list = self.procedures.entry(node.0).or_default();
        if let Some(first) = list.iter().find(|p| p.id == slug) {
            diags.push(
                Diagnostic::new(
                    codes::XW0033,
                    at,
                    format!(
                        "procedure `{id}/{slug}` is defined twice (first at {})",
                        first.location
                    ),
                )
                .with_subject(subject),
            );
            return;
        }
        list.push(Procedure {
            id: slug.to_string(),
            tests,
            renewal,
            statement: statement.to_string(),
            evidence: row.opt("evidence").unwrap_or_default().trim().to_string(),
            owner: row.opt("owner").unwrap_or_default().trim().to_string(),
            location: at,
        });
    }

    /// Warnings for assessable requirements without procedures: they can be partial at
    /// most, never satisfied.
    pub(super) fn unproceduralised(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // The 2013 edition is read only to draft a 2022 SoA from a 2013 one; it is never assessed.
        for fw in self
            .frameworks
            .iter()
            .filter(|f| f.id != crate::ids::ISO_2013)
        {
            let missing: Vec<NodeId> = self
                .assessable(&fw.id)
                .filter(|n| self.procedures(*n).is_empty())
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            let sample: Vec<&str> = missing
                .iter()
                .take(5)
                .map(|n| self.node(*n).id.as_str())
                .collect();
            out.push(Diagnostic::new(
                codes::XW0034,
                self.node(*first).location.clone(),
                format!(
                    "{} of {}'s assessable requirements have no test procedures ({}{}); without procedures a requirement is at most partial, never satisfied (add {}{PROCEDURES_MARKER}.csv)",
                    missing.len(),
                    fw.id,
                    sample.join(", "),
                    if missing.len() > sample.len() { ", ..." } else { "" },
                    fw.id
                ),
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_slugs_parse_strictly() {
        let r = ProcedureRef::parse("iso27001-2022:A.5.18/periodic-review").unwrap();
        assert_eq!(r.requirement.to_string(), "iso27001-2022:A.5.18");
        assert_eq!(r.procedure, "periodic-review");
        assert_eq!(r.to_string(), "iso27001-2022:A.5.18/periodic-review");
        for bad in [
            "iso27001-2022:A.5.18",
            "iso27001-2022:A.5.18/",
            "iso27001-2022:/x-y",
            "A.5.18/ok",
            "fw:R/Bad_Slug",
        ] {
            assert!(ProcedureRef::parse(bad).is_err(), "{bad}");
        }
        assert!(
            valid_slug("mfa-enforced")
                && !valid_slug("-a")
                && !valid_slug("a-")
                && !valid_slug("x")
        );
    }

    #[test]
    fn file_stems_name_their_framework() {
        assert_eq!(
            procedures_framework("iso27001-2022.procedures"),
            Some("iso27001-2022")
        );
        assert_eq!(
            procedures_framework("iso27001-2022.procedures.acme"),
            Some("iso27001-2022")
        );
        assert_eq!(procedures_framework("iso27001-2022.proceduresx"), None);
        assert_eq!(procedures_framework("iso27001-2022"), None);
    }

    #[test]
    fn renewal_periods_and_spellings() {
        assert_eq!(Renewal::Quarterly.max_age_days(), Some(92));
        assert_eq!(Renewal::OnChange.max_age_days(), None);
        for r in Renewal::ALL {
            assert_eq!(r.as_str().parse::<Renewal>(), Ok(r));
        }
        assert_eq!("Operation".parse::<Examines>(), Ok(Examines::Operation));
        assert!("weekly".parse::<Renewal>().is_err());
    }
}
