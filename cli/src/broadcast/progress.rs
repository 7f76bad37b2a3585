//! Progress on stderr: a bar on a terminal, else a line a second (a log
//! file or CI output should not fill with redraws).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::summary::Tally;

/// How often a plain progress line is printed at most.
const LINE_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug)]
pub struct Progress {
    bar: Option<ProgressBar>,
    total: u64,
    last_line: Instant,
}

impl Progress {
    /// Progress over `total` sends.
    pub fn new(total: u64) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} eta {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            total,
            last_line: Instant::now(),
        }
    }

    /// One more send ended.
    pub fn update(&mut self, tally: &Tally) {
        let done = tally.finished();
        let counts = format!(
            "sent {}, refused {}, failed {}, unknown {}",
            tally.sent, tally.refused, tally.failed, tally.unknown
        );
        match &self.bar {
            Some(bar) => {
                bar.set_position(done);
                bar.set_message(counts);
            }
            None => {
                if self.last_line.elapsed() >= LINE_EVERY || done == self.total {
                    self.last_line = Instant::now();
                    eprintln!("sendapi broadcast: {done}/{} ({counts})", self.total);
                }
            }
        }
    }

    /// A line for the person, above the bar.
    pub fn note(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.println(text),
            None => eprintln!("{text}"),
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
