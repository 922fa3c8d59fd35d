//! `xwalk import FORMAT FILE... --out FACTS_DIR`: an export teams already have, turned into
//! facts documents with provenance. One subcommand per export format (a module each here),
//! each asking for the facts its export lacks. Nothing is written unless the whole import
//! succeeds and every document it produced passes the vocabulary check.

mod aws;
mod entra;
mod github;
mod google_workspace;
mod hr;
mod join;
mod okta;
mod prowler;
mod spreadsheet;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xwalk::import::{self, Imported};
use xwalk::source::{SourceFile, MAX_DATA_FILE_BYTES};

/// Arguments of `xwalk import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

/// The export formats.
#[derive(Debug, clap::Subcommand)]
enum Format {
    /// The AWS IAM credential report (CSV) -> accounts; needs --privileged.
    AwsIamCredentialReport(aws::Args),
    /// An HR roster report (CSV) -> people; needs --mapping and --collected-on.
    HrRoster(hr::Args),
    /// GitHub organisation members (REST API JSON) -> accounts; needs --admins and --two-factor-disabled.
    GithubMembers(github::MembersArgs),
    /// GitHub organisation repositories (REST API JSON) -> repository; needs the default
    /// branches' protection or rules, code scanning, and --production.
    GithubRepos(github::ReposArgs),
    /// A spreadsheet (CSV or XLSX) -> any vocabulary kind with items (risk register,
    /// suppliers, assets, training, corrective actions...); needs --mapping.
    Spreadsheet(spreadsheet::Args),
    /// Prowler's OCSF JSON findings -> cloud_check, one document per cloud account.
    ProwlerOcsf(prowler::Args),
    /// The Okta Users API (JSON pages) -> accounts; needs --factors and --privileged.
    OktaUsers(okta::Args),
    /// Microsoft Entra ID users from Graph (JSON pages) -> accounts; needs --role-members and --mfa-registration.
    EntraUsers(entra::Args),
    /// Google Workspace users from the Admin SDK (JSON pages) -> accounts.
    GoogleWorkspaceUsers(google_workspace::Args),
    /// Tie imported accounts without an HR id to the HR roster (by email, or an identities file); rewrites FACTS_DIR.
    Join(join::Args),
}

/// What every importer takes.
#[derive(Debug, clap::Args)]
struct Common {
    /// Facts directory to write to (created if missing); the document's path below it is fixed per format (for a spreadsheet, set by the mapping).
    #[arg(long, value_name = "FACTS_DIR")]
    out: PathBuf,
    /// The day the export was taken, when the export does not say (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    collected_on: Option<jiff::civil::Date>,
    /// System name written into the document (default per format, e.g. aws); for a spreadsheet, the provenance's source_system.
    #[arg(long, value_name = "NAME")]
    system: Option<String>,
}

impl Common {
    fn options(&self) -> import::Options {
        import::Options {
            collected_on: self.collected_on,
            system: self.system.clone(),
            mfa_required: None,
        }
    }
}

/// The options of an importer's common arguments.
fn options(common: &Common) -> import::Options {
    common.options()
}

/// Read one input file.
fn read(path: &Path) -> Result<SourceFile, xwalk::Error> {
    SourceFile::read(path, MAX_DATA_FILE_BYTES)
}

/// Read several input files (pages of one listing), in the order given.
fn read_all(paths: &[PathBuf]) -> Result<Vec<SourceFile>, xwalk::Error> {
    paths.iter().map(|p| read(p)).collect()
}

/// Every `.json` file directly in a directory (one API response per item), by file stem.
fn by_stem(dir: Option<&Path>) -> Result<BTreeMap<String, SourceFile>, xwalk::Error> {
    let mut out = BTreeMap::new();
    let Some(dir) = dir else { return Ok(out) };
    let display = dir.display().to_string();
    for entry in std::fs::read_dir(dir).map_err(|e| xwalk::Error::io(&display, e))? {
        let path = entry.map_err(|e| xwalk::Error::io(&display, e))?.path();
        if path.extension().is_some_and(|e| e == "json") {
            if let Some(stem) = path.file_stem() {
                out.insert(stem.to_string_lossy().into_owned(), read(&path)?);
            }
        }
    }
    Ok(out)
}

/// Run the command.
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let (imported, out) = match &args.format {
        Format::AwsIamCredentialReport(a) => (a.import()?, &a.common.out),
        Format::HrRoster(a) => (a.import()?, &a.common.out),
        Format::GithubMembers(a) => (a.import()?, &a.common.out),
        Format::GithubRepos(a) => (a.import()?, &a.common.out),
        Format::Spreadsheet(a) => (a.import()?, &a.common.out),
        Format::ProwlerOcsf(a) => (a.import()?, &a.common.out),
        Format::OktaUsers(a) => (okta::import(a)?, &a.common.out),
        Format::EntraUsers(a) => (entra::import(a)?, &a.common.out),
        Format::GoogleWorkspaceUsers(a) => (google_workspace::import(a)?, &a.common.out),
        Format::Join(a) => (a.join()?, &a.facts),
    };
    write(&imported, out)
}

/// Check what was imported against the vocabulary, then write it all or nothing.
fn write(imported: &Imported, out: &Path) -> Result<ExitCode, xwalk::Error> {
    import::check(imported)?;
    let files: Vec<(PathBuf, Vec<u8>)> = imported
        .files
        .iter()
        .map(|(path, text)| (out.join(path), text.clone().into_bytes()))
        .collect();
    for parent in files.iter().filter_map(|(p, _)| p.parent()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| xwalk::Error::io(&parent.display().to_string(), e))?;
    }
    xwalk::report::write::atomic_all(&files)?;
    for (path, _) in &files {
        crate::terminal::note(&format!("wrote {}\n", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}
