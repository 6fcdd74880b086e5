//! The glue per API: build its client from the environment and watch the run as common events.

use apigen_runtime::{
    RunProgress, RunStatus, RunStream, Stream, StreamExt, WaitError, WaitPolicy, WorkflowRun,
};
use std::fmt::Display;
use std::pin::Pin;
use uuid::Uuid;

/// The APIs whose runs can be watched.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Api {
    Tamtam,
    Juo,
    Dify,
    Retab,
    Hardwire,
}

impl Api {
    /// How the API's environment variables start: `RETAB` for `RETAB_API_KEY`.
    pub fn env_prefix(self) -> &'static str {
        match self {
            Api::Tamtam => "TAMTAM",
            Api::Juo => "JUO",
            Api::Dify => "DIFY",
            Api::Retab => "RETAB",
            Api::Hardwire => "HARDWIRE",
        }
    }
}

/// What the watch shows: a status change of the run (the shared status and the API's own word
/// for it), or, where the API streams the run's events, a node that started or finished.
#[derive(Debug)]
pub enum Event {
    Status {
        status: RunStatus,
        vendor: Option<String>,
    },
    Node {
        title: String,
        /// `running` when it starts, then the API's word for how it ended.
        status: String,
        /// Seconds it took, once it finished.
        elapsed: Option<f64>,
    },
}

/// The run's status changes; an error (the deadline, a failed request, no such run) ends them.
pub type Events = Pin<Box<dyn Stream<Item = Result<Event, String>>>>;

/// Which run to watch, where, and how to poll.
pub struct Target {
    pub run_id: String,
    pub base_url: Option<String>,
    pub chat: Option<Uuid>,
    pub tenant: Option<String>,
    /// The end user the run was started for (dify, required): its events are followed.
    pub user: Option<String>,
    pub policy: WaitPolicy,
}

impl Target {
    /// The base URL asked for, else the API's own.
    fn url<'a>(&'a self, default: &'a str) -> &'a str {
        self.base_url.as_deref().unwrap_or(default)
    }
}

/// Starts watching the run; fails (before any request) on a missing credential or argument.
pub fn watch(api: Api, target: Target) -> Result<Events, String> {
    match api {
        Api::Tamtam => tamtam(target),
        Api::Juo => juo(target),
        Api::Dify => dify(target),
        Api::Retab => retab(target),
        Api::Hardwire => hardwire(target),
    }
}

fn tamtam(t: Target) -> Result<Events, String> {
    use tamtam_client::Client;
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(
        builder,
        &[
            ("TAMTAM_API_KEY", |b, v| b.apikey_auth(v)),
            ("TAMTAM_BEARER_TOKEN", |b, v| b.bearer_auth(v)),
        ],
    )?;
    let client = built(builder.build())?;
    Ok(events(client.watch_run(t.run_id, t.policy)))
}

fn juo(t: Target) -> Result<Events, String> {
    use juo_client::Client;
    let run_id: Uuid = t
        .run_id
        .parse()
        .map_err(|_| format!("juo run ids are UUIDs, not {:?}", t.run_id))?;
    let tenant = t
        .tenant
        .clone()
        .ok_or("juo needs the run's tenant: --tenant <TENANT>")?;
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(
        builder,
        &[
            ("JUO_ACCESS_TOKEN", |b, v| b.access_token(v)),
            ("JUO_DELEGATED_TOKEN", |b, v| b.delegated_token(v)),
        ],
    )?;
    let client = built(builder.build())?;
    Ok(events(client.watch_run(run_id, tenant, t.policy)))
}

fn dify(t: Target) -> Result<Events, String> {
    use dify_client::Client;
    use dify_client::types::WorkflowStreamEvent as E;
    let user = t
        .user
        .clone()
        .ok_or("dify needs the end user who started the run: --user <USER>")?;
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(builder, &[("DIFY_API_KEY", |b, v| b.api_key_auth(v))])?;
    let client = built(builder.build())?;
    // The run's changes, and each node as it starts and finishes.
    let progress = client.follow_run(t.run_id, user, t.policy);
    Ok(Box::pin(progress.filter_map(|item| {
        std::future::ready(match item {
            Ok(RunProgress::Run(run)) => Some(Ok(Event::Status {
                status: run.status(),
                vendor: run.vendor_status(),
            })),
            Ok(RunProgress::Event(event)) => match &event.data {
                E::NodeStarted(node) => node.data.as_ref().map(|d| {
                    Ok(Event::Node {
                        title: d.title.clone().unwrap_or_default(),
                        status: "running".to_owned(),
                        elapsed: None,
                    })
                }),
                E::NodeFinished(node) => node.data.as_ref().map(|d| {
                    Ok(Event::Node {
                        title: d.title.clone().unwrap_or_default(),
                        status: d.status.clone().unwrap_or_default(),
                        elapsed: d.elapsed_time,
                    })
                }),
                _ => None,
            },
            Err(error) => Some(Err(error.to_string())),
        })
    })))
}

fn retab(t: Target) -> Result<Events, String> {
    use retab_client::Client;
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(builder, &[("RETAB_API_KEY", |b, v| b.api_key(v))])?;
    let client = built(builder.build())?;
    Ok(events(client.watch_run(t.run_id, t.policy)))
}

fn hardwire(t: Target) -> Result<Events, String> {
    use hardwire_client::Client;
    let chat = t
        .chat
        .ok_or("hardwire needs the run's chat: --chat <UUID>")?;
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(
        builder,
        &[
            ("HARDWIRE_SESSION", |b, v| b.session_cookie(v)),
            ("HARDWIRE_DEV_SESSION", |b, v| b.dev_session_cookie(v)),
        ],
    )?;
    let client = built(builder.build())?;
    Ok(events(client.watch_run(chat, t.run_id, t.policy)))
}

/// A credential's environment variable, and the builder method that takes it.
type Setter<B> = (&'static str, fn(B, String) -> B);

/// An environment variable, when set and not empty.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// Gives the builder each credential set in the environment (`setters` pairs a variable with the
/// builder method taking it); fails, naming the variables, when none is set.
fn credentials<B>(mut builder: B, setters: &[Setter<B>]) -> Result<B, String> {
    let mut found = false;
    for (name, set) in setters {
        if let Some(value) = env(name) {
            builder = set(builder, value);
            found = true;
        }
    }
    if found {
        return Ok(builder);
    }
    let names: Vec<&str> = setters.iter().map(|(name, _)| *name).collect();
    Err(format!("no credential: set {}", names.join(" or ")))
}

/// The built client, or why it could not be built.
fn built<C>(built: Result<C, impl Display>) -> Result<C, String> {
    built.map_err(|error| format!("cannot build the client: {error}"))
}

/// Any API's `watch_run` stream as common events, each error as its message.
fn events<R, E>(runs: RunStream<R, E>) -> Events
where
    R: WorkflowRun + 'static,
    E: 'static,
    WaitError<R, E>: Display,
{
    Box::pin(runs.map(|item| {
        item.map(|run| Event::Status {
            status: run.status(),
            vendor: run.vendor_status(),
        })
        .map_err(|error| error.to_string())
    }))
}
