//! `xwalk gen-facts`: write a synthetic facts corpus for benchmarks and scale tests.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `xwalk gen-facts`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of facts documents to write (about 2 KB each).
    #[arg(long, value_name = "N")]
    docs: usize,
    /// Seed: the same seed and size always give the same files.
    #[arg(long, value_name = "S", default_value_t = 42)]
    seed: u64,
    /// Directory to write to (created; must be empty or absent).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Run the command.
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let occupied = std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some());
    if occupied {
        return Err(xwalk::Error::Usage(format!(
            "{} is not empty; give a new directory to --out",
            args.out.display()
        )));
    }
    let written = xwalk::synth::generate(&args.out, args.docs, args.seed)?;
    crate::terminal::note(&format!(
        "wrote {} documents ({:.1} MB) to {}; evaluate with --as-of {}\n",
        written.documents,
        written.bytes as f64 / 1e6,
        args.out.display(),
        xwalk::synth::AS_OF
    ));
    Ok(ExitCode::SUCCESS)
}
