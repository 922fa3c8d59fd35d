//! The long ("tidy") form of a wide table, for pivot tables: where the wide table packs
//! several values into one cell (`rules`, `evidence`, the ids a control serves in another
//! framework), the long one has a row per value, so a spreadsheet can count them.

use super::Table;

/// A column of the wide table that holds several values in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// Its header in the wide table.
    pub header: String,
    /// What separates two values in a cell (`"; "` or `" "`).
    pub separator: &'static str,
    /// Whether each value ends in a parenthesised detail, `CC6.1 (partial)`, that goes to a
    /// column of its own.
    pub detail: bool,
}

impl List {
    /// A list column whose values are separated by `separator`.
    pub fn new(header: impl Into<String>, separator: &'static str) -> Self {
        List {
            header: header.into(),
            separator,
            detail: false,
        }
    }

    /// The same list, each value carrying a `(detail)` to split off.
    pub fn with_detail(mut self) -> Self {
        self.detail = true;
        self
    }

    /// The values of one cell, each with its detail (empty when there is none).
    pub fn values<'a>(&self, cell: &'a str) -> Vec<(&'a str, &'a str)> {
        cell.split(self.separator)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| match self.detail {
                true => split_detail(v),
                false => (v, ""),
            })
            .collect()
    }
}

/// `CC6.1 (partial)` -> (`CC6.1`, `partial`); a value without a detail stays whole.
fn split_detail(value: &str) -> (&str, &str) {
    value
        .strip_suffix(')')
        .and_then(|v| v.rsplit_once(" ("))
        .unwrap_or((value, ""))
}

/// Headers of the long form: the key columns, then `column`, `value` and, when a list
/// carries details, `detail`.
fn headers(key: &[&str], with_detail: bool) -> Vec<String> {
    let mut headers: Vec<String> = key.iter().map(|k| k.to_string()).collect();
    headers.extend(["column".to_string(), "value".to_string()]);
    if with_detail {
        headers.push("detail".to_string());
    }
    headers
}

/// One row per (key, list column, value): the `key` columns identify the wide row, and
/// every value of every `lists` cell becomes a row, in the wide table's order. Columns of
/// either kind that the wide table lacks are left out.
pub fn long(wide: &Table, key: &[&str], lists: &[List]) -> Table {
    let find = |h: &str| wide.headers.iter().position(|w| w == h);
    let key_at: Vec<usize> = key.iter().filter_map(|k| find(k)).collect();
    let key: Vec<&str> = key_at.iter().map(|&i| wide.headers[i].as_str()).collect();
    let lists: Vec<(usize, &List)> = lists
        .iter()
        .filter_map(|l| find(&l.header).map(|i| (i, l)))
        .collect();
    let with_detail = lists.iter().any(|(_, l)| l.detail);
    let mut t = Table::new(headers(&key, with_detail));
    for row in &wide.rows {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or_default();
        for (at, list) in &lists {
            for (value, detail) in list.values(cell(*at)) {
                let mut out: Vec<String> = key_at.iter().map(|&i| cell(i).to_string()).collect();
                out.extend([list.header.clone(), value.to_string()]);
                if with_detail {
                    out.push(detail.to_string());
                }
                t.rows.push(out);
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_gets_a_row_and_details_a_column() {
        let mut wide = Table::new(["control", "title", "rules", "soc2-2017"]);
        wide.push(["A.5.1", "Policies", "a (pass); b (fail)", "CC2.2 (partial)"]);
        wide.push(["A.5.2", "Roles", "", "CC1.3 (full); CC1.5"]);
        let lists = [
            List::new("rules", "; ").with_detail(),
            List::new("soc2-2017", "; ").with_detail(),
            List::new("absent", " "),
        ];
        let t = long(&wide, &["control"], &lists);
        assert_eq!(t.headers, ["control", "column", "value", "detail"]);
        let rows: Vec<String> = t.rows.iter().map(|r| r.join("|")).collect();
        assert_eq!(
            rows,
            [
                "A.5.1|rules|a|pass",
                "A.5.1|rules|b|fail",
                "A.5.1|soc2-2017|CC2.2|partial",
                "A.5.2|soc2-2017|CC1.3|full",
                "A.5.2|soc2-2017|CC1.5|",
            ]
        );
    }

    #[test]
    fn lists_without_details_have_no_detail_column() {
        let mut wide = Table::new(["id", "covered"]);
        wide.push(["r1", "fw:4.1 A.5.4"]);
        let t = long(&wide, &["id"], &[List::new("covered", " ")]);
        assert_eq!(t.headers, ["id", "column", "value"]);
        assert_eq!(
            t.rows,
            [["r1", "covered", "fw:4.1"], ["r1", "covered", "A.5.4"]]
        );
    }
}
