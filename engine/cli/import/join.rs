//! `xwalk import join FACTS_DIR`.

use super::read;
use std::path::PathBuf;
use xwalk::import::{join, Imported};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The facts directory holding the imported accounts and the HR roster; rewritten in place.
    pub facts: PathBuf,
    /// Accounts to tie by hand (TOML: `[github]` then `login = "HR id or email"`).
    #[arg(long, value_name = "FILE")]
    identities: Option<PathBuf>,
}

impl Args {
    pub fn join(&self) -> Result<Imported, xwalk::Error> {
        let mut docs = Vec::new();
        for path in xwalk::source::files_with_extension(&self.facts, "json")? {
            let rel = path
                .strip_prefix(&self.facts)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            docs.push((rel, read(&path)?));
        }
        let ids = self.identities.as_deref().map(read).transpose()?;
        let joined = join::join(&docs, ids.as_ref())?;
        for line in joined.unmatched.iter().chain(&joined.unused) {
            crate::terminal::note(&format!("note: {line}\n"));
        }
        Ok(joined.imported)
    }
}
