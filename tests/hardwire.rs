//! Behaviour of the generated `hardwire-client` against a real HTTP server on 127.0.0.1.

use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, TimeZone, Utc};
use hardwire_client::types::{
    ErrorResponse, WorkflowRunStatus, WorkflowRunStep, WorkflowRunsResponse,
};
use hardwire_client::{Client, Error, ErrorBody};
use serde_json::{Value, json};

/// A Better Auth session token as a browser holds it: `<token>.<signature>`, the signature
/// already percent-encoded by the server that set it.
const SESSION: &str = "Xk9sQ2vT7pLmN4rW.aBcD3fGh%2BiJkL%3D";

const CHAT_ID: &str = "550e8400-e29b-41d4-a716-446655440000";

/// The example response of HardWire's "Get Workflow Runs" page, verbatim.
const DOC_EXAMPLE: &str = r#"{
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

/// The error body of HardWire's authentication page, verbatim.
const UNAUTHORIZED: &str = r#"{
  "error": "Unauthorized",
  "message": "Valid session required"
}"#;

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 2, 4, h, m, s).unwrap()
}

fn client_with_session(server: &wiremock::MockServer) -> Client {
    Client::builder()
        .base_url(base(server))
        .session_cookie(SESSION)
        .build()
        .expect("client builds")
}

fn runs(body: Value) -> Value {
    json!({"data": {"workflowRuns": [body]}})
}

async fn fetch(body: &Value) -> WorkflowRunsResponse {
    let server = answering_json(200, body).await;
    Client::new(&base(&server))
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect("response decodes")
}

async fn fetch_err(status: u16, content_type: &str, body: &str) -> Error {
    let server = answering(status, content_type, body).await;
    let err = client_with_session(&server)
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect_err("the call fails");
    let _ = only_request(&server).await;
    err
}

fn expect_api_error(err: &Error, want_status: u16) -> &ErrorResponse {
    match err {
        Error::Api(api) => {
            assert_eq!(api.status.as_u16(), want_status);
            match &api.body {
                ErrorBody::ErrorResponse(body) => body,
            }
        }
        other => panic!("expected Api error with status {want_status}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_has_method_encoded_path_accept_cookie_and_user_agent() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = client_with_session(&server);

    let response = client
        .list_chat_workflow_runs("a b/../c")
        .await
        .expect("decodes");
    assert_eq!(response.data.workflow_runs.len(), 1);

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        "/api/chats/a%20b%2F..%2Fc/workflow-runs"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(
        header(&request, "cookie"),
        Some(format!("better-auth.session_token={SESSION}").as_str())
    );
    assert_eq!(request.headers.get_all("cookie").iter().count(), 1);
    assert_eq!(header(&request, "authorization"), None);
    let agent = header(&request, "user-agent").expect("a User-Agent");
    assert!(agent.starts_with("hardwire-client/"), "{agent}");
}

#[tokio::test]
async fn without_credentials_no_cookie_is_sent() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    Client::new(&base(&server))
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/api/chats/550e8400-e29b-41d4-a716-446655440000/workflow-runs"
    );
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").expect("a User-Agent");
    assert!(agent.starts_with("hardwire-client/"), "{agent}");
}

#[tokio::test]
async fn invalid_chat_ids_are_refused_before_sending() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = client_with_session(&server);
    for bad in ["", ".", ".."] {
        let err = client
            .list_chat_workflow_runs(bad)
            .await
            .expect_err("refused");
        match &err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("chatId"), "{message}");
                assert!(!message.contains(SESSION), "{message}");
            }
            other => panic!("expected InvalidRequest for {bad:?}, got {other:?}"),
        }
        assert_eq!(err.status(), None);
    }
    let received = server.received_requests().await.expect("recording is on");
    assert!(
        received.is_empty(),
        "no request may reach the server: {received:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 2. The documentation's example
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn doc_example_response_decodes() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let response = client_with_session(&server)
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect("the documented example decodes");

    let runs = &response.data.workflow_runs;
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.id, "run-uuid-1");
    assert_eq!(run.chat_id.as_deref(), Some(CHAT_ID));
    assert_eq!(run.workflow_id.as_deref(), Some("workflow-uuid-1"));
    assert_eq!(run.status, WorkflowRunStatus::Completed);
    assert_eq!(run.started_at, Some(at(12, 0, 0)));
    assert_eq!(run.completed_at, Some(at(12, 1, 30)));
    assert_eq!(
        run.steps.as_deref(),
        Some(
            &[WorkflowRunStep {
                id: "step-1".to_owned(),
                status: Some("completed".to_owned()),
                started_at: Some(at(12, 0, 0)),
                completed_at: Some(at(12, 0, 45)),
            }][..]
        )
    );
}

#[tokio::test]
async fn empty_run_list_decodes() {
    let response = fetch(&json!({"data": {"workflowRuns": []}})).await;
    assert!(response.data.workflow_runs.is_empty());
}

#[tokio::test]
async fn every_documented_status_decodes() {
    let body = json!({"data": {"workflowRuns": [
        {"id": "r1", "status": "pending"},
        {"id": "r2", "status": "running", "completedAt": null},
        {"id": "r3", "status": "completed"},
        {"id": "r4", "status": "failed"},
        {"id": "r5", "status": "cancelled"}
    ]}});
    let response = fetch(&body).await;
    let statuses: Vec<(&str, &WorkflowRunStatus)> = response
        .data
        .workflow_runs
        .iter()
        .map(|run| (run.id.as_str(), &run.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("r1", &WorkflowRunStatus::Pending),
            ("r2", &WorkflowRunStatus::Running),
            ("r3", &WorkflowRunStatus::Completed),
            ("r4", &WorkflowRunStatus::Failed),
            ("r5", &WorkflowRunStatus::Cancelled),
        ]
    );
    let first = &response.data.workflow_runs[0];
    assert_eq!(first.chat_id, None);
    assert_eq!(first.workflow_id, None);
    assert_eq!(first.started_at, None);
    assert_eq!(first.steps, None);
}

// ---------------------------------------------------------------------------------------------
// 3. Tolerant reading
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_status_is_kept_and_reserialized() {
    let response = fetch(&runs(json!({"id": "run-1", "status": "paused"}))).await;
    let run = &response.data.workflow_runs[0];
    assert_eq!(run.status, WorkflowRunStatus::Unknown("paused".to_owned()));
    assert_eq!(run.status.as_str(), "paused");
    assert_eq!(run.status.to_string(), "paused");
    assert_eq!(serde_json::to_value(&run.status).unwrap(), json!("paused"));
    let again = serde_json::to_value(&response).unwrap();
    assert_eq!(again["data"]["workflowRuns"][0]["status"], json!("paused"));
    assert_eq!(again["data"]["workflowRuns"][0]["id"], json!("run-1"));
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let body = json!({
        "data": {
            "workflowRuns": [{
                "id": "run-1",
                "status": "running",
                "title": "Nightly",
                "metadata": {"k": [1, 2]},
                "steps": [{"id": "step-1", "status": "running", "toolCalls": 3, "output": {"x": 1}}]
            }],
            "total": 1,
            "nextCursor": null
        },
        "meta": {"requestId": "req-1"},
        "success": true
    });
    let response = fetch(&body).await;
    let run = &response.data.workflow_runs[0];
    assert_eq!(run.id, "run-1");
    assert_eq!(run.status, WorkflowRunStatus::Running);
    let steps = run.steps.as_ref().expect("steps");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].id, "step-1");
    assert_eq!(steps[0].status.as_deref(), Some("running"));
}

#[tokio::test]
async fn nulls_of_nullable_fields_decode_to_none() {
    let body = runs(json!({
        "id": "run-1",
        "status": "running",
        "startedAt": "2024-02-04T12:00:00.000Z",
        "completedAt": null,
        "steps": [{"id": "step-1", "startedAt": null, "completedAt": null}]
    }));
    let response = fetch(&body).await;
    let run = &response.data.workflow_runs[0];
    assert_eq!(run.started_at, Some(at(12, 0, 0)));
    assert_eq!(run.completed_at, None);
    let step = &run.steps.as_ref().unwrap()[0];
    assert_eq!(step.id, "step-1");
    assert_eq!(step.status, None);
    assert_eq!(step.started_at, None);
    assert_eq!(step.completed_at, None);
}

// ---------------------------------------------------------------------------------------------
// 4. Documented error statuses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unauthorized_decodes_the_authentication_page_body() {
    let err = fetch_err(401, "application/json", UNAUTHORIZED).await;
    let body = expect_api_error(&err, 401);
    assert_eq!(body.error, "Unauthorized");
    assert_eq!(body.message.as_deref(), Some("Valid session required"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.body_text(), Some(UNAUTHORIZED));
    assert_eq!(
        err.api_body(),
        Some(&ErrorBody::ErrorResponse(ErrorResponse {
            error: "Unauthorized".to_owned(),
            message: Some("Valid session required".to_owned()),
        }))
    );
    match &err {
        Error::Api(api) => assert_eq!(api.raw, UNAUTHORIZED),
        other => panic!("expected Api, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("401"), "{message}");
    assert!(!message.contains(SESSION), "{message}");
}

#[tokio::test]
async fn every_documented_error_status_decodes() {
    let cases = [
        (400, "Bad Request", "Invalid chat ID format"),
        (401, "Unauthorized", "Valid session required"),
        (403, "Forbidden", "Cannot access another user's chat"),
        (404, "Not Found", "Chat does not exist"),
    ];
    for (status, error, message) in cases {
        let text = json!({"error": error, "message": message}).to_string();
        let err = fetch_err(status, "application/json", &text).await;
        let body = expect_api_error(&err, status);
        assert_eq!(body.error, error);
        assert_eq!(body.message.as_deref(), Some(message));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.body_text(), Some(text.as_str()));
    }
}

#[tokio::test]
async fn error_body_without_message_decodes() {
    for status in [400, 401, 403, 404] {
        let text = r#"{"error":"Forbidden","code":"CHAT_ACCESS_DENIED"}"#;
        let err = fetch_err(status, "application/json", text).await;
        let body = expect_api_error(&err, status);
        assert_eq!(body.error, "Forbidden");
        assert_eq!(body.message, None);
        assert_eq!(err.body_text(), Some(text));
    }
}

#[tokio::test]
async fn undocumented_server_error_with_html_is_an_unexpected_status() {
    let html = "<!DOCTYPE html><html><body><h1>Internal Server Error</h1>\n</body></html>";
    let err = fetch_err(500, "text/html", html).await;
    match &err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body, html);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.body_text(), Some(html));
    assert!(err.api_body().is_none());
    assert!(!err.to_string().contains(SESSION));
}

#[tokio::test]
async fn undocumented_json_error_is_an_unexpected_status() {
    // Same shape as the documented errors, but 409 is not documented.
    let text = r#"{"error":"Conflict","message":"busy"}"#;
    let err = fetch_err(409, "application/json", text).await;
    match &err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status.as_u16(), 409);
            assert_eq!(body, text);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Bad answers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unauthorized_with_a_non_json_body_is_a_decode_error() {
    let text = "Unauthorized";
    let err = fetch_err(401, "text/plain", text).await;
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(body, text);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.body_text(), Some(text));
    assert!(err.api_body().is_none());
}

#[tokio::test]
async fn error_body_missing_its_required_field_is_a_decode_error() {
    let text = r#"{"message":"Valid session required"}"#;
    let err = fetch_err(403, "application/json", text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 403);
            assert_eq!(body, text);
            assert!(source.to_string().contains("error"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn empty_success_body_is_a_decode_error() {
    let err = fetch_err(200, "application/json", "").await;
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(""));
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let text = r#"{"data": {"workflowRuns": [{"id": "run-1",, }]}"#;
    let err = fetch_err(200, "application/json", text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, text);
            assert!(source.is_syntax(), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(text));
}

#[tokio::test]
async fn wrong_type_for_a_required_field_is_a_decode_error() {
    let text = runs(json!({"id": "run-1", "status": 5})).to_string();
    let err = fetch_err(200, "application/json", &text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
            assert!(source.is_data(), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(text.as_str()));
}

#[tokio::test]
async fn missing_envelope_is_a_decode_error() {
    let text = json!({"workflowRuns": []}).to_string();
    let err = fetch_err(200, "application/json", &text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
            assert!(source.to_string().contains("data"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn closed_port_is_a_transport_error_without_the_session() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);

    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .session_cookie(SESSION)
        .build()
        .unwrap();
    let err = client
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect_err("nothing listens");
    match &err {
        Error::Transport { method, path, .. } => {
            assert_eq!(method.as_str(), "GET");
            assert_eq!(
                path,
                "/api/chats/550e8400-e29b-41d4-a716-446655440000/workflow-runs"
            );
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(err.status(), None);
    assert_eq!(err.body_text(), None);

    let mut texts = vec![err.to_string(), format!("{err:?}")];
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    for text in texts {
        assert!(!text.contains(SESSION), "the session leaked into {text:?}");
        assert!(
            !text.contains("Xk9sQ2vT7pLmN4rW"),
            "the session leaked into {text:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Secrets stay out of Debug
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_hides_the_session_cookie() {
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .session_cookie(SESSION);
    let builder_debug = format!("{builder:?}");
    assert!(
        !builder_debug.contains("Xk9sQ2vT7pLmN4rW"),
        "{builder_debug}"
    );

    let client = builder.build().unwrap();
    for debug in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!debug.contains("Xk9sQ2vT7pLmN4rW"), "{debug}");
        assert!(debug.contains("127.0.0.1:9"), "{debug}");
    }
    let request = client.list_chat_workflow_runs(CHAT_ID);
    let debug = format!("{request:?}");
    assert!(!debug.contains("Xk9sQ2vT7pLmN4rW"), "{debug}");
    assert!(debug.contains(CHAT_ID), "{debug}");
}

#[tokio::test]
async fn session_value_cannot_add_cookies_of_its_own() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    Client::builder()
        .base_url(base(&server))
        .session_cookie("tok;admin=1 x")
        .build()
        .unwrap()
        .list_chat_workflow_runs(CHAT_ID)
        .await
        .expect("decodes");
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "cookie"),
        Some("better-auth.session_token=tok%3Badmin=1%20x")
    );
}

#[tokio::test]
async fn unauthorized_with_an_empty_body_is_a_decode_error() {
    let err = fetch_err(401, "", "").await;
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(body, "");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}
