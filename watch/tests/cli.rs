//! The `watch` binary against a local server: its lines, final words and exit codes.

use serde_json::{Value, json};
use std::process::{Command, Output};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RETAB_KEY: &str = "sk_retab_live_4f9c2a7e1b";
const TAMTAM_KEY: &str = "tt-apikey-8f2c1d77-secret";
const RETAB_RUN: &str = "run_01JQ8ZK2V3T5W7Y9";
const TAMTAM_RUN: &str = "b3c6f5e2-1234-4abc-9def-0123456789ab";
const DIFY_RUN: &str = "fb47b2e6-5e43-4f90-be01-d5c5a088d156";
const JUO_RUN: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const CHAT_ID: &str = "550e8400-e29b-41d4-a716-446655440000";

/// Every variable the binary reads, so the developer's own never leak into a test.
const ENV: &[&str] = &[
    "TAMTAM_API_KEY",
    "TAMTAM_BEARER_TOKEN",
    "TAMTAM_BASE_URL",
    "JUO_ACCESS_TOKEN",
    "JUO_DELEGATED_TOKEN",
    "JUO_BASE_URL",
    "DIFY_API_KEY",
    "DIFY_BASE_URL",
    "RETAB_API_KEY",
    "RETAB_BASE_URL",
    "HARDWIRE_SESSION",
    "HARDWIRE_DEV_SESSION",
    "HARDWIRE_BASE_URL",
];

/// Runs the binary with `args` and only the given variables of [`ENV`] set.
async fn watch(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_watch"));
    command.args(args);
    for name in ENV {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Answers GET `at` with `body`, `times` times, or from then on with `None`; earlier mounts
/// answer first.
async fn answer(server: &MockServer, at: &str, body: Value, times: Option<u64>) {
    let mock = Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body));
    match times {
        Some(n) => mock.up_to_n_times(n).mount(server).await,
        None => mock.mount(server).await,
    }
}

fn retab_run(status: &str) -> Value {
    json!({
        "id": RETAB_RUN,
        "workflow_id": "wf_01JQ8Z",
        "workflow_version_id": "ver_9c1d2e",
        "trigger": {"type": "api"},
        "lifecycle": {"status": status},
        "timing": {"created_at": "2026-08-20T09:15:02.123456Z", "started_at": "2026-08-20T09:15:03.5Z"}
    })
}

fn tamtam_run(status: &str) -> Value {
    json!({
        "Run": {
            "ID": TAMTAM_RUN,
            "AccountID": "d5e8f7a4-6789-4cde-bf01-234567890abc",
            "UserEmail": "elliot.alderson@tamtam.ai",
            "CreatedAt": "2026-04-07T09:00:00Z",
            "UpdatedAt": "2026-04-07T11:05:30+02:00"
        },
        "Status": status,
        "Steps": []
    })
}

fn juo_run(status: &str) -> Value {
    json!({"workflowId": "wf_1", "workflowVersion": 1, "runId": JUO_RUN, "runVersion": 1, "status": status})
}

/// The lines of stdout, each checked to start with an RFC 3339 UTC timestamp, without it.
fn plain_lines(output: &Output) -> Vec<String> {
    stdout(output)
        .lines()
        .map(|line| {
            let (stamp, rest) = line.split_once(' ').unwrap();
            assert!(stamp.ends_with('Z'), "{line}");
            chrono::DateTime::parse_from_rfc3339(stamp).unwrap_or_else(|_| panic!("{line}"));
            rest.to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_run_that_succeeds_shows_each_status_once_and_exits_0() {
    let server = MockServer::start().await;
    let at = format!("/v1/workflows/runs/{RETAB_RUN}");
    answer(&server, &at, retab_run("running"), Some(3)).await;
    answer(&server, &at, retab_run("completed"), None).await;

    let output = watch(
        &[
            "retab",
            RETAB_RUN,
            "--base-url",
            &server.uri(),
            "--interval",
            "0.1",
        ],
        &[("RETAB_API_KEY", RETAB_KEY)],
    )
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let lines = plain_lines(&output);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("running after "), "{lines:?}");
    assert!(
        lines[1].starts_with("succeeded (vendor: completed) after "),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("the run succeeded after "),
        "{lines:?}"
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 4);
    let sent = requests[0].headers.get("authorization").unwrap();
    assert_eq!(sent, format!("Bearer {RETAB_KEY}").as_str());
    assert!(!stdout(&output).contains(RETAB_KEY) && !stderr(&output).contains(RETAB_KEY));
}

#[tokio::test]
async fn a_failed_run_exits_1() {
    let server = MockServer::start().await;
    let at = format!("/api/v1/user-workflow-runs/{TAMTAM_RUN}");
    answer(&server, &at, tamtam_run("QUEUED"), Some(1)).await;
    answer(&server, &at, tamtam_run("RUNNING"), Some(1)).await;
    answer(&server, &at, tamtam_run("FAILED"), None).await;
    let base = format!("{}/api", server.uri());

    let output = watch(
        &["tamtam", TAMTAM_RUN, "--interval", "0.1"],
        &[("TAMTAM_API_KEY", TAMTAM_KEY), ("TAMTAM_BASE_URL", &base)],
    )
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = plain_lines(&output);
    assert!(
        lines[0].starts_with("queued (vendor: QUEUED) after "),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("running (vendor: RUNNING) after "),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("failed (vendor: FAILED) after "),
        "{lines:?}"
    );
    assert!(lines[3].starts_with("the run failed after "), "{lines:?}");
    assert_eq!(lines.len(), 4);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("authorization").unwrap(),
        TAMTAM_KEY
    );
}

#[tokio::test]
async fn a_run_still_going_at_the_deadline_exits_2() {
    let server = MockServer::start().await;
    let body = json!({"id": DIFY_RUN, "status": "running", "created_at": 1727807629});
    answer(
        &server,
        &format!("/v1/workflows/run/{DIFY_RUN}"),
        body,
        None,
    )
    .await;
    let base = format!("{}/v1", server.uri());

    let started = std::time::Instant::now();
    let output = watch(
        &[
            "dify",
            DIFY_RUN,
            "--user",
            "customer-4821",
            "--base-url",
            &base,
            "--deadline",
            "1",
            "--interval",
            "0.2",
        ],
        &[("DIFY_API_KEY", "app-secret")],
    )
    .await;

    assert!(started.elapsed().as_secs_f64() < 3.0);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines = plain_lines(&output);
    assert_eq!(lines.len(), 2, "running is shown once: {lines:?}");
    assert!(lines[0].starts_with("running after "), "{lines:?}");
    assert!(lines[1].contains("did not end within"), "{lines:?}");
    assert!(lines[1].contains("last seen running"), "{lines:?}");
}

#[tokio::test]
async fn a_missing_credential_exits_2_naming_the_variables() {
    let output = watch(
        &["tamtam", TAMTAM_RUN, "--base-url", "http://127.0.0.1:9"],
        &[],
    )
    .await;

    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("TAMTAM_API_KEY or TAMTAM_BEARER_TOKEN"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(stdout(&output), "");
}

#[tokio::test]
async fn help_names_the_variables_and_the_exit_codes() {
    let output = watch(&["--help"], &[]).await;

    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for name in ENV {
        assert!(help.contains(name), "{name} missing from:\n{help}");
    }
    for needle in [
        "Exit codes:",
        "0  the run succeeded",
        "1  the run failed",
        "2  the run waits for input",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from:\n{help}");
    }
}

#[tokio::test]
async fn waiting_for_input_exits_2_unless_told_to_wait_through_it() {
    let server = MockServer::start().await;
    let at = format!("/customer/v1/workflows/{JUO_RUN}");
    Mock::given(method("GET"))
        .and(path(&at))
        .and(header("x-tenant-id", "acme"))
        .respond_with(ResponseTemplate::new(200).set_body_json(juo_run("waiting_interaction")))
        .up_to_n_times(3)
        .mount(&server)
        .await;
    answer(&server, &at, juo_run("completed"), None).await;
    let base = format!("{}/customer/v1", server.uri());
    let args = [
        "juo",
        JUO_RUN,
        "--tenant",
        "acme",
        "--base-url",
        &base,
        "--interval",
        "0.1",
    ];
    let env = [("JUO_ACCESS_TOKEN", "juo-token")];

    let output = watch(&args, &env).await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines = plain_lines(&output);
    assert!(
        lines[0].starts_with("waiting for input (vendor: waiting_interaction)"),
        "{lines:?}"
    );
    assert!(lines[1].contains("a person must act"), "{lines:?}");

    let output = watch(&[&args[..], &["--through-input"]].concat(), &env).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines = plain_lines(&output);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("waiting for input"), "{lines:?}");
    assert!(
        lines[1].starts_with("succeeded (vendor: completed)"),
        "{lines:?}"
    );
    assert!(lines[2].starts_with("the run succeeded"), "{lines:?}");
}

#[tokio::test]
async fn hardwire_finds_the_run_in_its_chat_and_says_when_it_is_not_there() {
    let server = MockServer::start().await;
    let run = json!({
        "id": "8f14e45f-ceea-4e7a-9b0b-3c2f1a7d9e01",
        "status": "CANCELLED",
        "startedAt": "2026-03-06T20:41:12.482913+00:00",
        "completedAt": "2026-03-06T20:41:58.100004+00:00",
        "steps": []
    });
    let at = format!("/api/chats/{CHAT_ID}/workflow-runs");
    answer(&server, &at, json!({"workflowRuns": [run]}), None).await;
    let env = [(
        "HARDWIRE_DEV_SESSION",
        "Xk9sQ2vT7pLmN4rW.aBcD3fGh%2BiJkL%3D",
    )];

    let base = server.uri();
    let output = watch(
        &[
            "hardwire",
            "8f14e45f-ceea-4e7a-9b0b-3c2f1a7d9e01",
            "--chat",
            CHAT_ID,
            "--base-url",
            &base,
        ],
        &env,
    )
    .await;
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines = plain_lines(&output);
    assert!(
        lines[1].starts_with("the run was cancelled after "),
        "{lines:?}"
    );
    let cookie = server.received_requests().await.unwrap()[0]
        .headers
        .get("cookie")
        .cloned();
    assert!(
        cookie
            .unwrap()
            .to_str()
            .unwrap()
            .contains("better-auth.session_token=")
    );

    let output = watch(
        &["hardwire", "other", "--chat", CHAT_ID, "--base-url", &base],
        &env,
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(r#"no run with id "other""#),
        "{}",
        stdout(&output)
    );

    let output = watch(&["hardwire", "other", "--base-url", &base], &env).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--chat <UUID>"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test]
async fn a_server_error_and_bad_usage_exit_2() {
    let server = MockServer::start().await;
    let body = json!({"detail": "Workflow run not found"});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(body))
        .mount(&server)
        .await;
    let output = watch(
        &["retab", "nope", "--base-url", &server.uri()],
        &[("RETAB_API_KEY", RETAB_KEY)],
    )
    .await;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stdout(&output).contains("404"), "{}", stdout(&output));

    for args in [
        &["retab"][..],
        &["nope", "x"],
        &["retab", "x", "--deadline", "-1"],
        &["retab", "x", "--interval", "0"],
        &["juo", "not-a-uuid", "--tenant", "acme"],
        &["juo", JUO_RUN],
        &["dify", DIFY_RUN],
    ] {
        let env = [
            ("RETAB_API_KEY", RETAB_KEY),
            ("JUO_ACCESS_TOKEN", "juo-token"),
        ];
        let output = watch(args, &env).await;
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
    }
}

#[tokio::test]
async fn a_dify_run_followed_by_its_events_shows_each_node_then_the_outcome() {
    let server = MockServer::start().await;
    let event = |value: Value| format!("data: {value}\n\n");
    let stream = [
        event(json!({"event": "workflow_started", "workflow_run_id": DIFY_RUN, "data": {"id": DIFY_RUN}})),
        "event: ping\n\n".to_owned(),
        event(json!({"event": "node_started", "workflow_run_id": DIFY_RUN, "data": {"title": "Summarize"}})),
        event(json!({"event": "node_finished", "workflow_run_id": DIFY_RUN,
                     "data": {"title": "Summarize", "status": "succeeded", "elapsed_time": 1.25}})),
        event(json!({"event": "workflow_finished", "workflow_run_id": DIFY_RUN,
                     "data": {"id": DIFY_RUN, "status": "succeeded"}})),
    ]
    .concat();
    Mock::given(method("GET"))
        .and(path(format!("/workflow/{DIFY_RUN}/events")))
        .and(header("authorization", "Bearer app-dify-key"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(stream, "text/event-stream"))
        .mount(&server)
        .await;
    // Running when first asked and when the stream says the run started; done once it ends.
    answer(
        &server,
        &format!("/workflows/run/{DIFY_RUN}"),
        json!({"id": DIFY_RUN, "status": "running", "created_at": 1705407629}),
        Some(2),
    )
    .await;
    answer(
        &server,
        &format!("/workflows/run/{DIFY_RUN}"),
        json!({"id": DIFY_RUN, "status": "succeeded", "created_at": 1705407629, "finished_at": 1705407632}),
        None,
    )
    .await;

    let output = watch(
        &[
            "dify",
            DIFY_RUN,
            "--user",
            "customer-4821",
            "--base-url",
            &server.uri(),
        ],
        &[("DIFY_API_KEY", "app-dify-key")],
    )
    .await;

    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let lines = plain_lines(&output);
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].starts_with("running after "), "{lines:?}");
    assert!(
        lines[1].starts_with("node \"Summarize\" running, after "),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("node \"Summarize\" succeeded in 1.2s, after "),
        "{lines:?}"
    );
    assert!(lines[3].starts_with("succeeded after "), "{lines:?}");
    assert!(
        lines[4].starts_with("the run succeeded after "),
        "{lines:?}"
    );
    let requests = server.received_requests().await.unwrap();
    let asked: Vec<String> = requests
        .iter()
        .map(|r| match r.url.query() {
            Some(query) => format!("{}?{query}", r.url.path()),
            None => r.url.path().to_owned(),
        })
        .collect();
    // The run, then its events (nodes already run replayed first), then the run again after
    // `workflow_started` and `workflow_finished`: the outcome confirmed, as the vendor advises.
    let run = format!("/workflows/run/{DIFY_RUN}");
    assert_eq!(
        asked,
        [
            run.clone(),
            format!("/workflow/{DIFY_RUN}/events?user=customer-4821&include_state_snapshot=true"),
            run.clone(),
            run
        ]
    );
}
