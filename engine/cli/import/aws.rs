//! `xwalk import aws-iam-credential-report`.

use super::{read, Common};
use std::path::PathBuf;
use xwalk::import::{aws_iam, Imported, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
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
    pub common: Common,
}

impl Args {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        let Some(list) = &self.privileged else {
            return Err(xwalk::Error::Usage(
                "the credential report does not say who holds administrator rights; give --privileged FILE (the output of aws iam list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess, or one user per line)".into(),
            ));
        };
        let privileged = aws_iam::privileged_users(&read(list)?)?;
        let options = Options {
            mfa_required: self.mfa_required,
            ..self.common.options()
        };
        aws_iam::import(&read(&self.file)?, &privileged, &options)
    }
}
