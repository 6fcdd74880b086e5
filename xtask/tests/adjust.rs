//! `cargo xtask generate` and `cargo xtask spec` with overlays and settings: what they change,
//! and the one-line errors (file, action or key) when they are wrong, with nothing written.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SPEC: &str = r#"openapi: 3.1.0
info: {title: Runs, version: '1'}
servers: [{url: 'https://api.example.com'}]
paths:
  /runs/{id}:
    get:
      tags: [Runs]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Run'}
  /files:
    get:
      operationId: listFiles
      tags: [Files]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/File'}}
components:
  schemas:
    Run:
      type: object
      required: [id]
      properties:
        id: {type: string}
        inputs: {type: object, additionalProperties: true}
    File:
      type: object
      properties:
        name: {type: string}
"#;

const OVERLAY: &str = r#"overlay: 1.1.0
info:
  title: Name the operation and accept inputs as JSON text
  version: 1.0.0
  description: The server sends inputs as JSON text.
actions:
  - target: $.paths['/runs/{id}'].get
    update:
      operationId: getRun
  - target: $.components.schemas.Run.properties.inputs
    remove: true
  - target: $.components.schemas.Run.properties
    update:
      inputs:
        oneOf:
          - {type: object, additionalProperties: true}
          - {type: string, contentMediaType: application/json}
"#;

fn scratch(name: &str) -> PathBuf {
    common::scratch("adjust", name)
}

fn xtask(args: &[&str], paths: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(args);
    for (flag, path) in paths {
        command.arg(flag).arg(path);
    }
    command.output().expect("xtask runs")
}

/// A folder holding `openapi.yaml` and the given other files.
fn api_dir(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("openapi.yaml"), SPEC).unwrap();
    for (file, contents) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

fn generate(dir: &Path, extra: &[(&str, &Path)]) -> Output {
    let spec = dir.join("openapi.yaml");
    let out = dir.join("out");
    let mut paths = vec![("--spec", spec.as_path()), ("--out", out.as_path())];
    paths.extend_from_slice(extra);
    xtask(&["generate", "--name", "runs-client"], &paths)
}

/// The single stderr line of a failed run, after checking exit code 1 and that nothing was written.
fn failure(dir: &Path, output: Output) -> String {
    common::one_line_failure(output, &dir.join("out"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn overlays_beside_the_document_apply_in_file_name_order() {
    let rename_again = r#"overlay: 1.0.0
info: {title: Rename again, version: '1'}
actions:
  - target: $.paths['/runs/{id}'].get
    update: {operationId: fetchRun}
"#;
    let dir = api_dir(
        "beside",
        &[
            ("overlays/02-rename.yaml", rename_again),
            ("overlays/01-fix.yaml", OVERLAY),
        ],
    );
    let output = generate(&dir, &[]);
    assert!(output.status.success(), "{output:?}");
    let client = read(&dir.join("out/src/client.rs"));
    assert!(
        client.contains("pub fn fetch_run("),
        "the later overlay wins"
    );
    let types = read(&dir.join("out/src/types.rs"));
    // The runtime's `use` may take several lines: what it names runs to the first `;`.
    let runtime_use = types
        .split_once("use apigen_runtime::")
        .and_then(|(_, rest)| rest.split_once(';'))
        .map_or("", |(names, _)| names);
    assert!(
        runtime_use.contains("EmbeddedJson")
            && types.contains("pub inputs: Option<EmbeddedJson<BTreeMap<String, Value>>>"),
        "inputs take either form:\n{types}"
    );
    let readme = read(&dir.join("out/README.md"));
    assert!(
        readme.contains("01-fix.yaml`: Name the operation and accept inputs as JSON text"),
        "{readme}"
    );
}

#[test]
fn overlay_flags_replace_the_folder_and_repeat() {
    let second = r#"overlay: 1.0.0
info: {title: Second, version: '1'}
actions:
  - target: $.paths['/files'].get
    update: {operationId: listAllFiles}
"#;
    let dir = api_dir("flags", &[("overlays/99-ignored.yaml", "not: an overlay")]);
    std::fs::write(dir.join("fix.yaml"), OVERLAY).unwrap();
    std::fs::write(dir.join("second.yaml"), second).unwrap();
    let (first, second) = (dir.join("fix.yaml"), dir.join("second.yaml"));
    let output = generate(&dir, &[("--overlay", &first), ("--overlay", &second)]);
    assert!(output.status.success(), "{output:?}");
    let client = read(&dir.join("out/src/client.rs"));
    assert!(client.contains("pub fn get_run("), "{client}");
    assert!(client.contains("pub fn list_all_files("), "{client}");
}

#[test]
fn an_overlay_target_that_matches_nothing_names_the_file_and_the_action() {
    let stale = OVERLAY.replace(
        "$.components.schemas.Run.properties.inputs",
        "$.components.schemas.Job.properties.inputs",
    );
    let dir = api_dir("stale", &[]);
    std::fs::write(dir.join("fix.yaml"), stale).unwrap();
    let overlay = dir.join("fix.yaml");
    let line = failure(&dir, generate(&dir, &[("--overlay", &overlay)]));
    assert_eq!(
        line,
        format!(
            "error: {}: #/actions/1: action 1 (target `$.components.schemas.Job.properties.inputs`): matches nothing in {}; the document no longer has what this overlay corrects (after a vendor update, check whether the fix is still needed)",
            overlay.display(),
            dir.join("openapi.yaml").display()
        )
    );
}

#[test]
fn a_jsonpath_syntax_error_names_the_action() {
    let broken = OVERLAY.replace("$.paths['/runs/{id}'].get", "$.paths['/runs/{id}'.get");
    let dir = api_dir("syntax", &[]);
    std::fs::write(dir.join("fix.yaml"), broken).unwrap();
    let overlay = dir.join("fix.yaml");
    let line = failure(&dir, generate(&dir, &[("--overlay", &overlay)]));
    let expected = format!(
        "error: {}: #/actions/0/target: action 0: target `$.paths['/runs/{{id}}'.get` is not a JSONPath (RFC 9535): ",
        overlay.display()
    );
    assert!(line.starts_with(&expected), "{line}");
}

#[test]
fn a_file_that_is_not_an_overlay_is_refused() {
    let dir = api_dir("not-overlay", &[]);
    let overlay = dir.join("openapi.yaml");
    let line = failure(&dir, generate(&dir, &[("--overlay", &overlay)]));
    assert_eq!(
        line,
        format!(
            "error: {}: #: expected an Overlay document (`overlay: 1.0.0`), found an API document, not an overlay",
            overlay.display()
        )
    );
}

#[test]
fn settings_focus_the_document_on_the_operations_they_name() {
    let config = "[operations]\nids = [\"listFiles\"]\n";
    let dir = api_dir("focus", &[("codegen.toml", config)]);
    let output = generate(&dir, &[]);
    assert!(output.status.success(), "{output:?}");
    let client = read(&dir.join("out/src/client.rs"));
    assert!(client.contains("pub fn list_files("), "{client}");
    assert!(!client.contains("pub fn get_run("), "{client}");
    let types = read(&dir.join("out/src/types.rs"));
    assert!(types.contains("pub struct File "), "{types}");
    assert!(
        !types.contains("pub struct Run "),
        "Run is used by no kept operation:\n{types}"
    );
    let readme = read(&dir.join("out/README.md"));
    assert!(
        readme.contains("The crate covers part of the document: operations `listFiles`"),
        "{readme}"
    );
}

#[test]
fn a_tag_filter_and_a_path_filter_select_too() {
    let dir = api_dir("tags", &[]);
    let config = dir.join("elsewhere.toml");
    std::fs::write(&config, "[operations]\ntags = [\"Runs\"]\n").unwrap();
    let output = generate(&dir, &[("--config", &config)]);
    assert!(output.status.success(), "{output:?}");
    let client = read(&dir.join("out/src/client.rs"));
    assert!(client.contains("pub fn get_run("), "{client}");
    assert!(!client.contains("list_files"), "{client}");

    // A path prefix selects whole segments: `/file` is not a prefix of `/files`.
    std::fs::write(&config, "[operations]\npaths = [\"/files\"]\n").unwrap();
    let output = generate(&dir, &[("--config", &config)]);
    assert!(output.status.success(), "{output:?}");
    let client = read(&dir.join("out/src/client.rs"));
    assert!(client.contains("pub fn list_files("), "{client}");
    assert!(!client.contains("pub fn get_run("), "{client}");
    std::fs::write(&config, "[operations]\npaths = [\"/file\"]\n").unwrap();
    let stderr = String::from_utf8(generate(&dir, &[("--config", &config)]).stderr).unwrap();
    assert!(
        stderr.contains("#/operations/paths/0: path prefix \"/file\" selects no operation"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_settings_key_names_the_file_and_the_key() {
    let dir = api_dir(
        "unknown-key",
        &[("codegen.toml", "[operations]\nid = [\"listFiles\"]\n")],
    );
    let line = failure(&dir, generate(&dir, &[]));
    assert_eq!(
        line,
        format!(
            "error: {}: #/operations/id: unknown field `id`, expected one of `ids`, `paths`, `tags`",
            dir.join("codegen.toml").display()
        )
    );
}

#[test]
fn a_filter_that_selects_nothing_is_an_error() {
    let dir = api_dir(
        "selects-nothing",
        &[("codegen.toml", "[operations]\ntags = [\"Jobs\"]\n")],
    );
    let line = failure(&dir, generate(&dir, &[]));
    assert_eq!(
        line,
        format!(
            "error: {}: #/operations/tags/0: tag \"Jobs\" selects no operation of {}",
            dir.join("codegen.toml").display(),
            dir.join("openapi.yaml").display()
        )
    );
}

#[test]
fn a_recorded_hash_that_does_not_match_is_refused() {
    let config = "[source]\nurl = \"https://example.com/openapi.yaml\"\ntaken = 2026-01-01\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";
    let dir = api_dir("hash", &[("codegen.toml", config)]);
    let line = failure(&dir, generate(&dir, &[]));
    assert!(
        line.starts_with(&format!(
            "error: {}: its SHA-256 is ",
            dir.join("openapi.yaml").display()
        )),
        "{line}"
    );
    assert!(line.contains("records 0000000000000000000000000000000000000000000000000000000000000000 (`source.sha256`)"), "{line}");
}

#[test]
fn emit_spec_writes_the_effective_document() {
    let config = "[operations]\nids = [\"getRun\"]\n";
    let dir = api_dir(
        "emit",
        &[("codegen.toml", config), ("overlays/01-fix.yaml", OVERLAY)],
    );
    let effective = dir.join("effective.json");
    let output = generate(&dir, &[("--emit-spec", &effective)]);
    assert!(output.status.success(), "{output:?}");
    let document: serde_json::Value = serde_json::from_str(&read(&effective)).unwrap();
    assert_eq!(
        document["paths"]["/runs/{id}"]["get"]["operationId"],
        "getRun"
    );
    assert!(document["paths"].get("/files").is_none());
    assert!(document["components"]["schemas"].get("File").is_none());
    assert_eq!(
        document["components"]["schemas"]["Run"]["properties"]["inputs"]["oneOf"][1]["contentMediaType"],
        "application/json"
    );
}

#[test]
fn the_spec_task_prints_an_apis_effective_document() {
    let output = xtask(&["spec", "juo"], &[]);
    assert!(output.status.success(), "{output:?}");
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        document["paths"]["/workflows/{runId}"]["get"]["operationId"], "getWorkflowRun",
        "juo's overlay names the operation"
    );

    let dir = scratch("spec-out");
    let out = dir.join("retab.yaml");
    let output = xtask(&["spec", "retab"], &[("--out", &out)]);
    assert!(output.status.success(), "{output:?}");
    let text = read(&out);
    assert!(text.starts_with("components:"), "YAML for a .yaml name");
    let mut operations = Vec::new();
    let document: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&yaml_to_json(&text)).unwrap()).unwrap();
    for item in document["paths"].as_object().unwrap().values() {
        for operation in item.as_object().unwrap().values() {
            if let Some(id) = operation.get("operationId").and_then(|v| v.as_str()) {
                operations.push(id.to_owned());
            }
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "cancel_workflow_run",
            "create_workflow_run",
            "get_workflow_run",
            "list_workflow_runs"
        ]
    );

    let output = xtask(&["spec", "nowhere"], &[]);
    assert_eq!(output.status.code(), Some(1));
}

fn yaml_to_json(text: &str) -> serde_json::Value {
    yaml_serde::from_str(text).expect("the YAML parses")
}
