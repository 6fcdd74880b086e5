//! `cargo xtask diff`: a spec changed in a git repository against its committed state, and one
//! real case, Retab's document written from its docs page against the one Retab publishes.

use apigen_codegen::api_diff::{Effect, diff, overall};
use apigen_codegen::{load, lower_value, surface};
use std::path::Path;
use std::process::Command;
use xtask::changes;

mod common;

const SPEC: &str = r##"openapi: 3.1.0
info: {title: Runs, version: "1"}
paths:
  /runs/{id}:
    get:
      operationId: get_run
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Run"}
components:
  schemas:
    Run:
      type: object
      required: [id, status]
      properties:
        id: {type: string}
        status: {type: string, enum: [running, done]}
        note: {type: string}
"##;

fn git(root: &Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// A repository with `specs/runs/` committed as given.
fn repository(name: &str, settings: &str) -> std::path::PathBuf {
    let root = common::scratch("diff", name);
    std::fs::create_dir_all(root.join("specs/runs")).unwrap();
    std::fs::write(root.join("specs/runs/openapi.yaml"), SPEC).unwrap();
    std::fs::write(root.join("specs/runs/codegen.toml"), settings).unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "runs"]);
    root
}

#[test]
fn a_spec_changed_since_the_last_commit_is_reported_with_the_version_it_needs() {
    let root = repository("changed", "[crate]\nversion = \"0.3.0\"\n");
    let changed = SPEC
        .replace("enum: [running, done]", "enum: [running, done, failed]")
        .replace("        note: {type: string}\n", "");
    std::fs::write(root.join("specs/runs/openapi.yaml"), changed).unwrap();

    let report = changes::diff(&root, "HEAD", &[]).unwrap();

    assert!(report.breaking);
    let api = &report.apis[0];
    assert_eq!(api.krate, "runs-client");
    assert_eq!(api.effect, Some(Effect::Breaking));
    assert_eq!(api.needed_version, Some("0.4.0".parse().unwrap()));
    assert!(!api.version_ok);
    let found: Vec<(&str, &str, Effect)> = api
        .changes
        .iter()
        .map(|c| (c.item.as_str(), c.change.as_str(), c.effect))
        .collect();
    assert_eq!(
        found,
        [
            (
                "Run.note",
                "field `note: Option<String>` removed",
                Effect::Breaking
            ),
            ("RunStatus::Failed", "new value", Effect::Addition),
        ]
    );
    let markdown = changes::markdown(&report);
    assert!(markdown.starts_with("# API changes since `HEAD`\n\n## `runs-client`\n\n| effect | item | change | why |\n|---|---|---|---|\n| breaking | `Run.note` | field `note: Option<String>` removed | code reading it no longer compiles |\n| addition | `RunStatus::Failed` | new value |"), "{markdown}");
    assert!(
        markdown.contains("**Semver:** 1 breaking, 1 additions, 0 patch-level: needs 0.4.0 (from 0.3.0); the settings say 0.3.0: set `[crate] version = \"0.4.0\"` in `specs/runs/codegen.toml`."),
        "{markdown}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["breaking"], true);
    assert_eq!(json["apis"][0]["changes"][0]["effect"], "breaking");
    assert_eq!(json["apis"][0]["needed_version"], "0.4.0");

    // With the version raised, the same changes are in order.
    std::fs::write(
        root.join("specs/runs/codegen.toml"),
        "[crate]\nversion = \"0.4.0\"\n",
    )
    .unwrap();
    let report = changes::diff(&root, "HEAD", &[]).unwrap();
    assert!(report.apis[0].version_ok);
    assert!(changes::markdown(&report).contains("0.3.0 -> 0.4.0 (at least 0.4.0 needed): ok."));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn an_unchanged_tree_has_nothing_to_report_and_a_bad_revision_is_named() {
    let root = repository("same", "");
    let report = changes::diff(&root, "HEAD", &[]).unwrap();
    assert!(!report.breaking);
    assert!(report.apis[0].changes.is_empty());
    assert!(changes::markdown(&report).contains("No change to the public API."));

    let err = changes::diff(&root, "no-such-rev", &[]).unwrap_err();
    assert_eq!(err, "--base no-such-rev: not a revision of the repository");
    let err = changes::diff(&root, "HEAD", &["nope".to_owned()]).unwrap_err();
    assert_eq!(err, "no API named \"nope\" at HEAD or in the working tree");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_new_api_is_all_additions_and_a_removed_one_breaks() {
    let root = repository("added", "");
    std::fs::create_dir_all(root.join("specs/other")).unwrap();
    std::fs::write(root.join("specs/other/openapi.yaml"), SPEC).unwrap();
    std::fs::remove_dir_all(root.join("specs/runs")).unwrap();

    let report = changes::diff(&root, "HEAD", &[]).unwrap();

    let states: Vec<(&str, &str)> = report
        .apis
        .iter()
        .map(|a| (a.api.as_str(), a.state))
        .collect();
    assert_eq!(states, [("other", "new"), ("runs", "removed")]);
    assert_eq!(report.apis[0].effect, Some(Effect::Addition));
    assert!(report.breaking);
    let _ = std::fs::remove_dir_all(&root);
}

/// The real case: the document written from Retab's docs page (in the project's history) against
/// the document Retab publishes, focused and corrected by the project's settings.
#[test]
fn retabs_docs_page_spec_against_its_published_document() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/retab-from-docs-page.yaml");
    let old = load::load_file(&page, "retab-from-docs-page.yaml").unwrap();
    let (old, _) = lower_value(&old, "retab-from-docs-page.yaml").unwrap();
    let now = changes::api_state(&xtask::workspace_root(), "retab")
        .unwrap()
        .unwrap();

    let found = diff(&surface::surface(&old), &now.surface);

    assert_eq!(overall(&found), Some(Effect::Breaking));
    let has = |item: &str, change: &str, effect: Effect| {
        found
            .iter()
            .any(|c| c.item == item && c.change == change && c.effect == effect)
    };
    // The run's status moved into `lifecycle`, its times into `timing`.
    assert!(has(
        "WorkflowRun.status",
        "field `status: WorkflowRunStatus` removed",
        Effect::Breaking
    ));
    assert!(has(
        "WorkflowRun.lifecycle",
        "new field `lifecycle: WorkflowRunLifecycle`",
        Effect::Addition
    ));
    assert!(has(
        "WorkflowRun.timing",
        "new field `timing: RunTiming`",
        Effect::Addition
    ));
    assert!(has(
        "WorkflowRun.id",
        "becomes required: `String`, was `Option<String>`",
        Effect::Breaking
    ));
    // The page's query credential is gone, and the key goes as a bearer token now.
    assert!(has(
        "Client::get_workflow_run",
        "optional setter `access_token(Secret)` removed",
        Effect::Breaking
    ));
    assert!(has(
        "Client::create_workflow_run",
        "new method",
        Effect::Addition
    ));
    assert!(has(
        "ClientBuilder::api_key",
        "sends a bearer token instead of an API key in header `Api-Key`",
        Effect::Patch
    ));
    let breaking = found
        .iter()
        .filter(|c| c.effect == Effect::Breaking)
        .count();
    assert!(breaking > 40, "{breaking} breaking changes");
}
