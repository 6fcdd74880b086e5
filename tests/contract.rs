//! Contract tests against Prism, a third-party mock server driven by each API document.
//!
//! For each of the five APIs, Prism (`@stoplight/prism-cli`) serves the API's effective document
//! (`cargo xtask spec <api>`: the vendor's document with the overlays applied, focused on the
//! operations the settings select) in dynamic mode: every response is generated at random from the document's schemas, and every
//! request is validated against it (path, parameters, credentials). With `--errors`, a request
//! that violates the document gets an error response instead of a mock. Each client makes 200
//! calls: all must decode, and Prism's log must report no violation.
//!
//! Prism is found through `$PRISM`, else in `target/prism` (installed there with npm when missing).

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const CALLS: usize = 200;
const PRISM_VERSION: &str = "@stoplight/prism-cli@5.14.2";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The Prism executable, installed once per test run if needed.
fn prism() -> &'static PathBuf {
    static PRISM: OnceLock<PathBuf> = OnceLock::new();
    PRISM.get_or_init(|| {
        if let Ok(path) = std::env::var("PRISM") {
            return PathBuf::from(path);
        }
        let prefix = root().join("target/prism");
        let bin = prefix.join("node_modules/.bin/prism");
        if !bin.exists() {
            let status = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund", "--prefix"])
                .arg(&prefix)
                .arg(PRISM_VERSION)
                .status()
                .expect("npm is needed to install Prism (or set $PRISM)");
            assert!(status.success(), "npm could not install {PRISM_VERSION}");
        }
        bin
    })
}

/// A running Prism; killed when dropped. Its log is collected line by line.
struct Mock {
    child: Child,
    base_url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mock {
    fn start(api: &str) -> Mock {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spec = effective_spec(api);
        let mut child = Command::new(prism())
            .args([
                "mock",
                "--dynamic",
                "--errors",
                "--host",
                "127.0.0.1",
                "--port",
            ])
            .arg(port.to_string())
            .arg(&spec)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Prism starts");
        let log = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    log.lock().unwrap().push(line);
                }
            });
        }
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "Prism did not start: {:?}",
                log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Mock {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// Log lines where Prism found the request did not match the document.
    fn violations(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|line| {
                line.contains("did not pass the validation")
                    || line.contains("✖")
                    || line.contains("violation")
            })
            .cloned()
            .collect()
    }

    /// How many requests Prism answered with a mock.
    fn answered(&self) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains("Responding with"))
            .count()
    }

    fn finish(self, api: &str) {
        // Prism logs after it answers: give the log a moment to catch up with the last call.
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.answered() < CALLS && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let violations = self.violations();
        assert!(
            violations.is_empty(),
            "{api}: Prism reports violations:\n{}",
            violations.join("\n")
        );
        assert!(
            self.answered() >= CALLS,
            "{api}: Prism answered {} of {CALLS} requests",
            self.answered()
        );
    }
}

/// The effective document of `specs/<api>/`, written where Prism can read it (a file per call:
/// tests run in parallel).
fn effective_spec(api: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let document = xtask::effective_spec(&root(), api)
        .unwrap_or_else(|e| panic!("the effective document of {api}: {e}"));
    let path = root()
        .join("target/contract")
        .join(format!("{api}-{}-{n}.json", std::process::id()));
    xtask::write_document(&path, &document).expect("the effective document is written");
    path
}

/// A varied path value: letters, digits and characters that must be percent-encoded.
fn run_id(i: usize) -> String {
    format!("run {i}/{}", ["a", "é", "x?y", "50%", "a#b"][i % 5])
}

#[tokio::test(flavor = "multi_thread")]
async fn tamtam_decodes_prism_responses() {
    let mock = Mock::start("tamtam");
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..CALLS {
        let builder = tamtam_client::Client::builder().base_url(&mock.base_url);
        let client = if i % 2 == 0 {
            builder.apikey_auth("key-123")
        } else {
            builder.bearer_auth("jwt.abc")
        }
        .build()
        .unwrap();
        let run = client.get_user_workflow_run(run_id(i)).await;
        let run = run.unwrap_or_else(|e| panic!("call {i}: {e}"));
        ids.insert(run.run.id);
    }
    assert!(
        ids.len() > 1,
        "Prism's random runs decode to different values"
    );
    mock.finish("tamtam");
}

#[tokio::test(flavor = "multi_thread")]
async fn juo_decodes_prism_responses() {
    let mock = Mock::start("juo");
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..CALLS {
        let builder = juo_client::Client::builder().base_url(&mock.base_url);
        let client = if i % 2 == 0 {
            builder.delegated_token("delegated")
        } else {
            builder.access_token("access")
        }
        .build()
        .unwrap();
        let id = uuid::Uuid::from_u128(0x3f2b_8c9e_4d5a_4b6c_8d7e_9f0a_1b2c_0000 + i as u128);
        let state = client.get_workflow_run(id, format!("store-{i}")).await;
        let state = state.unwrap_or_else(|e| panic!("call {i}: {e}"));
        statuses.insert(state.status.as_str().to_owned());
    }
    assert!(statuses.len() > 1, "random statuses decode: {statuses:?}");
    mock.finish("juo");
}

#[tokio::test(flavor = "multi_thread")]
async fn dify_decodes_prism_responses() {
    let mock = Mock::start("dify");
    let client = dify_client::Client::builder()
        .base_url(&mock.base_url)
        .api_key_auth("app-key")
        .build()
        .unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for i in 0..CALLS {
        let detail = client.get_workflow_run_detail(run_id(i)).await;
        let detail = detail.unwrap_or_else(|e| panic!("call {i}: {e}"));
        ids.insert(detail.id);
    }
    assert!(
        ids.len() > 1,
        "Prism's random runs decode to different values"
    );
    mock.finish("dify");
}

#[tokio::test(flavor = "multi_thread")]
async fn retab_decodes_prism_responses() {
    let mock = Mock::start("retab");
    let client = retab_client::Client::builder()
        .base_url(&mock.base_url)
        .api_key("sk-retab")
        .build()
        .unwrap();
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..CALLS {
        let run = if i % 4 == 0 {
            let page = client.list_workflow_runs().limit(10).await;
            let page = page.unwrap_or_else(|e| panic!("call {i}: {e}"));
            match page.data.into_iter().next() {
                Some(run) => run,
                None => continue,
            }
        } else {
            let run = client.get_workflow_run(run_id(i)).await;
            run.unwrap_or_else(|e| panic!("call {i}: {e}"))
        };
        statuses.insert(run.lifecycle.status().unwrap_or("?").to_owned());
    }
    assert!(statuses.len() > 1, "random lifecycles decode: {statuses:?}");
    mock.finish("retab");
}

#[tokio::test(flavor = "multi_thread")]
async fn hardwire_decodes_prism_responses() {
    let mock = Mock::start("hardwire");
    let production = hardwire_client::Client::builder()
        .base_url(&mock.base_url)
        .session_cookie("session.sig%3D")
        .build()
        .unwrap();
    let development = hardwire_client::Client::builder()
        .base_url(&mock.base_url)
        .dev_session_cookie("session.sig%3D")
        .build()
        .unwrap();
    let mut statuses = std::collections::BTreeSet::new();
    for i in 0..CALLS {
        let client = if i % 2 == 0 {
            &production
        } else {
            &development
        };
        let chat = uuid::Uuid::from_u128(0x550e_8400_e29b_41d4_a716_4466_5544_0000 + i as u128);
        let list = client.list_chat_workflow_runs(chat).await;
        let list = list.unwrap_or_else(|e| panic!("call {i}: {e}"));
        for run in &list.workflow_runs {
            statuses.insert(run.status.as_str().to_owned());
        }
    }
    assert!(statuses.len() > 1, "random statuses decode: {statuses:?}");
    mock.finish("hardwire");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_that_breaks_the_document_is_caught() {
    // Without credentials, and with a tenant header Prism cannot miss: the check must see it.
    let mock = Mock::start("juo");
    let client = juo_client::Client::new(&mock.base_url);
    let err = client
        .get_workflow_run(uuid::Uuid::nil(), "store")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while mock.violations().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let violations = mock.violations();
    assert!(
        violations
            .iter()
            .any(|line| line.contains("Invalid security scheme used")),
        "{violations:?}"
    );
}
