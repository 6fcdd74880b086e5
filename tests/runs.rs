//! Waiting for and watching a workflow run on each of the five APIs, through its generated
//! client, against a local server that answers a scripted sequence of statuses.

use apigen_runtime::{
    ManualClock, RunStatus, RunStream, StreamExt, WaitError, WaitPolicy, WorkflowRun,
};
use apigen_tests::base;
use apigen_tests::wiremock::matchers::{method, path};
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// What a scenario sees of a run, whatever the API
// ---------------------------------------------------------------------------------------------

/// A run as the `WorkflowRun` trait shows it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    id: Option<String>,
    status: RunStatus,
    vendor: Option<String>,
    started: Option<DateTime<Utc>>,
    finished: Option<DateTime<Utc>>,
}

fn seen<R: WorkflowRun>(run: &R) -> Seen {
    Seen {
        id: run.run_id(),
        status: run.status(),
        vendor: run.vendor_status(),
        started: run.started_at(),
        finished: run.finished_at(),
    }
}

/// Why a wait ended without the run ending: the case, the last run seen and the message.
#[derive(Debug)]
struct Stopped {
    case: &'static str,
    last: Option<Seen>,
    message: String,
}

fn stopped<R: WorkflowRun, E: std::fmt::Debug>(error: WaitError<R, E>) -> Box<Stopped> {
    let message = error.to_string();
    let last = error.last_run().map(seen);
    let case = match error {
        WaitError::Deadline { .. } => "deadline",
        WaitError::Failed { .. } => "failed",
        WaitError::NotFound { .. } => "not found",
    };
    Box::new(Stopped {
        case,
        last,
        message,
    })
}

/// A wait's answer as a scenario sees it.
fn waited<R: WorkflowRun, E: std::fmt::Debug>(answer: Result<R, WaitError<R, E>>) -> Item {
    answer.map(|run| seen(&run)).map_err(stopped)
}

/// Everything a watch yields, as a scenario sees it.
async fn watched<R: WorkflowRun, E: std::fmt::Debug>(changes: RunStream<R, E>) -> Vec<Item> {
    changes.map(waited).collect().await
}

/// What a wait or a watch gives: a run, or why it stopped.
type Item = Result<Seen, Box<Stopped>>;

/// Waits for (or watches) the run on a server at the given base URL.
type Driver<T> = fn(String, ManualClock, WaitPolicy) -> Pin<Box<dyn Future<Output = T>>>;

/// One API as the scenarios drive it.
struct Api {
    /// The API's words for queued, running, waiting for input, succeeded and failed.
    queued: Option<&'static str>,
    running: &'static str,
    waiting: Option<&'static str>,
    succeeded: &'static str,
    failed: &'static str,
    /// The path the poll asks, and the answer for a run in a status.
    poll_path: &'static str,
    answer: fn(&str) -> Value,
    wait: Driver<Item>,
    watch: Driver<Vec<Item>>,
}

/// Answers the statuses in turn, one poll each; the last one from then on.
async fn scripted(api: &Api, statuses: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    for (i, status) in statuses.iter().enumerate() {
        let mock = Mock::given(method("GET"))
            .and(path(api.poll_path))
            .respond_with(ResponseTemplate::new(200).set_body_json((api.answer)(status)));
        let mock = if i + 1 < statuses.len() {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.mount(&server).await;
    }
    server
}

fn policy() -> WaitPolicy {
    WaitPolicy::new(Duration::from_secs(120)).interval(Duration::from_secs(2))
}

fn statuses(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Ok(run) => format!(
                "{}/{}",
                run.status.as_str(),
                run.vendor.as_deref().unwrap_or("-")
            ),
            Err(stop) => format!("stopped: {}", stop.case),
        })
        .collect()
}

/// How many times the server was asked for the run (Dify's client also asks once for the run's
/// events, which these servers do not have).
async fn polls(server: &MockServer, api: &Api) -> usize {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.url.path() == api.poll_path)
        .count()
}

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

/// Queued (where the API has it), running, running, succeeded: the wait returns the succeeded
/// run after three polls' worth of waiting, and the watch yields each status once.
async fn goes_to_success(api: &Api) {
    let mut script: Vec<&str> = api.queued.into_iter().collect();
    script.extend([api.running, api.running, api.succeeded]);
    let server = scripted(api, &script).await;
    let clock = ManualClock::default();

    let run = (api.wait)(base(&server), clock.clone(), policy())
        .await
        .unwrap();

    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(run.vendor.as_deref(), Some(api.succeeded));
    assert!(run.status.is_terminal());
    let polls = polls(&server, api).await;
    assert_eq!(polls, script.len());
    // 2 s, then growing by half each poll.
    let expected: Vec<Duration> = [2000, 3000, 4500][..script.len() - 1]
        .iter()
        .map(|ms| Duration::from_millis(*ms))
        .collect();
    assert_eq!(clock.sleeps(), expected);

    let server = scripted(api, &script).await;
    let items = (api.watch)(base(&server), ManualClock::default(), policy()).await;
    let mut expected = Vec::new();
    if let Some(queued) = api.queued {
        expected.push(format!("queued/{queued}"));
    }
    expected.push(format!("running/{}", api.running));
    expected.push(format!("succeeded/{}", api.succeeded));
    assert_eq!(statuses(&items), expected);
}

async fn ends_failed(api: &Api) {
    let server = scripted(api, &[api.running, api.failed]).await;

    let run = (api.wait)(base(&server), ManualClock::default(), policy())
        .await
        .unwrap();

    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.vendor.as_deref(), Some(api.failed));
    assert!(run.status.is_terminal());
}

/// A status no mapping knows is shown as unknown with the vendor's word, never an error; since
/// nothing says it is final, the wait goes on to its deadline and keeps that run.
async fn meets_an_unknown_status(api: &Api) {
    let server = scripted(api, &[api.running, "ARCHIVED_BY_POLICY"]).await;
    let short = WaitPolicy::new(Duration::from_secs(20))
        .interval(Duration::from_secs(5))
        .backoff(1.0);

    let items = (api.watch)(base(&server), ManualClock::default(), short).await;

    assert_eq!(
        statuses(&items),
        [
            format!("running/{}", api.running),
            "unknown/ARCHIVED_BY_POLICY".to_owned(),
            "stopped: deadline".to_owned()
        ]
    );
    let Some(Ok(unknown)) = items.get(1) else {
        panic!("{items:?}")
    };
    assert_eq!(
        unknown.status,
        RunStatus::Unknown("ARCHIVED_BY_POLICY".into())
    );
    assert!(!unknown.status.is_terminal());
    let Some(Err(stop)) = items.last() else {
        panic!("{items:?}")
    };
    assert_eq!(stop.last.as_ref(), Some(unknown));
}

/// A run that waits for a person is returned as it is; a policy that waits through input goes
/// on to the end.
async fn pauses_for_input(api: &Api) {
    let Some(waiting) = api.waiting else {
        return;
    };
    let server = scripted(api, &[api.running, waiting, api.succeeded]).await;

    let run = (api.wait)(base(&server), ManualClock::default(), policy())
        .await
        .unwrap();

    assert_eq!(run.status, RunStatus::WaitingForInput);
    assert_eq!(run.vendor.as_deref(), Some(waiting));
    assert!(!run.status.is_terminal());
    assert_eq!(polls(&server, api).await, 2);

    let server = scripted(api, &[api.running, waiting, waiting, api.succeeded]).await;
    let items = (api.watch)(
        base(&server),
        ManualClock::default(),
        policy().through_input(true),
    )
    .await;
    assert_eq!(
        statuses(&items),
        [
            format!("running/{}", api.running),
            format!("waiting_for_input/{waiting}"),
            format!("succeeded/{}", api.succeeded),
        ]
    );
}

/// The deadline passes while the run still runs: the error holds the last run and says how long
/// the wait took.
async fn outlives_the_deadline(api: &Api) {
    let server = scripted(api, &[api.running]).await;
    let clock = ManualClock::default();
    let short = WaitPolicy::new(Duration::from_secs(30))
        .interval(Duration::from_secs(10))
        .backoff(1.0);

    let stop = (api.wait)(base(&server), clock.clone(), short)
        .await
        .unwrap_err();

    assert_eq!(stop.case, "deadline");
    let last = stop.last.expect("the last run is kept");
    assert_eq!(last.status, RunStatus::Running);
    assert_eq!(
        stop.message,
        "the run did not end within its 30s deadline (last seen running after 20s)"
    );
    // Polls at 0, 10 and 20 s; one at 30 s would have no time left to answer.
    assert_eq!(clock.sleeps(), [Duration::from_secs(10); 2]);
    assert_eq!(polls(&server, api).await, 3);
}

async fn all_scenarios(api: &Api) {
    goes_to_success(api).await;
    ends_failed(api).await;
    meets_an_unknown_status(api).await;
    pauses_for_input(api).await;
    outlives_the_deadline(api).await;
}

// ---------------------------------------------------------------------------------------------
// The five APIs
// ---------------------------------------------------------------------------------------------

fn tamtam() -> Api {
    use tamtam_client::Client;
    const ID: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";
    fn client(base: String, clock: ManualClock) -> Client {
        Client::builder()
            .base_url(format!("{base}/api"))
            .apikey_auth("tt-key")
            .clock(Arc::new(clock))
            .build()
            .unwrap()
    }
    Api {
        queued: Some("QUEUED"),
        running: "RUNNING",
        waiting: Some("WAITING_FOR_INPUT"),
        succeeded: "COMPLETED",
        failed: "FAILED",
        poll_path: "/api/v1/user-workflow-runs/b3c6f5e2-1234-4abc-9def-0123456789ab",
        answer: |status| {
            json!({
                "Run": {
                    "ID": ID,
                    "AccountID": "d5e8f7a4-6789-4cde-bf01-234567890abc",
                    "UserEmail": "elliot@tamtam.ai",
                    "CreatedAt": "2026-04-07T09:00:00Z",
                    "UpdatedAt": "2026-04-07T09:05:00Z"
                },
                "Status": status,
                "Steps": []
            })
        },
        wait: |base, clock, policy| {
            Box::pin(async move { waited(client(base, clock).wait_for_run(ID, policy).await) })
        },
        watch: |base, clock, policy| Box::pin(watched(client(base, clock).watch_run(ID, policy))),
    }
}

fn juo() -> Api {
    use juo_client::Client;
    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    fn client(base: String, clock: ManualClock) -> Client {
        Client::builder()
            .base_url(format!("{base}/customer/v1"))
            .access_token("juo-token")
            .clock(Arc::new(clock))
            .build()
            .unwrap()
    }
    fn id() -> uuid::Uuid {
        ID.parse().unwrap()
    }
    Api {
        queued: None,
        running: "running",
        waiting: Some("waiting_interaction"),
        succeeded: "completed",
        failed: "failed",
        poll_path: "/customer/v1/workflows/0f8fad5b-d9cb-469f-a165-70867728950e",
        answer: |status| {
            json!({
                "workflowId": "wf_1",
                "workflowVersion": 1,
                "runId": ID,
                "runVersion": 1,
                "status": status
            })
        },
        wait: |base, clock, policy| {
            Box::pin(async move {
                waited(
                    client(base, clock)
                        .wait_for_run(id(), "acme.myshopify.com", policy)
                        .await,
                )
            })
        },
        watch: |base, clock, policy| {
            Box::pin(watched(client(base, clock).watch_run(
                id(),
                "acme.myshopify.com",
                policy,
            )))
        },
    }
}

fn dify() -> Api {
    use dify_client::Client;
    const ID: &str = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";
    fn client(base: String, clock: ManualClock) -> Client {
        Client::builder()
            .base_url(format!("{base}/v1"))
            .api_key_auth("app-key")
            .clock(Arc::new(clock))
            .build()
            .unwrap()
    }
    Api {
        queued: Some("scheduled"),
        running: "running",
        waiting: Some("paused"),
        succeeded: "succeeded",
        failed: "failed",
        poll_path: "/v1/workflows/run/fb47b2e6-5e43-4f90-be01-d5c5a088d156",
        answer: |status| {
            let finished = matches!(status, "succeeded" | "failed");
            json!({
                "id": ID,
                "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345",
                "status": status,
                "inputs": "{}",
                "outputs": null,
                "error": null,
                "total_steps": 1,
                "total_tokens": 10,
                "created_at": 1705407629,
                "finished_at": if finished { json!(1705407630) } else { Value::Null },
                "elapsed_time": 1.0
            })
        },
        // Without the run's events (this server has none), the run is polled.
        wait: |base, clock, policy| {
            Box::pin(async move {
                waited(
                    client(base, clock)
                        .wait_for_run(ID, "user-42", policy)
                        .await,
                )
            })
        },
        watch: |base, clock, policy| {
            Box::pin(watched(
                client(base, clock).watch_run(ID, "user-42", policy),
            ))
        },
    }
}

fn retab() -> Api {
    use retab_client::Client;
    const ID: &str = "run_01JQ8ZK2V3T5W7Y9";
    fn client(base: String, clock: ManualClock) -> Client {
        Client::builder()
            .base_url(base)
            .api_key("sk_retab")
            .clock(Arc::new(clock))
            .build()
            .unwrap()
    }
    Api {
        queued: Some("pending"),
        running: "running",
        waiting: Some("awaiting_review"),
        succeeded: "completed",
        failed: "error",
        poll_path: "/v1/workflows/runs/run_01JQ8ZK2V3T5W7Y9",
        answer: |status| {
            let mut lifecycle = json!({"status": status});
            if status == "error" {
                lifecycle["message"] = json!("the document is encrypted");
            }
            json!({
                "id": ID,
                "workflow_id": "wf_01JQ8Z",
                "workflow_version_id": "ver_9c1d2e",
                "trigger": {"type": "api"},
                "lifecycle": lifecycle,
                "timing": {
                    "created_at": "2026-08-20T09:15:02Z",
                    "started_at": "2026-08-20T09:15:03Z",
                    "completed_at": null
                }
            })
        },
        wait: |base, clock, policy| {
            Box::pin(async move { waited(client(base, clock).wait_for_run(ID, policy).await) })
        },
        watch: |base, clock, policy| Box::pin(watched(client(base, clock).watch_run(ID, policy))),
    }
}

fn hardwire() -> Api {
    use hardwire_client::Client;
    const CHAT: &str = "550e8400-e29b-41d4-a716-446655440000";
    const ID: &str = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
    fn client(base: String, clock: ManualClock) -> Client {
        Client::builder()
            .base_url(base)
            .session_cookie("session")
            .clock(Arc::new(clock))
            .build()
            .unwrap()
    }
    fn chat() -> uuid::Uuid {
        CHAT.parse().unwrap()
    }
    Api {
        queued: None,
        running: "RUNNING",
        // HardWire's runs have no status for waiting on a person.
        waiting: None,
        succeeded: "PASSED",
        failed: "FAILED",
        poll_path: "/api/chats/550e8400-e29b-41d4-a716-446655440000/workflow-runs",
        answer: |status| {
            // The run watched, and another run of the chat listed before it.
            json!({"workflowRuns": [
                {
                    "id": "00000000-0000-4000-8000-000000000000",
                    "status": "PASSED",
                    "startedAt": "2026-03-06T20:00:00Z",
                    "completedAt": "2026-03-06T20:01:00Z",
                    "triggerMessageId": null,
                    "steps": []
                },
                {
                    "id": ID,
                    "status": status,
                    "startedAt": "2026-03-06T21:00:00Z",
                    "completedAt": null,
                    "triggerMessageId": null,
                    "steps": []
                }
            ]})
        },
        wait: |base, clock, policy| {
            Box::pin(
                async move { waited(client(base, clock).wait_for_run(chat(), ID, policy).await) },
            )
        },
        watch: |base, clock, policy| {
            Box::pin(watched(client(base, clock).watch_run(chat(), ID, policy)))
        },
    }
}

#[tokio::test]
async fn tamtam_runs_are_waited_for_and_watched() {
    all_scenarios(&tamtam()).await;
}

#[tokio::test]
async fn juo_runs_are_waited_for_and_watched() {
    all_scenarios(&juo()).await;
}

#[tokio::test]
async fn dify_runs_are_waited_for_and_watched() {
    all_scenarios(&dify()).await;
}

#[tokio::test]
async fn retab_runs_are_waited_for_and_watched() {
    all_scenarios(&retab()).await;
}

#[tokio::test]
async fn hardwire_runs_are_waited_for_and_watched() {
    all_scenarios(&hardwire()).await;
}

// ---------------------------------------------------------------------------------------------
// What each API's run says beyond its status
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn each_run_type_gives_its_id_and_times() {
    let at = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let cases = [
        (
            tamtam(),
            Some("b3c6f5e2-1234-4abc-9def-0123456789ab"),
            Some(at("2026-04-07T09:00:00Z")),
            None,
        ),
        (
            juo(),
            Some("0f8fad5b-d9cb-469f-a165-70867728950e"),
            None,
            None,
        ),
        (
            dify(),
            Some("fb47b2e6-5e43-4f90-be01-d5c5a088d156"),
            Some(at("2024-01-16T12:20:29Z")),
            Some(at("2024-01-16T12:20:30Z")),
        ),
        (
            retab(),
            Some("run_01JQ8ZK2V3T5W7Y9"),
            Some(at("2026-08-20T09:15:03Z")),
            None,
        ),
        (
            hardwire(),
            Some("1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5"),
            Some(at("2026-03-06T21:00:00Z")),
            None,
        ),
    ];
    for (api, id, started, finished) in cases {
        let server = scripted(&api, &[api.succeeded]).await;
        let run = (api.wait)(base(&server), ManualClock::default(), policy())
            .await
            .unwrap();
        assert_eq!(run.id.as_deref(), id, "{}", api.poll_path);
        assert_eq!(run.started, started, "{}", api.poll_path);
        assert_eq!(run.finished, finished, "{}", api.poll_path);
    }
}

// ---------------------------------------------------------------------------------------------
// Polling through throttling and failures
// ---------------------------------------------------------------------------------------------

/// A 429 asking for longer than a call's retry policy allows ends that call, but the wait
/// honours it: it polls again after the 20 s the server asked for, within its deadline.
#[tokio::test]
async fn a_wait_honours_retry_after_on_429_and_503() {
    let api = retab();
    let server = MockServer::start().await;
    for (status, after) in [(429, "20"), (503, "12")] {
        Mock::given(path(api.poll_path))
            .respond_with(ResponseTemplate::new(status).insert_header("retry-after", after))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(path(api.poll_path))
        .respond_with(ResponseTemplate::new(200).set_body_json((api.answer)("completed")))
        .mount(&server)
        .await;
    let clock = ManualClock::default();

    let run = (api.wait)(base(&server), clock.clone(), policy())
        .await
        .unwrap();

    assert_eq!(run.status, RunStatus::Succeeded);
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(20), Duration::from_secs(12)]
    );
}

/// A failure a retry would not mend ends the wait at once, keeping the last run seen.
#[tokio::test]
async fn a_wait_stops_at_an_error_that_will_not_pass() {
    let api = dify();
    let server = MockServer::start().await;
    Mock::given(path(api.poll_path))
        .respond_with(ResponseTemplate::new(200).set_body_json((api.answer)("running")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path(api.poll_path))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": "unauthorized"})))
        .mount(&server)
        .await;

    let stop = (api.wait)(base(&server), ManualClock::default(), policy())
        .await
        .unwrap_err();

    assert_eq!(stop.case, "failed");
    assert_eq!(stop.last.unwrap().status, RunStatus::Running);
    assert!(stop.message.contains("401"), "{}", stop.message);
    assert_eq!(polls(&server, &api).await, 2);
}

/// HardWire's list without the run: the wait says which id it could not find.
#[tokio::test]
async fn a_list_without_the_run_is_not_found() {
    let api = hardwire();
    let server = MockServer::start().await;
    Mock::given(path(api.poll_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"workflowRuns": []})))
        .mount(&server)
        .await;

    let stop = (api.wait)(base(&server), ManualClock::default(), policy())
        .await
        .unwrap_err();

    assert_eq!(stop.case, "not found");
    assert_eq!(
        stop.message,
        "the answer holds no run with id \"1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5\""
    );
}

/// A server down for the whole wait: the deadline error says why the polls failed.
#[tokio::test]
async fn a_server_down_for_the_whole_wait_ends_at_the_deadline_saying_why() {
    let api = tamtam();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let short = WaitPolicy::new(Duration::from_secs(30))
        .interval(Duration::from_secs(10))
        .backoff(1.0);

    let stop = (api.wait)(
        format!("http://127.0.0.1:{port}"),
        ManualClock::default(),
        short,
    )
    .await
    .unwrap_err();

    assert_eq!(stop.case, "deadline");
    assert_eq!(stop.last, None);
    assert!(
        stop.message
            .starts_with("the run did not end within its 30s deadline (never seen after "),
        "{}",
        stop.message
    );
    assert!(
        stop.message
            .contains("; the last poll failed: GET /v1/user-workflow-runs/{UserWorkflowRunID}: "),
        "{}",
        stop.message
    );
    assert!(
        stop.message.contains("Connection refused"),
        "{}",
        stop.message
    );
}
