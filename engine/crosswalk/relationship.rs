//! Typed relationships between requirements (NIST IR 8477 set theory).

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How a focal requirement X relates to a reference requirement Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relationship {
    /// X and Y ask for the same thing.
    Equal,
    /// X contains all of Y and more.
    SupersetOf,
    /// X is only part of Y.
    SubsetOf,
    /// X and Y overlap; neither contains the other.
    IntersectsWith,
    /// Examined and found unrelated.
    NotRelated,
    /// A published reference pairs X and Y and xwalk rejects the pairing; the
    /// rationale says why. Kept so the disagreement is on record, but it
    /// carries nothing: not into coverage, not into maps, not into plans.
    Disputed,
}

/// What satisfying X does for Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// Y is satisfied too.
    Full,
    /// Y is only partly supported: it needs evidence of its own.
    Partial,
    /// Nothing carries over.
    None,
}

impl Relationship {
    /// All relationships, in the order used for sorting and display.
    pub const ALL: [Relationship; 6] = [
        Relationship::Equal,
        Relationship::SupersetOf,
        Relationship::SubsetOf,
        Relationship::IntersectsWith,
        Relationship::NotRelated,
        Relationship::Disputed,
    ];

    /// Whether anything carries over the link: false for `not-related` and
    /// `disputed`, which are records of a pairing rejected.
    pub fn carries(self) -> bool {
        self.support() != Support::None
    }

    /// The relationship read from the other end: subset and superset swap.
    pub fn inverse(self) -> Self {
        match self {
            Relationship::SubsetOf => Relationship::SupersetOf,
            Relationship::SupersetOf => Relationship::SubsetOf,
            other => other,
        }
    }

    /// What satisfying the focal requirement does for the reference one.
    pub fn support(self) -> Support {
        match self {
            Relationship::Equal | Relationship::SupersetOf => Support::Full,
            Relationship::SubsetOf | Relationship::IntersectsWith => Support::Partial,
            Relationship::NotRelated | Relationship::Disputed => Support::None,
        }
    }

    /// The relationship of X to Z given X to Y (`self`) and Y to Z (`next`).
    ///
    /// Exact where set algebra allows (equal and same-direction containment
    /// compose); every other combination is at best an intersection, which keeps
    /// indirect coverage partial.
    pub fn compose(self, next: Relationship) -> Relationship {
        use Relationship::*;
        match (self, next) {
            (NotRelated | Disputed, _) | (_, NotRelated | Disputed) => NotRelated,
            (Equal, r) | (r, Equal) => r,
            (SupersetOf, SupersetOf) => SupersetOf,
            (SubsetOf, SubsetOf) => SubsetOf,
            _ => IntersectsWith,
        }
    }

    /// The spelling used in CSV files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::SupersetOf => "superset-of",
            Relationship::SubsetOf => "subset-of",
            Relationship::IntersectsWith => "intersects-with",
            Relationship::NotRelated => "not-related",
            Relationship::Disputed => "disputed",
        }
    }
}

impl fmt::Display for Relationship {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Relationship {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Relationship::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown relationship `{s}`; expected one of equal, subset-of, superset-of, intersects-with, not-related, disputed"
                )
            })
    }
}

impl Support {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Full => "full",
            Support::Partial => "partial",
            Support::None => "none",
        }
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Relationship::*;

    #[test]
    fn inverse_swaps_subset_and_superset_only() {
        assert_eq!(SubsetOf.inverse(), SupersetOf);
        assert_eq!(SupersetOf.inverse(), SubsetOf);
        for r in [Equal, IntersectsWith, NotRelated, Disputed] {
            assert_eq!(r.inverse(), r);
        }
        for r in Relationship::ALL {
            assert_eq!(r.inverse().inverse(), r);
        }
    }

    #[test]
    fn only_equal_and_superset_give_full_support() {
        assert_eq!(Equal.support(), Support::Full);
        assert_eq!(SupersetOf.support(), Support::Full);
        assert_eq!(SubsetOf.support(), Support::Partial);
        assert_eq!(IntersectsWith.support(), Support::Partial);
        assert_eq!(NotRelated.support(), Support::None);
        assert_eq!(Disputed.support(), Support::None);
    }

    #[test]
    fn rejected_pairings_carry_nothing_even_when_composed() {
        for r in Relationship::ALL {
            assert_eq!(r.carries(), r.support() != Support::None, "{r}");
            for dead in [NotRelated, Disputed] {
                assert_eq!(r.compose(dead).support(), Support::None, "{r} then {dead}");
                assert_eq!(dead.compose(r).support(), Support::None, "{dead} then {r}");
            }
        }
        assert_eq!("disputed".parse::<Relationship>(), Ok(Disputed));
    }

    #[test]
    fn composition_never_upgrades_a_partial_hop() {
        for a in Relationship::ALL {
            for b in Relationship::ALL {
                let c = a.compose(b);
                if a.support() != Support::Full || b.support() != Support::Full {
                    assert_ne!(c.support(), Support::Full, "{a} then {b} gave {c}");
                }
            }
        }
        assert_eq!(SupersetOf.compose(Equal), SupersetOf);
        assert_eq!(SupersetOf.compose(SubsetOf), IntersectsWith);
    }

    #[test]
    fn parses_spellings() {
        assert_eq!("Subset_Of".parse::<Relationship>(), Ok(SubsetOf));
        assert!("related".parse::<Relationship>().is_err());
    }
}
