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
    fn days_count_both_ways() {
        let a = parse_date("2026-01-01").unwrap();
        let b = parse_date("2026-03-01").unwrap();
        assert_eq!(days_between(a, b), 59);
        assert_eq!(days_between(b, a), -59);
    }
}
