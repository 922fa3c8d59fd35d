//! A corpus of facts files that may be far larger than memory.
//!
//! Scanning reads every file once and keeps only its path and `kind`. The
//! documents of the kinds rules join on (their second and later kinds, and
//! `soa`) are kept in memory as the *resident* set; every other document is
//! parsed again only when it is evaluated, a chunk at a time, and dropped
//! afterwards. An in-memory corpus keeps everything resident.

use super::shard::Shard;
use super::{
    check_depth, json_error, parse, parse_document_with, read_document, read_text, relative,
    Document, FactsLimits, FactsSet,
};
use crate::diag::{self, Diagnostic};
use crate::source;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Documents parsed and evaluated together when streaming.
pub const DEFAULT_CHUNK: usize = 4096;

/// All facts of a run: an index of every usable file, resident documents, and where the rest live.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// `(path, kind)` of every usable file, sorted by path.
    index: Vec<(Arc<str>, Arc<str>)>,
    /// Usable documents per kind, in the whole corpus (every shard's).
    counts: BTreeMap<Arc<str>, usize>,
    /// Usable documents per kind in `index` (a shard: its own; else the same as `counts`).
    own_counts: BTreeMap<Arc<str>, usize>,
    resident: Arc<FactsSet>,
    /// When this corpus is one shard: `index`, `digest` and `diagnostics` are its own
    /// documents' and `file_digests` lists them; `counts` and `resident` span every shard.
    shard: Option<Shard>,
    file_digests: Vec<(Arc<str>, String)>,
    resident_texts: Vec<(Arc<str>, String)>,
    /// A shard's [`listing_digest`] of the whole corpus (empty unless a shard).
    listing: String,
    dir: Option<PathBuf>,
    limits: FactsLimits,
    digest: String,
    /// Files that could not be used, one diagnostic each.
    pub diagnostics: Vec<Diagnostic>,
}

/// Given the documents per kind, the kinds to keep in memory.
pub type ResidentKinds<'a> = dyn Fn(&dyn Fn(&str) -> usize) -> BTreeSet<String> + Sync + 'a;

/// A resident document, with its text when a shard owns it.
type Resident = (Document, Option<String>);

/// One scanned file: its path, its kind and the SHA-256 of its text (empty when another
/// shard owns it).
type Scanned = (String, String, String);

/// One SHA-256 over `(path, digest)` pairs in path order.
fn fold_digests(pairs: &mut [(Arc<str>, String)]) -> String {
    pairs.sort();
    let mut text = String::new();
    for (path, digest) in pairs.iter() {
        text.push_str(path);
        text.push('\u{1f}');
        text.push_str(digest);
        text.push('\n');
    }
    crate::source::sha256(text.as_bytes())
}

/// One SHA-256 over the `(path, kind)` of every usable document, given in path order:
/// what a corpus holds, without its contents. Shards of one corpus agree on it, and a
/// merge checks that the documents the shards owned make up exactly that corpus.
pub fn listing_digest<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::new();
    for (path, kind) in entries {
        text.push_str(path);
        text.push('\u{1f}');
        text.push_str(kind);
        text.push('\n');
    }
    crate::source::sha256(text.as_bytes())
}

/// The kind of a facts text, checking everything `parse_document` would reject
/// (syntax, depth, duplicate keys, the kind's spelling, oversized integers) without
/// building the document.
pub fn scan_kind(path: &str, text: &str, limits: &FactsLimits) -> Result<String, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_depth(path, text, limits)?;
    match parse::outline(text) {
        Ok(parse::Outline {
            object: true,
            kind: Some(serde_json::Value::String(k)),
        }) if super::valid_kind(k.trim()) => Ok(k.trim().to_string()),
        Err(e) => Err(json_error(path, text, &e)),
        // Anything unusual gets the full parser's precise diagnostic.
        Ok(_) => parse_document_with(path, text, limits).map(|d| d.kind),
    }
}

impl Corpus {
    /// A corpus held entirely in memory.
    pub fn from_set(set: FactsSet) -> Corpus {
        let index: Vec<(Arc<str>, Arc<str>)> = set
            .documents()
            .iter()
            .map(|d| (d.path.clone(), Arc::from(d.kind.as_str())))
            .collect();
        let digest = fold_digests(
            &mut set
                .documents()
                .iter()
                .map(|d| {
                    let json = serde_json::to_string(&d.value).unwrap_or_default();
                    (d.path.clone(), crate::source::sha256(json.as_bytes()))
                })
                .collect::<Vec<_>>(),
        );
        let mut corpus = Corpus {
            digest,
            diagnostics: set.diagnostics.clone(),
            resident: Arc::new(set),
            ..Corpus::default()
        };
        corpus.set_index(index);
        corpus
    }

    /// Scan a directory; documents of `resident_kinds` are kept in memory.
    pub fn scan_dir(
        dir: &Path,
        resident_kinds: &BTreeSet<String>,
    ) -> Result<Corpus, crate::error::Error> {
        Corpus::scan_dir_with(dir, resident_kinds, &FactsLimits::default())
    }

    /// [`Corpus::scan_dir`] with explicit limits, which also apply when streaming.
    pub fn scan_dir_with(
        dir: &Path,
        resident_kinds: &BTreeSet<String>,
        limits: &FactsLimits,
    ) -> Result<Corpus, crate::error::Error> {
        Corpus::scan_shard(dir, &|_| resident_kinds.clone(), limits, None)
    }

    /// Scan a directory in two passes: every file is read for its kind, then `resident`
    /// is told how many documents each kind has and names the kinds to keep in memory,
    /// and only those files are read again and parsed. So a kind is held only when
    /// something will read it (a rule that can run joins it), however many documents it has.
    ///
    /// With a `shard`, every file is still read for its kind (the kind counts and the
    /// resident documents span the whole corpus, so joins and `no-evidence` come out as in
    /// a single run), but only the shard's own documents are indexed, digested, reported
    /// when unusable and evaluated.
    pub fn scan_shard(
        dir: &Path,
        resident: &ResidentKinds<'_>,
        limits: &FactsLimits,
        shard: Option<Shard>,
    ) -> Result<Corpus, crate::error::Error> {
        let paths = source::files_with_extension(dir, "json")?;
        // Pass 1: kinds (and digests of the shard's own files).
        let scanned: Vec<(bool, Result<Scanned, Diagnostic>)> = paths
            .par_iter()
            .map(|p| {
                let rel = relative(dir, p);
                let own = shard.is_none_or(|s| s.owns(&rel));
                let scan = || -> Result<Scanned, Diagnostic> {
                    let file = read_text(p, &rel, limits)?;
                    let kind = scan_kind(&rel, &file, limits)?;
                    let digest = if own {
                        crate::source::sha256(file.as_bytes())
                    } else {
                        String::new()
                    };
                    Ok((rel.clone(), kind, digest))
                };
                (own, scan())
            })
            .collect();
        let mut counts: BTreeMap<Arc<str>, usize> = BTreeMap::new();
        // One shared string per kind, not one per document.
        let mut kinds: BTreeMap<String, Arc<str>> = BTreeMap::new();
        let mut files: Vec<(bool, String, Arc<str>, String)> = Vec::with_capacity(scanned.len());
        let mut diagnostics = Vec::new();
        for (own, s) in scanned {
            match s {
                Ok((path, kind, digest)) => {
                    let kind = kinds
                        .entry(kind)
                        .or_insert_with_key(|k| Arc::from(k.as_str()))
                        .clone();
                    *counts.entry(kind.clone()).or_insert(0) += 1;
                    files.push((own, path, kind, digest));
                }
                // Another shard reports its own unusable files.
                Err(d) if own => diagnostics.push(d),
                Err(_) => {}
            }
        }
        let keep = resident(&|k: &str| counts.get(k).copied().unwrap_or(0));
        // Pass 2: the resident documents, parsed; one that does not parse is unusable.
        let parsed: Vec<Option<Result<Resident, Diagnostic>>> = files
            .par_iter()
            .map(|(own, rel, kind, _)| {
                if !keep.contains(&**kind) {
                    return None;
                }
                let read = read_text(&dir.join(rel), rel, limits).and_then(|file| {
                    let doc = parse_document_with(rel, &file, limits)?;
                    Ok((doc, (*own && shard.is_some()).then_some(file)))
                });
                Some(read)
            })
            .collect();
        let mut index = Vec::new();
        let mut digests = Vec::new();
        let mut docs = Vec::new();
        let mut texts = Vec::new();
        let mut listing: Vec<(Arc<str>, Arc<str>)> = Vec::new();
        for ((own, path, kind, digest), doc) in files.into_iter().zip(parsed) {
            match doc {
                Some(Err(d)) => {
                    if let Some(n) = counts.get_mut(&kind) {
                        *n -= 1;
                    }
                    if own {
                        diagnostics.push(d);
                    }
                    continue;
                }
                Some(Ok((doc, text))) => {
                    texts.extend(text.map(|t| (doc.path.clone(), t)));
                    docs.push(doc);
                }
                None => {}
            }
            let path: Arc<str> = Arc::from(path.as_str());
            if shard.is_some() {
                listing.push((path.clone(), kind.clone()));
            }
            if own {
                digests.push((path.clone(), digest));
                index.push((path, kind));
            }
        }
        counts.retain(|_, n| *n > 0);
        listing.sort();
        diag::sort(&mut diagnostics);
        let mut corpus = Corpus {
            resident: Arc::new(FactsSet::from_documents(docs, Vec::new())),
            dir: Some(dir.to_path_buf()),
            limits: limits.clone(),
            diagnostics,
            shard,
            resident_texts: texts,
            digest: fold_digests(&mut digests),
            ..Corpus::default()
        };
        if shard.is_some() {
            corpus.file_digests = digests;
            corpus.listing = listing_digest(listing.iter().map(|(p, k)| (&**p, &**k)));
        }
        corpus.set_index(index);
        // The whole corpus's counts, which decide `no-evidence` alike in every shard.
        corpus.counts = counts;
        Ok(corpus)
    }

    /// The corpus a merge of shards rebuilds: every shard's documents (path and kind),
    /// their file digests, the resident documents and every shard's unusable files. It
    /// holds no directory: nothing more is streamed from it.
    pub fn from_shards(
        index: Vec<(Arc<str>, Arc<str>)>,
        file_digests: Vec<(Arc<str>, String)>,
        resident: FactsSet,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Corpus {
        diag::sort(&mut diagnostics);
        let mut file_digests = file_digests;
        let mut corpus = Corpus {
            digest: fold_digests(&mut file_digests),
            resident: Arc::new(resident),
            diagnostics,
            ..Corpus::default()
        };
        corpus.set_index(index);
        corpus
    }

    /// The shard this corpus is, when it is one.
    pub fn shard(&self) -> Option<Shard> {
        self.shard
    }

    /// True when the document at `path` is this corpus's to evaluate (always, unless it
    /// is a shard and another shard owns the path).
    pub fn owns(&self, path: &str) -> bool {
        self.shard.is_none_or(|s| s.owns(path))
    }

    /// True when this run reports the rows that belong to no document: not a shard, or
    /// the first shard.
    pub fn reports_run_rows(&self) -> bool {
        self.shard.is_none_or(|s| s.is_first())
    }

    /// `(path, SHA-256 of the file)` of a shard's own documents, by path (empty unless
    /// the corpus is a shard).
    pub fn file_digests(&self) -> &[(Arc<str>, String)] {
        &self.file_digests
    }

    /// `(path, text)` of a shard's own resident documents, by path (empty unless the
    /// corpus is a shard): a merge parses them again, so every view sees them as read.
    pub fn resident_texts(&self) -> &[(Arc<str>, String)] {
        &self.resident_texts
    }

    /// A shard's [`listing_digest`] of the whole corpus (empty unless the corpus is a shard).
    pub fn listing(&self) -> &str {
        &self.listing
    }

    /// Documents of a kind this corpus evaluates (a shard: its own).
    pub fn own_count_of(&self, kind: &str) -> usize {
        self.own_counts.get(kind).copied().unwrap_or(0)
    }

    /// Set the index and count it by kind (a shard then sets the whole corpus's counts).
    fn set_index(&mut self, mut index: Vec<(Arc<str>, Arc<str>)>) {
        index.sort();
        self.own_counts.clear();
        for (_, kind) in &index {
            *self.own_counts.entry(kind.clone()).or_insert(0) += 1;
        }
        self.counts = self.own_counts.clone();
        self.index = index;
    }

    /// One SHA-256 over the usable documents: each path with the SHA-256 of its file
    /// (documents given in memory: of their JSON), in path order. Two runs with the same
    /// digest read the same facts.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// Number of usable documents (a shard: its own).
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there are no usable documents.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Number of documents of a kind (a shard: in the whole corpus).
    pub fn count_of(&self, kind: &str) -> usize {
        self.counts.get(kind).copied().unwrap_or(0)
    }

    /// `(path, kind)` of every usable document (a shard: its own), sorted by path.
    pub fn index(&self) -> &[(Arc<str>, Arc<str>)] {
        &self.index
    }

    /// The documents kept in memory.
    pub fn resident(&self) -> &Arc<FactsSet> {
        &self.resident
    }

    /// True when documents of `kind` are in memory.
    pub fn is_resident(&self, kind: &str) -> bool {
        self.dir.is_none() || self.resident.count_of(kind) == self.count_of(kind)
    }

    /// Parse the non-resident documents of `kinds` a chunk at a time and hand each chunk to `f`.
    ///
    /// Chunks follow path order. A file that changed since the scan and no
    /// longer parses is reported in the returned diagnostics.
    pub fn stream(
        &self,
        kinds: &BTreeSet<String>,
        chunk: usize,
        mut f: impl FnMut(Vec<Arc<Document>>),
    ) -> Vec<Diagnostic> {
        let Some(dir) = &self.dir else {
            return Vec::new();
        };
        let wanted: Vec<&Arc<str>> = self
            .index
            .iter()
            .filter(|(_, k)| kinds.contains(&**k) && !self.is_resident(k))
            .map(|(p, _)| p)
            .collect();
        let mut diagnostics = Vec::new();
        for paths in wanted.chunks(chunk.max(1)) {
            let parsed: Vec<Result<Document, Diagnostic>> = paths
                .par_iter()
                .map(|p| read_document(&dir.join(&***p), p, &self.limits))
                .collect();
            let mut docs = Vec::with_capacity(parsed.len());
            for p in parsed {
                match p {
                    Ok(d) => docs.push(Arc::new(d)),
                    Err(d) => diagnostics.push(d),
                }
            }
            f(docs);
        }
        diagnostics
    }
}

impl From<FactsSet> for Corpus {
    fn from(set: FactsSet) -> Self {
        Corpus::from_set(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanning_keeps_only_resident_kinds_in_memory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.json"),
            r#"{"kind":"accounts","items":[]}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("b.json"), r#"{"kind":"people","items":[]}"#).unwrap();
        std::fs::write(dir.path().join("c.json"), r#"{"kind":"people","items":[}"#).unwrap();
        let keep: BTreeSet<String> = ["people".to_string()].into();
        let corpus = Corpus::scan_dir(dir.path(), &keep).unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.diagnostics.len(), 1);
        assert_eq!(corpus.diagnostics[0].location.file, "c.json");
        assert!(corpus.is_resident("people"));
        assert!(!corpus.is_resident("accounts"));
        let mut seen = Vec::new();
        let kinds: BTreeSet<String> = ["accounts".to_string(), "people".to_string()].into();
        corpus.stream(&kinds, 10, |docs| {
            seen.extend(docs.iter().map(|d| d.path.to_string()))
        });
        assert_eq!(
            seen,
            vec!["a.json"],
            "resident documents are not streamed again"
        );
    }

    #[test]
    fn a_kind_is_held_only_when_the_counts_say_something_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), r#"{"kind":"people","items":[]}"#).unwrap();
        std::fs::write(
            dir.path().join("b.json"),
            r#"{"kind":"asset_inventory","items":[]}"#,
        )
        .unwrap();
        // Hold people only when accounts exist (a rule over accounts joining people can run).
        let wanted = |count: &dyn Fn(&str) -> usize| -> BTreeSet<String> {
            let mut kinds = BTreeSet::new();
            if count("accounts") > 0 {
                kinds.insert("people".to_string());
            }
            if count("asset_inventory") == 1 {
                kinds.insert("asset_inventory".to_string());
            }
            kinds
        };
        let corpus =
            Corpus::scan_shard(dir.path(), &wanted, &FactsLimits::default(), None).unwrap();
        assert_eq!(
            corpus.resident().count_of("people"),
            0,
            "no accounts: people streamed"
        );
        assert_eq!(corpus.resident().count_of("asset_inventory"), 1);
        assert_eq!((corpus.len(), corpus.count_of("people")), (2, 1));
        std::fs::write(
            dir.path().join("c.json"),
            r#"{"kind":"accounts","items":[]}"#,
        )
        .unwrap();
        let corpus =
            Corpus::scan_shard(dir.path(), &wanted, &FactsLimits::default(), None).unwrap();
        assert_eq!(corpus.resident().count_of("people"), 1);
    }
}
