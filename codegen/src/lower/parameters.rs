//! Parameters: names, types, locations and serialization styles.

use super::Lowerer;
use crate::error::Result;
use crate::ir::{Location, Param, Style, TypeRef};
use crate::names::{Namespace, pascal, snake};
use crate::normalize::document::{self as doc, ParamLocation};
use crate::vocabulary::REQUEST_MEMBERS;

pub(crate) fn lower_params(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    type_base: &str,
) -> Result<Vec<Param>> {
    let mut names = Namespace::snake();
    names.reserve(REQUEST_MEMBERS);
    let placeholders = path_placeholders(&op.path);
    let mut params = Vec::new();
    for p in &op.parameters {
        if p.location == ParamLocation::Path && !placeholders.contains(&p.name) {
            l.diag.warn(
                &p.pointer,
                format!(
                    "path parameter {:?} does not appear in the path {:?}; ignored",
                    p.name, op.path
                ),
            );
            continue;
        }
        let ty = match &p.schema {
            Some(schema) => {
                l.type_of(schema, &format!("{type_base}{}", pascal(&p.name, "Param")))?
                    .ty
            }
            None => TypeRef::String,
        };
        let rust_name = snake(p.name_override.as_deref().unwrap_or(&p.name), "param");
        let style = style(p.location, p.style.as_deref(), p.explode);
        params.push(Param {
            name: names.claim(&rust_name),
            wire: p.name.clone(),
            location: match p.location {
                ParamLocation::Path => Location::Path,
                ParamLocation::Query => Location::Query,
                ParamLocation::Header => Location::Header,
                ParamLocation::Cookie => Location::Cookie,
                ParamLocation::QueryString => Location::QueryString,
            },
            ty,
            required: p.required,
            style,
            doc: p.description.clone(),
            media_type: p.media_type.clone(),
        });
    }
    for placeholder in placeholders {
        let declared = params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == placeholder);
        if !declared {
            l.diag.warn(
                &op.pointer,
                format!("the path {:?} has a parameter {placeholder:?} the operation does not declare; it is typed as a string", op.path),
            );
            params.push(Param {
                name: names.claim(&snake(&placeholder, "param")),
                wire: placeholder,
                location: Location::Path,
                ty: TypeRef::String,
                required: true,
                style: Style::Simple { explode: false },
                doc: None,
                media_type: None,
            });
        }
    }
    Ok(params)
}

/// The serialization of a parameter: its `style` where the location allows it, else the
/// location's default; `explode` defaults to true for `form` only.
pub(crate) fn style(location: ParamLocation, style: Option<&str>, explode: Option<bool>) -> Style {
    let location_default = match location {
        ParamLocation::Path | ParamLocation::Header => "simple",
        ParamLocation::Query | ParamLocation::Cookie | ParamLocation::QueryString => "form",
    };
    let allowed: &[&str] = match location {
        ParamLocation::Path => &["simple", "label", "matrix"],
        ParamLocation::Header => &["simple"],
        ParamLocation::Query => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        ParamLocation::Cookie | ParamLocation::QueryString => &["form"],
    };
    let name = style
        .filter(|s| allowed.contains(s))
        .unwrap_or(location_default);
    let explode = explode.unwrap_or(name == "form");
    match name {
        "label" => Style::Label { explode },
        "matrix" => Style::Matrix { explode },
        "simple" => Style::Simple { explode },
        "spaceDelimited" => Style::SpaceDelimited,
        "pipeDelimited" => Style::PipeDelimited,
        "deepObject" => Style::DeepObject,
        _ => Style::Form { explode },
    }
}

pub(crate) fn path_placeholders(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        if !name.is_empty() && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        rest = &rest[start + len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_of_a_path() {
        assert_eq!(path_placeholders("/a/{b}/c/{d}.json"), vec!["b", "d"]);
        assert_eq!(path_placeholders("/a/{b}/{b}/{}"), vec!["b"]);
    }
}
