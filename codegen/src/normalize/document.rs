//! The parts of a document a client needs, version-neutral, with non-schema `$ref`s followed.

use super::{Source, expect_object, found, object_or_skip, opt_bool, opt_str, ref_of};
use crate::diagnostics::Diagnostics;
use crate::error::{Result, describe};
use crate::pointer::join;
use serde_json::{Map, Value};

/// The HTTP methods an OpenAPI path item can hold, in the order they are emitted.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

#[derive(Debug, Clone)]
pub struct Document {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    pub operations: Vec<Operation>,
    /// `components/schemas`: name and pointer, sorted by name.
    pub schemas: Vec<(String, String)>,
    /// `webhooks`: name and the pointers of their operations (payloads only matter to a client).
    pub webhooks: Vec<Operation>,
}

#[derive(Debug, Clone)]
pub struct Server {
    /// The URL with its variables replaced by their defaults.
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    ApiKey {
        location: ParamLocation,
        name: String,
    },
    Bearer {
        format: Option<String>,
    },
    Basic,
    /// OAuth 2 or OpenID Connect: an access token sent as a bearer token.
    OAuth2,
    /// A scheme a client cannot apply by itself (mutual TLS, unknown HTTP schemes).
    Unsupported(String),
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    pub name: String,
    pub pointer: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
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
}

#[derive(Debug, Clone)]
pub struct Media {
    pub media_type: String,
    pub pointer: String,
    pub schema: Option<String>,
    /// Example values (`example`, and the `value`s of `examples`).
    pub examples: Vec<Value>,
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
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// Alternatives, each a list of scheme names; `None` inherits the document's.
    pub security: Option<Vec<Vec<String>>>,
}

/// Reads the whole document.
pub fn read(src: &Source<'_>, diag: &mut Diagnostics) -> Result<Document> {
    let root = expect_object(src, "", src.root)?;
    check_version(src, root)?;

    let info = match root.get("info") {
        Some(info) => expect_object(src, "/info", info)?.clone(),
        None => {
            diag.warn(
                "",
                "the document has no `info`; title and version are unknown",
            );
            Map::new()
        }
    };
    let title = opt_str(diag, &info, "/info", "title").unwrap_or_else(|| "API".to_owned());
    let version = opt_str(diag, &info, "/info", "version").unwrap_or_default();
    let description = opt_str(diag, &info, "/info", "description");

    let servers = read_servers(diag, root.get("servers"), "/servers")?;
    let security_schemes = read_security_schemes(src, diag, root)?;
    let top_security = read_security(diag, root.get("security"), "/security");

    let mut operations = Vec::new();
    if let Some(paths) = root.get("paths") {
        let paths = expect_object(src, "/paths", paths)?;
        for path in paths.keys() {
            if path.starts_with("x-") {
                continue;
            }
            let item_ptr = join("/paths", path);
            operations.extend(read_path_item(src, diag, &item_ptr, path, &top_security)?);
        }
    }
    let mut webhooks = Vec::new();
    if let Some(hooks) = root.get("webhooks") {
        let hooks = expect_object(src, "/webhooks", hooks)?;
        for name in hooks.keys() {
            let item_ptr = join("/webhooks", name);
            webhooks.extend(read_path_item(src, diag, &item_ptr, name, &top_security)?);
        }
    }

    let mut schemas = Vec::new();
    if let Some(components) = root.get("components") {
        let components = expect_object(src, "/components", components)?;
        if let Some(found) = components.get("schemas") {
            let found = expect_object(src, "/components/schemas", found)?;
            schemas = found
                .keys()
                .map(|name| (name.clone(), join("/components/schemas", name)))
                .collect();
        }
    }
    schemas.extend(external_schemas(root));
    Ok(Document {
        title,
        version,
        description,
        servers,
        security_schemes,
        operations,
        schemas,
        webhooks,
    })
}

/// Schemas of the files other files refer to (see [`crate::bundle::bundle`]): their
/// `components/schemas`, the file itself when it is one schema (named after the file), or its
/// top-level entries that are schemas.
fn external_schemas(root: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(Value::Object(externals)) = root.get(crate::bundle::EXTERNAL) else {
        return out;
    };
    for (key, doc) in externals {
        let base = join(&join("", crate::bundle::EXTERNAL), key);
        if let Some(Value::Object(found)) = doc.get("components").and_then(|c| c.get("schemas")) {
            let at = format!("{base}/components/schemas");
            out.extend(found.keys().map(|name| (name.clone(), join(&at, name))));
        } else if looks_like_schema(doc) {
            let file = key.rsplit(['/', ':']).next().unwrap_or(key);
            let stem = file.split('.').next().unwrap_or(file);
            out.push((stem.to_owned(), base));
        } else if let Value::Object(entries) = doc {
            out.extend(
                entries
                    .iter()
                    .filter(|(_, v)| looks_like_schema(v))
                    .map(|(name, _)| (name.clone(), join(&base, name))),
            );
        }
    }
    out
}

fn looks_like_schema(value: &Value) -> bool {
    const SCHEMA_KEYS: [&str; 8] = [
        "type",
        "properties",
        "allOf",
        "oneOf",
        "anyOf",
        "enum",
        "items",
        "$ref",
    ];
    value
        .as_object()
        .is_some_and(|m| SCHEMA_KEYS.iter().any(|k| m.contains_key(*k)) && !m.contains_key("in"))
}

fn check_version(src: &Source<'_>, root: &Map<String, Value>) -> Result<()> {
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(Value::String(v)) => Err(src.error(
            "/openapi",
            format!("unsupported OpenAPI version {v:?}: expected 3.0.x or 3.1.x"),
        )),
        Some(other) => Err(src.error(
            "/openapi",
            format!("expected a version string such as \"3.1.0\", found {}", describe(other)),
        )),
        None if root.contains_key("swagger") => Err(src.error(
            "/swagger",
            "unsupported: this is a Swagger 2.0 document; expected OpenAPI 3.0.x or 3.1.x (convert it first)",
        )),
        None => Err(src.error(
            "",
            "expected an OpenAPI document with an `openapi` version field, found none",
        )),
    }
}

fn read_servers(
    diag: &mut Diagnostics,
    value: Option<&Value>,
    pointer: &str,
) -> Result<Vec<Server>> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(items) = value.as_array() else {
        diag.warn(
            pointer,
            format!(
                "expected a list of servers, found {}; ignored",
                describe(value)
            ),
        );
        return Ok(Vec::new());
    };
    let mut servers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{pointer}/{i}");
        let Some(map) = item.as_object() else {
            diag.warn(
                &at,
                format!(
                    "expected a server object, found {}; ignored",
                    describe(item)
                ),
            );
            continue;
        };
        let Some(mut url) = opt_str(diag, map, &at, "url") else {
            diag.warn(&at, "expected a `url`, found none; server ignored");
            continue;
        };
        if let Some(Value::Object(vars)) = map.get("variables") {
            for (name, var) in vars {
                let default = var.get("default").and_then(Value::as_str);
                match default {
                    Some(default) => url = url.replace(&format!("{{{name}}}"), default),
                    None => diag.warn(
                        &join(&join(&at, "variables"), name),
                        "expected a `default` for the server variable, found none",
                    ),
                }
            }
        }
        let description = opt_str(diag, map, &at, "description");
        servers.push(Server { url, description });
    }
    Ok(servers)
}

fn read_security_schemes(
    src: &Source<'_>,
    diag: &mut Diagnostics,
    root: &Map<String, Value>,
) -> Result<Vec<SecurityScheme>> {
    let Some(Value::Object(components)) = root.get("components") else {
        return Ok(Vec::new());
    };
    let Some(schemes) = components.get("securitySchemes") else {
        return Ok(Vec::new());
    };
    let schemes = expect_object(src, "/components/securitySchemes", schemes)?;
    let mut out = Vec::new();
    for name in schemes.keys() {
        let (pointer, value) = src.resolve(&join("/components/securitySchemes", name))?;
        let Some(map) = object_or_skip(diag, &pointer, value, "security scheme") else {
            continue;
        };
        let kind = match map.get("type").and_then(Value::as_str) {
            Some("apiKey") => {
                let location = match map.get("in").and_then(Value::as_str) {
                    Some("header") => ParamLocation::Header,
                    Some("query") => ParamLocation::Query,
                    Some("cookie") => ParamLocation::Cookie,
                    _ => {
                        diag.warn(
                            &join(&pointer, "in"),
                            format!(
                                "expected \"header\", \"query\" or \"cookie\", found {}; security scheme skipped",
                                found(map.get("in"))
                            ),
                        );
                        continue;
                    }
                };
                let Some(param) = map.get("name").and_then(Value::as_str) else {
                    diag.warn(
                        &pointer,
                        format!(
                            "expected the `name` of the API key, found {}; security scheme skipped",
                            found(map.get("name"))
                        ),
                    );
                    continue;
                };
                SchemeKind::ApiKey {
                    location,
                    name: param.to_owned(),
                }
            }
            Some("http") => match map
                .get("scheme")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
            {
                Some(s) if s == "bearer" => SchemeKind::Bearer {
                    format: opt_str(diag, map, &pointer, "bearerFormat"),
                },
                Some(s) if s == "basic" => SchemeKind::Basic,
                other => SchemeKind::Unsupported(format!("HTTP scheme {other:?}")),
            },
            Some("oauth2" | "openIdConnect") => SchemeKind::OAuth2,
            Some(other) => SchemeKind::Unsupported(format!("{other:?}")),
            None => {
                diag.warn(&pointer, "expected the `type` of the security scheme, found nothing; security scheme skipped");
                continue;
            }
        };
        if let SchemeKind::Unsupported(what) = &kind {
            diag.warn(
                &pointer,
                format!("security scheme {what} cannot be applied by the client; configure it on your own reqwest::Client"),
            );
        }
        let description = opt_str(diag, map, &pointer, "description");
        out.push(SecurityScheme {
            name: name.clone(),
            pointer,
            kind,
            description,
        });
    }
    Ok(out)
}

fn read_security(
    diag: &mut Diagnostics,
    value: Option<&Value>,
    pointer: &str,
) -> Option<Vec<Vec<String>>> {
    let value = value?;
    let Some(items) = value.as_array() else {
        diag.warn(
            pointer,
            format!(
                "expected a list of security requirements, found {}; ignored",
                describe(value)
            ),
        );
        return None;
    };
    Some(
        items
            .iter()
            .filter_map(|item| item.as_object().map(|m| m.keys().cloned().collect()))
            .collect(),
    )
}

fn read_path_item(
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
    for method in METHODS {
        let Some(op) = item.get(method) else { continue };
        let op_ptr = join(&item_ptr, method);
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
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let Some(items) = value.as_array() else {
        diag.warn(
            pointer,
            format!(
                "expected a list of parameters, found {}; ignored",
                describe(value)
            ),
        );
        return Ok(Vec::new());
    };
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
            _ => {
                diag.warn(
                    &join(&at, "in"),
                    format!(
                        "expected \"path\", \"query\", \"header\" or \"cookie\", found {}; parameter skipped",
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
        });
    }
    Ok(out)
}
