//! The progress bar of long evaluations, on stderr.

use std::io::IsTerminal;

/// A progress bar on a terminal, for runs of at least 1,000 evaluations.
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    /// A bar unless `--quiet` or stderr is not a terminal.
    pub fn new() -> Bar {
        Bar(progress_bar(crate::terminal::flags().quiet))
    }
}

fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    (!quiet && std::io::stderr().is_terminal()).then(indicatif::ProgressBar::hidden)
}

impl xwalk::Progress for Bar {
    fn start(&self, jobs: u64) {
        let Some(bar) = &self.0 else { return };
        if jobs < 1000 {
            return;
        }
        bar.set_length(jobs);
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} evaluating {pos}/{len} [{bar:40}] {per_sec} eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
    }
    fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
