//! `xwalk transition SOA_2013.csv`: a draft ISO 27001:2022 SoA from a 2013 one, and
//! `xwalk transition remap`: 2013 control ids in other facts rewritten to 2022 numbering.

mod clauses;
mod remap;

use crate::output::FileOutput;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;
use xwalk::views::transition::facts::SoaHeader;

/// Arguments of `xwalk transition`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// The 2013 SoA as CSV: control, applicable, justification, implementation, evidence.
    #[arg(required = true)]
    file: Option<PathBuf>,
    /// Output format (csv: the draft in the SoA columns plus from_2013 and change; facts: a
    /// `soa` facts document for --facts, undecided controls left out).
    #[arg(long, value_enum, default_value_t)]
    format: DraftFormat,
    /// Write only the clause-level changes of clauses 4-10 (table, json, csv, xlsx).
    #[arg(long)]
    clauses: bool,
    #[command(flatten)]
    header: HeaderArgs,
    #[command(flatten)]
    output: FileOutput,
}

/// The subcommands of `xwalk transition`.
#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Rewrite ISO 27001:2013 control ids in risk registers, policies and internal audits
    /// to their 2022 successors; list what needs a decision.
    Remap(remap::Args),
}

/// What `xwalk transition FILE` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum DraftFormat {
    /// Aligned columns for the terminal, then the new controls and the clause changes.
    #[default]
    Table,
    /// Pretty JSON: the draft, the new controls and the clause changes.
    Json,
    /// The draft 2022 SoA as CSV.
    Csv,
    /// The draft 2022 SoA as a one-sheet workbook.
    Xlsx,
    /// A facts document of kind `soa` (pretty JSON), for `--facts`.
    Facts,
}

/// The `soa` header fields the 2013 CSV lacks (`--format facts` only); never invented.
#[derive(Debug, clap::Args)]
struct HeaderArgs {
    /// The SoA's version (written empty when not given).
    #[arg(long, value_name = "TEXT")]
    soa_version: Option<String>,
    /// Who approved the SoA (written empty when not given).
    #[arg(long, value_name = "NAME")]
    approved_by: Option<String>,
    /// When the SoA was last reviewed, YYYY-MM-DD (null when not given: xwalk soa flags SOA06).
    #[arg(long, value_name = "DATE")]
    reviewed_on: Option<String>,
}

impl HeaderArgs {
    fn given(&self) -> bool {
        self.soa_version.is_some() || self.approved_by.is_some() || self.reviewed_on.is_some()
    }

    fn header(&self) -> Result<SoaHeader, xwalk::Error> {
        if let Some(date) = &self.reviewed_on {
            if xwalk::dates::parse_date(date).is_none() {
                return Err(xwalk::Error::Usage(format!(
                    "--reviewed-on `{date}` is not a date; write YYYY-MM-DD"
                )));
            }
        }
        Ok(SoaHeader {
            version: self.soa_version.clone(),
            approved_by: self.approved_by.clone(),
            reviewed_on: self.reviewed_on.clone(),
        })
    }
}

/// Run the command: exit 0, or 2 when the CSV has errors (each named by file and line).
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let file = match (&args.command, &args.file) {
        (Some(Command::Remap(remap)), _) => return remap::run(remap, dirs),
        (None, Some(file)) => file,
        (None, None) => return Err(xwalk::Error::Usage("give the 2013 SoA CSV".to_string())),
    };
    if args.header.given() && (args.format != DraftFormat::Facts || args.clauses) {
        return Err(xwalk::Error::Usage(
            "--soa-version, --approved-by and --reviewed-on set the header of the facts document; use them with --format facts".to_string(),
        ));
    }
    let header = args.header.header()?;
    let crosswalk = crate::output::load_crosswalk(dirs)?;
    let transition = xwalk::assessment::transition(&crosswalk, file)?;
    if args.clauses {
        return clauses::run(args, &transition);
    }
    let bytes = match args.format {
        DraftFormat::Table => {
            let text = report::transition::render_text_with(&transition, &args.output.view());
            args.output.emit_text(&text)?;
            return Ok(ExitCode::SUCCESS);
        }
        DraftFormat::Json => report::to_json(&transition).into_bytes(),
        DraftFormat::Csv => report::csv::render(
            &report::transition::csv_table(&transition),
            args.output.csv(),
        ),
        DraftFormat::Xlsx => {
            args.output
                .emit_xlsx(&report::transition::csv_table(&transition))?;
            return Ok(ExitCode::SUCCESS);
        }
        DraftFormat::Facts => {
            let facts = xwalk::views::transition::facts::soa_document(&transition, &header);
            crate::terminal::note(&report::transition::facts_note(&facts));
            report::transition::facts_json(&facts).into_bytes()
        }
    };
    args.output.emit(&bytes)?;
    Ok(ExitCode::SUCCESS)
}
