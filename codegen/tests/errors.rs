//! Every kind of error the generator reports: one line, the file, the JSON pointer, what was
//! expected and what was found.

use apigen_codegen::{CrateSettings, Error, generate, generate_from_value, load};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn settings(display: &str) -> CrateSettings {
    CrateSettings {
        crate_name: "errors-client".to_owned(),
        spec_display: display.to_owned(),
        command: "errors test".to_owned(),
        runtime_path: "../runtime".to_owned(),
        standalone: true,
        provenance: Default::default(),
    }
}

/// The error for a document given as a value.
fn error_of(doc: Value) -> Error {
    generate_from_value(&doc, &settings("api.yaml")).expect_err("the document is refused")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-errors-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The error for a document written to a file (with other files beside it).
fn file_error_of(name: &str, files: &[(&str, &str)]) -> Error {
    let dir = scratch(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let spec = dir.join(files[0].0);
    generate(&spec, &settings(files[0].0)).expect_err("the document is refused")
}

/// One line, `file: #pointer: message`, and the message says what was expected and found.
fn check(error: &Error, file: &str, pointer: &str, expected: &str, found: &str) {
    let line = error.to_string();
    assert!(!line.contains('\n'), "one line: {line}");
    assert!(
        line.starts_with(&format!("{file}: #{pointer}: ")),
        "file and pointer: {line}"
    );
    assert_eq!(error.pointer, pointer);
    assert!(line.contains(expected), "expected {expected:?} in: {line}");
    assert!(line.contains(found), "found {found:?} in: {line}");
}

fn minimal(extra: Value) -> Value {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}});
    if let (Value::Object(doc), Value::Object(extra)) = (&mut doc, extra) {
        doc.extend(extra);
    }
    doc
}

#[test]
fn an_unreadable_file() {
    let error = generate(Path::new("/nonexistent/api.yaml"), &settings("api.yaml")).unwrap_err();
    check(
        &error,
        "api.yaml",
        "",
        "expected a readable file",
        "found no such file",
    );
}

#[test]
fn text_that_is_not_utf8() {
    let dir = scratch("utf8");
    std::fs::write(dir.join("api.yaml"), b"openapi: \xff\xfe\n").unwrap();
    let error = generate(&dir.join("api.yaml"), &settings("api.yaml")).unwrap_err();
    check(
        &error,
        "api.yaml",
        "",
        "expected UTF-8 text",
        "found invalid utf-8",
    );
}

#[test]
fn invalid_json_and_yaml_say_where() {
    let error = load::parse("{\"openapi\": 3,}", "api.json", true).unwrap_err();
    check(&error, "api.json", "", "invalid JSON", "line 1 column 15");
    let error = load::parse("a: [1,\nb: {", "api.yaml", false).unwrap_err();
    check(&error, "api.yaml", "", "invalid YAML", "line 3 column 1");
}

#[test]
fn yaml_keys_that_are_not_scalars_or_repeat() {
    let error = load::parse("paths:\n  ? [a, b]\n  : 1\n", "api.yaml", false).unwrap_err();
    check(
        &error,
        "api.yaml",
        "/paths",
        "expected scalar mapping keys",
        "found a sequence or mapping",
    );
    let error = load::parse("responses:\n  200: a\n  '200': b\n", "api.yaml", false).unwrap_err();
    check(
        &error,
        "api.yaml",
        "/responses/200",
        "expected each key once",
        "found \"200\" twice",
    );
}

#[test]
fn a_document_that_is_not_an_object() {
    check(
        &error_of(json!([1, 2])),
        "api.yaml",
        "",
        "expected an object",
        "found an array of 2 items",
    );
}

#[test]
fn version_problems() {
    check(
        &error_of(json!({"info": {}, "paths": {}})),
        "api.yaml",
        "",
        "expected an OpenAPI document with an `openapi` version field",
        "found none",
    );
    check(
        &error_of(json!({"openapi": 3.1, "paths": {}})),
        "api.yaml",
        "/openapi",
        "expected a version string",
        "found the number 3.1",
    );
    check(
        &error_of(json!({"openapi": "2.0"})),
        "api.yaml",
        "/openapi",
        "expected 3.0.x, 3.1.x or 3.2.x",
        "unsupported OpenAPI version \"2.0\"",
    );
    check(
        &error_of(json!({"openapi": "3.3.0"})),
        "api.yaml",
        "/openapi",
        "expected 3.0.x, 3.1.x or 3.2.x",
        "unsupported OpenAPI version \"3.3.0\"",
    );
    check(
        &error_of(json!({"swagger": "2.0"})),
        "api.yaml",
        "/swagger",
        "expected OpenAPI 3.0.x, 3.1.x or 3.2.x",
        "Swagger 2.0 document",
    );
}

#[test]
fn containers_of_the_wrong_type() {
    check(
        &error_of(minimal(json!({"paths": "none"}))),
        "api.yaml",
        "/paths",
        "expected an object",
        "found the string \"none\"",
    );
    check(
        &error_of(minimal(json!({"components": {"schemas": [1]}}))),
        "api.yaml",
        "/components/schemas",
        "expected an object",
        "found an array of 1 items",
    );
    check(
        &error_of(minimal(json!({"webhooks": 5}))),
        "api.yaml",
        "/webhooks",
        "expected an object",
        "found the number 5",
    );
}

#[test]
fn a_ref_that_is_not_a_string() {
    let doc = minimal(json!({"components": {"schemas": {"A": {"$ref": 5}}}}));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a $ref string",
        "found the number 5",
    );
}

#[test]
fn a_dangling_ref() {
    let doc =
        minimal(json!({"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}}}}));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a value at that pointer",
        "found nothing",
    );
}

#[test]
fn a_ref_with_escapes_that_lead_nowhere() {
    // `~1` is `/` and `%7B` is `{`: the pointer is decoded exactly, and the miss reported as written.
    let doc = minimal(json!({
        "paths": {"/a/{b}": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"A": {"$ref": "#/paths/~1a~1%7Bc%7D/get"}}}
    }));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "\"#/paths/~1a~1%7Bc%7D/get\": expected a value at that pointer",
        "found nothing",
    );
}

#[test]
fn an_anchor_ref_and_a_bad_fragment() {
    let doc = minimal(json!({"components": {"schemas": {"A": {"$ref": "#Pet"}}}}));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a JSON pointer after `#`",
        "found the anchor \"Pet\"",
    );
    let doc = minimal(json!({"components": {"schemas": {"A": {"$ref": "#/%FF"}}}}));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a UTF-8 fragment",
        "found percent-encoded bytes",
    );
}

#[test]
fn a_cycle_of_references_to_parameters() {
    let doc = minimal(json!({
        "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}], "responses": {}}}},
        "components": {"parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"$ref": "#/components/parameters/P"}}}
    }));
    check(
        &error_of(doc),
        "api.yaml",
        "/paths/~1a/get/parameters/0",
        "expected a $ref chain to end",
        "found a cycle",
    );
}

#[test]
fn an_external_ref_in_a_document_given_as_a_value() {
    let doc = minimal(json!({"components": {"schemas": {"A": {"$ref": "common.yaml#/B"}}}}));
    check(
        &error_of(doc),
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a reference within the document or to a readable local file",
        "found a reference into common.yaml",
    );
}

#[test]
fn a_url_ref_and_an_unreadable_file_ref() {
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/x.yaml#/B'}\n";
    let error = file_error_of("url", &[("api.yaml", spec)]);
    check(
        &error,
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a reference within the document or to a file inside the document's folder",
        "found a URL",
    );

    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'missing.yaml#/B'}\n";
    let error = file_error_of("missing", &[("api.yaml", spec)]);
    check(
        &error,
        "api.yaml",
        "/components/schemas/A/$ref",
        "expected a readable local file",
        "found no such file",
    );
}

#[test]
fn a_dangling_ref_inside_a_referenced_file_names_that_file() {
    let spec = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'common.yaml#/Pet'}\n";
    let common = "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n";
    let error = file_error_of("inner", &[("api.yaml", spec), ("common.yaml", common)]);
    let line = error.to_string();
    assert!(
        line.contains("expected a value at that pointer, found nothing"),
        "{line}"
    );
    assert!(
        line.contains("#/x-apigen-external/0:common.yaml/Pet/properties/owner/$ref"),
        "{line}"
    );
}

#[test]
fn nesting_deeper_than_the_generator_follows() {
    // Inline schemas that refer to each other in a chain longer than the depth limit.
    let mut schemas = serde_json::Map::new();
    let mut paths = serde_json::Map::new();
    for i in 0..300 {
        paths.insert(
            format!("/p{i}"),
            json!({"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                {"type": "object", "properties": {"next": {"$ref": format!("#/paths/~1p{}/get/responses/200/content/application~1json/schema", i + 1)}}}}}}}}}),
        );
    }
    paths.insert(
        "/p300".to_owned(),
        json!({"get": {"responses": {"200": {"description": "ok"}}}}),
    );
    schemas.insert(
        "Start".to_owned(),
        json!({"$ref": "#/paths/~1p0/get/responses/200/content/application~1json/schema"}),
    );
    let doc = minimal(json!({"paths": paths, "components": {"schemas": schemas}}));
    let worker = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || error_of(doc))
        .unwrap();
    let error = worker.join().unwrap();
    let line = error.to_string();
    assert!(
        line.contains("expected schemas nested at most 200 levels deep, found deeper nesting"),
        "{line}"
    );
    assert!(line.starts_with("api.yaml: #/paths/"), "{line}");
}

#[test]
fn a_crate_name_that_is_not_one() {
    let doc = minimal(json!({}));
    for bad in ["1abc", "api.json-client", "has space", "", "self"] {
        let mut s = settings("api.yaml");
        s.crate_name = bad.to_owned();
        let error = generate_from_value(&doc, &s).unwrap_err();
        check(
            &error,
            "api.yaml",
            "",
            "expected a crate name",
            &format!("found {bad:?}"),
        );
    }
}

/// A discriminator mapping is a decoding hint: one that leads nowhere is a warning naming its
/// pointer, and the union is still generated from the alternatives' own names.
#[test]
fn a_discriminator_mapping_that_leads_nowhere_is_a_warning() {
    let doc = minimal(json!({"components": {"schemas": {
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {
                "cat": "#/components/schemas/Cat",
                "bird": "#/components/schemas/Bird",
                "fish": "models/fish.yaml#/Fish"
            }}
        }
    }}}));
    let generated = generate_from_value(&doc, &settings("api.yaml")).expect("generated");
    let pointers: Vec<&str> = generated
        .warnings
        .iter()
        .map(|w| w.pointer.as_str())
        .collect();
    assert!(
        pointers.contains(&"/components/schemas/Pet/discriminator/mapping/bird/$ref"),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"/components/schemas/Pet/discriminator/mapping/fish/$ref"),
        "{pointers:?}"
    );
    let types = generated
        .files
        .iter()
        .find(|(path, _)| path.ends_with("types.rs"))
        .map(|(_, text)| text.as_str())
        .expect("types.rs");
    assert!(types.contains("pub enum Pet"), "{types}");
    assert!(
        types.contains("\"cat\""),
        "the mapping that resolves is kept"
    );
    assert!(
        types.contains("\"Dog\""),
        "an unmapped alternative keeps its name"
    );
    assert!(!types.contains("\"bird\"") && !types.contains("\"fish\""));
}

/// A body under several media types: JSON is sent, as `application/json` when offered. Media
/// types that carry the same schema lose nothing and are not warned about; a different payload
/// left out is.
#[test]
fn a_body_under_several_media_types_warns_only_about_what_is_left_out() {
    let body = |content: Value| {
        minimal(json!({"paths": {"/f": {"post": {
            "requestBody": {"content": content},
            "responses": {"204": {"description": "done"}}
        }}}, "components": {"schemas": {"F": {"type": "object"}}}}))
    };
    let f = json!({"schema": {"$ref": "#/components/schemas/F"}});
    let same = generate_from_value(
        &body(json!({"text/json": f, "application/*+json": f, "application/json": f})),
        &settings("api.yaml"),
    )
    .expect("generated");
    assert!(same.warnings.is_empty(), "{:?}", same.warnings);
    let different = generate_from_value(
        &body(json!({"application/json": f, "text/plain": {"schema": {"type": "string"}}})),
        &settings("api.yaml"),
    )
    .expect("generated");
    let messages: Vec<String> = different
        .warnings
        .iter()
        .map(|w| format!("{}: {}", w.pointer, w.message))
        .collect();
    assert_eq!(
        messages,
        [
            "/paths/~1f/post/requestBody: the body is sent as application/json; the other media types (text/plain) are not offered"
        ]
    );
}
