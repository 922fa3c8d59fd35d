//! Diagnostics rendered with the offending source line underlined (via codespan-reporting).

use crate::diag::{Diagnostic, Severity};
use crate::source::SourceFile;
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// Byte offset of a 1-based line and column in a text (clamped to the text).
fn offset(text: &str, line: u64, column: u64) -> usize {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let col = (column.max(1) - 1) as usize;
            let within = l.trim_end_matches(['\n', '\r']);
            let mut at = col.min(within.len());
            while !within.is_char_boundary(at) {
                at -= 1;
            }
            return start + at;
        }
        start += l.len();
    }
    text.len()
}

/// End of the token starting at `start`: the underline covers the offending word
/// (an id, a requirement), at least one character, never past the line.
fn token_end(text: &str, start: usize) -> usize {
    let rest = text.get(start..).unwrap_or_default();
    let len: usize = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ';' | '(' | ')' | '"'))
        .map(char::len_utf8)
        .sum();
    let first = rest.chars().next().map_or(0, char::len_utf8);
    start + len.max(first)
}

/// Longest source line shown under a diagnostic; longer lines (generated or hostile) are not echoed.
const MAX_SHOWN_LINE: usize = 400;

fn line_fits(text: &str, line: u64) -> bool {
    let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
    text.lines()
        .nth(index)
        .is_some_and(|l| l.len() <= MAX_SHOWN_LINE)
}

/// Render each diagnostic; those pointing into one of `sources` show the line with a caret.
pub fn render(diags: &[Diagnostic], sources: &[SourceFile]) -> String {
    let mut files = SimpleFiles::new();
    let ids: Vec<(usize, &SourceFile)> = sources
        .iter()
        .map(|s| (files.add(s.path.clone(), s.text.clone()), s))
        .collect();
    let config = term::Config::default();
    let mut out = String::new();
    for d in diags {
        let code = d.code.to_string();
        let mut message = d.message.clone();
        if let Some(subject) = &d.subject {
            message.push_str(&format!(" ({subject})"));
        }
        let snippet = match d.severity {
            Severity::Error => Snippet::error(),
            Severity::Warning => Snippet::warning(),
        }
        .with_code(code)
        .with_message(message);
        let source = ids.iter().find(|(_, s)| s.path == d.location.file);
        let rendered = match source {
            Some((id, s)) if d.location.line > 0 && line_fits(&s.text, d.location.line) => {
                let start = offset(&s.text, d.location.line, d.location.column);
                let end = token_end(&s.text, start);
                let snippet = snippet.with_labels(vec![Label::primary(*id, start..end)]);
                term::emit_into_string(&config, &files, &snippet).ok()
            }
            _ => None,
        };
        match rendered {
            Some(text) => out.push_str(&text),
            None => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::codes;
    use crate::diag::Location;

    #[test]
    fn underlines_the_column() {
        let src = SourceFile::new("r.rhai", "let a = 1;\nlet b = (2 + ;\n");
        let d = Diagnostic::new(codes::XW0410, Location::at("r.rhai", 2, 14), "syntax error");
        let text = render(&[d], &[src]);
        assert!(text.contains("r.rhai:2:14"), "{text}");
        assert!(text.contains("let b = (2 + ;"), "{text}");
        assert!(text.contains('^'), "{text}");
    }

    #[test]
    fn underlines_the_whole_token() {
        let src = SourceFile::new("r.rhai", "//! requirements: iso:A.5.155, soc:CC6.1\n");
        let d = Diagnostic::new(codes::XW0405, Location::at("r.rhai", 1, 19), "unknown");
        let text = render(&[d], &[src]);
        assert!(text.contains(&"^".repeat("iso:A.5.155".len())), "{text}");
        assert!(
            !text.contains(&"^".repeat("iso:A.5.155".len() + 1)),
            "{text}"
        );
    }
}
