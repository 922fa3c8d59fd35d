//! `xwalk transition remap --facts DIR --out DIR2`: ISO 27001:2013 control ids in facts
//! documents rewritten to 2022 numbering, and a report of what was rewritten and what needs
//! a decision.

use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk transition remap`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The facts folder to read (it is never changed unless --out names it).
    #[arg(long, value_name = "DIR")]
    facts: PathBuf,
    /// Write every document with control-id fields here, at its path under --facts
    /// (all or nothing); without it, only the report.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Report format (csv: one row per id, `action` remapped or decide).
    #[arg(long, value_enum, default_value_t)]
    format: ReportFormat,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum ReportFormat {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON (`xwalk.transition-remap.v1`).
    Json,
    /// RFC 4180 CSV.
    Csv,
}

/// Run: exit 0 when every id was remapped or already 2022, 1 when some need a decision,
/// 2 when a facts file cannot be read (nothing is written then).
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let crosswalk = crate::output::load_crosswalk(dirs)?;
    let remap = xwalk::assessment::transition_remap(&crosswalk, &args.facts)?;
    let written = match &args.out {
        Some(dir) => {
            let files: Vec<(PathBuf, Vec<u8>)> = remap
                .files
                .iter()
                .map(|f| (dir.join(&f.path), f.text.clone().into_bytes()))
                .collect();
            for (path, _) in &files {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| xwalk::Error::io(&parent.display().to_string(), e))?;
                }
            }
            report::write::atomic_all(&files)?;
            format!("written to {}", dir.display())
        }
        None => "nothing written (no --out)".to_string(),
    };
    let text = match args.format {
        ReportFormat::Table => {
            report::transition::render_remap_text(&remap, &written, &crate::terminal::view())
        }
        ReportFormat::Json => report::to_json(&remap),
        ReportFormat::Csv => String::from_utf8_lossy(&report::csv::render(
            &report::transition::remap_csv_table(&remap),
            Default::default(),
        ))
        .into_owned(),
    };
    crate::output::print(&text);
    if args.format != ReportFormat::Table {
        crate::terminal::note(&format!(
            "{} ids remapped, {} need a decision; {written}\n",
            remap.summary.remapped, remap.summary.decisions
        ));
    }
    Ok(match remap.summary.decisions {
        0 => ExitCode::SUCCESS,
        _ => crate::output::exit_findings(),
    })
}
