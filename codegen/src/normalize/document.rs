//! The parts of a document a client needs, version-neutral: its info, servers and components,
//! with the operations (`super::operations`) and security schemes (`super::security`).

use super::operations::read_path_item;
use super::security::{read_security, read_security_schemes};
use super::{Source, expect_object, list_or_skip, opt_str};
use crate::diagnostics::Diagnostics;
use crate::error::{Result, describe};
use crate::pointer::join;
use serde_json::{Map, Value};

pub use super::operations::{
    METHODS, Media, Operation, ParamLocation, Parameter, RequestBody, Response,
};
pub use super::security::{SchemeKind, SecurityScheme};

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

    let schemas = schemas(src)?;
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

/// `components/schemas`, then the schemas of the files other files refer to: name and
/// pointer, as [`Document::schemas`] lists them (read apart from the rest of the document, so
/// that lowering can start on them before it is read).
pub fn schemas(src: &Source<'_>) -> Result<Vec<(String, String)>> {
    let root = expect_object(src, "", src.root)?;
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
    Ok(schemas)
}

/// Schemas of the files other files refer to (see `crate::bundle::bundle`): their
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
        Some(Value::String(v))
            if v.starts_with("3.0.") || v.starts_with("3.1.") || v.starts_with("3.2.") =>
        {
            Ok(())
        }
        Some(Value::String(v)) => Err(src.error(
            "/openapi",
            format!("unsupported OpenAPI version {v:?}: expected 3.0.x, 3.1.x or 3.2.x"),
        )),
        Some(other) => Err(src.error(
            "/openapi",
            format!("expected a version string such as \"3.1.0\", found {}", describe(other)),
        )),
        None if root.contains_key("swagger") => Err(src.error(
            "/swagger",
            "unsupported: this is a Swagger 2.0 document; expected OpenAPI 3.0.x, 3.1.x or 3.2.x (convert it first)",
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
    let items = list_or_skip(diag, value, pointer, "servers");
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
