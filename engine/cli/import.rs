//! `xwalk import FORMAT FILE... --out FACTS_DIR`: an export teams already have, turned into
//! facts documents with provenance. One subcommand per export format, each asking for the
//! facts its export lacks. Nothing is written unless the whole import succeeds and every
//! document it produced passes the vocabulary check.

use crate::output;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xwalk::import::{self, aws_iam, entra, google_workspace, hr_roster, okta, Imported};
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
    OktaUsers(OktaArgs),
    /// Microsoft Entra ID users from Graph (JSON pages) -> accounts; needs --role-members and --mfa-registration.
    EntraUsers(EntraArgs),
    /// Google Workspace users from the Admin SDK (JSON pages) -> accounts.
    GoogleWorkspaceUsers(GoogleArgs),
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

#[derive(Debug, clap::Args)]
struct OktaArgs {
    /// The users list (`GET /api/v1/users`), one file per page; add the list of
    /// `GET /api/v1/users?filter=status eq "DEPROVISIONED"`, which the plain list leaves out.
    #[arg(required = true, value_name = "USERS.json")]
    files: Vec<PathBuf>,
    /// Each user's enrolled factors, which the users list does not hold: a directory with
    /// `GET /api/v1/users/{id}/factors` saved as `{id}.json` for every user.
    #[arg(long, value_name = "DIR")]
    factors: Option<PathBuf>,
    /// Who holds an administrator role, which the users list does not say: the JSON of
    /// `GET /api/v1/iam/assignees/users` or one login per line (repeat for each page).
    #[arg(long, value_name = "FILE")]
    privileged: Vec<PathBuf>,
    /// Service accounts, one login per line; the others are typed human.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    /// Whether a sign-on policy requires MFA at every sign-in (true or false), which the
    /// users list does not say; left out, the MFA rule reports that it cannot tell.
    #[arg(long, value_name = "BOOL")]
    mfa_required: Option<bool>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct EntraArgs {
    /// The users (`GET /users?$select=id,userPrincipalName,mail,accountEnabled,createdDateTime,userType,employeeId,signInActivity`), one file per page.
    #[arg(required = true, value_name = "USERS.json")]
    files: Vec<PathBuf>,
    /// Who holds a directory role, which a user object does not say: the JSON of
    /// `GET /directoryRoles?$expand=members` (repeat for each page).
    #[arg(long, value_name = "FILE")]
    role_members: Vec<PathBuf>,
    /// Who has MFA registered: the JSON of
    /// `GET /reports/authenticationMethods/userRegistrationDetails` (repeat for each page).
    #[arg(long, value_name = "FILE")]
    mfa_registration: Vec<PathBuf>,
    /// Service accounts, one user principal name per line; the others are typed human.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    /// Whether Conditional Access or security defaults require MFA at every sign-in (true
    /// or false), which Graph's user data does not say; left out, the MFA rule reports
    /// that it cannot tell.
    #[arg(long, value_name = "BOOL")]
    mfa_required: Option<bool>,
    #[command(flatten)]
    common: Common,
}

#[derive(Debug, clap::Args)]
struct GoogleArgs {
    /// The users (`users.list` of the Admin SDK Directory API, `customer=my_customer`), one file per page.
    #[arg(required = true, value_name = "USERS.json")]
    files: Vec<PathBuf>,
    /// Service accounts, one primary email per line; the others are typed human.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

fn read(path: &Path) -> Result<SourceFile, xwalk::Error> {
    SourceFile::read(path, MAX_DATA_FILE_BYTES)
}

fn read_all(paths: &[PathBuf]) -> Result<Vec<SourceFile>, xwalk::Error> {
    paths.iter().map(|p| read(p)).collect()
}

fn read_opt(path: Option<&PathBuf>) -> Result<Option<SourceFile>, xwalk::Error> {
    path.map(|p| read(p)).transpose()
}

/// The `.json` files directly in a directory, sorted.
fn read_dir_json(dir: &Path) -> Result<Vec<SourceFile>, xwalk::Error> {
    let display = dir.display().to_string();
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| xwalk::Error::io(&display, e))? {
        let path = entry.map_err(|e| xwalk::Error::io(&display, e))?.path();
        let json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if json && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    read_all(&paths)
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
        Format::OktaUsers(a) => (okta_users(a)?, &a.common),
        Format::EntraUsers(a) => (entra_users(a)?, &a.common),
        Format::GoogleWorkspaceUsers(a) => (google_workspace_users(a)?, &a.common),
    };
    write(&imported, &common.out)
}

fn okta_users(a: &OktaArgs) -> Result<Imported, xwalk::Error> {
    let Some(dir) = &a.factors else {
        return Err(xwalk::Error::Usage(
            "the Okta users list does not say who has MFA enrolled; give --factors DIR: a directory holding, for every user, GET /api/v1/users/{id}/factors saved as {id}.json".into(),
        ));
    };
    if a.privileged.is_empty() {
        return Err(xwalk::Error::Usage(
            "the Okta users list does not say who holds an administrator role; give --privileged FILE (GET /api/v1/iam/assignees/users saved as JSON, one file per page, or one login per line)".into(),
        ));
    }
    let users = read_all(&a.files)?;
    let factors = read_dir_json(dir)?;
    let privileged = read_all(&a.privileged)?;
    let service = read_opt(a.service.as_ref())?;
    let dir = dir.display().to_string();
    let inputs = okta::Inputs {
        users: &users,
        factors_dir: &dir,
        factors: &factors,
        privileged: &privileged,
        service: service.as_ref(),
    };
    let options = import::Options {
        mfa_required: a.mfa_required,
        ..options(&a.common)
    };
    okta::import(&inputs, &options)
}

fn entra_users(a: &EntraArgs) -> Result<Imported, xwalk::Error> {
    if a.role_members.is_empty() {
        return Err(xwalk::Error::Usage(
            "a Graph user object does not say who holds a directory role; give --role-members FILE (GET /directoryRoles?$expand=members saved as JSON; needs RoleManagement.Read.Directory or Directory.Read.All)".into(),
        ));
    }
    if a.mfa_registration.is_empty() {
        return Err(xwalk::Error::Usage(
            "a Graph user object does not say who has MFA registered; give --mfa-registration FILE (GET /reports/authenticationMethods/userRegistrationDetails saved as JSON, repeated for each page; needs AuditLog.Read.All)".into(),
        ));
    }
    let users = read_all(&a.files)?;
    let roles = read_all(&a.role_members)?;
    let registration = read_all(&a.mfa_registration)?;
    let service = read_opt(a.service.as_ref())?;
    let inputs = entra::Inputs {
        users: &users,
        roles: &roles,
        registration: &registration,
        service: service.as_ref(),
    };
    let options = import::Options {
        mfa_required: a.mfa_required,
        ..options(&a.common)
    };
    entra::import(&inputs, &options)
}

fn google_workspace_users(a: &GoogleArgs) -> Result<Imported, xwalk::Error> {
    let users = read_all(&a.files)?;
    let service = read_opt(a.service.as_ref())?;
    let inputs = google_workspace::Inputs {
        users: &users,
        service: service.as_ref(),
    };
    google_workspace::import(&inputs, &options(&a.common))
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
