//! Event streams read by the runtime against local servers that stream slowly (chunked, events
//! split across writes, keep-alives between): server-sent events and JSON lines, decode errors
//! that do not end the stream, streams cut, ended early, silent (through the injected clock) or
//! with an event over the limit, and opening a stream as a call that is retried.

use apigen_runtime::reqwest::Method;
use apigen_runtime::{
    CallOptions, Error, Event, EventStream, Framing, ManualClock, Request, Response, SseEvent,
    StreamExt, StreamProblem, StreamSpec, Transport, json, open_stream, raw,
};
use apigen_tests::{ScriptedServer, Step};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// A few of Dify's workflow events, told apart by the `event` field inside the data.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "event", rename_all = "snake_case")]
enum RunEvent {
    WorkflowStarted { workflow_run_id: String },
    NodeFinished { data: NodeData },
    WorkflowFinished { data: RunData },
    Error { message: String },
}

#[derive(Debug, Deserialize, PartialEq)]
struct NodeData {
    title: String,
    status: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct RunData {
    status: String,
}

fn terminal(event: &RunEvent) -> bool {
    matches!(
        event,
        RunEvent::WorkflowFinished { .. } | RunEvent::Error { .. }
    )
}

fn spec() -> StreamSpec<RunEvent> {
    StreamSpec {
        framing: Framing::ServerSentEvents,
        decode: json::<RunEvent>,
        terminal: Some(terminal),
    }
}

fn read_error(response: Response) -> Error<()> {
    response.unexpected()
}

fn chunk(text: &str) -> Step {
    Step::Chunk(text.as_bytes().to_vec())
}

const STARTED: &str = "data: {\"event\": \"workflow_started\", \"workflow_run_id\": \"r-1\"}\n\n";
const NODE: &str = "data: {\"event\": \"node_finished\", \"data\": {\"title\": \"LLM\", \"status\": \"succeeded\"}}\n\n";
const FINISHED: &str =
    "data: {\"event\": \"workflow_finished\", \"data\": {\"status\": \"succeeded\"}}\n\n";

fn transport(url: &str, clock: &ManualClock) -> Transport {
    Transport::builder("stream-tests")
        .base_url(url)
        .clock(Arc::new(clock.clone()))
        .build::<()>(None)
        .unwrap()
}

async fn open(
    server: &ScriptedServer,
    clock: &ManualClock,
    options: CallOptions,
) -> Result<EventStream<RunEvent, ()>, Error<()>> {
    let transport = Box::leak(Box::new(transport(&server.url, clock)));
    let request = Request::new(Method::POST, "/workflows/run").json(&serde_json::json!({}));
    open_stream(transport, request, options, spec(), read_error).await
}

async fn collect(
    stream: &mut EventStream<RunEvent, ()>,
) -> Vec<Result<Event<RunEvent>, Error<()>>> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}

#[tokio::test]
async fn a_run_streams_through_to_its_finish_with_pings_and_split_events() {
    let (a, b) = NODE.split_at(30);
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk(STARTED),
            chunk("event: ping\n\n"),
            chunk(a),
            chunk(b),
            chunk(": a comment\r\nevent: ping\r\n\r\n"),
            chunk(&FINISHED.replace('\n', "\r\n")),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut stream = open(&server, &clock, CallOptions::default()).await.unwrap();
    assert_eq!(stream.meta().status.as_u16(), 200);
    let items = collect(&mut stream).await;
    let events: Vec<&RunEvent> = items.iter().map(|i| &i.as_ref().unwrap().data).collect();
    assert_eq!(
        events,
        [
            &RunEvent::WorkflowStarted {
                workflow_run_id: "r-1".into()
            },
            &RunEvent::NodeFinished {
                data: NodeData {
                    title: "LLM".into(),
                    status: "succeeded".into()
                }
            },
            &RunEvent::WorkflowFinished {
                data: RunData {
                    status: "succeeded".into()
                }
            },
        ]
    );
    let indexes: Vec<u64> = items.iter().map(|i| i.as_ref().unwrap().index).collect();
    assert_eq!(indexes, [0, 1, 2]);
    assert!(stream.ended_properly());
    assert_eq!(stream.events(), 3);
}

/// An event read as a plain struct: serde's internally tagged enums buffer their content, and
/// lose the path of a mismatch inside it.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[allow(dead_code)]
    event: String,
    #[allow(dead_code)]
    data: Option<Titled>,
}

#[derive(Debug, Deserialize)]
struct Titled {
    #[allow(dead_code)]
    title: Option<String>,
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let bad = "data: {\"event\": \"node_finished\", \"data\": {\"title\": 7, \"status\": \"failed\"}}\n\n";
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(STARTED), chunk(bad), chunk(FINISHED), Step::End],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let transport = Box::leak(Box::new(transport(&server.url, &clock)));
    let spec = StreamSpec {
        framing: Framing::ServerSentEvents,
        decode: json::<Envelope>,
        terminal: None,
    };
    let request = Request::new(Method::GET, "/events");
    let mut stream: EventStream<Envelope, ()> =
        open_stream(transport, request, CallOptions::default(), spec, read_error)
            .await
            .unwrap();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    assert_eq!(items.len(), 3);
    let err = items[1].as_ref().unwrap_err();
    let Error::Event { index, path, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(*index, 1);
    assert_eq!(path, "data.title");
    assert!(
        err.to_string()
            .starts_with("event 1 (message) did not match its documented type at `data.title`"),
        "{err}"
    );
    assert!(items[0].is_ok() && items[2].is_ok());
}

#[tokio::test]
async fn a_stream_that_ends_before_its_terminal_event_says_so() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(STARTED), chunk(NODE), Step::End],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut stream = open(&server, &clock, CallOptions::default()).await.unwrap();
    let items = collect(&mut stream).await;
    assert_eq!(items.len(), 3);
    let err = items[2].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Stream { events: 2, problem: StreamProblem::EndedEarly, last: Some(last), .. } if last.contains("node_finished")),
        "{err:?}"
    );
    assert_eq!(
        err.to_string().split(';').next().unwrap(),
        "POST /workflows/run: the stream ended before its terminal event after 2 event(s)"
    );
    assert!(!stream.ended_properly());
}

#[tokio::test]
async fn a_stream_cut_off_is_an_error_after_the_events_that_came() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(STARTED), chunk(&NODE[..20]), Step::Cut],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut stream = open(&server, &clock, CallOptions::default()).await.unwrap();
    let items = collect(&mut stream).await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Stream {
                events: 1,
                problem: StreamProblem::Cut(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn sixty_seconds_of_silence_end_the_stream() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(STARTED), Step::Hold],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut stream = open(&server, &clock, CallOptions::default()).await.unwrap();
    assert!(stream.next().await.unwrap().is_ok());
    let advance = {
        let clock = clock.clone();
        async move {
            // Let the stream wait for bytes first, then move time past the idle limit.
            for _ in 0..20 {
                tokio::task::yield_now().await;
            }
            clock.advance(Duration::from_secs(59));
            for _ in 0..20 {
                tokio::task::yield_now().await;
            }
            clock.advance(Duration::from_secs(1));
        }
    };
    let (item, ()) = tokio::join!(stream.next(), advance);
    let err = item.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Stream { problem: StreamProblem::Idle { after }, events: 1, .. } if *after == Duration::from_secs(60)),
        "{err:?}"
    );
    assert!(err.to_string().contains("nothing arrived for 60s"), "{err}");
    assert!(stream.next().await.is_none());
    // The idle limit is a timer, not a wait.
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn an_event_over_the_limit_ends_the_stream() {
    let huge = format!("data: \"{}\"\n\n", "x".repeat(20 * 1024 * 1024));
    let steps: Vec<Step> = std::iter::once(chunk(STARTED))
        .chain(
            huge.as_bytes()
                .chunks(1 << 20)
                .map(|c| Step::Chunk(c.to_vec())),
        )
        .chain([Step::End])
        .collect();
    let server = ScriptedServer::start(200, "text/event-stream", steps, vec![]).await;
    let clock = ManualClock::default();
    let mut stream = open(&server, &clock, CallOptions::default()).await.unwrap();
    let items = collect(&mut stream).await;
    assert_eq!(items.len(), 2);
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Stream { problem: StreamProblem::EventTooLarge { limit }, .. } if *limit == 16 * 1024 * 1024),
        "{err:?}"
    );
    assert!(err.to_string().contains("larger than the limit of 16 MiB"));

    // A call may set a smaller limit, or a larger one.
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(STARTED), chunk(FINISHED), Step::End],
        vec![],
    )
    .await;
    let mut options = CallOptions::default();
    options.max_event_size(40);
    let mut stream = open(&server, &clock, options).await.unwrap();
    let items = collect(&mut stream).await;
    assert!(matches!(
        items.last().unwrap(),
        Err(Error::Stream {
            problem: StreamProblem::EventTooLarge { limit: 40 },
            ..
        })
    ));
}

#[tokio::test]
async fn json_lines_stream_one_value_per_line() {
    let server = ScriptedServer::start(
        200,
        "application/x-ndjson",
        vec![
            chunk("{\"page\": 1, \"data\": {\"name\": \"Acme\"}}\n{\"pa"),
            chunk("ge\": 2, \"data\": {\"name\": \"Zu"),
            chunk("rich\"}}\r\n\n"),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let transport = Box::leak(Box::new(transport(&server.url, &clock)));
    let spec = StreamSpec {
        framing: Framing::JsonLines,
        decode: json::<serde_json::Value>,
        terminal: None,
    };
    let request = Request::new(Method::POST, "/extractions/stream");
    let mut stream = open_stream(transport, request, CallOptions::default(), spec, read_error)
        .await
        .unwrap();
    let mut names = Vec::new();
    while let Some(item) = stream.next().await {
        names.push(
            item.unwrap().data["data"]["name"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(names, ["Acme", "Zurich"]);
}

#[tokio::test]
async fn without_an_item_schema_events_come_raw_and_never_fail() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk("id: 41\nevent: delta\ndata: not json\n\nretry: 3000\ndata: {}\n\n"),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let transport = Box::leak(Box::new(transport(&server.url, &clock)));
    let spec = StreamSpec {
        framing: Framing::ServerSentEvents,
        decode: raw,
        terminal: None,
    };
    let request = Request::new(Method::GET, "/events");
    let mut stream: EventStream<SseEvent, ()> =
        open_stream(transport, request, CallOptions::default(), spec, read_error)
            .await
            .unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert_eq!(
        (first.event.as_str(), first.data.data.as_str()),
        ("delta", "not json")
    );
    assert_eq!(first.id.as_deref(), Some("41"));
    let second = stream.next().await.unwrap().unwrap();
    assert_eq!(second.retry, Some(Duration::from_secs(3)));
    assert_eq!(stream.last_event_id(), Some("41"));
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn opening_a_stream_is_retried_and_error_statuses_are_judged() {
    // A 503 first (retried after a backoff on the injected clock), then the stream.
    let server = apigen_tests::wiremock::MockServer::start().await;
    use apigen_tests::wiremock::{Mock, ResponseTemplate, matchers::any};
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(FINISHED, "text/event-stream"))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let transport = Box::leak(Box::new(transport(&server.uri(), &clock)));
    let request = Request::new(Method::GET, "/workflow/r-1/events");
    let mut stream = open_stream(
        transport,
        request,
        CallOptions::default(),
        spec(),
        read_error,
    )
    .await
    .unwrap();
    assert_eq!(stream.meta().attempts, 2);
    assert_eq!(clock.sleeps().len(), 1);
    assert!(stream.next().await.unwrap().is_ok());

    let refusing = apigen_tests::answering(400, "application/json", "{\"code\": \"bad\"}").await;
    let refuser = Box::leak(Box::new(self::transport(&refusing.uri(), &clock)));
    let request = Request::new(Method::GET, "/workflow/r-1/events");
    let err = open_stream(refuser, request, CallOptions::default(), spec(), read_error)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.body_text(), Some("{\"code\": \"bad\"}"));
}
