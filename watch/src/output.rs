//! Showing the watch: a spinner with the status changes above it on a terminal, plain timestamped
//! lines otherwise.

use crate::apis::Event;
use apigen_runtime::RunStatus;
use chrono::{SecondsFormat, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub enum Output {
    /// On a terminal: the current status and elapsed time, changes printed above.
    Spinner(ProgressBar),
    /// Otherwise (a pipe, a file, CI): one line per change on stdout.
    Lines,
}

impl Output {
    pub fn new() -> Self {
        if !(std::io::stdout().is_terminal() && std::io::stderr().is_terminal()) {
            return Output::Lines;
        }
        let spinner = ProgressBar::new_spinner()
            .with_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").unwrap())
            .with_message("asking for the run");
        spinner.enable_steady_tick(Duration::from_millis(100));
        Output::Spinner(spinner)
    }

    /// The run's status changed, or one of its nodes did, `elapsed` after the watch began.
    pub fn change(&self, event: &Event, elapsed: Duration) {
        let (status, vendor) = match event {
            Event::Status { status, vendor } => (status, vendor),
            Event::Node {
                title,
                status,
                elapsed: took,
            } => {
                let took = took
                    .map(|s| format!(" in {}", self::elapsed(Duration::from_secs_f64(s.max(0.0)))))
                    .unwrap_or_default();
                let line = format!(
                    "node {title:?} {status}{took}, after {}",
                    self::elapsed(elapsed)
                );
                match self {
                    Output::Spinner(spinner) => spinner.println(line),
                    Output::Lines => println!("{} {line}", now()),
                }
                return;
            }
        };
        // The vendor's word, unless the status says it already (`running`, `unknown ("X")`).
        let shown = status.to_string();
        let status = match vendor {
            Some(vendor) if *vendor != shown && !matches!(status, RunStatus::Unknown(_)) => {
                format!("{shown} (vendor: {vendor})")
            }
            _ => shown,
        };
        let line = format!("{status} after {}", self::elapsed(elapsed));
        match self {
            Output::Spinner(spinner) => {
                spinner.println(line);
                spinner.set_message(status);
            }
            Output::Lines => println!("{} {line}", now()),
        }
    }

    /// The watch is over: the final line, saying the outcome.
    pub fn finish(&self, outcome: &str) {
        match self {
            Output::Spinner(spinner) => {
                spinner.finish_and_clear();
                println!("{outcome}");
            }
            Output::Lines => println!("{} {outcome}", now()),
        }
    }
}

/// The time now, in RFC 3339 UTC to the second: `2026-11-25T16:00:00Z`.
fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A duration for people: `3.2s`, `12m05s`.
pub fn elapsed(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1}s")
    } else {
        let whole = duration.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    }
}
