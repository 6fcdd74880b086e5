//! Behaviour of the generated `retab-client`, built from Retab's own published document, against
//! a real HTTP server on 127.0.0.1: the four workflow-run operations, runs as today's API shapes
//! them (`lifecycle`, `timing`, `trigger`), and FastAPI's 422.

use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, Utc};
use retab_client::types::{
    CancelWorkflowRequest, CancelWorkflowResponseCancellationStatus, CreateWorkflowRunRequest,
    ErrorTerminalCategory, ErrorTerminalStage, ListWorkflowRunsOrder, ListWorkflowRunsStatus,
    TriggerInfoType, WorkflowRun, WorkflowRunLifecycle,
};
use retab_client::{Client, Error, ErrorBody};
use serde_json::{Value, json};

const API_KEY: &str = "sk_retab_live_4f9c2a7e1b";
const RUN_ID: &str = "run_01JQ8ZK2V3T5W7Y9";

fn client(server: &wiremock::MockServer) -> Client {
    Client::builder()
        .base_url(base(server))
        .api_key(API_KEY)
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .build()
        .expect("client builds")
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A run as Retab's API answers today: status inside `lifecycle`, times inside `timing`.
fn run(lifecycle: Value) -> Value {
    json!({
        "id": RUN_ID,
        "workflow_id": "wf_01JQ8Z",
        "workflow_version_id": "ver_9c1d2e",
        "trigger": {"type": "api"},
        "lifecycle": lifecycle,
        "timing": {
            "created_at": "2026-08-20T09:15:02.123456Z",
            "started_at": "2026-08-20T09:15:03.5Z",
            "completed_at": null
        },
        "inputs": {
            "documents": {
                "start-node-1": {"id": "file_123", "filename": "invoice.pdf", "mime_type": "application/pdf"}
            },
            "json_data": {"start-json-1": {"customer": "Acme", "lines": [1, 2]}}
        },
        "metadata": {"team": "billing"}
    })
}

// ---------------------------------------------------------------------------------------------
// The requests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_the_api_key_as_a_bearer_token_on_the_encoded_path() {
    let server = answering_json(200, &run(json!({"status": "running"}))).await;

    client(&server)
        .get_workflow_run("run 1/../x")
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/workflows/runs/run%201%2F..%2Fx");
    let bearer = format!("Bearer {API_KEY}");
    assert_eq!(header(&request, "authorization"), Some(bearer.as_str()));
    assert_eq!(
        header(&request, "api-key"),
        None,
        "the page's header is gone"
    );
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.retab.com");
}

#[tokio::test]
async fn list_sends_its_filters_as_query_parameters() {
    let body = json!({"data": [], "list_metadata": {"before": null, "after": null}});
    let server = answering_json(200, &body).await;

    let page = client(&server)
        .list_workflow_runs()
        .workflow_id("wf_01JQ8Z")
        .status(ListWorkflowRunsStatus::AwaitingReview)
        .limit(25)
        .order(ListWorkflowRunsOrder::Desc)
        .after("run_cursor_1")
        .await
        .unwrap();

    assert!(page.data.is_empty());
    assert_eq!(page.list_metadata.after, None);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/workflows/runs");
    let mut query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    query.sort();
    assert_eq!(
        query,
        [
            ("after".to_owned(), "run_cursor_1".to_owned()),
            ("limit".to_owned(), "25".to_owned()),
            ("order".to_owned(), "desc".to_owned()),
            ("status".to_owned(), "awaiting_review".to_owned()),
            ("workflow_id".to_owned(), "wf_01JQ8Z".to_owned()),
        ]
    );
}

#[tokio::test]
async fn create_posts_the_json_body_and_reads_the_202() {
    let server = answering_json(202, &run(json!({"status": "pending"}))).await;
    // The constructor takes the required field; the document's default fills `version`.
    let body = CreateWorkflowRunRequest {
        json_inputs: Some([("start-json-1".to_owned(), json!({"customer": "Acme"}))].into()),
        metadata: Some([("team".to_owned(), "billing".to_owned())].into()),
        ..CreateWorkflowRunRequest::new("wf_01JQ8Z")
    };

    let created = client(&server).create_workflow_run(body).await.unwrap();

    assert_eq!(created.lifecycle.status(), Some("pending"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/workflows/runs");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent,
        json!({
            "workflow_id": "wf_01JQ8Z",
            "version": "production",
            "json_inputs": {"start-json-1": {"customer": "Acme"}},
            "metadata": {"team": "billing"}
        })
    );
}

#[tokio::test]
async fn cancel_posts_to_the_run_with_an_optional_command_id() {
    let answer = json!({
        "run": run(json!({"status": "cancelled", "reason": "Cancelled by user"})),
        "cancellation_status": "cancelled",
        "redis_available": true
    });
    let server = answering_json(200, &answer).await;

    let cancelled = client(&server)
        .cancel_workflow_run(RUN_ID)
        .body(Some(CancelWorkflowRequest {
            command_id: Some("cmd-7".into()),
        }))
        .await
        .unwrap();

    assert_eq!(
        cancelled.cancellation_status,
        CancelWorkflowResponseCancellationStatus::Cancelled
    );
    let WorkflowRunLifecycle::Cancelled(terminal) = &cancelled.run.lifecycle else {
        panic!(
            "expected a cancelled run, got {:?}",
            cancelled.run.lifecycle
        );
    };
    assert_eq!(terminal.reason.as_deref(), Some("Cancelled by user"));
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url.path(),
        format!("/v1/workflows/runs/{RUN_ID}/cancel")
    );
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, json!({"command_id": "cmd-7"}));
}

// ---------------------------------------------------------------------------------------------
// Runs as the API sends them
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_run_decodes_its_trigger_timing_inputs_and_metadata() {
    let server = answering_json(200, &run(json!({"status": "running"}))).await;
    let run = client(&server).get_workflow_run(RUN_ID).await.unwrap();

    assert_eq!(run.id, RUN_ID);
    assert_eq!(run.workflow_id, "wf_01JQ8Z");
    assert_eq!(run.workflow_version_id, "ver_9c1d2e");
    assert_eq!(run.trigger.type_, TriggerInfoType::Api);
    assert!(matches!(run.lifecycle, WorkflowRunLifecycle::Running(_)));
    assert_eq!(run.lifecycle.status(), Some("running"));
    assert_eq!(
        run.timing.created_at,
        Some(at("2026-08-20T09:15:02.123456Z"))
    );
    assert_eq!(run.timing.started_at, Some(at("2026-08-20T09:15:03.5Z")));
    assert_eq!(run.timing.completed_at, None);
    let inputs = run.inputs.as_ref().unwrap();
    let document = &inputs.documents.as_ref().unwrap()["start-node-1"];
    assert_eq!(document.filename, "invoice.pdf");
    assert_eq!(document.mime_type, "application/pdf");
    assert_eq!(
        inputs.json_data.as_ref().unwrap()["start-json-1"]["lines"],
        json!([1, 2])
    );
    assert_eq!(run.metadata.as_ref().unwrap()["team"], "billing");
}

#[tokio::test]
async fn each_lifecycle_state_decodes_to_its_variant_with_its_fields() {
    let states = [
        json!({"status": "pending"}),
        json!({"status": "running"}),
        json!({"status": "awaiting_review", "waiting_for_block_ids": ["review-1", "review-2"]}),
        json!({"status": "completed"}),
        json!({
            "status": "error",
            "message": "Extraction failed: the document is encrypted",
            "category": "permanent",
            "stage": "execution",
            "failing_step_id": "extract-node-1",
            "details": {"block_id": "extract-node-1", "error_code": "PDF_ENCRYPTED", "context": {"pages": 0}}
        }),
        json!({"status": "cancelled"}),
    ];
    let mut runs = Vec::new();
    for lifecycle in states {
        let server = answering_json(200, &run(lifecycle)).await;
        runs.push(client(&server).get_workflow_run(RUN_ID).await.unwrap());
    }
    let tags: Vec<Option<&str>> = runs.iter().map(|r| r.lifecycle.status()).collect();
    assert_eq!(
        tags,
        [
            Some("pending"),
            Some("running"),
            Some("awaiting_review"),
            Some("completed"),
            Some("error"),
            Some("cancelled")
        ]
    );
    let WorkflowRunLifecycle::AwaitingReview(waiting) = &runs[2].lifecycle else {
        panic!("{:?}", runs[2].lifecycle);
    };
    assert_eq!(
        waiting.waiting_for_block_ids.as_deref(),
        Some(&["review-1".to_owned(), "review-2".to_owned()][..])
    );
    assert!(matches!(
        runs[3].lifecycle,
        WorkflowRunLifecycle::Completed(_)
    ));
    let WorkflowRunLifecycle::Error(error) = &runs[4].lifecycle else {
        panic!("{:?}", runs[4].lifecycle);
    };
    assert_eq!(
        error.message,
        "Extraction failed: the document is encrypted"
    );
    assert_eq!(error.category, Some(ErrorTerminalCategory::Permanent));
    assert_eq!(error.stage, Some(ErrorTerminalStage::Execution));
    assert_eq!(error.failing_step_id.as_deref(), Some("extract-node-1"));
    let details = error.details.as_ref().unwrap();
    assert_eq!(details.error_code.as_deref(), Some("PDF_ENCRYPTED"));
    assert!(matches!(
        runs[5].lifecycle,
        WorkflowRunLifecycle::Cancelled(_)
    ));
}

#[tokio::test]
async fn a_new_lifecycle_state_new_fields_and_new_enum_values_are_kept() {
    let mut body = run(json!({"status": "paused", "resume_at": "2026-08-21T00:00:00Z"}));
    body["trigger"] = json!({"type": "slack", "channel": "#ops"});
    body["cost"] = json!({"credits": 12.5});
    let server = answering_json(200, &body).await;

    let run = client(&server).get_workflow_run(RUN_ID).await.unwrap();

    assert_eq!(
        run.lifecycle,
        WorkflowRunLifecycle::Other(
            json!({"status": "paused", "resume_at": "2026-08-21T00:00:00Z"})
        )
    );
    assert_eq!(run.lifecycle.status(), Some("paused"));
    assert_eq!(run.trigger.type_, TriggerInfoType::Unknown("slack".into()));
    // Written back, the unknown state is what came.
    let again = serde_json::to_value(&run).unwrap();
    assert_eq!(
        again["lifecycle"]["resume_at"],
        json!("2026-08-21T00:00:00Z")
    );
    assert_eq!(again["trigger"]["type"], json!("slack"));
}

#[tokio::test]
async fn a_list_page_decodes_its_runs_and_cursors() {
    let mut finished = run(json!({"status": "completed"}));
    finished["timing"]["completed_at"] = json!("2026-08-20T09:16:40.000001Z");
    let body = json!({
        "data": [finished, run(json!({"status": "running"}))],
        "list_metadata": {"before": null, "after": RUN_ID}
    });
    let server = answering_json(200, &body).await;

    let page = client(&server).list_workflow_runs().await.unwrap();

    assert_eq!(page.data.len(), 2);
    assert_eq!(
        page.data[0].timing.completed_at,
        Some(at("2026-08-20T09:16:40.000001Z"))
    );
    assert_eq!(page.list_metadata.after.as_deref(), Some(RUN_ID));
    assert_eq!(page.list_metadata.before, None);
}

#[tokio::test]
async fn the_seed_pages_old_run_shape_fails_to_decode_and_says_why() {
    // What the page written before the redesign shows: `status` at the top, no `lifecycle`.
    let old = json!({
        "id": "run_abc123xyz",
        "workflow_id": "wf_abc123xyz",
        "workflow_name": "Invoice Processing",
        "organization_id": "org_123",
        "status": "completed",
        "started_at": "2024-01-15T10:30:00Z"
    });
    let text = old.to_string();
    let server = answering(200, "application/json", &text).await;
    let err = client(&server).get_workflow_run(RUN_ID).await.unwrap_err();
    match &err {
        Error::Decode {
            status,
            body,
            path,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
            assert_eq!(path, ".");
            assert!(source.to_string().contains("missing field"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_mismatch_inside_the_lifecycle_names_its_place() {
    let body = run(json!({"status": "error", "message": 42})).to_string();
    let server = answering(200, "application/json", &body).await;
    let err = client(&server).get_workflow_run(RUN_ID).await.unwrap_err();
    assert_eq!(err.decode_path(), Some("lifecycle.message"), "{err}");
    let text = err.to_string();
    assert!(text.contains("at `lifecycle.message`"), "{text}");

    let mut body = run(json!({"status": "running"}));
    body["timing"]["started_at"] = json!("not a time");
    let server = answering_json(200, &body).await;
    let err = client(&server).get_workflow_run(RUN_ID).await.unwrap_err();
    assert_eq!(err.decode_path(), Some("timing.started_at"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_422_decodes_into_fastapis_validation_error() {
    let body = json!({
        "detail": [{
            "type": "string_too_short",
            "loc": ["body", "workflow_id"],
            "msg": "String should have at least 1 character",
            "input": "",
            "ctx": {"min_length": 1}
        }]
    })
    .to_string();
    let server = answering(422, "application/json", &body).await;
    let err = client(&server)
        .create_workflow_run(CreateWorkflowRunRequest::new(""))
        .await
        .unwrap_err();

    let Some(ErrorBody::HttpValidationError(validation)) = err.api_body() else {
        panic!("expected the validation error, got {err:?}");
    };
    let detail = &validation.detail.as_ref().unwrap()[0];
    assert_eq!(detail.msg, "String should have at least 1 character");
    assert_eq!(detail.type_, "string_too_short");
    assert_eq!(detail.loc.len(), 2);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn an_undocumented_401_keeps_status_and_body_and_never_the_key() {
    let body = r#"{"detail":"Invalid API key"}"#;
    let server = answering(401, "application/json", body).await;
    let err = client(&server).get_workflow_run(RUN_ID).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus {
            status, body: kept, ..
        } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(kept, body);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(API_KEY), "{text}");
    }
}

#[tokio::test]
async fn the_key_never_shows_in_debug_output() {
    let builder = Client::builder().api_key(API_KEY);
    assert!(!format!("{builder:?}").contains(API_KEY));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(API_KEY));
    assert!(!format!("{:?}", client.get_workflow_run(RUN_ID)).contains(API_KEY));
}

#[test]
fn a_run_round_trips_through_its_type() {
    let sent = run(json!({"status": "awaiting_review", "waiting_for_block_ids": ["b1"]}));
    let read: WorkflowRun = serde_json::from_value(sent.clone()).unwrap();
    let written = serde_json::to_value(&read).unwrap();
    // The same data: times may print differently and a null end time is left out.
    assert_eq!(written["lifecycle"], sent["lifecycle"]);
    assert_eq!(written["inputs"], sent["inputs"]);
    assert_eq!(written["trigger"], sent["trigger"]);
    assert_eq!(written["timing"].get("completed_at"), None);
    let again: WorkflowRun = serde_json::from_value(written).unwrap();
    assert_eq!(again, read);
}
