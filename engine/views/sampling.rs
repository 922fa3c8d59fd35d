//! Sample sizes for controls tested by hand, and a reproducible choice of the sample.
//!
//! A rule tests every occurrence it is given; a procedure no rule claims is tested by an
//! auditor on a sample. The size follows how often the control operates, with the bands
//! widely used for SOC 2 Type II and ISO 27001 fieldwork over a twelve-month period:
//!
//! | the control operates | sample |
//! |---|---|
//! | once a year | 1 |
//! | quarterly | 2 |
//! | monthly | 2-5 |
//! | weekly | 5-15 |
//! | daily | 20-40 |
//! | several times a day | 25-60 |
//!
//! The low end is taken, and the high end for a control with a finding against it; either is
//! capped by the population when it is known (a quarterly control over six months has two
//! occurrences). How often a procedure's control operates comes from its renewal
//! (`annual`, `quarterly`, `monthly`; `continuous` state is sampled as a daily control), or,
//! for event-driven controls, from the number of occurrences in the period.
//!
//! The sample is chosen by a seeded hash of each item's reference: the same seed and
//! population give the same sample on any machine, and an item added to the population
//! does not reshuffle the others.

use crate::crosswalk::Renewal;
use crate::facts::{Corpus, Document};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Where the population of a hand-tested procedure is in the facts: `procedure` (as
/// `FW:REQ/PROC`), the facts `kind` whose items form it, and optionally `field` = `equals`
/// to keep only some items (service accounts among all accounts).
const POPULATIONS: &str = include_str!("sample-populations.csv");

/// The facts population of a procedure, when one is known: (kind, field, equals).
pub fn population_of(procedure: &str) -> Option<(String, String, String)> {
    POPULATIONS.lines().skip(1).find_map(|line| {
        let mut cells = line.split(',');
        (cells.next()? == procedure).then(|| {
            let kind = cells.next().unwrap_or_default().to_string();
            let field = cells.next().unwrap_or_default().to_string();
            let equals = cells.next().unwrap_or_default().to_string();
            (kind, field, equals)
        })
    })
}

/// A sample population: the facts `kind`, and the `field` = `equals` its items must have
/// (both empty: every item).
pub type PopulationKey = (String, String, String);

/// Every population a procedure samples from, each once.
pub fn every_population() -> BTreeSet<PopulationKey> {
    POPULATIONS
        .lines()
        .skip(1)
        .filter_map(|line| population_of(line.split(',').next()?))
        .collect()
}

fn item_refs(doc: &Document, field: &str, equals: &str, out: &mut Vec<String>) {
    if !doc.violations.is_empty() {
        return;
    }
    let items = doc.value.get("items").and_then(serde_json::Value::as_array);
    for (i, item) in items.into_iter().flatten().enumerate() {
        let keep =
            field.is_empty() || item.get(field).and_then(serde_json::Value::as_str) == Some(equals);
        if keep {
            out.push(doc.evidence(&format!("/items/{i}")));
        }
    }
}

/// The references (`file#/items/N`) of every item of a population, sorted. Documents that
/// break the vocabulary give none: a sample drawn from them would rest on unusable facts.
/// A shard gives the items of its own documents only.
pub fn population_refs(corpus: &Corpus, kind: &str, field: &str, equals: &str) -> Vec<String> {
    let mut out = Vec::new();
    for doc in corpus.resident().of_kind(kind) {
        if corpus.owns(&doc.path) {
            item_refs(doc, field, equals, &mut out);
        }
    }
    let kinds: BTreeSet<String> = [kind.to_string()].into();
    let _ = corpus.stream(&kinds, 256, |docs: Vec<Arc<Document>>| {
        for doc in &docs {
            item_refs(doc, field, equals, &mut out);
        }
    });
    out.sort();
    out
}

/// How often a control operates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Frequency {
    /// Once a year.
    Annual,
    /// Every quarter.
    Quarterly,
    /// Every month.
    Monthly,
    /// Every week.
    Weekly,
    /// Every day.
    Daily,
    /// Several times a day.
    SeveralADay,
}

impl Frequency {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Annual => "annual",
            Frequency::Quarterly => "quarterly",
            Frequency::Monthly => "monthly",
            Frequency::Weekly => "weekly",
            Frequency::Daily => "daily",
            Frequency::SeveralADay => "several a day",
        }
    }

    /// The sample band for a twelve-month period: (low, high).
    pub fn band(self) -> (u64, u64) {
        match self {
            Frequency::Annual => (1, 1),
            Frequency::Quarterly => (2, 2),
            Frequency::Monthly => (2, 5),
            Frequency::Weekly => (5, 15),
            Frequency::Daily => (20, 40),
            Frequency::SeveralADay => (25, 60),
        }
    }

    /// From a procedure's renewal; `None` for event-driven controls (`on-change`), whose
    /// frequency comes from the population.
    pub fn of_renewal(renewal: Renewal) -> Option<Frequency> {
        match renewal {
            Renewal::Annual => Some(Frequency::Annual),
            Renewal::Quarterly => Some(Frequency::Quarterly),
            Renewal::Monthly => Some(Frequency::Monthly),
            Renewal::Continuous => Some(Frequency::Daily),
            Renewal::OnChange => None,
        }
    }

    /// From the number of occurrences in a period of `days` days.
    pub fn of_occurrences(count: u64, days: i64) -> Frequency {
        let per_day = count as f64 / days.max(1) as f64;
        if per_day > 1.5 {
            Frequency::SeveralADay
        } else if per_day >= 5.0 / 7.0 {
            Frequency::Daily
        } else if per_day >= 1.0 / 7.0 {
            Frequency::Weekly
        } else if per_day >= 1.0 / 31.0 {
            Frequency::Monthly
        } else if per_day >= 1.0 / 92.0 {
            Frequency::Quarterly
        } else {
            Frequency::Annual
        }
    }
}

/// The sample for one procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sample {
    /// How often the control operates.
    pub frequency: Frequency,
    /// The band for that frequency.
    pub band: (u64, u64),
    /// The size chosen: the band's low end, its high end after a finding, capped by the
    /// population.
    pub size: u64,
    /// Items in the population, when the facts hold it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<u64>,
    /// The items chosen (`file#/pointer` references), when the facts hold the population.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub selected: Vec<String>,
    /// The seed the selection used.
    pub seed: u64,
}

impl Sample {
    /// The size within the band for a control with or without a finding against it.
    pub fn size(frequency: Frequency, population: Option<u64>, finding: bool) -> u64 {
        let (low, high) = frequency.band();
        let wanted = if finding { high } else { low };
        population.map_or(wanted, |p| wanted.min(p))
    }

    /// One line: `2 of 6 (monthly: 2-5)`.
    pub fn text(&self) -> String {
        let (low, high) = self.band;
        let band = if low == high {
            format!("{low}")
        } else {
            format!("{low}-{high}")
        };
        match self.population {
            Some(p) => format!("{} of {p} ({}: {band})", self.size, self.frequency.as_str()),
            None => format!("{} ({}: {band})", self.size, self.frequency.as_str()),
        }
    }
}

/// Choose `n` of `population` (references), reproducibly for a seed, returned in their own
/// order.
pub fn select(population: &[String], n: usize, seed: u64) -> Vec<String> {
    let mut keyed: Vec<(String, &String)> = population
        .iter()
        .map(|r| (crate::source::sha256(format!("{seed}:{r}").as_bytes()), r))
        .collect();
    keyed.sort();
    let mut chosen: Vec<String> = keyed.into_iter().take(n).map(|(_, r)| r.clone()).collect();
    chosen.sort();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_frequency_and_cap_at_the_population() {
        assert_eq!(Sample::size(Frequency::Quarterly, Some(2), true), 2);
        assert_eq!(Sample::size(Frequency::Monthly, None, false), 2);
        assert_eq!(Sample::size(Frequency::Monthly, None, true), 5);
        assert_eq!(Sample::size(Frequency::Daily, Some(12), false), 12);
        assert_eq!(Frequency::of_occurrences(400, 181), Frequency::SeveralADay);
        assert_eq!(Frequency::of_occurrences(30, 181), Frequency::Weekly);
        assert_eq!(Frequency::of_occurrences(6, 181), Frequency::Monthly);
        assert_eq!(Frequency::of_occurrences(1, 365), Frequency::Annual);
    }

    #[test]
    fn selection_is_reproducible_and_stable_when_the_population_grows() {
        let refs: Vec<String> = (0..50).map(|i| format!("f.json#/items/{i}")).collect();
        let a = select(&refs, 5, 7);
        assert_eq!(a, select(&refs, 5, 7));
        assert_eq!(a.len(), 5);
        assert_ne!(a, select(&refs, 5, 8));
        // A new item either joins the sample or leaves it as it was, less at most one.
        let mut more = refs.clone();
        more.push("f.json#/items/50".into());
        let b = select(&more, 5, 7);
        assert!(a.iter().filter(|r| b.contains(r)).count() >= 4);
    }
}
