//! Audit views: what an evaluation means for the people who plan, run and sit an audit.
//!
//! Each view is built from an [`crate::eval::Evaluation`], its coverage and the
//! crosswalk; none renders anything (that is [`crate::report`]).

pub mod diff;
pub mod drivers;
pub mod evidence;
pub mod explain;
pub mod gate;
pub mod plan;
pub mod programme;
pub mod provenance;
pub mod readiness;
pub mod registers;
pub mod results;
pub mod reuse;
pub mod sampling;
pub mod soa;
pub mod transition;
