//! A rectangular table of text cells, rendered aligned for the terminal or as CSV.

/// Headers and rows of text cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<String>>,
}

/// Widest a column gets in terminal output before its cells are cut with `…`.
const MAX_WIDTH: usize = 60;

impl Table {
    /// An empty table with these headers.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Append a row.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    /// Aligned columns separated by two spaces; numbers right-aligned; long cells cut.
    pub fn render_text(&self) -> String {
        let cut = |s: &str| -> String {
            let clean: String = s
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            if clean.chars().count() > MAX_WIDTH {
                let mut t: String = clean.chars().take(MAX_WIDTH - 1).collect();
                t.push('…');
                t
            } else {
                clean
            }
        };
        let rows: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|r| r.iter().map(|c| cut(c)).collect())
            .collect();
        let columns = self.headers.len();
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                rows.iter()
                    .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                self.rows.iter().all(|r| {
                    r.get(i)
                        .is_some_and(|c| c.trim_end_matches('%').parse::<f64>().is_ok())
                }) && !self.rows.is_empty()
            })
            .collect();
        let mut out = String::new();
        for (n, row) in rows.iter().enumerate() {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                if i > 0 {
                    line.push_str("  ");
                }
                if numeric[i] && n > 0 {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if i + 1 < row.len() {
                        line.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_text_left_and_numbers_right() {
        let mut t = Table::new(["name", "count"]);
        t.push(["a", "5"]);
        t.push(["long name", "12"]);
        assert_eq!(
            t.render_text(),
            "name       count\na              5\nlong name     12\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut t = Table::new(["x"]);
        t.push(["a\u{1b}[31mred\rb"]);
        assert!(!t.render_text().contains('\u{1b}'));
        assert!(!t.render_text().contains('\r'));
    }
}
