//! Security schemes (builder setters and constants) and each operation's requirements.

use super::Lowerer;
use crate::ir::{Location, Scheme, SchemeKind};
use crate::names::{Namespace, screaming, snake};
use crate::normalize::document::{self as doc, Document, ParamLocation};
use crate::vocabulary::{BUILDER_METHODS, CLIENT_CONSTANTS};

pub(crate) fn lower_schemes(document: &Document) -> Vec<Scheme> {
    let mut setters = Namespace::snake();
    setters.reserve(BUILDER_METHODS);
    let mut constants = Namespace::snake();
    constants.reserve(CLIENT_CONSTANTS);
    let mut out = Vec::new();
    for scheme in &document.security_schemes {
        let kind = match &scheme.kind {
            doc::SchemeKind::ApiKey { location, name } => SchemeKind::ApiKey {
                location: match location {
                    ParamLocation::Query => Location::Query,
                    ParamLocation::Cookie => Location::Cookie,
                    _ => Location::Header,
                },
                name: name.clone(),
            },
            doc::SchemeKind::Bearer { .. } | doc::SchemeKind::OAuth2 => SchemeKind::Bearer,
            doc::SchemeKind::Basic => SchemeKind::Basic,
            doc::SchemeKind::Unsupported(_) => continue,
        };
        out.push(Scheme {
            name: scheme.name.clone(),
            setter: setters.claim(&snake(&scheme.name, "credential")),
            constant: constants
                .claim(&screaming(&scheme.name, "SCHEME"))
                .to_ascii_uppercase(),
            kind,
            description: scheme.description.clone(),
        });
    }
    out
}

pub(crate) fn lower_security(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    schemes: &[Scheme],
) -> Vec<Vec<String>> {
    let Some(requirements) = &op.security else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for alternative in requirements {
        let unknown: Vec<&String> = alternative
            .iter()
            .filter(|name| !schemes.iter().any(|s| &s.name == *name))
            .collect();
        if unknown.is_empty() {
            out.push(alternative.clone());
        } else {
            l.diag.warn(
                &op.pointer,
                format!("security requirement {alternative:?} names schemes the client cannot apply ({unknown:?}); skipped"),
            );
        }
    }
    out
}
