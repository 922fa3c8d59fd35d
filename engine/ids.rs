//! Identifiers that travel through every layer: frameworks, requirements, rules.
//!
//! Each is a newtype so that a rule id cannot be passed where a framework id is
//! expected; all serialise as plain strings, so reports keep their shape.

use crate::error::Error;
use serde::Serialize;
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// ISO/IEC 27001:2022, the framework the Statement of Applicability belongs to.
pub const ISO_2022: &str = "iso27001-2022";
/// ISO/IEC 27001:2013, the edition a transition starts from.
pub const ISO_2013: &str = "iso27001-2013";
/// The AICPA Trust Services Criteria (SOC 2).
pub const SOC2: &str = "soc2-2017";
/// NIST Cybersecurity Framework 2.0.
pub const NIST_CSF: &str = "nist-csf-2.0";

/// Frameworks an evaluation reports on when none are named.
pub const REPORTED_FRAMEWORKS: [&str; 3] = [ISO_2022, SOC2, NIST_CSF];
/// Frameworks an audit plan covers when none are named: the two certified against.
pub const PLANNED_FRAMEWORKS: [&str; 2] = [ISO_2022, SOC2];

/// ISO 27001:2022 Annex A themes (A.5 organisational to A.8 technological) and their
/// control counts: 37 + 8 + 14 + 34 = 93.
pub const ANNEX_A_THEMES: [(u32, u32); 4] = [(5, 37), (6, 8), (7, 14), (8, 34)];

/// The 93 ISO 27001:2022 Annex A control ids in order, `A.5.1` to `A.8.34`.
pub fn annex_a() -> Vec<String> {
    ANNEX_A_THEMES
        .iter()
        .flat_map(|&(theme, count)| (1..=count).map(move |n| format!("A.{theme}.{n}")))
        .collect()
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The shared text, for result rows that repeat the id.
            pub fn shared(&self) -> &Arc<str> {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(Arc::from(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(Arc::from(s))
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                $name(Arc::from(s.as_str()))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.to_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &*self.0 == other.as_str()
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == &*other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == &*other.0
            }
        }
    };
}

string_id! {
    /// A framework id such as `iso27001-2022` (the `id` column of `frameworks.csv`).
    FrameworkId
}

string_id! {
    /// A rule id such as `access.mfa-enforced` (the `id:` line of a rule's header).
    RuleId
}

impl RuleId {
    /// The area a rule belongs to: the part before the first `.` (the rule's folder).
    pub fn area(&self) -> &str {
        self.0.split_once('.').map_or(&self.0, |(area, _)| area)
    }
}

/// A `FRAMEWORK:ID` reference as users write it on the command line and in rules.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RequirementRef {
    /// Framework id.
    pub framework: FrameworkId,
    /// Requirement id.
    pub id: String,
}

impl RequirementRef {
    /// A reference from its two parts.
    pub fn new(framework: impl Into<FrameworkId>, id: impl Into<String>) -> Self {
        RequirementRef {
            framework: framework.into(),
            id: id.into(),
        }
    }

    /// Parse `FRAMEWORK:ID`.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text.trim().split_once(':') {
            Some((fw, id)) if !fw.trim().is_empty() && !id.trim().is_empty() => {
                Ok(RequirementRef::new(fw.trim(), id.trim()))
            }
            _ => Err(Error::BadReference(text.to_string())),
        }
    }
}

impl fmt::Display for RequirementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework, self.id)
    }
}

impl std::str::FromStr for RequirementRef {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        RequirementRef::parse(s)
    }
}

/// A requirement id without any leading `FRAMEWORK:` prefixes of `framework`
/// (`iso27001-2022:A.5.1` and ` A.5.1 ` both give `A.5.1`).
pub fn bare_id<'a>(text: &'a str, framework: &str) -> &'a str {
    let mut t = text.trim();
    while let Some(rest) = t.strip_prefix(framework).and_then(|r| r.strip_prefix(':')) {
        t = rest;
    }
    t.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_parse_and_print_the_same_way() {
        let r = RequirementRef::parse(" iso27001-2022 : A.5.15 ").unwrap();
        assert_eq!(r.framework, ISO_2022);
        assert_eq!(r.to_string(), "iso27001-2022:A.5.15");
        assert!(RequirementRef::parse("A.5.15").is_err());
        assert!(RequirementRef::parse("iso27001-2022:").is_err());
    }

    #[test]
    fn ids_serialise_as_plain_strings() {
        let id = RuleId::from("access.mfa-enforced");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"access.mfa-enforced\""
        );
        assert_eq!(id.area(), "access");
        assert_eq!(bare_id("iso27001-2022:A.8.1", ISO_2022), "A.8.1");
        assert_eq!(bare_id(" A.8.1 ", ISO_2022), "A.8.1");
        assert_eq!(bare_id("soc2-2017:CC6.1", ISO_2022), "soc2-2017:CC6.1");
    }
}
