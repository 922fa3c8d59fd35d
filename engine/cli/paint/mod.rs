//! Colour for the terminal: outcome words in text tables and the severity of problems.
//! Colour is added as ANSI escapes; `anstream` removes them where colour is off.

mod table;

use std::sync::OnceLock;
pub use table::table;

pub(crate) fn style(color: anstyle::AnsiColor, bold: bool) -> anstyle::Style {
    let s = anstyle::Style::new().fg_color(Some(color.into()));
    if bold {
        s.bold()
    } else {
        s
    }
}

/// `error`/`warning` as a line starts (`error: ...`) or after a diagnostic's location
/// (`file:3:1: error[XW0301]: ...`), coloured.
pub fn problem(text: &str) -> String {
    static SEVERITY: OnceLock<regex::Regex> = OnceLock::new();
    let re = SEVERITY.get_or_init(|| {
        regex::Regex::new(r"(?m)(^|: )(error|warning)([\[:])").expect("a valid pattern")
    });
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let color = if &c[2] == "error" {
            anstyle::AnsiColor::Red
        } else {
            anstyle::AnsiColor::Yellow
        };
        let s = style(color, true);
        format!(
            "{}{}{}{}{}",
            &c[1],
            s.render(),
            &c[2],
            s.render_reset(),
            &c[3]
        )
    })
    .into_owned()
}

/// The colour of a word that stands alone in a table cell, if it names an outcome or status.
pub(crate) fn tone(word: &str) -> Option<anstyle::Style> {
    use anstyle::AnsiColor::*;
    Some(match word {
        "pass" | "satisfied" | "implemented" | "passing" | "ready" => style(Green, false),
        "fail" | "failing" | "not-implemented" | "missing" => style(Red, true),
        "error" => style(Magenta, true),
        "partial" | "gap" | "waived" | "stale" => style(Yellow, false),
        "no-evidence" | "untested" | "unknown" => style(Yellow, false).dimmed(),
        "not-applicable" | "excluded" => anstyle::Style::new().dimmed(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_painted_where_they_stand() {
        let text =
            "f.json:3:1: error[XW0301]: cut off\nerror: stopped\nwarning: old\nno error here\n";
        let painted = problem(text);
        assert_eq!(anstream::adapter::strip_str(&painted).to_string(), text);
        assert_eq!(painted.matches("\u{1b}[0m").count(), 3, "{painted:?}");
    }
}
