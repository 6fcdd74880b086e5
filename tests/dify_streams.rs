//! Dify's workflow runs followed as they happen, through the generated client, against local
//! servers that stream slowly (chunked, events split across writes, pings between): a run to
//! `workflow_finished`, a failed node, an `error` event mid-stream, an event type the document
//! does not list, a stream cut and then resumed, 60 s of silence on the injected clock, a 20 MiB
//! event; `response_mode` chosen by the call, never by the caller; and `wait_for_run`,
//! `watch_run` and `follow_run` following a run's events, reopening them after a drop and
//! polling when there are none.

use apigen_runtime::ManualClock;
use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use apigen_tests::{Route, ScriptedServer, Step};
use dify_client::types::{WorkflowExecutionRequest, WorkflowStreamEvent};
use dify_client::{
    Client, Error, RunProgress, StreamExt, StreamProblem, WaitError, WaitPolicy, WorkflowRun,
};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const API_KEY: &str = "app-Dify9f3b2c1e-secret-key";
const RUN_ID: &str = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";
const TASK_ID: &str = "c3800678-a077-43df-a102-53f23ed20b88";

fn client(url: &str, clock: &ManualClock) -> Client {
    Client::builder()
        .base_url(url)
        .api_key_auth(API_KEY)
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap()
}

fn body() -> WorkflowExecutionRequest {
    WorkflowExecutionRequest {
        files: None,
        inputs: Default::default(),
        user: "user-42".to_owned(),
    }
}

/// One `data:` event of Dify's stream.
fn event(value: Value) -> String {
    format!("data: {value}\n\n")
}

fn started() -> String {
    event(json!({
        "event": "workflow_started", "task_id": TASK_ID, "workflow_run_id": RUN_ID,
        "data": {"id": RUN_ID, "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345", "inputs": {}, "created_at": 1705407629}
    }))
}

fn node(title: &str, status: &str) -> String {
    event(json!({
        "event": "node_finished", "task_id": TASK_ID, "workflow_run_id": RUN_ID,
        "data": {"id": "2f3a1d44-0b4c-4a6e-9d0f-1e2b3c4d5e6f", "node_id": "llm", "node_type": "llm",
                 "title": title, "index": 2, "status": status, "elapsed_time": 1.25,
                 "error": if status == "failed" { json!("model timed out") } else { Value::Null }}
    }))
}

fn finished(status: &str) -> String {
    event(json!({
        "event": "workflow_finished", "task_id": TASK_ID, "workflow_run_id": RUN_ID,
        "data": {"id": RUN_ID, "status": status, "outputs": {"answer": "Bonjour"}, "elapsed_time": 2.5,
                 "total_tokens": 150, "total_steps": 3, "created_at": 1705407629, "finished_at": 1705407632}
    }))
}

fn chunk(text: &str) -> Step {
    Step::Chunk(text.as_bytes().to_vec())
}

const PING: &str = "event: ping\n\n";

/// An event in a word or three: `started`, `node LLM succeeded`, `finished succeeded`.
fn label(event: &WorkflowStreamEvent) -> String {
    match event {
        WorkflowStreamEvent::WorkflowStarted(_) => "started".to_owned(),
        WorkflowStreamEvent::NodeFinished(node) => {
            let data = node.data.as_ref().unwrap();
            format!(
                "node {} {}",
                data.title.as_deref().unwrap(),
                data.status.as_deref().unwrap()
            )
        }
        WorkflowStreamEvent::WorkflowFinished(run) => {
            format!(
                "finished {}",
                run.data.as_ref().unwrap().status.as_deref().unwrap()
            )
        }
        WorkflowStreamEvent::Error(error) => {
            format!("error {}", error.code.as_deref().unwrap())
        }
        WorkflowStreamEvent::Other(value) => format!("other {}", value["event"]),
        other => format!("{other:?}"),
    }
}

/// The events of a whole stream: each item's label, or the error's message.
async fn names(
    mut events: dify_client::EventStream<WorkflowStreamEvent, dify_client::ErrorBody>,
) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(item) = events.next().await {
        out.push(match item {
            Ok(event) => label(&event.data),
            Err(err) => format!("Err: {err}"),
        });
    }
    out
}

#[tokio::test]
async fn a_run_streams_to_its_finish_and_the_request_asks_for_a_stream() {
    let finished = finished("succeeded");
    let (a, b) = finished.split_at(40);
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk(&started()),
            chunk(PING),
            chunk(&node("LLM", "succeeded")),
            chunk(PING),
            chunk(a),
            chunk(b),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert_eq!(events.meta().status.as_u16(), 200);
    assert_eq!(
        names(events).await,
        ["started", "node LLM succeeded", "finished succeeded"]
    );
    let head = server.requests.lock().unwrap()[0].clone();
    assert!(head.starts_with("POST /workflows/run HTTP/1.1"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("accept: text/event-stream"), "{head}");
    assert!(lower.contains(&format!(
        "authorization: bearer {}",
        API_KEY.to_ascii_lowercase()
    )));
}

#[tokio::test]
async fn the_call_sets_response_mode_never_the_caller() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "task_id": TASK_ID, "workflow_run_id": RUN_ID,
            "data": {"id": RUN_ID, "status": "succeeded", "outputs": {"answer": "Bonjour"}}
        })))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let answer = client(&server.uri(), &clock)
        .execute_workflow(body())
        .await
        .unwrap();
    assert_eq!(answer.workflow_run_id.unwrap().to_string(), RUN_ID);
    let _ = client(&server.uri(), &clock)
        .run_workflow_by_id("7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345", body())
        .stream()
        .await;
    let received = server.received_requests().await.unwrap();
    let blocking: Value = received[0].body_json().unwrap();
    assert_eq!(
        blocking,
        json!({"inputs": {}, "user": "user-42", "response_mode": "blocking"})
    );
    assert_eq!(
        received[0].headers.get("accept").unwrap(),
        "application/json"
    );
    let streaming: Value = received[1].body_json().unwrap();
    assert_eq!(streaming["response_mode"], "streaming");
    assert_eq!(
        received[1].headers.get("accept").unwrap(),
        "text/event-stream"
    );
}

#[tokio::test]
async fn a_failed_node_and_an_error_event_are_items_that_end_the_run() {
    let error = event(json!({"event": "error", "task_id": TASK_ID, "status": 400,
                             "code": "invalid_param", "message": "the model is not set up"}));
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk(&started()),
            chunk(&node("LLM", "failed")),
            chunk(&finished("failed")),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert_eq!(
        names(events).await,
        ["started", "node LLM failed", "finished failed"]
    );

    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(&started()), chunk(&error), Step::End],
        vec![],
    )
    .await;
    let mut events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert!(events.next().await.unwrap().is_ok());
    assert!(events.next().await.unwrap().is_ok());
    assert!(events.ended_properly(), "an error event is terminal");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_event_type_the_document_does_not_list_is_kept_and_the_stream_goes_on() {
    let novel = event(
        json!({"event": "node_paused_for_review", "task_id": TASK_ID, "data": {"reviewer": "ops"}}),
    );
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk(&started()),
            chunk(&novel),
            chunk(&finished("succeeded")),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert_eq!(
        names(events).await,
        [
            "started",
            "other \"node_paused_for_review\"",
            "finished succeeded"
        ]
    );
}

#[tokio::test]
async fn a_stream_cut_before_its_end_says_so_and_is_resumed_by_the_run_id() {
    let node = node("LLM", "succeeded");
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(&started()), chunk(&node[..30]), Step::Cut],
        // The resumed stream replays the state, then goes on to the end.
        vec![
            chunk(&node),
            chunk(PING),
            chunk(&finished("succeeded")),
            Step::End,
        ],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let first = client.execute_workflow(body()).stream().await.unwrap();
    let seen = names(first).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0], "started");
    assert!(
        seen[1].starts_with("Err: POST /workflows/run: the stream was cut off"),
        "{}",
        seen[1]
    );
    assert!(
        seen[1].contains("after 1 event(s); the last: {\"data\""),
        "{}",
        seen[1]
    );

    let run_id = RUN_ID.parse().unwrap();
    let resumed = client
        .stream_workflow_events(run_id, "user-42")
        .include_state_snapshot(true)
        .await
        .unwrap();
    assert_eq!(
        names(resumed).await,
        ["node LLM succeeded", "finished succeeded"]
    );
    let heads = server.requests.lock().unwrap().clone();
    assert!(
        heads[1].starts_with(&format!(
            "GET /workflow/{RUN_ID}/events?user=user-42&include_state_snapshot=true HTTP/1.1"
        )),
        "{}",
        heads[1]
    );
}

#[tokio::test]
async fn sixty_seconds_without_a_byte_end_the_stream() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(&started()), chunk(PING), Step::Hold],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert!(events.next().await.unwrap().is_ok());
    let advance = {
        let clock = clock.clone();
        async move {
            for _ in 0..50 {
                tokio::task::yield_now().await;
            }
            clock.advance(Duration::from_secs(60));
        }
    };
    let (item, ()) = tokio::join!(events.next(), advance);
    let err = item.unwrap().unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Stream {
                problem: StreamProblem::Idle { .. },
                events: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_twenty_mib_event_is_an_error_not_twenty_mib_held() {
    let huge = event(
        json!({"event": "text_chunk", "task_id": TASK_ID, "data": {"text": "x".repeat(20 << 20)}}),
    );
    let steps = std::iter::once(chunk(&started()))
        .chain(
            huge.as_bytes()
                .chunks(256 << 10)
                .map(|c| Step::Chunk(c.to_vec())),
        )
        .chain([Step::End])
        .collect();
    let server = ScriptedServer::start(200, "text/event-stream", steps, vec![]).await;
    let clock = ManualClock::default();
    let events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    let seen = names(events).await;
    assert_eq!(seen.len(), 2);
    assert!(
        seen[1].contains("an event was larger than the limit of 16 MiB after 1 event(s)"),
        "{}",
        seen[1]
    );
}

#[tokio::test]
async fn a_resuming_stream_reopens_after_a_cut_and_yields_each_event_once() {
    let node = node("LLM", "succeeded");
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(&started()), chunk(&node), chunk(PING), Step::Cut],
        // Reopened with the state snapshot: what came already, then the rest.
        vec![
            chunk(&started()),
            chunk(&node),
            chunk(&finished("succeeded")),
            Step::End,
        ],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let mut events = client
        .stream_workflow_events(RUN_ID.parse().unwrap(), "user-42")
        .include_state_snapshot(true)
        .resuming();
    let mut seen = Vec::new();
    while let Some(item) = events.next().await {
        seen.push(match item.unwrap().data {
            WorkflowStreamEvent::WorkflowStarted(_) => "started",
            WorkflowStreamEvent::NodeFinished(_) => "node",
            WorkflowStreamEvent::WorkflowFinished(_) => "finished",
            _ => "other",
        });
    }
    assert_eq!(seen, ["started", "node", "finished"]);
    assert_eq!(events.resumed(), 1);
    assert!(events.ended_properly());
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    let heads = server.requests.lock().unwrap().clone();
    assert_eq!(heads.len(), 2);
    assert!(
        heads[1].contains("include_state_snapshot=true"),
        "{}",
        heads[1]
    );
}

#[tokio::test]
async fn a_resuming_stream_gives_up_after_five_drops_in_a_row() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![chunk(&started()), Step::Cut],
        vec![chunk(PING), Step::Cut],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let mut events = client
        .stream_workflow_events(RUN_ID.parse().unwrap(), "user-42")
        .resuming();
    assert!(events.next().await.unwrap().is_ok());
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Stream {
                problem: StreamProblem::Cut(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(events.next().await.is_none());
    assert_eq!(events.resumed(), 5);
    let waits: Vec<u64> = clock.sleeps().iter().map(Duration::as_secs).collect();
    assert_eq!(waits, [1, 2, 4, 8, 16]);
}

#[tokio::test]
async fn an_event_that_does_not_match_names_its_index_and_the_path_inside_its_variant() {
    let bad = event(json!({"event": "node_finished", "task_id": TASK_ID,
                           "data": {"title": 7, "status": "failed"}}));
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            chunk(&started()),
            chunk(&bad),
            chunk(&finished("failed")),
            Step::End,
        ],
        vec![],
    )
    .await;
    let clock = ManualClock::default();
    let mut events = client(&server.url, &clock)
        .execute_workflow(body())
        .stream()
        .await
        .unwrap();
    assert!(events.next().await.unwrap().is_ok());
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Event { index: 1, path, .. } if path == "data.title"),
        "{err:?}"
    );
    // The stream goes on to its end.
    assert!(events.next().await.unwrap().is_ok());
    assert!(events.next().await.is_none());
}

/// A run's detail as Dify answers it.
fn run(status: &str) -> Value {
    json!({"id": RUN_ID, "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345", "status": status,
           "inputs": "{}", "created_at": 1705407629})
}

/// A server answering the run's detail with `statuses` in turn and its events with `streams` in
/// turn (none: 404).
async fn run_server(statuses: &[&str], streams: Vec<Vec<Step>>) -> ScriptedServer {
    let runs: Vec<Value> = statuses.iter().map(|s| run(s)).collect();
    let mut routes = vec![Route::json(&format!("/workflows/run/{RUN_ID}"), &runs)];
    if !streams.is_empty() {
        routes.push(Route::new(
            &format!("/workflow/{RUN_ID}/events"),
            200,
            "text/event-stream",
            streams,
        ));
    }
    ScriptedServer::routes(routes).await
}

const RUN_PATH: &str = "GET /workflows/run/fb47b2e6-5e43-4f90-be01-d5c5a088d156";
const EVENTS_PATH: &str = "GET /workflow/fb47b2e6-5e43-4f90-be01-d5c5a088d156/events?user=user-42&include_state_snapshot=true";

/// What following the run yields: `run <status>` for each change, the event's label for each
/// event, `Err: ...` for the error that ends it.
async fn progress(client: &Client, policy: WaitPolicy) -> Vec<String> {
    client
        .follow_run(RUN_ID, "user-42", policy)
        .map(|item| match item {
            Ok(RunProgress::Run(run)) => format!("run {}", run.vendor_status().unwrap()),
            Ok(RunProgress::Event(event)) => label(&event.data),
            Err(err) => format!("Err: {err}"),
        })
        .collect()
        .await
}

#[tokio::test]
async fn waiting_for_a_run_follows_its_events_and_confirms_the_outcome() {
    let server = run_server(
        &["running", "running", "succeeded"],
        vec![vec![
            chunk(&started()),
            chunk(PING),
            chunk(&node("LLM", "succeeded")),
            chunk(&finished("succeeded")),
            Step::End,
        ]],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let run = client
        .wait_for_run(RUN_ID, "user-42", WaitPolicy::new(Duration::from_secs(600)))
        .await
        .unwrap();
    assert_eq!(run.vendor_status().as_deref(), Some("succeeded"));
    // No poll waited for: the events said when to ask.
    assert_eq!(clock.sleeps(), []);
    assert_eq!(server.asked(), [RUN_PATH, EVENTS_PATH, RUN_PATH, RUN_PATH]);
}

#[tokio::test]
async fn following_a_run_yields_its_events_and_each_change_in_order() {
    let server = run_server(
        &["running", "running", "failed"],
        vec![vec![
            chunk(&started()),
            chunk(&node("LLM", "failed")),
            chunk(&finished("failed")),
            Step::End,
        ]],
    )
    .await;
    let clock = ManualClock::default();
    let follower = client(&server.url, &clock);
    let policy = WaitPolicy::new(Duration::from_secs(600));
    assert_eq!(
        progress(&follower, policy.clone()).await,
        [
            "run running",
            "started",
            "node LLM failed",
            "finished failed",
            "run failed"
        ]
    );
    // `watch_run` is the same without the events.
    let server = run_server(
        &["running", "running", "failed"],
        vec![vec![
            chunk(&started()),
            chunk(&node("LLM", "failed")),
            chunk(&finished("failed")),
            Step::End,
        ]],
    )
    .await;
    let statuses: Vec<String> = client(&server.url, &clock)
        .watch_run(RUN_ID, "user-42", policy)
        .map(|run| run.unwrap().vendor_status().unwrap())
        .collect()
        .await;
    assert_eq!(statuses, ["running", "failed"]);
}

#[tokio::test]
async fn a_dropped_stream_is_reopened_and_its_replayed_events_are_not_seen_twice() {
    let llm = node("LLM", "succeeded");
    let server = run_server(
        &["running", "running", "succeeded"],
        vec![
            vec![chunk(&started()), chunk(&llm), chunk(&llm[..20]), Step::Cut],
            // Reopened with the state snapshot: the nodes already run come again first.
            vec![
                chunk(&started()),
                chunk(&llm),
                chunk(&node("Write", "succeeded")),
                chunk(&finished("succeeded")),
                Step::End,
            ],
        ],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    assert_eq!(
        progress(&client, WaitPolicy::new(Duration::from_secs(600))).await,
        [
            "run running",
            "started",
            "node LLM succeeded",
            "node Write succeeded",
            "finished succeeded",
            "run succeeded"
        ]
    );
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
    assert_eq!(
        server.asked(),
        [RUN_PATH, EVENTS_PATH, RUN_PATH, EVENTS_PATH, RUN_PATH]
    );
}

#[tokio::test]
async fn without_its_events_a_run_is_polled() {
    // The events answer 404 (a server without them, or another user's run).
    let server = run_server(&["running", "running", "succeeded"], vec![]).await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let run = client
        .wait_for_run(RUN_ID, "user-42", WaitPolicy::new(Duration::from_secs(600)))
        .await
        .unwrap();
    assert_eq!(run.vendor_status().as_deref(), Some("succeeded"));
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(1), Duration::from_millis(1500)]
    );
    assert_eq!(server.asked(), [RUN_PATH, EVENTS_PATH, RUN_PATH, RUN_PATH]);
}

#[tokio::test]
async fn a_run_still_going_when_its_stream_ends_is_polled_to_its_end() {
    // The stream's last event came before the run's detail caught up.
    let server = run_server(
        &["running", "running", "running", "succeeded"],
        vec![vec![chunk(&finished("succeeded")), Step::End]],
    )
    .await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    assert_eq!(
        progress(&client, WaitPolicy::new(Duration::from_secs(600))).await,
        ["run running", "finished succeeded", "run succeeded"]
    );
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn the_deadline_holds_while_the_stream_is_quiet() {
    let server = run_server(&["running"], vec![vec![chunk(&started()), Step::Hold]]).await;
    let clock = ManualClock::default();
    let client = client(&server.url, &clock);
    let mut stream = client.follow_run(RUN_ID, "user-42", WaitPolicy::new(Duration::from_secs(30)));
    assert!(stream.next().await.unwrap().unwrap().run().is_some());
    assert!(stream.next().await.unwrap().unwrap().event().is_some());
    let advance = {
        let clock = clock.clone();
        async move {
            for _ in 0..50 {
                tokio::task::yield_now().await;
            }
            clock.advance(Duration::from_secs(31));
        }
    };
    let (item, ()) = tokio::join!(stream.next(), advance);
    match item.unwrap() {
        Err(WaitError::Deadline { deadline, last, .. }) => {
            assert_eq!(deadline, Duration::from_secs(30));
            assert_eq!(last.unwrap().vendor_status().as_deref(), Some("running"));
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    assert!(stream.next().await.is_none());
}
