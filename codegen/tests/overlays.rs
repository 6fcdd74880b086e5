//! Overlays applied to documents: updates, removals, copies, and the errors that name the
//! overlay file and the action when an overlay is wrong or no longer matches.

use apigen_codegen::Overlay;
use apigen_codegen::error::Result;
use serde_json::{Value, json};

fn overlay(value: Value) -> Overlay {
    Overlay::from_value(&value, "fix.yaml").unwrap()
}

fn apply(value: Value, document: &mut Value) -> Result<()> {
    Overlay::from_value(&value, "fix.yaml")?.apply(document, "openapi.yaml")
}

fn doc() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/runs": {"get": {
            "parameters": [{"name": "a", "in": "query"}, {"name": "dummy", "in": "query"}],
            "tags": ["x", "y"],
            "responses": {"200": {"description": "ok"}}
        }}},
        "components": {"schemas": {"Run": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "inputs": {"type": "object"}}
        }}}
    })
}

#[test]
fn update_merges_objects_and_appends_to_arrays() {
    let mut document = doc();
    apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.Run", "update": {
                "required": ["inputs"],
                "properties": {"id": {"format": "uuid"}, "status": {"type": "string"}}
            }},
            {"target": "$.paths['/runs'].get.parameters", "update": {"name": "b", "in": "query"}},
            {"target": "$.paths.*.get", "update": {"operationId": "listRuns"}}
        ]}),
        &mut document,
    )
    .unwrap();
    let run = &document["components"]["schemas"]["Run"];
    assert_eq!(run["required"], json!(["id", "inputs"]));
    assert_eq!(
        run["properties"]["id"],
        json!({"type": "string", "format": "uuid"})
    );
    assert_eq!(run["properties"]["status"], json!({"type": "string"}));
    let get = &document["paths"]["/runs"]["get"];
    assert_eq!(get["parameters"][2], json!({"name": "b", "in": "query"}));
    assert_eq!(get["operationId"], json!("listRuns"));
}

#[test]
fn remove_takes_the_selected_nodes_out() {
    let mut document = doc();
    apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.paths.*.get.parameters[?@.name == 'dummy' || @.name == 'a']", "remove": true},
            {"target": "$.components.schemas.Run.properties.inputs", "remove": true},
            {"target": "$.components.schemas.Run.properties", "update": {"inputs": {"type": "string"}}}
        ]}),
        &mut document,
    )
    .unwrap();
    assert_eq!(document["paths"]["/runs"]["get"]["parameters"], json!([]));
    assert_eq!(
        document["components"]["schemas"]["Run"]["properties"]["inputs"],
        json!({"type": "string"})
    );
}

#[test]
fn version_1_1_replaces_primitives_concatenates_arrays_and_copies() {
    let mut document = doc();
    apply(
        json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1", "description": "why"}, "actions": [
            {"target": "$.info.title", "update": "Runs API"},
            {"target": "$.paths.*.get.tags", "update": ["z"]},
            {"target": "$.components.schemas", "update": {"Copy": {}}},
            {"target": "$.components.schemas.Copy", "copy": "$.components.schemas.Run"}
        ]}),
        &mut document,
    )
    .unwrap();
    assert_eq!(document["info"]["title"], json!("Runs API"));
    assert_eq!(
        document["paths"]["/runs"]["get"]["tags"],
        json!(["x", "y", "z"])
    );
    assert_eq!(
        document["components"]["schemas"]["Copy"],
        document["components"]["schemas"]["Run"]
    );
    assert_eq!(
        overlay(json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1", "description": "why"}, "actions": [{"target": "$", "update": {}}]})).description.as_deref(),
        Some("why")
    );
}

#[test]
fn a_target_that_matches_nothing_names_the_file_and_the_action() {
    let err = apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.info", "update": {"x-a": 1}},
            {"target": "$.components.schemas.Gone", "update": {"type": "object"}}
        ]}),
        &mut doc(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "fix.yaml: #/actions/1: action 1 (target `$.components.schemas.Gone`): matches nothing in openapi.yaml; the document no longer has what this overlay corrects (after a vendor update, check whether the fix is still needed)"
    );
}

#[test]
fn bad_overlays_are_refused_before_anything_is_applied() {
    let cases = [
        (
            json!({"openapi": "3.1.0"}),
            "fix.yaml: #: expected an Overlay document (`overlay: 1.0.0`), found an API document, not an overlay",
        ),
        (
            json!([1]),
            "fix.yaml: #: expected an Overlay document (an object with `overlay`, `info` and `actions`), found an array of 1 items",
        ),
        (
            json!({"overlay": "2.0.0", "info": {"title": "t", "version": "1"}, "actions": []}),
            "fix.yaml: #/overlay: expected Overlay version 1.0.x, 1.1.x or 1.2.x, found \"2.0.0\"",
        ),
        (
            json!({"overlay": "1.0.0", "actions": []}),
            "fix.yaml: #/info: expected an info object with `title` and `version`, found nothing",
        ),
        (
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": []}),
            "fix.yaml: #/actions: expected a list of at least one action, found an array of 0 items",
        ),
        (
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$.a"}]}),
            "fix.yaml: #/actions/0: action 0 (target `$.a`): expected `update` or `remove: true`, found neither",
        ),
        (
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$.a", "update": {}, "replace": 1}]}),
            "fix.yaml: #/actions/0/replace: action 0: expected `target`, `description`, `update`, `remove` or an `x-` extension, found `replace`",
        ),
    ];
    for (value, expected) in cases {
        let err = Overlay::from_value(&value, "fix.yaml").unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
    let err = Overlay::from_value(
        &json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$.paths[?@.x ==]", "remove": true}]}),
        "fix.yaml",
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("fix.yaml: #/actions/0/target: action 0: target `$.paths[?@.x ==]` is not a JSONPath (RFC 9535): "),
        "{err}"
    );
}

#[test]
fn incompatible_updates_say_what_clashed() {
    let err = apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.Run", "update": {"properties": {"id": "uuid"}}}
        ]}),
        &mut doc(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("cannot merge the string \"uuid\" into #/components/schemas/Run/properties/id, which is an object with 1 keys"), "{err}");
    let err = apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.info.title", "update": "new"}
        ]}),
        &mut doc(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("an update in Overlay 1.0 applies to objects and arrays"),
        "{err}"
    );
}

#[test]
fn an_array_update_of_an_array_concatenates_in_1_0_too() {
    // A 1.0 file that adds values to a string enum: nesting the array as one entry would turn
    // the enum into an untyped value.
    let mut document = json!({"components": {"schemas": {"Status": {
        "type": "string", "enum": ["running", "done"]
    }}}});
    apply(
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [
            {"target": "$.components.schemas.Status.enum", "update": ["paused", "stopped"]}
        ]}),
        &mut document,
    )
    .unwrap();
    assert_eq!(
        document["components"]["schemas"]["Status"]["enum"],
        json!(["running", "done", "paused", "stopped"])
    );
}

#[test]
fn version_1_2_reads_self_and_reusable_actions() {
    let mut document = doc();
    apply(
        json!({
            "overlay": "1.2.0",
            "$self": "https://example.com/overlays/fix.yaml",
            "info": {"title": "t", "version": "1", "description": "reusable"},
            "components": {"actions": {
                "deprecate": {"description": "Marks a node deprecated.", "fields": {
                    "update": {"deprecated": true, "x-why": "superseded"}
                }},
                "drop": {"fields": {"remove": true}}
            }},
            "actions": [
                {"$ref": "#/components/actions/deprecate", "target": "$.paths['/runs'].get"},
                {"$ref": "#/components/actions/deprecate", "target": "$.components.schemas.Run.properties.inputs"},
                {"$ref": "#/components/actions/drop", "target": "$.paths['/runs'].get.tags"}
            ]
        }),
        &mut document,
    )
    .unwrap();
    let get = &document["paths"]["/runs"]["get"];
    assert_eq!(get["deprecated"], json!(true));
    assert!(get.get("tags").is_none());
    assert_eq!(
        document["components"]["schemas"]["Run"]["properties"]["inputs"]["x-why"],
        json!("superseded")
    );

    // A reference to an action that does not exist, and reusable actions before 1.2.
    let missing = apply(
        json!({"overlay": "1.2.0", "info": {"title": "t", "version": "1"},
               "components": {"actions": {"drop": {"fields": {"remove": true}}}},
               "actions": [{"$ref": "#/components/actions/dorp", "target": "$.info"}]}),
        &mut doc(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        missing,
        "fix.yaml: #/actions/0/$ref: action 0: expected a reference to one of the reusable actions (`#/components/actions/drop`), found the string \"#/components/actions/dorp\""
    );
    let early = apply(
        json!({"overlay": "1.1.0", "info": {"title": "t", "version": "1"},
               "components": {"actions": {}}, "actions": [{"target": "$.info", "remove": true}]}),
        &mut doc(),
    )
    .unwrap_err()
    .to_string();
    assert!(early.contains("reusable actions are new in 1.2"), "{early}");
    let fragment = apply(
        json!({"overlay": "1.2.0", "$self": "https://x/o.yaml#a", "info": {"title": "t", "version": "1"},
               "actions": [{"target": "$.info", "remove": true}]}),
        &mut doc(),
    )
    .unwrap_err()
    .to_string();
    assert!(fragment.contains("without a fragment"), "{fragment}");
}
