//! `xwalk eval --shard K/N` (one shard's partial result) and `xwalk merge` (every shard's
//! partials -> the report a single run would have written).

use crate::output::Format;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::assessment::shard::{self, Partial};

/// Arguments of `xwalk merge`: eval's, and the partial files.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Every shard's partial result (`xwalk eval --shard K/N`), in any order.
    #[arg(value_name = "PARTIAL", required = true)]
    pub(crate) parts: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) eval: crate::eval::Args,
}

/// Evaluate one shard and write its partial result: to standard output, or to
/// `--out DIR` as `partial-K-of-N.json`.
pub fn write_partial(
    inputs: &xwalk::Inputs,
    args: &crate::eval::Args,
) -> Result<ExitCode, xwalk::Error> {
    if !args.inputs.from_shards.is_empty() {
        return Err(xwalk::Error::Usage(
            "--shard evaluates one shard of the facts; --from-shards reports on shards already run: give one of them".into(),
        ));
    }
    if !matches!(args.format, Format::Table | Format::Json) || !args.outputs.is_empty() {
        return Err(xwalk::Error::Usage(
            "--shard writes the shard's partial result (JSON) and nothing else: leave out --format and --output, and render the report with `xwalk merge`".into(),
        ));
    }
    let partial = shard::run(inputs, &crate::progress::Bar::new())?;
    let mut bytes = serde_json::to_vec(&partial)
        .map_err(|e| xwalk::Error::Usage(format!("cannot write the partial result: {e}")))?;
    bytes.push(b'\n');
    let name = partial.shard.replace('/', "-of-");
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| xwalk::Error::io(&dir.display().to_string(), e))?;
            let path = dir.join(format!("partial-{name}.json"));
            xwalk::report::write::atomic(&path, &bytes)?;
            crate::terminal::note(&format!(
                "shard {}: {} documents, {} results -> {}\n",
                partial.shard,
                partial.documents.len(),
                partial.results.len(),
                path.display()
            ));
        }
        None => crate::output::emit(None, &bytes)?,
    }
    for d in partial.unusable.iter().chain(&partial.diagnostics) {
        crate::terminal::problem(&format!("{}\n", d.to_diagnostic(&partial.shard)?));
    }
    Ok(ExitCode::SUCCESS)
}

/// `xwalk merge`: every shard's partial into one assessment, judged and written as eval.
pub fn merge(args: &MergeArgs, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    if args.eval.shard.is_some() {
        return Err(xwalk::Error::Usage(
            "merge joins every shard: leave out --shard".into(),
        ));
    }
    let mut parts = args.parts.clone();
    parts.extend(args.eval.inputs.from_shards.iter().cloned());
    let inputs = args.eval.inputs.inputs(dirs, &args.eval.frameworks);
    let assessment = assess(&inputs, &parts, &())?;
    crate::eval::report(&args.eval, &assessment)
}

/// The assessment every report is made from: a run over the facts, or, given the shards'
/// partial results (`--from-shards`, `xwalk merge`), their merge.
pub fn assess(
    inputs: &xwalk::Inputs,
    parts: &[PathBuf],
    progress: &dyn xwalk::Progress,
) -> Result<xwalk::Assessment, xwalk::Error> {
    if parts.is_empty() {
        return crate::inputs::run(inputs, progress);
    }
    let parts = parts
        .iter()
        .map(|p| Ok((p.display().to_string(), Partial::read(p)?)));
    let assessment = xwalk::Assessment::merge(inputs, parts)?;
    for d in assessment.crosswalk_diagnostics() {
        crate::terminal::problem(&format!("{d}\n"));
    }
    Ok(assessment)
}
