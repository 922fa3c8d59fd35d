//! Outcome words in aligned text tables, found by their column's header.

use super::tone;

/// Columns whose cells are an outcome or a status, by header.
const TONED_COLUMNS: [&str; 6] = [
    "outcome",
    "status",
    "implementation",
    "measured",
    "state",
    "result",
];

/// Where the cell starting at `start` ends: at the two-space column gap, or the line's end.
fn cell_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    while end < chars.len() && !(chars[end] == ' ' && chars.get(end + 1) == Some(&' ')) {
        end += 1;
    }
    end
}

/// Where the cells start on a header line of an aligned table (char offsets), with their text.
fn cells(line: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        i = cell_end(&chars, start);
        out.push((
            start,
            chars[start..i]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        ));
    }
    out
}

/// Colour the outcome words of aligned text tables: under a header named `outcome`,
/// `status`, `implementation` ... (until the blank line that ends the table), a cell that is
/// an outcome word gets its colour. Nothing else changes, headers and prose included.
pub fn table(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut columns: Vec<usize> = Vec::new();
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body.trim().is_empty() {
            columns.clear();
            out.push_str(line);
            continue;
        }
        let found: Vec<usize> = cells(body)
            .into_iter()
            .filter(|(_, c)| TONED_COLUMNS.contains(&c.as_str()))
            .map(|(at, _)| at)
            .collect();
        if !found.is_empty() {
            columns = found;
            out.push_str(line);
            continue;
        }
        let chars: Vec<char> = body.chars().collect();
        let mut at = 0;
        for &start in &columns {
            let at_cell_start = start < chars.len()
                && chars[start] != ' '
                && (start == 0
                    || (start >= 2 && chars[start - 1] == ' ' && chars[start - 2] == ' '));
            if !at_cell_start || start < at {
                continue;
            }
            let end = cell_end(&chars, start);
            let cell: String = chars[start..end].iter().collect();
            if let Some(s) = tone(cell.trim()) {
                out.extend(&chars[at..start]);
                out.push_str(&format!("{}{cell}{}", s.render(), s.render_reset()));
                at = end;
            }
        }
        out.extend(&chars[at..]);
        out.push_str(&line[body.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_cells_are_painted_and_the_text_is_kept() {
        let text = "satisfied  fail\n\nrule  outcome  message\na.b   fail     pass\nc     pass\n\nfail  x\n";
        let painted = table(text);
        let plain = anstream::adapter::strip_str(&painted).to_string();
        assert_eq!(plain, text, "colour only adds escapes");
        let lines: Vec<&str> = painted.lines().collect();
        assert!(
            !lines[0].contains('\u{1b}'),
            "not under an outcome header: {painted:?}"
        );
        assert!(!lines[2].contains('\u{1b}'), "headers stay plain");
        assert!(lines[3].starts_with("a.b   \u{1b}["), "{:?}", lines[3]);
        assert!(lines[3].ends_with("pass"), "the message column stays plain");
        assert!(lines[4].contains('\u{1b}'));
        assert!(!lines[6].contains('\u{1b}'), "a blank line ends the table");
        assert!(!table("a pass that failed\n").contains('\u{1b}'));
    }
}
