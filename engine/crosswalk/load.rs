//! Building the crosswalk graph from CSV files, with validation diagnostics.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use super::{Crosswalk, Edge, Link, Node, Relationship, OWN_ANALYSIS};
use crate::catalog::{self, Framework, Requirement, MANIFEST_FILE};
use crate::csvfile;
use crate::diag::codes;
use crate::diag::{self, Diagnostic, Location};
use crate::error::Error;
use crate::ids::FrameworkId;
use crate::source::{self, SourceFile, MAX_DATA_FILE_BYTES};
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Columns a link file must have.
pub const LINK_COLUMNS: [&str; 6] = [
    "from",
    "to",
    "relationship",
    "strength",
    "rationale",
    "source",
];

/// A crosswalk together with everything found wrong while building it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The graph, built from every row that could be used.
    pub crosswalk: Crosswalk,
    /// Diagnostics, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Number of error diagnostics.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// The crosswalk if there were no errors.
    pub fn into_result(self) -> Result<Crosswalk, Error> {
        match self.error_count() {
            0 => Ok(self.crosswalk),
            _ => Err(Error::Invalid {
                what: "the crosswalk data".to_string(),
                diagnostics: self.diagnostics,
            }),
        }
    }
}

/// What a file in a crosswalk directory holds, decided by its name.
enum FileRole<'a> {
    Manifest,
    Catalog(&'a str),
    Links(&'a str, &'a str),
    Procedures(&'a str),
    /// Data beside the crosswalk that is not part of the graph (the clause-level changes).
    Other,
}

fn role(file: &SourceFile) -> FileRole<'_> {
    let stem = file.stem();
    if format!("{stem}.csv") == MANIFEST_FILE {
        return FileRole::Manifest;
    }
    if format!("{stem}.csv") == crate::builtin::CLAUSE_CHANGES_FILE {
        return FileRole::Other;
    }
    if let Some(framework) = super::procedures_framework(stem) {
        return FileRole::Procedures(framework);
    }
    match stem.split_once("__") {
        Some((from, to)) => FileRole::Links(from, to),
        None => FileRole::Catalog(stem),
    }
}

impl Crosswalk {
    /// The built-in crosswalk (ISO 27001:2022 and 2013, SOC 2, NIST CSF 2.0).
    pub fn builtin() -> Loaded {
        Crosswalk::from_files(&crate::builtin::crosswalk_files())
    }

    /// The built-in crosswalk plus the CSV files of each directory in `dirs`.
    ///
    /// A file whose name matches an earlier one (say a user's own
    /// `iso27001-2022__soc2-2017.csv`) replaces it; other files add to the data.
    /// Manifests (`frameworks.csv`) always add.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Loaded, Error> {
        let mut files = crate::builtin::crosswalk_files();
        let mut unreadable = Vec::new();
        for dir in dirs {
            for file in read_dir_each(dir)? {
                let file = match file {
                    Ok(file) => file,
                    Err(d) => {
                        unreadable.push(d);
                        continue;
                    }
                };
                let same_name = files.iter_mut().find(|f| {
                    f.path.rsplit(['/', '\\']).next() == file.path.rsplit(['/', '\\']).next()
                        && !matches!(role(&file), FileRole::Manifest)
                });
                match same_name {
                    Some(slot) => {
                        unreadable.push(Diagnostic::new(
                            codes::XW0007,
                            Location::line(&file.path, 1),
                            format!(
                                "replaces the built-in file {} (a file of the same name replaces it whole; problems reported against other built-in files may come from what this one leaves out)",
                                slot.path
                            ),
                        ));
                        *slot = file;
                    }
                    None => files.push(file),
                }
            }
        }
        let mut loaded = Crosswalk::from_files(&files);
        if !unreadable.is_empty() {
            loaded.diagnostics.extend(unreadable);
            diag::sort(&mut loaded.diagnostics);
        }
        Ok(loaded)
    }

    /// Build a crosswalk from manifest, catalog and link files (any order).
    pub fn from_files(files: &[SourceFile]) -> Loaded {
        let mut builder = Builder::default();
        for file in files {
            if let FileRole::Manifest = role(file) {
                builder.manifest(file);
            }
        }
        for file in files {
            if let FileRole::Catalog(framework) = role(file) {
                builder.catalog(file, framework);
            }
        }
        builder.hierarchy();
        for file in files {
            if let FileRole::Links(from, to) = role(file) {
                builder.links(file, from, to);
            }
        }
        for file in files {
            if let FileRole::Procedures(framework) = role(file) {
                builder.cw.read_procedures(
                    file,
                    framework,
                    &mut builder.diags,
                    &mut builder.suggestions,
                );
            }
        }
        let mut loaded = builder.finish();
        let mut parts: Vec<String> = files
            .iter()
            .map(|f| {
                let name = f.path.rsplit(['/', '\\']).next().unwrap_or_default();
                format!("{name}\u{1f}{}\n", crate::source::sha256(f.text.as_bytes()))
            })
            .collect();
        parts.sort();
        loaded.crosswalk.digest = crate::source::sha256(parts.concat().as_bytes());
        loaded
    }

    /// [`Crosswalk::with_dirs`] plus the checks only `xwalk crosswalk check` makes:
    /// assessable requirements without test procedures (`XW0034`).
    pub fn check_dirs(dirs: &[PathBuf]) -> Result<Loaded, Error> {
        let mut loaded = Crosswalk::with_dirs(dirs)?;
        loaded
            .diagnostics
            .extend(loaded.crosswalk.unproceduralised());
        diag::sort(&mut loaded.diagnostics);
        Ok(loaded)
    }
}

/// The CSV files of a crosswalk directory (recursively, sorted by path), each read or refused on its own:
/// a file that is too large, not UTF-8 or unreadable is an `XW0006` diagnostic.
pub fn read_dir_each(dir: &Path) -> Result<Vec<Result<SourceFile, Diagnostic>>, Error> {
    Ok(source::files_with_extension(dir, "csv")?
        .iter()
        .map(|p| SourceFile::read(p, MAX_DATA_FILE_BYTES).map_err(unreadable))
        .collect())
}

fn unreadable(e: Error) -> Diagnostic {
    match e {
        Error::NotUtf8 { path, line, column } => Diagnostic::new(
            codes::XW0006,
            Location::at(path, line, column),
            "file is not valid UTF-8 (save it as UTF-8)",
        ),
        Error::TooLarge { path, size, limit } => Diagnostic::new(
            codes::XW0006,
            Location::line(path, 0),
            format!("file is {size} bytes, above the limit of {limit}"),
        ),
        Error::Io { path, source } => Diagnostic::new(
            codes::XW0006,
            Location::line(path, 0),
            format!("cannot read file: {source}"),
        ),
        other => Diagnostic::new(codes::XW0006, Location::default(), other.to_string()),
    }
}

#[derive(Default)]
struct Builder {
    cw: Crosswalk,
    diags: Vec<Diagnostic>,
    manifest: Vec<(Framework, Location)>,
    catalog_files: HashMap<String, String>,
    pending_parents: Vec<(NodeIndex, String, Location)>,
    pairs: HashMap<(NodeIndex, NodeIndex), (Relationship, Location)>,
    suggestions: usize,
}

/// "Did you mean" hints computed per load; past this, diagnostics carry none.
pub(super) const MAX_SUGGESTIONS: usize = 200;

impl Builder {
    /// Read a manifest. An id declared twice in one file is an error; a later
    /// file (a user's directory) may redeclare a framework to rename it.
    fn manifest(&mut self, file: &SourceFile) {
        for (fw, location) in catalog::parse_manifest(file, &mut self.diags) {
            match self.manifest.iter_mut().find(|(f, _)| f.id == fw.id) {
                Some((_, first)) if first.file == location.file => {
                    self.diags.push(Diagnostic::new(
                        codes::XW0004,
                        location,
                        format!("framework `{}` is declared twice (first at {first})", fw.id),
                    ));
                }
                Some(slot) => *slot = (fw, location),
                None => self.manifest.push((fw, location)),
            }
        }
    }

    fn catalog(&mut self, file: &SourceFile, framework: &str) {
        if let Some(first) = self.catalog_files.get(framework) {
            self.diags.push(Diagnostic::new(
                codes::XW0004,
                Location::line(&file.path, 1),
                format!("framework `{framework}` already has a catalog in {first}; extend that file or pick another framework id"),
            ));
            return;
        }
        self.catalog_files
            .insert(framework.to_string(), file.path.clone());
        let declared = self
            .manifest
            .iter()
            .find(|(f, _)| f.id == framework)
            .map(|(f, _)| f.clone());
        self.cw
            .frameworks
            .push(declared.unwrap_or_else(|| Framework::bare(framework)));
        for req in catalog::parse_catalog(file, framework, &mut self.diags) {
            self.requirement(req);
        }
    }

    fn requirement(&mut self, req: Requirement) {
        if let Some(first) = self.cw.find(&req.framework, &req.id) {
            let first = &self.cw.node(first).location;
            self.diags.push(
                Diagnostic::new(
                    codes::XW0010,
                    req.location.clone(),
                    format!(
                        "duplicate requirement id `{}` (first defined at {first})",
                        req.id
                    ),
                )
                .with_subject(format!("{}:{}", req.framework, req.id)),
            );
            return;
        }
        let parent = req.parent.clone();
        let location = req.location.clone();
        let index = self.cw.add_node(Node {
            framework: req.framework,
            id: req.id,
            kind: req.kind,
            title: req.title,
            theme: req.theme,
            location: req.location,
        });
        if let Some(parent) = parent {
            self.pending_parents.push((index, parent, location));
        }
    }

    fn hierarchy(&mut self) {
        for (child, parent, location) in std::mem::take(&mut self.pending_parents) {
            let node = &self.cw.graph[child];
            let (framework, id) = (node.framework.clone(), node.id.clone());
            match self.cw.find(&framework, &parent) {
                Some(p) => {
                    self.cw.graph.add_edge(p.0, child, Edge::Child);
                }
                None => {
                    let hint = self.hint(&framework, &parent);
                    let subject = format!("{framework}:{id}");
                    self.diags.push(
                        Diagnostic::new(
                            codes::XW0011,
                            location,
                            format!("parent `{parent}` is not in {framework}{hint}"),
                        )
                        .with_subject(subject),
                    );
                }
            }
        }
        self.cycles();
    }

    /// A "did you mean" hint, while the budget for them lasts.
    fn hint(&mut self, framework: &str, id: &str) -> String {
        if self.suggestions >= MAX_SUGGESTIONS {
            return String::new();
        }
        self.suggestions += 1;
        did_you_mean(self.cw.suggest(framework, id))
    }

    /// Report every parent chain that loops (`XW0012`).
    ///
    /// Each requirement has at most one parent, so following parents from each
    /// node finds every cycle. The walk is iterative: a chain a million deep
    /// costs time, not stack (petgraph's `tarjan_scc` recurses per level).
    fn cycles(&mut self) {
        let graph = &self.cw.graph;
        let parent = |n: NodeIndex| {
            graph
                .edges_directed(n, petgraph::Direction::Incoming)
                .find(|e| matches!(e.weight(), Edge::Child))
                .map(|e| e.source())
        };
        // 0: not seen, 1: on the current walk, 2: done.
        let mut state = vec![0u8; graph.node_count()];
        let mut found: Vec<Vec<NodeIndex>> = Vec::new();
        for start in graph.node_indices() {
            let mut path = Vec::new();
            let mut cur = Some(start);
            while let Some(n) = cur {
                if state.get(n.index()).copied().unwrap_or(2) != 0 {
                    break;
                }
                if let Some(s) = state.get_mut(n.index()) {
                    *s = 1;
                }
                path.push(n);
                cur = parent(n);
            }
            let cycle = cur
                .filter(|n| state.get(n.index()) == Some(&1))
                .and_then(|n| path.iter().position(|p| *p == n))
                .map(|at| path.split_off(at));
            for n in path.iter().chain(cycle.iter().flatten()) {
                if let Some(s) = state.get_mut(n.index()) {
                    *s = 2;
                }
            }
            found.extend(cycle);
        }
        for cycle in found {
            let mut nodes: Vec<&Node> = cycle.iter().map(|i| &self.cw.graph[*i]).collect();
            nodes.sort_by(|a, b| a.location.cmp(&b.location));
            let Some(first) = nodes.first() else {
                continue;
            };
            let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
            self.diags.push(
                Diagnostic::new(
                    codes::XW0012,
                    first.location.clone(),
                    format!("hierarchy cycle: {} -> {}", ids.join(" -> "), first.id),
                )
                .with_subject(format!("{}:{}", first.framework, first.id)),
            );
        }
    }

    fn links(&mut self, file: &SourceFile, from_fw: &str, to_fw: &str) {
        let known: Vec<&str> = self.cw.frameworks.iter().map(|f| f.id.as_str()).collect();
        for fw in [from_fw, to_fw] {
            if !known.contains(&fw) {
                let hint = did_you_mean(catalog::closest(fw, known.iter().copied()));
                self.diags.push(Diagnostic::new(
                    codes::XW0003,
                    Location::line(&file.path, 1),
                    format!("link file names framework `{fw}`, which has no catalog{hint}; name link files FROM__TO.csv"),
                ));
                return;
            }
        }
        for row in csvfile::read(file, &LINK_COLUMNS, &mut self.diags) {
            self.link_row(&row, file, from_fw, to_fw);
        }
    }

    fn endpoint(
        &mut self,
        framework: &str,
        id: &str,
        column: &str,
        at: &Location,
    ) -> Option<NodeIndex> {
        if let Some(n) = self.cw.find(framework, id) {
            return Some(n.0);
        }
        let hint = self.hint(framework, id);
        let what = if id.is_empty() {
            "empty".to_string()
        } else {
            format!("`{id}`")
        };
        self.diags.push(
            Diagnostic::new(
                codes::XW0020,
                at.clone(),
                format!("unknown {column} id {what} in {framework}{hint}"),
            )
            .with_subject(format!("{framework}:{id}")),
        );
        None
    }

    fn link_row(&mut self, row: &csvfile::Row, file: &SourceFile, from_fw: &str, to_fw: &str) {
        let at = Location::line(&file.path, row.line);
        let from = self.endpoint(from_fw, row.get("from"), "from", &at);
        let to = self.endpoint(to_fw, row.get("to"), "to", &at);
        if from.is_some() && from == to {
            self.diags.push(Diagnostic::new(
                codes::XW0026,
                at.clone(),
                format!(
                    "`{}` is linked to itself; a link relates two requirements",
                    row.get("from")
                ),
            ));
            return;
        }
        let relationship = match row.get("relationship").parse::<Relationship>() {
            Ok(r) => Some(r),
            Err(message) => {
                self.diags
                    .push(Diagnostic::new(codes::XW0021, at.clone(), message));
                None
            }
        };
        let strength = match row.get("strength").parse::<u8>() {
            Ok(s @ 1..=10) => Some(s),
            _ => {
                self.diags.push(Diagnostic::new(
                    codes::XW0022,
                    at.clone(),
                    format!(
                        "strength `{}` must be a whole number from 1 to 10",
                        row.get("strength")
                    ),
                ));
                None
            }
        };
        let missing: Vec<&str> = ["rationale", "source"]
            .into_iter()
            .filter(|c| row.opt(c).is_none())
            .collect();
        if !missing.is_empty() {
            self.diags.push(Diagnostic::new(
                codes::XW0025,
                at.clone(),
                format!(
                    "link without {}: every link needs both",
                    missing.join(" and ")
                ),
            ));
        }
        let (Some(from), Some(to), Some(relationship), Some(strength), true) =
            (from, to, relationship, strength, missing.is_empty())
        else {
            return;
        };
        if relationship == Relationship::Disputed && row.get("source") == OWN_ANALYSIS {
            self.diags.push(Diagnostic::new(
                codes::XW0027,
                at.clone(),
                format!(
                    "`disputed` records a disagreement with a published reference, but the source is `{OWN_ANALYSIS}`; name the reference, or use `not-related` for a pairing you examined yourself"
                ),
            ));
            return;
        }
        if !self.unique_pair(from, to, relationship, &at) {
            return;
        }
        self.cw.graph.add_edge(
            from,
            to,
            Edge::Link(Link {
                relationship,
                strength,
                rationale: row.get("rationale").to_string(),
                source: row.get("source").to_string(),
                location: at,
            }),
        );
    }

    /// Record a pair; report a repeat (`XW0023`) or a contradiction (`XW0024`).
    fn unique_pair(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        rel: Relationship,
        at: &Location,
    ) -> bool {
        let (key, rel) = if from <= to {
            ((from, to), rel)
        } else {
            ((to, from), rel.inverse())
        };
        let subject = format!(
            "{} <-> {}",
            self.cw.graph[from].reference(),
            self.cw.graph[to].reference()
        );
        match self.pairs.get(&key) {
            None => {
                self.pairs.insert(key, (rel, at.clone()));
                true
            }
            Some((first, first_at)) if *first == rel => {
                self.diags.push(
                    Diagnostic::new(
                        codes::XW0023,
                        at.clone(),
                        format!("duplicate link (first at {first_at})"),
                    )
                    .with_subject(subject),
                );
                false
            }
            Some((first, first_at)) => {
                let (first, first_at) = (*first, first_at.clone());
                // Both relationships in this row's direction.
                let (first, here) = if from <= to {
                    (first, rel)
                } else {
                    (first.inverse(), rel.inverse())
                };
                self.diags.push(
                    Diagnostic::new(
                        codes::XW0024,
                        at.clone(),
                        format!("contradicting relationships for the same pair: `{here}` here, `{first}` at {first_at}"),
                    )
                    .with_subject(subject),
                );
                false
            }
        }
    }

    fn finish(mut self) -> Loaded {
        for (fw, location) in &self.manifest {
            if !self.catalog_files.contains_key(fw.id.as_str()) {
                self.diags.push(Diagnostic::new(
                    codes::XW0005,
                    location.clone(),
                    format!(
                        "framework `{}` is declared but has no catalog file `{}.csv`",
                        fw.id, fw.id
                    ),
                ));
            }
        }
        // Frameworks in manifest order, then undeclared ones in the order their catalogs came.
        let manifest_order: Vec<FrameworkId> =
            self.manifest.iter().map(|(f, _)| f.id.clone()).collect();
        self.cw.frameworks.sort_by_key(|f| {
            manifest_order
                .iter()
                .position(|m| *m == f.id)
                .unwrap_or(usize::MAX)
        });
        diag::sort(&mut self.diags);
        Loaded {
            crosswalk: self.cw,
            diagnostics: self.diags,
        }
    }
}

pub(super) fn did_you_mean(suggestion: Option<String>) -> String {
    suggestion
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}
