//! The library's rooms are layered: a module imports only the rooms listed before it in
//! [`ROOMS`] (the order `docs/architecture.md` describes), and the CLI reaches the library
//! only through its public paths. Reading the source is enough to check this.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Every room of `engine/`, lowest first. A room is a top-level file or folder.
const ROOMS: [&str; 21] = [
    // foundation
    "diag",
    "error",
    "ids",
    "dates",
    "source",
    "csvfile",
    "builtin",
    // data
    "catalog",
    "crosswalk",
    "facts",
    "import",
    // rules
    "sandbox",
    "rules",
    "eval",
    "ruletest",
    "authoring",
    // judgement
    "coverage",
    // audit views
    "views",
    // renderers
    "report",
    // the facade
    "assessment",
    // tools
    "synth",
];

fn rank(room: &str) -> Option<usize> {
    ROOMS.iter().position(|r| *r == room)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The room a library file belongs to: its first path component under `engine/`.
fn room_of(engine: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(engine).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The rooms a source text names as `crate::ROOM`, outside comments.
fn imported_rooms(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_module_imports_a_room_above_it() {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("engine");
    let mut files = Vec::new();
    rust_files(&engine, &mut files);
    files.sort();
    let mut problems = Vec::new();
    let mut rooms_seen = BTreeSet::new();
    for file in &files {
        let room = room_of(&engine, file);
        if room == "lib" || room == "cli" {
            continue;
        }
        rooms_seen.insert(room.clone());
        let Some(own) = rank(&room) else {
            problems.push(format!(
                "{}: room `{room}` is not in the layer list (tests/layers.rs, docs/architecture.md)",
                file.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).unwrap();
        for imported in imported_rooms(&text) {
            if imported == room {
                continue;
            }
            match rank(&imported) {
                Some(r) if r < own => {}
                Some(_) => problems.push(format!(
                    "{}: `{room}` imports `crate::{imported}`, which is above it",
                    file.display()
                )),
                None => problems.push(format!(
                    "{}: `crate::{imported}` is not a room; import from the module that defines it",
                    file.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let listed: BTreeSet<String> = ROOMS.iter().map(|r| r.to_string()).collect();
    let stale: Vec<&String> = listed.difference(&rooms_seen).collect();
    assert!(
        stale.is_empty(),
        "rooms listed but not in engine/: {stale:?}"
    );
}

#[test]
fn the_cli_uses_only_the_public_library() {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("engine/cli");
    let mut files = Vec::new();
    rust_files(&cli, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let lines = text.lines().count();
        if lines > 150 {
            problems.push(format!("{}: {lines} lines (at most 150)", file.display()));
        }
        // The CLI renders what the library computes; these are the library's internals.
        for internal in [
            "xwalk::eval::evaluate",
            "xwalk::coverage::compute",
            "Sandbox::new",
        ] {
            if text.contains(internal) {
                problems.push(format!(
                    "{}: calls `{internal}`; go through xwalk::Assessment",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_architecture_page_names_every_room() {
    let page =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .unwrap();
    let missing: Vec<&str> = ROOMS
        .iter()
        .copied()
        .chain(["cli"])
        .filter(|room| {
            !page.contains(&format!("`{room}`")) && !page.contains(&format!("`{room}/`"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name {missing:?}"
    );
}

#[test]
fn diagnostic_codes_are_spelled_only_in_their_registry() {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("engine");
    let mut files = Vec::new();
    rust_files(&engine, &mut files);
    let mut found = Vec::new();
    for file in files {
        if file.ends_with("diag/codes.rs") {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains("\"XW0") || line.contains("\"SOA0") {
                found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "use xwalk::diag::codes instead:\n{}",
        found.join("\n")
    );
}
