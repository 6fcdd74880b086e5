//! The generator's fixture clients against a real HTTP server on 127.0.0.1: what the five
//! vendor APIs do not use but the generator supports (API keys in query and cookie, basic auth,
//! cookie parameters, array query styles, request bodies, several statuses).

use apigen_tests::{answering, answering_json, header, only_request};
use fixture_features_v30 as v30;
use fixture_features_v31 as v31;
use serde_json::json;

fn run_json() -> serde_json::Value {
    json!({
        "id": "3f2b8c9e-4d5a-4b6c-8d7e-9f0a1b2c3d4e",
        "status": "running",
        "created_at": "2026-01-02T03:04:05Z",
        "finished_on": null,
        "attempts": 2,
        "labels": {"team": "data"},
        "owner": {"name": "Ada"},
        "steps": [{"name": "fetch"}]
    })
}

#[tokio::test]
async fn query_api_keys_go_in_the_query_and_basic_auth_in_authorization() {
    let server = answering(204, "", "").await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .query_key("k&y=1")
        .build()
        .unwrap();
    client.delete_run("r1").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/runs/r1");
    assert_eq!(request.url.query(), Some("api_key=k%26y%3D1"));
    assert!(header(&request, "authorization").is_none());

    let server = answering(204, "", "").await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .basic("ada", "s3cret")
        .build()
        .unwrap();
    client.delete_run("r1").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some("Basic YWRhOnMzY3JldA==")
    );
    assert_eq!(request.url.query(), None);
    assert!(!format!("{client:?}").contains("s3cret"));
}

#[tokio::test]
async fn cookie_api_keys_and_cookie_parameters_share_one_cookie_header() {
    let server = answering_json(200, &run_json()).await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .header_key("hk")
        .build()
        .unwrap();
    let run = client
        .get_run("run 1", "acme")
        .session("s;1")
        .include(vec![v30::types::GetRunIncludeItem::Steps, "logs".into()])
        .await
        .unwrap();
    assert_eq!(run.attempts, 2);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/runs/run%201");
    assert_eq!(
        request.url.query(),
        Some("include=steps%2Clogs"),
        "form style without explode"
    );
    assert_eq!(header(&request, "x-api-key"), Some("hk"));
    assert_eq!(header(&request, "x-tenant"), Some("acme"));
    assert_eq!(header(&request, "cookie"), Some("session=s%3B1"));

    let server = answering_json(200, &json!({"items": [run_json()], "next_cursor": null})).await;
    let client = v30::Client::builder()
        .base_url(server.uri())
        .cookie_key("tok.sig%3D")
        .build()
        .unwrap();
    let page = client
        .list_runs(20)
        .status(v30::types::RunStatus::Failed)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next_cursor, None);
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("status=failed&limit=20"));
    assert_eq!(header(&request, "cookie"), Some("session_token=tok.sig%3D"));
}

#[tokio::test]
async fn the_server_url_template_is_filled_from_its_variables() {
    assert_eq!(v30::Client::DEFAULT_BASE_URL, "https://runs.example.com/v2");
    let client = v30::Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://runs.example.com/v2");
}

#[tokio::test]
async fn a_run_decodes_with_defaults_and_re_encodes() {
    let server = answering_json(200, &run_json()).await;
    let client = v30::Client::new(&server.uri());
    let run = client.get_run("r", "t").await.unwrap();
    assert_eq!(run.status, v30::types::RunStatus::Running);
    assert_eq!(
        run.priority,
        v30::types::RunPriority::Normal,
        "the spec's default"
    );
    assert_eq!(run.labels.as_ref().unwrap()["team"], "data");
    assert_eq!(run.owner.as_ref().unwrap().email, None);
    let steps = run.steps.as_ref().unwrap();
    assert!(steps[0].ok, "a default inside an array item");
    let again: v30::types::Run =
        serde_json::from_value(serde_json::to_value(&run).unwrap()).unwrap();
    assert_eq!(again, run);
}

#[tokio::test]
async fn documented_errors_by_schema_by_example_and_without_body() {
    let server = answering(
        404,
        "application/json",
        r#"{"code":"not_found","message":"Run not found.","status":404}"#,
    )
    .await;
    let err = v30::Client::new(&server.uri())
        .get_run("r", "t")
        .await
        .unwrap_err();
    match err.api_body() {
        Some(v30::ErrorBody::GetRunError(body)) => {
            assert_eq!(body.code.as_deref(), Some("not_found"));
            assert_eq!(body.status, Some(404));
        }
        other => panic!("unexpected {other:?}"),
    }

    let server = answering(410, "", "").await;
    let err = v30::Client::new(&server.uri())
        .get_run("r", "t")
        .await
        .unwrap_err();
    assert!(matches!(err, v30::Error::UnexpectedStatus { status, .. } if status == 410));

    let server = answering(
        503,
        "application/problem+json",
        r#"{"title":"Down","status":503}"#,
    )
    .await;
    let err = v30::Client::new(&server.uri())
        .get_run("r", "t")
        .await
        .unwrap_err();
    match err.api_body() {
        Some(v30::ErrorBody::Problem(problem)) => {
            assert_eq!(problem.title.as_deref(), Some("Down"));
            assert_eq!(problem.type_, "about:blank");
        }
        other => panic!("the default response covers 503: {other:?}"),
    }
}

#[tokio::test]
async fn a_json_body_is_sent_and_a_secret_field_stays_out_of_debug() {
    let job = json!({"id": "3f2b8c9e-4d5a-4b6c-8d7e-9f0a1b2c3d4e", "state": "queued-later", "steps": null, "kind": "job"});
    let server = answering_json(201, &job).await;
    let client = v31::Client::builder()
        .base_url(server.uri())
        .token("jwt")
        .build()
        .unwrap();
    let body = v31::types::CreateJobBody {
        name: "nightly".into(),
        secret: Some(apigen_runtime::Secret::new("hunter2")),
        tags: None,
    };
    assert!(!format!("{body:?}").contains("hunter2"));
    let created = client.create_job(body).await.unwrap();
    assert_eq!(
        created.state,
        v31::types::JobState::Unknown("queued-later".into())
    );
    assert_eq!(created.steps, None);
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(header(&request, "authorization"), Some("Bearer jwt"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, json!({"name": "nightly", "secret": "hunter2"}));
}

#[tokio::test]
async fn a_required_nullable_property_must_be_present() {
    let server = answering_json(
        200,
        &json!({"id": "3f2b8c9e-4d5a-4b6c-8d7e-9f0a1b2c3d4e", "state": "done"}),
    )
    .await;
    let err = v31::Client::new(&server.uri())
        .get_job(uuid::Uuid::nil())
        .await
        .unwrap_err();
    match err {
        v31::Error::Decode { status, source, .. } => {
            assert_eq!(status, 200);
            assert!(
                source.to_string().contains("missing field `steps`"),
                "{source}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_recursive_schema_decodes() {
    let job = json!({
        "id": "3f2b8c9e-4d5a-4b6c-8d7e-9f0a1b2c3d4e", "state": "done", "steps": [],
        "parent": {"id": "00000000-0000-0000-0000-000000000001", "state": "failed", "steps": null, "parent": null}
    });
    let server = answering_json(200, &job).await;
    let got = v31::Client::new(&server.uri())
        .get_job(uuid::Uuid::nil())
        .expand("all")
        .await
        .unwrap();
    let parent = got.parent.as_ref().unwrap();
    assert_eq!(parent.state, v31::types::JobState::Failed);
    assert!(parent.parent.is_none());
    let request = only_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/jobs/00000000-0000-0000-0000-000000000000"
    );
    assert_eq!(request.url.query(), Some("expand=all"));
}

mod styles {
    use apigen_tests::{answering, header, only_request};
    use fixture_styles::{Client, types::Point};

    #[tokio::test]
    async fn simple_label_and_matrix_paths_and_exploded_headers() {
        let point = || Point { x: 1, y: 2 };

        let server = answering(204, "", "").await;
        Client::new(&server.uri())
            .simple_path(5, vec!["a b".into(), "c,d".into()], point())
            .x_point(point())
            .x_tags(vec!["t1".into(), "t2".into()])
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/simple/5/a%20b,c%2Cd/x=1,y=2");
        assert_eq!(header(&request, "x-point"), Some("x=1,y=2"));
        assert_eq!(header(&request, "x-tags"), Some("t1,t2"));

        let server = answering(204, "", "").await;
        Client::new(&server.uri())
            .label_path("v", vec![3, 4])
            .await
            .unwrap();
        assert_eq!(only_request(&server).await.url.path(), "/label/.v/.3.4");

        let server = answering(204, "", "").await;
        Client::new(&server.uri())
            .matrix_path("v", vec![3, 4], point())
            .await
            .unwrap();
        assert_eq!(
            only_request(&server).await.url.path(),
            "/matrix/;id=v/;ids=3;ids=4/;point=x,1,y,2"
        );
    }

    #[tokio::test]
    async fn form_cookies_and_a_path_fragment() {
        let server = answering(204, "", "").await;
        Client::new(&server.uri())
            .cookies("mint choc")
            .batch(vec!["1".into(), "2".into()])
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.path(), "/cookies", "the fragment is not sent");
        assert_eq!(
            header(&request, "cookie"),
            Some("flavor=mint%20choc; batch=1,2")
        );
    }
}
