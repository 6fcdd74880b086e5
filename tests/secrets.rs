//! Credentials of every security-scheme kind reach the server and nowhere else: not `Debug`, not
//! `Display`, not error messages, not traces. And what a call traces: one span, one event per
//! attempt, with method, path template, status, attempt and delay.

use apigen_runtime::{ManualClock, RetryPolicy};
use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use apigen_tests::{base, capture_traces, header};
use fixture_features_v30::{Client, ClientBuilder, Error};
use std::sync::Arc;

const SECRET: &str = "s3cr3t-Zq8vW2xK-never-shown";
const RUN_ID: &str = "run-77";

/// One security-scheme kind: how the builder takes the credential, a call that sends it, and
/// where the server finds it.
struct Kind {
    name: &'static str,
    give: fn(ClientBuilder) -> ClientBuilder,
    call: fn(&Client) -> std::pin::Pin<Box<dyn std::future::Future<Output = Error> + '_>>,
    /// The credential as the server received it (a header's or query parameter's value).
    received: fn(&apigen_tests::wiremock::Request) -> Option<String>,
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            name: "apiKey in a header",
            give: |b| b.header_key(SECRET),
            call: |c| Box::pin(async move { c.get_run(RUN_ID, "acme").await.unwrap_err() }),
            received: |r| header(r, "x-api-key").map(str::to_owned),
        },
        Kind {
            name: "apiKey in the query",
            give: |b| b.query_key(SECRET),
            call: |c| Box::pin(async move { c.delete_run(RUN_ID).await.unwrap_err() }),
            received: |r| {
                r.url
                    .query_pairs()
                    .find(|(k, _)| k == "api_key")
                    .map(|(_, v)| v.into_owned())
            },
        },
        Kind {
            name: "apiKey in a cookie",
            give: |b| b.cookie_key(SECRET),
            call: |c| Box::pin(async move { c.list_runs(10).await.unwrap_err() }),
            received: |r| header(r, "cookie").map(str::to_owned),
        },
        Kind {
            name: "HTTP bearer",
            give: |b| b.bearer(SECRET),
            call: |c| Box::pin(async move { c.get_run(RUN_ID, "acme").await.unwrap_err() }),
            received: |r| header(r, "authorization").map(str::to_owned),
        },
        Kind {
            name: "HTTP basic",
            give: |b| b.basic("ops", SECRET),
            call: |c| Box::pin(async move { c.delete_run(RUN_ID).await.unwrap_err() }),
            received: |r| header(r, "authorization").map(str::to_owned),
        },
    ]
}

/// Asserts that no text shows the secret or the form it was sent in.
fn assert_hidden(kind: &str, what: &str, text: &str, sent: &str) {
    assert!(
        !text.contains(SECRET),
        "{kind}: the {what} shows the secret: {text}"
    );
    let encoded = sent.rsplit(' ').next().unwrap_or(sent);
    assert!(
        !text.contains(encoded),
        "{kind}: the {what} shows the credential as sent ({encoded}): {text}"
    );
}

#[tokio::test]
async fn no_credential_shows_in_debug_display_errors_or_traces() {
    for kind in kinds() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(503)
                    .insert_header("Retry-After", "1")
                    .set_body_raw("upstream overloaded", "text/plain"),
            )
            .mount(&server)
            .await;
        let traces = capture_traces();
        let builder = (kind.give)(
            Client::builder()
                .base_url(base(&server))
                .clock(Arc::new(ManualClock::default())),
        );
        let builder_debug = format!("{builder:?}");
        let client = builder.build().unwrap();

        let err = (kind.call)(&client).await;

        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 3, "{}: retried twice", kind.name);
        let sent = (kind.received)(&received[0])
            .unwrap_or_else(|| panic!("{}: the server got no credential", kind.name));
        assert!(
            sent.contains(SECRET) || kind.name == "HTTP basic",
            "{}: {sent}",
            kind.name
        );
        for (what, text) in [
            ("builder's Debug", builder_debug),
            ("client's Debug", format!("{client:?}")),
            ("error's Display", err.to_string()),
            ("error's Debug", format!("{err:?}")),
            ("error's alternate Debug", format!("{err:#?}")),
            ("traces", traces.text()),
        ] {
            assert_hidden(kind.name, what, &text, &sent);
        }
        let text = traces.text();
        assert!(
            !text.contains("api_key="),
            "{}: a query string: {text}",
            kind.name
        );
        assert!(
            !text.contains("upstream overloaded"),
            "{}: a body: {text}",
            kind.name
        );
    }
}

#[tokio::test]
async fn a_refused_connection_does_not_show_the_url_with_its_query_key() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let traces = capture_traces();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .query_key(SECRET)
        .clock(Arc::new(ManualClock::default()))
        .build()
        .unwrap();

    let err = client.delete_run(RUN_ID).await.unwrap_err();

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}"), traces.text()] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("api_key"), "{text}");
    }
}

#[tokio::test]
async fn a_call_is_one_span_with_an_event_per_attempt() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let traces = capture_traces();
    let client = Client::builder()
        .base_url(base(&server))
        .query_key(SECRET)
        .retry_policy(RetryPolicy::default())
        .clock(Arc::new(ManualClock::default()))
        .build()
        .unwrap();

    client.delete_run(RUN_ID).await.unwrap();

    let text = traces.text();
    let ours: Vec<&str> = text.lines().filter(|l| l.contains("apigen.call")).collect();
    let span = "apigen.call{method=DELETE path=\"/runs/{run_id}\"}";
    assert!(ours.iter().all(|l| l.contains(span)), "{text}");
    let response = |status: u16, attempt: u32| {
        ours.iter().any(|l| {
            l.contains("response")
                && l.contains(&format!("attempt={attempt}"))
                && l.contains(&format!("status={status}"))
                && l.contains("elapsed_ms=")
        })
    };
    assert!(response(503, 1), "{text}");
    assert!(response(204, 2), "{text}");
    assert!(
        ours.iter().any(|l| l.contains("retrying")
            && l.contains("attempt=1")
            && l.contains("delay_ms=2000")),
        "{text}"
    );
    assert!(!text.contains(RUN_ID), "no parameter values: {text}");
    assert!(!text.contains(SECRET), "{text}");
}
