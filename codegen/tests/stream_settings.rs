//! The `[stream]` settings: the item tags that end a stream and the body field that chooses a
//! blocking answer or a stream, applied to the operations that stream, and refused with an error
//! naming the setting where the document cannot honour them.

use apigen_codegen::config::Config;
use apigen_codegen::ir::{Framing, Output};
use apigen_codegen::{Error, Warning, lower_value_with};
use serde_json::{Value, json};

/// `start` answers blocking JSON or server-sent events of a tagged union; `events` only the
/// stream; `log` JSON lines of plain strings.
fn document() -> Value {
    json!({
        "openapi": "3.2.0",
        "info": {"title": "Runs", "version": "1"},
        "paths": {
            "/runs": {"post": {
                "operationId": "start",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["user"],
                    "properties": {"user": {"type": "string"}, "mode": {"type": "string"}}
                }}}},
                "responses": {"200": {"description": "ok", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}},
                    "text/event-stream": {"itemSchema": {"type": "object", "properties": {"data": {
                        "type": "string", "contentMediaType": "application/json",
                        "contentSchema": {"$ref": "#/components/schemas/Event"}}}}}
                }}}
            }},
            "/runs/{id}/events": {"get": {
                "operationId": "events",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"text/event-stream": {
                    "itemSchema": {"$ref": "#/components/schemas/Event"}}}}}
            }}
        },
        "components": {"schemas": {
            "Event": {"oneOf": [
                {"$ref": "#/components/schemas/Started"},
                {"$ref": "#/components/schemas/Finished"}
            ], "discriminator": {"propertyName": "kind", "mapping": {
                "started": "#/components/schemas/Started",
                "finished": "#/components/schemas/Finished"
            }}},
            "Started": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Finished": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
        }}
    })
}

fn lower(
    document: &Value,
    settings: &str,
) -> Result<(apigen_codegen::ir::Api, Vec<Warning>), Error> {
    let config = Config::parse(settings, "codegen.toml").expect("the settings parse");
    lower_value_with(document, "api.yaml", Some((&config, "codegen.toml")))
}

const GOOD: &str = r#"
[stream]
terminal = ["finished"]

[stream.mode]
field = "mode"
blocking = "blocking"
streaming = "streaming"
"#;

#[test]
fn settings_that_fit_describe_terminal_items_and_the_mode_field() {
    let (api, warnings) = lower(&document(), GOOD).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let start = api.operations.iter().find(|op| op.name == "start").unwrap();
    let stream = start.stream.as_ref().unwrap();
    assert_ne!(start.output, Output::Stream);
    assert_eq!(stream.framing, Framing::ServerSentEvents);
    assert_eq!(
        stream.terminal,
        Some(("kind".to_owned(), vec!["finished".to_owned()]))
    );
    assert_eq!(
        stream.mode,
        Some((
            "mode".to_owned(),
            "blocking".to_owned(),
            "streaming".to_owned()
        ))
    );
    let events = api
        .operations
        .iter()
        .find(|op| op.name == "events")
        .unwrap();
    assert_eq!(events.output, Output::Stream);
    assert_eq!(events.accept.as_deref(), Some("text/event-stream"));
    // The mode field leaves the body type: the call sets it.
    let body = api
        .types
        .iter()
        .find(|t| t.name == "StartBody")
        .expect("the body type");
    assert!(format!("{:?}", body.kind).contains("\"user\""));
    assert!(
        !format!("{:?}", body.kind).contains("\"mode\""),
        "{:?}",
        body.kind
    );
}

#[test]
fn a_tag_the_items_do_not_have_is_a_warning() {
    let settings = GOOD.replace("[\"finished\"]", "[\"finished\", \"cancelled\"]");
    let (_, warnings) = lower(&document(), &settings).unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0]
            .to_string()
            .contains("\"cancelled\" is no tag of the stream items")
    );
}

#[test]
fn settings_the_document_cannot_honour_are_errors_naming_the_setting() {
    // Items that are not a tagged union cannot end a stream by tag.
    let mut untyped = document();
    untyped["paths"]["/runs/{id}/events"]["get"]["responses"]["200"]["content"]["text/event-stream"]
        .as_object_mut()
        .unwrap()
        .remove("itemSchema");
    let error = lower(&untyped, GOOD).unwrap_err().to_string();
    assert!(
        error.starts_with("codegen.toml: #/stream/terminal: the stream items of `events`"),
        "{error}"
    );

    // No operation streams at all.
    let mut plain = document();
    plain["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/runs/{id}/events");
    plain["paths"]["/runs"]["post"]["responses"]["200"]["content"]
        .as_object_mut()
        .unwrap()
        .remove("text/event-stream");
    let error = lower(&plain, GOOD).unwrap_err().to_string();
    assert!(error.starts_with("codegen.toml: #/stream: the settings describe streams, but no selected operation answers with one"), "{error}");

    // A mode field for an operation without a body.
    let mut bodiless = document();
    bodiless["paths"]["/runs"]["post"]
        .as_object_mut()
        .unwrap()
        .remove("requestBody");
    let error = lower(&bodiless, GOOD).unwrap_err().to_string();
    assert!(
        error.starts_with("codegen.toml: #/stream/mode/field: `start`"),
        "{error}"
    );

    // An unknown key is refused when the settings are read.
    let error = Config::parse("[stream]\nterminals = []\n", "codegen.toml")
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("codegen.toml") && error.contains("terminals"),
        "{error}"
    );
}

#[test]
fn get_streams_resume_unless_the_settings_list_which() {
    let resumable = |settings: &str| -> Vec<String> {
        let (api, _) = lower(&document(), settings).unwrap();
        api.operations
            .iter()
            .filter(|op| op.stream.as_ref().is_some_and(|s| s.resumable))
            .map(|op| op.name.clone())
            .collect()
    };
    assert_eq!(resumable(GOOD), ["events"]);
    assert_eq!(
        resumable(&GOOD.replace("[stream]\n", "[stream]\nresume = []\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        resumable(&GOOD.replace("[stream]\n", "[stream]\nresume = [\"events\"]\n")),
        ["events"]
    );

    // Sending `start` again would start another run.
    let error = lower(
        &document(),
        &GOOD.replace("[stream]\n", "[stream]\nresume = [\"start\"]\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with("codegen.toml: #/stream/resume/0: `start` is a POST"),
        "{error}"
    );
    let error = lower(
        &document(),
        &GOOD.replace("[stream]\n", "[stream]\nresume = [\"events\", \"nope\"]\n"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.starts_with(
            "codegen.toml: #/stream/resume/1: operationId \"nope\" names no selected operation"
        ),
        "{error}"
    );
}

/// The document with a run to watch (`run`), and `events` taking the end user and an optional
/// snapshot flag as Dify's do.
fn with_run() -> Value {
    let mut document = document();
    document["paths"]["/runs/{id}"] = json!({"get": {
        "operationId": "run",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "status"],
            "properties": {"id": {"type": "string"}, "status": {"type": "string", "enum": ["running", "done"]}}
        }}}}}
    }});
    let events = &mut document["paths"]["/runs/{id}/events"]["get"]["parameters"];
    events.as_array_mut().unwrap().extend([
        json!({"name": "user", "in": "query", "required": true, "schema": {"type": "string"}}),
        json!({"name": "snapshot", "in": "query", "schema": {"type": "boolean"}}),
    ]);
    document
}

const RUN: &str = r#"
[run]
operation = "run"
status = "status"
id = "id"

[run.statuses]
running = ["running"]
succeeded = ["done"]

[run.events]
operation = "events"
set = { snapshot = true }
"#;

#[test]
fn run_events_name_the_stream_its_arguments_and_the_events_that_refresh_the_run() {
    use apigen_codegen::ir::{EventArg, RunEvents, SetValue, TypeRef};
    let (api, warnings) = lower(&with_run(), &format!("{GOOD}{RUN}")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let events = api.run_watch.unwrap().events.unwrap();
    assert_eq!(
        events,
        RunEvents {
            operation: "events".to_owned(),
            args: vec![
                ("id".to_owned(), EventArg::Same),
                ("user".to_owned(), EventArg::Extra(TypeRef::String)),
            ],
            set: vec![("snapshot".to_owned(), SetValue::Bool(true))],
            // The stream's terminal tags, since `refresh` is not given.
            refresh: ("kind".to_owned(), vec!["finished".to_owned()]),
        }
    );
    let settings = format!("{GOOD}{RUN}refresh = [\"started\", \"finished\"]\n");
    let (api, _) = lower(&with_run(), &settings).unwrap();
    assert_eq!(
        api.run_watch.unwrap().events.unwrap().refresh.1,
        ["started", "finished"]
    );
}

#[test]
fn run_events_the_document_cannot_honour_are_errors_naming_the_setting() {
    let error = |settings: String| lower(&with_run(), &settings).unwrap_err().to_string();
    let run = |from: &str, to: &str| format!("{GOOD}{}", RUN.replace(from, to));
    let cases = [
        (
            run("operation = \"events\"", "operation = \"start\""),
            "codegen.toml: #/run/events/operation: `start` does not answer with a stream of events",
        ),
        (
            run("operation = \"events\"", "operation = \"gone\""),
            "codegen.toml: #/run/events/operation: operationId \"gone\" names no selected operation",
        ),
        (
            run("snapshot = true", "depth = 2"),
            "codegen.toml: #/run/events/set/depth: `events` takes no parameter \"depth\"",
        ),
        (
            run("snapshot = true", "snapshot = \"yes\""),
            "codegen.toml: #/run/events/set/snapshot: \"snapshot\" of `events` does not take a string",
        ),
        (
            run("snapshot = true", "user = \"u\""),
            "codegen.toml: #/run/events/set/user: \"user\" is required by `events`",
        ),
        (
            format!("{}{RUN}", GOOD.replace("terminal = [\"finished\"]\n", "")),
            "codegen.toml: #/run/events/refresh: expected the events after which the run is asked for again",
        ),
    ];
    for (settings, expected) in cases {
        let error = error(settings);
        assert!(error.starts_with(expected), "{error}\nexpected: {expected}");
    }
}
