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
pub const MAX_WIDTH: usize = 60;

/// How much of a long table text output shows. Whatever is left out is said under the
/// table, with how to see it all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextView {
    /// Rows of a complete list (findings, SoA rows) shown at most; `None`: all.
    pub rows: Option<usize>,
    /// Rows of a ranked list (the widest-reaching evidence) shown at most; `None`: all.
    pub top: Option<usize>,
    /// Characters a cell shows at most before it is cut with `…`; `None`: whole.
    pub cell: Option<usize>,
}

impl TextView {
    /// Into a pipe or file: every row of complete lists, the top ten of ranked ones, cells cut.
    pub const PIPE: TextView = TextView {
        rows: None,
        top: Some(10),
        cell: Some(MAX_WIDTH),
    };
    /// On a terminal: also long lists cut to their first 50 rows.
    pub const TERMINAL: TextView = TextView {
        rows: Some(50),
        top: Some(10),
        cell: Some(MAX_WIDTH),
    };
    /// Everything: every row, every cell whole (`--full`).
    pub const FULL: TextView = TextView {
        rows: None,
        top: None,
        cell: None,
    };
}

impl Default for TextView {
    fn default() -> Self {
        TextView::PIPE
    }
}

/// `1,234`: a count with thousands separators, for figures people read.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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

    /// Aligned columns separated by two spaces; numbers right-aligned; long cells cut
    /// ([`TextView::PIPE`]).
    pub fn render_text(&self) -> String {
        self.render(&TextView::PIPE)
    }

    /// [`Table::render_text`] showing at most `view.rows` rows and `view.cell` characters a
    /// cell; a line under the table says what was left out and how to see it.
    pub fn render(&self, view: &TextView) -> String {
        self.render_cut(view.rows, view.cell)
    }

    /// A ranked list: at most `view.top` rows (the first are the most important).
    pub fn render_top(&self, view: &TextView) -> String {
        self.render_cut(view.top, view.cell)
    }

    fn render_cut(&self, max_rows: Option<usize>, max_cell: Option<usize>) -> String {
        let mut cut_cells = false;
        let mut cut = |s: &str| -> String {
            let clean: String = s
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            match max_cell {
                Some(max) if clean.chars().count() > max => {
                    cut_cells = true;
                    let mut t: String = clean.chars().take(max.saturating_sub(1)).collect();
                    t.push('…');
                    t
                }
                _ => clean,
            }
        };
        let shown = max_rows.map_or(self.rows.len(), |m| m.min(self.rows.len()));
        let rows: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(self.rows.iter().take(shown))
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
        if shown < self.rows.len() {
            out.push_str(&format!(
                "… {} of {} rows shown: --full shows every row (or --format csv, json)\n",
                thousands(shown),
                thousands(self.rows.len())
            ));
        }
        if cut_cells {
            out.push_str(&format!(
                "(a cell ending in … is cut at {} characters: --full shows it whole)\n",
                max_cell.unwrap_or(MAX_WIDTH)
            ));
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
    fn what_is_cut_is_said_under_the_table() {
        let mut t = Table::new(["n", "text"]);
        for i in 0..1500 {
            t.push([i.to_string(), "x".repeat(70)]);
        }
        let terminal = t.render(&TextView::TERMINAL);
        assert_eq!(terminal.lines().count(), 1 + 50 + 2);
        assert!(
            terminal.contains("… 50 of 1,500 rows shown: --full"),
            "{terminal}"
        );
        assert!(terminal.contains("cut at 60 characters"));
        let full = t.render(&TextView::FULL);
        assert_eq!(full.lines().count(), 1 + 1500, "nothing cut, nothing said");
        assert!(full.contains(&"x".repeat(70)));
        let mut short = Table::new(["a"]);
        short.push(["b"]);
        assert_eq!(short.render(&TextView::TERMINAL), "a\nb\n");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut t = Table::new(["x"]);
        t.push(["a\u{1b}[31mred\rb"]);
        assert!(!t.render_text().contains('\u{1b}'));
        assert!(!t.render_text().contains('\r'));
    }
}
