//! A spreadsheet (CSV, or a sheet of an XLSX workbook) -> a facts document of any
//! vocabulary kind with an `items` table: a risk register, a supplier register, an asset
//! inventory, training records, corrective actions. A mapping file (TOML) says which kind,
//! which column fills which item field, how the sheet's wording translates into the
//! vocabulary's values, and the document-level facts the sheet does not hold:
//!
//! ```toml
//! kind = "supplier"
//! output = "suppliers/register.json"   # below --out; default <kind>/<file stem>.json
//! sheet = "Suppliers"                  # XLSX only; default the first visible sheet
//! header_row = 1                       # the row holding the column headers
//! source_system = "Procurement SharePoint"
//!
//! [document]                           # document-level fields of the kind
//! source = "Supplier register, procurement"
//! collected_on = 2026-06-30
//!
//! [columns]                            # item field = "column header"
//! name = "Supplier"
//! cloud_service = "Cloud service"
//!
//! [values.cloud_service]               # cell text = value, for this field
//! Yes = true
//! No = false
//!
//! [blank]                              # cell texts that mean a blank cell
//! security_review_on = ["never"]
//!
//! [dates]
//! format = "%d.%m.%Y"                  # or a list; ISO 8601 when left out
//! ```
//!
//! Types come from the kind's JSON Schema. A blank cell is `null` where the field may be
//! null, left out where the field is optional, and an error where it is required. A cell
//! holding a formula, a merged range, an error value or text in the wrong form is refused
//! at its cell; every problem of the file is reported at once and nothing is written.
//! Items keep the sheet's row order, so an item is found where the sheet has it.

use super::fields::{Field, Kind, Shape};
use super::sheet::{self, Format, Table};
use super::typing::{self, Got, Reading};
use super::{file_name, invalid, render, sha256, Imported, Options, Provenance, SkippedRow};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::facts::schema::SchemaSet;
use crate::source::SourceFile;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// The importer's name on the command line.
pub const NAME: &str = "spreadsheet";

type Keyed<V> = BTreeMap<Spanned<String>, Spanned<V>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    kind: Spanned<String>,
    output: Option<Spanned<String>>,
    sheet: Option<Spanned<String>>,
    header_row: Option<Spanned<i64>>,
    source_system: Option<Spanned<String>>,
    list_separator: Option<Spanned<String>>,
    document: Option<Spanned<Keyed<toml::Value>>>,
    columns: Option<Spanned<Keyed<String>>>,
    values: Option<Keyed<Keyed<toml::Value>>>,
    blank: Option<Keyed<Vec<Spanned<String>>>>,
    dates: Option<RawDates>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDates {
    format: Spanned<toml::Value>,
}

/// One mapped column.
#[derive(Debug, Clone)]
struct Column {
    field: Field,
    header: String,
    /// Where the mapping names it.
    at: Location,
    reading: Reading,
}

/// A mapping file, read and checked against the kind's schema.
#[derive(Debug, Clone)]
pub struct Mapping {
    file: String,
    sha256: String,
    kind: Kind,
    output: Option<String>,
    sheet: Option<String>,
    header_row: u32,
    source_system: Option<String>,
    document: Map<String, Value>,
    document_at: BTreeMap<String, Location>,
    columns: Vec<Column>,
}

/// Header text as matched: trimmed, runs of white space (a line break in a header cell)
/// as one space, without regard to case.
fn normal(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn closest<'a>(word: &str, among: impl Iterator<Item = &'a str>) -> String {
    among
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or_else(String::new, |(_, c)| format!(" (did you mean `{c}`?)"))
}

impl Mapping {
    /// Read a mapping file. Every problem is reported at its line: a key the mapping
    /// does not know, a kind outside the vocabulary, a field the kind does not have, a
    /// required field left unmapped, a translation of the wrong type.
    pub fn parse(file: &SourceFile) -> Result<Mapping, Error> {
        let path = file.path.as_str();
        let at = |offset: usize| {
            let (line, column) = crate::source::line_col(&file.text, offset);
            Location::at(path, line, column)
        };
        let raw: Raw = toml::from_str(&file.text).map_err(|e| {
            invalid(
                path,
                vec![Diagnostic::new(
                    codes::XW0701,
                    at(e.span().map_or(0, |s| s.start)),
                    format!("mapping: {}", e.message().trim()),
                )],
            )
        })?;
        let mut diags = Vec::new();
        let mut report = |location: Location, message: String| {
            diags.push(Diagnostic::new(codes::XW0701, location, message));
        };
        let kinds = SchemaSet::builtin_kinds();
        let name = raw.kind.get_ref();
        let Some(kind) = Kind::builtin(name) else {
            report(
                at(raw.kind.span().start),
                format!(
                    "`{name}` is not a kind of the vocabulary{}; the kinds are {}",
                    closest(name, kinds.iter().map(String::as_str)),
                    kinds.join(", ")
                ),
            );
            return Err(sorted(path, diags));
        };
        if !kind.has_items {
            report(
                at(raw.kind.span().start),
                format!("a {name} document is one record, not a table of items, so a spreadsheet cannot fill it; write it by hand"),
            );
            return Err(sorted(path, diags));
        }
        let output = raw.output.as_ref().map(|o| o.get_ref().clone());
        if let (Some(o), Some(text)) = (&raw.output, &output) {
            if let Err(why) = check_output(text) {
                report(at(o.span().start), why);
            }
        }
        let header_row = match &raw.header_row {
            Some(h) if *h.get_ref() < 1 || *h.get_ref() > i64::from(u32::MAX) => {
                report(
                    at(h.span().start),
                    format!(
                        "header_row {} is not a row number (1 is the first row)",
                        h.get_ref()
                    ),
                );
                1
            }
            Some(h) => u32::try_from(*h.get_ref()).unwrap_or(1),
            None => 1,
        };
        let separator = match &raw.list_separator {
            Some(s) if s.get_ref().trim().is_empty() => {
                report(at(s.span().start), "list_separator is empty".into());
                ";".to_string()
            }
            Some(s) => s.get_ref().clone(),
            None => ";".to_string(),
        };
        let mut formats = Vec::new();
        if let Some(dates) = &raw.dates {
            let value = dates.format.get_ref();
            let texts: Option<Vec<String>> = match value {
                toml::Value::String(s) => Some(vec![s.clone()]),
                toml::Value::Array(a) => a.iter().map(|v| v.as_str().map(str::to_string)).collect(),
                _ => None,
            };
            match texts {
                Some(texts) if !texts.is_empty() => {
                    for f in &texts {
                        if !typing::date_format_ok(f) {
                            report(
                                at(dates.format.span().start),
                                format!("the date format `{f}` does not read a whole date (day, month and year), e.g. %d/%m/%Y"),
                            );
                        }
                    }
                    formats = texts;
                }
                _ => report(
                    at(dates.format.span().start),
                    "[dates] format is a strftime format such as \"%d/%m/%Y\", or a list of them"
                        .into(),
                ),
            }
        }

        // The document-level fields.
        let mut document = Map::new();
        let mut document_at = BTreeMap::new();
        let document_line = raw
            .document
            .as_ref()
            .map_or_else(|| Location::line(path, 1), |d| at(d.span().start));
        let fields: Vec<&str> = kind.document.iter().map(|(f, _)| f.as_str()).collect();
        for (key, value) in raw.document.iter().flat_map(|d| d.get_ref().iter()) {
            let k = key.get_ref();
            if k == "kind" || k == "items" || k == "provenance" {
                report(
                    at(key.span().start),
                    format!("[document] {k} is written by the importer, not the mapping"),
                );
                continue;
            }
            if !fields.contains(&k.as_str()) {
                report(
                    at(key.span().start),
                    format!(
                        "a {name} document has no field `{k}`{}; its fields are {}",
                        closest(k, fields.iter().copied()),
                        fields.join(", ")
                    ),
                );
                continue;
            }
            document.insert(k.clone(), typing::json_of(value.get_ref()));
            document_at.insert(k.clone(), at(value.span().start));
        }
        let missing: Vec<&str> = kind
            .document
            .iter()
            .filter(|(f, required)| *required && !document.contains_key(f))
            .map(|(f, _)| f.as_str())
            .collect();
        if !missing.is_empty() {
            report(
                document_line.clone(),
                format!(
                    "a {name} document needs {}, which a sheet of items does not hold: set {} in the mapping's [document] table (docs/facts-vocabulary.md says what each means)",
                    missing.join(", "),
                    if missing.len() == 1 { "it" } else { "them" }
                ),
            );
        }
        let mut probe = document.clone();
        probe.insert("kind".into(), json!(name));
        probe.insert("items".into(), json!([]));
        for (pointer, message) in SchemaSet::builtin()?.problems(name, &Value::Object(probe)) {
            let field = pointer
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("");
            if let Some(location) = document_at.get(field) {
                report(
                    location.clone(),
                    format!("[document] {}: {message}", pointer.trim_start_matches('/')),
                );
            }
        }

        // The columns.
        let item_fields: Vec<&str> = kind.items.iter().map(|f| f.name.as_str()).collect();
        let columns_line = raw
            .columns
            .as_ref()
            .map_or_else(|| Location::line(path, 1), |c| at(c.span().start));
        let mut columns: Vec<Column> = Vec::new();
        for (key, header) in raw.columns.iter().flat_map(|c| c.get_ref().iter()) {
            let k = key.get_ref();
            let Some(field) = kind.field(k) else {
                report(
                    at(key.span().start),
                    format!(
                        "{name} items have no field `{k}`{}; their fields are {}",
                        closest(k, item_fields.iter().copied()),
                        item_fields.join(", ")
                    ),
                );
                continue;
            };
            if let Shape::Unsupported(why) = &field.shape {
                report(
                    at(key.span().start),
                    format!("{name} item field {k} is {why}; a spreadsheet column cannot fill it"),
                );
                continue;
            }
            if header.get_ref().trim().is_empty() {
                report(
                    at(header.span().start),
                    format!("the column header for {k} is empty"),
                );
                continue;
            }
            columns.push(Column {
                field: field.clone(),
                header: header.get_ref().trim().to_string(),
                at: at(key.span().start),
                reading: Reading {
                    values: Vec::new(),
                    blanks: Vec::new(),
                    formats: formats.clone(),
                    separator: separator.clone(),
                },
            });
        }
        if raw.columns.is_none() {
            report(
                columns_line.clone(),
                "the mapping has no [columns] table naming the column of each item field".into(),
            );
        }
        for field in kind.items.iter().filter(|f| f.required) {
            if columns.iter().any(|c| c.field.name == field.name)
                || raw
                    .columns
                    .iter()
                    .any(|c| c.get_ref().contains_key(field.name.as_str()))
            {
                continue;
            }
            let message = match &field.shape {
                Shape::Unsupported(why) => format!(
                    "{name} items need {}, which is {why}: this kind cannot be imported from a spreadsheet",
                    field.name
                ),
                _ => format!(
                    "{name} items need {}, but [columns] does not map it: add {} = \"<its column header>\"",
                    field.name, field.name
                ),
            };
            report(columns_line.clone(), message);
        }

        // Translations and blank words, per field.
        for (key, table) in raw.values.iter().flat_map(|v| v.iter()) {
            let k = key.get_ref();
            let Some(column) = columns.iter_mut().find(|c| c.field.name == *k) else {
                report(
                    at(key.span().start),
                    format!("[values.{k}] translates a field that [columns] does not map"),
                );
                continue;
            };
            let mut seen: BTreeMap<String, Value> = BTreeMap::new();
            for (text, value) in table.get_ref() {
                match typing::translation(&column.field, value.get_ref()) {
                    Ok(v) => {
                        let lower = text.get_ref().trim().to_lowercase();
                        if let Some(before) = seen.get(&lower) {
                            if *before != v {
                                report(
                                    at(text.span().start),
                                    format!("[values.{k}] gives `{}` two different values (cell text is matched without regard to case)", text.get_ref()),
                                );
                            }
                            continue;
                        }
                        seen.insert(lower.clone(), v.clone());
                        column.reading.values.push((lower, v));
                    }
                    Err(why) => report(at(value.span().start), format!("[values.{k}] {why}")),
                }
            }
        }
        for (key, words) in raw.blank.iter().flat_map(|b| b.iter()) {
            let k = key.get_ref();
            let Some(column) = columns.iter_mut().find(|c| c.field.name == *k) else {
                report(
                    at(key.span().start),
                    format!("[blank] lists words for a field that [columns] does not map: {k}"),
                );
                continue;
            };
            column.reading.blanks = words
                .get_ref()
                .iter()
                .map(|w| w.get_ref().trim().to_lowercase())
                .collect();
        }
        if !diags.is_empty() {
            return Err(sorted(path, diags));
        }
        Ok(Mapping {
            file: path.to_string(),
            sha256: sha256(file.text.as_bytes()),
            kind,
            output,
            sheet: raw.sheet.map(|s| s.into_inner()),
            header_row,
            source_system: raw.source_system.map(|s| s.into_inner()),
            document,
            document_at,
            columns,
        })
    }

    /// The vocabulary kind the mapping fills.
    pub fn kind(&self) -> &str {
        &self.kind.name
    }
}

/// Diagnostics in the order of the file.
fn sorted(path: &str, mut diags: Vec<Diagnostic>) -> Error {
    crate::diag::sort(&mut diags);
    invalid(path, diags)
}

/// An output path must be a relative path below the facts directory ending in `.json`.
fn check_output(path: &str) -> Result<(), String> {
    let p = std::path::Path::new(path);
    let inside = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if path.contains('\\') {
        return Err(format!("output `{path}`: separate folders with /, not \\"));
    }
    if !inside || path.is_empty() {
        return Err(format!(
            "output `{path}` must be a relative path inside the facts directory (no leading /, no ..)"
        ));
    }
    let json = p
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !json {
        return Err(format!(
            "output `{path}` must end in .json, or the facts loader would not read it"
        ));
    }
    Ok(())
}

/// Import a spreadsheet file through its mapping, reading at most
/// [`MAX_DATA_FILE_BYTES`](crate::source::MAX_DATA_FILE_BYTES) of it.
pub fn import_file(
    path: &std::path::Path,
    mapping: &Mapping,
    options: &Options,
) -> Result<Imported, Error> {
    let bytes = crate::source::read_bytes(path, crate::source::MAX_DATA_FILE_BYTES)?;
    import(&path.display().to_string(), &bytes, mapping, options)
}

/// Import a spreadsheet through its mapping. `path` is the file as given (its extension
/// says CSV or XLSX) and `bytes` its content.
pub fn import(
    path: &str,
    bytes: &[u8],
    mapping: &Mapping,
    options: &Options,
) -> Result<Imported, Error> {
    let Some(format) = Format::of(path) else {
        return Err(Error::Usage(format!(
            "{path}: the spreadsheet importer reads .csv and .xlsx files; save the sheet in one of those formats (from .xls, .ods or .numbers: File > Save As > Excel Workbook)"
        )));
    };
    let table = sheet::read(
        path,
        bytes,
        format,
        mapping.sheet.as_deref(),
        mapping.header_row,
    )?;
    let placed = place(&table, mapping)?;
    let mut diags = Vec::new();
    let refused = refuse_hidden_values(&table, &placed, &mut diags);
    let rows = read_rows(&table, mapping, &placed, &refused, &mut diags);

    let mut doc = Map::new();
    doc.insert("kind".into(), json!(mapping.kind.name));
    for (k, v) in &mapping.document {
        doc.insert(k.clone(), v.clone());
    }
    if !doc.contains_key("source") {
        let source = match &table.sheet {
            Some(s) => format!("spreadsheet {}, sheet \"{s}\"", file_name(path)),
            None => format!("spreadsheet {}", file_name(path)),
        };
        doc.insert("source".into(), json!(source));
    }
    let collected_on_from = if let Some(d) = options.collected_on {
        doc.insert("collected_on".into(), json!(d.to_string()));
        "--collected-on".to_string()
    } else if mapping.document.contains_key("collected_on") {
        "mapping".to_string()
    } else {
        "not stated: the sheet carries no export date; set collected_on in the mapping's [document] table or pass --collected-on".to_string()
    };
    let items = rows.items.iter().map(|(_, i)| Value::Object(i.clone()));
    doc.insert("items".into(), Value::Array(items.collect()));
    let value = Value::Object(doc.clone());
    vocabulary_problems(&table, mapping, options, &placed, &rows, &value, &mut diags)?;
    if !diags.is_empty() {
        return Err(sorted(path, diags));
    }

    let provenance = Provenance {
        importer: NAME.to_string(),
        version: super::IMPORTER_VERSION.to_string(),
        source_system: options
            .system
            .clone()
            .or_else(|| mapping.source_system.clone())
            .unwrap_or_else(|| "not stated".to_string()),
        file: file_name(path),
        sha256: sha256(bytes),
        sheet: table.sheet.clone(),
        mapping: Some(file_name(&mapping.file)),
        mapping_sha256: Some(mapping.sha256.clone()),
        rows_read: rows.read,
        rows_skipped: rows.skipped,
        collected_on_from,
        ..Provenance::default()
    };
    doc.insert(
        "provenance".into(),
        serde_json::to_value(&provenance).unwrap_or(Value::Null),
    );
    let output = mapping.output.clone().unwrap_or_else(|| {
        let stem = std::path::Path::new(path).file_stem().map_or_else(
            || "import".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        format!("{}/{stem}.json", mapping.kind.name)
    });
    Ok(Imported {
        files: vec![(output, render(&Value::Object(doc)))],
    })
}

fn problem(diags: &mut Vec<Diagnostic>, location: Location, message: String) {
    diags.push(Diagnostic::new(codes::XW0701, location, message));
}

/// Each mapped column and the sheet column holding it; a header the sheet lacks or has
/// twice stops the import here, since no cell of that column can be trusted to be it.
fn place<'m>(table: &Table, mapping: &'m Mapping) -> Result<Vec<(&'m Column, u32)>, Error> {
    let mut diags = Vec::new();
    let header_at = Location::line(&table.file, u64::from(table.header_row));
    let headers: Vec<String> = table.header.iter().map(|(_, h)| h.clone()).collect();
    let mut placed = Vec::new();
    for column in &mapping.columns {
        let found: Vec<u32> = table
            .header
            .iter()
            .filter(|(_, h)| normal(h) == normal(&column.header))
            .map(|(c, _)| *c)
            .collect();
        match found.as_slice() {
            [] => problem(
                &mut diags,
                header_at.clone(),
                format!(
                    "{} has no column \"{}\" in its header (row {}), which the mapping gives for {} at {}; the headers are {}",
                    table.what(),
                    column.header,
                    table.header_row,
                    column.field.name,
                    column.at,
                    quoted(&headers)
                ),
            ),
            [one] => placed.push((column, *one)),
            several => problem(
                &mut diags,
                header_at.clone(),
                format!(
                    "{} has the header \"{}\" in {} (cells {}): rename all but one so the mapping can tell which holds {}",
                    table.what(),
                    column.header,
                    if several.len() == 2 { "two columns" } else { "several columns" },
                    several
                        .iter()
                        .map(|c| sheet::a1(table.header_row, *c))
                        .collect::<Vec<_>>()
                        .join(", "),
                    column.field.name
                ),
            ),
        }
    }
    if diags.is_empty() {
        Ok(placed)
    } else {
        Err(invalid(&table.file, diags))
    }
}

/// Refuse the cells of mapped columns whose stored value is not what a reader of the
/// sheet checked: formulas, and merged ranges at or below the header. Returns them as
/// `(row, column)` so that they are not read as values too.
fn refuse_hidden_values(
    table: &Table,
    placed: &[(&Column, u32)],
    diags: &mut Vec<Diagnostic>,
) -> BTreeSet<(u32, u32)> {
    let header_of = |col: u32| {
        placed
            .iter()
            .find(|(_, c)| *c == col)
            .map_or_else(String::new, |(column, _)| column.header.clone())
    };
    let mapped: BTreeSet<u32> = placed.iter().map(|(_, c)| *c).collect();
    // Below the last row with a value nothing is read, so a formula filled down the
    // column for rows to come (showing blank) is no value of the import.
    let last = table
        .rows
        .iter()
        .rev()
        .find(|r| !r.is_blank())
        .map_or(table.header_row, |r| r.number);
    let mut refused = BTreeSet::new();
    for ((row, col), formula) in &table.formulas {
        if *row < table.header_row || *row > last || !mapped.contains(col) {
            continue;
        }
        let (location, words) = table.at(*row, *col, &header_of(*col));
        problem(
            diags,
            location,
            format!(
                "{words} holds the formula ={}: its stored result is a calculation xwalk would not re-check; copy the column and paste it back as values only, then import again",
                formula.trim_start_matches('=')
            ),
        );
        refused.insert((*row, *col));
    }
    for region in &table.merged {
        if region.last.0 < table.header_row || region.first.0 > last {
            continue;
        }
        let across = mapped
            .iter()
            .find(|c| (region.first.1..=region.last.1).contains(*c));
        let Some(col) = across else {
            continue;
        };
        let (location, _) = table.at(region.first.0, region.first.1, "");
        problem(
            diags,
            location,
            format!(
                "{}, cells {} (rows {}-{}, columns {}-{}) are merged across the mapped column \"{}\": a merged range keeps its value in its first cell only, so the other rows would read as blank; unmerge it and fill every cell",
                table.what(),
                region.a1(),
                region.first.0,
                region.last.0,
                region.first.1,
                region.last.1,
                header_of(*col)
            ),
        );
        for r in region.first.0..=region.last.0 {
            for c in region.first.1..=region.last.1 {
                refused.insert((r, c));
            }
        }
    }
    refused
}

/// What the rows gave.
struct Rows {
    /// The items of rows without a problem, with their row number.
    items: Vec<(u32, Map<String, Value>)>,
    /// Blank rows before the last row with data.
    skipped: Vec<SkippedRow>,
    /// Rows read (not blank), whether or not they had a problem.
    read: usize,
}

/// Read every row below the header into an item, reporting each cell that cannot be
/// read at that cell.
fn read_rows(
    table: &Table,
    mapping: &Mapping,
    placed: &[(&Column, u32)],
    refused: &BTreeSet<(u32, u32)>,
    diags: &mut Vec<Diagnostic>,
) -> Rows {
    let last = table.rows.iter().rposition(|r| !r.is_blank());
    let rows = last.map_or(&[][..], |i| table.rows.get(..=i).unwrap_or_default());
    let mut out = Rows {
        items: Vec::new(),
        skipped: Vec::new(),
        read: 0,
    };
    let kind = &mapping.kind.name;
    let mut ids: BTreeMap<String, u32> = BTreeMap::new();
    for row in rows {
        if row.is_blank() {
            out.skipped.push(SkippedRow {
                row: u64::from(row.number),
                why: "blank row".into(),
            });
            continue;
        }
        out.read += 1;
        let mut item = Map::new();
        let mut ok = true;
        for (column, col) in placed {
            if refused.contains(&(row.number, *col)) {
                ok = false;
                continue;
            }
            let (location, words) = table.at(row.number, *col, &column.header);
            let field = &column.field;
            match typing::convert(field, row.cell(*col), &column.reading) {
                Ok(Got::Value(v)) => {
                    if let (true, Some(id)) = (field.name == "id", v.as_str()) {
                        if let Some(first) = ids.get(id) {
                            let why = format!("{words}: id `{id}` is also in row {first}; each item needs its own");
                            problem(diags, location, why);
                            ok = false;
                            continue;
                        }
                        ids.insert(id.to_string(), row.number);
                    }
                    item.insert(field.name.clone(), v);
                }
                Ok(Got::Blank) if field.nullable => {
                    item.insert(field.name.clone(), Value::Null);
                }
                Ok(Got::Blank) if field.required => {
                    let hint = if field.shape == Shape::List {
                        format!(" (if a blank cell means none, say so in the mapping: [values.{}] \"\" = [])", field.name)
                    } else {
                        String::new()
                    };
                    let why = format!(
                        "{words}: {} is blank, and every {kind} item needs it{hint}",
                        field.name
                    );
                    problem(diags, location, why);
                    ok = false;
                }
                Ok(Got::Blank) => {}
                Err(why) => {
                    problem(diags, location, format!("{words}: {why}"));
                    ok = false;
                }
            }
        }
        if ok {
            out.items.push((row.number, item));
        }
    }
    if out.read == 0 {
        problem(
            diags,
            Location::line(&table.file, u64::from(table.header_row)),
            format!(
                "{} has a header (row {}) but no data rows below it",
                table.what(),
                table.header_row
            ),
        );
    }
    out
}

/// Whatever the vocabulary still refuses in the document (a date after today, a number
/// below a minimum, a condition between fields), at the cell or the mapping line it came
/// from rather than at a JSON pointer into a file that was never written.
fn vocabulary_problems(
    table: &Table,
    mapping: &Mapping,
    options: &Options,
    placed: &[(&Column, u32)],
    rows: &Rows,
    doc: &Value,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let row_of = |n: &str| {
        n.parse::<usize>()
            .ok()
            .and_then(|n| rows.items.get(n))
            .map(|(r, _)| *r)
    };
    let header_at = Location::line(&table.file, u64::from(table.header_row));
    for (pointer, message) in SchemaSet::builtin()?.problems(&mapping.kind.name, doc) {
        let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
        let location = match parts.as_slice() {
            ["items", n, field, ..] => {
                let col = placed.iter().find(|(c, _)| c.field.name == *field);
                if let (Some(r), Some((column, col))) = (row_of(n), col) {
                    let (location, words) = table.at(r, *col, &column.header);
                    problem(diags, location, format!("{words}: {field}: {message}"));
                    continue;
                }
                header_at.clone()
            }
            ["items", n] => {
                if let Some(r) = row_of(n) {
                    let (location, words) = table.at_row(r);
                    problem(diags, location, format!("{words}: {message}"));
                    continue;
                }
                header_at.clone()
            }
            ["collected_on", ..] if options.collected_on.is_some() => {
                Location::line("--collected-on", 0)
            }
            [field, ..] => mapping
                .document_at
                .get(*field)
                .cloned()
                .unwrap_or_else(|| Location::line(&mapping.file, 1)),
            [] => Location::line(&mapping.file, 1),
        };
        problem(diags, location, format!("{pointer}: {message}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(text: &str) -> Result<Mapping, Error> {
        Mapping::parse(&SourceFile::new("map.toml", text))
    }

    fn messages(err: Error) -> Vec<String> {
        match err {
            Error::Invalid { diagnostics, .. } => {
                diagnostics.iter().map(|d| d.to_string()).collect()
            }
            other => vec![other.to_string()],
        }
    }

    const CA: &str = r#"kind = "corrective_action"
[columns]
id = "Ref"
source = "Raised from"
raised_on = "Raised"
nonconformity = "Finding"
root_cause = "Root cause"
action = "Action"
due = "Due"
status = "Status"
closed_on = "Closed"
effectiveness_verified_on = "Verified"
"#;

    const HEAD: &str =
        "Ref,Raised from,Raised,Finding,Root cause,Action,Due,Status,Closed,Verified\n";

    fn run(map: &str, csv: &str) -> Result<Value, Vec<String>> {
        let m = mapping(map).map_err(messages)?;
        let out = import("ca.csv", csv.as_bytes(), &m, &Options::default()).map_err(messages)?;
        Ok(serde_json::from_str(&out.files[0].1).unwrap())
    }

    #[test]
    fn a_csv_becomes_items_in_row_order_with_nulls_for_blank_cells() {
        let csv = format!(
            "{HEAD}CA-2,internal-audit,2026-03-01,No MFA,,,2026-07-01,Open,,\n,,,,,,,,,\nCA-1,incident,2026-02-01,Lost laptop,No encryption,Encrypt,2026-04-01,closed,2026-03-20,2026-04-10\n"
        );
        let doc = run(CA, &csv).unwrap();
        let items = doc["items"].as_array().unwrap();
        assert_eq!(items[0]["id"], "CA-2");
        assert_eq!(items[0]["status"], "open");
        assert_eq!(items[0]["root_cause"], Value::Null);
        assert_eq!(items[1]["id"], "CA-1");
        assert_eq!(doc["provenance"]["rows_read"], 2);
        assert_eq!(doc["provenance"]["rows_skipped"][0]["row"], 3);
        assert!(doc["provenance"]["collected_on_from"]
            .as_str()
            .unwrap()
            .starts_with("not stated"));
        assert_eq!(doc["source"], "spreadsheet ca.csv");
    }

    #[test]
    fn every_bad_cell_is_reported_at_once() {
        let csv = format!(
            "{HEAD}CA-1,audit,01/03/2026,x,,,,Parked,,\nCA-1,audit,2026-03-01,,,,,open,,\n"
        );
        let errs = run(CA, &csv).unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("ca.csv:2:3: error[XW0701]: row 2, column 3 (\"Raised\"): raised_on `01/03/2026` is not a date"), "{all}");
        assert!(
            all.contains("ca.csv:2:8:")
                && all.contains("status `Parked` is not one of open, closed"),
            "{all}"
        );
        assert!(
            all.contains("ca.csv:3:1:") && all.contains("id `CA-1` is also in row 2"),
            "{all}"
        );
        assert!(
            all.contains("ca.csv:3:4:") && all.contains("nonconformity is blank"),
            "{all}"
        );
    }

    #[test]
    fn the_mapping_is_checked_against_the_kind_before_any_row_is_read() {
        let errs = mapping("kind = \"risk_registers\"\n[columns]\n").unwrap_err();
        let errs = messages(errs);
        assert!(
            errs[0].contains("map.toml:1:8:") && errs[0].contains("did you mean `risk_register`?"),
            "{errs:?}"
        );
        let errs = messages(
            mapping(&CA.replace(
                "root_cause = \"Root cause\"\n",
                "root_caus = \"Root cause\"\n",
            ))
            .unwrap_err(),
        );
        let all = errs.join("\n");
        assert!(
            all.contains("map.toml:7:1:")
                && all.contains("no field `root_caus` (did you mean `root_cause`?)"),
            "{all}"
        );
        assert!(
            all.contains("map.toml:2:1:")
                && all.contains("need root_cause, but [columns] does not map it"),
            "{all}"
        );
        let errs = messages(
            mapping(
                "kind = \"training\"\n[columns]\nperson = \"Email\"\ncompleted_on = \"Done\"\n",
            )
            .unwrap_err(),
        );
        assert!(
            errs[0].contains("needs course, cycle_months, required_for"),
            "{errs:?}"
        );
        let errs =
            messages(mapping(&format!("{CA}[values.status]\nParked = \"parked\"\n")).unwrap_err());
        assert!(
            errs[0].contains("`parked` is not one of open, closed"),
            "{errs:?}"
        );
        for bad in ["../x.json", "/etc/x.json", "x.txt"] {
            let errs = messages(mapping(&format!("output = \"{bad}\"\n{CA}")).unwrap_err());
            assert!(errs[0].contains("map.toml:1:10:"), "{bad}: {errs:?}");
        }
        let errs = messages(mapping("kind = \"org_profile\"\n").unwrap_err());
        assert!(errs[0].contains("one record, not a table"), "{errs:?}");
    }

    #[test]
    fn a_missing_or_doubled_column_names_the_headers() {
        let errs = run(CA, &HEAD.replace("Root cause", "Cause")).unwrap_err();
        assert!(
            errs[0].contains("no column \"Root cause\"") && errs[0].contains("\"Cause\""),
            "{errs:?}"
        );
        let errs = run(CA, &HEAD.replace("Closed", "Action")).unwrap_err();
        let all = errs.join("\n");
        assert!(
            all.contains("header \"Action\" in two columns (cells F1, I1)"),
            "{all}"
        );
    }

    #[test]
    fn header_matching_ignores_case_and_line_breaks() {
        let csv = format!(
            "{}CA-1,audit,2026-03-01,x,,,,open,,\n",
            HEAD.replace("Root cause", "\"ROOT\n cause\"")
        );
        assert!(run(CA, &csv).is_ok());
    }
}
