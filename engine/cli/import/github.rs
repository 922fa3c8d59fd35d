//! `xwalk import github-members` and `xwalk import github-repos`.

use super::{by_stem, read, read_all, Common};
use std::path::PathBuf;
use xwalk::import::{github, Imported};

#[derive(Debug, clap::Args)]
pub struct MembersArgs {
    /// Every page of `GET /orgs/{org}/members`.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Every page of `GET /orgs/{org}/members?role=admin` (the owners).
    #[arg(long, value_name = "FILE")]
    admins: Vec<PathBuf>,
    /// Every page of `GET /orgs/{org}/members?filter=2fa_disabled` (needs an owner's token).
    #[arg(long, value_name = "FILE")]
    two_factor_disabled: Vec<PathBuf>,
    /// `GET /orgs/{org}` as an owner, for whether the organisation requires 2FA.
    #[arg(long, value_name = "FILE")]
    org: Option<PathBuf>,
    /// Machine users among the members, one login per line.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

impl MembersArgs {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        let org = self.org.as_deref().map(read).transpose()?;
        let service = self.service.as_deref().map(read).transpose()?;
        let members = github::Members {
            pages: &read_all(&self.files)?,
            admins: &read_all(&self.admins)?,
            two_factor_disabled: &read_all(&self.two_factor_disabled)?,
            org: org.as_ref(),
            service: service.as_ref(),
        };
        github::import_members(&members, &self.common.options())
    }
}

#[derive(Debug, clap::Args)]
pub struct ReposArgs {
    /// Every page of `GET /orgs/{org}/repos` (as an owner, so security_and_analysis is there).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Directory of each default branch's classic protection, `<repo>.json`
    /// (`GET /repos/{owner}/{repo}/branches/{branch}/protection`, a 404 body included).
    #[arg(long, value_name = "DIR")]
    protection: Option<PathBuf>,
    /// Directory of the rules applying to each default branch, `<repo>.json`
    /// (`GET /repos/{owner}/{repo}/rules/branches/{branch}`).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Directory of each repository's code scanning, `<repo>.json`
    /// (`GET /repos/{owner}/{repo}/code-scanning/default-setup`, or its analyses list).
    #[arg(long, value_name = "DIR")]
    code_scanning: PathBuf,
    /// The repositories deployed to production, one per line (name or owner/name).
    #[arg(long, value_name = "FILE")]
    production: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

impl ReposArgs {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        if self.protection.is_none() && self.rules.is_none() {
            return Err(xwalk::Error::Usage(
                "the repository list does not say how default branches are protected: give --protection DIR and/or --rules DIR (docs/importing.md)".into(),
            ));
        }
        let repos = github::Repos {
            pages: &read_all(&self.files)?,
            protection: &by_stem(self.protection.as_deref())?,
            rules: &by_stem(self.rules.as_deref())?,
            code_scanning: &by_stem(Some(&self.code_scanning))?,
            production: &read(&self.production)?,
        };
        github::import_repos(&repos, &self.common.options())
    }
}
