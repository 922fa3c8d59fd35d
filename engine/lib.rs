//! xwalk: a policy-as-code rules engine for crosswalk compliance.
//!
//! Most callers need only [`Assessment`]: give it facts, rules, crosswalk
//! directories and an evaluation date, and it evaluates once and offers every
//! view (coverage, evidence reuse, the Statement of Applicability, an audit plan,
//! readiness, an explanation of one rule, the HTML report data, the CI gate).
//!
//! ```
//! use xwalk::{Assessment, Inputs, FactsInput, ids};
//!
//! let inputs = Inputs {
//!     facts: FactsInput::Demo,                  // or FactsInput::Dir("exports/".into())
//!     as_of: Some("2026-06-30".parse()?),
//!     ..Inputs::default()                        // built-in rules and crosswalk
//! };
//! let assessment = Assessment::run(&inputs)?;
//! let iso = assessment.coverage()?.framework(ids::ISO_2022).expect("reported by default");
//! println!("ISO 27001:2022: {:.1} % satisfied", iso.satisfied_percent);
//! let soa = assessment.soa()?;
//! println!("{} SoA rows, {} defects", soa.entries.len(), soa.defects.len());
//! let verdict = assessment.gate(&xwalk::Gate::default())?;
//! assert!(!verdict.passed(), "the demo organisation has planted gaps");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The modules are layered; each imports only the ones listed before it
//! (`tests/layers.rs` enforces this, `docs/architecture.md` explains it):
//!
//! 1. foundation: [`error`], [`diag`], [`ids`], [`dates`], [`source`], [`csvfile`], [`builtin`]
//! 2. data: [`catalog`], [`crosswalk`], [`facts`]
//! 3. rules: [`sandbox`], [`rules`], [`eval`], [`ruletest`], [`authoring`]
//! 4. judgement: [`coverage`]
//! 5. audit views: [`views`]
//! 6. renderers: [`report`]
//! 7. the facade: [`assessment`]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Inputs are hostile: the library reports problems as values and never panics on them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod builtin;
pub mod csvfile;
pub mod dates;
pub mod diag;
pub mod error;
pub mod ids;
pub mod source;

pub mod catalog;
pub mod crosswalk;
pub mod facts;
pub mod import;

pub mod eval;
pub mod rules;
pub mod ruletest;
pub mod sandbox;

pub mod authoring;

pub mod coverage;

pub mod views;

pub mod report;

pub mod assessment;

#[cfg(feature = "synth")]
pub mod synth;

pub use assessment::{Assessment, FactsInput, Gate, Inputs, Progress, RulesInput, Verdict};
pub use catalog::Framework;
pub use crosswalk::{Crosswalk, Relationship, Support};
pub use diag::{Diagnostic, Location, Severity};
pub use error::Error;
pub use ids::{FrameworkId, RequirementRef, RuleId};
