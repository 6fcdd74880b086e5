//! Path items and webhooks: their operations, parameters, request bodies and responses, with
//! `$ref`s to any of them followed.

use super::security::read_security;
use super::{Source, found, list_or_skip, object_or_skip, opt_bool, opt_str, ref_of};
use crate::diagnostics::Diagnostics;
use crate::error::Result;
use crate::pointer::join;
use serde_json::Value;

/// The HTTP methods an OpenAPI path item can hold as fixed fields, in the order they are
/// emitted (`query` since 3.2). Others come in 3.2's `additionalOperations`, by their name.
pub const METHODS: [&str; 9] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2: the whole query string as one value, serialized by its `content` media type.
    QueryString,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
            ParamLocation::QueryString => "querystring",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub pointer: String,
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Pointer of the schema (from `schema`, or the first media type of `content`).
    pub schema: Option<String>,
    pub style: Option<String>,
    pub explode: Option<bool>,
    /// A name the document suggests for code (`x-speakeasy-name-override`).
    pub name_override: Option<String>,
    /// The media type of `content`, for a parameter described that way.
    pub media_type: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub media_type: String,
    pub pointer: String,
    pub schema: Option<String>,
    /// Example values (`example`, and the `value`s of `examples`).
    pub examples: Vec<Value>,
    /// Pointer of the schema of each item of a sequence (`itemSchema`, OpenAPI 3.2; read in
    /// documents of any version, since an overlay may add it).
    pub item_schema: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub pointer: String,
    pub required: bool,
    pub description: Option<String>,
    pub content: Vec<Media>,
}

#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub pointer: String,
    pub description: Option<String>,
    /// The `components/responses` name, when the response is a reference to one.
    pub component: Option<String>,
    pub content: Vec<Media>,
    /// The names of the headers it documents, in lower case (`link`).
    pub headers: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub pointer: String,
    pub path: String,
    pub method: String,
    pub operation_id: Option<String>,
    pub name_override: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The operation's `tags` (those that are strings), in order.
    pub tags: Vec<String>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives, each a list of scheme names; `None` inherits the document's.
    pub security: Option<Vec<Vec<String>>>,
}

pub(super) fn read_path_item(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    pointer: &str,
    path: &str,
    top_security: &Option<Vec<Vec<String>>>,
) -> Result<Vec<Operation>> {
    let (item_ptr, item) = src.resolve(pointer)?;
    let Some(item) = object_or_skip(diag, &item_ptr, item, "path item") else {
        return Ok(Vec::new());
    };
    let shared = read_parameters(
        src,
        diag,
        item.get("parameters"),
        &join(&item_ptr, "parameters"),
    )?;
    let mut operations = Vec::new();
    // 3.2: methods beyond the fixed fields, keyed by their name as sent (`COPY`).
    let additional: Vec<(String, String)> = match item.get("additionalOperations") {
        Some(Value::Object(map)) => map
            .keys()
            .filter(|name| !METHODS.contains(&name.to_ascii_lowercase().as_str()))
            .map(|name| {
                let base = join(&item_ptr, "additionalOperations");
                (name.to_ascii_lowercase(), join(&base, name))
            })
            .collect(),
        Some(other) => {
            diag.warn(
                &join(&item_ptr, "additionalOperations"),
                format!(
                    "expected an object of operations, found {}; ignored",
                    found(Some(other))
                ),
            );
            Vec::new()
        }
        None => Vec::new(),
    };
    let fixed = METHODS
        .iter()
        .filter(|method| item.contains_key(**method))
        .map(|method| (method.to_string(), join(&item_ptr, method)));
    for (method, op_ptr) in fixed.chain(additional) {
        let method = method.as_str();
        let Some(op) = src.resolve(&op_ptr).ok().map(|(_, v)| v) else {
            continue;
        };
        let Some(op_map) = object_or_skip(diag, &op_ptr, op, "operation") else {
            continue;
        };
        let own = read_parameters(
            src,
            diag,
            op_map.get("parameters"),
            &join(&op_ptr, "parameters"),
        )?;
        // Operation-level parameters override path-level ones with the same name and location.
        let mut parameters: Vec<Parameter> = shared
            .iter()
            .filter(|p| {
                !own.iter()
                    .any(|o| o.name == p.name && o.location == p.location)
            })
            .cloned()
            .collect();
        parameters.extend(own);

        let request_body = match op_map.get("requestBody") {
            None => None,
            Some(_) => read_request_body(src, diag, &join(&op_ptr, "requestBody"))?,
        };
        let responses = read_responses(
            src,
            diag,
            op_map.get("responses"),
            &join(&op_ptr, "responses"),
        )?;
        let security = read_security(diag, op_map.get("security"), &join(&op_ptr, "security"))
            .or_else(|| top_security.clone());
        operations.push(Operation {
            pointer: op_ptr.clone(),
            path: path.to_owned(),
            method: method.to_owned(),
            operation_id: opt_str(diag, op_map, &op_ptr, "operationId"),
            name_override: opt_str(diag, op_map, &op_ptr, "x-speakeasy-name-override"),
            summary: opt_str(diag, op_map, &op_ptr, "summary"),
            description: opt_str(diag, op_map, &op_ptr, "description"),
            deprecated: opt_bool(diag, op_map, &op_ptr, "deprecated").unwrap_or(false),
            tags: match op_map.get("tags") {
                Some(Value::Array(tags)) => tags
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            },
            parameters,
            request_body,
            responses,
            security,
        });
    }
    Ok(operations)
}

fn read_parameters(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    value: Option<&Value>,
    pointer: &str,
) -> Result<Vec<Parameter>> {
    let items = list_or_skip(diag, value, pointer, "parameters");
    let mut out: Vec<Parameter> = Vec::new();
    for i in 0..items.len() {
        let (at, value) = src.resolve(&format!("{pointer}/{i}"))?;
        let Some(map) = object_or_skip(diag, &at, value, "parameter") else {
            continue;
        };
        let Some(name) = map.get("name").and_then(Value::as_str) else {
            diag.warn(
                &at,
                format!(
                    "expected the parameter's `name`, found {}; parameter skipped",
                    found(map.get("name"))
                ),
            );
            continue;
        };
        let location = match map.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            Some("cookie") => ParamLocation::Cookie,
            Some("querystring") => ParamLocation::QueryString,
            _ => {
                diag.warn(
                    &join(&at, "in"),
                    format!(
                        "expected \"path\", \"query\", \"querystring\", \"header\" or \"cookie\", found {}; parameter skipped",
                        found(map.get("in"))
                    ),
                );
                continue;
            }
        };
        // OpenAPI: header parameters named Accept, Content-Type or Authorization are ignored.
        if location == ParamLocation::Header
            && ["accept", "content-type", "authorization"]
                .contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let schema = if map.contains_key("schema") {
            Some(join(&at, "schema"))
        } else if let Some(Value::Object(content)) = map.get("content") {
            content
                .iter()
                .find(|(_, media)| media.get("schema").is_some())
                .map(|(media, _)| join(&join(&join(&at, "content"), media), "schema"))
        } else {
            None
        };
        let parameter = Parameter {
            pointer: at.clone(),
            name: name.to_owned(),
            location,
            required: location == ParamLocation::Path
                || opt_bool(diag, map, &at, "required").unwrap_or(false),
            description: opt_str(diag, map, &at, "description"),
            deprecated: opt_bool(diag, map, &at, "deprecated").unwrap_or(false),
            schema,
            style: opt_str(diag, map, &at, "style"),
            explode: opt_bool(diag, map, &at, "explode"),
            name_override: opt_str(diag, map, &at, "x-speakeasy-name-override"),
            media_type: match map.get("content") {
                Some(Value::Object(content)) => content.keys().next().cloned(),
                _ => None,
            },
        };
        if let Some(pos) = out
            .iter()
            .position(|p| p.name == parameter.name && p.location == parameter.location)
        {
            diag.warn(
                &at,
                format!(
                    "parameter {name:?} in {} is listed twice; the last one is used",
                    location.as_str()
                ),
            );
            out.remove(pos);
        }
        out.push(parameter);
    }
    Ok(out)
}

fn read_content(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    value: Option<&Value>,
    pointer: &str,
) -> Result<Vec<Media>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(content) = object_or_skip(diag, pointer, value, "content") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (media_type, media) in content {
        let at = join(pointer, media_type);
        let Some(media) = object_or_skip(diag, &at, media, "media type") else {
            continue;
        };
        let mut examples = Vec::new();
        if let Some(example) = media.get("example") {
            examples.push(example.clone());
        }
        if let Some(Value::Object(named)) = media.get("examples") {
            for name in named.keys() {
                let example_ptr = join(&join(&at, "examples"), name);
                // An example that cannot be resolved is only an example: skip it.
                if let Ok((_, example)) = src.resolve(&example_ptr)
                    && let Some(value) = example.get("value")
                {
                    examples.push(value.clone());
                }
            }
        }
        out.push(Media {
            media_type: media_type.clone(),
            pointer: at.clone(),
            schema: media.contains_key("schema").then(|| join(&at, "schema")),
            examples,
            item_schema: media
                .contains_key("itemSchema")
                .then(|| join(&at, "itemSchema")),
        });
    }
    Ok(out)
}

fn read_request_body(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    pointer: &str,
) -> Result<Option<RequestBody>> {
    let (at, value) = src.resolve(pointer)?;
    let Some(map) = object_or_skip(diag, &at, value, "request body") else {
        return Ok(None);
    };
    Ok(Some(RequestBody {
        pointer: at.clone(),
        required: opt_bool(diag, map, &at, "required").unwrap_or(false),
        description: opt_str(diag, map, &at, "description"),
        content: read_content(src, diag, map.get("content"), &join(&at, "content"))?,
    }))
}

fn read_responses(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    value: Option<&Value>,
    pointer: &str,
) -> Result<Vec<Response>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(map) = object_or_skip(diag, pointer, value, "responses") else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for status in map.keys() {
        if status.starts_with("x-") {
            continue;
        }
        let own = join(pointer, status);
        let component = ref_of(&map[status])
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/responses/"))
            .map(crate::pointer::unescape);
        let (at, value) = src.resolve(&own)?;
        let Some(response) = object_or_skip(diag, &at, value, "response") else {
            continue;
        };
        out.push(Response {
            status: status.clone(),
            pointer: at.clone(),
            description: opt_str(diag, response, &at, "description"),
            component,
            content: read_content(src, diag, response.get("content"), &join(&at, "content"))?,
            headers: match response.get("headers") {
                Some(Value::Object(headers)) => headers
                    .keys()
                    .map(|name| name.to_ascii_lowercase())
                    .collect(),
                _ => Vec::new(),
            },
        });
    }
    Ok(out)
}
