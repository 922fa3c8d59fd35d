//! ISO/IEC 27001:2022 reference data for rules: the ids of the Annex A controls.

pub use crate::ids::annex_a;

/// Register `annex_a()`.
pub fn register(engine: &mut rhai::Engine) {
    engine.register_fn("annex_a", || -> rhai::Array {
        annex_a().into_iter().map(rhai::Dynamic::from).collect()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn annex_a_matches_the_builtin_catalog() {
        let (name, text) = crate::builtin::CROSSWALK_FILES
            .iter()
            .find(|(name, _)| *name == "iso27001-2022.csv")
            .unwrap();
        let mut diags = Vec::new();
        let catalog = crate::catalog::parse_catalog(
            &SourceFile::new(*name, *text),
            "iso27001-2022",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let controls: Vec<String> = catalog
            .into_iter()
            .filter(|r| r.kind == "control")
            .map(|r| r.id)
            .collect();
        assert_eq!(annex_a(), controls);
        assert_eq!(annex_a().len(), 93);
    }
}
