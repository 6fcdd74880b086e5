//! A client generated from an OpenAPI 3.2 document (`codegen/tests/fixtures/features_v32.yaml`)
//! against local servers: the QUERY method and `additionalOperations` (COPY) sent as their own
//! methods, `querystring` parameters serialized by their media type, JSON lines and typed
//! server-sent events from `itemSchema` (the payload's tag, the event's name, id and retry),
//! raw events without one, and the device-authorization OAuth scheme's token sent as a bearer.

use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use apigen_tests::{ScriptedServer, Step, header, only_request};
use fixture_features_v32::types::{
    ListRunsFilter, RunEvent, SearchRunsBody, SearchRunsByJsonWhere,
};
use fixture_features_v32::{Client, StreamExt};
use serde_json::json;

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .device("dev-token")
        .build()
        .unwrap()
}

async fn runs_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": "r1", "status": "done"}])),
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn query_and_additional_operations_are_methods_like_any_other() {
    let server = runs_server().await;
    let body = SearchRunsBody {
        status: Some("done".into()),
        limit: Some(5),
    };
    let runs = client(&server.uri()).search_runs(body).await.unwrap();
    assert_eq!(runs[0].id, "r1");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "QUERY");
    assert_eq!(request.url.path(), "/runs");
    assert_eq!(
        request.body_json::<serde_json::Value>().unwrap(),
        json!({"status": "done", "limit": 5})
    );
    assert_eq!(header(&request, "authorization"), Some("Bearer dev-token"));

    let copier = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"id": "r2", "status": "queued"})),
        )
        .mount(&copier)
        .await;
    let copy = client(&copier.uri()).copy_run("r 1").await.unwrap();
    assert_eq!(copy.id, "r2");
    let request = only_request(&copier).await;
    assert_eq!(request.method.as_str(), "COPY");
    assert_eq!(request.url.path(), "/runs/r%201");
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_query_in_its_media_type() {
    let server = runs_server().await;
    let filter = SearchRunsByJsonWhere {
        status: Some("failed & retried".into()),
    };
    client(&server.uri())
        .search_runs_by_json(filter)
        .await
        .unwrap();
    let request = only_request(&server).await;
    let query = request.url.query().unwrap();
    assert_eq!(query, "%7B%22status%22%3A%22failed%20%26%20retried%22%7D");
    let decoded = percent_decode(query);
    assert_eq!(decoded, r#"{"status":"failed & retried"}"#);

    let lines = ScriptedServer::start(
        200,
        "application/jsonl",
        vec![
            Step::Chunk(
                b"{\"id\":\"a\",\"status\":\"done\"}\n{\"id\":\"b\",\"status\":\"failed\"}\n"
                    .to_vec(),
            ),
            Step::End,
        ],
        vec![],
    )
    .await;
    let filter = ListRunsFilter {
        status: Some("done".into()),
        tag: Some(vec!["nightly".into(), "eu west".into()]),
    };
    let mut runs = client(&lines.url).list_runs().filter(filter).await.unwrap();
    let mut ids = Vec::new();
    while let Some(run) = runs.next().await {
        ids.push(run.unwrap().data.id.clone());
    }
    assert_eq!(ids, ["a", "b"]);
    let head = lines.requests.lock().unwrap()[0].clone();
    assert!(
        head.starts_with("GET /runs?status=done&tag=nightly&tag=eu+west HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("accept: application/jsonl"),
        "{head}"
    );
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[tokio::test]
async fn events_are_typed_by_the_item_schema_with_their_name_id_and_retry() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            Step::Chunk(b"retry: 1500\nid: 1\nevent: started\ndata: {\"kind\": \"started\", \"at\": \"2026-12-07T10:00:00Z\"}\n\n".to_vec()),
            Step::Chunk(b": keep-alive\n\nid: 2\nevent: finished\ndata: {\"kind\": \"finished\",\ndata:  \"status\": \"done\"}\n\n".to_vec()),
            Step::Chunk(b"data: {\"kind\": \"paused\"}\n\n".to_vec()),
            Step::End,
        ],
        vec![],
    )
    .await;
    let mut events = client(&server.url).run_events("r1").await.unwrap();
    let first = events.next().await.unwrap().unwrap();
    assert!(matches!(&first.data, RunEvent::Started(s) if s.at.is_some()));
    assert_eq!(
        (first.event.as_str(), first.id.as_deref(), first.retry),
        (
            "started",
            Some("1"),
            Some(std::time::Duration::from_millis(1500))
        )
    );
    let second = events.next().await.unwrap().unwrap();
    assert!(matches!(&second.data, RunEvent::Finished(f) if f.status == "done"));
    assert_eq!(second.data.kind(), Some("finished"));
    let third = events.next().await.unwrap().unwrap();
    assert!(matches!(&third.data, RunEvent::Other(v) if v["kind"] == "paused"));
    assert!(events.next().await.is_none());
    assert_eq!(events.last_event_id(), Some("2"));
}

#[tokio::test]
async fn without_an_item_schema_events_are_raw() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            Step::Chunk(b"data: line one\ndata: line two\n\n".to_vec()),
            Step::End,
        ],
        vec![],
    )
    .await;
    let mut events = client(&server.url).run_log("r1").await.unwrap();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.data.data, "line one\nline two");
    assert_eq!(event.event, "message");
}

#[tokio::test]
async fn a_resumed_event_stream_sends_the_last_event_id() {
    let server = ScriptedServer::start(
        200,
        "text/event-stream",
        vec![
            Step::Chunk(b"id: 7\ndata: {\"kind\": \"started\"}\n\n".to_vec()),
            Step::Cut,
        ],
        vec![
            Step::Chunk(
                b"id: 8\ndata: {\"kind\": \"finished\", \"status\": \"done\"}\n\n".to_vec(),
            ),
            Step::End,
        ],
    )
    .await;
    let clock = apigen_runtime::ManualClock::default();
    let client = Client::builder()
        .base_url(&server.url)
        .clock(std::sync::Arc::new(clock.clone()))
        .build()
        .unwrap();
    let mut events = client.run_events("r1").resuming();
    let mut kinds = Vec::new();
    while let Some(event) = events.next().await {
        kinds.push(event.unwrap().data.kind().unwrap_or_default().to_owned());
    }
    assert_eq!(kinds, ["started", "finished"]);
    let heads = server.requests.lock().unwrap().clone();
    assert!(!heads[0].to_ascii_lowercase().contains("last-event-id"));
    assert!(
        heads[1].to_ascii_lowercase().contains("last-event-id: 7"),
        "{}",
        heads[1]
    );
}
