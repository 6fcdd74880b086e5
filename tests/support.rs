//! Helpers for the tests of the generated clients: a real HTTP server on 127.0.0.1
//! (wiremock) and ways to look at what it received.

pub use wiremock;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server on 127.0.0.1 that answers every request with `status`, `content_type` and `body`.
pub async fn answering(status: u16, content_type: &str, body: &str) -> MockServer {
    let server = MockServer::start().await;
    let mut response =
        ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type);
    if content_type.is_empty() {
        response = ResponseTemplate::new(status).set_body_bytes(body.as_bytes().to_vec());
    }
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A server that answers every request with `status` and the JSON `body`.
pub async fn answering_json(status: u16, body: &serde_json::Value) -> MockServer {
    answering(status, "application/json", &body.to_string()).await
}

/// The single request the server received (panics, in a test, if there were others).
pub async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {}",
        received.len()
    );
    received.remove(0)
}

/// A request header as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// The server's base URL.
pub fn base(server: &MockServer) -> String {
    server.uri()
}
