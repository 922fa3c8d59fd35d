//! xwalk: a policy-as-code rules engine for crosswalk compliance.
//!
//! Layers, each using only those before it:
//! data (`source`, `csvfile`, `catalog`, `builtin`) -> model (`crosswalk`) -> renderers (`report`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Inputs are hostile: the library reports problems as values and never panics on them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod builtin;
pub mod catalog;
pub mod coverage;
pub mod crosswalk;
pub mod csvfile;
pub mod diag;
pub mod error;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod plan;
pub mod readiness;
pub mod report;
pub mod reuse;
pub mod rules;
pub mod ruletest;
pub mod sandbox;
pub mod soa;
pub mod source;
pub mod synth;
pub mod transition;

pub use catalog::{Framework, RequirementRef};
pub use crosswalk::{Crosswalk, Relationship, Support};
pub use diag::{Diagnostic, Location, Severity};
pub use error::Error;
