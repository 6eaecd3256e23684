//! What a build shows while it works, on a terminal: the stage it is at (of all), the
//! editions typeset of all, and the time so far, drawn by indicatif on standard error once
//! the build has taken a second (a quicker one shows only its summary). Nothing at all when
//! standard output or standard error is not a terminal (a script, a log, a pipe) or with
//! `--quiet`: what they read is the summary and the problems.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// The stages a build goes through, in the words `audit_report::build` says them.
const STAGES: [&str; 5] = [
    "loading and checking the audit folder",
    "drawing charts",
    "filling templates",
    "typesetting",
    "writing",
];

/// The display's look: `template` (in 80 columns), else indicatif's own (a template is checked when made).
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// How long a build runs before its progress is shown.
const SHOWN_AFTER: Duration = Duration::from_secs(1);

/// A build's progress display (a no-op where nothing is shown).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A display for a build, shown after a second where both standard streams are a
    /// terminal and `quiet` is not set.
    pub fn start(quiet: bool) -> Progress {
        let shown = !quiet && std::io::stderr().is_terminal() && std::io::stdout().is_terminal();
        if !shown {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(style("{spinner} {elapsed:>3} {msg}"));
        // (drawn from a second on, and redrawn ten times a second meanwhile, so a long
        // stage still shows the time going)
        let later = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SHOWN_AFTER);
            if !later.is_finished() {
                later.set_draw_target(ProgressDrawTarget::stderr());
                later.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// The build is at `stage`.
    pub fn stage(&self, stage: &str) {
        if let Some(bar) = &self.bar {
            let at = STAGES.iter().position(|s| *s == stage).map_or(0, |i| i + 1);
            bar.set_message(format!("[{at}/{}] {stage}", STAGES.len()));
        }
    }

    /// `done` editions of `all` are typeset: from the first (0 of all, as typesetting
    /// starts), a bar of the editions.
    pub fn editions(&self, done: usize, all: usize) {
        if let Some(bar) = &self.bar {
            if bar.length().is_none() {
                bar.set_style(style(
                    "{spinner} {elapsed:>3} {msg:<17} [{bar:16}] {pos}/{len} edition(s) typeset",
                ));
            }
            bar.set_length(all as u64);
            bar.set_position(done as u64);
        }
    }

    /// The build is over: the display is taken off the screen before the summary.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
