//! Calendar dates as facts, rules and the command line write them.

use jiff::civil::Date;

/// Serialize an optional date as `YYYY-MM-DD` (for `skip_serializing_if = "Option::is_none"`).
pub fn serialize_opt<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Serialize a date as `YYYY-MM-DD`.
pub fn serialize<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

/// Parse `YYYY-MM-DD`, or a timestamp (`2026-06-30T09:15:00Z`, `2026-06-30 09:15`) of
/// which only the date is used. Anything else after the date is refused, not ignored.
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    let date = t.get(..10)?.parse::<Date>().ok()?;
    if t.len() == 10 {
        return Some(date);
    }
    if !matches!(t.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let whole_timestamp = t.parse::<jiff::Timestamp>().is_ok()
        || t.parse::<jiff::civil::DateTime>().is_ok()
        || t.parse::<jiff::Zoned>().is_ok();
    whole_timestamp.then_some(date)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from(from.until(to).map(|s| s.get_days()).unwrap_or(0))
}

/// Parse an evaluation date given on the command line or in a config.
pub fn parse_as_of(text: &str) -> Result<Date, crate::error::Error> {
    parse_date(text).ok_or_else(|| {
        crate::error::Error::Usage(format!("--as-of `{text}` is not a date; write YYYY-MM-DD"))
    })
}

/// An observation period (a SOC 2 Type II period, say): both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Period {
    /// First day.
    #[serde(serialize_with = "serialize")]
    pub from: Date,
    /// Last day.
    #[serde(serialize_with = "serialize")]
    pub to: Date,
}

impl Period {
    /// Read `FROM..TO` (`2026-01-01..2026-06-30`); the end must not be before the start.
    pub fn parse(text: &str) -> Result<Period, crate::error::Error> {
        let usage = |why: &str| {
            crate::error::Error::Usage(format!(
                "--period `{text}` {why}; write FROM..TO, say 2026-01-01..2026-06-30"
            ))
        };
        let (from, to) = text.split_once("..").ok_or_else(|| usage("has no `..`"))?;
        let from = parse_date(from).ok_or_else(|| usage("does not start with a date"))?;
        let to = parse_date(to).ok_or_else(|| usage("does not end with a date"))?;
        if to < from {
            return Err(usage("ends before it starts"));
        }
        Ok(Period { from, to })
    }

    /// Whether `date` falls inside the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// Its length in days, both ends counted.
    pub fn days(&self) -> i64 {
        days_between(self.from, self.to) + 1
    }

    /// Consecutive windows of `days` days from the start; the last ends with the period.
    pub fn windows(&self, days: i64) -> Vec<Period> {
        let days = days.max(1);
        let mut out = Vec::new();
        let mut from = self.from;
        while from <= self.to {
            let end = from
                .checked_add(jiff::Span::new().days(days - 1))
                .unwrap_or(self.to)
                .min(self.to);
            out.push(Period { from, to: end });
            match end.tomorrow() {
                Ok(next) => from = next,
                Err(_) => break,
            }
        }
        out
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_plain_dates_and_timestamps_only() {
        assert_eq!(
            parse_date("2026-03-01").map(|d| d.to_string()).as_deref(),
            Some("2026-03-01")
        );
        assert!(parse_date("2026-03-01T10:00:00Z").is_some());
        assert!(parse_date("2026-03-01x").is_none());
        assert!(parse_date("01/03/2026").is_none());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("2026-06-30 junk").is_none());
        assert!(parse_date("2026-06-30Tnoon").is_none());
        assert!(parse_date("2026-06-30 09:15").is_some());
        assert!(parse_date("2026-06-30T09:15:00+02:00").is_some());
    }

    #[test]
    fn periods_parse_contain_and_split_into_windows() {
        let p = Period::parse("2026-01-01..2026-06-30").unwrap();
        assert_eq!(p.days(), 181);
        assert!(p.contains(parse_date("2026-06-30").unwrap()));
        assert!(!p.contains(parse_date("2025-12-31").unwrap()));
        let w = p.windows(92);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].to_string(), "2026-01-01..2026-04-02");
        assert_eq!(w[1].to_string(), "2026-04-03..2026-06-30");
        assert!(Period::parse("2026-06-30..2026-01-01").is_err());
        assert!(Period::parse("2026-01-01").is_err());
        assert!(Period::parse("2026-01-01..soon").is_err());
    }

    #[test]
    fn days_count_both_ways() {
        let a = parse_date("2026-01-01").unwrap();
        let b = parse_date("2026-03-01").unwrap();
        assert_eq!(days_between(a, b), 59);
        assert_eq!(days_between(b, a), -59);
    }
}
