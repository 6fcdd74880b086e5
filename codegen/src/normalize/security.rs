//! Security schemes (`components/securitySchemes`) and security requirements.

use super::operations::ParamLocation;
use super::{Source, expect_object, found, object_or_skip, opt_str};
use crate::diagnostics::Diagnostics;
use crate::error::{Result, describe};
use crate::pointer::join;
use serde_json::{Map, Value};

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

pub(super) fn read_security_schemes(
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

pub(super) fn read_security(
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
