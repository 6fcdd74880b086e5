//! Benchmark: the runtime's cost per call, generated Retab client against reqwest and serde.
//!
//! A minimal HTTP/1.1 keep-alive server runs in-process on 127.0.0.1 and answers every request
//! with the same run. Server and clients share one current-thread runtime; each variant makes
//! `CALLS` sequential GETs per round, rounds interleaved so that drift in the machine affects
//! every variant alike. Prints the median time per call, its overhead over the direct loop, and
//! the 90th percentile; asserts only that every call decoded the run.
//!
//! `cargo bench -p apigen-tests --bench per_call`. `CALLS=` and `ROUNDS=` override the counts,
//! `VARIANTS=b` runs only some variants (to profile one).

use apigen_runtime::RetryPolicy;
use apigen_runtime::reqwest;
use retab_client::types::WorkflowRun;
use std::net::SocketAddr;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const API_KEY: &str = "sk_retab_live_4f9c2a7e1b";
const RUN_ID: &str = "run_01JQ8ZK2V3T5W7Y9";

/// A finished run as Retab's API answers it: lifecycle, timing, trigger, inputs and metadata.
fn run_body() -> String {
    serde_json::json!({
        "id": RUN_ID,
        "workflow_id": "wf_01JQ8Z",
        "workflow_version_id": "ver_9c1d2e",
        "trigger": {"type": "api"},
        "lifecycle": {"status": "completed"},
        "timing": {
            "created_at": "2026-08-20T09:15:02.123456Z",
            "started_at": "2026-08-20T09:15:03.5Z",
            "completed_at": "2026-08-20T09:16:40.000001Z"
        },
        "inputs": {
            "documents": {
                "start-node-1": {"id": "file_123", "filename": "invoice.pdf", "mime_type": "application/pdf"},
                "start-node-2": {"id": "file_124", "filename": "receipt.png", "mime_type": "image/png"}
            },
            "json_data": {
                "start-json-1": {
                    "customer": "Acme",
                    "lines": [
                        {"sku": "A-100", "quantity": 2, "unit_price": 19.5},
                        {"sku": "B-220", "quantity": 1, "unit_price": 240.0}
                    ],
                    "currency": "EUR"
                }
            }
        },
        "metadata": {"team": "billing", "source": "erp-sync", "batch": "2026-08-20"}
    })
    .to_string()
}

/// Serves `body` as `200 application/json` to every request, on connections kept alive, from
/// tasks of the current runtime.
async fn start_server(body: String) -> SocketAddr {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-request-id: req_7Hq2\r\n\r\n{body}",
        body.len()
    );
    let response: &'static [u8] = Box::leak(response.into_bytes().into_boxed_slice());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        loop {
            if let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, response));
            }
        }
    });
    address
}

/// Answers each request head on `stream` (GETs: no body) with `response`.
async fn serve(mut stream: tokio::net::TcpStream, response: &'static [u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0u8; 8192];
    let mut filled = 0;
    loop {
        match stream.read(&mut buffer[filled..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // Every complete head in the buffer gets an answer; a partial one waits for more.
        while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
            if stream.write_all(response).await.is_err() {
                return;
            }
            buffer.copy_within(end + 4..filled, 0);
            filled -= end + 4;
        }
        if filled == buffer.len() {
            return; // a head larger than any this benchmark sends
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    Direct,
    Generated,
    GeneratedTraced,
    GeneratedNoRetry,
}

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::Direct,
        Variant::Generated,
        Variant::GeneratedTraced,
        Variant::GeneratedNoRetry,
    ];

    fn letter(self) -> char {
        match self {
            Variant::Direct => 'a',
            Variant::Generated => 'b',
            Variant::GeneratedTraced => 'c',
            Variant::GeneratedNoRetry => 'd',
        }
    }

    fn label(self) -> &'static str {
        match self {
            Variant::Direct => "a. direct: reqwest + serde_json::from_slice",
            Variant::Generated => "b. generated client (retries, spans, no subscriber)",
            Variant::GeneratedTraced => "c. generated client, subscriber at INFO",
            Variant::GeneratedNoRetry => "d. generated client, RetryPolicy::none()",
        }
    }
}

struct Clients {
    base: String,
    direct: reqwest::Client,
    generated: retab_client::Client,
    no_retry: retab_client::Client,
}

impl Clients {
    fn new(address: SocketAddr) -> Self {
        let base = format!("http://{address}");
        let generated = retab_client::Client::builder()
            .base_url(&base)
            .api_key(API_KEY)
            .build()
            .expect("client builds");
        let no_retry = retab_client::Client::builder()
            .base_url(&base)
            .api_key(API_KEY)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("client builds");
        // A user agent like the generated client's (its crate's name and version), so that both
        // send the same request.
        let direct = reqwest::Client::builder()
            .user_agent("retab-client/0.1.0")
            .build()
            .expect("client builds");
        Clients {
            base,
            direct,
            generated,
            no_retry,
        }
    }

    /// The direct loop's call: what one would write without a generated client.
    async fn direct(&self, run_id: &str) -> WorkflowRun {
        let response = self
            .direct
            .get(format!("{}/v1/workflows/runs/{run_id}", self.base))
            .bearer_auth(API_KEY)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .expect("direct request");
        assert!(response.status().is_success(), "{}", response.status());
        let body = response.bytes().await.expect("direct body");
        serde_json::from_slice(&body).expect("direct decode")
    }

    async fn call(&self, variant: Variant) -> WorkflowRun {
        match variant {
            Variant::Direct => self.direct(RUN_ID).await,
            Variant::Generated | Variant::GeneratedTraced => {
                self.generated.get_workflow_run(RUN_ID).await.expect("call")
            }
            Variant::GeneratedNoRetry => {
                self.no_retry.get_workflow_run(RUN_ID).await.expect("call")
            }
        }
    }

    /// `calls` sequential calls; the time of each, in nanoseconds.
    async fn round(&self, variant: Variant, calls: usize) -> Vec<u64> {
        let _guard = (variant == Variant::GeneratedTraced).then(|| {
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::INFO)
                .with_writer(std::io::sink)
                .finish();
            tracing::subscriber::set_default(subscriber)
        });
        let mut times = Vec::with_capacity(calls);
        for _ in 0..calls {
            let started = Instant::now();
            let run = self.call(variant).await;
            times.push(started.elapsed().as_nanos() as u64);
            assert_eq!(run.id, RUN_ID, "every call decodes the run");
        }
        times
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then one short round
    // only checks that the benchmark works.
    let benching = std::env::args().any(|a| a == "--bench");
    let calls = count("CALLS", if benching { 20_000 } else { 200 });
    let rounds = count("ROUNDS", if benching { 5 } else { 1 });
    let warm_up = calls.min(2_000);
    let chosen = std::env::var("VARIANTS").unwrap_or_else(|_| "abcd".to_owned());
    let variants: Vec<Variant> = Variant::ALL
        .into_iter()
        .filter(|v| chosen.contains(v.letter()))
        .collect();

    // One thread for clients and server: the time of a call is the client's work and the
    // server's, with no wake-ups across cores to add noise.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let address = runtime.block_on(start_server(run_body()));
    let clients = Clients::new(address);

    // Per variant: each round's median and 90th percentile time per call, in microseconds.
    let mut medians: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    let mut p90s: Vec<Vec<f64>> = vec![Vec::new(); variants.len()];
    runtime.block_on(async {
        for &variant in &variants {
            clients.round(variant, warm_up).await;
        }
        for round in 0..rounds {
            // Rotate the order, so that no variant always runs first or last.
            for i in 0..variants.len() {
                let index = (i + round) % variants.len();
                let mut times = clients.round(variants[index], calls).await;
                times.sort_unstable();
                let at = |fraction: f64| {
                    times[((times.len() - 1) as f64 * fraction) as usize] as f64 / 1_000.0
                };
                medians[index].push(at(0.5));
                p90s[index].push(at(0.9));
            }
        }
    });

    let summary: Vec<(f64, f64)> = medians
        .iter_mut()
        .zip(p90s.iter_mut())
        .map(|(m, p)| (median(m), median(p)))
        .collect();
    let direct = variants
        .iter()
        .position(|v| *v == Variant::Direct)
        .map(|i| summary[i].0);
    println!(
        "\n{calls} sequential GETs of a Retab run per variant and round, {rounds} rounds \
         interleaved; the median of the rounds' figures\n"
    );
    if !benching {
        println!("(a check that the benchmark runs; `cargo bench` gives the figures)\n");
    }
    println!(
        "| {:<52} | {:>14} | {:>8} | {:>11} |",
        "variant", "median µs/call", "overhead", "p90 µs/call"
    );
    println!("|{:-<54}|{:->15}:|{:->9}:|{:->12}:|", "", "", "", "");
    for (variant, &(median, p90)) in variants.iter().zip(&summary) {
        let overhead = match direct {
            Some(base) if *variant != Variant::Direct => {
                format!("{:+.1}%", (median / base - 1.0) * 100.0)
            }
            _ => "—".to_owned(),
        };
        println!(
            "| {:<52} | {:>14.2} | {:>8} | {:>11.2} |",
            variant.label(),
            median,
            overhead,
            p90,
        );
    }
}
