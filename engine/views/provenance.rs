//! What a run was made from: the xwalk version, and a digest of the rules, the facts, the
//! crosswalk and the waivers it read, so a reader of any report can tell whether two
//! reports came from the same inputs, and an auditor can tie a page to the evidence set.

use crate::crosswalk::Crosswalk;
use crate::facts::Corpus;
use crate::rules::RuleSet;
use serde::Serialize;

/// The inputs of a run, identified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The xwalk version that ran.
    pub xwalk_version: &'static str,
    /// The rules.
    pub rules: RulesSource,
    /// The facts.
    pub facts: FactsSource,
    /// The crosswalk: frameworks, links and test procedures.
    pub crosswalk: CrosswalkSource,
    /// Waiver files, each with the SHA-256 of its bytes.
    pub waivers: Vec<FileDigest>,
}

/// The rule set of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesSource {
    /// Usable rules.
    pub count: usize,
    /// Rules that could not be loaded.
    pub broken: usize,
    /// Where they come from: `built-in` and the rules directories, in layer order.
    pub origins: Vec<String>,
    /// [`RuleSet::digest`]: rule texts with their parameter values.
    pub digest: String,
}

/// The facts of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactsSource {
    /// Usable documents.
    pub documents: usize,
    /// Files that could not be used.
    pub unusable: usize,
    /// [`Corpus::digest`]: every usable document's path and content.
    pub digest: String,
}

/// The crosswalk of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrosswalkSource {
    /// Frameworks known.
    pub frameworks: usize,
    /// Typed links.
    pub links: usize,
    /// [`Crosswalk::digest`].
    pub digest: String,
}

/// A file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDigest {
    /// The path as given.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
}

impl Provenance {
    /// The provenance of a run over these inputs.
    pub fn of(
        rules: &RuleSet,
        facts: &Corpus,
        crosswalk: &Crosswalk,
        waivers: Vec<FileDigest>,
    ) -> Provenance {
        let mut origins: Vec<String> = Vec::new();
        for r in &rules.rules {
            let origin = if r.origin.is_empty() {
                "in memory".to_string()
            } else {
                r.origin.to_string()
            };
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        Provenance {
            xwalk_version: env!("CARGO_PKG_VERSION"),
            rules: RulesSource {
                count: rules.rules.len(),
                broken: rules.broken.len(),
                origins,
                digest: rules.digest(),
            },
            facts: FactsSource {
                documents: facts.len(),
                unusable: facts.diagnostics.len(),
                digest: facts.digest().to_string(),
            },
            crosswalk: CrosswalkSource {
                frameworks: crosswalk.frameworks().len(),
                links: crosswalk.link_count(),
                digest: crosswalk.digest().to_string(),
            },
            waivers,
        }
    }
}

impl FileDigest {
    /// A file's name and the SHA-256 of the bytes read from it.
    pub fn of(file: &str, bytes: &[u8]) -> FileDigest {
        FileDigest {
            file: file.to_string(),
            sha256: crate::source::sha256(bytes),
        }
    }
}
