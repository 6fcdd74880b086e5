//! Request bodies and the choice among media types.

use super::Lowerer;
use crate::error::Result;
use crate::ir::{Body, BodyKind, FormPart, TypeDef, TypeKind, TypeRef};
use crate::normalize::document::{self as doc, Media};

/// How a media type is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// A media type without its parameters, in lower case.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub(crate) fn media_kind(media_type: &str) -> MediaKind {
    let essence = essence(media_type);
    if essence == "application/json" || essence.ends_with("+json") || essence.contains("/json") {
        MediaKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        MediaKind::Form
    } else if essence == "multipart/form-data" || essence == "multipart/mixed" {
        MediaKind::Multipart
    } else if essence.starts_with("text/") {
        MediaKind::Text
    } else {
        MediaKind::Bytes
    }
}

/// How a response of `media_type` is framed when it is a sequence of items read as they arrive:
/// server-sent events, or one JSON text per record.
pub(crate) fn sequence_framing(media_type: &str) -> Option<crate::ir::Framing> {
    match essence(media_type).as_str() {
        "text/event-stream" => Some(crate::ir::Framing::ServerSentEvents),
        "application/jsonl"
        | "application/x-jsonlines"
        | "application/x-ndjson"
        | "application/json-seq"
        | "application/stream+json" => Some(crate::ir::Framing::JsonLines),
        _ => None,
    }
}

/// Among media types of one kind, the standard one first (`application/json` before a
/// vendor's `+json`, before `text/json`), wildcards last.
pub(crate) fn media_rank(media_type: &str) -> u8 {
    let essence = essence(media_type);
    if essence.contains('*') {
        3
    } else if matches!(
        essence.as_str(),
        "application/json"
            | "application/x-www-form-urlencoded"
            | "multipart/form-data"
            | "text/plain"
            | "application/octet-stream"
    ) {
        0
    } else if essence.starts_with("application/") {
        1
    } else {
        2
    }
}

/// The media type a client uses among several: JSON first, then forms, text, bytes.
pub(crate) fn pick_media(content: &[Media]) -> Option<(&Media, MediaKind)> {
    content
        .iter()
        .map(|m| (m, media_kind(&m.media_type)))
        .min_by_key(|(m, kind)| {
            (
                *kind,
                media_rank(&m.media_type),
                m.media_type.len(),
                m.media_type.clone(),
            )
        })
}

/// Whether two media types of a body carry the same thing: read and written alike, with the
/// same schema.
pub(crate) fn same_payload(root: &serde_json::Value, a: &Media, b: &Media) -> bool {
    let schema = |m: &Media| {
        m.schema
            .as_deref()
            .and_then(|p| crate::pointer::get(root, p))
    };
    media_kind(&a.media_type) == media_kind(&b.media_type)
        && (a.schema == b.schema || schema(a) == schema(b))
}

pub(crate) fn lower_body(
    l: &mut Lowerer<'_, '_>,
    body: &doc::RequestBody,
    type_base: &str,
) -> Result<Option<Body>> {
    let Some((media, kind)) = pick_media(&body.content) else {
        return Ok(None);
    };
    // Media types that carry the same payload as the one chosen (`text/json` beside
    // `application/json`, with one schema) lose nothing.
    let others: Vec<&str> = body
        .content
        .iter()
        .filter(|m| m.media_type != media.media_type && !same_payload(l.src.root, m, media))
        .map(|m| m.media_type.as_str())
        .collect();
    if !others.is_empty() {
        l.diag.warn(
            &body.pointer,
            format!(
                "the body is sent as {}; the other media types ({}) are not offered",
                media.media_type,
                others.join(", ")
            ),
        );
    }
    let hint = format!("{type_base}Body");
    let (ty, kind) = match kind {
        MediaKind::Json | MediaKind::Form | MediaKind::Multipart => {
            let ty = match &media.schema {
                Some(schema) => {
                    let typed = l.type_of(schema, &hint)?;
                    typed.holder()
                }
                None => TypeRef::Value,
            };
            let body_kind = match kind {
                MediaKind::Json => BodyKind::Json,
                MediaKind::Form => BodyKind::Form,
                _ => BodyKind::Multipart(form_parts(l, &ty)),
            };
            (ty, body_kind)
        }
        MediaKind::Text => (TypeRef::String, BodyKind::Text),
        MediaKind::Bytes => (TypeRef::Bytes, BodyKind::Bytes),
    };
    Ok(Some(Body {
        ty,
        kind,
        content_type: media.media_type.clone(),
        required: body.required,
        doc: body.description.clone(),
    }))
}

/// The parts of a multipart body whose type is a struct: one per field, binary fields as files.
/// `None` for other types: every property of the value becomes a part.
pub(crate) fn form_parts(l: &Lowerer<'_, '_>, ty: &TypeRef) -> Option<Vec<FormPart>> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let Some(TypeDef {
        kind: TypeKind::Struct(s),
        ..
    }) = l.types.get(name)
    else {
        return None;
    };
    Some(
        s.fields
            .iter()
            .map(|f| FormPart {
                name: f.json_name.clone(),
                field: f.name.clone(),
                file: holds_bytes(&f.ty),
            })
            .collect(),
    )
}

pub(crate) fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Box(inner) => holds_bytes(inner),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn media_preferences() {
        assert_eq!(media_kind("application/problem+json"), MediaKind::Json);
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("text/html"), MediaKind::Text);
        assert_eq!(media_kind("application/octet-stream"), MediaKind::Bytes);
        use crate::ir::Framing;
        assert_eq!(
            sequence_framing("text/event-stream; charset=utf-8"),
            Some(Framing::ServerSentEvents)
        );
        for lines in [
            "application/jsonl",
            "application/x-ndjson",
            "application/json-seq",
            "application/stream+json",
        ] {
            assert_eq!(sequence_framing(lines), Some(Framing::JsonLines), "{lines}");
        }
        assert_eq!(sequence_framing("application/json"), None);
        let media = |media_type: &str| Media {
            media_type: media_type.to_owned(),
            pointer: String::new(),
            schema: None,
            examples: Vec::new(),
            item_schema: None,
        };
        let pick = |types: &[&str]| {
            let content: Vec<Media> = types.iter().map(|t| media(t)).collect();
            pick_media(&content).map(|(m, _)| m.media_type.clone())
        };
        assert_eq!(
            pick(&[
                "text/json",
                "application/*+json",
                "application/json-patch+json",
                "application/json"
            ])
            .as_deref(),
            Some("application/json")
        );
        assert_eq!(
            pick(&[
                "text/json",
                "application/*+json",
                "application/vnd.api+json"
            ])
            .as_deref(),
            Some("application/vnd.api+json")
        );
        assert_eq!(
            pick(&["text/html", "text/plain"]).as_deref(),
            Some("text/plain")
        );
        assert_eq!(
            pick(&["multipart/form-data", "application/json"]).as_deref(),
            Some("application/json")
        );
    }
}
