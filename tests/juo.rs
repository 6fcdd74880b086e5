//! Behaviour of the generated `juo-client` against a real HTTP server on 127.0.0.1.

use apigen_tests::wiremock::MockServer;
use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, TimeZone, Utc};
use juo_client::types::{
    WorkflowRunState, WorkflowRunStatePendingInteractionActionBehavior as ActionBehavior,
    WorkflowRunStateStatus as Status,
};
use juo_client::{Client, Error};
use serde_json::json;
use uuid::Uuid;

const DELEGATED: &str = "juo-delegated-7e1f0c3a-secret";
const ACCESS: &str = "juo-access-eyJhbGciOiJSUzI1NiJ9.secret";
const TENANT: &str = "acme-store.myshopify.com";
const RUN_ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

fn run_id() -> Uuid {
    RUN_ID.parse().unwrap()
}

/// The API's own base path is kept, like the real `https://api.juo.io/customer/v1`.
fn api_base(server: &MockServer) -> String {
    format!("{}/customer/v1", base(server))
}

fn run_path() -> String {
    format!("/customer/v1/workflows/{RUN_ID}")
}

fn with_access_token(server: &MockServer) -> Client {
    Client::builder()
        .base_url(api_base(server))
        .access_token(ACCESS)
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .build()
        .expect("client builds")
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// A full answer written from the schema: every property, nested objects and arrays.
fn full_state() -> serde_json::Value {
    json!({
        "workflowId": "wf_cancel_subscription",
        "workflowVersion": 3,
        "runId": RUN_ID,
        "runVersion": 7.5,
        "status": "waiting_interaction",
        "pendingInteraction": {
            "interactionId": "int_01HZX4",
            "stepId": "ask_reason",
            "actionType": "form",
            "actionBehavior": "input",
            "actionConfig": {"title": "Why are you leaving?", "required": true, "maxLength": 500},
            "availableResponses": [
                {"type": "submit", "label": "Send"},
                {"type": "skip", "label": "Skip"}
            ],
            "presentedAt": "2024-05-01T12:30:00.123+02:00",
            "timeoutMs": 300000
        },
        "interactiveSteps": [
            {
                "stepId": "ask_reason",
                "actionType": "form",
                "actionConfig": {"fields": ["reason", "comment"]},
                "availableResponses": [{"type": "submit", "label": "Send"}]
            },
            {
                "stepId": "offer_discount",
                "actionType": "offer",
                "actionConfig": {},
                "availableResponses": []
            }
        ],
        "result": {"discountApplied": false, "score": 0.5, "tags": ["churn-risk"], "extra": null},
        "error": {"message": "payment provider timed out", "code": "PSP_TIMEOUT"},
        "invalidatedResources": ["subscription:123", "customer:456"],
        "outcome": {"type": "retained", "message": "Customer accepted the offer"},
        "completionData": {
            "outcome": {"type": "cancelled", "message": "Subscription cancelled"},
            "endStep": {"id": "end_cancel", "category": "terminal", "label": "Cancelled"}
        }
    })
}

/// Only the required properties.
fn minimal_state(status: &str) -> serde_json::Value {
    json!({
        "workflowId": "wf_1",
        "workflowVersion": 1,
        "runId": RUN_ID,
        "runVersion": 1,
        "status": status
    })
}

// ---------------------------------------------------------------------------------------------
// 1. The request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_is_a_get_with_tenant_accept_user_agent_and_no_credentials() {
    let server = answering_json(200, &minimal_state("running")).await;
    let client = Client::new(&api_base(&server));

    client
        .get_workflow_run(run_id(), TENANT)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), run_path());
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "x-tenant-id"), Some(TENANT));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").expect("a User-Agent is sent");
    assert!(agent.starts_with("juo-client/"), "User-Agent {agent:?}");
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "x-delegated-token"), None);
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn the_uuid_path_parameter_is_sent_hyphenated_lowercase() {
    let server = answering_json(200, &minimal_state("running")).await;
    let id = Uuid::parse_str("0F8FAD5BD9CB469FA16570867728950E").unwrap();

    with_access_token(&server)
        .get_workflow_run(id, "t")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), run_path());
    assert_eq!(header(&request, "x-tenant-id"), Some("t"));
}

#[tokio::test]
async fn delegated_token_is_sent_as_is_in_x_delegated_token() {
    let server = answering_json(200, &minimal_state("running")).await;
    let client = Client::builder()
        .base_url(api_base(&server))
        .delegated_token(DELEGATED)
        .build()
        .unwrap();

    client
        .get_workflow_run(run_id(), TENANT)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), run_path());
    assert_eq!(header(&request, "x-delegated-token"), Some(DELEGATED));
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "x-tenant-id"), Some(TENANT));
}

#[tokio::test]
async fn access_token_is_sent_as_a_bearer_token() {
    let server = answering_json(200, &minimal_state("running")).await;

    with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    let expected = format!("Bearer {ACCESS}");
    assert_eq!(header(&request, "authorization"), Some(expected.as_str()));
    assert_eq!(header(&request, "x-delegated-token"), None);
    assert_eq!(header(&request, "x-tenant-id"), Some(TENANT));
    let agent = header(&request, "user-agent").unwrap();
    assert!(agent.starts_with("juo-client/"), "User-Agent {agent:?}");
}

#[tokio::test]
async fn with_both_schemes_configured_the_first_alternative_delegated_token_wins() {
    let server = answering_json(200, &minimal_state("running")).await;
    let client = Client::builder()
        .base_url(api_base(&server))
        .access_token(ACCESS)
        .delegated_token(DELEGATED)
        .build()
        .unwrap();

    client.get_workflow_run(run_id(), TENANT).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-delegated-token"), Some(DELEGATED));
    assert_eq!(header(&request, "authorization"), None);
}

// ---------------------------------------------------------------------------------------------
// 2. A realistic 200
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_full_state_decodes_every_field() {
    let server = answering_json(200, &full_state()).await;

    let state = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .send()
        .await
        .expect("decodes");

    assert_eq!(state.workflow_id, "wf_cancel_subscription");
    assert_eq!(state.workflow_version, 3.0);
    assert_eq!(state.run_id, RUN_ID);
    assert_eq!(state.run_version, 7.5);
    assert_eq!(state.status, Status::WaitingInteraction);
    assert_eq!(state.status.as_str(), "waiting_interaction");

    let pending = state
        .pending_interaction
        .as_ref()
        .expect("pendingInteraction");
    assert_eq!(pending.interaction_id, "int_01HZX4");
    assert_eq!(pending.step_id, "ask_reason");
    assert_eq!(pending.action_type, "form");
    assert_eq!(pending.action_behavior, ActionBehavior::Input);
    assert_eq!(pending.action_config.len(), 3);
    assert_eq!(
        pending.action_config["title"],
        json!("Why are you leaving?")
    );
    assert_eq!(pending.action_config["required"], json!(true));
    assert_eq!(pending.action_config["maxLength"], json!(500));
    assert_eq!(pending.available_responses.len(), 2);
    assert_eq!(pending.available_responses[0].type_, "submit");
    assert_eq!(pending.available_responses[0].label, "Send");
    assert_eq!(pending.available_responses[1].type_, "skip");
    assert_eq!(pending.available_responses[1].label, "Skip");
    // 12:30:00.123 at +02:00 is 10:30:00.123 UTC.
    assert_eq!(
        pending.presented_at,
        utc(2024, 5, 1, 10, 30, 0) + chrono::Duration::milliseconds(123)
    );
    assert_eq!(pending.timeout_ms, Some(300_000.0));

    let steps = state.interactive_steps.as_ref().expect("interactiveSteps");
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].step_id, "ask_reason");
    assert_eq!(steps[0].action_type, "form");
    assert_eq!(
        steps[0].action_config["fields"],
        json!(["reason", "comment"])
    );
    assert_eq!(steps[0].available_responses.len(), 1);
    assert_eq!(steps[0].available_responses[0].type_, "submit");
    assert_eq!(steps[0].available_responses[0].label, "Send");
    assert_eq!(steps[1].step_id, "offer_discount");
    assert_eq!(steps[1].action_type, "offer");
    assert!(steps[1].action_config.is_empty());
    assert!(steps[1].available_responses.is_empty());

    let result = state.result.as_ref().expect("result");
    assert_eq!(result.len(), 4);
    assert_eq!(result["discountApplied"], json!(false));
    assert_eq!(result["score"], json!(0.5));
    assert_eq!(result["tags"], json!(["churn-risk"]));
    assert_eq!(result["extra"], json!(null));

    let error = state.error.as_ref().expect("error");
    assert_eq!(error.message, "payment provider timed out");
    assert_eq!(error.code.as_deref(), Some("PSP_TIMEOUT"));

    assert_eq!(
        state.invalidated_resources.as_deref(),
        Some(&["subscription:123".to_owned(), "customer:456".to_owned()][..])
    );

    let outcome = state.outcome.as_ref().expect("outcome");
    assert_eq!(outcome.type_, "retained");
    assert_eq!(outcome.message, "Customer accepted the offer");

    let completion = state.completion_data.as_ref().expect("completionData");
    let completion_outcome = completion.outcome.as_ref().expect("completionData.outcome");
    assert_eq!(completion_outcome.type_, "cancelled");
    assert_eq!(completion_outcome.message, "Subscription cancelled");
    let end = completion
        .end_step
        .as_ref()
        .expect("completionData.endStep");
    assert_eq!(end.id, "end_cancel");
    assert_eq!(end.category.as_deref(), Some("terminal"));
    assert_eq!(end.label.as_deref(), Some("Cancelled"));

    // What is decoded serializes back to the same JSON (numbers aside: 3 comes back as 3.0).
    let mut again = serde_json::to_value(&state).unwrap();
    assert_eq!(again["workflowVersion"], json!(3.0));
    again["workflowVersion"] = json!(3);
    again["pendingInteraction"]["timeoutMs"] = json!(300000);
    again["pendingInteraction"]["presentedAt"] = json!("2024-05-01T12:30:00.123+02:00");
    assert_eq!(again, full_state());
}

#[tokio::test]
async fn only_the_required_fields_decode_with_the_rest_absent() {
    for (wire, status) in [
        ("running", Status::Running),
        ("waiting_interaction", Status::WaitingInteraction),
        ("completed", Status::Completed),
        ("failed", Status::Failed),
        ("cancelled", Status::Cancelled),
    ] {
        let server = answering_json(200, &minimal_state(wire)).await;
        let state = with_access_token(&server)
            .get_workflow_run(run_id(), TENANT)
            .await
            .unwrap();
        assert_eq!(state.status, status);
        assert_eq!(state.status.to_string(), wire);
        assert_eq!(state.workflow_id, "wf_1");
        assert_eq!(state.workflow_version, 1.0);
        assert_eq!(state.run_version, 1.0);
        assert_eq!(state.pending_interaction, None);
        assert_eq!(state.interactive_steps, None);
        assert_eq!(state.result, None);
        assert_eq!(state.error, None);
        assert_eq!(state.invalidated_resources, None);
        assert_eq!(state.outcome, None);
        assert_eq!(state.completion_data, None);
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Unknown enum values and unknown fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_enum_values_are_kept_and_reserialized_unchanged() {
    let mut body = full_state();
    body["status"] = json!("paused_for_review");
    body["pendingInteraction"]["actionBehavior"] = json!("select_one");
    let server = answering_json(200, &body).await;

    let state = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .expect("decodes");

    assert_eq!(state.status, Status::Unknown("paused_for_review".into()));
    assert_eq!(state.status.as_str(), "paused_for_review");
    assert_eq!(state.status.to_string(), "paused_for_review");
    let behavior = &state.pending_interaction.as_ref().unwrap().action_behavior;
    assert_eq!(behavior, &ActionBehavior::Unknown("select_one".into()));
    assert_eq!(behavior.as_str(), "select_one");

    assert_eq!(
        serde_json::to_string(&state.status).unwrap(),
        r#""paused_for_review""#
    );
    assert_eq!(serde_json::to_string(behavior).unwrap(), r#""select_one""#);
    let again = serde_json::to_value(&state).unwrap();
    assert_eq!(again["status"], json!("paused_for_review"));
    assert_eq!(
        again["pendingInteraction"]["actionBehavior"],
        json!("select_one")
    );

    // A round trip through the typed value keeps it.
    let back: WorkflowRunState = serde_json::from_value(again).unwrap();
    assert_eq!(back.status, Status::Unknown("paused_for_review".into()));

    // `From<&str>` agrees with decoding; known values are not mistaken for unknown ones.
    assert_eq!(Status::from("paused_for_review"), state.status);
    assert_eq!(Status::from("failed"), Status::Failed);
    assert_eq!(ActionBehavior::from("input"), ActionBehavior::Input);
    // Case matters: the wire value is exact.
    assert_eq!(Status::from("RUNNING"), Status::Unknown("RUNNING".into()));
    let decoded: Status = serde_json::from_str(r#""RUNNING""#).unwrap();
    assert_eq!(decoded, Status::Unknown("RUNNING".into()));
}

#[tokio::test]
async fn an_unknown_value_that_spells_a_variant_name_stays_unknown() {
    // The Rust variant names are not wire values.
    for wire in ["Unknown", "WaitingInteraction", "Running"] {
        let decoded: Status = serde_json::from_value(json!(wire)).unwrap();
        assert_eq!(decoded, Status::Unknown(wire.into()), "{wire}");
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(wire));
    }
}

#[tokio::test]
async fn unknown_fields_at_every_level_are_ignored() {
    let mut body = full_state();
    body["tenantId"] = json!("acme");
    body["pendingInteraction"]["channel"] = json!("email");
    body["pendingInteraction"]["availableResponses"][0]["style"] = json!("primary");
    body["interactiveSteps"][1]["order"] = json!(2);
    body["error"]["retryable"] = json!(true);
    body["outcome"]["at"] = json!("2024-05-01T12:00:00Z");
    body["completionData"]["durationMs"] = json!(1234);
    body["completionData"]["endStep"]["icon"] = json!({"name": "x"});
    let server = answering_json(200, &body).await;

    let state = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .expect("decodes");

    let expected: WorkflowRunState = serde_json::from_value(full_state()).unwrap();
    assert_eq!(state, expected, "extra fields change nothing");
    // Free-form maps keep everything they are given, though.
    assert_eq!(state.result.as_ref().unwrap().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// 4. Errors: the operation documents none
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_404_json_body_is_an_unexpected_status_keeping_the_body() {
    let body = r#"{"statusCode":404,"error":"Not Found","message":"Workflow run not found"}"#;
    let server = answering(404, "application/json", body).await;

    let err = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .unwrap_err();

    match &err {
        Error::UnexpectedStatus {
            status, body: text, ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(text, body);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.body_text(), Some(body));
    assert!(err.api_body().is_none());
    let text = err.to_string();
    assert!(text.starts_with("unexpected status 404"), "{text}");
    assert!(text.contains("Workflow run not found"), "{text}");
    assert!(!text.contains(ACCESS), "{text}");
}

#[tokio::test]
async fn other_error_statuses_are_unexpected_too() {
    for (status, body) in [
        (400, r#"{"message":"bad uuid"}"#),
        (401, r#"{"message":"Unauthorized"}"#),
        (403, ""),
        (429, "slow down"),
    ] {
        let server = answering(status, "application/json", body).await;
        let err = with_access_token(&server)
            .get_workflow_run(run_id(), TENANT)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::UnexpectedStatus { status: s, body: b, .. } if s.as_u16() == status && b == body),
            "{status}: {err:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Bad answers become errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_html_500_is_an_unexpected_status_keeping_the_body() {
    let html = "<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>";
    let server = answering(500, "text/html; charset=utf-8", html).await;

    let err = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .unwrap_err();

    match &err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body, html);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(html));
    assert!(
        err.to_string().contains("<h1>Internal Server Error</h1>"),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let server = answering(200, "application/json", "").await;

    let err = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .unwrap_err();

    match &err {
        Error::Decode {
            status,
            body,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, "");
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(""));
}

#[tokio::test]
async fn malformed_json_in_a_200_is_a_decode_error() {
    let server = answering(200, "application/json", r#"{"id": "#).await;

    let err = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .unwrap_err();

    match &err {
        Error::Decode {
            status,
            body,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, r#"{"id": "#);
            assert!(source.is_eof(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_type_for_a_required_field_is_a_decode_error() {
    // `workflowVersion` must be a number.
    let mut body = minimal_state("running");
    body["workflowVersion"] = json!("v1");
    let text = body.to_string();
    let server = answering(200, "application/json", &text).await;

    let err = with_access_token(&server)
        .get_workflow_run(run_id(), TENANT)
        .await
        .unwrap_err();

    match &err {
        Error::Decode {
            status,
            body,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
            assert!(source.is_data(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }

    // Also: a required field missing, a required nested field missing, a non-string enum value,
    // a malformed date-time.
    let mut missing = minimal_state("running");
    missing.as_object_mut().unwrap().remove("runId");
    let mut nested = full_state();
    nested["pendingInteraction"]
        .as_object_mut()
        .unwrap()
        .remove("stepId");
    let mut status_number = minimal_state("running");
    status_number["status"] = json!(3);
    let mut bad_date = full_state();
    bad_date["pendingInteraction"]["presentedAt"] = json!("1 May 2024");
    for broken in [missing, nested, status_number, bad_date] {
        let sent = broken.to_string();
        let server = answering(200, "application/json", &sent).await;
        let err = with_access_token(&server)
            .get_workflow_run(run_id(), TENANT)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { status, body, .. } if status.as_u16() == 200 && *body == sent),
            "expected Error::Decode for {broken}, got {err:?}"
        );
    }
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_that_does_not_show_the_credential() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    for client in [
        Client::builder()
            .base_url(format!("http://127.0.0.1:{port}/customer/v1"))
            .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
            .access_token(ACCESS)
            .build()
            .unwrap(),
        Client::builder()
            .base_url(format!("http://127.0.0.1:{port}/customer/v1"))
            .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
            .delegated_token(DELEGATED)
            .build()
            .unwrap(),
    ] {
        let err = client.get_workflow_run(run_id(), TENANT).await.unwrap_err();
        match &err {
            Error::Transport {
                method,
                path,
                source,
                ..
            } => {
                assert_eq!(method.as_str(), "GET");
                assert_eq!(path, "/workflows/{runId}", "the template, no values");
                assert!(source.is_connect(), "{source:?}");
            }
            other => panic!("expected Error::Transport, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        let text = err.to_string();
        assert!(text.starts_with("GET /workflows/{runId}: "), "{text}");
        for secret in [ACCESS, DELEGATED] {
            assert!(!text.contains(secret), "{text}");
            assert!(!format!("{err:?}").contains(secret));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Secrets stay out of Debug
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_credentials() {
    let builder = Client::builder()
        .base_url("https://api.juo.io/customer/v1")
        .delegated_token(DELEGATED)
        .access_token(ACCESS);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(DELEGATED), "{builder_debug}");
    assert!(!builder_debug.contains(ACCESS), "{builder_debug}");

    let client = builder.build().unwrap();
    for debug in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!debug.contains(DELEGATED), "{debug}");
        assert!(!debug.contains(ACCESS), "{debug}");
        assert!(debug.contains("https://api.juo.io/customer/v1"), "{debug}");
    }
    let request = client.get_workflow_run(run_id(), TENANT);
    let request_debug = format!("{request:?}");
    assert!(!request_debug.contains(DELEGATED), "{request_debug}");
    assert!(!request_debug.contains(ACCESS), "{request_debug}");
}

// ---------------------------------------------------------------------------------------------
// Invalid request values
// ---------------------------------------------------------------------------------------------

/// `runId` is a `Uuid`, so an empty or `..` path value cannot even be written; the one free-form
/// value, the `X-Tenant-ID` header, is checked instead: one that would split the header is
/// refused before anything is sent.
#[tokio::test]
async fn a_tenant_that_would_inject_a_header_is_refused_before_sending() {
    let server = answering_json(200, &minimal_state("running")).await;
    let client = with_access_token(&server);

    for bad in ["acme\r\nX-Admin: true", "acme\nx", "acme\0"] {
        let err = client.get_workflow_run(run_id(), bad).await.unwrap_err();
        match &err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("X-Tenant-ID"), "{message}");
                assert!(
                    !message.contains("X-Admin"),
                    "the value is not quoted: {message}"
                );
            }
            other => panic!("{bad:?}: expected Error::InvalidRequest, got {other:?}"),
        }
    }
    let received = server.received_requests().await.unwrap();
    assert!(
        received.is_empty(),
        "nothing reaches the server: {received:?}"
    );
}
