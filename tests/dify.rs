//! Behaviour of the generated `dify-client` against a real HTTP server on 127.0.0.1.

use apigen_runtime::EmbeddedJson;
use apigen_tests::wiremock::MockServer;
use apigen_tests::{answering, answering_json, base, header, only_request};
use dify_client::types::{
    ErrorResponse, WorkflowRunDetailResponse, WorkflowRunDetailResponseStatus,
};
use dify_client::{Client, Error, ErrorBody};
use serde_json::json;
use uuid::Uuid;

const API_KEY: &str = "app-Dify9f3b2c1e-secret-key";
/// A run id with a space and slashes: it must stay inside its path segment.
const AWKWARD_ID: &str = "a b/../c";
const AWKWARD_PATH: &str = "/v1/workflows/run/a%20b%2F..%2Fc";
const RUN_ID: &str = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";

/// The API's own base path is kept, like the real `https://api.dify.ai/v1`.
fn api_base(server: &MockServer) -> String {
    format!("{}/v1", base(server))
}

fn with_key(server: &MockServer) -> Client {
    Client::builder()
        .base_url(api_base(server))
        .api_key_auth(API_KEY)
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .build()
        .expect("client builds")
}

/// The `workflowRunDetail` example of the document, verbatim.
fn documented_example() -> serde_json::Value {
    json!({
        "id": "fb47b2e6-5e43-4f90-be01-d5c5a088d156",
        "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345",
        "status": "succeeded",
        "inputs": {"query": "Translate this to French"},
        "outputs": {"result": "Traduisez ceci en francais"},
        "error": null,
        "total_steps": 3,
        "total_tokens": 150,
        "created_at": 1705407629,
        "finished_at": 1705407630,
        "elapsed_time": 1.23
    })
}

// ---------------------------------------------------------------------------------------------
// 1. The request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_is_a_get_on_the_encoded_path_with_accept_and_user_agent_and_no_credentials() {
    let server = answering_json(200, &documented_example()).await;
    let client = Client::new(&api_base(&server));

    client
        .get_workflow_run_detail(AWKWARD_ID)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), AWKWARD_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").expect("a User-Agent is sent");
    assert!(agent.starts_with("dify-client/"), "User-Agent {agent:?}");
    assert_eq!(
        header(&request, "authorization"),
        None,
        "no credentials configured"
    );
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn api_key_auth_is_sent_as_a_bearer_token() {
    let server = answering_json(200, &documented_example()).await;

    with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), format!("/v1/workflows/run/{RUN_ID}"));
    let expected = format!("Bearer {API_KEY}");
    assert_eq!(header(&request, "authorization"), Some(expected.as_str()));
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").unwrap();
    assert!(agent.starts_with("dify-client/"), "User-Agent {agent:?}");
}

#[tokio::test]
async fn a_base_url_with_a_trailing_slash_gives_the_same_path() {
    let server = answering_json(200, &documented_example()).await;
    let client = Client::builder()
        .base_url(format!("{}/v1/", base(&server)))
        .api_key_auth(API_KEY)
        .build()
        .unwrap();

    client.get_workflow_run_detail(AWKWARD_ID).await.unwrap();

    let request = only_request(&server).await;
    assert_eq!(request.url.path(), AWKWARD_PATH);
}

// ---------------------------------------------------------------------------------------------
// 2. A realistic 200: the documented example
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_documented_example_decodes_every_field() {
    let server = answering_json(200, &documented_example()).await;

    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .send()
        .await
        .expect("decodes");

    assert_eq!(
        run.id,
        Some(Uuid::parse_str("fb47b2e6-5e43-4f90-be01-d5c5a088d156").unwrap())
    );
    assert_eq!(
        run.workflow_id,
        Some(Uuid::parse_str("7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345").unwrap())
    );
    assert_eq!(run.status, Some(WorkflowRunDetailResponseStatus::Succeeded));
    let inputs = run.inputs.as_ref().expect("inputs");
    assert!(!inputs.is_text(), "the example sends an object");
    let inputs = inputs.parse().unwrap();
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs["query"], json!("Translate this to French"));
    let outputs = run.outputs.as_ref().expect("outputs").parse().unwrap();
    assert_eq!(outputs.len(), 1);
    assert_eq!(outputs["result"], json!("Traduisez ceci en francais"));
    assert_eq!(run.error, None, "`error: null`");
    assert_eq!(run.total_steps, Some(3));
    assert_eq!(run.total_tokens, Some(150));
    assert_eq!(run.created_at, Some(1_705_407_629));
    assert_eq!(run.finished_at, Some(1_705_407_630));
    assert_eq!(run.elapsed_time, Some(1.23));

    // The timestamps are Unix seconds.
    let created = chrono::DateTime::from_timestamp(run.created_at.unwrap(), 0).unwrap();
    assert_eq!(created.to_rfc3339(), "2024-01-16T12:20:29+00:00");

    // Serializing gives the example back, except `error: null`, which is left out.
    let mut example = documented_example();
    example.as_object_mut().unwrap().remove("error");
    assert_eq!(serde_json::to_value(&run).unwrap(), example);
}

#[tokio::test]
async fn a_running_run_with_nulls_and_a_failed_run_decode() {
    let running = json!({
        "id": RUN_ID,
        "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345",
        "status": "running",
        "inputs": "{\"query\": \"hi\", \"files\": [], \"n\": 2}",
        "outputs": null,
        "error": null,
        "total_steps": 1,
        "total_tokens": 0,
        "created_at": 1705407629,
        "finished_at": null,
        "elapsed_time": null
    });
    let server = answering_json(200, &running).await;
    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap();
    assert_eq!(run.status, Some(WorkflowRunDetailResponseStatus::Running));
    assert_eq!(run.outputs, None);
    assert_eq!(run.finished_at, None);
    assert_eq!(run.elapsed_time, None);
    assert_eq!(run.total_tokens, Some(0));
    let inputs = run.inputs.unwrap().into_parsed().unwrap();
    assert_eq!(inputs["query"], json!("hi"));
    assert_eq!(inputs["files"], json!([]));
    assert_eq!(inputs["n"], json!(2));

    let failed = json!({
        "id": RUN_ID,
        "status": "failed",
        "error": "Node LLM run failed: rate limited",
        "outputs": {}
    });
    let server = answering_json(200, &failed).await;
    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap();
    assert_eq!(run.status, Some(WorkflowRunDetailResponseStatus::Failed));
    assert_eq!(
        run.error.as_deref(),
        Some("Node LLM run failed: rate limited")
    );
    assert_eq!(run.outputs, Some(EmbeddedJson::Json(Default::default())));
    assert_eq!(run.workflow_id, None);
    assert_eq!(run.inputs, None);
}

/// A run as the server sends it: `inputs` is the JSON text the server stores (`sys.*` keys
/// included), `outputs` an object, times Unix seconds.
fn server_run(status: &str) -> serde_json::Value {
    json!({
        "id": RUN_ID,
        "workflow_id": "7c3e33d4-2a8b-4e5f-9b1a-d3c6e8f12345",
        "status": status,
        "inputs": "{\"query\": \"hi\", \"sys.files\": [], \"sys.user_id\": \"abc-123\", \"sys.app_id\": \"app-1\"}",
        "outputs": {"answer": "Bonjour", "usage": {"total_tokens": 12}},
        "error": null,
        "total_steps": 4,
        "total_tokens": 12,
        "created_at": 1727807629,
        "finished_at": 1727807631,
        "elapsed_time": 1.873_402_123
    })
}

#[tokio::test]
async fn inputs_sent_as_json_text_decode_and_parse() {
    let server = answering_json(200, &server_run("succeeded")).await;

    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .expect("the server's shape decodes");

    let inputs = run.inputs.as_ref().expect("inputs");
    assert!(inputs.is_text());
    assert_eq!(
        inputs.as_text(),
        Some(
            "{\"query\": \"hi\", \"sys.files\": [], \"sys.user_id\": \"abc-123\", \"sys.app_id\": \"app-1\"}"
        )
    );
    let parsed = inputs.parse().unwrap();
    assert_eq!(parsed["query"], json!("hi"));
    assert_eq!(parsed["sys.files"], json!([]));
    assert_eq!(parsed["sys.user_id"], json!("abc-123"));
    assert_eq!(
        inputs.to_value().unwrap(),
        json!({"query": "hi", "sys.files": [], "sys.user_id": "abc-123", "sys.app_id": "app-1"})
    );
    let outputs = run.outputs.as_ref().unwrap();
    assert!(!outputs.is_text());
    assert_eq!(
        outputs.parse().unwrap()["usage"],
        json!({"total_tokens": 12})
    );
    assert_eq!(run.elapsed_time, Some(1.873_402_123));
    // Written back, each field keeps the form it came in.
    assert_eq!(serde_json::to_value(&run).unwrap(), {
        let mut sent = server_run("succeeded");
        sent.as_object_mut().unwrap().remove("error");
        sent
    });
}

#[tokio::test]
async fn outputs_sent_as_json_text_by_older_servers_and_null_inputs_decode() {
    let mut body = server_run("succeeded");
    body["outputs"] = json!("{\"answer\": \"Bonjour\"}");
    body["inputs"] = json!(null);
    let server = answering_json(200, &body).await;

    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap();

    assert_eq!(run.inputs, None);
    let outputs = run.outputs.unwrap();
    assert!(outputs.is_text());
    assert_eq!(outputs.parse().unwrap()["answer"], json!("Bonjour"));
}

#[tokio::test]
async fn every_status_the_server_sends_decodes_to_its_variant() {
    let statuses = [
        ("scheduled", WorkflowRunDetailResponseStatus::Scheduled),
        ("running", WorkflowRunDetailResponseStatus::Running),
        ("succeeded", WorkflowRunDetailResponseStatus::Succeeded),
        ("failed", WorkflowRunDetailResponseStatus::Failed),
        ("stopped", WorkflowRunDetailResponseStatus::Stopped),
        (
            "partial-succeeded",
            WorkflowRunDetailResponseStatus::PartialSucceeded,
        ),
        ("paused", WorkflowRunDetailResponseStatus::Paused),
    ];
    for (sent, expected) in statuses {
        let mut body = server_run(sent);
        if sent == "running" || sent == "paused" || sent == "scheduled" {
            body["finished_at"] = json!(null);
            body["elapsed_time"] = json!(null);
            body["outputs"] = json!(null);
        }
        let server = answering_json(200, &body).await;
        let run = with_key(&server)
            .get_workflow_run_detail(RUN_ID)
            .await
            .unwrap_or_else(|e| panic!("{sent}: {e}"));
        assert_eq!(run.status.as_ref(), Some(&expected), "{sent}");
        assert_eq!(run.status.unwrap().as_str(), sent);
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Unknown fields and statuses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_fields_are_ignored_and_unlisted_statuses_are_kept() {
    let mut body = documented_example();
    body["status"] = json!("archived");
    body["exceptions_count"] = json!(1);
    body["created_by"] = json!({"id": "u1", "role": {"name": "owner", "scopes": ["all"]}});
    let server = answering_json(200, &body).await;

    let run = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .expect("decodes");

    let mut expected: WorkflowRunDetailResponse =
        serde_json::from_value(documented_example()).unwrap();
    expected.status = Some(WorkflowRunDetailResponseStatus::Unknown("archived".into()));
    assert_eq!(run, expected);
    let again = serde_json::to_value(&run).unwrap();
    assert_eq!(again["status"], json!("archived"));
    assert!(again.get("exceptions_count").is_none());
}

// ---------------------------------------------------------------------------------------------
// 4. Documented errors: 400, 401, 403 and 404, one body
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_documented_400_decodes_into_its_error_body() {
    let body = json!({
        "status": 400,
        "code": "not_workflow_app",
        "message": "Please check if your app mode matches the right API route."
    })
    .to_string();
    let server = answering(400, "application/json", &body).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.raw, body);
    let ErrorBody::ErrorResponse(detail) = &api.body;
    assert_eq!(
        detail,
        &ErrorResponse {
            code: "not_workflow_app".into(),
            message: "Please check if your app mode matches the right API route.".into(),
            status: 400,
        }
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.body_text(), Some(body.as_str()));
    let text = err.to_string();
    assert!(text.contains("400"), "{text}");
    assert!(text.contains("not_workflow_app"), "{text}");
    assert!(!text.contains(API_KEY), "{text}");
}

#[tokio::test]
async fn the_documented_404_decodes_into_its_error_body() {
    let body = json!({
        "status": 404,
        "code": "not_found",
        "message": "Workflow run not found."
    })
    .to_string();
    let server = answering(404, "application/json", &body).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();

    let Some(ErrorBody::ErrorResponse(detail)) = err.api_body() else {
        panic!("expected a decoded error body, got {err:?}");
    };
    assert_eq!(detail.code, "not_found");
    assert_eq!(detail.message, "Workflow run not found.");
    assert_eq!(detail.status, 404);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.body_text(), Some(body.as_str()));
    assert!(matches!(&err, Error::Api(api) if api.status.as_u16() == 404 && api.raw == body));
}

#[tokio::test]
async fn a_401_and_a_403_decode_into_the_same_error_body() {
    for (status, code, message) in [
        (401, "unauthorized", "Access token is invalid"),
        (403, "forbidden", "The app's API service has been disabled."),
    ] {
        let body = json!({"status": status, "code": code, "message": message}).to_string();
        let server = answering(status, "application/json", &body).await;

        let err = with_key(&server)
            .get_workflow_run_detail(RUN_ID)
            .await
            .unwrap_err();

        let Some(ErrorBody::ErrorResponse(detail)) = err.api_body() else {
            panic!("{status}: expected a decoded error body, got {err:?}");
        };
        assert_eq!(detail.code, code);
        assert_eq!(detail.message, message);
        assert_eq!(i64::from(status), detail.status);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(!err.to_string().contains(API_KEY));
    }
}

#[tokio::test]
async fn an_error_body_with_extra_fields_decodes_and_one_without_code_says_where() {
    let body =
        r#"{"code":"not_found","message":"gone","status":404,"trace_id":"abc","details":{"x":1}}"#;
    let server = answering(404, "application/json", body).await;
    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();
    let Some(ErrorBody::ErrorResponse(detail)) = err.api_body() else {
        panic!("expected a decoded error body, got {err:?}");
    };
    assert_eq!(detail.code, "not_found");
    assert_eq!(err.body_text(), Some(body));

    let body = r#"{"message":"gone","status":"404"}"#;
    let server = answering(404, "application/json", body).await;
    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();
    assert_eq!(err.decode_path(), Some("status"), "{err}");
    assert!(err.to_string().contains("at `status`"), "{err}");
}

#[tokio::test]
async fn a_documented_status_with_an_html_body_is_an_unexpected_answer_not_a_decode_error() {
    // A 404 page from a proxy in front of the API: the document's error body is JSON, this is
    // not, and its content type says so.
    let html = "<html><body>404 page not found</body></html>";
    let server = answering(404, "text/html", html).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();

    match &err {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(headers["content-type"], "text/html");
            assert_eq!(body, html);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("unexpected status 404 Not Found (text/html): <html>"),
        "{err}"
    );
    // A JSON error body that does not match is still a decode error.
    let server = answering(404, "application/json", r#"{"code": 404}"#).await;
    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();
    assert_eq!(err.decode_path(), Some("code"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// 5. Bad answers become errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_html_500_is_an_unexpected_status_keeping_the_body() {
    let html = "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>nginx</body>\n</html>";
    let server = answering(500, "text/html", html).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();

    match &err {
        Error::UnexpectedStatus { status, body, .. } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(body, html);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.body_text(), Some(html));
    assert!(err.api_body().is_none());
    let text = err.to_string();
    assert!(text.starts_with("unexpected status 500"), "{text}");
    assert!(text.contains("500 Internal Server Error</title>"), "{text}");
    assert!(!text.contains('\n'), "{text:?}");
}

#[tokio::test]
async fn an_undocumented_error_status_with_the_usual_json_body_is_unexpected() {
    let body = r#"{"status":409,"code":"conflict","message":"busy"}"#;
    let server = answering(409, "application/json", body).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
        .await
        .unwrap_err();

    assert!(
        matches!(&err, Error::UnexpectedStatus { status, body: b, .. } if status.as_u16() == 409 && b == body),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let server = answering(200, "application/json", "").await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
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
    assert!(err.to_string().contains("(empty body)"), "{err}");
}

#[tokio::test]
async fn malformed_json_in_a_200_is_a_decode_error() {
    let server = answering(200, "application/json", r#"{"id": "#).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
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
async fn a_wrong_type_for_a_field_is_a_decode_error() {
    // The document makes no field required; `total_steps` must still be an integer.
    let mut body = documented_example();
    body["total_steps"] = json!("three");
    let text = body.to_string();
    let server = answering(200, "application/json", &text).await;

    let err = with_key(&server)
        .get_workflow_run_detail(RUN_ID)
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

    // A uuid that is not one, a map that is a string, a fractional integer, a top-level array.
    assert_eq!(err.decode_path(), Some("total_steps"));
    assert!(
        err.to_string()
            .contains("at `total_steps`: invalid type: string \"three\""),
        "{err}"
    );

    // A uuid that is not one, inputs that are a number, a fractional integer, a top-level array
    // (an object is expected at the top: structs are read from objects only).
    let mut bad_uuid = documented_example();
    bad_uuid["id"] = json!("not-a-uuid");
    let mut bad_map = documented_example();
    bad_map["inputs"] = json!(42);
    let mut fractional = documented_example();
    fractional["created_at"] = json!(1705407629.5);
    for (broken, path) in [
        (bad_uuid, "id"),
        (bad_map, "inputs"),
        (fractional, "created_at"),
        (json!([documented_example()]), "."),
    ] {
        let sent = broken.to_string();
        let server = answering(200, "application/json", &sent).await;
        let err = with_key(&server)
            .get_workflow_run_detail(RUN_ID)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { status, body, .. } if status.as_u16() == 200 && *body == sent),
            "expected Error::Decode for {broken}, got {err:?}"
        );
        assert_eq!(err.decode_path(), Some(path), "{broken}");
    }
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_that_does_not_show_the_credential() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/v1"))
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .api_key_auth(API_KEY)
        .build()
        .unwrap();

    let err = client.get_workflow_run_detail(RUN_ID).await.unwrap_err();

    match &err {
        Error::Transport {
            method,
            path,
            source,
            ..
        } => {
            assert_eq!(method.as_str(), "GET");
            assert_eq!(
                path, "/workflows/run/{workflow_run_id}",
                "the template, no values"
            );
            assert!(source.is_connect(), "{source:?}");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(err.status(), None);
    let text = err.to_string();
    assert!(text.starts_with("GET /workflows/run/"), "{text}");
    assert!(!text.contains(API_KEY), "{text}");
    assert!(!format!("{err:?}").contains(API_KEY));
}

// ---------------------------------------------------------------------------------------------
// 6. Secrets stay out of Debug
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_credential() {
    let builder = Client::builder()
        .base_url("https://api.dify.ai/v1")
        .api_key_auth(API_KEY);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(API_KEY), "{builder_debug}");

    let client = builder.build().unwrap();
    for debug in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!debug.contains(API_KEY), "{debug}");
        assert!(!debug.contains("Dify9f3b2c1e"), "{debug}");
        assert!(debug.contains("https://api.dify.ai/v1"), "{debug}");
    }
    let request = client.get_workflow_run_detail(RUN_ID);
    assert!(!format!("{request:?}").contains(API_KEY));
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.dify.ai/v1");
}

// ---------------------------------------------------------------------------------------------
// Invalid path values
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_and_dot_dot_run_ids_are_refused_before_sending() {
    let server = answering_json(200, &documented_example()).await;
    let client = with_key(&server);

    for bad in ["", "..", "."] {
        let err = client.get_workflow_run_detail(bad).await.unwrap_err();
        match &err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("workflow_run_id"), "{message}");
                assert!(!message.contains(API_KEY), "{message}");
            }
            other => panic!("{bad:?}: expected Error::InvalidRequest, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        assert_eq!(err.body_text(), None);
    }
    let received = server.received_requests().await.unwrap();
    assert!(
        received.is_empty(),
        "nothing reaches the server: {received:?}"
    );
}
