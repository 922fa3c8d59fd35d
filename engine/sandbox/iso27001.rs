//! ISO/IEC 27001:2022 reference data for rules: the ids of the Annex A controls.

/// Annex A themes (A.5 organisational to A.8 technological) and their control counts.
const THEMES: [(u32, u32); 4] = [(5, 37), (6, 8), (7, 14), (8, 34)];

/// The 93 Annex A control ids in order, `A.5.1` to `A.8.34`.
pub fn annex_a() -> Vec<String> {
    THEMES
        .iter()
        .flat_map(|&(theme, count)| (1..=count).map(move |n| format!("A.{theme}.{n}")))
        .collect()
}

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
