//! The `[run]` settings: where a run's status, id and times sit, and the status mapping, checked
//! against the document (warnings for values it does not list, errors naming the setting).

use apigen_codegen::config::Config;
use apigen_codegen::ir::RunState;
use apigen_codegen::{Error, Warning, lower_value_with};
use serde_json::{Value, json};

/// A document with one get-run operation: a run whose status is a union tagged by `status`
/// inside `lifecycle`, an id, and times inside `timing`.
fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Runs", "version": "1"},
        "paths": {"/runs/{id}": {"get": {
            "operationId": "get_run",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Run"}}}}}
        }}},
        "components": {"schemas": {
            "Run": {"type": "object", "required": ["id", "lifecycle", "timing"], "properties": {
                "id": {"type": "string"},
                "note": {"type": "string"},
                "lifecycle": {"oneOf": [
                    {"$ref": "#/components/schemas/Running"},
                    {"$ref": "#/components/schemas/Done"}
                ], "discriminator": {"propertyName": "status", "mapping": {
                    "running": "#/components/schemas/Running",
                    "done": "#/components/schemas/Done"
                }}},
                "timing": {"type": "object", "properties": {
                    "started_at": {"type": "string", "format": "date-time"},
                    "ended_at": {"type": "integer", "format": "int64"}
                }}
            }},
            "Running": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}},
            "Done": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
        }}
    })
}

const GOOD: &str = r#"
[run]
operation = "get_run"
status = "lifecycle.status"
id = "id"
started = "timing.started_at"
finished = "timing.ended_at"

[run.statuses]
running = ["running"]
succeeded = ["done"]
"#;

fn lower(settings: &str) -> Result<(apigen_codegen::ir::Api, Vec<Warning>), Error> {
    let config = Config::parse(settings, "codegen.toml").expect("the settings parse");
    assert!(config.run.is_some(), "a [run] table");
    lower_value_with(&document(), "api.yaml", Some((&config, "codegen.toml")))
}

fn error_of(settings: &str) -> String {
    lower(settings)
        .expect_err("the settings are refused")
        .to_string()
}

#[test]
fn settings_that_fit_the_document_describe_the_run_without_warnings() {
    let (api, warnings) = lower(GOOD).unwrap();
    let watch = api.run_watch.expect("the run is watched");
    assert_eq!(watch.operation, "get_run");
    assert_eq!(watch.run_type, "Run");
    assert!(watch.list.is_none());
    assert!(watch.id.is_some() && watch.started.is_some() && watch.finished.is_some());
    assert_eq!(
        watch.statuses,
        [
            ("running".to_owned(), RunState::Running),
            ("done".to_owned(), RunState::Succeeded)
        ]
    );
    let about_runs: Vec<String> = warnings
        .iter()
        .filter(|w| w.message.contains("status"))
        .map(|w| w.to_string())
        .collect();
    assert!(about_runs.is_empty(), "{about_runs:?}");
}

#[test]
fn a_mapped_value_the_document_does_not_list_is_a_warning() {
    let settings = GOOD.replace(
        r#"succeeded = ["done"]"#,
        r#"succeeded = ["done", "finished"]"#,
    );
    let (api, warnings) = lower(&settings).unwrap();
    assert!(api.run_watch.is_some(), "a warning, not an error");
    let lines: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        lines.iter().any(|l| l.contains(
            "the status mapping of codegen.toml names \"finished\", which the document does not list for `lifecycle.status`"
        )),
        "{lines:?}"
    );
}

#[test]
fn an_operation_the_document_lacks_is_an_error_naming_the_setting() {
    let message = error_of(&GOOD.replace(r#"operation = "get_run""#, r#"operation = "getRun""#));
    assert!(
        message.starts_with("codegen.toml: #/run/operation: "),
        "{message}"
    );
    assert!(message.contains("\"getRun\""), "{message}");
}

#[test]
fn a_status_path_through_a_missing_property_is_an_error_naming_the_setting() {
    let message = error_of(&GOOD.replace("lifecycle.status", "lifecycle.state"));
    assert!(
        message.starts_with("codegen.toml: #/run/status: "),
        "{message}"
    );
    assert!(message.contains("state"), "{message}");
}

#[test]
fn a_time_that_is_not_a_time_is_an_error_saying_what_it_found() {
    let message = error_of(&GOOD.replace(
        r#"started = "timing.started_at""#,
        r#"started = "lifecycle""#,
    ));
    assert!(
        message.starts_with("codegen.toml: #/run/started: "),
        "{message}"
    );
    assert!(message.contains("lifecycle"), "{message}");
    let message = error_of(&GOOD.replace(r#"id = "id""#, r#"id = "timing""#));
    assert!(message.starts_with("codegen.toml: #/run/id: "), "{message}");
}

#[test]
fn a_plain_string_status_warns_that_the_mapping_cannot_be_checked() {
    let settings = GOOD.replace("lifecycle.status", "note");
    let (api, warnings) = lower(&settings).unwrap();
    assert!(api.run_watch.is_some());
    assert!(
        warnings.iter().any(|w| w
            .message
            .contains("the run status `note` is a plain string")),
        "{warnings:?}"
    );
}
