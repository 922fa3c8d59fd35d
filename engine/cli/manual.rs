//! `xwalk completions SHELL` and `xwalk man`: shell completion scripts and manual pages,
//! generated from the same argument definitions as `--help` (clap's companion crates).

use std::path::Path;
use std::process::ExitCode;

/// Print the completion script for a shell.
pub fn completions(
    shell: clap_complete::Shell,
    mut command: clap::Command,
) -> Result<ExitCode, xwalk::Error> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "xwalk", &mut out);
    crate::output::emit(None, &out)?;
    Ok(ExitCode::SUCCESS)
}

/// Write xwalk(1) to stdout, or every page (xwalk.1, xwalk-eval.1, ...) into a directory.
pub fn pages(command: clap::Command, out: Option<&Path>) -> Result<ExitCode, xwalk::Error> {
    let roff = |c: &clap::Command, title: &str| -> Result<Vec<u8>, xwalk::Error> {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c.clone())
            .title(title.to_string())
            .render(&mut buf)
            .map_err(|e| xwalk::Error::io("man page", e))?;
        Ok(buf)
    };
    let command = command.version(env!("CARGO_PKG_VERSION"));
    let Some(dir) = out else {
        crate::output::emit(None, &roff(&command, "xwalk")?)?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).map_err(|e| xwalk::Error::io(&dir.display().to_string(), e))?;
    let mut files = vec![(dir.join("xwalk.1"), roff(&command, "xwalk")?)];
    for sub in command.get_subcommands() {
        let name = format!("xwalk-{}", sub.get_name());
        files.push((dir.join(format!("{name}.1")), roff(sub, &name)?));
    }
    xwalk::report::write::atomic_all(&files)?;
    crate::terminal::note(&format!(
        "wrote {} pages to {}\n",
        files.len(),
        dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
