//! Rebuild when embedded data changes: include_dir! alone misses files added later.

fn main() {
    for dir in [
        "rules",
        "crosswalks",
        "fixtures/startup",
        "engine/facts/vocabulary",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
