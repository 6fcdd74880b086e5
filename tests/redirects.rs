//! Redirects against two local servers on different loopback addresses (127.0.0.1 and
//! 127.0.0.2): credentials of every kind follow a redirect within the base URL's origin and never
//! one to another origin; methods and bodies follow the usual rules; HTTPS never goes down to
//! HTTP; a loop stops at ten; a key in the query stays out of every error and trace.

use apigen_runtime::reqwest::{self, Method};
use apigen_runtime::{
    ApiKeyLocation, CallOptions, Credential, Error, MAX_REDIRECTS, RedirectProblem, Request,
    SchemeKind, SecurityScheme, Transport,
};
use apigen_tests::wiremock::matchers::{any, method, path};
use apigen_tests::wiremock::{Mock, MockServer, ResponseTemplate};
use apigen_tests::{capture_traces, header};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

const SECRET: &str = "s3cr3t-Redirect-Zq8vW2xK";

/// One kind of credential: its scheme, the credential, and whether a request carries it.
struct Kind {
    name: &'static str,
    scheme: SecurityScheme,
    credential: fn() -> Credential,
    carried: fn(&apigen_tests::wiremock::Request) -> bool,
}

fn kinds() -> Vec<Kind> {
    vec![
        Kind {
            name: "API key in a header",
            scheme: SecurityScheme {
                name: "key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    name: "X-Delegated-Token",
                },
            },
            credential: || Credential::token(SECRET),
            carried: |r| header(r, "x-delegated-token") == Some(SECRET),
        },
        Kind {
            name: "API key in the query",
            scheme: SecurityScheme {
                name: "key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Query,
                    name: "api_key",
                },
            },
            credential: || Credential::token(SECRET),
            carried: |r| {
                r.url
                    .query_pairs()
                    .any(|(k, v)| k == "api_key" && v == SECRET)
            },
        },
        Kind {
            name: "API key in a cookie",
            scheme: SecurityScheme {
                name: "key",
                kind: SchemeKind::ApiKey {
                    location: ApiKeyLocation::Cookie,
                    name: "session_token",
                },
            },
            credential: || Credential::token(SECRET),
            carried: |r| header(r, "cookie") == Some(&format!("session_token={SECRET}")),
        },
        Kind {
            name: "bearer",
            scheme: SecurityScheme {
                name: "key",
                kind: SchemeKind::Bearer,
            },
            credential: || Credential::token(SECRET),
            carried: |r| header(r, "authorization") == Some(&format!("Bearer {SECRET}")),
        },
        Kind {
            name: "basic",
            scheme: SecurityScheme {
                name: "key",
                kind: SchemeKind::Basic,
            },
            credential: || Credential::basic("ops", SECRET),
            // base64("ops:" + SECRET)
            carried: |r| {
                header(r, "authorization") == Some("Basic b3BzOnMzY3IzdC1SZWRpcmVjdC1acTh2VzJ4Sw==")
            },
        },
    ]
}

const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// A wiremock server listening on `ip` (any loopback address), on a port of its own.
async fn server_on(ip: &str) -> MockServer {
    let listener = std::net::TcpListener::bind((ip, 0)).unwrap();
    MockServer::builder().listener(listener).start().await
}

fn redirect_to(status: u16, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("location", location)
}

/// Nothing in a request that could hold a credential: no authorization, cookie, key header or
/// referrer, and the secret nowhere in its URL or headers.
fn assert_bare(request: &apigen_tests::wiremock::Request, what: &str) {
    for name in ["authorization", "cookie", "x-delegated-token", "referer"] {
        assert_eq!(header(request, name), None, "{what}: `{name}` was sent");
    }
    assert!(
        !request.url.as_str().contains(SECRET),
        "{what}: {}",
        request.url
    );
    for (name, value) in &request.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        assert!(
            !value.contains(SECRET),
            "{what}: header {name} holds the secret"
        );
    }
}

fn transport(base: &str, kind: &Kind) -> Transport {
    Transport::builder("redirect-tests")
        .base_url(base)
        .credential(kind.scheme, (kind.credential)())
        .build::<()>(None)
        .unwrap()
}

async fn get(transport: &Transport, route: &'static str) -> Result<u16, Error<()>> {
    let request = Request::new(Method::GET, route).security(&[&["key"]]);
    transport
        .send::<()>(request, &CallOptions::default())
        .await
        .map(|r| r.status().as_u16())
}

#[tokio::test]
async fn every_credential_follows_a_redirect_within_the_origin() {
    let a = server_on("127.0.0.1").await;
    for status in REDIRECTS {
        Mock::given(path(format!("/from-{status}")))
            .respond_with(redirect_to(status, &format!("/to-{status}")))
            .mount(&a)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&a)
        .await;
    let mut seen = 0;
    for kind in kinds() {
        let client = transport(&a.uri(), &kind);
        for status in REDIRECTS {
            let route: &'static str = Box::leak(format!("/from-{status}").into_boxed_str());
            assert_eq!(get(&client, route).await.unwrap(), 200, "{}", kind.name);
        }
        let received = a.received_requests().await.unwrap();
        let mine = &received[seen..];
        seen = received.len();
        assert_eq!(mine.len(), 2 * REDIRECTS.len(), "{}", kind.name);
        for (pair, status) in mine.chunks(2).zip(REDIRECTS) {
            assert_eq!(pair[0].url.path(), format!("/from-{status}"));
            assert_eq!(pair[1].url.path(), format!("/to-{status}"));
            for request in pair {
                assert!(
                    (kind.carried)(request),
                    "{} after {status}: {} lacks the credential",
                    kind.name,
                    request.url.path()
                );
                assert_eq!(header(request, "referer"), None);
            }
        }
    }
}

#[tokio::test]
async fn no_credential_follows_a_redirect_to_another_origin() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    // Another port of the same address is another origin too.
    let c = server_on("127.0.0.1").await;
    for (target, prefix) in [(&b, "b"), (&c, "c")] {
        for status in REDIRECTS {
            Mock::given(path(format!("/{prefix}-{status}")))
                .respond_with(redirect_to(status, &format!("{}/landed", target.uri())))
                .mount(&a)
                .await;
        }
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(target)
            .await;
    }
    let mut seen = 0;
    for kind in kinds() {
        let client = transport(&a.uri(), &kind);
        for prefix in ["b", "c"] {
            for status in REDIRECTS {
                let route: &'static str = Box::leak(format!("/{prefix}-{status}").into_boxed_str());
                assert_eq!(get(&client, route).await.unwrap(), 200, "{}", kind.name);
            }
        }
        for target in [&b, &c] {
            let landed = target.received_requests().await.unwrap();
            assert_eq!(landed.len(), REDIRECTS.len(), "{}", kind.name);
            for request in &landed {
                assert_eq!(request.url.path(), "/landed");
                assert_bare(request, kind.name);
            }
            target.reset().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(200))
                .mount(target)
                .await;
        }
        // The first server did get the credential on every request.
        let sent = a.received_requests().await.unwrap();
        assert_eq!(sent.len() - seen, 2 * REDIRECTS.len());
        assert!(
            sent[seen..].iter().all(|r| (kind.carried)(r)),
            "{}",
            kind.name
        );
        seen = sent.len();
    }
}

#[tokio::test]
async fn a_trusted_host_receives_the_credentials() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    Mock::given(path("/start"))
        .respond_with(redirect_to(302, &format!("{}/files", b.uri())))
        .mount(&a)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&b)
        .await;
    for kind in kinds() {
        let client = Transport::builder("t")
            .base_url(a.uri())
            .credential(kind.scheme, (kind.credential)())
            .trust_host("127.0.0.2")
            .build::<()>(None)
            .unwrap();
        assert_eq!(get(&client, "/start").await.unwrap(), 200);
    }
    let landed = b.received_requests().await.unwrap();
    assert_eq!(landed.len(), kinds().len());
    for (request, kind) in landed.iter().zip(kinds()) {
        assert!((kind.carried)(request), "{}", kind.name);
    }
}

#[tokio::test]
async fn methods_and_bodies_follow_the_usual_rules_across_origins() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    for status in REDIRECTS {
        Mock::given(path(format!("/create-{status}")))
            .respond_with(redirect_to(status, &format!("{}/created", b.uri())))
            .mount(&a)
            .await;
    }
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&b)
        .await;
    let kind = &kinds()[0];
    let client = transport(&a.uri(), kind);
    let body = json!({"workflow_id": "wf_1", "inputs": {"x": 1}});
    for status in REDIRECTS {
        let route: &'static str = Box::leak(format!("/create-{status}").into_boxed_str());
        let request = Request::new(Method::POST, route)
            .security(&[&["key"]])
            .json(&body);
        let mut options = CallOptions::default();
        options.idempotency_key("idem-1");
        let response = client.send::<()>(request, &options).await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
    }
    let landed = b.received_requests().await.unwrap();
    assert_eq!(landed.len(), 5);
    for (request, status) in landed.iter().zip(REDIRECTS) {
        assert_bare(request, &format!("POST after {status}"));
        if status == 307 || status == 308 {
            assert_eq!(request.method.as_str(), "POST", "{status}");
            assert_eq!(request.body_json::<serde_json::Value>().unwrap(), body);
            assert_eq!(header(request, "content-type"), Some("application/json"));
        } else {
            assert_eq!(request.method.as_str(), "GET", "{status}");
            assert!(request.body.is_empty(), "{status}");
            assert_eq!(header(request, "content-type"), None, "{status}");
        }
        // Not a secret, and what lets the server apply a repeated POST once.
        assert_eq!(header(request, "idempotency-key"), Some("idem-1"));
    }
}

#[tokio::test]
async fn juo_and_hardwire_clients_keep_their_credentials_home() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    Mock::given(method("GET"))
        .respond_with(redirect_to(307, &format!("{}/elsewhere", b.uri())))
        .mount(&a)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"workflowRuns": []})))
        .mount(&b)
        .await;

    let juo = juo_client::Client::builder()
        .base_url(a.uri())
        .delegated_token(SECRET)
        .build()
        .unwrap();
    let run_id = uuid::Uuid::nil();
    let _ = juo.get_workflow_run(run_id, "store-123").await;

    let hardwire = hardwire_client::Client::builder()
        .base_url(a.uri())
        .session_cookie(SECRET)
        .build()
        .unwrap();
    let runs = hardwire.list_chat_workflow_runs(run_id).await.unwrap();
    assert!(runs.workflow_runs.is_empty());

    let sent = a.received_requests().await.unwrap();
    assert_eq!(header(&sent[0], "x-delegated-token"), Some(SECRET));
    assert_eq!(
        header(&sent[1], "cookie"),
        Some(&format!("__Secure-better-auth.session_token={SECRET}")[..])
    );
    let landed = b.received_requests().await.unwrap();
    assert_eq!(landed.len(), 2);
    for request in &landed {
        assert_bare(request, "juo and hardwire");
        // Header parameters of the operation (Juo's tenant) stay home too: the runtime cannot
        // know which of them are secrets.
        assert_eq!(header(request, "x-tenant-id"), None);
    }
}

#[tokio::test]
async fn links_from_answers_get_credentials_only_at_home() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    for server in [&a, &b] {
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(server)
            .await;
    }
    for kind in kinds() {
        let client = transport(&a.uri(), &kind);
        for server in [&a, &b] {
            let link = format!("{}/runs?page=2", server.uri());
            let request = Request::new(Method::GET, "/runs")
                .security(&[&["key"]])
                .absolute_url(&link);
            client
                .send::<()>(request, &CallOptions::default())
                .await
                .unwrap();
        }
    }
    for request in a.received_requests().await.unwrap() {
        assert_eq!(request.url.path(), "/runs");
        assert!(request.url.query().unwrap().starts_with("page=2"));
    }
    let home = a.received_requests().await.unwrap();
    for (request, kind) in home.iter().zip(kinds()) {
        assert!((kind.carried)(request), "{}", kind.name);
    }
    for request in b.received_requests().await.unwrap() {
        assert_eq!(request.url.query(), Some("page=2"));
        assert_bare(&request, "a link to another origin");
    }
}

#[tokio::test]
async fn a_redirect_loop_stops_after_ten_and_names_the_chain_without_the_key() {
    let traces = capture_traces();
    let a = server_on("127.0.0.1").await;
    // The server even copies the key into its Location, as a careless one might.
    Mock::given(path("/loop"))
        .respond_with(redirect_to(302, &format!("/loop?api_key={SECRET}&again=1")))
        .mount(&a)
        .await;
    let kind = &kinds()[1];
    let client = transport(&a.uri(), kind);
    let err = get(&client, "/loop").await.unwrap_err();
    let Error::Redirect {
        problem: RedirectProblem::TooMany { chain },
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(chain.len(), MAX_REDIRECTS + 2);
    assert!(chain[0].ends_with("/loop"), "{chain:?}");
    assert!(
        chain[1].ends_with("/loop?api_key=[REDACTED]&again=1"),
        "{chain:?}"
    );
    // The first request and ten redirects.
    assert_eq!(
        a.received_requests().await.unwrap().len(),
        MAX_REDIRECTS + 1
    );
    let message = err.to_string();
    assert!(message.starts_with("GET /loop: more than 10 redirects: http://127.0.0.1:"));
    for shown in [message, format!("{err:?}"), traces.text()] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
    assert!(traces.text().contains("redirect"));
}

#[tokio::test]
async fn a_key_in_the_query_never_shows_in_errors_or_traces() {
    let traces = capture_traces();
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    Mock::given(path("/bad"))
        .respond_with(redirect_to(302, "ftp://127.0.0.2/x"))
        .mount(&a)
        .await;
    Mock::given(path("/away"))
        .respond_with(redirect_to(
            308,
            &format!("{}/landed?token={SECRET}&n=1", b.uri()),
        ))
        .mount(&a)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500).set_body_string("broken"))
        .mount(&b)
        .await;
    let kind = &kinds()[1];
    let client = Transport::builder("t")
        .base_url(a.uri())
        .credential(kind.scheme, (kind.credential)())
        .retry_policy(apigen_runtime::RetryPolicy::none())
        .build::<()>(None)
        .unwrap();
    let bad = get(&client, "/bad").await.unwrap_err();
    assert!(
        matches!(&bad, Error::Redirect { problem: RedirectProblem::BadLocation { location, .. }, .. } if location == "ftp://127.0.0.2/x"),
        "{bad:?}"
    );
    // A key the server copied into a link to another origin is taken out of it.
    assert_eq!(get(&client, "/away").await.unwrap(), 500);
    let landed = b.received_requests().await.unwrap();
    assert_eq!(landed[0].url.query(), Some("n=1"));
    assert_bare(&landed[0], "a copied key");
    for shown in [bad.to_string(), format!("{bad:?}"), traces.text()] {
        assert!(!shown.contains(SECRET), "{shown}");
    }
}

#[tokio::test]
async fn a_client_that_follows_redirects_itself_is_caught() {
    let a = server_on("127.0.0.1").await;
    let b = server_on("127.0.0.2").await;
    Mock::given(path("/start"))
        .respond_with(redirect_to(302, &format!("{}/landed", b.uri())))
        .mount(&a)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&b)
        .await;
    let client = Transport::builder("t")
        .base_url(a.uri())
        .http_client(reqwest::Client::new())
        .build::<()>(None)
        .unwrap();
    let err = get(&client, "/start").await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { problem: RedirectProblem::FollowedByClient { to }, .. } if to.ends_with("/landed")),
        "{err:?}"
    );
    assert!(err.to_string().contains("Policy::none()"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// HTTPS down to HTTP
// ---------------------------------------------------------------------------------------------

/// An HTTPS server on 127.0.0.1 with a self-signed certificate that answers every request with
/// `302 Location: location`, and the number of requests it answered.
async fn tls_redirecting_to(location: String) -> (String, Arc<AtomicUsize>) {
    use tokio::io::AsyncWriteExt;
    use tokio_rustls::rustls;

    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let cert = certified.cert.der().clone();
    let key =
        rustls::pki_types::PrivateKeyDer::try_from(certified.signing_key.serialize_der()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![cert], key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let answered = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&answered);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let location = location.clone();
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                if apigen_tests::read_head(&mut tls).await.is_none() {
                    return;
                }
                count.fetch_add(1, Ordering::SeqCst);
                let answer = format!(
                    "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://{address}"), answered)
}

#[tokio::test]
async fn https_is_never_redirected_down_to_http() {
    let b = server_on("127.0.0.2").await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&b)
        .await;
    let (base, answered) = tls_redirecting_to(format!("{}/plain?x=1", b.uri())).await;
    // The test's certificate is self-signed; redirects stay the runtime's to follow.
    let http = reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for kind in kinds() {
        let client = Transport::builder("t")
            .base_url(&base)
            .http_client(http.clone())
            .credential(kind.scheme, (kind.credential)())
            // Even a trusted host is not reached over plain HTTP.
            .trust_host("127.0.0.2")
            .build::<()>(None)
            .unwrap();
        let err = get(&client, "/secure").await.unwrap_err();
        let Error::Redirect {
            problem: RedirectProblem::Downgrade { from, to },
            ..
        } = &err
        else {
            panic!("{}: {err:?}", kind.name)
        };
        assert!(from.starts_with("https://127.0.0.1:"), "{from}");
        assert!(from.ends_with("/secure"), "{from}");
        assert_eq!(to, &format!("{}/plain?x=1", b.uri()));
        assert!(!format!("{err} {err:?}").contains(SECRET));
        assert!(err.to_string().contains("from HTTPS down to HTTP"), "{err}");
    }
    assert_eq!(answered.load(Ordering::SeqCst), kinds().len());
    // Nothing was sent to the HTTP server.
    assert!(b.received_requests().await.unwrap().is_empty());
}
