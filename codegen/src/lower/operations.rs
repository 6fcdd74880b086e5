//! Operations, parameters, bodies, responses and security schemes.

use super::Lowerer;
use crate::error::Result;
use crate::ir::{
    Body, BodyKind, Decode, ErrorCase, ErrorDecode, ErrorVariant, Field, FormPart, Location,
    Operation, Output, Param, Scheme, SchemeKind, Status, Struct, Style, SuccessCase, TypeDef,
    TypeKind, TypeRef,
};
use crate::names::{Namespace, pascal, screaming, singular, snake};
use crate::normalize::document::{self as doc, Document, Media, ParamLocation};
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) struct Lowered {
    pub schemes: Vec<Scheme>,
    pub operations: Vec<Operation>,
    pub error_variants: Vec<ErrorVariant>,
}

/// Builder methods of the generated `ClientBuilder`, which scheme setters must not take.
const BUILDER_METHODS: [&str; 6] = [
    "base_url",
    "http_client",
    "timeout",
    "build",
    "new",
    "default",
];
/// Inherent methods of the generated `Client`, which operation methods must not take.
const CLIENT_METHODS: [&str; 6] = ["new", "builder", "base_url", "transport", "clone", "fmt"];
/// Names `requests.rs` uses unqualified, which request builder types must not hide.
const REQUESTS_MODULE_NAMES: [&str; 22] = [
    "Client",
    "Error",
    "ErrorBody",
    "Request",
    "Method",
    "BoxFuture",
    "QueryStyle",
    "IntoFuture",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Into",
    "From",
    "Send",
    "Sync",
    "Self_",
];

/// Fields and methods of every request builder, which parameter names must not take.
const REQUEST_MEMBERS: [&str; 4] = ["client", "body", "send", "into_future"];

pub(crate) fn lower_operations(l: &mut Lowerer<'_, '_>, document: &Document) -> Result<Lowered> {
    let schemes = lower_schemes(document);
    let names = operation_names(&document.operations);
    let mut builders = Namespace::pascal();
    builders.reserve(REQUESTS_MODULE_NAMES);
    let mut errors = ErrorVariants::default();
    let mut operations = Vec::new();
    for (op, name) in document.operations.iter().zip(names) {
        let builder = builders.claim(&pascal(&name, "Operation"));
        operations.push(lower_operation(
            l,
            op,
            name,
            builder,
            &schemes,
            &mut errors,
        )?);
    }
    Ok(Lowered {
        schemes,
        operations,
        error_variants: errors.variants.into_values().collect(),
    })
}

/// Webhooks are requests the API makes, not ones a client sends: only their payload types are
/// generated, so a receiver can decode them.
pub(crate) fn lower_webhook(l: &mut Lowerer<'_, '_>, hook: &doc::Operation) -> Result<()> {
    if let Some(body) = &hook.request_body {
        for media in &body.content {
            if let Some(schema) = &media.schema {
                let hint = format!("{}Payload", pascal(&hook.path, "Webhook"));
                l.type_of(schema, &hint)?;
            }
        }
    }
    Ok(())
}

fn lower_schemes(document: &Document) -> Vec<Scheme> {
    let mut setters = Namespace::snake();
    setters.reserve(BUILDER_METHODS);
    let mut constants = Namespace::snake();
    // The client module's own constant.
    constants.reserve(["USER_AGENT"]);
    let mut out = Vec::new();
    for scheme in &document.security_schemes {
        let kind = match &scheme.kind {
            doc::SchemeKind::ApiKey { location, name } => SchemeKind::ApiKey {
                location: match location {
                    ParamLocation::Query => "Query",
                    ParamLocation::Cookie => "Cookie",
                    _ => "Header",
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

/// Method names: `x-speakeasy-name-override`, else `operationId` in snake case, else a name made
/// from method and path (`GET /workflows/{id}` -> `get_workflow`), longer where short ones clash.
fn operation_names(ops: &[doc::Operation]) -> Vec<String> {
    let mut names = Namespace::snake();
    names.reserve(CLIENT_METHODS);
    let explicit: Vec<Option<String>> = ops
        .iter()
        .map(|op| {
            op.name_override
                .as_deref()
                .or(op.operation_id.as_deref())
                .map(|id| snake(id, "operation"))
        })
        .collect();
    let candidates: Vec<Vec<String>> = ops
        .iter()
        .map(|op| derived_names(&op.method, &op.path))
        .collect();
    let mut level = vec![0usize; ops.len()];
    let pick = |i: usize, level: &[usize]| -> String {
        let c = &candidates[i];
        c[level[i].min(c.len() - 1)].clone()
    };
    loop {
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for (i, e) in explicit.iter().enumerate() {
            let name = e.clone().unwrap_or_else(|| pick(i, &level));
            *count.entry(name).or_default() += 1;
        }
        let mut bumped = false;
        for i in 0..ops.len() {
            if explicit[i].is_none()
                && count[&pick(i, &level)] > 1
                && level[i] + 1 < candidates[i].len()
            {
                level[i] += 1;
                bumped = true;
            }
        }
        if !bumped {
            break;
        }
    }
    (0..ops.len())
        .map(|i| {
            let base = explicit[i].clone().unwrap_or_else(|| pick(i, &level));
            names.claim(&base)
        })
        .collect()
}

/// Names for an operation without `operationId`, from shortest to most specific.
fn derived_names(method: &str, path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let is_param = |s: &&str| s.starts_with('{') && s.ends_with('}');
    // A collection segment followed by a parameter names one item: `/users/{id}` -> `user`.
    let statics: Vec<String> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_param(s))
        .map(|(i, s)| match segments.get(i + 1) {
            Some(next) if is_param(next) => singular(s),
            _ => s.to_string(),
        })
        .collect();
    let params: Vec<&str> = segments
        .iter()
        .filter(|s| is_param(s))
        .map(|s| &s[1..s.len() - 1])
        .collect();
    let noun = statics.last().cloned().unwrap_or_else(|| "root".to_owned());
    let mut out = vec![snake(&format!("{method} {noun}"), "operation")];
    if statics.len() > 1 {
        out.push(snake(
            &format!("{method} {}", statics.join(" ")),
            "operation",
        ));
    }
    if !params.is_empty() {
        let all = if statics.is_empty() {
            "root".to_owned()
        } else {
            statics.join(" ")
        };
        out.push(snake(
            &format!("{method} {all} by {}", params.join(" and ")),
            "operation",
        ));
    }
    out
}

#[derive(Default)]
struct ErrorVariants {
    by_type: BTreeMap<TypeRef, String>,
    names: Namespace,
    variants: BTreeMap<String, ErrorVariant>,
}

impl ErrorVariants {
    fn variant_for(&mut self, ty: &TypeRef, hint: &str) -> String {
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

fn lower_operation(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    name: String,
    builder: String,
    schemes: &[Scheme],
    errors: &mut ErrorVariants,
) -> Result<Operation> {
    let type_base = pascal(&name, "Operation");
    let params = lower_params(l, op, &type_base)?;
    let body = match &op.request_body {
        Some(body) => lower_body(l, body, &type_base)?,
        None => None,
    };
    let (output, success, accept) = lower_success(l, op, &type_base)?;
    let error_cases = lower_errors(l, op, &type_base, errors)?;
    let security = lower_security(l, op, schemes);
    Ok(Operation {
        name,
        builder,
        method: op.method.to_ascii_uppercase(),
        path: op.path.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        params,
        body,
        output,
        accept,
        success,
        errors: error_cases,
        security,
    })
}

fn lower_params(
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
            l.src.warn(
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
            },
            ty,
            required: p.required,
            style,
            doc: p.description.clone(),
        });
    }
    for placeholder in placeholders {
        let declared = params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == placeholder);
        if !declared {
            l.src.warn(
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
            });
        }
    }
    Ok(params)
}

/// The serialization of a parameter: its `style` where the location allows it, else the
/// location's default; `explode` defaults to true for `form` only.
fn style(location: ParamLocation, style: Option<&str>, explode: Option<bool>) -> Style {
    let location_default = match location {
        ParamLocation::Path | ParamLocation::Header => "simple",
        ParamLocation::Query | ParamLocation::Cookie => "form",
    };
    let allowed: &[&str] = match location {
        ParamLocation::Path => &["simple", "label", "matrix"],
        ParamLocation::Header => &["simple"],
        ParamLocation::Query => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        ParamLocation::Cookie => &["form"],
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

fn path_placeholders(path: &str) -> Vec<String> {
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

/// How a media type is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Form,
    Multipart,
    Text,
    Bytes,
}

/// A media type without its parameters, in lower case.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn media_kind(media_type: &str) -> MediaKind {
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

/// Among media types of one kind, the standard one first (`application/json` before a
/// vendor's `+json`, before `text/json`), wildcards last.
fn media_rank(media_type: &str) -> u8 {
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
fn pick_media(content: &[Media]) -> Option<(&Media, MediaKind)> {
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
fn same_payload(root: &serde_json::Value, a: &Media, b: &Media) -> bool {
    let schema = |m: &Media| {
        m.schema
            .as_deref()
            .and_then(|p| crate::pointer::get(root, p))
    };
    media_kind(&a.media_type) == media_kind(&b.media_type)
        && (a.schema == b.schema || schema(a) == schema(b))
}

fn lower_body(
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
        l.src.warn(
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
                    if typed.nullable {
                        typed.ty.option()
                    } else {
                        typed.ty
                    }
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
fn form_parts(l: &Lowerer<'_, '_>, ty: &TypeRef) -> Option<Vec<FormPart>> {
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

fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Bytes => true,
        TypeRef::Option(inner) | TypeRef::Vec(inner) | TypeRef::Box(inner) => holds_bytes(inner),
        _ => false,
    }
}

fn parse_status(l: &mut Lowerer<'_, '_>, response: &doc::Response) -> Option<Status> {
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
    l.src.warn(
        &response.pointer,
        format!(
            "expected a status code, `1XX`..`5XX` or `default`, found {key:?}; response ignored"
        ),
    );
    None
}

fn is_success(status: Status) -> bool {
    matches!(status, Status::Code(200..=299) | Status::Range(2))
}

/// The words for a status in type and variant names (`404` -> `NotFound`).
fn status_words(status: Status) -> String {
    match status {
        Status::Code(code) => match reason(code) {
            Some(reason) => pascal(reason, "Status"),
            None => format!("Status{code}"),
        },
        Status::Range(d) => format!("Status{d}xx"),
        Status::Default => "Default".to_owned(),
    }
}

fn reason(code: u16) -> Option<&'static str> {
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

type SuccessParts = (Output, Vec<SuccessCase>, Option<String>);

fn lower_success(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    type_base: &str,
) -> Result<SuccessParts> {
    let statuses: Vec<(Status, &doc::Response)> = op
        .responses
        .iter()
        .filter_map(|r| parse_status(l, r).map(|s| (s, r)))
        .collect();
    let any_success = statuses.iter().any(|(s, _)| is_success(*s));
    // Without any 2xx response, `default` describes success (as some documents use it).
    let successes: Vec<(Status, &doc::Response)> = statuses
        .into_iter()
        .filter(|(s, _)| is_success(*s) || (!any_success && *s == Status::Default))
        .collect();
    if successes.is_empty() {
        if op.responses.is_empty() {
            l.src.warn(
                &op.pointer,
                "the operation documents no responses; its method returns the raw response",
            );
        } else {
            l.src.warn(&op.pointer, "the operation documents no successful response; its method returns the raw response");
        }
        return Ok((Output::Raw, Vec::new(), None));
    }
    let single = successes.len() == 1;
    let mut cases = Vec::new();
    // Every media type a success can come in, so that no documented success is refused.
    let mut accepted: Vec<String> = Vec::new();
    for (status, response) in &successes {
        let hint = if single {
            format!("{type_base}Response")
        } else {
            format!("{type_base}{}", status_words(*status))
        };
        let hint = match &response.component {
            Some(component) => pascal(component, "Response"),
            None => hint,
        };
        let mut within = None;
        let decode = match pick_media(&response.content) {
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
                            Decode::Json(if typed.nullable {
                                typed.ty.option()
                            } else {
                                typed.ty
                            })
                        }
                        None => Decode::Json(TypeRef::Value),
                    },
                    MediaKind::Text => Decode::Text,
                    MediaKind::Bytes | MediaKind::Multipart => Decode::Bytes,
                }
            }
        };
        // `default` standing for success covers the 2xx statuses only.
        let status = if *status == Status::Default {
            Status::Range(2)
        } else {
            *status
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
    for case in &mut cases {
        case.variant = Some(variant_names.claim(&status_words(case.status)));
    }
    Ok((Output::Several(enum_name), cases, accept))
}

fn lower_errors(
    l: &mut Lowerer<'_, '_>,
    op: &doc::Operation,
    type_base: &str,
    variants: &mut ErrorVariants,
) -> Result<Vec<ErrorCase>> {
    let statuses: Vec<(Status, &doc::Response)> = op
        .responses
        .iter()
        .filter_map(|r| parse_status(l, r).map(|s| (s, r)))
        .collect();
    let any_success = statuses.iter().any(|(s, _)| is_success(*s));
    let failures: Vec<(Status, &doc::Response)> = statuses
        .into_iter()
        .filter(|(s, _)| !is_success(*s) && (any_success || *s != Status::Default))
        .collect();

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
    for (status, response) in failures {
        let hint = match &response.component {
            Some(component) => pascal(component, "Error"),
            None if status == Status::Default => format!("{type_base}Error"),
            None => format!("{type_base}{}Error", status_words(status)),
        };
        let decode = match pick_media(&response.content) {
            Some((media, MediaKind::Json)) => match (&media.schema, &inferred) {
                (Some(schema), _) => {
                    let typed = l.type_of(schema, &hint)?;
                    let ty = if typed.nullable {
                        typed.ty.option()
                    } else {
                        typed.ty
                    };
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

/// A type for JSON documented only by example values. Every property is optional: the examples
/// show what a body may hold, not what it must.
fn infer_type(l: &mut Lowerer<'_, '_>, values: &[&Value], hint: &str, pointer: &str) -> TypeRef {
    let non_null: Vec<&Value> = values.iter().copied().filter(|v| !v.is_null()).collect();
    let Some(first) = non_null.first() else {
        return TypeRef::Value;
    };
    let same_kind = non_null
        .iter()
        .all(|v| std::mem::discriminant(*v) == std::mem::discriminant(*first));
    if !same_kind {
        return TypeRef::Value;
    }
    match first {
        Value::Bool(_) => TypeRef::Bool,
        Value::Number(_) if non_null.iter().all(|v| v.is_i64()) => TypeRef::Integer("i64"),
        Value::Number(_) => TypeRef::Float,
        Value::String(_) => TypeRef::String,
        Value::Array(_) => {
            let items: Vec<&Value> = non_null
                .iter()
                .filter_map(|v| v.as_array())
                .flatten()
                .collect();
            infer_type(l, &items, &format!("{hint}Item"), pointer).vec()
        }
        Value::Object(_) => {
            let mut keys: Vec<&String> = non_null
                .iter()
                .filter_map(|v| v.as_object())
                .flat_map(|m| m.keys())
                .collect();
            keys.sort();
            keys.dedup();
            let name = l.type_names.claim(hint);
            let mut field_names = Namespace::snake();
            let mut fields = Vec::new();
            for key in keys {
                let children: Vec<&Value> = non_null
                    .iter()
                    .filter_map(|v| v.get(key.as_str()))
                    .collect();
                let ty = infer_type(
                    l,
                    &children,
                    &format!("{name}{}", pascal(key, "Field")),
                    pointer,
                );
                fields.push(Field {
                    name: field_names.claim(&snake(key, "field")),
                    json_name: key.clone(),
                    ty: ty.option(),
                    skip_if_none: true,
                    required_nullable: false,
                    default: None,
                    doc: None,
                    deprecated: false,
                });
            }
            l.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    doc: Some(format!(
                        "Inferred from the examples under `{pointer}`: the document gives them no schema, so every field is optional."
                    )),
                    pointer: pointer.to_owned(),
                    kind: TypeKind::Struct(Struct { fields, additional: None }),
                },
            );
            TypeRef::Named(name)
        }
        Value::Null => TypeRef::Value,
    }
}

fn lower_security(
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
            l.src.warn(
                &op.pointer,
                format!("security requirement {alternative:?} names schemes the client cannot apply ({unknown:?}); skipped"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_operation_names() {
        assert_eq!(
            derived_names("get", "/workflows/{runId}")[0],
            "get_workflow"
        );
        assert_eq!(
            derived_names("get", "/api/chats/{chatId}/workflow-runs")[0],
            "get_workflow_runs"
        );
        assert_eq!(derived_names("get", "/")[0], "get_root");
        assert_eq!(
            derived_names("delete", "/users/{id}/keys/{key}"),
            vec![
                "delete_key",
                "delete_user_key",
                "delete_user_key_by_id_and_key"
            ]
        );
    }

    #[test]
    fn clashing_derived_names_get_longer() {
        let op = |method: &str, path: &str| doc::Operation {
            pointer: String::new(),
            path: path.to_owned(),
            method: method.to_owned(),
            operation_id: None,
            name_override: None,
            summary: None,
            description: None,
            deprecated: false,
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: None,
        };
        let names = operation_names(&[
            op("get", "/users/{id}/repos"),
            op("get", "/orgs/{id}/repos"),
            op("get", "/status"),
        ]);
        assert_eq!(names, vec!["get_user_repos", "get_org_repos", "get_status"]);
    }

    #[test]
    fn media_preferences() {
        assert_eq!(media_kind("application/problem+json"), MediaKind::Json);
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            MediaKind::Json
        );
        assert_eq!(media_kind("text/html"), MediaKind::Text);
        assert_eq!(media_kind("application/octet-stream"), MediaKind::Bytes);
        assert_eq!(path_placeholders("/a/{b}/c/{d}.json"), vec!["b", "d"]);
        let media = |media_type: &str| Media {
            media_type: media_type.to_owned(),
            pointer: String::new(),
            schema: None,
            examples: Vec::new(),
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
