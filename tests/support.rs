//! Helpers for the tests of the generated clients: a real HTTP server on 127.0.0.1
//! (wiremock), one that streams huge bodies, and ways to look at what they received.

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

/// Everything traced, at every level and from every crate, on this thread while the guard
/// lives: the text a log collector would receive.
pub struct Traces {
    text: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

/// Starts capturing traces (tests run on one thread, so the whole call is captured).
pub fn capture_traces() -> Traces {
    let text = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&text);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || SharedWriter(std::sync::Arc::clone(&sink)))
        .finish();
    Traces {
        text,
        _guard: tracing::subscriber::set_default(subscriber),
    }
}

impl Traces {
    /// What was traced so far.
    pub fn text(&self) -> String {
        let bytes = self.text.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

struct SharedWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut text = self.0.lock().unwrap_or_else(|p| p.into_inner());
        text.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A server on 127.0.0.1 that answers every request with `status` and a JSON-typed body of
/// `size` bytes, made as the client reads it (never held in memory), announced by its
/// `Content-Length` or sent chunked. Each connection's task ends when the body is sent or the
/// client stops reading; `served` gives how many body bytes that connection wrote.
pub struct StreamingServer {
    pub url: String,
    served: tokio::sync::mpsc::UnboundedReceiver<u64>,
}

impl StreamingServer {
    pub async fn start(status: u16, size: u64, chunked: bool) -> StreamingServer {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let (report, served) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let report = report.clone();
                tokio::spawn(async move {
                    if read_head(&mut socket).await.is_none() {
                        return;
                    }
                    let framing = if chunked {
                        "Transfer-Encoding: chunked".to_owned()
                    } else {
                        format!("Content-Length: {size}")
                    };
                    let answer = format!(
                        "HTTP/1.1 {status} Status\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        let _ = report.send(0);
                        return;
                    }
                    let block = vec![b' '; 64 * 1024];
                    let mut written = 0u64;
                    while written < size {
                        let n = (size - written).min(block.len() as u64) as usize;
                        let sent = if chunked {
                            let mut frame = format!("{n:x}\r\n").into_bytes();
                            frame.extend_from_slice(&block[..n]);
                            frame.extend_from_slice(b"\r\n");
                            socket.write_all(&frame).await
                        } else {
                            socket.write_all(&block[..n]).await
                        };
                        if sent.is_err() {
                            break;
                        }
                        written += n as u64;
                    }
                    if chunked && written == size {
                        let _ = socket.write_all(b"0\r\n\r\n").await;
                    }
                    let _ = report.send(written);
                });
            }
        });
        StreamingServer { url, served }
    }

    /// How many body bytes the next connection to finish wrote, once it has finished.
    pub async fn served(&mut self) -> u64 {
        self.served.recv().await.unwrap_or(0)
    }
}

/// One step of a [`ScriptedServer`]'s answer.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes as one chunk, then pause a moment so that the client reads it alone.
    Chunk(Vec<u8>),
    /// End the body properly.
    End,
    /// Close the connection in the middle of the body.
    Cut,
    /// Send nothing more, and keep the connection open until the client goes.
    Hold,
}

/// How a [`ScriptedServer`] answers the requests whose path starts with `path`: each with
/// `status`, `content_type` and a chunked body written step by step, the `n`th request with
/// `answers[n]` (the last one from then on).
#[derive(Debug, Clone)]
pub struct Route {
    pub path: String,
    pub status: u16,
    pub content_type: String,
    pub answers: Vec<Vec<Step>>,
}

impl Route {
    pub fn new(path: &str, status: u16, content_type: &str, answers: Vec<Vec<Step>>) -> Route {
        Route {
            path: path.to_owned(),
            status,
            content_type: content_type.to_owned(),
            answers,
        }
    }

    /// JSON bodies, one per request in turn (the last one from then on), each written whole.
    pub fn json(path: &str, bodies: &[serde_json::Value]) -> Route {
        let answers = bodies
            .iter()
            .map(|body| vec![Step::Chunk(body.to_string().into_bytes()), Step::End])
            .collect();
        Route::new(path, 200, "application/json", answers)
    }
}

/// A server on 127.0.0.1 whose answers are chunked bodies written step by step: a slow, chunked
/// stream, cut or silent where the script says. A request no route matches gets a 404.
pub struct ScriptedServer {
    pub url: String,
    /// The request heads received, in order.
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ScriptedServer {
    /// Every request answered with `status` and `content_type`: the first with the steps of
    /// `first`, later ones (resumes) with those of `then`.
    pub async fn start(
        status: u16,
        content_type: &str,
        first: Vec<Step>,
        then: Vec<Step>,
    ) -> ScriptedServer {
        ScriptedServer::routes(vec![Route::new(
            "/",
            status,
            content_type,
            vec![first, then],
        )])
        .await
    }

    /// Requests answered by the first route whose path starts theirs.
    pub async fn routes(routes: Vec<Route>) -> ScriptedServer {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&requests);
        let counts = std::sync::Arc::new(std::sync::Mutex::new(vec![0usize; routes.len()]));
        let routes = std::sync::Arc::new(routes);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let seen = std::sync::Arc::clone(&seen);
                let routes = std::sync::Arc::clone(&routes);
                let counts = std::sync::Arc::clone(&counts);
                tokio::spawn(async move {
                    let Some(head) = read_head(&mut socket).await else {
                        return;
                    };
                    if let Ok(mut list) = seen.lock() {
                        list.push(head.clone());
                    }
                    let target = head.split(' ').nth(1).unwrap_or("/").to_owned();
                    let chosen = routes
                        .iter()
                        .enumerate()
                        .find(|(_, r)| target.starts_with(&r.path));
                    let Some((index, route)) = chosen else {
                        let _ = socket
                            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                            .await;
                        return;
                    };
                    let steps = {
                        let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
                        let n = counts[index];
                        counts[index] += 1;
                        route.answers[n.min(route.answers.len().saturating_sub(1))].clone()
                    };
                    let answer = format!(
                        "HTTP/1.1 {} Status\r\nContent-Type: {}\r\nTransfer-Encoding: chunked\r\n\r\n",
                        route.status, route.content_type
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                    for step in steps {
                        match step {
                            Step::Chunk(bytes) => {
                                let mut frame = format!("{:x}\r\n", bytes.len()).into_bytes();
                                frame.extend_from_slice(&bytes);
                                frame.extend_from_slice(b"\r\n");
                                if socket.write_all(&frame).await.is_err() {
                                    return;
                                }
                                let _ = socket.flush().await;
                                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                            }
                            Step::End => {
                                let _ = socket.write_all(b"0\r\n\r\n").await;
                                return;
                            }
                            Step::Cut => return,
                            Step::Hold => {
                                let _ = socket.read(&mut [0u8; 64]).await;
                                return;
                            }
                        }
                    }
                });
            }
        });
        ScriptedServer { url, requests }
    }

    /// The method and target of each request received, in order (`GET /a?b=c`).
    pub fn asked(&self) -> Vec<String> {
        let list = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        list.iter()
            .map(|head| head.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect()
    }
}

/// Reads a request's head (up to its blank line) from `socket`: `None` when the client went
/// before sending one.
pub async fn read_head<S: tokio::io::AsyncRead + Unpin>(socket: &mut S) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// This process's peak resident memory in KiB (`VmHWM` of `/proc/self/status`; 0 where there is
/// none), for the benchmarks that report memory.
pub fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
