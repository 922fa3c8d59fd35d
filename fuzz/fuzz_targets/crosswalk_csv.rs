//! Crosswalk CSV loading: a manifest, two catalogs and links both ways, from one input.
//!
//! The input is split on the ASCII record separator (0x1E) into the files, in
//! this order: frameworks.csv, fz.csv, iso.csv, fz__iso.csv, iso__fz.csv.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xwalk::source::SourceFile;
use xwalk::Crosswalk;

const NAMES: [&str; 5] = [
    "frameworks.csv",
    "fz.csv",
    "iso.csv",
    "fz__iso.csv",
    "iso__fz.csv",
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<SourceFile> = NAMES
        .iter()
        .zip(text.split('\u{1e}'))
        .map(|(name, body)| SourceFile::new(format!("cw/{name}"), body))
        .collect();
    let loaded = Crosswalk::from_files(&files);
    for d in &loaded.diagnostics {
        assert!(
            files.iter().any(|f| f.path == d.location.file),
            "diagnostic names an unknown file: {d}"
        );
    }
    let cw = &loaded.crosswalk;
    let _ = cw.summaries();
    let _ = cw.link_sets();
    let _ = cw.overlap("fz", "iso");
    for fw in cw.frameworks() {
        for node in cw.requirements(&fw.id).collect::<Vec<_>>() {
            let _ = cw.detail(node);
            let _ = cw.map(node, None, None);
            assert_eq!(cw.find(&fw.id, &cw.node(node).id), Some(node));
        }
    }
    if loaded.error_count() == 0 {
        assert!(loaded.clone().into_result().is_ok());
    }
});
