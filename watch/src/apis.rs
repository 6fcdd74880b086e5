//! The glue per API: build its client from the environment and watch the run as common events.

use apigen_runtime::{RunStatus, RunStream, Stream, StreamExt, WaitError, WaitPolicy, WorkflowRun};
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
    /// The end user the run was started for (dify): its events can then be followed.
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
    let builder = Client::builder().base_url(t.url(Client::DEFAULT_BASE_URL));
    let builder = credentials(builder, &[("DIFY_API_KEY", |b, v| b.api_key_auth(v))])?;
    let client = built(builder.build())?;
    match t.user {
        None => Ok(events(client.watch_run(t.run_id, t.policy))),
        Some(user) => {
            let run_id: Uuid = t
                .run_id
                .parse()
                .map_err(|_| format!("dify run ids are UUIDs, not {:?}", t.run_id))?;
            Ok(dify_follow(client, run_id, user, t.policy))
        }
    }
}

/// Follows a Dify run's event stream (resumed after a dropped connection, from the state
/// snapshot), showing each node as it starts and finishes; once the stream says the run ended,
/// paused, or cannot be followed, polling confirms the outcome (the vendor's advice after a
/// resumed stream) or, where the stream never opened, takes over.
fn dify_follow(
    client: dify_client::Client,
    run_id: Uuid,
    user: String,
    policy: WaitPolicy,
) -> Events {
    use dify_client::types::WorkflowStreamEvent as E;
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let ends = tokio::time::Instant::now() + policy.deadline;
        let mut stream = client
            .stream_workflow_events(run_id, user)
            .include_state_snapshot(true)
            .continue_on_pause(policy.through_input)
            .resuming();
        loop {
            let item = match tokio::time::timeout_at(ends, stream.next()).await {
                Ok(Some(item)) => item,
                Ok(None) => break,
                Err(_) => {
                    let _ = sender.send(Err(format!(
                        "the run had not ended within {}s",
                        policy.deadline.as_secs()
                    )));
                    return;
                }
            };
            let event = match item {
                Ok(event) => event,
                // An event this client cannot read: the next ones still can be.
                Err(dify_client::Error::Event { .. }) => continue,
                // The stream gave up: polling takes over.
                Err(_) => break,
            };
            let shown = match &event.data {
                E::WorkflowStreamEventWorkflowStarted(_) => Some(Event::Status {
                    status: RunStatus::Running,
                    vendor: Some("running".to_owned()),
                }),
                E::WorkflowStreamEventNodeStarted(node) => {
                    node.data.as_ref().map(|d| Event::Node {
                        title: d.title.clone().unwrap_or_default(),
                        status: "running".to_owned(),
                        elapsed: None,
                    })
                }
                E::WorkflowStreamEventNodeFinished(node) => {
                    node.data.as_ref().map(|d| Event::Node {
                        title: d.title.clone().unwrap_or_default(),
                        status: d.status.clone().unwrap_or_default(),
                        elapsed: d.elapsed_time,
                    })
                }
                _ => None,
            };
            if let Some(shown) = shown
                && sender.send(Ok(shown)).is_err()
            {
                return;
            }
            let ended = matches!(
                &event.data,
                E::WorkflowStreamEventWorkflowFinished(_) | E::StreamEventError(_)
            ) || (!policy.through_input
                && matches!(&event.data, E::WorkflowStreamEventWorkflowPaused(_)));
            if ended {
                break;
            }
        }
        drop(stream);
        let mut runs = client.watch_run(run_id.to_string(), policy);
        while let Some(item) = runs.next().await {
            let item = item
                .map(|run| Event::Status {
                    status: run.status(),
                    vendor: run.vendor_status(),
                })
                .map_err(|error| error.to_string());
            if sender.send(item).is_err() {
                return;
            }
        }
    });
    Box::pin(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move { receiver.recv().await.map(|item| (item, receiver)) },
    ))
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
