//! `watch`: reads the arguments, follows one workflow run until it ends, and exits by the outcome.

mod apis;
mod output;

use apigen_runtime::{RunStatus, StreamExt, WaitPolicy};
use apis::{Api, Target};
use clap::Parser;
use output::Output;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use uuid::Uuid;

const AFTER_HELP: &str = "\
Credentials, from the environment (one per API is enough; never printed):
  tamtam    TAMTAM_API_KEY (account API key) or TAMTAM_BEARER_TOKEN (OAuth JWT)
  juo       JUO_ACCESS_TOKEN (bearer token) or JUO_DELEGATED_TOKEN (X-Delegated-Token)
  dify      DIFY_API_KEY
  retab     RETAB_API_KEY
  hardwire  HARDWIRE_SESSION (session token of an HTTPS server)
            or HARDWIRE_DEV_SESSION (session token of a development server)

Base URL: --base-url, else TAMTAM_BASE_URL, JUO_BASE_URL, DIFY_BASE_URL, RETAB_BASE_URL or
HARDWIRE_BASE_URL, else the API's own.

Exit codes:
  0  the run succeeded
  1  the run failed or was cancelled
  2  the run waits for input (a person must act; --through-input keeps waiting instead), the
     deadline passed, asking for the run failed, the run was not found, the watch ended without
     a final status, a credential is missing, or bad usage

Examples:
  watch retab run_01JQ8ZK2V3T5W7Y9 --deadline 300
  watch juo 0f8fad5b-d9cb-469f-a165-70867728950e --tenant acme-store.myshopify.com
  watch dify fb47b2e6-5e43-4f90-be01-d5c5a088d156 --user customer-4821   (nodes as they run)
  watch hardwire 8f14e45f-ceea-4e7a-9b0b-3c2f1a7d9e01 --chat 550e8400-e29b-41d4-a716-446655440000";

/// Watches one workflow run until it ends, showing each status change with the time elapsed.
#[derive(Parser)]
#[command(name = "watch", version, after_help = AFTER_HELP)]
struct Args {
    /// The API the run belongs to.
    api: Api,
    /// The run's id.
    run_id: String,
    /// Where the API is; overrides the base URL variable of the environment (below) and the API's own.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Give up after this many seconds.
    #[arg(long, value_name = "SECS", default_value = "600", value_parser = seconds)]
    deadline: Duration,
    /// Seconds between the first polls; the wait then grows 1.5 times a poll, up to 15 s.
    #[arg(long, value_name = "SECS", default_value = "1", value_parser = positive_seconds)]
    interval: Duration,
    /// Keep waiting while the run waits for input (someone else will act), instead of exiting 2.
    #[arg(long)]
    through_input: bool,
    /// The chat the run belongs to (hardwire, required).
    #[arg(long, value_name = "UUID")]
    chat: Option<Uuid>,
    /// The tenant the run belongs to, sent as X-Tenant-ID (juo, required).
    #[arg(long)]
    tenant: Option<String>,
    /// The end user the run was started for (dify, required): its events are followed as they
    /// happen, each node as it starts and finishes.
    #[arg(long)]
    user: Option<String>,
}

/// A non-negative number of seconds, fractions allowed.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("not a number: {text:?}"))?;
    Duration::try_from_secs_f64(value)
        .map_err(|_| format!("not a usable number of seconds: {value}"))
}

/// More than zero seconds (polling without a pause would hammer the API).
fn positive_seconds(text: &str) -> Result<Duration, String> {
    let value = seconds(text)?;
    if value.is_zero() {
        return Err("must be more than 0".to_owned());
    }
    Ok(value)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let policy = WaitPolicy::new(args.deadline)
        .interval(args.interval)
        .max_interval(args.interval.max(Duration::from_secs(15)))
        .through_input(args.through_input);
    let base_url = args
        .base_url
        .or_else(|| apis::env(&format!("{}_BASE_URL", args.api.env_prefix())));
    let target = Target {
        run_id: args.run_id,
        base_url,
        chat: args.chat,
        tenant: args.tenant,
        user: args.user,
        policy,
    };
    let mut events = match apis::watch(args.api, target) {
        Ok(events) => events,
        Err(message) => {
            eprintln!("watch: {message}");
            return ExitCode::from(2);
        }
    };

    let started = Instant::now();
    let output = Output::new();
    let mut last: Option<RunStatus> = None;
    let (code, outcome) = loop {
        match events.next().await {
            Some(Ok(event)) => {
                output.change(&event, started.elapsed());
                if let apis::Event::Status { status, .. } = event {
                    last = Some(status);
                }
            }
            Some(Err(message)) => break (2, message),
            None => break outcome(last.as_ref(), started.elapsed()),
        }
    };
    output.finish(&outcome);
    ExitCode::from(code)
}

/// The exit code and final words once the watch has ended with `last` the last status seen.
fn outcome(last: Option<&RunStatus>, elapsed: Duration) -> (u8, String) {
    let after = output::elapsed(elapsed);
    match last {
        Some(RunStatus::Succeeded) => (0, format!("the run succeeded after {after}")),
        Some(RunStatus::Failed) => (1, format!("the run failed after {after}")),
        Some(RunStatus::Cancelled) => (1, format!("the run was cancelled after {after}")),
        Some(RunStatus::WaitingForInput) => (
            2,
            format!(
                "the run waits for input after {after}: a person must act \
                 (--through-input keeps waiting)"
            ),
        ),
        Some(other) => (
            2,
            format!("the watch ended with the run {other}, not finished"),
        ),
        None => (2, "the watch ended without seeing the run".to_owned()),
    }
}
