//! Benchmark: the peak memory of listing 100,000 items in 1,000 pages through the generated
//! Retab client's `.items()`, beside that of reading one page, and the items read per second.
//!
//! A server in the process (127.0.0.1) answers `GET /v1/workflows/runs?after=c<n>` with page
//! `n` of Retab workflow runs (about 400 bytes each), made as it is asked for, the cursor of the
//! next page in `list_metadata.after` and null after the last. Each figure comes from a child
//! process of its own (`VmHWM`): one page (`.pages()`, the first taken), then the whole list
//! (`.items()` to its end). The listing should hold one page at a time, so the two peaks differ
//! by little more than a page. Prints the table; asserts only that every item arrived in order.
//!
//! `cargo bench -p apigen-tests --bench pagination`; `PAGES=` and `PER_PAGE=` override counts.

use retab_client::{Client, StreamExt};
use std::net::SocketAddr;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The JSON of page `page` (from 1) of `pages`, `per_page` runs each.
fn page_body(page: usize, pages: usize, per_page: usize) -> String {
    let runs: Vec<serde_json::Value> = (0..per_page)
        .map(|i| {
            serde_json::json!({
                "id": format!("run_{page:05}_{i:03}"),
                "workflow_id": "wf_01JQ8Z",
                "workflow_version_id": "ver_9c1d2e",
                "trigger": {"type": "api"},
                "lifecycle": {"status": "completed"},
                "timing": {"created_at": "2026-08-20T09:15:02.123456Z", "started_at": "2026-08-20T09:15:03.5Z",
                           "completed_at": "2026-08-20T09:15:09.25Z"},
                "metadata": {"tenant": "acme", "source": "nightly-import"}
            })
        })
        .collect();
    let after = (page < pages).then(|| format!("c{}", page + 1));
    serde_json::json!({"data": runs, "list_metadata": {"after": after, "before": null}}).to_string()
}

/// Serves the pages, each made when asked for.
async fn start_server(pages: usize, per_page: usize) -> SocketAddr {
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
                        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                        let page = head
                            .split_once("after=c")
                            .and_then(|(_, rest)| {
                                rest.split(|c: char| !c.is_ascii_digit())
                                    .next()?
                                    .parse()
                                    .ok()
                            })
                            .unwrap_or(1);
                        let body = page_body(page, pages, per_page);
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if stream.write_all(answer.as_bytes()).await.is_err() {
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

fn client(address: SocketAddr) -> Client {
    Client::builder()
        .base_url(format!("http://{address}"))
        .api_key("sk_bench")
        .build()
        .expect("a client")
}

/// In a child: one page, or the whole list; prints the items read, the seconds and the peak.
fn child(mode: &str, pages: usize, per_page: usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let address = start_server(pages, per_page).await;
        let client = client(address);
        let started = Instant::now();
        let count = match mode {
            "page" => {
                let mut pages = Box::pin(client.list_workflow_runs().pages());
                let page = pages.next().await.expect("a page").expect("the page reads");
                page.data.len()
            }
            _ => {
                let mut items = client.list_workflow_runs().items();
                let mut count = 0usize;
                while let Some(run) = items.next().await {
                    let run = run.expect("every run decodes");
                    let expected =
                        format!("run_{:05}_{:03}", count / per_page + 1, count % per_page);
                    assert_eq!(run.id, expected, "in order");
                    count += 1;
                }
                count
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        println!("{count} {seconds} {}", apigen_tests::peak_memory_kib());
    });
}

fn main() {
    let pages = env_count("PAGES", 1000);
    let per_page = env_count("PER_PAGE", 100);
    let mut args = std::env::args().skip(1);
    if let Some(mode) = args.find_map(|a| a.strip_prefix("--child=").map(str::to_owned)) {
        child(&mode, pages, per_page);
        return;
    }
    let exe = std::env::current_exe().expect("this benchmark");
    let page_bytes = page_body(1, pages, per_page).len();
    println!(
        "listing {pages} pages of {per_page} Retab runs ({} items, {} KiB a page)\n",
        pages * per_page,
        page_bytes / 1024
    );
    println!("| read | items | time | items/s | peak memory |\n|---|---:|---:|---:|---:|");
    for (mode, what) in [
        ("page", "one page (`.pages()`, first)"),
        ("all", "every item (`.items()`)"),
    ] {
        let output = std::process::Command::new(&exe)
            .arg(format!("--child={mode}"))
            .arg("--bench")
            .output()
            .expect("the child runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        let line = text.lines().last().unwrap_or_default();
        let mut fields = line.split_whitespace();
        let items: usize = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        let seconds: f64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
        let peak: u64 = fields.next().and_then(|v| v.parse().ok()).unwrap_or(0);
        let expected = if mode == "page" {
            per_page
        } else {
            pages * per_page
        };
        assert_eq!(items, expected, "{what}");
        println!(
            "| {what} | {items} | {seconds:.2} s | {:.0} | {:.1} MiB |",
            items as f64 / seconds.max(1e-9),
            peak as f64 / 1024.0
        );
    }
}
