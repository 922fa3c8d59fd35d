//! Rule metadata parsing and compilation of arbitrary rule text.
//!
//! A header yields metadata exactly when it has no error diagnostic, and
//! every file becomes either a usable rule or a broken one, never nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use xwalk::rules::{meta, RuleSet};
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;

fn sandbox() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| Sandbox::new(Limits::default(), jiff::civil::date(2026, 6, 30)))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut diags = Vec::new();
    let (parsed, _header) = meta::parse("r.rhai", text, &mut diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    assert_eq!(parsed.is_some(), errors == 0, "{diags:?}");
    for d in &diags {
        assert_eq!(d.location.file, "r.rhai");
        assert!(d.location.line >= 1, "{d}");
    }
    let set = RuleSet::compile(&[SourceFile::new("r.rhai", text)], sandbox());
    assert_eq!(set.rules.len() + set.broken.len(), 1);
    if let Some(rule) = set.rules.first() {
        let _ = rule.field_location("requirements");
        for r in &rule.meta.requirements {
            let _ = rule.requirement_location(&r.to_string());
        }
    }
});
