//! Each page of a listing is traced as a call of its own, inside an `apigen.page` span that
//! names the operation and the page's number, and carries the credentials; the key never shows.
//! (A binary of its own: traces are captured per thread, and tests running beside it on other
//! threads would settle tracing's callsites before its subscriber exists.)

use apigen_runtime::{ManualClock, StreamExt};
use apigen_tests::capture_traces;
use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use serde_json::json;
use std::sync::Arc;

/// Retab's runs in three pages of two, by cursor.
struct Runs;

impl Respond for Runs {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "after")
            .map_or(1, |(_, v)| v.trim_start_matches('c').parse().unwrap());
        let runs: Vec<_> = (0..2)
            .map(|i| {
                json!({
                    "id": format!("run_{page}{i}"), "workflow_id": "wf_1", "workflow_version_id": "v1",
                    "trigger": {"type": "api"}, "lifecycle": {"status": "completed"},
                    "timing": {"created_at": "2026-08-20T09:15:02Z"}
                })
            })
            .collect();
        let next = (page < 3).then(|| format!("c{}", page + 1));
        ResponseTemplate::new(200)
            .set_body_json(json!({"data": runs, "list_metadata": {"after": next, "before": null}}))
    }
}

#[tokio::test]
async fn each_page_is_traced_with_its_number_and_carries_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Runs).mount(&server).await;
    let traces = capture_traces();
    let client = retab_client::Client::builder()
        .base_url(server.uri())
        .api_key("sk_retab_secret")
        .clock(Arc::new(ManualClock::default()))
        .build()
        .unwrap();
    let ids: Vec<String> = client
        .list_workflow_runs()
        .items()
        .map(|run| run.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids.len(), 6);
    assert_eq!(ids[5], "run_31");
    let text = traces.text();
    for page in 1..=3 {
        assert!(
            text.contains(&format!(
                "apigen.page{{operation=\"list_workflow_runs\" page={page}}}:apigen.call{{method=GET"
            )),
            "page {page}: {text}"
        );
    }
    assert!(!text.contains("sk_retab_secret"), "{text}");
    for request in server.received_requests().await.unwrap() {
        assert_eq!(
            request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer sk_retab_secret"),
            "{}",
            request.url
        );
    }
}
