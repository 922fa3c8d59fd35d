//! `xwalk import google-workspace-users`: the Admin SDK Directory API users list.

use super::{options, read, read_all, Common};
use std::path::PathBuf;
use xwalk::import::{google_workspace, Imported};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The users (`users.list` of the Admin SDK Directory API, `customer=my_customer`), one file per page.
    #[arg(required = true, value_name = "USERS.json")]
    files: Vec<PathBuf>,
    /// Service accounts, one primary email per line; the others are typed human.
    #[arg(long, value_name = "FILE")]
    service: Option<PathBuf>,
    #[command(flatten)]
    pub(super) common: Common,
}

pub(super) fn import(a: &Args) -> Result<Imported, xwalk::Error> {
    let users = read_all(&a.files)?;
    let service = a.service.as_deref().map(read).transpose()?;
    let inputs = google_workspace::Inputs {
        users: &users,
        service: service.as_ref(),
    };
    google_workspace::import(&inputs, &options(&a.common))
}
