//! `xwalk import okta-users`: the Okta users list with each user's factors and the admin role assignments.

use super::{by_stem, options, read, read_all, Common};
use std::path::{Path, PathBuf};
use xwalk::import::{self, okta, Imported};
use xwalk::source::SourceFile;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
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
    pub(super) common: Common,
}

pub(super) fn import(a: &Args) -> Result<Imported, xwalk::Error> {
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
    let service = a.service.as_deref().map(read).transpose()?;
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

/// The `.json` files directly in a directory, sorted by name.
fn read_dir_json(dir: &Path) -> Result<Vec<SourceFile>, xwalk::Error> {
    Ok(by_stem(Some(dir))?.into_values().collect())
}
