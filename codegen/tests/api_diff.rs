//! Every kind of change between two documents, as the generated crate's callers feel it: pairs
//! of documents that differ in one thing, and the change and effect reported.

use apigen_codegen::api_diff::{Effect, diff, needed_version, overall};
use apigen_codegen::lower_value;
use apigen_codegen::surface::surface;
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Runs", "version": "1"},
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
            "schemas": {
                "Run": {"type": "object", "required": ["id", "status"], "properties": {
                    "id": {"type": "string"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "note": {"type": "string"},
                    "result": {"$ref": "#/components/schemas/Result"}
                }},
                "Status": {"type": "string", "enum": ["running", "done"]},
                "Result": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                "NewRun": {"type": "object", "required": ["workflow"], "properties": {
                    "workflow": {"type": "string"}
                }},
                "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
                "Event": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/PendingRun"},
                        {"$ref": "#/components/schemas/DoneRun"}
                    ],
                    "discriminator": {"propertyName": "state", "mapping": {
                        "queued": "#/components/schemas/PendingRun",
                        "done": "#/components/schemas/DoneRun"
                    }}
                },
                "PendingRun": {"type": "object", "required": ["state"], "properties": {
                    "state": {"type": "string"}
                }},
                "DoneRun": {"type": "object", "required": ["state"], "properties": {
                    "state": {"type": "string"}
                }}
            }
        },
        "security": [{"key": []}],
        "paths": {
            "/runs/{id}": {"get": {
                "operationId": "get_run",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "expand", "in": "query", "schema": {"type": "boolean"}}
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
                    "404": {"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
                }
            }},
            "/runs": {"post": {
                "operationId": "create_run",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewRun"}}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}}}
            }}
        }
    })
}

/// `(item, change, effect)` for each change from the base to the base edited by `edit`.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<(String, String, Effect)> {
    let old = base();
    let mut new = base();
    edit(&mut new);
    let (old, _) = lower_value(&old, "old.json").unwrap();
    let (new, _) = lower_value(&new, "new.json").unwrap();
    diff(&surface(&old), &surface(&new))
        .into_iter()
        .map(|c| (c.item, c.change, c.effect))
        .collect()
}

fn one(item: &str, change: &str, effect: Effect) -> Vec<(String, String, Effect)> {
    vec![(item.to_owned(), change.to_owned(), effect)]
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}"))
}

const RUN: &str = "/components/schemas/Run";
const GET: &str = "/paths/~1runs~1{id}/get";

#[test]
fn the_same_document_has_no_changes() {
    assert_eq!(changes(|_| {}), []);
}

#[test]
fn an_added_enum_value_is_an_addition_and_a_removed_one_breaks() {
    assert_eq!(
        changes(|d| at(d, "/components/schemas/Status/enum")
            .as_array_mut()
            .unwrap()
            .push(json!("failed"))),
        one("Status::Failed", "new value", Effect::Addition)
    );
    assert_eq!(
        changes(|d| *at(d, "/components/schemas/Status/enum") = json!(["running"])),
        one("Status::Done", "value removed", Effect::Breaking)
    );
}

#[test]
fn a_new_required_argument_breaks_and_a_new_optional_one_is_an_addition() {
    let tenant =
        json!({"name": "tenant", "in": "header", "required": true, "schema": {"type": "string"}});
    assert_eq!(
        changes(|d| at(d, &format!("{GET}/parameters"))
            .as_array_mut()
            .unwrap()
            .push(tenant)),
        one(
            "Client::get_run",
            "new required argument `tenant: String`",
            Effect::Breaking
        )
    );
    let page =
        json!({"name": "page", "in": "query", "schema": {"type": "integer", "format": "int32"}});
    assert_eq!(
        changes(|d| at(d, &format!("{GET}/parameters"))
            .as_array_mut()
            .unwrap()
            .push(page)),
        one(
            "Client::get_run",
            "new optional setter `page(i32)`",
            Effect::Addition
        )
    );
}

#[test]
fn an_optional_argument_that_becomes_required_breaks_once() {
    assert_eq!(
        changes(|d| at(d, &format!("{GET}/parameters/1"))["required"] = json!(true)),
        one(
            "Client::get_run",
            "new required argument `expand: bool`",
            Effect::Breaking
        )
    );
}

#[test]
fn a_removed_field_and_a_field_of_another_type_break() {
    assert_eq!(
        changes(|d| {
            at(d, &format!("{RUN}/properties"))
                .as_object_mut()
                .unwrap()
                .remove("note");
        }),
        one(
            "Run.note",
            "field `note: Option<String>` removed",
            Effect::Breaking
        )
    );
    assert_eq!(
        changes(|d| *at(d, &format!("{RUN}/properties/note")) = json!({"type": "integer"})),
        one(
            "Run.note",
            "is `Option<i64>`, was `Option<String>`",
            Effect::Breaking
        )
    );
}

#[test]
fn a_field_that_becomes_optional_breaks_for_readers() {
    let found = changes(|d| *at(d, &format!("{RUN}/required")) = json!(["status"]));
    assert_eq!(
        found,
        one(
            "Run.id",
            "becomes optional: `Option<String>`, was `String`",
            Effect::Breaking
        )
    );
}

#[test]
fn a_new_field_is_an_addition_where_callers_read_it_and_breaks_where_they_build_it() {
    assert_eq!(
        changes(|d| {
            at(d, &format!("{RUN}/properties"))["owner"] = json!({"type": "string"});
        }),
        one(
            "Run.owner",
            "new field `owner: Option<String>`",
            Effect::Addition
        )
    );
    let found = changes(|d| {
        at(d, "/components/schemas/NewRun/properties")["priority"] = json!({"type": "integer"});
    });
    assert_eq!(
        found,
        one(
            "NewRun.priority",
            "new field `priority: Option<i64>`",
            Effect::Breaking
        )
    );
}

#[test]
fn operations_added_and_removed() {
    let found = changes(|d| {
        at(d, "/paths")["/runs/{id}/cancel"] = json!({"post": {
            "operationId": "cancel_run",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "cancelled"}}
        }});
    });
    assert_eq!(
        found,
        one("Client::cancel_run", "new method", Effect::Addition)
    );
    let found = changes(|d| {
        at(d, "/paths").as_object_mut().unwrap().remove("/runs");
    });
    assert!(found.contains(&(
        "Client::create_run".to_owned(),
        "method removed".to_owned(),
        Effect::Breaking
    )));
    // Its body type stays: every schema of the components is generated.
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn error_bodies_and_statuses() {
    // A new body type: a new `ErrorBody` variant, which exhaustive matches must name.
    let found = changes(|d| {
        at(d, "/components/schemas")["Throttled"] =
            json!({"type": "object", "properties": {"retry": {"type": "integer"}}});
        at(d, &format!("{GET}/responses"))["429"] = json!({"description": "slow down",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Throttled"}}}});
    });
    assert!(found.contains(&(
        "ErrorBody::Throttled".to_owned(),
        "new error body `Throttled`".to_owned(),
        Effect::Breaking
    )));
    assert!(found.contains(&(
        "Client::get_run".to_owned(),
        "documents error status 429 (Throttled)".to_owned(),
        Effect::Patch
    )));
    assert!(found.contains(&(
        "Throttled".to_owned(),
        "new struct".to_owned(),
        Effect::Addition
    )));
}

#[test]
fn credentials_added_and_removed() {
    let found = changes(|d| {
        at(d, "/components/securitySchemes")["bearer"] =
            json!({"type": "http", "scheme": "bearer"});
        at(d, "/security")
            .as_array_mut()
            .unwrap()
            .push(json!({"bearer": []}));
    });
    assert_eq!(
        found,
        one(
            "ClientBuilder::bearer",
            "new credential setter (a bearer token)",
            Effect::Addition
        )
    );
    let found = changes(|d| {
        *at(d, "/components/securitySchemes/key") =
            json!({"type": "apiKey", "in": "query", "name": "key"});
    });
    assert_eq!(
        found,
        one(
            "ClientBuilder::key",
            "sends an API key in query `key` instead of an API key in header `X-Key`",
            Effect::Patch
        )
    );
}

#[test]
fn a_new_union_variant_breaks_exhaustive_matches() {
    let found = changes(|d| {
        at(d, "/components/schemas/Result/oneOf")
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "boolean"}));
    });
    assert_eq!(
        found,
        one("Result::Boolean", "new variant `bool`", Effect::Breaking)
    );
}

#[test]
fn variants_named_anew_by_their_tags_are_renames_that_break() {
    // `queued` is not in `PendingRun`: the variants keep the schemas' names until the tag
    // values are what those names repeat; then they are named by the tags.
    let found = changes(|d| {
        *at(d, "/components/schemas/Event/discriminator/mapping") = json!({
            "pending": "#/components/schemas/PendingRun",
            "done": "#/components/schemas/DoneRun"
        });
    });
    assert_eq!(
        found,
        [
            (
                "Event::Done".to_owned(),
                "renamed, was `Event::DoneRun`".to_owned(),
                Effect::Breaking
            ),
            (
                "Event::Pending".to_owned(),
                "renamed, was `Event::PendingRun`".to_owned(),
                Effect::Breaking
            ),
        ]
    );
}

#[test]
fn a_moved_path_is_a_patch_and_another_result_type_breaks() {
    let found = changes(|d| {
        let paths = at(d, "/paths").as_object_mut().unwrap();
        let item = paths.remove("/runs/{id}").unwrap();
        paths.insert("/v2/runs/{id}".to_owned(), item);
    });
    assert_eq!(
        found,
        one(
            "Client::get_run",
            "`GET /v2/runs/{id}` instead of `GET /runs/{id}`",
            Effect::Patch
        )
    );
    let found = changes(|d| {
        *at(
            d,
            &format!("{GET}/responses/200/content/application~1json/schema"),
        ) = json!({"type": "array", "items": {"$ref": "#/components/schemas/Run"}});
    });
    assert_eq!(
        found,
        one(
            "Client::get_run",
            "returns `Vec<Run>`, was `Run`",
            Effect::Breaking
        )
    );
}

#[test]
fn the_version_each_effect_needs() {
    let v = |s: &str| semver::Version::parse(s).unwrap();
    assert_eq!(needed_version(&v("0.3.1"), Effect::Breaking), v("0.4.0"));
    assert_eq!(needed_version(&v("0.3.1"), Effect::Addition), v("0.3.2"));
    assert_eq!(needed_version(&v("1.3.1"), Effect::Breaking), v("2.0.0"));
    assert_eq!(needed_version(&v("1.3.1"), Effect::Addition), v("1.4.0"));
    assert_eq!(needed_version(&v("1.3.1"), Effect::Patch), v("1.3.2"));
    let found = changes(|d| *at(d, "/components/schemas/Status/enum") = json!(["running"]));
    let (old, _) = lower_value(&base(), "a").unwrap();
    assert_eq!(overall(&diff(&surface(&old), &surface(&old))), None);
    assert_eq!(found[0].2, Effect::Breaking);
}
