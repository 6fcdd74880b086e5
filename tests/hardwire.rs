//! Behaviour of the generated `hardwire-client` against a real HTTP server on 127.0.0.1, with
//! answers shaped the way HardWire's server shapes them (`server-behaviour.md`), and the docs
//! page's own example.

use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, Duration, TimeZone, Utc};
use hardwire_client::types::{
    ErrorCode, ErrorResponse, WorkflowRunList, WorkflowRunStatus, WorkflowStepStatus,
};
use hardwire_client::{Client, Error, ErrorBody};
use serde_json::{Value, json};
use uuid::Uuid;

/// A Better Auth session token exactly as the sign-in's `Set-Cookie` gives it:
/// `<token>.<signature>`, the signature already percent-encoded.
const SESSION: &str = "Xk9sQ2vT7pLmN4rW.aBcD3fGh%2BiJkL%3D";

const CHAT_ID: &str = "550e8400-e29b-41d4-a716-446655440000";

fn chat() -> Uuid {
    Uuid::parse_str(CHAT_ID).unwrap()
}

/// The example response of HardWire's "Get Workflow Runs" page, verbatim: a `data` envelope and
/// lower-case statuses, which the server never sends.
const PAGE_EXAMPLE: &str = r#"{
  "data": {
    "workflowRuns": [
      {
        "id": "run-uuid-1",
        "chatId": "550e8400-e29b-41d4-a716-446655440000",
        "workflowId": "workflow-uuid-1",
        "status": "completed",
        "startedAt": "2024-02-04T12:00:00.000Z",
        "completedAt": "2024-02-04T12:01:30.000Z",
        "steps": [
          {
            "id": "step-1",
            "status": "completed",
            "startedAt": "2024-02-04T12:00:00.000Z",
            "completedAt": "2024-02-04T12:00:45.000Z"
          }
        ]
      }
    ]
  }
}"#;

/// A run as the server sends it: a finished one, with every step field, nulls, free-form logs
/// and tool calls, and times with an offset and microseconds.
fn passed_run() -> Value {
    json!({
        "id": "8f14e45f-ceea-4e7a-9b0b-3c2f1a7d9e01",
        "status": "PASSED",
        "startedAt": "2026-03-06T20:41:12.482913+00:00",
        "completedAt": "2026-03-06T20:41:58.100004+00:00",
        "triggerMessageId": "0b7e6a52-91c4-4f0e-8d7a-2f4c1e9b3a55",
        "steps": [
            {
                "id": "step_1",
                "stepId": "step_1",
                "name": "Search the web",
                "status": "PASSED",
                "output": "Three sources found.",
                "error": null,
                "logs": {
                    "toolExecutions": [{"tool": "web_search", "durationMs": 812, "ok": true}],
                    "summary": "searched",
                    "evaluation": {"score": 0.93, "passed": true}
                },
                "toolCalls": [
                    {"id": "call_1", "name": "web_search", "args": {"q": "rust"}, "result": {"hits": 3}}
                ],
                "startedAt": "2026-03-06T20:41:12.500000+00:00",
                "completedAt": "2026-03-06T20:41:30.250117+00:00"
            },
            {
                "id": "step_2",
                "stepId": "step_2",
                "name": "Write the answer",
                "status": "PASSED",
                "output": "Here is what I found.",
                "error": null,
                "logs": null,
                "toolCalls": null,
                "startedAt": "2026-03-06T20:41:30.300000+00:00",
                "completedAt": "2026-03-06T20:41:58.000001+00:00"
            }
        ]
    })
}

/// A run in progress: no end yet, a step running and one queued behind it.
fn running_run() -> Value {
    json!({
        "id": "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5",
        "status": "RUNNING",
        "startedAt": "2026-03-06T21:00:00.000001+00:00",
        "completedAt": null,
        "triggerMessageId": "2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6",
        "steps": [
            {
                "id": "step_1", "stepId": "step_1", "name": "Plan", "status": "RUNNING",
                "output": null, "error": null, "logs": null, "toolCalls": null,
                "startedAt": "2026-03-06T21:00:00.100000+00:00", "completedAt": null
            },
            {
                "id": "step_2", "stepId": "step_2", "name": "Act", "status": "QUEUED",
                "output": null, "error": null, "logs": null, "toolCalls": null,
                "startedAt": null, "completedAt": null
            }
        ]
    })
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn client(server: &wiremock::MockServer) -> Client {
    Client::builder()
        .base_url(base(server))
        .session_cookie(SESSION)
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .build()
        .expect("client builds")
}

async fn fetch(body: &Value) -> WorkflowRunList {
    let server = answering_json(200, body).await;
    client(&server)
        .list_chat_workflow_runs(chat())
        .await
        .expect("the answer decodes")
}

async fn fetch_err(status: u16, content_type: &str, body: &str) -> Error {
    let server = answering(status, content_type, body).await;
    let err = client(&server)
        .list_chat_workflow_runs(chat())
        .retry_policy(apigen_runtime::RetryPolicy::none())
        .await
        .expect_err("the call fails");
    let _ = only_request(&server).await;
    err
}

// ---------------------------------------------------------------------------------------------
// The request: path, cookie names
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_request_carries_the_production_session_cookie_by_default() {
    let server = answering_json(200, &json!({"workflowRuns": []})).await;

    client(&server)
        .list_chat_workflow_runs(chat())
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        format!("/api/chats/{CHAT_ID}/workflow-runs")
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    // The token goes out exactly as the server set it: its `%2B` and `%3D` are not encoded again.
    assert_eq!(
        header(&request, "cookie"),
        Some("__Secure-better-auth.session_token=Xk9sQ2vT7pLmN4rW.aBcD3fGh%2BiJkL%3D")
    );
    assert_eq!(header(&request, "authorization"), None);
}

#[tokio::test]
async fn a_development_server_gets_the_cookie_without_the_secure_prefix() {
    let server = answering_json(200, &json!({"workflowRuns": []})).await;
    let client = Client::builder()
        .base_url(base(&server))
        .dev_session_cookie(SESSION)
        .build()
        .unwrap();

    client.list_chat_workflow_runs(chat()).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "cookie"),
        Some("better-auth.session_token=Xk9sQ2vT7pLmN4rW.aBcD3fGh%2BiJkL%3D")
    );
}

#[tokio::test]
async fn with_both_cookies_set_the_production_one_is_sent_and_without_any_none_is() {
    let server = answering_json(200, &json!({"workflowRuns": []})).await;
    let both = Client::builder()
        .base_url(base(&server))
        .dev_session_cookie("dev-token")
        .session_cookie("prod-token")
        .build()
        .unwrap();
    both.list_chat_workflow_runs(chat()).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "cookie"),
        Some("__Secure-better-auth.session_token=prod-token")
    );

    let server = answering_json(200, &json!({"workflowRuns": []})).await;
    Client::new(&base(&server))
        .list_chat_workflow_runs(chat())
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(header(&request, "cookie"), None);
}

#[test]
fn the_default_server_is_the_local_one_the_pages_show() {
    assert_eq!(Client::DEFAULT_BASE_URL, "http://localhost:3026");
}

// ---------------------------------------------------------------------------------------------
// What the server sends
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_servers_answer_without_an_envelope_decodes_every_field() {
    let list = fetch(&json!({"workflowRuns": [passed_run(), running_run()]})).await;

    assert_eq!(list.workflow_runs.len(), 2);
    let run = &list.workflow_runs[0];
    assert_eq!(run.id, "8f14e45f-ceea-4e7a-9b0b-3c2f1a7d9e01");
    assert_eq!(run.status, WorkflowRunStatus::Passed);
    assert_eq!(
        run.started_at,
        Utc.with_ymd_and_hms(2026, 3, 6, 20, 41, 12).unwrap() + Duration::microseconds(482_913)
    );
    assert_eq!(
        run.completed_at,
        Some(at("2026-03-06T20:41:58.100004+00:00"))
    );
    assert_eq!(
        run.trigger_message_id.as_deref(),
        Some("0b7e6a52-91c4-4f0e-8d7a-2f4c1e9b3a55")
    );
    assert_eq!(run.chat_id, None, "the server does not send chatId");
    assert_eq!(run.workflow_id, None, "the server does not send workflowId");

    let first = &run.steps[0];
    assert_eq!(first.id, "step_1");
    assert_eq!(first.step_id.as_deref(), Some("step_1"));
    assert_eq!(first.name.as_deref(), Some("Search the web"));
    assert_eq!(first.status, WorkflowStepStatus::Passed);
    assert_eq!(first.output.as_deref(), Some("Three sources found."));
    assert_eq!(first.error, None);
    let logs = first.logs.as_ref().expect("logs");
    assert_eq!(logs["summary"], json!("searched"));
    assert_eq!(logs["evaluation"]["score"], json!(0.93));
    let calls = first.tool_calls.as_ref().expect("tool calls");
    assert_eq!(calls[0]["args"], json!({"q": "rust"}));
    assert_eq!(first.started_at, Some(at("2026-03-06T20:41:12.5+00:00")));
    let second = &run.steps[1];
    assert_eq!(second.logs, None);
    assert_eq!(second.tool_calls, None);

    let running = &list.workflow_runs[1];
    assert_eq!(running.status, WorkflowRunStatus::Running);
    assert_eq!(running.completed_at, None);
    assert_eq!(running.steps[0].status, WorkflowStepStatus::Running);
    assert_eq!(running.steps[1].status, WorkflowStepStatus::Queued);
    assert_eq!(running.steps[1].started_at, None);
}

#[tokio::test]
async fn every_run_and_step_status_decodes_to_its_variant() {
    let mut runs = Vec::new();
    for status in ["RUNNING", "PASSED", "FAILED", "CANCELLED"] {
        let mut run = passed_run();
        run["status"] = json!(status);
        runs.push(run);
    }
    let mut steps_run = running_run();
    let mut steps = Vec::new();
    for status in ["QUEUED", "RUNNING", "PASSED", "FAILED", "CANCELLED"] {
        let mut step = steps_run["steps"][0].clone();
        step["status"] = json!(status);
        if status == "FAILED" {
            step["error"] = json!("The tool timed out.");
        }
        steps.push(step);
    }
    steps_run["steps"] = json!(steps);
    runs.push(steps_run);

    let list = fetch(&json!({ "workflowRuns": runs })).await;
    let statuses: Vec<WorkflowRunStatus> = list
        .workflow_runs
        .iter()
        .map(|r| r.status.clone())
        .collect();
    assert_eq!(
        statuses,
        [
            WorkflowRunStatus::Running,
            WorkflowRunStatus::Passed,
            WorkflowRunStatus::Failed,
            WorkflowRunStatus::Cancelled,
            WorkflowRunStatus::Running,
        ]
    );
    let step_statuses: Vec<WorkflowStepStatus> = list.workflow_runs[4]
        .steps
        .iter()
        .map(|s| s.status.clone())
        .collect();
    assert_eq!(
        step_statuses,
        [
            WorkflowStepStatus::Queued,
            WorkflowStepStatus::Running,
            WorkflowStepStatus::Passed,
            WorkflowStepStatus::Failed,
            WorkflowStepStatus::Cancelled,
        ]
    );
    assert_eq!(
        list.workflow_runs[4].steps[3].error.as_deref(),
        Some("The tool timed out.")
    );
}

#[tokio::test]
async fn a_chat_without_runs_is_an_empty_list() {
    let list = fetch(&json!({"workflowRuns": []})).await;
    assert!(list.workflow_runs.is_empty());
}

#[tokio::test]
async fn new_fields_and_new_statuses_do_not_break_decoding() {
    let mut run = passed_run();
    run["status"] = json!("PAUSED");
    run["costUsd"] = json!(0.0123);
    run["steps"][0]["status"] = json!("SKIPPED");
    run["steps"][0]["retries"] = json!({"count": 2, "last": {"at": "x"}});
    let list = fetch(&json!({"workflowRuns": [run], "nextCursor": null})).await;

    let run = &list.workflow_runs[0];
    assert_eq!(run.status, WorkflowRunStatus::Unknown("PAUSED".into()));
    assert_eq!(run.status.as_str(), "PAUSED");
    assert_eq!(
        run.steps[0].status,
        WorkflowStepStatus::Unknown("SKIPPED".into())
    );
    // Written back, an unknown status is the value that came.
    assert_eq!(
        serde_json::to_value(run).unwrap()["status"],
        json!("PAUSED")
    );
}

// ---------------------------------------------------------------------------------------------
// What the page shows
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_pages_example_with_its_envelope_and_lower_case_statuses_decodes() {
    let server = answering(200, "application/json", PAGE_EXAMPLE).await;
    let list = client(&server)
        .list_chat_workflow_runs(chat())
        .await
        .expect("the page's example decodes");

    assert_eq!(list.workflow_runs.len(), 1);
    let run = &list.workflow_runs[0];
    assert_eq!(run.id, "run-uuid-1");
    assert_eq!(run.chat_id.as_deref(), Some(CHAT_ID));
    assert_eq!(run.workflow_id.as_deref(), Some("workflow-uuid-1"));
    assert_eq!(run.status, WorkflowRunStatus::Unknown("completed".into()));
    assert_eq!(run.started_at, at("2024-02-04T12:00:00Z"));
    assert_eq!(run.completed_at, Some(at("2024-02-04T12:01:30Z")));
    assert_eq!(run.trigger_message_id, None);
    let step = &run.steps[0];
    assert_eq!(step.id, "step-1");
    assert_eq!(step.status, WorkflowStepStatus::Unknown("completed".into()));
    assert_eq!(step.completed_at, Some(at("2024-02-04T12:00:45Z")));
    assert_eq!(step.name, None);
}

#[tokio::test]
async fn both_shapes_give_the_same_list() {
    let bare = fetch(&json!({"workflowRuns": [passed_run()]})).await;
    let enveloped = fetch(&json!({"data": {"workflowRuns": [passed_run()]}})).await;
    assert_eq!(bare, enveloped);
}

// ---------------------------------------------------------------------------------------------
// Errors: the server's serialized error object
// ---------------------------------------------------------------------------------------------

fn server_error(status: u16, code: &str, message: &str) -> Value {
    json!({
        "message": message,
        "clientMessage": "Something went wrong. Please try again.",
        "code": code,
        "requestId": "req_01HV6Z3K9Q",
        "statusCode": status
    })
}

#[tokio::test]
async fn each_error_status_decodes_into_the_servers_error_object() {
    let cases = [
        (401, "UNAUTHORIZED", ErrorCode::Unauthorized, "Unauthorized"),
        (
            403,
            "CHAT_ACCESS_DENIED",
            ErrorCode::ChatAccessDenied,
            "You do not have access to this chat",
        ),
        (
            404,
            "CHAT_NOT_FOUND",
            ErrorCode::ChatNotFound,
            "Chat not found",
        ),
        (
            500,
            "GET_CHAT_FAILED",
            ErrorCode::Unknown("GET_CHAT_FAILED".into()),
            "Failed to get chat",
        ),
    ];
    for (status, code, expected_code, message) in cases {
        let body = server_error(status, code, message).to_string();
        let err = fetch_err(status, "application/json", &body).await;

        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}");
        };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.raw, body);
        let ErrorBody::ErrorResponse(error) = &api.body;
        assert_eq!(
            error,
            &ErrorResponse {
                message: message.into(),
                client_message: Some("Something went wrong. Please try again.".into()),
                code: Some(expected_code),
                request_id: Some("req_01HV6Z3K9Q".into()),
                status_code: Some(i64::from(status)),
                retry_after: None,
            }
        );
        assert!(!err.to_string().contains(SESSION), "{err}");
    }
}

#[tokio::test]
async fn a_429_says_when_to_retry_and_a_missing_request_id_is_fine() {
    let body = json!({
        "message": "Too many requests",
        "clientMessage": "You're doing that too often. Please wait a minute.",
        "code": "RATE_LIMIT_EXCEEDED",
        "statusCode": 429,
        "retryAfter": 42
    })
    .to_string();
    let err = fetch_err(429, "application/json", &body).await;

    let Some(ErrorBody::ErrorResponse(error)) = err.api_body() else {
        panic!("expected the error object, got {err:?}");
    };
    assert_eq!(error.code, Some(ErrorCode::RateLimitExceeded));
    assert_eq!(error.retry_after, Some(42));
    assert_eq!(error.request_id, None);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
}

#[tokio::test]
async fn the_pages_error_body_still_decodes_with_its_message() {
    let body = r#"{"error": "Unauthorized", "message": "Valid session required"}"#;
    let err = fetch_err(401, "application/json", body).await;
    let Some(ErrorBody::ErrorResponse(error)) = err.api_body() else {
        panic!("expected the error object, got {err:?}");
    };
    assert_eq!(error.message, "Valid session required");
    assert_eq!(error.code, None);
}

#[tokio::test]
async fn an_html_error_from_a_proxy_keeps_status_and_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = fetch_err(502, "text/html", html).await;
    match &err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(body, html);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// A body that does not match says where
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_mismatch_is_a_decode_error_naming_its_place() {
    let mut run = passed_run();
    run["steps"][1]["startedAt"] = json!("yesterday");
    let body = json!({"workflowRuns": [passed_run(), run]}).to_string();
    let err = fetch_err(200, "application/json", &body).await;
    match &err {
        Error::Decode {
            status,
            body: kept,
            path,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(kept, &body);
            assert_eq!(path, "workflowRuns[1].steps[1].startedAt");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("did not match its documented type at `workflowRuns[1].steps[1].startedAt`"),
        "{err}"
    );

    // Inside the page's envelope, the path starts at `data`.
    let body = json!({"data": {"workflowRuns": [{"id": 7}]}}).to_string();
    let err = fetch_err(200, "application/json", &body).await;
    assert_eq!(err.decode_path(), Some("data.workflowRuns[0].id"), "{err}");

    // A run without its status.
    let mut run = passed_run();
    run.as_object_mut().unwrap().remove("status");
    let body = json!({ "workflowRuns": [run] }).to_string();
    let err = fetch_err(200, "application/json", &body).await;
    assert_eq!(err.decode_path(), Some("workflowRuns[0]"), "{err}");
    assert!(err.to_string().contains("missing field `status`"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_session_never_shows_in_debug_or_errors() {
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .session_cookie(SESSION)
        .dev_session_cookie(SESSION);
    assert!(!format!("{builder:?}").contains("Xk9sQ2vT7pLmN4rW"));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("Xk9sQ2vT7pLmN4rW"));

    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .session_cookie(SESSION)
        .build()
        .unwrap();
    let err = client.list_chat_workflow_runs(chat()).await.unwrap_err();
    assert!(matches!(&err, Error::Transport { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("Xk9sQ2vT7pLmN4rW"), "{text}");
    }
}
