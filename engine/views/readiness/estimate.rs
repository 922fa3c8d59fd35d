//! The estimate: the guide's timeline band and cost third for the measured maturity, then
//! each driver (an existing SOC 2 report, headcount, sites, certification body, day rate,
//! GRC platform, dual-framework approach) moving it, with the reason written beside it.
//! A driver never shortens the lower end of the timeline unless evidence (a usable SOC 2
//! report) stands behind it.

use super::{
    range, score, Estimate, ItemStatus, Maturity, Range, Stage1, Stage1Verdict, Stage2, PHASES,
};
use crate::facts::Corpus;
use crate::views::drivers::{self, BodyTier, CostDrivers, Soc2Type};
use crate::views::readiness::DriverEffect;
use jiff::civil::Date;

/// The guide's all-in mid-market cost range ($40,000-$120,000) in thirds.
const THIRDS: [Range; 3] = [
    range(40_000, 67_000),
    range(67_000, 93_000),
    range(93_000, 120_000),
];
const THIRD_NAMES: [&str; 3] = ["lower", "middle", "upper"];

fn usd(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("${out}")
}

fn usd_range(r: Range) -> String {
    format!("{}-{}", usd(r.low), usd(r.high))
}

fn months(r: Range) -> String {
    format!("{}-{} months", r.low, r.high)
}

fn days(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d:.1}")
    }
}

struct Moves {
    third: i32,
    rows: Vec<DriverEffect>,
}

impl Moves {
    fn row(&mut self, driver: &'static str, value: String, from: &str, timeline: &str, cost: &str) {
        self.rows.push(DriverEffect {
            driver,
            value,
            from: from.to_string(),
            timeline: timeline.to_string(),
            cost: cost.to_string(),
        });
    }

    /// Move the cost by `by` thirds and say so, with the reason.
    fn cost(&mut self, by: i32, why: &str) -> String {
        self.third += by;
        let way = if by < 0 { "down" } else { "up" };
        format!("{way} one third: {why}")
    }
}

pub(super) fn estimate(
    stage1: &Stage1,
    stage2: &Stage2,
    facts: &Corpus,
    given: &CostDrivers,
    as_of: Date,
) -> Estimate {
    let score = score(stage1, stage2);
    let missing = stage1.items.iter().any(|i| i.status == ItemStatus::Missing);
    let maturity = if score >= 0.8 && !missing {
        Maturity::Mature
    } else if score >= 0.5 {
        Maturity::Moderate
    } else {
        Maturity::FromScratch
    };
    let (band, base_third) = match maturity {
        Maturity::Mature => (range(6, 9), 0),
        Maturity::Moderate => (range(9, 12), 1),
        Maturity::FromScratch => (range(12, 14), 2),
    };
    // Stage 2 ready: only the audits are ahead; Stage 1 ready: operate, then audit; an ISMS
    // that exists: implement, operate, audit; from scratch: everything.
    let skip = if stage2.ready {
        3
    } else if stage1.verdict != Stage1Verdict::NotReady {
        2
    } else if maturity != Maturity::FromScratch {
        1
    } else {
        0
    };
    let mut ahead: [bool; 4] = [skip == 0, skip <= 1, skip <= 2, true];
    let total = |ahead: &[bool; 4]| {
        let on = PHASES.iter().zip(ahead).filter(|(_, on)| **on);
        range(
            on.clone().map(|((_, r), _)| r.low).sum(),
            on.map(|((_, r), _)| r.high).sum(),
        )
    };
    let base_months_ahead = total(&ahead);
    let base_cost = THIRDS[base_third];
    let mut m = Moves {
        third: base_third as i32,
        rows: Vec::new(),
    };
    m.row(
        "maturity",
        format!("{} (score {score:.2})", maturity.as_str()),
        "measured",
        &format!(
            "base: {} from kickoff; ahead from the measured state: {}",
            months(band),
            months(base_months_ahead)
        ),
        &format!(
            "base: the {} third of the guide's range, {}",
            THIRD_NAMES[base_third],
            usd_range(base_cost)
        ),
    );

    // The existing SOC 2 report: evidence, so it may drop a phase.
    let soc2 = drivers::soc2_report(facts, as_of);
    let mut soc2_counted = false;
    match &soc2 {
        None => m.row(
            "existing SOC 2 report",
            "none".into(),
            "facts (no org_profile.soc2_report)",
            "none",
            "none",
        ),
        Some(r) => {
            let period = match r.period_start {
                Some(s) => format!("{s}..{}", r.period_end),
                None => r.period_end.to_string(),
            };
            let kind = match r.report_type {
                Soc2Type::Type1 => "Type I",
                Soc2Type::Type2 => "Type II",
            };
            let value = format!(
                "{kind}, {period}, {}, {}",
                if r.opinion.is_empty() {
                    "opinion not recorded"
                } else {
                    &r.opinion
                },
                r.criteria.join(" ")
            );
            let from = format!("facts {}", r.file);
            if !r.usable {
                m.row(
                    "existing SOC 2 report",
                    value,
                    &from,
                    &format!("none: {}", r.why),
                    "none",
                );
            } else {
                let (timeline, cost) = soc2_effect(r.report_type, stage1, &mut ahead, &mut m);
                soc2_counted = r.report_type == Soc2Type::Type2;
                m.row("existing SOC 2 report", value, &from, &timeline, &cost);
            }
        }
    }

    // Scope: headcount and sites.
    let headcount = drivers::headcount(given, facts);
    let row = headcount
        .as_ref()
        .and_then(|h| drivers::audit_time(h.value));
    match (&headcount, row) {
        (Some(h), Some(row)) => {
            let n = h.value;
            let rowtext = format!(
                "{} auditor-days for Stage 1 + Stage 2 (ISO/IEC 27006-1 row {}-{})",
                days(row.initial_days),
                row.min_persons,
                row.max_persons
            );
            let cost = if n < 100 {
                m.cost(-1, &format!("below the guide's 100-500 band: {rowtext}"))
            } else if n > 500 {
                m.cost(1, &format!("above the guide's 100-500 band: {rowtext}"))
            } else {
                format!("none: inside the guide's 100-500 band; {rowtext}")
            };
            m.row("headcount", n.to_string(), &h.from, "none", &cost);
        }
        _ => m.row(
            "headcount",
            "unknown".into(),
            "neither --headcount nor org_profile.employees",
            "none",
            "none: the guide's 100-500 band is assumed",
        ),
    }
    match &given.sites {
        Some(s) if s.value > 1 => {
            let cost = m.cost(1, &format!("{} sites: the certification body samples and visits sites, which adds auditor-days, and each site has evidence of its own", s.value));
            m.row("sites", s.value.to_string(), &s.from, "none", &cost);
        }
        Some(s) => m.row("sites", s.value.to_string(), &s.from, "none", "none"),
        None => m.row("sites", "1 (assumed)".into(), "default", "none", "none"),
    }

    // The certification body: tier and day rate.
    match &given.certification_body {
        Some(b) => {
            let cost = match b.value {
                BodyTier::Premium => {
                    m.cost(1, "a large, globally recognised body charges premium rates")
                }
                BodyTier::Budget => m.cost(
                    -1,
                    "a smaller accredited body charges less for a certificate of the same validity",
                ),
                BodyTier::Standard => "none: the guide's range as it is".to_string(),
            };
            m.row(
                "certification body",
                b.value.as_str().into(),
                &b.from,
                "none",
                &cost,
            );
        }
        None => m.row(
            "certification body",
            "not given".into(),
            "default",
            "none",
            "none",
        ),
    }
    let mut surveillance = range(10_000, 25_000);
    let mut recertification = range(20_000, 40_000);
    match (&given.day_rate_usd, row) {
        (Some(rate), Some(row)) => {
            let fee = |d: f64| (d * rate.value as f64).round() as u32;
            let s = drivers::half_days(row.initial_days / 3.0);
            let r = drivers::half_days(row.initial_days * 2.0 / 3.0);
            surveillance = range(fee(s), fee(s));
            recertification = range(fee(r), fee(r));
            m.row(
                "day rate",
                format!("{}/auditor-day", usd(rate.value)),
                &rate.from,
                "none",
                &format!(
                    "certification audit {} days = {}; surveillance {} days = {} a year and recertification {} days = {} replace the guide's ranges",
                    days(row.initial_days),
                    usd(fee(row.initial_days)),
                    days(s),
                    usd(fee(s)),
                    days(r),
                    usd(fee(r))
                ),
            );
        }
        (Some(rate), None) => m.row(
            "day rate",
            format!("{}/auditor-day", usd(rate.value)),
            &rate.from,
            "none",
            "none: no headcount to count auditor-days from",
        ),
        (None, _) => m.row("day rate", "not given".into(), "default", "none", "none"),
    }

    // Tooling and the dual-framework approach: claims, not evidence, so they never move the
    // lower end of the timeline.
    let mut trim = 0;
    match &given.grc_platform {
        Some(g) if g.value => {
            let timeline = if ahead[1] || ahead[2] {
                trim = 1;
                "upper end one month shorter: a platform takes much of the work of running the ISMS and collecting its evidence; the period the evidence must cover does not shrink, so the lower end stays".to_string()
            } else {
                "none: only the audits are ahead".to_string()
            };
            m.row(
                "GRC platform",
                "yes".into(),
                &g.from,
                &timeline,
                "none: a platform is an internal cost, outside the external range",
            );
        }
        Some(g) => m.row("GRC platform", "no".into(), &g.from, "none", "none"),
        None => m.row(
            "GRC platform",
            "not given".into(),
            "default",
            "none",
            "none",
        ),
    }
    match &given.dual_framework {
        Some(d) if d.value => {
            let cost = if soc2_counted {
                "none: the existing SOC 2 report already counted the shared controls".to_string()
            } else {
                m.cost(-1, "ISO 27001 and SOC 2 share most controls (the guide: about 70-80%), so one evidence collection serves both")
            };
            m.row(
                "dual-framework approach",
                "yes".into(),
                &d.from,
                "none",
                &cost,
            );
        }
        Some(d) => m.row(
            "dual-framework approach",
            "no".into(),
            &d.from,
            "none",
            "none",
        ),
        None => m.row(
            "dual-framework approach",
            "not given".into(),
            "default",
            "none",
            "none",
        ),
    }

    let mut months_ahead = total(&ahead);
    months_ahead.high = (months_ahead.high - trim).max(months_ahead.low);
    let clamped = m.third.clamp(0, 2) as usize;
    let mut notes = vec![
        format!(
            "maturity score {score:.2} = mean of Stage 1 documents ready ({}/{}) and the share of the procedures of applicable Annex A controls that pass ({}/{}, {:.1}%; an untested procedure counts as not shown to work; {} are tested, {:.1}% of those pass); mature >= 0.80 with no document missing, moderate >= 0.50, otherwise from scratch",
            stage1.ready,
            stage1.items.len(),
            stage2.procedures_passing,
            stage2.procedures,
            stage2.passing_percent,
            stage2.procedures_tested,
            stage2.pass_rate_percent,
        ),
        "timeline band from the guide's benchmarks: mature 6-9 months, moderate 9-12, from scratch 12-14 (kickoff to Stage 2 completion)".to_string(),
        "cost: the guide's all-in range for a 100-500 person organisation ($40,000-$120,000: gap analysis, implementation support, Stage 1 + Stage 2 audit) split into thirds by maturity, then moved a third at a time by the drivers; internal staff time and tools come on top and often equal the external fees".to_string(),
    ];
    if m.third != clamped as i32 {
        notes.push(format!(
            "the drivers would move the cost past the {} end of the guide's range; it is shown at the {} third",
            if m.third < 0 { "lower" } else { "upper" },
            THIRD_NAMES[clamped]
        ));
    }
    let employees = super::employees(facts);
    match employees {
        Some(n) if n < 100 => notes.push(format!(
            "{n} employees is below the guide's 100-500 band: a smaller organisation with a narrower scope can expect less"
        )),
        Some(n) if n > 500 => notes.push(format!(
            "{n} employees is above the guide's 100-500 band: expect more auditor-days and cost"
        )),
        _ => {}
    }
    let cost_usd = THIRDS[clamped];
    let moved = months_ahead != base_months_ahead || cost_usd != base_cost;
    let headline = format!(
        "{} to Stage 2 completion, external cost {}{}",
        months(months_ahead),
        usd_range(cost_usd),
        if moved {
            format!(
                " (from the measured state alone: {}, {})",
                months(base_months_ahead),
                usd_range(base_cost)
            )
        } else {
            String::new()
        }
    );
    let ahead_names = PHASES
        .iter()
        .zip(ahead)
        .filter(|(_, on)| *on)
        .map(|((p, _), _)| *p)
        .collect();
    Estimate {
        label: "estimate",
        headline,
        score,
        maturity,
        months: band,
        phases: PHASES.to_vec(),
        ahead: ahead_names,
        months_ahead,
        base_months_ahead,
        cost_usd,
        base_cost_usd: base_cost,
        surveillance_usd_per_year: surveillance,
        recertification_usd: recertification,
        employees,
        drivers: m.rows,
        soc2_report: soc2,
        auditor_days: row.map(|r| r.initial_days),
        notes,
    }
}

/// What a usable SOC 2 report drops from the phases ahead, and its cost effect.
fn soc2_effect(
    t: Soc2Type,
    stage1: &Stage1,
    ahead: &mut [bool; 4],
    m: &mut Moves,
) -> (String, String) {
    let phase = |i: usize| format!("drops \"{}\"", PHASES[i].0);
    match t {
        Soc2Type::Type2 => {
            let timeline = if ahead[2] && stage1.verdict != Stage1Verdict::NotReady {
                ahead[2] = false;
                format!("{}: the controls were tested operating over the report's period, and the ISMS records Stage 1 reads are in place", phase(2))
            } else if ahead[1] {
                ahead[1] = false;
                format!("{}: the controls exist and operate; the ISMS documents still need their design and a period of operation", phase(1))
            } else {
                "none: what it evidences is already behind".to_string()
            };
            let cost = m.cost(-1, "the tested controls and their evidence serve ISO 27001 too, so less implementation support is needed");
            (timeline, cost)
        }
        Soc2Type::Type1 => {
            let timeline = if ahead[1] {
                ahead[1] = false;
                format!("{}: the controls were found designed and in place at the report date; a Type I says nothing of operation, so that phase stays", phase(1))
            } else {
                "none: a Type I shows design, not operation over a period".to_string()
            };
            (timeline, "none".to_string())
        }
    }
}
