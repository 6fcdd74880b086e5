//! The `[pagination]` settings: each way of paging described for an operation, a rule for the
//! whole API applied where it fits, `paginated = false`, the common shapes recognised without
//! settings (each a warning naming the operation and the rule), and settings naming a parameter
//! or field the operation lacks refused with an error naming the setting.

use apigen_codegen::config::Config;
use apigen_codegen::ir::{Api, PageKind, Pagination};
use apigen_codegen::{Error, Warning, lower_value_with};
use serde_json::{Value, json};

/// `runs` pages by cursor (`after`, `meta.next`), `logs` by page with `has_more` and a total,
/// `events` by offset; `all` answers everything at once.
fn document() -> Value {
    let query = |name: &str, ty: &str| json!({"name": name, "in": "query", "schema": {"type": ty}});
    let list = |props: Value| {
        json!({"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["data"], "properties": props
        }}}}})
    };
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Lists", "version": "1"},
        "paths": {
            "/runs": {"get": {
                "operationId": "runs",
                "parameters": [query("after", "string"), query("status", "string")],
                "responses": list(json!({
                    "data": {"type": "array", "items": {"type": "string"}},
                    "meta": {"type": "object", "properties": {"next": {"type": ["string", "null"]}}}
                }))
            }},
            "/logs": {"get": {
                "operationId": "logs",
                "parameters": [query("page", "integer"), {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}}],
                "responses": list(json!({
                    "data": {"type": "array", "items": {"type": "string"}},
                    "has_more": {"type": "boolean"},
                    "total": {"type": "integer"}
                }))
            }},
            "/events": {"get": {
                "operationId": "events",
                "parameters": [query("offset", "integer"), query("limit", "integer")],
                "responses": list(json!({"data": {"type": "array", "items": {"type": "string"}}}))
            }},
            "/all": {"get": {
                "operationId": "all",
                "responses": list(json!({"data": {"type": "array", "items": {"type": "string"}}}))
            }}
        }
    })
}

fn lower(settings: &str) -> Result<(Api, Vec<Warning>), Error> {
    let config = Config::parse(settings, "codegen.toml").expect("the settings parse");
    lower_value_with(&document(), "api.yaml", Some((&config, "codegen.toml")))
}

fn paging<'a>(api: &'a Api, name: &str) -> Option<&'a Pagination> {
    api.operations
        .iter()
        .find(|op| op.name == name)
        .and_then(|op| op.pagination.as_ref())
}

const SET: &str = r#"
[pagination.operations.runs]
items = "data"
cursor = { param = "after", next = "meta.next" }

[pagination.operations.logs]
items = "data"
page = { param = "page", size = "limit", has_more = "has_more", total = "total" }

[pagination.operations.events]
offset = { param = "offset", limit = "limit" }

[pagination.operations.all]
paginated = false
"#;

#[test]
fn each_way_is_described_by_its_settings_without_a_warning() {
    let (api, warnings) = lower(SET).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let runs = paging(&api, "runs").unwrap();
    assert!(
        matches!(&runs.kind, PageKind::Cursor { param, next } if param.name == "after" && next.steps.len() == 2),
        "{:?}",
        runs.kind
    );
    let logs = paging(&api, "logs").unwrap();
    assert!(matches!(&logs.kind, PageKind::Page { first: 1, .. }));
    assert!(logs.has_more.is_some() && logs.total.is_some());
    // The size parameter, and its documented default.
    assert_eq!(
        logs.size.as_ref().map(|s| (s.0.name.as_str(), s.1)),
        Some(("limit", Some(20)))
    );
    assert!(matches!(
        paging(&api, "events").unwrap().kind,
        PageKind::Offset { .. }
    ));
    assert!(paging(&api, "all").is_none());
}

#[test]
fn without_settings_the_common_shapes_are_guessed_each_with_a_warning() {
    let (api, warnings) = lower_value_with(&document(), "api.yaml", None).unwrap();
    // With a cursor parameter, `meta.next` is the cursor to send back.
    assert!(matches!(
        paging(&api, "runs").unwrap().kind,
        PageKind::Cursor { .. }
    ));
    assert!(matches!(
        paging(&api, "logs").unwrap().kind,
        PageKind::Page { .. }
    ));
    assert!(matches!(
        paging(&api, "events").unwrap().kind,
        PageKind::Offset { .. }
    ));
    assert!(paging(&api, "all").is_none(), "no paging parameter");
    let texts: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("`runs` is taken to page by a cursor: `meta.next` of each answer sent as `after` (items in `data`); set `[pagination.operations.runs]`")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("#/paths/~1logs/get")
            && t.contains(
                "`logs` is taken to page by page number `page`, until `has_more` is false"
            )),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("`events` is taken to page by offset `offset` and limit `limit`")),
        "{texts:?}"
    );
    // `guess = false` keeps every list whole.
    let config = Config::parse("[pagination]\nguess = false\n", "codegen.toml").unwrap();
    let (api, warnings) =
        lower_value_with(&document(), "api.yaml", Some((&config, "codegen.toml"))).unwrap();
    assert!(warnings.is_empty());
    assert!(api.operations.iter().all(|op| op.pagination.is_none()));
}

#[test]
fn the_apis_rule_applies_where_it_fits() {
    let (api, warnings) = lower(
        "[pagination]\nitems = \"data\"\ncursor = { param = \"after\", next = \"meta.next\" }\nguess = false\n",
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(paging(&api, "runs").is_some());
    assert!(paging(&api, "logs").is_none() && paging(&api, "all").is_none());
}

#[test]
fn a_setting_naming_what_the_operation_lacks_is_an_error_naming_the_setting() {
    let cases = [
        (
            "[pagination.operations.runs]\ncursor = { param = \"before\", next = \"meta.next\" }\n",
            "codegen.toml: #/pagination/operations/runs/cursor/param: `runs` takes no query parameter `before`",
        ),
        (
            "[pagination.operations.runs]\ncursor = { param = \"after\", next = \"meta.after\" }\n",
            "codegen.toml: #/pagination/operations/runs/cursor/next: `meta.after`",
        ),
        (
            "[pagination.operations.logs]\npage = { param = \"page\", has_more = \"total\" }\n",
            "codegen.toml: #/pagination/operations/logs/page/has_more: expected `total` to hold a boolean, found an integer",
        ),
        (
            "[pagination.operations.logs]\nitems = \"rows\"\npage = { param = \"page\" }\n",
            "codegen.toml: #/pagination/operations/logs/items: `rows`",
        ),
        (
            "[pagination.operations.logs]\npage = { param = \"page\" }\noffset = { param = \"page\" }\n",
            "codegen.toml: #/pagination/operations/logs: expected one way to the next page",
        ),
        (
            "[pagination.operations.nope]\npage = { param = \"page\" }\n",
            "codegen.toml: #/pagination/operations/nope: operationId \"nope\" names no selected operation",
        ),
        (
            "[pagination]\ncursor = { param = \"token\", next = \"meta.next\" }\n",
            "codegen.toml: #/pagination",
        ),
    ];
    for (settings, expected) in cases {
        let error = lower(settings).unwrap_err().to_string();
        assert!(error.starts_with(expected), "{error}\nexpected: {expected}");
    }
    let error = Config::parse(
        "[pagination.operations.runs]\ncursors = 1\n",
        "codegen.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("cursors"), "{error}");
}
