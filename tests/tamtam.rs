//! Behaviour of the generated `tamtam-client` against a real HTTP server on 127.0.0.1.

use apigen_tests::wiremock::MockServer;
use apigen_tests::{answering, answering_json, base, header, only_request};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use tamtam_client::types::{ErrorDetail, UserWorkflowRunWithStepsDto};
use tamtam_client::{Client, Error, ErrorBody};

const API_KEY: &str = "tt-apikey-8f2c1d77-secret";
const BEARER: &str = "eyJhbGciOiJIUzI1NiJ9.tamtam-jwt.secret-signature";
/// A run id with a space and slashes: it must stay inside its path segment.
const AWKWARD_ID: &str = "a b/../c";
const AWKWARD_PATH: &str = "/api/v1/user-workflow-runs/a%20b%2F..%2Fc";
const RUN_ID: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";

/// The API's own base path is kept: the client is pointed at `<server>/api`, like the real
/// `https://api.tamtam.ai/api`.
fn api_base(server: &MockServer) -> String {
    format!("{}/api", base(server))
}

fn with_api_key(server: &MockServer) -> Client {
    Client::builder()
        .base_url(api_base(server))
        .apikey_auth(API_KEY)
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .build()
        .expect("client builds")
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

/// A full answer written from the schema: every property of every object, nested steps with
/// and without a parent, arbitrary JSON as step input/output.
fn full_run() -> serde_json::Value {
    json!({
        "Run": {
            "ID": RUN_ID,
            "AccountID": "d5e8f7a4-6789-4cde-bf01-234567890abc",
            "UserEmail": "elliot.alderson@tamtam.ai",
            "CreatedAt": "2026-04-07T09:00:00Z",
            "UpdatedAt": "2026-04-07T11:05:30+02:00"
        },
        "Status": "RUNNING",
        "Steps": [
            {
                "ID": "c4d7e6f3-5678-4bcd-aef0-1234567890ab",
                "UserWorkflowRunID": RUN_ID,
                "StepType": "search_people",
                "Status": "COMPLETED",
                "CreatedAt": "2026-04-07T09:00:01Z",
                "UpdatedAt": "2026-04-07T09:01:00.250Z",
                "Input": {"query": "CTO in Paris", "limit": 25, "filters": ["series-a", "saas"]},
                "Output": [{"name": "Ada", "score": 0.93}, {"name": "Grace", "score": 0.88}]
            },
            {
                "ID": "e6f9a8b5-7890-4def-b012-34567890abcd",
                "UserWorkflowRunID": RUN_ID,
                "StepType": "enrich_contact",
                "Status": "RUNNING",
                "CreatedAt": "2026-04-07T09:01:00Z",
                "UpdatedAt": "2026-04-07T09:05:00Z",
                "ParentStepID": "c4d7e6f3-5678-4bcd-aef0-1234567890ab",
                "Input": "Ada",
                "Output": null
            }
        ]
    })
}

// ---------------------------------------------------------------------------------------------
// 1. The request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn request_is_a_get_on_the_encoded_path_with_accept_and_user_agent_and_no_credentials() {
    let server = answering_json(200, &full_run()).await;
    let client = Client::new(&api_base(&server));

    client
        .get_user_workflow_run(AWKWARD_ID)
        .await
        .expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), AWKWARD_PATH);
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let agent = header(&request, "user-agent").expect("a User-Agent is sent");
    assert!(agent.starts_with("tamtam-client/"), "User-Agent {agent:?}");
    assert_eq!(
        header(&request, "authorization"),
        None,
        "no credentials configured"
    );
    assert!(request.body.is_empty(), "a GET has no body");
}

#[tokio::test]
async fn apikey_auth_sends_the_raw_key_in_authorization() {
    let server = answering_json(200, &full_run()).await;
    let client = with_api_key(&server);

    client.get_user_workflow_run(RUN_ID).await.expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        format!("/api/v1/user-workflow-runs/{RUN_ID}")
    );
    assert_eq!(header(&request, "authorization"), Some(API_KEY));
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    assert_eq!(header(&request, "accept"), Some("application/json"));
}

#[tokio::test]
async fn bearer_auth_sends_a_bearer_token_in_authorization() {
    let server = answering_json(200, &full_run()).await;
    let client = Client::builder()
        .base_url(api_base(&server))
        .bearer_auth(BEARER)
        .build()
        .unwrap();

    client.get_user_workflow_run(RUN_ID).await.expect("decodes");

    let request = only_request(&server).await;
    let expected = format!("Bearer {BEARER}");
    assert_eq!(header(&request, "authorization"), Some(expected.as_str()));
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    let agent = header(&request, "user-agent").unwrap();
    assert!(agent.starts_with("tamtam-client/"), "User-Agent {agent:?}");
}

#[tokio::test]
async fn with_both_schemes_configured_the_first_alternative_apikey_wins() {
    let server = answering_json(200, &full_run()).await;
    // Configured in the opposite order to the document's alternatives.
    let client = Client::builder()
        .base_url(api_base(&server))
        .bearer_auth(BEARER)
        .apikey_auth(API_KEY)
        .build()
        .unwrap();

    client.get_user_workflow_run(RUN_ID).await.expect("decodes");

    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some(API_KEY));
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// 2. A realistic 200
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_full_run_with_steps_decodes_every_field() {
    let server = answering_json(200, &full_run()).await;
    let run = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .send()
        .await
        .expect("decodes");

    assert_eq!(run.status, "RUNNING");
    assert_eq!(run.run.id, RUN_ID);
    assert_eq!(run.run.account_id, "d5e8f7a4-6789-4cde-bf01-234567890abc");
    assert_eq!(run.run.user_email, "elliot.alderson@tamtam.ai");
    assert_eq!(run.run.created_at, utc(2026, 4, 7, 9, 0, 0));
    // An offset is converted to UTC.
    assert_eq!(run.run.updated_at, utc(2026, 4, 7, 9, 5, 30));

    let steps = run.steps.as_ref().expect("Steps is an array");
    assert_eq!(steps.len(), 2);

    let first = &steps[0];
    assert_eq!(first.id, "c4d7e6f3-5678-4bcd-aef0-1234567890ab");
    assert_eq!(first.user_workflow_run_id, RUN_ID);
    assert_eq!(first.step_type, "search_people");
    assert_eq!(first.status, "COMPLETED");
    assert_eq!(first.created_at, utc(2026, 4, 7, 9, 0, 1));
    assert_eq!(
        first.updated_at,
        utc(2026, 4, 7, 9, 1, 0) + chrono::Duration::milliseconds(250)
    );
    assert_eq!(first.parent_step_id, None);
    assert_eq!(
        first.input,
        Some(json!({"query": "CTO in Paris", "limit": 25, "filters": ["series-a", "saas"]}))
    );
    assert_eq!(
        first.output,
        Some(json!([{"name": "Ada", "score": 0.93}, {"name": "Grace", "score": 0.88}]))
    );

    let second = &steps[1];
    assert_eq!(second.id, "e6f9a8b5-7890-4def-b012-34567890abcd");
    assert_eq!(second.user_workflow_run_id, RUN_ID);
    assert_eq!(second.step_type, "enrich_contact");
    assert_eq!(second.status, "RUNNING");
    assert_eq!(second.created_at, utc(2026, 4, 7, 9, 1, 0));
    assert_eq!(second.updated_at, utc(2026, 4, 7, 9, 5, 0));
    assert_eq!(
        second.parent_step_id.as_deref(),
        Some("c4d7e6f3-5678-4bcd-aef0-1234567890ab")
    );
    assert_eq!(second.input, Some(json!("Ada")));
    assert_eq!(second.output, None, "an explicit null output");
}

#[tokio::test]
async fn null_steps_decode_to_none() {
    let body = json!({
        "Run": {
            "ID": RUN_ID,
            "AccountID": "d5e8f7a4-6789-4cde-bf01-234567890abc",
            "UserEmail": "elliot.alderson@tamtam.ai",
            "CreatedAt": "2026-04-07T09:00:00Z",
            "UpdatedAt": "2026-04-07T09:00:00Z"
        },
        "Status": "PENDING",
        "Steps": null
    });
    let server = answering_json(200, &body).await;
    let run = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap();
    assert_eq!(run.status, "PENDING");
    assert_eq!(run.steps, None);
    assert_eq!(run.run.created_at, utc(2026, 4, 7, 9, 0, 0));

    // An empty array stays an empty array, distinct from null.
    let mut empty = body.clone();
    empty["Steps"] = json!([]);
    let server = answering_json(200, &empty).await;
    let run = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap();
    assert_eq!(run.steps, Some(vec![]));
}

// ---------------------------------------------------------------------------------------------
// 3. Unknown fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_fields_at_every_level_are_ignored() {
    let mut body = full_run();
    body["Links"] = json!({"self": "/v1/user-workflow-runs/x"});
    body["Run"]["Workspace"] = json!("growth");
    body["Steps"][0]["RetryCount"] = json!(2);
    body["Steps"][1]["Meta"] = json!({"nested": [1, 2, 3]});
    let server = answering_json(200, &body).await;

    let run = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .await
        .expect("decodes");

    let expected: UserWorkflowRunWithStepsDto = serde_json::from_value(full_run()).unwrap();
    assert_eq!(run, expected, "extra fields change nothing");
    assert_eq!(run.run.user_email, "elliot.alderson@tamtam.ai");
    assert_eq!(run.steps.as_ref().unwrap()[1].step_type, "enrich_contact");
}

// ---------------------------------------------------------------------------------------------
// 4. Documented errors (`default` -> problem+json ErrorModel)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn documented_error_statuses_decode_into_error_model() {
    for (status, title) in [
        (400, "Bad Request"),
        (404, "Not Found"),
        (422, "Unprocessable Entity"),
        (500, "Internal Server Error"),
    ] {
        let body = json!({
            "type": "https://docs.api.tamtam.ai/errors/example",
            "title": title,
            "status": status,
            "detail": format!("detail for {status}"),
            "instance": "https://example.com/error-log/abc123",
            "errors": [
                {"location": "path.UserWorkflowRunID", "message": "expected a UUID", "value": "nope"},
                {"location": "body.items[3].tags", "message": "too many", "value": [1, 2]},
                {"message": "no location or value"}
            ]
        })
        .to_string();
        let server = answering(status, "application/problem+json", &body).await;

        let err = with_api_key(&server)
            .get_user_workflow_run(RUN_ID)
            .await
            .unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.body_text(), Some(body.as_str()));
        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}");
        };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.raw, body);
        let ErrorBody::ErrorModel(model) = &api.body;
        assert_eq!(model.type_, "https://docs.api.tamtam.ai/errors/example");
        assert_eq!(model.title.as_deref(), Some(title));
        assert_eq!(model.status, Some(i64::from(status)));
        assert_eq!(
            model.detail.as_deref(),
            Some(format!("detail for {status}").as_str())
        );
        assert_eq!(
            model.instance.as_deref(),
            Some("https://example.com/error-log/abc123")
        );
        let errors = model.errors.as_ref().expect("errors[] present");
        assert_eq!(
            errors,
            &vec![
                ErrorDetail {
                    location: Some("path.UserWorkflowRunID".into()),
                    message: Some("expected a UUID".into()),
                    value: Some(json!("nope")),
                },
                ErrorDetail {
                    location: Some("body.items[3].tags".into()),
                    message: Some("too many".into()),
                    value: Some(json!([1, 2])),
                },
                ErrorDetail {
                    location: None,
                    message: Some("no location or value".into()),
                    value: None,
                },
            ]
        );
        assert_eq!(err.api_body(), Some(&api.body));
        let text = err.to_string();
        assert!(text.contains(&status.to_string()), "{text}");
        assert!(!text.contains(API_KEY), "{text}");
    }
}

#[tokio::test]
async fn error_model_type_defaults_to_about_blank_and_errors_may_be_null() {
    let body =
        r#"{"title":"Not Found","status":404,"detail":"workflow run not found","errors":null}"#;
    let server = answering(404, "application/problem+json", body).await;

    let err = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();

    let Some(ErrorBody::ErrorModel(model)) = err.api_body() else {
        panic!("expected a decoded ErrorModel, got {err:?}");
    };
    assert_eq!(model.type_, "about:blank");
    assert_eq!(model.title.as_deref(), Some("Not Found"));
    assert_eq!(model.status, Some(404));
    assert_eq!(model.detail.as_deref(), Some("workflow run not found"));
    assert_eq!(model.instance, None);
    assert_eq!(model.errors, None);
    assert_eq!(err.body_text(), Some(body));
}

#[tokio::test]
async fn an_undocumented_looking_status_still_uses_the_default_error_model() {
    // `default` covers every non-200 status, including 401 and 503 with an empty object.
    for status in [401, 503] {
        let server = answering(status, "application/problem+json", "{}").await;
        let err = with_api_key(&server)
            .get_user_workflow_run(RUN_ID)
            .await
            .unwrap_err();
        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}");
        };
        assert_eq!(api.status.as_u16(), status);
        let ErrorBody::ErrorModel(model) = &api.body;
        assert_eq!(model.type_, "about:blank");
        assert_eq!(model.status, None);
        assert_eq!(model.title, None);
        assert_eq!(api.raw, "{}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Bad answers become errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_html_500_is_an_unexpected_status_keeping_status_headers_and_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>";
    let server = answering(500, "text/html", html).await;

    let err = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();

    match &err {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
            attempts,
        } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(headers["content-type"], "text/html");
            assert_eq!(body, html);
            // A 500 is retried on a GET: the default policy makes three attempts.
            assert_eq!(attempts.count(), 3);
        }
        other => panic!("expected Error::UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.body_text(), Some(html));
    assert!(err.api_body().is_none());
    let text = err.to_string();
    assert!(text.contains("500"), "{text}");
    assert!(text.contains("<h1>502 Bad Gateway</h1>"), "{text}");
    assert!(!text.contains('\n'), "the message is one line: {text:?}");
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error() {
    let server = answering(200, "application/json", "").await;

    let err = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
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

    let err = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
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
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn a_wrong_type_for_a_required_field_is_a_decode_error() {
    // `Run.CreatedAt` must be a date-time string.
    let mut body = full_run();
    body["Run"]["CreatedAt"] = json!(1_775_552_400);
    let text = body.to_string();
    let server = answering(200, "application/json", &text).await;

    let err = with_api_key(&server)
        .get_user_workflow_run(RUN_ID)
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

    assert_eq!(err.decode_path(), Some("Run.CreatedAt"));

    // A required field that is missing altogether, and a malformed date in the third step, fail
    // the same way, each naming its place.
    let mut third = full_run();
    let mut step = third["Steps"][1].clone();
    step["CreatedAt"] = json!("yesterday");
    third["Steps"].as_array_mut().unwrap().push(step);
    for (broken, path) in [
        (
            {
                let mut b = full_run();
                b["Run"].as_object_mut().unwrap().remove("UserEmail");
                b
            },
            "Run",
        ),
        (third, "Steps[2].CreatedAt"),
    ] {
        let sent = broken.to_string();
        let server = answering(200, "application/json", &sent).await;
        let err = with_api_key(&server)
            .get_user_workflow_run(RUN_ID)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { status, body, .. } if status.as_u16() == 200 && *body == sent),
            "expected Error::Decode, got {err:?}"
        );
        assert_eq!(err.decode_path(), Some(path));
        let text = err.to_string();
        assert!(text.contains(&format!("at `{path}`")), "{text}");
    }
}

/// `Steps` is required (and nullable): `"Steps": null` is a valid answer, a missing `Steps` is
/// not. The generated field is a plain `Option` without `#[serde(default)]`, but serde's derive
/// still fills a missing `Option` field with `None`, so the answer is accepted as if it said null.
#[tokio::test]
async fn a_missing_required_nullable_field_is_a_decode_error() {
    let mut body = full_run();
    body.as_object_mut().unwrap().remove("Steps");
    let server = answering_json(200, &body).await;

    let result = with_api_key(&server).get_user_workflow_run(RUN_ID).await;

    match result {
        Err(Error::Decode {
            status,
            body: text,
            path,
            source,
            ..
        }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(text, body.to_string());
            assert_eq!(path, ".", "the top-level object lacks `Steps`");
            assert!(
                source.to_string().contains("missing field `Steps`"),
                "{source}"
            );
            assert!(source.is_data(), "{source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error_that_does_not_show_the_credential() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api"))
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .apikey_auth(API_KEY)
        .build()
        .unwrap();

    let err = client.get_user_workflow_run(RUN_ID).await.unwrap_err();

    match &err {
        Error::Transport {
            method,
            path,
            source,
            ..
        } => {
            assert_eq!(method.as_str(), "GET");
            assert_eq!(
                path, "/v1/user-workflow-runs/{UserWorkflowRunID}",
                "the template, no values"
            );
            assert!(source.is_connect(), "{source:?}");
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(err.status(), None);
    assert_eq!(err.body_text(), None);
    let text = err.to_string();
    assert!(text.starts_with("GET /v1/user-workflow-runs/"), "{text}");
    assert!(!text.contains(API_KEY), "{text}");
    assert!(!format!("{err:?}").contains(API_KEY));

    // The same with the bearer scheme.
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/api"))
        .clock(std::sync::Arc::new(apigen_runtime::ManualClock::default()))
        .bearer_auth(BEARER)
        .build()
        .unwrap();
    let err = client.get_user_workflow_run(RUN_ID).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.to_string().contains(BEARER), "{err}");
    assert!(!format!("{err:?}").contains(BEARER));
}

/// A credential that cannot be a header value (it would split the header) is refused before
/// anything is sent, and the message does not quote it.
#[tokio::test]
async fn an_api_key_that_would_split_the_header_is_refused_before_sending() {
    let server = answering_json(200, &full_run()).await;
    let client = Client::builder()
        .base_url(api_base(&server))
        .apikey_auth("tt-key\r\nX-Injected: yes")
        .build()
        .unwrap();

    let err = client.get_user_workflow_run(RUN_ID).await.unwrap_err();

    match &err {
        Error::InvalidRequest(message) => {
            assert!(message.contains("Authorization"), "{message}");
            assert!(!message.contains("tt-key"), "{message}");
            assert!(!message.contains("X-Injected"), "{message}");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// The same for a bearer token: it should be the same `InvalidRequest` as for an API key. The
/// runtime hands bearer tokens to `reqwest::RequestBuilder::bearer_auth`, whose failure only
/// shows up when sending, so the call reports `Error::Transport` (a reqwest "builder error")
/// instead. Nothing is sent and nothing is leaked, but the variant is wrong.
#[tokio::test]
async fn a_bearer_token_that_would_split_the_header_is_refused_before_sending() {
    let server = answering_json(200, &full_run()).await;
    let client = Client::builder()
        .base_url(api_base(&server))
        .bearer_auth("jwt\r\nX-Injected: yes")
        .build()
        .unwrap();

    let err = client.get_user_workflow_run(RUN_ID).await.unwrap_err();

    assert!(server.received_requests().await.unwrap().is_empty());
    assert!(!err.to_string().contains("X-Injected"), "{err}");
    match &err {
        Error::InvalidRequest(message) => {
            assert!(message.contains("Authorization"), "{message}");
            assert!(!message.contains("jwt"), "{message}");
        }
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Secrets stay out of Debug
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_shows_the_credentials() {
    let builder = Client::builder()
        .base_url("https://api.tamtam.ai/api")
        .apikey_auth(API_KEY)
        .bearer_auth(BEARER);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(API_KEY), "{builder_debug}");
    assert!(!builder_debug.contains(BEARER), "{builder_debug}");

    let client = builder.build().unwrap();
    for debug in [format!("{client:?}"), format!("{client:#?}")] {
        assert!(!debug.contains(API_KEY), "{debug}");
        assert!(!debug.contains(BEARER), "{debug}");
        assert!(!debug.contains("tt-apikey"), "{debug}");
        assert!(debug.contains("https://api.tamtam.ai/api"), "{debug}");
    }
    let request = client.get_user_workflow_run(RUN_ID);
    let request_debug = format!("{request:?}");
    assert!(!request_debug.contains(API_KEY), "{request_debug}");
    assert!(!request_debug.contains(BEARER), "{request_debug}");
    assert_eq!(client.base_url(), "https://api.tamtam.ai/api");
}

// ---------------------------------------------------------------------------------------------
// Invalid path values
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_and_dot_dot_run_ids_are_refused_before_sending() {
    let server = answering_json(200, &full_run()).await;
    let client = with_api_key(&server);

    for bad in ["", "..", "."] {
        let err = client.get_user_workflow_run(bad).await.unwrap_err();
        match &err {
            Error::InvalidRequest(message) => {
                assert!(message.contains("UserWorkflowRunID"), "{message}");
                assert!(!message.contains(API_KEY), "{message}");
            }
            other => panic!("{bad:?}: expected Error::InvalidRequest, got {other:?}"),
        }
        assert_eq!(err.status(), None);
    }
    let received = server.received_requests().await.unwrap();
    assert!(
        received.is_empty(),
        "nothing reaches the server: {received:?}"
    );

    // Values that merely contain dots are fine.
    client.get_user_workflow_run("...").await.expect("decodes");
    client.get_user_workflow_run("a..b").await.expect("decodes");
    let paths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/user-workflow-runs/...",
            "/api/v1/user-workflow-runs/a..b"
        ]
    );
}
