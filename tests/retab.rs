//! Behaviour of the generated `retab-client` against a real HTTP server on 127.0.0.1.

use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, TimeZone, Utc};
use retab_client::types::{
    ErrorStage, ExecutionPhase, RunResumeStatus, TriggerType, WorkflowRun, WorkflowRunStatus,
};
use retab_client::{Client, Error};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const API_KEY: &str = "rt_live_K3y-With.Symbols_123";
const ACCESS_TOKEN: &str = "tok en&x=1/+secret";
const ACCESS_TOKEN_ENCODED: &str = "tok+en%26x%3D1%2F%2Bsecret";

/// The example response of Retab's "Get workflow run" page, verbatim.
const DOC_EXAMPLE: &str = r#"{
  "id": "run_abc123xyz",
  "workflow_id": "wf_abc123xyz",
  "workflow_name": "Invoice Processing",
  "organization_id": "org_123",
  "status": "completed",
  "started_at": "2024-01-15T10:30:00Z",
  "completed_at": "2024-01-15T10:30:15Z",
  "duration_ms": 15000,
  "steps": [
    {
      "node_id": "start-node-1",
      "node_type": "start",
      "node_label": "Invoice Input",
      "status": "completed",
      "started_at": "2024-01-15T10:30:00Z",
      "completed_at": "2024-01-15T10:30:01Z",
      "duration_ms": 1000
    },
    {
      "node_id": "extract-node-1",
      "node_type": "extract",
      "node_label": "Extract Data",
      "status": "completed",
      "started_at": "2024-01-15T10:30:01Z",
      "completed_at": "2024-01-15T10:30:10Z",
      "duration_ms": 9000,
      "output": {
        "invoice_number": "INV-2024-001",
        "total_amount": 1234.56,
        "vendor_name": "Acme Corp"
      }
    },
    {
      "node_id": "end-node-1",
      "node_type": "end",
      "node_label": "Output",
      "status": "completed",
      "started_at": "2024-01-15T10:30:10Z",
      "completed_at": "2024-01-15T10:30:15Z",
      "duration_ms": 5000
    }
  ],
  "input_documents": {
    "start-node-1": {
      "file_id": "file_123",
      "filename": "invoice.pdf",
      "mime_type": "application/pdf"
    }
  },
  "final_outputs": {
    "end-node-1": {
      "label": "Output",
      "json_data": {
        "invoice_number": "INV-2024-001",
        "total_amount": 1234.56,
        "vendor_name": "Acme Corp"
      }
    }
  },
  "error": null,
  "created_at": "2024-01-15T10:30:00Z",
  "updated_at": "2024-01-15T10:30:15Z",
  "waiting_for_node_ids": []
}"#;

/// The smallest run the spec accepts.
fn minimal_run() -> Value {
    json!({
        "workflow_id": "wf_1",
        "workflow_name": "Flow",
        "organization_id": "org_1"
    })
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 15, h, m, s).unwrap()
}

fn client_with_key(server: &wiremock::MockServer) -> Client {
    Client::builder()
        .base_url(base(server))
        .api_key(API_KEY)
        .build()
        .expect("client builds")
}

fn invoice_output() -> BTreeMap<String, Value> {
    BTreeMap::from([
        ("invoice_number".to_owned(), json!("INV-2024-001")),
        ("total_amount".to_owned(), json!(1234.56)),
        ("vendor_name".to_owned(), json!("Acme Corp")),
    ])
}

async fn fetch(body: &Value) -> WorkflowRun {
    let server = answering_json(200, body).await;
    Client::new(&base(&server))
        .get_workflow_run("run_1")
        .await
        .expect("run decodes")
}

async fn fetch_err(status: u16, content_type: &str, body: &str) -> Error {
    let server = answering(status, content_type, body).await;
    let err = client_with_key(&server)
        .get_workflow_run("run_1")
        .await
        .expect_err("the call fails");
    // The request did go out, once.
    let _ = only_request(&server).await;
    err
}

// ---------------------------------------------------------------------------------------------
// 1. The request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_has_method_encoded_path_accept_key_and_user_agent() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = client_with_key(&server);

    let run = client.get_workflow_run("a b/../c").await.expect("decodes");
    assert_eq!(run.id.as_deref(), Some("run_abc123xyz"));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/v1/workflows/runs/a%20b%2F..%2Fc");
    assert_eq!(request.url.query(), None, "no access_token unless set");
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(header(&request, "api-key"), Some(API_KEY));
    assert_eq!(request.headers.get_all("api-key").iter().count(), 1);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "cookie"), None);
    let agent = header(&request, "user-agent").expect("a User-Agent");
    assert!(agent.starts_with("retab-client/"), "{agent}");
}

#[tokio::test]
async fn access_token_is_sent_once_url_encoded_when_set() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = client_with_key(&server);

    client
        .get_workflow_run("run_abc123xyz")
        .access_token(ACCESS_TOKEN)
        .send()
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/workflows/runs/run_abc123xyz");
    assert_eq!(
        request.url.query(),
        Some(format!("access_token={ACCESS_TOKEN_ENCODED}").as_str())
    );
    let tokens: Vec<String> = request
        .url
        .query_pairs()
        .filter(|(name, _)| name == "access_token")
        .map(|(_, value)| value.into_owned())
        .collect();
    assert_eq!(tokens, vec![ACCESS_TOKEN.to_owned()]);
    assert_eq!(request.url.query_pairs().count(), 1);
    // The API key still travels in its header, not in the query.
    assert_eq!(header(&request, "api-key"), Some(API_KEY));
}

#[tokio::test]
async fn without_credentials_no_api_key_header_is_sent() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    Client::new(&base(&server))
        .get_workflow_run("run_abc123xyz")
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v1/workflows/runs/run_abc123xyz");
    assert_eq!(header(&request, "api-key"), None);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "cookie"), None);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").expect("a User-Agent");
    assert!(agent.starts_with("retab-client/"), "{agent}");
}

#[tokio::test]
async fn invalid_run_ids_are_refused_before_sending() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = client_with_key(&server);
    for bad in ["", ".", ".."] {
        let err = client
            .get_workflow_run(bad)
            .access_token(ACCESS_TOKEN)
            .await
            .expect_err("refused");
        match &err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("run_id"), "{message}");
                assert!(!message.contains(ACCESS_TOKEN), "{message}");
                assert!(!message.contains(API_KEY), "{message}");
            }
            other => panic!("expected InvalidRequest for {bad:?}, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        assert_eq!(err.body_text(), None);
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
    let run = client_with_key(&server)
        .get_workflow_run("run_abc123xyz")
        .await
        .expect("the documented example decodes");

    assert_eq!(run.id.as_deref(), Some("run_abc123xyz"));
    assert_eq!(run.workflow_id, "wf_abc123xyz");
    assert_eq!(run.workflow_name, "Invoice Processing");
    assert_eq!(run.organization_id, "org_123");
    assert_eq!(run.status, WorkflowRunStatus::Completed);
    assert_eq!(run.started_at, Some(at(10, 30, 0)));
    assert_eq!(run.completed_at, Some(at(10, 30, 15)));
    assert_eq!(run.created_at, Some(at(10, 30, 0)));
    assert_eq!(run.updated_at, Some(at(10, 30, 15)));
    assert_eq!(run.duration_ms, Some(15000));

    let steps = run.steps.as_ref().expect("steps");
    assert_eq!(steps.len(), 3);
    let expected = [
        (
            "start-node-1",
            "start",
            "Invoice Input",
            (10, 30, 0),
            (10, 30, 1),
            1000,
        ),
        (
            "extract-node-1",
            "extract",
            "Extract Data",
            (10, 30, 1),
            (10, 30, 10),
            9000,
        ),
        (
            "end-node-1",
            "end",
            "Output",
            (10, 30, 10),
            (10, 30, 15),
            5000,
        ),
    ];
    for (step, (id, kind, label, start, end, ms)) in steps.iter().zip(expected) {
        assert_eq!(step.node_id, id);
        assert_eq!(step.node_type.as_deref(), Some(kind));
        assert_eq!(step.node_label.as_deref(), Some(label));
        assert_eq!(step.status.as_deref(), Some("completed"));
        assert_eq!(step.started_at, Some(at(start.0, start.1, start.2)));
        assert_eq!(step.completed_at, Some(at(end.0, end.1, end.2)));
        assert_eq!(step.duration_ms, Some(ms));
    }
    assert_eq!(steps[0].output, None);
    assert_eq!(steps[1].output, Some(invoice_output()));
    assert_eq!(steps[2].output, None);

    let documents = run.input_documents.as_ref().expect("input_documents");
    assert_eq!(documents.len(), 1);
    let document = &documents["start-node-1"];
    assert_eq!(document.file_id.as_deref(), Some("file_123"));
    assert_eq!(document.filename.as_deref(), Some("invoice.pdf"));
    assert_eq!(document.mime_type.as_deref(), Some("application/pdf"));

    let outputs = run.final_outputs.as_ref().expect("final_outputs");
    assert_eq!(outputs.len(), 1);
    let output = &outputs["end-node-1"];
    assert_eq!(output.label.as_deref(), Some("Output"));
    assert_eq!(output.json_data, Some(invoice_output()));
    let json_data = output.json_data.as_ref().unwrap();
    assert_eq!(json_data["total_amount"].as_f64(), Some(1234.56));

    assert_eq!(run.error, None);
    assert_eq!(run.waiting_for_node_ids, Some(Vec::<String>::new()));

    // Absent fields with a documented default get it.
    assert_eq!(run.trigger_type, TriggerType::Manual);
    assert_eq!(run.run_resume_status, RunResumeStatus::Idle);
    assert_eq!(run.human_waiting_duration_ms, 0);
    assert!(!run.cancel_confirmation_pending);
    // Marked required by the page, missing from its own example.
    assert_eq!(run.config_snapshot_id, None);
    // Other absent fields are absent.
    assert_eq!(run.execution_phase, None);
    assert_eq!(run.error_stage, None);
    assert_eq!(run.dataset_id, None);
    assert_eq!(run.trace_spans, None);
    assert_eq!(run.executed_node_ids, None);
}

#[tokio::test]
async fn absent_status_takes_its_default() {
    let run = fetch(&minimal_run()).await;
    assert_eq!(run.workflow_id, "wf_1");
    assert_eq!(run.workflow_name, "Flow");
    assert_eq!(run.organization_id, "org_1");
    assert_eq!(run.status, WorkflowRunStatus::Pending);
    assert_eq!(run.trigger_type, TriggerType::Manual);
    assert_eq!(run.run_resume_status, RunResumeStatus::Idle);
    assert_eq!(run.human_waiting_duration_ms, 0);
    assert!(!run.cancel_confirmation_pending);
    assert_eq!(run.id, None);
    assert_eq!(run.steps, None);
}

#[tokio::test]
async fn present_values_override_defaults() {
    let mut body = minimal_run();
    let extra = json!({
        "status": "waiting_for_human",
        "trigger_type": "email",
        "trigger_email": "ops@example.com",
        "run_resume_status": "partially_resumed",
        "human_waiting_duration_ms": 4200,
        "cancel_confirmation_pending": true,
        "execution_phase": "dispatching",
        "error_stage": "output_storage",
        "config_snapshot_id": "snap_1",
        "human_waiting_started_at": "2024-01-15T10:30:00+02:00"
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let run = fetch(&body).await;
    assert_eq!(run.status, WorkflowRunStatus::WaitingForHuman);
    assert_eq!(run.trigger_type, TriggerType::Email);
    assert_eq!(run.trigger_email.as_deref(), Some("ops@example.com"));
    assert_eq!(run.run_resume_status, RunResumeStatus::PartiallyResumed);
    assert_eq!(run.human_waiting_duration_ms, 4200);
    assert!(run.cancel_confirmation_pending);
    assert_eq!(run.execution_phase, Some(ExecutionPhase::Dispatching));
    assert_eq!(run.error_stage, Some(ErrorStage::OutputStorage));
    assert_eq!(run.config_snapshot_id.as_deref(), Some("snap_1"));
    assert_eq!(run.human_waiting_started_at, Some(at(8, 30, 0)));
}

// ---------------------------------------------------------------------------------------------
// 3. Tolerant reading
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_enum_values_are_kept_and_reserialized() {
    let mut body = minimal_run();
    let extra = json!({
        "status": "archived",
        "trigger_type": "slack",
        "execution_phase": "finalizing",
        "error_stage": "billing",
        "run_resume_status": "stalled"
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let run = fetch(&body).await;

    assert_eq!(run.status, WorkflowRunStatus::Unknown("archived".into()));
    assert_eq!(run.trigger_type, TriggerType::Unknown("slack".into()));
    assert_eq!(
        run.execution_phase,
        Some(ExecutionPhase::Unknown("finalizing".into()))
    );
    assert_eq!(run.error_stage, Some(ErrorStage::Unknown("billing".into())));
    assert_eq!(
        run.run_resume_status,
        RunResumeStatus::Unknown("stalled".into())
    );

    assert_eq!(run.status.as_str(), "archived");
    assert_eq!(run.trigger_type.to_string(), "slack");
    assert_eq!(
        serde_json::to_value(&run.status).unwrap(),
        json!("archived")
    );
    assert_eq!(
        serde_json::to_value(&run.trigger_type).unwrap(),
        json!("slack")
    );
    assert_eq!(
        serde_json::to_value(&run.execution_phase).unwrap(),
        json!("finalizing")
    );
    assert_eq!(
        serde_json::to_value(&run.error_stage).unwrap(),
        json!("billing")
    );
    assert_eq!(
        serde_json::to_value(&run.run_resume_status).unwrap(),
        json!("stalled")
    );

    // The whole run re-serializes with the unknown values untouched.
    let again = serde_json::to_value(&run).unwrap();
    for (field, value) in extra.as_object().unwrap() {
        assert_eq!(&again[field], value, "{field}");
    }
    // Known values also round-trip.
    assert_eq!(
        serde_json::from_value::<WorkflowRunStatus>(json!("cancelled")).unwrap(),
        WorkflowRunStatus::Cancelled
    );
    assert_eq!(
        serde_json::to_value(WorkflowRunStatus::Cancelled).unwrap(),
        json!("cancelled")
    );
}

#[tokio::test]
async fn unknown_fields_are_ignored_at_every_level() {
    let body = json!({
        "workflow_id": "wf_1",
        "workflow_name": "Flow",
        "organization_id": "org_1",
        "brand_new_top_level": {"nested": [1, 2, 3]},
        "priority": 7,
        "steps": [
            {"node_id": "n1", "retries": 2, "extra": {"a": null}},
        ],
        "input_documents": {
            "start": {"file_id": "f1", "size_bytes": 1024, "sha256": "abc"}
        },
        "final_outputs": {
            "end": {"label": "Out", "json_data": {"k": "v"}, "schema_version": "2"}
        }
    });
    let run = fetch(&body).await;
    assert_eq!(run.workflow_id, "wf_1");
    let steps = run.steps.expect("steps");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].node_id, "n1");
    assert_eq!(steps[0].status, None);
    let documents = run.input_documents.expect("input_documents");
    assert_eq!(documents["start"].file_id.as_deref(), Some("f1"));
    assert_eq!(documents["start"].filename, None);
    let outputs = run.final_outputs.expect("final_outputs");
    assert_eq!(outputs["end"].label.as_deref(), Some("Out"));
    assert_eq!(
        outputs["end"].json_data,
        Some(BTreeMap::from([("k".to_owned(), json!("v"))]))
    );
}

#[tokio::test]
async fn nulls_of_nullable_fields_decode_to_none() {
    let body = json!({
        "workflow_id": "wf_1",
        "workflow_name": "Flow",
        "organization_id": "org_1",
        "dataset_id": null,
        "execution_phase": null,
        "trigger_email": null,
        "completed_at": null,
        "duration_ms": null,
        "human_waiting_started_at": null,
        "error": null,
        "error_stage": null,
        "trace_spans": null,
        "cancel_signal_error": null,
        "cancel_signal_failed_at": null,
        "cancel_native_error": null,
        "cancel_confirmation_error": null,
        "cancel_requested_at": null,
        "steps": [
            {"node_id": "n1", "started_at": null, "completed_at": null, "duration_ms": null, "output": null}
        ],
        "final_outputs": {"end": {"label": "Out", "json_data": null}}
    });
    let run = fetch(&body).await;
    assert_eq!(run.dataset_id, None);
    assert_eq!(run.execution_phase, None);
    assert_eq!(run.trigger_email, None);
    assert_eq!(run.completed_at, None);
    assert_eq!(run.duration_ms, None);
    assert_eq!(run.human_waiting_started_at, None);
    assert_eq!(run.error, None);
    assert_eq!(run.error_stage, None);
    assert_eq!(run.trace_spans, None);
    assert_eq!(run.cancel_signal_error, None);
    assert_eq!(run.cancel_signal_failed_at, None);
    assert_eq!(run.cancel_native_error, None);
    assert_eq!(run.cancel_confirmation_error, None);
    assert_eq!(run.cancel_requested_at, None);
    let step = &run.steps.as_ref().unwrap()[0];
    assert_eq!(step.node_id, "n1");
    assert_eq!(step.started_at, None);
    assert_eq!(step.completed_at, None);
    assert_eq!(step.duration_ms, None);
    assert_eq!(step.output, None);
    let output = &run.final_outputs.as_ref().unwrap()["end"];
    assert_eq!(output.label.as_deref(), Some("Out"));
    assert_eq!(output.json_data, None);
    // Defaults still apply.
    assert_eq!(run.status, WorkflowRunStatus::Pending);
}

#[tokio::test]
async fn failed_run_with_error_details_decodes() {
    let mut body = minimal_run();
    let extra = json!({
        "status": "error",
        "error": "Extraction failed",
        "error_stage": "execution",
        "error_details": {"node_id": "extract-node-1", "traceback": ["a", "b"]},
        "cost_summary": {"total_usd": 0.12},
        "trace_spans": [{"name": "root", "children": []}],
        "waiting_for_node_ids": ["review-1"],
        "executed_node_ids": ["start-node-1"],
        "parallel_completion_counters": {"mr_1": 3},
        "input_text_data": {"start_text": "hello"},
        "input_json_data": {"start_json": {"a": 1}}
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let run = fetch(&body).await;
    assert_eq!(run.status, WorkflowRunStatus::Error);
    assert_eq!(run.error.as_deref(), Some("Extraction failed"));
    assert_eq!(run.error_stage, Some(ErrorStage::Execution));
    let details = run.error_details.expect("error_details");
    assert_eq!(details["node_id"], json!("extract-node-1"));
    assert_eq!(details["traceback"], json!(["a", "b"]));
    assert_eq!(run.cost_summary.unwrap()["total_usd"], json!(0.12));
    let spans = run.trace_spans.expect("trace_spans");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0]["name"], json!("root"));
    assert_eq!(run.waiting_for_node_ids, Some(vec!["review-1".to_owned()]));
    assert_eq!(run.executed_node_ids, Some(vec!["start-node-1".to_owned()]));
    assert_eq!(
        run.parallel_completion_counters,
        Some(BTreeMap::from([("mr_1".to_owned(), 3)]))
    );
    assert_eq!(run.input_text_data.unwrap()["start_text"], "hello");
    assert_eq!(run.input_json_data.unwrap()["start_json"], json!({"a": 1}));
}

// ---------------------------------------------------------------------------------------------
// 4. Error statuses (retab documents none)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn validation_error_is_an_unexpected_status_with_its_body() {
    let body = json!({
        "detail": [
            {"loc": ["query", "access_token"], "msg": "field required", "type": "value_error.missing"}
        ]
    })
    .to_string();
    let err = fetch_err(422, "application/json", &body).await;
    match &err {
        Error::UnexpectedStatus { status, body: text } => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(text, &body);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.body_text(), Some(body.as_str()));
    assert!(err.api_body().is_none());
    let message = err.to_string();
    assert!(message.contains("422"), "{message}");
    assert!(message.contains("value_error.missing"), "{message}");
}

#[tokio::test]
async fn not_found_is_an_unexpected_status() {
    let body = r#"{"detail":"Workflow run not found"}"#;
    let err = fetch_err(404, "application/json", body).await;
    match &err {
        Error::UnexpectedStatus { status, body: text } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(text, body);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Bad answers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn server_error_with_html_is_an_unexpected_status() {
    let html = "<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>";
    let err = fetch_err(500, "text/html", html).await;
    match &err {
        Error::UnexpectedStatus { status, body } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body, html);
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(html));
    assert!(!err.to_string().contains(API_KEY));
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
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.body_text(), Some(""));
}

#[tokio::test]
async fn malformed_json_is_a_decode_error() {
    let text = r#"{"workflow_id": "wf_1", "workflow_name": "#;
    let err = fetch_err(200, "application/json", text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, text);
            assert!(source.is_eof() || source.is_syntax(), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(err.body_text(), Some(text));
}

#[tokio::test]
async fn wrong_type_for_a_required_field_is_a_decode_error() {
    let text =
        json!({"workflow_id": 5, "workflow_name": "Flow", "organization_id": "org_1"}).to_string();
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
async fn missing_required_field_is_a_decode_error() {
    let text = json!({"workflow_id": "wf_1", "workflow_name": "Flow"}).to_string();
    let err = fetch_err(200, "application/json", &text).await;
    match &err {
        Error::Decode {
            status,
            body,
            source,
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
            assert!(source.to_string().contains("organization_id"), "{source}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn wrong_type_for_an_enum_is_a_decode_error() {
    let text = json!({
        "workflow_id": "wf_1", "workflow_name": "Flow", "organization_id": "org_1", "status": 5
    })
    .to_string();
    let err = fetch_err(200, "application/json", &text).await;
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, &text);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn closed_port_is_a_transport_error_without_secrets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);

    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key(API_KEY)
        .build()
        .unwrap();
    let err = client
        .get_workflow_run("run_1")
        .access_token(ACCESS_TOKEN)
        .await
        .expect_err("nothing listens");
    match &err {
        Error::Transport { method, path, .. } => {
            assert_eq!(method.as_str(), "GET");
            assert_eq!(path, "/v1/workflows/runs/run_1");
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
        for secret in [API_KEY, ACCESS_TOKEN, ACCESS_TOKEN_ENCODED, "access_token"] {
            assert!(!text.contains(secret), "{secret:?} leaked into {text:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Secrets stay out of Debug
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_hides_api_key_and_access_token() {
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .api_key(API_KEY);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(API_KEY), "{builder_debug}");

    let client = builder.build().unwrap();
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(API_KEY), "{client_debug}");
    assert!(client_debug.contains("127.0.0.1:9"), "{client_debug}");
    let pretty = format!("{client:#?}");
    assert!(!pretty.contains(API_KEY), "{pretty}");

    let request = client.get_workflow_run("run_1").access_token(ACCESS_TOKEN);
    for debug in [format!("{request:?}"), format!("{request:#?}")] {
        assert!(!debug.contains(ACCESS_TOKEN), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(!debug.contains(API_KEY), "{debug}");
        assert!(debug.contains("run_1"), "{debug}");
    }
}

#[tokio::test]
async fn reserved_and_non_ascii_run_ids_stay_in_their_segment() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    client_with_key(&server)
        .get_workflow_run("é %2e%2e?#")
        .await
        .expect("decodes");
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v1/workflows/runs/%C3%A9%20%252e%252e%3F%23"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(request.url.fragment(), None);
}

#[tokio::test]
async fn api_key_that_cannot_be_a_header_is_refused_without_quoting_it() {
    let server = answering(200, "application/json", DOC_EXAMPLE).await;
    let client = Client::builder()
        .base_url(base(&server))
        .api_key("rt_live_line\nbreak")
        .build()
        .unwrap();
    let err = client.get_workflow_run("run_1").await.expect_err("refused");
    match &err {
        Error::InvalidRequest(message) => {
            assert!(message.contains("Api-Key"), "{message}");
            assert!(!message.contains("rt_live_line"), "{message}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    let received = server.received_requests().await.expect("recording is on");
    assert!(received.is_empty(), "no request may reach the server");
}
