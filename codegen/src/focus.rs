//! Focusing a document on some of its operations: the others, and the components only they
//! use, are taken out before the document is read, so a large vendor document yields a small crate.

use crate::config::OperationFilter;
use crate::error::{Error, Result};
use crate::normalize::operations::METHODS;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};

/// Keeps the operations `filter` selects (all when it selects everything) and drops components
/// nothing kept refers to. Every entry of the filter must select something: one that selects
/// nothing is an error naming `config_display` and the entry (after a vendor update it means
/// the filter no longer does what it says).
pub fn focus(
    root: &mut Value,
    filter: &OperationFilter,
    config_display: &str,
    spec_display: &str,
) -> Result<()> {
    if filter.is_everything() {
        return Ok(());
    }
    let mut used_ids = vec![false; filter.ids.len()];
    let mut used_paths = vec![false; filter.paths.len()];
    let mut used_tags = vec![false; filter.tags.len()];
    let Value::Object(map) = root else {
        return Ok(()); // normalize reports a document that is not an object
    };
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = map.get_mut(section) else {
            continue;
        };
        let is_paths = section == "paths";
        items.retain(|path, item| {
            let Value::Object(item) = item else {
                return false;
            };
            let mut selects = |operation: &Value| {
                let mut keep = false;
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    for (i, wanted) in filter.ids.iter().enumerate() {
                        if wanted == id {
                            used_ids[i] = true;
                            keep = true;
                        }
                    }
                }
                if is_paths {
                    for (i, prefix) in filter.paths.iter().enumerate() {
                        if under(path, prefix) {
                            used_paths[i] = true;
                            keep = true;
                        }
                    }
                }
                if let Some(Value::Array(tags)) = operation.get("tags") {
                    for (i, wanted) in filter.tags.iter().enumerate() {
                        if tags.iter().any(|t| t.as_str() == Some(wanted)) {
                            used_tags[i] = true;
                            keep = true;
                        }
                    }
                }
                keep
            };
            item.retain(|method, operation| {
                if method == "additionalOperations" {
                    // 3.2: operations of other methods, each selected like the others.
                    if let Value::Object(more) = operation {
                        more.retain(|_, operation| selects(operation));
                        return !more.is_empty();
                    }
                    return true;
                }
                if !METHODS.contains(&method.as_str()) {
                    return true;
                }
                selects(operation)
            });
            item.keys()
                .any(|k| METHODS.contains(&k.as_str()) || k == "additionalOperations")
        });
    }
    for (kind, entries, used) in [
        ("ids", &filter.ids, &used_ids),
        ("paths", &filter.paths, &used_paths),
        ("tags", &filter.tags, &used_tags),
    ] {
        if let Some(i) = used.iter().position(|u| !u) {
            let what = match kind {
                "ids" => "operationId",
                "paths" => "path prefix",
                _ => "tag",
            };
            return Err(Error::new(
                config_display,
                &format!("/operations/{kind}/{i}"),
                format!(
                    "{what} {:?} selects no operation of {spec_display}",
                    entries[i]
                ),
            ));
        }
    }
    prune_components(map);
    Ok(())
}

/// True when `path` is `prefix` or lies below it.
fn under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/') || prefix.is_empty())
}

/// Removes `components` entries (security schemes aside: requirements name them, not `$ref`)
/// that no `$ref` outside `components` reaches, directly or through other components.
fn prune_components(map: &mut Map<String, Value>) {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    for (key, value) in map.iter() {
        if key != "components" {
            collect_refs(value, &mut queue);
        }
    }
    let Some(Value::Object(components)) = map.get("components") else {
        return;
    };
    while let Some(entry) = queue.pop_front() {
        if reached.contains(&entry) {
            continue;
        }
        if let Some(value) = components.get(&entry.0).and_then(|kind| kind.get(&entry.1)) {
            collect_refs(value, &mut queue);
        }
        reached.insert(entry);
    }
    let Some(Value::Object(components)) = map.get_mut("components") else {
        return;
    };
    for (kind, entries) in components.iter_mut() {
        if kind == "securitySchemes" || kind.starts_with("x-") {
            continue;
        }
        if let Value::Object(entries) = entries {
            entries.retain(|name, _| reached.contains(&(kind.clone(), name.clone())));
        }
    }
}

/// Every component a value refers to: `$ref`s into `#/components/<kind>/<name>`, and the
/// targets of discriminator mappings (references or bare schema names).
fn collect_refs(value: &Value, out: &mut VecDeque<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                push_component(reference, out);
            }
            if let Some(Value::Object(mapping)) =
                map.get("discriminator").and_then(|d| d.get("mapping"))
            {
                for target in mapping.values().filter_map(Value::as_str) {
                    if target.contains('#') || target.contains('/') {
                        push_component(target, out);
                    } else {
                        out.push_back(("schemas".to_owned(), target.to_owned()));
                    }
                }
            }
            for child in map.values() {
                collect_refs(child, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_refs(item, out);
            }
        }
        _ => {}
    }
}

fn push_component(reference: &str, out: &mut VecDeque<(String, String)>) {
    let Ok(crate::pointer::RefTarget::Local(pointer)) = crate::pointer::parse_ref(reference) else {
        return;
    };
    let tokens = crate::pointer::tokens(&pointer);
    if let [first, kind, name, ..] = tokens.as_slice()
        && first == "components"
    {
        out.push_back((kind.clone(), name.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.1.0",
            "paths": {
                "/v1/runs": {
                    "parameters": [{"$ref": "#/components/parameters/Trace"}],
                    "get": {"operationId": "list_runs", "tags": ["Runs"], "responses": {"200": {"$ref": "#/components/responses/Runs"}}},
                    "post": {"operationId": "create_run", "tags": ["Runs"], "responses": {"202": {"description": "ok"}}}
                },
                "/v1/runs/{id}": {"get": {"operationId": "get_run", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}}}}},
                "/v1/runsets": {"get": {"operationId": "list_runsets", "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunSet"}}}}}}},
                "/v1/files": {"get": {"operationId": "list_files", "tags": ["Files"], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/File"}}}}}}}
            },
            "components": {
                "schemas": {
                    "Run": {"properties": {"state": {"oneOf": [{"$ref": "#/components/schemas/Done"}], "discriminator": {"propertyName": "s", "mapping": {"done": "#/components/schemas/Done", "failed": "Failed"}}}}},
                    "Done": {"type": "object"},
                    "Failed": {"type": "object", "properties": {"why": {"$ref": "#/components/schemas/Reason"}}},
                    "Reason": {"type": "string"},
                    "RunSet": {"type": "object"},
                    "File": {"type": "object"},
                    "Unused": {"type": "object"}
                },
                "parameters": {"Trace": {"name": "t", "in": "header", "schema": {"type": "string"}}},
                "responses": {"Runs": {"description": "runs", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Run"}}}}}},
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
            }
        })
    }

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn everything_stays_without_a_filter() {
        let mut doc = document();
        focus(&mut doc, &OperationFilter::default(), "c.toml", "o.yaml").unwrap();
        assert_eq!(doc, document());
    }

    #[test]
    fn ids_keep_their_operations_and_what_those_reach() {
        let mut doc = document();
        let filter = OperationFilter {
            ids: vec!["get_run".into()],
            ..OperationFilter::default()
        };
        focus(&mut doc, &filter, "c.toml", "o.yaml").unwrap();
        assert_eq!(keys(&doc["paths"]), ["/v1/runs/{id}"]);
        assert_eq!(
            keys(&doc["components"]["schemas"]),
            ["Done", "Failed", "Reason", "Run"]
        );
        assert_eq!(keys(&doc["components"]["parameters"]), Vec::<&str>::new());
        assert_eq!(keys(&doc["components"]["securitySchemes"]), ["bearer"]);
    }

    #[test]
    fn path_prefixes_stop_at_segment_boundaries_and_tags_select_too() {
        let mut doc = document();
        let filter = OperationFilter {
            paths: vec!["/v1/runs".into()],
            tags: vec!["Files".into()],
            ..OperationFilter::default()
        };
        focus(&mut doc, &filter, "c.toml", "o.yaml").unwrap();
        assert_eq!(
            keys(&doc["paths"]),
            ["/v1/files", "/v1/runs", "/v1/runs/{id}"]
        );
        assert_eq!(
            keys(&doc["paths"]["/v1/runs"]),
            ["get", "parameters", "post"]
        );
        assert_eq!(keys(&doc["components"]["parameters"]), ["Trace"]);
        assert!(doc["components"]["schemas"].get("RunSet").is_none());
        assert!(doc["components"]["schemas"].get("File").is_some());
    }

    #[test]
    fn an_entry_that_selects_nothing_is_an_error() {
        let filter = OperationFilter {
            ids: vec!["get_run".into(), "get_rnu".into()],
            ..OperationFilter::default()
        };
        let err = focus(
            &mut document(),
            &filter,
            "specs/a/codegen.toml",
            "specs/a/openapi.json",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "specs/a/codegen.toml: #/operations/ids/1: operationId \"get_rnu\" selects no operation of specs/a/openapi.json"
        );
    }
}
