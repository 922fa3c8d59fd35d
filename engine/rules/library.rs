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

/// Compiled libraries by name; a usable one holds its script, a broken one why.
#[derive(Debug, Clone, Default)]
pub struct Libraries {
    by_name: BTreeMap<String, Result<Arc<rhai::AST>, String>>,
}

impl Libraries {
    /// Compile the built-in libraries, then `files` (a rules directory's own, which replace
    /// built-in ones of the same name). Problems go to `diags`.
    pub fn compile(files: &[&SourceFile], sandbox: &Sandbox, diags: &mut Vec<Diagnostic>) -> Self {
        let mut libraries = Libraries::default();
        let builtin = crate::builtin::library_files();
        let mut quiet = Vec::new();
        for file in &builtin {
            libraries.add(file, sandbox, &mut quiet);
        }
        for file in files {
            libraries.add(file, sandbox, diags);
        }
        // The built-in libraries are checked by the build's own tests; a problem there is
        // still reported where it matters, on the rule that uses it.
        libraries
    }

    fn add(&mut self, file: &SourceFile, sandbox: &Sandbox, diags: &mut Vec<Diagnostic>) {
        let Some(name) = library_name(&file.path) else {
            return;
        };
        let compiled = match sandbox.compile(&file.text) {
            Err(e) => {
                let at = Location::at(
                    &file.path,
                    e.position().line().unwrap_or(0) as u64,
                    e.position().position().unwrap_or(0) as u64,
                );
                let d =
                    Diagnostic::new(codes::XW0410, at, format!("syntax error: {}", e.err_type()));
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
        };
        self.by_name.insert(name.to_string(), compiled);
    }

    /// The rule's script with the functions of every library it uses added, or why not.
    pub fn link(&self, ast: rhai::AST, uses: &[String]) -> Result<rhai::AST, String> {
        let mut linked = ast;
        for name in uses {
            match self.by_name.get(name) {
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
