//! Bounded bodies against local servers: an answer over the limit is an error naming the limit,
//! refused before reading when its length says so and cut off as it arrives when chunked;
//! limits set per client and per call; errors that show only a few KiB of a huge body.

use apigen_runtime::{DEFAULT_MAX_BODY_SIZE, RetryPolicy};
use apigen_tests::StreamingServer;
use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use tamtam_client::{Client, Error};

const RUN_ID: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";
const MIB: u64 = 1024 * 1024;

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .apikey_auth("tt-key")
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let mut server = StreamingServer::start(200, 600 * MIB, false).await;
    let err = client(&server.url)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();
    let Error::TooLarge {
        status,
        limit,
        content_length,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(*limit, DEFAULT_MAX_BODY_SIZE);
    assert_eq!(*content_length, Some(600 * MIB));
    assert_eq!(
        err.to_string(),
        "GET /v1/user-workflow-runs/{UserWorkflowRunID}: the response (200 OK) has a body \
         larger than the limit of 64 MiB (Content-Length: 629145600); none of it was read"
    );
    assert!(!err.is_transient());
    // The server stopped when the client hung up: what it wrote fits in the sockets' buffers.
    let served = server.served().await;
    assert!(served < 16 * MIB, "the server wrote {served} bytes");
}

#[tokio::test]
async fn a_chunked_body_is_counted_as_it_arrives_and_cut_at_the_limit() {
    let mut server = StreamingServer::start(200, 600 * MIB, true).await;
    let err = client(&server.url)
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TooLarge { limit, content_length: None, .. } if *limit == 64 * MIB
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("larger than the limit of 64 MiB; reading stopped there")
    );
    let served = server.served().await;
    assert!(
        (64 * MIB..80 * MIB).contains(&served),
        "the server wrote {served} bytes"
    );
}

#[tokio::test]
async fn limits_are_set_per_client_and_per_call() {
    let mut server = StreamingServer::start(200, 4096, true).await;
    let per_client = Client::builder()
        .base_url(&server.url)
        .max_body_size(1024)
        .build()
        .unwrap();
    let err = per_client.get_user_workflow_run(RUN_ID).await.unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 1024, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("limit of 1 KiB"), "{err}");
    server.served().await;

    // The call's own limit wins over the client's, either way.
    let err = per_client
        .get_user_workflow_run(RUN_ID)
        .max_body_size(8192)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Decode { .. }), "{err:?}");
    let err = client(&server.url)
        .get_user_workflow_run(RUN_ID)
        .max_body_size(100)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TooLarge { limit: 100, .. }),
        "{err:?}"
    );

    // A body exactly at the limit is read whole.
    let exact = StreamingServer::start(200, 4096, false).await;
    let err = client(&exact.url)
        .get_user_workflow_run(RUN_ID)
        .max_body_size(4096)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn an_error_with_a_huge_body_prints_a_few_kib_of_it() {
    let body = format!("<html>{}</html>", "overloaded ".repeat(2 * 1024 * 1024));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_raw(body.clone(), "text/html"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .get_user_workflow_run(RUN_ID)
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    assert!(debug.len() < 8 * 1024, "Debug is {} bytes", debug.len());
    assert!(
        debug.contains(&format!("({} bytes in all)", body.len())),
        "{debug}"
    );
    assert!(err.to_string().len() < 1024);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.body_text(), Some(body.as_str()));
}
