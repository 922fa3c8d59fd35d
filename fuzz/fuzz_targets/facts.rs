//! Facts loading: bytes as read from a file, through decoding, limits and parsing.
//!
//! The corpus scan (which builds only the outline of a document) must accept
//! exactly what the full parser accepts, with the same kind and diagnostic code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xwalk::facts::{self, corpus::scan_kind, FactsLimits};

fuzz_target!(|data: &[u8]| {
    let limits = FactsLimits::default();
    let full = facts::parse_bytes("f.json", data, &limits);
    if let Err(d) = &full {
        assert_eq!(d.location.file, "f.json");
        assert!(d.code.id.starts_with("XW03"), "{d}");
    }
    let Ok(text) = facts::decode("f.json", data) else {
        assert!(full.is_err());
        return;
    };
    let scanned = scan_kind("f.json", text, &limits);
    match (&full, &scanned) {
        (Ok(doc), Ok(kind)) => {
            assert_eq!(&doc.kind, kind);
            assert!(doc.value.is_object());
        }
        (Err(a), Err(b)) => assert_eq!(a.code, b.code, "{a} / {b}"),
        _ => panic!("scan and parse disagree: {full:?} / {scanned:?}"),
    }
});
