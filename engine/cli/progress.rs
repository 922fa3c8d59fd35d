//! The progress bar of long evaluations, on stderr.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

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

/// Runs a second and the time left, measured from a point past the warm-up (reading the
/// first files, building the join indexes) so that the first estimate is not far off.
/// (A rule run is one rule on one document.)
#[derive(Debug, Clone, Default)]
struct Pace {
    /// When, and at which position, the measurement starts.
    anchor: Option<(Instant, u64)>,
}

impl indicatif::style::ProgressTracker for Pace {
    fn clone_box(&self) -> Box<dyn indicatif::style::ProgressTracker> {
        Box::new(self.clone())
    }

    fn tick(&mut self, state: &indicatif::ProgressState, now: Instant) {
        if self.anchor.is_none()
            && state.elapsed() >= Duration::from_secs(1)
            && state.fraction() >= 0.01
        {
            self.anchor = Some((now, state.pos()));
        }
    }

    fn reset(&mut self, _: &indicatif::ProgressState, _: Instant) {
        self.anchor = None;
    }

    fn write(&self, state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
        let measured = self.anchor.and_then(|(t0, p0)| {
            let span = t0.elapsed();
            (span >= Duration::from_millis(1500))
                .then(|| state.pos().saturating_sub(p0) as f64 / span.as_secs_f64())
        });
        let _ = match measured {
            Some(rate) => {
                let left =
                    state.len().unwrap_or(0).saturating_sub(state.pos()) as f64 / rate.max(1e-3);
                write!(
                    w,
                    "{rate:.0}/s, about {:#} left",
                    indicatif::HumanDuration(Duration::from_secs_f64(left.min(1e7)))
                )
            }
            None => write!(w, "warming up"),
        };
    }
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
            "{spinner} [{bar:20}] {human_pos}/{human_len} rule runs, {pace}",
        ) {
            bar.set_style(
                style
                    .progress_chars("=> ")
                    .with_key("pace", Pace::default()),
            );
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
