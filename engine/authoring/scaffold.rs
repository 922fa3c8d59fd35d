//! `xwalk new rule`: a rule skeleton and its test cases that pass `check` and `test` as written.

use crate::crosswalk::Crosswalk;
use crate::error::Error;
use crate::ids::RuleId;
use crate::rules::RuleSeverity;
use std::path::{Path, PathBuf};

/// A new rule, checked, ready to be written.
#[derive(Debug, Clone)]
pub struct Scaffold {
    id: RuleId,
    requirements: Vec<String>,
    kind: String,
    severity: RuleSeverity,
}

/// The two files of a new rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFiles {
    /// `DIR/AREA/NAME.rhai` and its text.
    pub rule: (PathBuf, String),
    /// `DIR/AREA/NAME.tests.json` and its text.
    pub tests: (PathBuf, String),
}

impl Scaffold {
    /// Check the id (`AREA.NAME`) and every requirement against the crosswalk.
    pub fn new(
        crosswalk: &Crosswalk,
        id: &str,
        requirements: &[String],
        kind: &str,
        severity: RuleSeverity,
    ) -> Result<Self, Error> {
        for r in requirements {
            if r.contains('/') {
                crosswalk.procedure(&crate::crosswalk::ProcedureRef::parse(r)?)?;
            } else {
                crosswalk.resolve_str(r)?;
            }
        }
        split_id(id)?;
        Ok(Scaffold {
            id: RuleId::from(id),
            requirements: requirements.to_vec(),
            kind: kind.to_string(),
            severity,
        })
    }

    /// The files under `dir`: the rule goes to the folder named after its area.
    pub fn files(&self, dir: &Path) -> ScaffoldFiles {
        let folder = dir.join(self.id.area());
        let name = split_id(&self.id).map_or("rule", |(_, name)| name);
        ScaffoldFiles {
            rule: (folder.join(format!("{name}.rhai")), self.rule_text()),
            tests: (folder.join(format!("{name}.tests.json")), self.tests_text()),
        }
    }

    /// The `tests:` line for procedure references, the `requirements:` line for bare ones.
    fn claims(&self) -> String {
        let (procedures, bare): (Vec<&String>, Vec<&String>) =
            self.requirements.iter().partition(|r| r.contains('/'));
        let line = |key: &str, refs: &[&String]| {
            if refs.is_empty() {
                String::new()
            } else {
                let refs: Vec<&str> = refs.iter().map(|r| r.as_str()).collect();
                format!("//! {key}: {}\n", refs.join(", "))
            }
        };
        format!(
            "{}{}",
            line("tests", &procedures),
            line("requirements", &bare)
        )
    }

    fn rule_text(&self) -> String {
        format!(
            "//! id: {id}\n//! title: Every {kind} item has an owner\n//! severity: {severity}\n{claims}//! facts: {kind}\n//! description: Replace this with what the rule checks and why an auditor cares.\n\nfn evaluate(doc) {{\n    let items = doc.items;\n    if items.is_empty() {{\n        return fail(\"no items recorded\", doc);\n    }}\n    let missing = items.filter(|i| i.get(\"owner\", ()) == ());\n    if missing.is_empty() {{\n        return pass(`${{items.len()}} items, all with an owner`, doc);\n    }}\n    fail(`${{missing.len()}} of ${{items.len()}} items without an owner`, missing)\n}}\n",
            id = self.id,
            kind = self.kind,
            severity = self.severity,
            claims = self.claims(),
        )
    }

    fn tests_text(&self) -> String {
        let kind = &self.kind;
        let doc = |owner: &str| {
            format!(
                "{{\"kind\": \"{kind}\", \"items\": [{{\"id\": \"item-1\", \"owner\": {owner}}}]}}"
            )
        };
        format!(
            "{{\n  \"as_of\": \"2026-06-30\",\n  \"cases\": [\n    {{\n      \"name\": \"every item has an owner\",\n      \"facts\": {{\"{kind}/sample.json\": {pass}}},\n      \"expect\": {{\"outcome\": \"pass\", \"message\": \"all with an owner\"}}\n    }},\n    {{\n      \"name\": \"an item without an owner fails\",\n      \"facts\": {{\"{kind}/sample.json\": {fail}}},\n      \"expect\": {{\"outcome\": \"fail\", \"message\": \"1 of 1 items without an owner\"}}\n    }}\n  ]\n}}\n",
            pass = doc("\"it-team\""),
            fail = doc("null"),
        )
    }
}

fn split_id(id: &str) -> Result<(&str, &str), Error> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match id.split_once('.') {
        Some((area, name)) if ok(area) && ok(name) => Ok((area, name)),
        _ => Err(Error::Usage(format!(
            "rule id `{id}` must be AREA.NAME with letters, digits, - and _ (e.g. acme.laptops-encrypted)"
        ))),
    }
}
