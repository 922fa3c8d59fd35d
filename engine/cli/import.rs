//! `xwalk import FORMAT FILE... --out FACTS_DIR`: an export teams already have, turned into
//! facts documents with provenance. One subcommand per export format, each asking for the
//! facts its export lacks. Nothing is written unless the whole import succeeds and every
//! document it produced passes the vocabulary check.

use crate::output;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xwalk::import::{self, aws_iam, hr_roster, Imported};

mod entra;
mod google_workspace;
mod okta;
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
    AwsIamCredentialReport(AwsArgs),
    /// An HR roster report (CSV) -> people; needs --mapping and --collected-on.
    HrRoster(HrArgs),
    /// The Okta Users API (JSON pages) -> accounts; needs --factors and --privileged.
    OktaUsers(okta::Args),
    /// Microsoft Entra ID users from Graph (JSON pages) -> accounts; needs --role-members and --mfa-registration.
    EntraUsers(entra::Args),
    /// Google Workspace users from the Admin SDK (JSON pages) -> accounts.
    GoogleWorkspaceUsers(google_workspace::Args),
}

/// What every importer takes.
#[derive(Debug, clap::Args)]
struct Common {
    /// Facts directory to write to (created if missing); the document's path below it is fixed per format.
    #[arg(long, value_name = "FACTS_DIR")]
    out: PathBuf,
    /// The day the export was taken, when the export does not say (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    collected_on: Option<jiff::civil::Date>,
    /// System name written into the document (default per format, e.g. aws).
    #[arg(long, value_name = "NAME")]
    system: Option<String>,
}

#[derive(Debug, clap::Args)]
struct AwsArgs {
    /// The credential report (`aws iam get-credential-report`, base64-decoded).
    file: PathBuf,
    /// Who holds administrator rights, which the credential report does not say: the JSON of
    /// `aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`,
    /// or one user name per line.
    #[arg(long, value_name = "FILE")]
    privileged: Option<PathBuf>,
    /// Whether the system enforces MFA at every sign-in by policy (true or false), which an
    /// identity export does not say; left out, the MFA rule reports that it cannot tell.
    #[arg(long, value_name = "BOOL")]
    mfa_required: Option<bool>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct HrArgs {
    /// The roster report (CSV).
    file: PathBuf,
    /// The mapping from the roster's columns to the people fields (TOML; see docs/importing.md).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

fn read(path: &Path) -> Result<SourceFile, xwalk::Error> {
    SourceFile::read(path, MAX_DATA_FILE_BYTES)
}

fn options(common: &Common) -> import::Options {
    import::Options {
        collected_on: common.collected_on,
        system: common.system.clone(),
        mfa_required: None,
    }
}

/// Run the command.
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let (imported, common) = match &args.format {
        Format::AwsIamCredentialReport(a) => {
            let Some(list) = &a.privileged else {
                return Err(xwalk::Error::Usage(
                    "the credential report does not say who holds administrator rights; give --privileged FILE (the output of aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess, or one user per line)".into(),
                ));
            };
            let privileged = aws_iam::privileged_users(&read(list)?)?;
            let options = import::Options {
                mfa_required: a.mfa_required,
                ..options(&a.common)
            };
            (
                aws_iam::import(&read(&a.file)?, &privileged, &options)?,
                &a.common,
            )
        }
        Format::HrRoster(a) => {
            let Some(mapping) = &a.mapping else {
                return Err(xwalk::Error::Usage(
                    "an HR roster's columns differ per system: give --mapping FILE (docs/importing.md)".into(),
                ));
            };
            let mapping = hr_roster::Mapping::parse(&read(mapping)?)?;
            (
                hr_roster::import(&read(&a.file)?, &mapping, &options(&a.common))?,
                &a.common,
            )
        }
        Format::OktaUsers(a) => (okta::import(a)?, &a.common),
        Format::EntraUsers(a) => (entra::import(a)?, &a.common),
        Format::GoogleWorkspaceUsers(a) => (google_workspace::import(a)?, &a.common),
    };
    write(&imported, &common.out)
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
        output::eprint(&format!("wrote {}\n", path.display()));
    }
    Ok(ExitCode::SUCCESS)
}
