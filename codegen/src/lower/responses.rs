//! Responses: statuses parsed once, split into successes (what a call returns) and errors (the
//! crate's `ErrorBody` variants).

use super::Lowerer;
use super::bodies::{MediaKind, pick_media, sequence_framing};
use super::inference::infer_type;
use crate::error::Result;
use crate::ir::{
    Decode, ErrorCase, ErrorDecode, ErrorVariant, Framing, Output, ResponseVariant, Status, Stream,
    SuccessCase, TypeKind, TypeRef,
};
use crate::names::{Namespace, pascal};
use crate::normalize::document as doc;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Default)]
pub(crate) struct ErrorVariants {
    by_type: BTreeMap<TypeRef, String>,
    names: Namespace,
    variants: BTreeMap<String, ErrorVariant>,
}

impl ErrorVariants {
    /// The variants made, sorted by name.
    pub(crate) fn into_variants(self) -> Vec<ErrorVariant> {
        self.variants.into_values().collect()
    }

    pub(crate) fn variant_for(&mut self, ty: &TypeRef, hint: &str) -> String {
        if let Some(name) = self.by_type.get(ty) {
            return name.clone();
        }
        let base = match ty {
            TypeRef::Named(name) => name.clone(),
            _ => pascal(hint, "Body"),
        };
        let name = self.names.claim(&base);
        self.by_type.insert(ty.clone(), name.clone());
        self.variants.insert(
            name.clone(),
            ErrorVariant {
                name: name.clone(),
                ty: ty.clone(),
            },
        );
        name
    }
}

pub(crate) fn parse_status(l: &mut Lowerer<'_, '_>, response: &doc::Response) -> Option<Status> {
    let key = response.status.as_str();
    if key == "default" {
        return Some(Status::Default);
    }
    if let Ok(code) = key.parse::<u16>()
        && (100..=599).contains(&code)
    {
        return Some(Status::Code(code));
    }
    let upper = key.to_ascii_uppercase();
    if upper.len() == 3
        && upper.ends_with("XX")
        && let Some(d) = upper[..1]
            .parse::<u16>()
            .ok()
            .filter(|d| (1..=5).contains(d))
    {
        return Some(Status::Range(d));
    }
    l.diag.warn(
        &response.pointer,
        format!(
            "expected a status code, `1XX`..`5XX` or `default`, found {key:?}; response ignored"
        ),
    );
    None
}

pub(crate) fn is_success(status: Status) -> bool {
    matches!(status, Status::Code(200..=299) | Status::Range(2))
}

/// The words for a status in type and variant names (`404` -> `NotFound`).
pub(crate) fn status_words(status: Status) -> String {
    match status {
        Status::Code(code) => match reason(code) {
            Some(reason) => pascal(reason, "Status"),
            None => format!("Status{code}"),
        },
        Status::Range(d) => format!("Status{d}xx"),
        Status::Default => "Default".to_owned(),
    }
}

pub(crate) fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        200 => "ok",
        201 => "created",
        202 => "accepted",
        203 => "non authoritative information",
        204 => "no content",
        205 => "reset content",
        206 => "partial content",
        207 => "multi status",
        300 => "multiple choices",
        301 => "moved permanently",
        302 => "found",
        303 => "see other",
        304 => "not modified",
        307 => "temporary redirect",
        308 => "permanent redirect",
        400 => "bad request",
        401 => "unauthorized",
        402 => "payment required",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        406 => "not acceptable",
        409 => "conflict",
        410 => "gone",
        412 => "precondition failed",
        413 => "payload too large",
        415 => "unsupported media type",
        422 => "unprocessable entity",
        423 => "locked",
        429 => "too many requests",
        500 => "internal server error",
        501 => "not implemented",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => return None,
    })
}

/// What an operation's responses come to.
pub(crate) struct Responses {
    pub output: Output,
    pub stream: Option<Stream>,
    pub success: Vec<SuccessCase>,
    /// The `Accept` header: every media type a success can come in.
    pub accept: Option<String>,
    pub errors: Vec<ErrorCase>,
}

/// Reads each response's status once, then lowers the successes and the errors.
pub(crate) fn lower_responses(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    method: &str,
    type_base: &str,
    variants: &mut ErrorVariants,
) -> Result<Responses> {
    let statuses: Vec<(Status, &doc::Response)> = op
        .responses
        .iter()
        .filter_map(|r| parse_status(l, r).map(|s| (s, r)))
        .collect();
    let any_success = statuses.iter().any(|(s, _)| is_success(*s));
    // Without any 2xx response, `default` describes success (as some documents use it).
    let (successes, failures): (Vec<_>, Vec<_>) = statuses
        .into_iter()
        .partition(|(s, _)| is_success(*s) || (!any_success && *s == Status::Default));
    let stream = lower_stream(l, type_base, &successes)?;
    let (output, success, accept) = if stream.is_some()
        && successes.iter().all(|(_, r)| {
            r.content
                .iter()
                .all(|m| sequence_framing(&m.media_type).is_some())
        }) {
        let media = stream.as_ref().map(|s| s.media_type.clone());
        (Output::Stream, Vec::new(), media)
    } else {
        lower_success(l, op, method, type_base, &successes)?
    };
    let errors = lower_errors(l, op, type_base, &failures, variants)?;
    Ok(Responses {
        stream,
        output,
        success,
        accept,
        errors,
    })
}

type SuccessParts = (Output, Vec<SuccessCase>, Option<String>);

/// The first success that comes as a sequence (server-sent events, JSON lines), with the type
/// of its items: from `itemSchema`. For server-sent events the item schema describes the event
/// (`data`, `event`, `id`, `retry`), and `data` with a `contentSchema` (and `contentMediaType`
/// JSON) gives the payload; an item schema without a `data` property is taken as the payload's.
fn lower_stream(
    l: &mut Lowerer<'_, '_>,
    type_base: &str,
    successes: &[(Status, &doc::Response)],
) -> Result<Option<Stream>> {
    let Some((media, framing)) = successes.iter().find_map(|(_, r)| {
        r.content
            .iter()
            .find_map(|m| sequence_framing(&m.media_type).map(|f| (m, f)))
    }) else {
        return Ok(None);
    };
    let hint = format!("{type_base}Event");
    let item = match &media.item_schema {
        None => None,
        Some(pointer) => {
            let payload = match framing {
                Framing::ServerSentEvents => sse_payload(l, pointer)?,
                Framing::JsonLines => Some(pointer.clone()),
            };
            match payload {
                Some(pointer) => Some(l.type_of(&pointer, &hint)?.holder()),
                None => None,
            }
        }
    };
    Ok(Some(Stream {
        framing,
        media_type: media.media_type.clone(),
        item,
        terminal: None,
        mode: None,
        resumable: false,
    }))
}

/// Where the JSON payload of a server-sent event is described: the `contentSchema` of the item
/// schema's `data`, or the item schema itself when it does not describe an event. `None`: the
/// data is text of no declared schema, and items stay raw events.
fn sse_payload(l: &mut Lowerer<'_, '_>, item: &str) -> Result<Option<String>> {
    let (at, value) = l.src.resolve(item)?;
    let Some(data) = value.get("properties").and_then(|p| p.get("data")) else {
        return Ok(Some(at));
    };
    let data_at = format!("{at}/properties/data");
    let (data_at, data) = if data.get("$ref").is_some() {
        l.src.resolve(&data_at)?
    } else {
        (data_at, data)
    };
    if data.get("contentSchema").is_some() {
        let json = data
            .get("contentMediaType")
            .and_then(serde_json::Value::as_str)
            .is_none_or(|m| super::bodies::media_kind(m) == MediaKind::Json);
        if json {
            return Ok(Some(format!("{data_at}/contentSchema")));
        }
    }
    if data.get("type").and_then(serde_json::Value::as_str) == Some("object") {
        // The data described as JSON directly.
        return Ok(Some(data_at));
    }
    Ok(None)
}

fn lower_success(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    method: &str,
    type_base: &str,
    successes: &[(Status, &doc::Response)],
) -> Result<SuccessParts> {
    if successes.is_empty() {
        if op.responses.is_empty() {
            l.diag.warn(
                &op.pointer,
                "the operation documents no responses; its method returns the raw response",
            );
        } else {
            l.diag.warn(&op.pointer, "the operation documents no successful response; its method returns the raw response");
        }
        return Ok((Output::Raw, Vec::new(), None));
    }
    let single = successes.len() == 1;
    let mut cases = Vec::new();
    // Every media type a success can come in, so that no documented success is refused.
    let mut accepted: Vec<String> = Vec::new();
    for &(status, response) in successes {
        let hint = if single {
            format!("{type_base}Response")
        } else {
            format!("{type_base}{}", status_words(status))
        };
        let hint = match &response.component {
            Some(component) => pascal(component, "Response"),
            None => hint,
        };
        let mut within = None;
        // Sequences are the stream's; the blocking answer is read from the others.
        let blocking: Vec<doc::Media> = response
            .content
            .iter()
            .filter(|m| sequence_framing(&m.media_type).is_none())
            .cloned()
            .collect();
        let decode = match pick_media(&blocking) {
            None => Decode::Empty,
            Some((media, kind)) => {
                if !accepted.contains(&media.media_type) {
                    accepted.push(media.media_type.clone());
                }
                match kind {
                    MediaKind::Json | MediaKind::Form => match &media.schema {
                        Some(schema) => {
                            let schema = match l.envelope_of(schema)? {
                                Some((inner, key)) => {
                                    within = Some(key);
                                    inner
                                }
                                None => schema.clone(),
                            };
                            let typed = l.type_of(&schema, &hint)?;
                            Decode::Json(typed.holder())
                        }
                        None => Decode::Json(TypeRef::Value),
                    },
                    MediaKind::Text => Decode::Text,
                    MediaKind::Bytes | MediaKind::Multipart => Decode::Bytes,
                }
            }
        };
        // `default` standing for success covers the 2xx statuses only.
        let status = if status == Status::Default {
            Status::Range(2)
        } else {
            status
        };
        cases.push(SuccessCase {
            status,
            decode,
            variant: None,
            within,
        });
    }
    let accept = (!accepted.is_empty()).then(|| accepted.join(", "));
    let first = cases[0].decode.clone();
    if cases.iter().all(|c| c.decode == first) {
        let ty = match first {
            Decode::Json(ty) => ty,
            Decode::Text => TypeRef::String,
            Decode::Bytes => TypeRef::Bytes,
            Decode::Empty => TypeRef::Unit,
        };
        return Ok((Output::Single(ty), cases, accept));
    }
    // Several success types: an enum with a variant per status.
    let enum_name = l.type_names.claim(&format!("{type_base}Response"));
    let mut variant_names = Namespace::pascal();
    let mut variants = Vec::new();
    for case in &mut cases {
        let name = variant_names.claim(&status_words(case.status));
        variants.push(ResponseVariant {
            name: name.clone(),
            status: case.status,
            ty: match &case.decode {
                Decode::Json(ty) => Some(ty.clone()),
                Decode::Text => Some(TypeRef::String),
                Decode::Bytes => Some(TypeRef::Bytes),
                Decode::Empty => None,
            },
        });
        case.variant = Some(name);
    }
    let doc = format!(
        "What [`Client::{method}`](crate::Client::{method}) returns: one variant per documented success status."
    );
    l.define(
        enum_name.clone(),
        Some(doc),
        &format!("{}/responses", op.pointer),
        TypeKind::Responses(variants),
    );
    Ok((Output::Several(enum_name), cases, accept))
}

fn lower_errors(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    type_base: &str,
    failures: &[(Status, &doc::Response)],
    variants: &mut ErrorVariants,
) -> Result<Vec<ErrorCase>> {
    // Error responses documented by examples alone share one inferred type per operation.
    let mut inferred: Option<TypeRef> = None;
    let values: Vec<&Value> = failures
        .iter()
        .filter_map(|(_, r)| pick_media(&r.content))
        .filter(|(media, kind)| *kind == MediaKind::Json && media.schema.is_none())
        .flat_map(|(media, _)| media.examples.iter())
        .collect();
    if !values.is_empty() {
        let name = format!("{type_base}Error");
        let at = format!("{}/responses", op.pointer);
        let ty = infer_type(l, &values, &name, &at);
        inferred = Some(ty);
    }

    let mut cases = Vec::new();
    for &(status, response) in failures {
        let hint = match &response.component {
            Some(component) => pascal(component, "Error"),
            None if status == Status::Default => format!("{type_base}Error"),
            None => format!("{type_base}{}Error", status_words(status)),
        };
        let decode = match pick_media(&response.content) {
            Some((media, MediaKind::Json)) => match (&media.schema, &inferred) {
                (Some(schema), _) => {
                    let typed = l.type_of(schema, &hint)?;
                    let ty = typed.holder();
                    ErrorDecode::Json(variants.variant_for(&ty, &hint))
                }
                (None, Some(ty)) if !media.examples.is_empty() => {
                    ErrorDecode::Json(variants.variant_for(ty, &hint))
                }
                (None, _) => ErrorDecode::Untyped,
            },
            Some((_, MediaKind::Text)) => {
                ErrorDecode::Text(variants.variant_for(&TypeRef::String, "Text"))
            }
            _ => ErrorDecode::Untyped,
        };
        cases.push(ErrorCase { status, decode });
    }
    Ok(cases)
}
