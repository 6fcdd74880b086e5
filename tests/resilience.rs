//! How generated clients retry, wait, time out and report, against local servers: backoff and
//! `Retry-After` seen through an injected clock, idempotency, the retry budget, timeouts, per-call
//! options and response metadata.

use apigen_runtime::{Clock, ManualClock, RetryPolicy, Sleep, Stop};
use apigen_tests::wiremock::matchers::{any, method};
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use apigen_tests::{answering, base, header};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};
use tamtam_client::{Client, Error};

const RUN_ID: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";

fn run_body() -> Value {
    json!({
        "Run": {
            "ID": RUN_ID,
            "AccountID": "d5e8f7a4-6789-4cde-bf01-234567890abc",
            "UserEmail": "elliot@tamtam.ai",
            "CreatedAt": "2026-04-07T09:00:00Z",
            "UpdatedAt": "2026-04-07T09:05:00Z"
        },
        "Status": "RUNNING",
        "Steps": []
    })
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(run_body())
}

fn client_at(base_url: String, clock: impl Clock) -> Client {
    Client::builder()
        .base_url(base_url)
        .apikey_auth("tt-key")
        .clock(Arc::new(clock))
        .build()
        .unwrap()
}

fn client(server: &MockServer, clock: &ManualClock) -> Client {
    client_at(base(server), clock.clone())
}

/// A server that answers `first` once per entry, in order, then `then` from there on.
async fn answering_in_turn(first: Vec<ResponseTemplate>, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    for response in first {
        Mock::given(any())
            .respond_with(response)
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

// ---------------------------------------------------------------------------------------------
// Retries and the waits before them
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_503_then_200_succeeds_after_one_jittered_backoff() {
    let server = answering_in_turn(vec![ResponseTemplate::new(503)], ok()).await;
    let clock = ManualClock::default();

    let answer = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .send_with_meta()
        .await
        .unwrap();

    assert_eq!(answer.value.run.id, RUN_ID);
    assert_eq!(answer.meta.attempts, 2);
    assert_eq!(requests(&server).await, 2);
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1);
    // Half a second, less up to a quarter of jitter.
    assert!((secs(0.375)..=secs(0.5)).contains(&sleeps[0]), "{sleeps:?}");
}

#[tokio::test]
async fn backoff_doubles_up_to_the_cap() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    let policy = RetryPolicy::default()
        .max_retries(6)
        .initial_delay(secs(1.0))
        .max_delay(secs(8.0))
        .jitter(0.0);

    let err = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .retry_policy(policy)
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(
        clock.sleeps(),
        [1.0, 2.0, 4.0, 8.0, 8.0, 8.0].map(secs).to_vec()
    );
    assert_eq!(requests(&server).await, 7);
    assert_eq!(err.attempts().unwrap().count(), 7);
}

/// One throttled answer, then success: the wait before the retry is the one the server asked for.
async fn wait_asked_by(throttled: ResponseTemplate) -> Vec<Duration> {
    let server = answering_in_turn(vec![throttled], ok()).await;
    let clock = ManualClock::default();
    client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap();
    assert_eq!(requests(&server).await, 2);
    clock.sleeps()
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_waits_that_long() {
    let throttled = ResponseTemplate::new(429).insert_header("Retry-After", "1");
    assert_eq!(wait_asked_by(throttled).await, [secs(1.0)]);
}

#[tokio::test]
async fn a_429_with_an_http_date_waits_until_that_date() {
    // The manual clock's wall time starts at 2026-01-01T00:00:00Z, a Thursday.
    let throttled =
        ResponseTemplate::new(429).insert_header("Retry-After", "Thu, 01 Jan 2026 00:00:03 GMT");
    assert_eq!(wait_asked_by(throttled).await, [secs(3.0)]);
}

#[tokio::test]
async fn retry_after_ms_is_preferred_to_retry_after() {
    let throttled = ResponseTemplate::new(503)
        .insert_header("retry-after-ms", "1250")
        .insert_header("Retry-After", "2");
    assert_eq!(wait_asked_by(throttled).await, [secs(1.25)]);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_policy_allows_is_returned_not_waited_for() {
    let throttled = ResponseTemplate::new(429)
        .insert_header("Retry-After", "30")
        .insert_header("x-request-id", "req_7Hq2")
        .set_body_raw("slow down", "text/plain");
    let server = answering_in_turn(vec![throttled], ok()).await;
    let clock = ManualClock::default();

    let err = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();

    assert!(clock.sleeps().is_empty());
    assert_eq!(requests(&server).await, 1);
    assert_eq!(err.retry_after(), Some(secs(30.0)));
    assert_eq!(err.request_id(), Some("req_7Hq2"));
    assert_eq!(
        err.attempts().unwrap().stop,
        Some(Stop::RetryAfterTooLong {
            requested: secs(30.0),
            allowed: secs(8.0)
        })
    );
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "unexpected status 429 Too Many Requests (text/plain): slow down (not retried: the server \
         asks to wait 30s, longer than the policy allows (8s))"
    );
}

#[tokio::test]
async fn the_last_error_says_how_many_attempts_were_made_and_why_each_failed() {
    let server = answering_in_turn(
        vec![
            ResponseTemplate::new(503),
            ResponseTemplate::new(429).insert_header("Retry-After", "2"),
        ],
        ResponseTemplate::new(500).set_body_raw("boom", "text/plain"),
    )
    .await;
    let clock = ManualClock::default();

    let err = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .retry_policy(RetryPolicy::default().jitter(0.0))
        .await
        .unwrap_err();

    let attempts = err.attempts().unwrap();
    assert_eq!(attempts.count(), 3);
    assert_eq!(attempts.failed[0].cause, "503 Service Unavailable");
    assert_eq!(attempts.failed[0].waited, secs(0.5));
    assert_eq!(attempts.failed[1].cause, "429 Too Many Requests");
    assert_eq!(attempts.failed[1].waited, secs(2.0));
    assert_eq!(attempts.stop, Some(Stop::RetriesExhausted));
    assert_eq!(
        err.to_string(),
        "unexpected status 500 Internal Server Error (text/plain): boom (after 3 attempts: #1 503 \
         Service Unavailable, retried after 0.5s; #2 429 Too Many Requests, retried after 2s; #3 \
         this)"
    );
}

#[tokio::test]
async fn statuses_a_retry_cannot_mend_are_not_retried() {
    for status in [400, 401, 403, 404, 409, 422, 501] {
        let server = answering(status, "text/plain", "no").await;
        let clock = ManualClock::default();
        let err = client(&server, &clock)
            .get_user_workflow_run(RUN_ID)
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(requests(&server).await, 1, "{status}");
        assert!(clock.sleeps().is_empty());
    }
}

/// A clock that starts the server on the port the client was refused at, the first time the
/// client waits to retry.
#[derive(Clone)]
struct StartsServerOnSleep {
    clock: ManualClock,
    port: u16,
    server: Arc<Mutex<Option<MockServer>>>,
}

impl std::fmt::Debug for StartsServerOnSleep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartsServerOnSleep")
            .field("port", &self.port)
            .finish()
    }
}

impl Clock for StartsServerOnSleep {
    fn now(&self) -> Instant {
        self.clock.now()
    }

    fn system_now(&self) -> SystemTime {
        self.clock.system_now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let recorded = self.clock.sleep(duration);
        let (port, slot) = (self.port, Arc::clone(&self.server));
        Box::pin(async move {
            recorded.await;
            if slot.lock().unwrap().is_some() {
                return;
            }
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
            let server = MockServer::builder().listener(listener).start().await;
            Mock::given(any()).respond_with(ok()).mount(&server).await;
            *slot.lock().unwrap() = Some(server);
        })
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_then_succeeds() {
    // A port nothing listens on, until the client first waits to retry.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = StartsServerOnSleep {
        clock: ManualClock::default(),
        port,
        server: Arc::default(),
    };

    let answer = client_at(format!("http://127.0.0.1:{port}"), clock.clone())
        .get_user_workflow_run(RUN_ID)
        .send_with_meta()
        .await
        .unwrap();

    assert_eq!(answer.value.run.id, RUN_ID);
    assert_eq!(answer.meta.attempts, 2);
    assert_eq!(clock.clock.sleeps().len(), 1);
    let server = clock.server.lock().unwrap().take().unwrap();
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_refused_connection_that_stays_refused_is_a_transport_error_naming_the_attempts() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = ManualClock::default();

    let err = client_at(format!("http://127.0.0.1:{port}"), clock.clone())
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();

    let Error::Transport { path, attempts, .. } = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert_eq!(path, "/v1/user-workflow-runs/{UserWorkflowRunID}");
    assert_eq!(attempts.count(), 3);
    assert_eq!(clock.sleeps().len(), 2);
    assert!(err.is_transient());
    let text = err.to_string();
    assert!(
        text.starts_with("GET /v1/user-workflow-runs/{UserWorkflowRunID}: "),
        "{text}"
    );
    assert!(text.contains("after 3 attempts"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Requests that are not idempotent
// ---------------------------------------------------------------------------------------------

fn retab(server: &MockServer, clock: &ManualClock) -> retab_client::Client {
    retab_client::Client::builder()
        .base_url(base(server))
        .api_key("sk_retab")
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap()
}

fn new_run() -> retab_client::types::CreateWorkflowRunRequest {
    retab_client::types::CreateWorkflowRunRequest::new("wf_1")
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(json!({
        "id": "run_1",
        "workflow_id": "wf_1",
        "workflow_version_id": "ver_1",
        "trigger": {"type": "api"},
        "lifecycle": {"status": "pending"},
        "timing": {"created_at": "2026-08-20T09:15:02Z"}
    }))
}

#[tokio::test]
async fn a_post_is_not_retried() {
    let server = answering_in_turn(vec![ResponseTemplate::new(503)], created()).await;
    let clock = ManualClock::default();

    let err = retab(&server, &clock)
        .create_workflow_run(new_run())
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 1);
    assert_eq!(err.attempts().unwrap().stop, Some(Stop::NotIdempotent));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_is_retried_with_the_same_key() {
    let server = answering_in_turn(
        vec![ResponseTemplate::new(503), ResponseTemplate::new(500)],
        created(),
    )
    .await;
    let clock = ManualClock::default();

    let run = retab(&server, &clock)
        .create_workflow_run(new_run())
        .idempotency_key("create-wf_1-7f3a")
        .await
        .unwrap();

    assert_eq!(run.id, "run_1");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(header(request, "idempotency-key"), Some("create-wf_1-7f3a"));
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["workflow_id"], "wf_1");
    }
}

#[tokio::test]
async fn a_post_is_retried_when_the_caller_opts_in() {
    let server = answering_in_turn(vec![ResponseTemplate::new(502)], created()).await;
    let clock = ManualClock::default();

    retab(&server, &clock)
        .create_workflow_run(new_run())
        .retry_policy(RetryPolicy::default().retry_non_idempotent(true))
        .await
        .unwrap();

    assert_eq!(requests(&server).await, 2);
    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[1], "idempotency-key"), None);
}

// ---------------------------------------------------------------------------------------------
// The retry budget
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_exhausted_budget_stops_retries_for_every_clone() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let clock = ManualClock::default();
    // Room for one retry (each costs 5).
    let first = Client::builder()
        .base_url(base(&server))
        .clock(Arc::new(clock.clone()))
        .retry_budget(5)
        .build()
        .unwrap();
    let second = first.clone();

    let err = first.get_user_workflow_run(RUN_ID).await.unwrap_err();
    assert_eq!(requests(&server).await, 2);
    assert_eq!(err.attempts().unwrap().stop, Some(Stop::BudgetExhausted));
    assert!(
        err.to_string()
            .ends_with("(not retried: the client's retry budget is spent)"),
        "{err}"
    );

    let err = second.get_user_workflow_run(RUN_ID).await.unwrap_err();
    assert_eq!(requests(&server).await, 3, "the clone made one attempt");
    assert_eq!(err.attempts().unwrap().count(), 1);
    assert_eq!(err.attempts().unwrap().stop, Some(Stop::BudgetExhausted));
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn successes_refill_the_budget() {
    let server = answering_in_turn(vec![ResponseTemplate::new(500)], ok()).await;
    let clock = ManualClock::default();
    let client = Client::builder()
        .base_url(base(&server))
        .clock(Arc::new(clock.clone()))
        .retry_budget(5)
        .build()
        .unwrap();

    // The retry takes the budget's five tokens; the success it leads to gives them back.
    client.get_user_workflow_run(RUN_ID).await.unwrap();
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ok()).mount(&server).await;

    client.get_user_workflow_run(RUN_ID).await.unwrap();
    assert_eq!(requests(&server).await, 2);
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

/// A server that accepts connections and never answers.
async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    url
}

#[tokio::test]
async fn a_server_that_never_answers_ends_in_a_timeout_at_each_attempt() {
    let url = silent_server().await;
    let clock = ManualClock::default();
    let client = Client::builder()
        .base_url(url)
        .timeout(Duration::from_millis(150))
        .clock(Arc::new(clock.clone()))
        .build()
        .unwrap();

    let err = client.get_user_workflow_run(RUN_ID).await.unwrap_err();

    let Error::Timeout {
        after, attempts, ..
    } = &err
    else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(*after, Duration::from_millis(150));
    assert_eq!(attempts.count(), 3);
    assert_eq!(clock.sleeps().len(), 2);
    assert!(err.is_transient());
    assert!(
        err.to_string().starts_with(
            "GET /v1/user-workflow-runs/{UserWorkflowRunID}: no response within 0.15s"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_clients() {
    let url = silent_server().await;
    let client = client_at(url, ManualClock::default());

    let err = client
        .get_user_workflow_run(RUN_ID)
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();

    let Error::Timeout {
        after, attempts, ..
    } = &err
    else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(*after, Duration::from_millis(100));
    assert_eq!(attempts.count(), 1);
}

#[tokio::test]
async fn the_total_deadline_bounds_retries_and_their_waits() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "4"))
        .mount(&server)
        .await;
    let clock = ManualClock::default();

    let err = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .total_timeout(Duration::from_secs(6))
        .retry_policy(RetryPolicy::default().max_retries(5))
        .await
        .unwrap_err();

    // One 4 s wait fits in 6 s; a second would pass the deadline.
    assert_eq!(clock.sleeps(), [secs(4.0)]);
    assert_eq!(requests(&server).await, 2);
    assert_eq!(err.attempts().unwrap().stop, Some(Stop::Deadline));
}

// ---------------------------------------------------------------------------------------------
// Per-call options and response metadata
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn per_call_headers_are_sent_and_a_per_call_policy_applies() {
    let server = answering_in_turn(vec![ResponseTemplate::new(503)], ok()).await;
    let clock = ManualClock::default();

    let err = client(&server, &clock)
        .get_user_workflow_run(RUN_ID)
        .header("X-Trace-Id", "trace-42")
        .header("Accept-Language", "fr")
        .retry_policy(RetryPolicy::none())
        .await
        .unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(header(&received[0], "x-trace-id"), Some("trace-42"));
    assert_eq!(header(&received[0], "accept-language"), Some("fr"));
}

#[tokio::test]
async fn a_successful_call_gives_its_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok().insert_header("x-request-id", "req_01HZX"))
        .mount(&server)
        .await;

    let answer = client(&server, &ManualClock::default())
        .get_user_workflow_run(RUN_ID)
        .send_with_meta()
        .await
        .unwrap();

    assert_eq!(answer.meta.status.as_u16(), 200);
    assert_eq!(answer.meta.request_id(), Some("req_01HZX"));
    assert_eq!(answer.meta.headers["content-type"], "application/json");
    assert_eq!(answer.meta.attempts, 1);
    assert_eq!(answer.value.status, "RUNNING");
}

#[tokio::test]
async fn errors_keep_the_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("request-id", "req_404")
                .set_body_json(json!({"title": "Not Found", "status": 404})),
        )
        .mount(&server)
        .await;

    let err = client(&server, &ManualClock::default())
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("req_404"));
    assert_eq!(err.headers().unwrap()["request-id"], "req_404");
}

#[tokio::test]
async fn a_proxys_html_502_is_an_unexpected_status_and_a_json_mismatch_is_a_decode_error() {
    let html = "<html><body>502 Bad Gateway</body></html>";
    let server = answering(502, "text/html; charset=utf-8", html).await;
    let err = client(&server, &ManualClock::default())
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &err else {
        panic!("expected UnexpectedStatus, got {err:?}");
    };
    assert_eq!(status.as_u16(), 502);
    assert_eq!(body, html);
    assert!(err.to_string().contains("(text/html)"), "{err}");

    let server = answering(200, "application/json", r#"{"Run": 7}"#).await;
    let err = client(&server, &ManualClock::default())
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.decode_path(), Some("Run"));
}
