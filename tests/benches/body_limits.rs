//! Benchmark: peak memory of a client that meets bodies far over its limit, against one that
//! reads a small answer.
//!
//! Each case runs in a child process of its own, so that its peak resident memory (`VmHWM`) is
//! its own: a generated Tamtam client calls a local server that makes its body as the client
//! reads it (600 MiB announced by `Content-Length`, or 600 MiB chunked), under the default
//! 64 MiB limit. Prints each case's peak and what the client reported; asserts only that the
//! oversized answers were refused with `Error::TooLarge`.
//!
//! `cargo bench -p apigen-tests --bench body_limits`.

use apigen_runtime::RetryPolicy;
use apigen_tests::StreamingServer;
use std::process::Command;
use tamtam_client::{Client, Error};

const MIB: u64 = 1024 * 1024;
const RUN_ID: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";

/// (name, status, body size, chunked)
const CASES: [(&str, u16, u64, bool); 3] = [
    ("small answer, 2 KiB", 200, 2048, false),
    ("600 MiB with Content-Length", 200, 600 * MIB, false),
    ("600 MiB chunked", 200, 600 * MIB, true),
];

fn run_case(index: usize) {
    let (_, status, size, chunked) = CASES[index];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let outcome = runtime.block_on(async {
        let mut server = StreamingServer::start(status, size, chunked).await;
        let client = Client::builder()
            .base_url(&server.url)
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("a client");
        let answer = client.get_user_workflow_run(RUN_ID).await;
        let served = server.served().await;
        (answer, served)
    });
    let (answer, served) = outcome;
    let reported = match &answer {
        Ok(_) => "decoded".to_owned(),
        Err(Error::TooLarge { content_length, .. }) => {
            format!("TooLarge (declared {content_length:?})")
        }
        Err(other) => other.to_string().chars().take(60).collect::<String>(),
    };
    if size > 64 * MIB {
        assert!(matches!(answer, Err(Error::TooLarge { .. })), "{reported}");
    }
    println!(
        "{}\t{}\t{}",
        apigen_tests::peak_memory_kib(),
        served,
        reported
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(index) = args.iter().position(|a| a == "--case") {
        let case = args[index + 1].parse().expect("a case number");
        run_case(case);
        return;
    }
    let exe = std::env::current_exe().expect("this benchmark's path");
    println!(
        "| case | peak memory | body bytes the server wrote | client reported |\n|---|---:|---:|---|"
    );
    for (index, (name, ..)) in CASES.iter().enumerate() {
        let output = Command::new(&exe)
            .args(["--case", &index.to_string()])
            .output()
            .expect("the case runs");
        let text = String::from_utf8_lossy(&output.stdout);
        let mut fields = text.trim().split('\t');
        let peak: u64 = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
        let served: u64 = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
        let reported = fields.next().unwrap_or("(no report)");
        if !output.status.success() {
            eprintln!("{name}: {}", String::from_utf8_lossy(&output.stderr));
        }
        println!(
            "| {name} | {:.1} MiB | {:.1} MiB | {reported} |",
            peak as f64 / 1024.0,
            served as f64 / MIB as f64
        );
    }
}
