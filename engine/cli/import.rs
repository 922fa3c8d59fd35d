//! `xwalk import FORMAT FILE --out FACTS_DIR`: an export teams already have, turned into
//! facts documents with provenance. Nothing is written unless the whole import succeeds.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::import::{self, aws_iam, hr_roster};
use xwalk::source::{SourceFile, MAX_DATA_FILE_BYTES};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// The AWS IAM credential report (CSV) -> accounts; needs --privileged.
    AwsIamCredentialReport,
    /// An HR roster report (CSV) -> people; needs --mapping and --collected-on.
    HrRoster,
}

/// Arguments of `xwalk import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export format.
    #[arg(value_enum)]
    format: ImportFormat,
    /// The export file.
    file: PathBuf,
    /// Facts directory to write to (created if missing); the document's path below it is fixed per format.
    #[arg(long, value_name = "FACTS_DIR")]
    out: PathBuf,
    /// Who holds administrator rights, which the credential report does not say: the JSON of
    /// `aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`,
    /// or one user name per line.
    #[arg(long, value_name = "FILE")]
    privileged: Option<PathBuf>,
    /// The mapping from the roster's columns to the people fields (TOML; see docs/importing.md).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// The day the export was taken, when the export does not say (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    collected_on: Option<jiff::civil::Date>,
    /// System name written into the document (default per format, e.g. aws).
    #[arg(long, value_name = "NAME")]
    system: Option<String>,
    /// Whether the system enforces MFA at every sign-in by policy (true or false), which an
    /// identity export does not say; left out, the MFA rule reports that it cannot tell.
    #[arg(long, value_name = "BOOL")]
    mfa_required: Option<bool>,
}

/// Run the command.
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let file = SourceFile::read(&args.file, MAX_DATA_FILE_BYTES)?;
    let options = import::Options {
        collected_on: args.collected_on,
        system: args.system.clone(),
        mfa_required: args.mfa_required,
    };
    let imported = match args.format {
        ImportFormat::AwsIamCredentialReport => {
            let Some(list) = &args.privileged else {
                return Err(xwalk::Error::Usage(
                    "the credential report does not say who holds administrator rights; give --privileged FILE (the output of aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess, or one user per line)".into(),
                ));
            };
            let list = SourceFile::read(list, MAX_DATA_FILE_BYTES)?;
            aws_iam::import(&file, &aws_iam::privileged_users(&list)?, &options)?
        }
        ImportFormat::HrRoster => {
            let Some(mapping) = &args.mapping else {
                return Err(xwalk::Error::Usage(
                    "an HR roster's columns differ per system: give --mapping FILE (docs/importing.md)".into(),
                ));
            };
            let mapping =
                hr_roster::Mapping::parse(&SourceFile::read(mapping, MAX_DATA_FILE_BYTES)?)?;
            hr_roster::import(&file, &mapping, &options)?
        }
    };
    let files: Vec<(PathBuf, Vec<u8>)> = imported
        .files
        .iter()
        .map(|(path, text)| (args.out.join(path), text.clone().into_bytes()))
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
