//! `cargo xtask generate` on bad input: one line on stderr naming the file and the JSON
//! pointer, exit code 1, never a panic.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    common::scratch("cli", name)
}

fn generate(spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(["--name", "bad-client"])
        .output()
        .expect("xtask runs")
}

/// Runs `generate` on a document with `contents` and returns stderr, checking the exit code and
/// that the error is a single line.
fn failure(file_name: &str, contents: &str) -> String {
    let dir = scratch(file_name);
    let spec = dir.join(file_name);
    std::fs::write(&spec, contents).unwrap();
    let output = generate(&spec, &dir.join("out"));
    let line = common::one_line_failure(output, &dir.join("out"));
    let _ = std::fs::remove_dir_all(&dir);
    line
}

#[test]
fn a_missing_file() {
    let dir = scratch("missing");
    let spec = dir.join("nowhere.yaml");
    let output = generate(&spec, &dir.join("out"));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: {}: #: expected a readable file, found no such file",
            spec.display()
        )
    );
}

#[test]
fn broken_yaml_names_the_line() {
    let line = failure(
        "broken.yaml",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'\npaths: {}\n",
    );
    assert!(line.starts_with("error: "), "{line}");
    assert!(line.contains("broken.yaml: #: invalid YAML:"), "{line}");
    assert!(line.contains("line 3"), "{line}");
}

#[test]
fn broken_json_names_the_line_and_column() {
    let line = failure("broken.json", "{\"openapi\": \"3.0.0\",\n \"paths\": {,}}");
    assert!(line.contains("broken.json: #: invalid JSON:"), "{line}");
    assert!(line.contains("line 2 column 12"), "{line}");
}

#[test]
fn a_dangling_ref_names_its_pointer() {
    let line = failure(
        "dangling.yaml",
        r##"openapi: 3.0.3
info: {title: Dangling, version: '1'}
paths: {}
components:
  schemas:
    Run:
      type: object
      properties:
        owner:
          $ref: '#/components/schemas/Owner'
"##,
    );
    assert!(
        line.ends_with(
            "dangling.yaml: #/components/schemas/Run/properties/owner/$ref: $ref \"#/components/schemas/Owner\": expected a value at that pointer, found nothing"
        ),
        "{line}"
    );
}

#[test]
fn a_dangling_parameter_ref_names_its_pointer() {
    let line = failure(
        "param.json",
        r##"{"openapi": "3.1.0", "info": {"title": "P", "version": "1"},
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/Nope"}],
                                     "responses": {"200": {"description": "ok"}}}}}}"##,
    );
    assert!(
        line.contains("param.json: #/paths/~1a/get/parameters/0/$ref: $ref \"#/components/parameters/Nope\": expected a value at that pointer, found nothing"),
        "{line}"
    );
}

#[test]
fn swagger_2_is_unsupported() {
    let line = failure(
        "swagger.yaml",
        "swagger: '2.0'\ninfo: {title: Old, version: '1'}\npaths: {}\n",
    );
    assert!(
        line.contains("swagger.yaml: #/swagger: unsupported: this is a Swagger 2.0 document"),
        "{line}"
    );
}

#[test]
fn an_unsupported_openapi_version() {
    let line = failure(
        "v4.yaml",
        "openapi: 4.0.0\ninfo: {title: Future, version: '1'}\npaths: {}\n",
    );
    assert!(
        line.contains(
            "v4.yaml: #/openapi: unsupported OpenAPI version \"4.0.0\": expected 3.0.x, 3.1.x or 3.2.x"
        ),
        "{line}"
    );
}

#[test]
fn a_remote_ref_is_refused() {
    let line = failure(
        "remote.yaml",
        r##"openapi: 3.1.0
info: {title: Remote, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: 'https://example.com/schemas.yaml#/Run'
"##,
    );
    assert!(
        line.contains(
            "remote.yaml: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref:"
        ),
        "{line}"
    );
    assert!(
        line.contains("expected a reference within the document or to a file inside "),
        "{line}"
    );
    assert!(
        line.ends_with("/ (the document's folder), found a URL"),
        "{line}"
    );
}

#[test]
fn a_structural_type_error_says_what_was_expected_and_found() {
    let line = failure(
        "paths.yaml",
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths: [1, 2]\n",
    );
    assert!(
        line.ends_with("paths.yaml: #/paths: expected an object, found an array of 2 items"),
        "{line}"
    );
}

#[test]
fn a_bad_crate_name_is_refused() {
    let dir = scratch("name");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec", "x.yaml", "--out"])
        .arg(dir.join("out"))
        .args(["--name", "not a name"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("expected a crate name"));
}

#[test]
fn unknown_tasks_and_missing_arguments_fail_cleanly() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--spec needs a value"));
}
