//! Rule libraries: functions several rules share, so a check is written once. A library is
//! `lib/NAME.rhai` in a rules directory (the built-in library has its own) and holds only
//! function definitions; a rule names the ones it calls in its header (`//! uses: NAME`)
//! and their functions are added to its script. The rule's own functions win over a
//! library's of the same name and arity. Libraries reach nothing a rule cannot: they run
//! in the same sandbox, with the same limits, on the same facts.

use crate::diag::{codes, Diagnostic, Location};
use crate::sandbox::Sandbox;
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The folder of a rules directory that holds libraries, not rules.
pub const LIBRARY_DIR: &str = "lib";

/// The library name of a file (`dir/lib/acknowledgements.rhai` -> `acknowledgements`),
/// `None` for a rule file.
pub fn library_name(path: &str) -> Option<&str> {
    let mut parts = path.rsplit('/');
    let file = parts.next()?;
    (parts.next()? == LIBRARY_DIR)
        .then(|| file.strip_suffix(".rhai"))
        .flatten()
}

type Compiled = Result<Arc<rhai::AST>, String>;

/// Libraries by name; a usable one holds its script, a broken one why. A rules directory's
/// own libraries are compiled at once (their problems are reported); the built-in ones only
/// when a rule uses them, once.
#[derive(Debug)]
pub struct Libraries<'a> {
    by_name: BTreeMap<String, Entry>,
    sandbox: &'a Sandbox,
}

#[derive(Debug)]
enum Entry {
    Compiled(Compiled),
    Builtin(SourceFile, std::sync::OnceLock<Compiled>),
}

impl<'a> Libraries<'a> {
    /// The built-in libraries, then `files` (a rules directory's own, which replace
    /// built-in ones of the same name). Problems with `files` go to `diags`.
    pub fn compile(
        files: &[&SourceFile],
        sandbox: &'a Sandbox,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut libraries = Libraries {
            by_name: BTreeMap::new(),
            sandbox,
        };
        for file in crate::builtin::library_files() {
            if let Some(name) = library_name(&file.path) {
                let name = name.to_string();
                libraries
                    .by_name
                    .insert(name, Entry::Builtin(file, std::sync::OnceLock::new()));
            }
        }
        for file in files {
            if let Some(name) = library_name(&file.path) {
                let compiled = compile_one(file, sandbox, diags);
                libraries
                    .by_name
                    .insert(name.to_string(), Entry::Compiled(compiled));
            }
        }
        libraries
    }

    fn get(&self, name: &str) -> Option<&Compiled> {
        match self.by_name.get(name)? {
            Entry::Compiled(c) => Some(c),
            // The built-in libraries are checked by the build's own tests; a problem there
            // is still reported where it matters, on the rule that uses it.
            Entry::Builtin(file, cell) => {
                Some(cell.get_or_init(|| compile_one(file, self.sandbox, &mut Vec::new())))
            }
        }
    }
}

/// Compile one library file: its functions, or why it cannot be used.
fn compile_one(file: &SourceFile, sandbox: &Sandbox, diags: &mut Vec<Diagnostic>) -> Compiled {
    match sandbox.compile(&file.text) {
        Err(e) => {
            let at = Location::at(
                &file.path,
                e.position().line().unwrap_or(0) as u64,
                e.position().position().unwrap_or(0) as u64,
            );
            let d = Diagnostic::new(codes::XW0410, at, format!("syntax error: {}", e.err_type()));
            let why = d.to_string();
            diags.push(d);
            Err(why)
        }
        Ok(ast) if ast.statements().is_empty() => Ok(Arc::new(ast)),
        Ok(ast) => {
            let line = ast
                .statements()
                .first()
                .and_then(|s| s.position().line())
                .unwrap_or(1);
            let d = Diagnostic::new(
                codes::XW0418,
                Location::line(&file.path, line as u64),
                "a rule library may only define functions; move this statement into a function",
            );
            let why = d.to_string();
            diags.push(d);
            Err(why)
        }
    }
}

impl Libraries<'_> {
    /// The rule's script with the functions of every library it uses added, or why not.
    pub fn link(&self, ast: rhai::AST, uses: &[String]) -> Result<rhai::AST, String> {
        let mut linked = ast;
        for name in uses {
            match self.get(name) {
                Some(Ok(lib)) => linked = lib.merge(&linked),
                Some(Err(why)) => return Err(format!("library `{name}` cannot be used: {why}")),
                None => {
                    let known: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
                    return Err(format!(
                        "no rule library `{name}` (known: {}); a library is lib/{name}.rhai in the rules directory",
                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                    ));
                }
            }
        }
        Ok(linked)
    }
}
