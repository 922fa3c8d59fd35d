//! `xwalk import entra-users`: Microsoft Graph users with the directory role members and the MFA registration report.

use super::{options, read, read_all, Common};
use std::path::PathBuf;
use xwalk::import::{self, entra, Imported};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
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
    pub(super) common: Common,
}

pub(super) fn import(a: &Args) -> Result<Imported, xwalk::Error> {
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
    let service = a.service.as_deref().map(read).transpose()?;
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
