//! Benchmark: events parsed and decoded per second through the generated Dify client, beside a
//! loop written by hand over the same bytes, and the peak memory of a long stream against a
//! short one.
//!
//! A server in the process (127.0.0.1, the same current-thread runtime) answers every request
//! with a chunked `text/event-stream` of `EVENTS` Dify workflow events (`node_finished` mostly,
//! about 600 bytes each, a `ping` every 50), ending with `workflow_finished`. Variants, in
//! interleaved rounds:
//! - a. by hand: `reqwest` with the body read chunk by chunk, split on blank lines, each
//!   `data:` line decoded with `serde_json::from_str::<WorkflowStreamEvent>`;
//! - b. `client.stream_workflow_events(run, user).await` and the stream read to its end.
//!
//! Then, each in a child process of its own, the peak resident memory (`VmHWM`) of variant b
//! over 10 events and over 100,000. Prints the table; asserts only that every event decoded.
//!
//! `cargo bench -p apigen-tests --bench event_stream`; `EVENTS=` and `ROUNDS=` override counts.

use apigen_runtime::reqwest;
use dify_client::types::WorkflowStreamEvent;
use dify_client::{Client, StreamExt};
use std::net::SocketAddr;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RUN_ID: &str = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The text of event `i` of a stream of `events` (a ping before every fiftieth).
fn event_text(i: usize, events: usize, text: &mut String) {
    {
        if i % 50 == 49 {
            text.push_str("event: ping\n\n");
        }
        let value = if i + 1 == events {
            serde_json::json!({"event": "workflow_finished", "task_id": "c3800678-a077-43df-a102-53f23ed20b88",
                "workflow_run_id": RUN_ID, "data": {"id": RUN_ID, "status": "succeeded", "elapsed_time": 2.5}})
        } else {
            serde_json::json!({"event": "node_finished", "task_id": "c3800678-a077-43df-a102-53f23ed20b88",
                "workflow_run_id": RUN_ID, "data": {"id": "2f3a1d44-0b4c-4a6e-9d0f-1e2b3c4d5e6f",
                "node_id": format!("node-{i}"), "node_type": "llm", "title": "Summarize the ticket", "index": i,
                "status": "succeeded", "elapsed_time": 1.25, "inputs": {"query": "What changed in the last release?"},
                "outputs": {"text": "The release fixed the login loop and added SSO for teams."},
                "execution_metadata": {"total_tokens": 812, "total_price": 0.0012, "currency": "USD"},
                "created_at": 1705407629, "finished_at": 1705407631}})
        };
        text.push_str("data: ");
        text.push_str(&value.to_string());
        text.push_str("\n\n");
    }
}

/// One chunk of a chunked body.
fn frame(piece: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
    out.extend_from_slice(piece);
    out.extend_from_slice(b"\r\n");
}

const HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";

/// The whole answer of a stream of `events` events, in chunks of about 16 KiB.
fn whole_answer(events: usize) -> Vec<u8> {
    let mut text = String::new();
    for i in 0..events {
        event_text(i, events, &mut text);
    }
    let mut body = HEAD.to_vec();
    for piece in text.as_bytes().chunks(16 * 1024) {
        frame(piece, &mut body);
    }
    body.extend_from_slice(b"0\r\n\r\n");
    body
}

/// Writes a stream of `events` made as it goes, so that the server holds one chunk at a time
/// (for the memory figures, which the client alone should make).
async fn write_lazily(stream: &mut tokio::net::TcpStream, events: usize) -> std::io::Result<()> {
    stream.write_all(HEAD).await?;
    let mut text = String::new();
    let mut framed = Vec::new();
    for i in 0..events {
        event_text(i, events, &mut text);
        if text.len() >= 16 * 1024 || i + 1 == events {
            framed.clear();
            frame(text.as_bytes(), &mut framed);
            stream.write_all(&framed).await?;
            text.clear();
        }
    }
    stream.write_all(b"0\r\n\r\n").await
}

async fn start_server(events: usize, lazy: bool) -> SocketAddr {
    let response: &'static [u8] = if lazy {
        &[]
    } else {
        Box::leak(whole_answer(events).into_boxed_slice())
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let mut filled = 0;
                loop {
                    match stream.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        let written = if lazy {
                            write_lazily(&mut stream, events).await
                        } else {
                            stream.write_all(response).await
                        };
                        if written.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                }
            });
        }
    });
    address
}

/// a. The loop people write by hand: chunks, blank lines, `data:` lines, serde.
async fn by_hand(http: &reqwest::Client, url: &str) -> usize {
    let mut response = http
        .get(url)
        .header("authorization", "Bearer app-key")
        .send()
        .await
        .expect("a response");
    let mut pending = String::new();
    let mut decoded = 0;
    while let Some(chunk) = response.chunk().await.expect("a chunk") {
        pending.push_str(std::str::from_utf8(&chunk).expect("UTF-8 chunks"));
        while let Some(end) = pending.find("\n\n") {
            let event: String = pending.drain(..end + 2).collect();
            for line in event.lines() {
                if let Some(data) = line.strip_prefix("data: ") {
                    let _event: WorkflowStreamEvent = serde_json::from_str(data).expect("an event");
                    decoded += 1;
                }
            }
        }
    }
    decoded
}

/// b. The generated client's stream.
async fn generated(client: &Client) -> usize {
    let mut events = client
        .stream_workflow_events(RUN_ID.parse().expect("a uuid"), "user-42")
        .await
        .expect("the stream opens");
    let mut decoded = 0;
    while let Some(event) = events.next().await {
        event.expect("an event");
        decoded += 1;
    }
    decoded
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// One stream of `events` through the generated client, in this process; prints the peak.
fn memory_case(events: usize) {
    let decoded = runtime().block_on(async {
        let address = start_server(events, true).await;
        let client = Client::builder()
            .base_url(format!("http://{address}"))
            .api_key_auth("app-key")
            .build()
            .expect("a client");
        generated(&client).await
    });
    assert_eq!(decoded, events);
    println!("{}", apigen_tests::peak_memory_kib());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--memory") {
        memory_case(args[i + 1].parse().expect("a count"));
        return;
    }
    let events = env_count("EVENTS", 100_000);
    let rounds = env_count("ROUNDS", 5);
    let (hand, gen_) = runtime().block_on(async {
        let address = start_server(events, false).await;
        let url = format!("http://{address}/workflow/{RUN_ID}/events?user=user-42");
        let http = reqwest::Client::new();
        let client = Client::builder()
            .base_url(format!("http://{address}"))
            .api_key_auth("app-key")
            .build()
            .expect("a client");
        // Warm-up.
        assert_eq!(by_hand(&http, &url).await, events);
        assert_eq!(generated(&client).await, events);
        let mut hand = Vec::new();
        let mut gen_ = Vec::new();
        for _ in 0..rounds {
            let started = Instant::now();
            assert_eq!(by_hand(&http, &url).await, events);
            hand.push(events as f64 / started.elapsed().as_secs_f64());
            let started = Instant::now();
            assert_eq!(generated(&client).await, events);
            gen_.push(events as f64 / started.elapsed().as_secs_f64());
        }
        (median(hand), median(gen_))
    });
    println!("{events} events per stream, {rounds} rounds, median events/s\n");
    println!("| variant | events/s | against a |\n|---|---:|---:|");
    println!("| a. by hand: chunks, blank lines, serde_json::from_str | {hand:.0} | — |");
    println!(
        "| b. generated client: stream_workflow_events | {gen_:.0} | {:+.1}% |",
        (gen_ / hand - 1.0) * 100.0
    );
    let exe = std::env::current_exe().expect("this benchmark");
    println!("\n| events in the stream | peak memory |\n|---:|---:|");
    for count in [10usize, 100_000] {
        let output = std::process::Command::new(&exe)
            .args(["--memory", &count.to_string()])
            .output()
            .expect("the case runs");
        let kib: u64 = String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        println!("| {count} | {:.1} MiB |", kib as f64 / 1024.0);
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
