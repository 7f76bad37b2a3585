//! The counts and lists printed at the end of a broadcast.

use super::Plan;
use super::outcome::Outcome;
use super::state::Status;

/// How many PSIDs each list of the summary shows before a count of the rest.
const LIST_MAX: usize = 20;

/// How the sending ended.
#[derive(Debug, Default)]
pub enum Ending {
    #[default]
    Complete,
    /// SIGINT or SIGTERM: no new sends were started.
    Interrupted { not_attempted: usize },
    /// A page-wide error or the state file: no new sends were started.
    Halted { why: String, not_attempted: usize },
}

/// Outcomes of this run.
#[derive(Debug, Default)]
pub struct Tally {
    pub sent: u64,
    pub refused: u64,
    pub failed: u64,
    pub unknown: u64,
}

impl Tally {
    pub fn finished(&self) -> u64 {
        self.sent + self.refused + self.failed + self.unknown
    }
}

/// The summary printed at the end.
#[derive(Debug, Default)]
pub struct Summary {
    pub tally: Tally,
    skipped: usize,
    retried: usize,
    refused: Vec<(String, String)>,
    failed: Vec<(String, String)>,
    unknown: Vec<(String, String)>,
    /// Refused and unknown PSIDs that an earlier run left.
    earlier_refused: usize,
    earlier_unknown: usize,
    pub ending: Ending,
    /// A state file records this run.
    pub has_state: bool,
}

impl Summary {
    pub fn from_plan(plan: &Plan) -> Summary {
        Summary {
            skipped: plan.skipped,
            retried: plan.retried,
            refused: plan.refused.clone(),
            unknown: plan.unknown.clone(),
            earlier_refused: plan.refused.len(),
            earlier_unknown: plan.unknown.len(),
            ..Summary::default()
        }
    }

    pub fn add(&mut self, psid: &str, outcome: &Outcome) {
        let why = || (psid.to_string(), outcome.error.clone().unwrap_or_default());
        match outcome.status {
            Status::Sent => self.tally.sent += 1,
            Status::Refused => {
                self.tally.refused += 1;
                self.refused.push(why());
            }
            Status::Failed => {
                self.tally.failed += 1;
                self.failed.push(why());
            }
            Status::Unknown | Status::Attempted => {
                self.tally.unknown += 1;
                self.unknown.push(why());
            }
        }
    }

    pub fn code(&self) -> u8 {
        let left = match &self.ending {
            Ending::Complete => 0,
            Ending::Interrupted { not_attempted } | Ending::Halted { not_attempted, .. } => {
                *not_attempted
            }
        };
        let everyone_got_it = self.refused.is_empty()
            && self.failed.is_empty()
            && self.unknown.is_empty()
            && left == 0;
        u8::from(!everyone_got_it)
    }

    pub fn print(&self) {
        out!(
            "sent {}, refused {}, failed {}, unknown {}, skipped {} (already sent)",
            self.tally.sent,
            self.refused.len(),
            self.failed.len(),
            self.unknown.len(),
            self.skipped
        );
        if self.retried > 0 {
            out!(
                "{} PSIDs that failed in an earlier run were sent again",
                self.retried
            );
        }
        match &self.ending {
            Ending::Complete => {}
            Ending::Interrupted { not_attempted } => {
                if self.has_state {
                    out!(
                        "interrupted: {not_attempted} not attempted; run again with the same --state to send them"
                    );
                } else {
                    out!("interrupted: {not_attempted} not attempted");
                }
            }
            Ending::Halted { why, not_attempted } => {
                out!("stopped: {why}");
                out!("{not_attempted} not attempted");
            }
        }
        list(
            "refused (not delivered; a retry cannot help: not resent)",
            &self.refused,
            self.earlier_refused,
        );
        list(
            "failed (not delivered; a retry can help: a rerun with the same --state sends them again)",
            &self.failed,
            0,
        );
        list(
            "unknown (the message may have reached the user: not resent; decide by hand)",
            &self.unknown,
            self.earlier_unknown,
        );
    }
}

/// A list of PSIDs with their reasons, cut at `LIST_MAX`.
fn list(title: &str, items: &[(String, String)], earlier: usize) {
    if items.is_empty() {
        return;
    }
    let mut heading = format!("{title}: {}", items.len());
    if earlier > 0 {
        heading.push_str(&format!(", {earlier} of them from an earlier run"));
    }
    out!("{heading}");
    for (psid, why) in items.iter().take(LIST_MAX) {
        if why.is_empty() {
            out!("  {psid}");
        } else {
            out!("  {psid}: {why}");
        }
    }
    if items.len() > LIST_MAX {
        out!(
            "  … and {} more (see the state file)",
            items.len() - LIST_MAX
        );
    }
}
