//! Watching a workflow run: the settings' paths (`lifecycle.status`) resolved to the generated
//! types' fields, and the status mapping checked against the values the document lists.

use super::access::{describe, plain, resolve, same_kind};
use super::{Lowerer, operation_named};
use crate::config::{RunEventSettings, RunSettings};
use crate::error::{Error, Result};
use crate::ir::{
    AccessStep, EventArg, Leaf, Operation, Output, RunEvents, RunState, RunWatch, SetValue,
    TypeKind, TypeRef,
};
use crate::normalize::document as doc;

/// The [`RunWatch`] the settings describe. `config` names the settings file in errors.
pub(crate) fn lower_run_watch(
    l: &mut Lowerer<'_, '_>,
    settings: &RunSettings,
    config: &str,
    documented: &[doc::Operation],
    operations: &[Operation],
) -> Result<RunWatch> {
    let err = |key: &str, message: String| Error::new(config, &format!("/run/{key}"), message);
    let index =
        operation_named(documented, &settings.operation).map_err(|m| err("operation", m))?;
    let op = &operations[index];
    let answer = match &op.output {
        Output::Single(ty @ TypeRef::Named(_)) => ty.clone(),
        _ => {
            return Err(err(
                "operation",
                format!(
                    "expected {:?} to answer one JSON type, found several or none",
                    settings.operation
                ),
            ));
        }
    };
    let (list, run_type) = match &settings.list {
        Some(path) => {
            let (access, item) = resolve(l, &answer, path).map_err(|m| err("list", m))?;
            if access.leaf != Leaf::List
                || access
                    .steps
                    .iter()
                    .any(|s| matches!(s, AccessStep::Field { optional: true, .. }))
            {
                return Err(err(
                    "list",
                    format!("expected `{path}` to be a required list of runs"),
                ));
            }
            (Some(access), item)
        }
        None => (None, answer),
    };
    let Some(run_name) = run_type.named().map(str::to_owned) else {
        return Err(err(
            "operation",
            "expected a run to be an object".to_owned(),
        ));
    };
    let field = |key: &str, path: &Option<String>, l: &mut Lowerer<'_, '_>, allowed: &[Leaf]| {
        path.as_deref()
            .map(|path| {
                let (access, _) = resolve(l, &run_type, path).map_err(|m| err(key, m))?;
                if allowed.iter().any(|a| same_kind(*a, access.leaf)) {
                    Ok(access)
                } else {
                    Err(err(
                        key,
                        format!(
                            "expected `{path}` to hold {}, found {}",
                            describe(allowed),
                            describe(&[access.leaf])
                        ),
                    ))
                }
            })
            .transpose()
    };
    let text = [Leaf::Text, Leaf::Enum, Leaf::Tag];
    let status = field("status", &Some(settings.status.clone()), l, &text)?
        .ok_or_else(|| err("status", "expected the status's place".to_owned()))?;
    let id = field(
        "id",
        &settings.id,
        l,
        &[Leaf::Text, Leaf::Enum, Leaf::Uuid, Leaf::Integer("")],
    )?;
    let times = [Leaf::DateTime, Leaf::Integer(""), Leaf::Text];
    let started = field("started", &settings.started, l, &times)?;
    let finished = field("finished", &settings.finished, l, &times)?;
    let statuses = mapping(settings);
    check_mapping(l, &run_type, &settings.status, &statuses);
    let events = settings
        .events
        .as_ref()
        .map(|events| lower_events(events, config, op, documented, operations))
        .transpose()?;
    Ok(RunWatch {
        run_type: run_name,
        operation: op.name.clone(),
        list,
        status,
        id,
        started,
        finished,
        statuses,
        events,
    })
}

/// The `[run.events]` settings checked against the operation they name: one that answers only
/// with a stream of tagged items, the parameters `set` names optional ones of it, of the type
/// of their values.
fn lower_events(
    settings: &RunEventSettings,
    config: &str,
    run_op: &Operation,
    documented: &[doc::Operation],
    operations: &[Operation],
) -> Result<RunEvents> {
    let err =
        |key: &str, message: String| Error::new(config, &format!("/run/events/{key}"), message);
    let index =
        operation_named(documented, &settings.operation).map_err(|m| err("operation", m))?;
    let op = &operations[index];
    let stream = match (&op.output, &op.stream) {
        (Output::Stream, Some(stream)) => stream,
        _ => {
            return Err(err(
                "operation",
                format!(
                    "`{}` does not answer with a stream of events (a `text/event-stream` or \
                     JSON-lines response alone)",
                    settings.operation
                ),
            ));
        }
    };
    let mut args = Vec::new();
    for param in op.params.iter().filter(|p| p.required) {
        let shared = run_op
            .params
            .iter()
            .find(|p| p.required && p.name == param.name);
        let arg = match shared.map(|p| &p.ty) {
            None => EventArg::Extra(param.ty.clone()),
            Some(ty) if *ty == param.ty => EventArg::Same,
            Some(TypeRef::String) if parses(&param.ty) => EventArg::Parse(param.ty.clone()),
            Some(ty) if param.ty == TypeRef::String && parses(ty) => EventArg::Display,
            Some(_) => {
                return Err(err(
                    "operation",
                    format!(
                        "`{}` takes `{}` as another type than `{}` does",
                        settings.operation, param.wire, run_op.name
                    ),
                ));
            }
        };
        args.push((param.name.clone(), arg));
    }
    let mut set = Vec::new();
    for (key, value) in &settings.set {
        let param = op
            .params
            .iter()
            .find(|p| &p.wire == key || &p.name == key)
            .ok_or_else(|| {
                err(
                    &format!("set/{key}"),
                    format!("`{}` takes no parameter {key:?}", settings.operation),
                )
            })?;
        if param.required {
            return Err(err(
                &format!("set/{key}"),
                format!(
                    "{key:?} is required by `{}`: the methods that watch take it as an argument",
                    settings.operation
                ),
            ));
        }
        let value = match (value, &param.ty) {
            (toml::Value::Boolean(b), TypeRef::Bool) => SetValue::Bool(*b),
            (toml::Value::Integer(i), TypeRef::Integer(_)) => SetValue::Integer(*i),
            (toml::Value::String(s), TypeRef::String) => SetValue::Text(s.clone()),
            (value, _) => {
                return Err(err(
                    &format!("set/{key}"),
                    format!(
                        "{key:?} of `{}` does not take a {}",
                        settings.operation,
                        value.type_str()
                    ),
                ));
            }
        };
        set.push((param.name.clone(), value));
    }
    let tags = if settings.refresh.is_empty() {
        stream.terminal.as_ref().map(|(_, tags)| tags.clone())
    } else {
        Some(settings.refresh.clone())
    };
    let Some(tags) = tags.filter(|tags| !tags.is_empty()) else {
        return Err(err(
            "refresh",
            "expected the events after which the run is asked for again (or `[stream] \
             terminal`)"
                .to_owned(),
        ));
    };
    let Some((accessor, _)) = &stream.terminal else {
        return Err(err(
            "operation",
            format!(
                "the events of `{}` are not a union told apart by a discriminator with \
                 `[stream] terminal` tags, so none can say the run changed",
                settings.operation
            ),
        ));
    };
    Ok(RunEvents {
        operation: op.name.clone(),
        args,
        set,
        refresh: (accessor.clone(), tags),
    })
}

/// Whether a value of `ty` is read from a string and written as one (`FromStr` and `Display`).
fn parses(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Uuid | TypeRef::Integer(_) | TypeRef::Float | TypeRef::Bool
    )
}

/// The mapping as pairs, in the order of the common statuses.
fn mapping(settings: &RunSettings) -> Vec<(String, RunState)> {
    let s = &settings.statuses;
    [
        (&s.queued, RunState::Queued),
        (&s.running, RunState::Running),
        (&s.waiting, RunState::WaitingForInput),
        (&s.succeeded, RunState::Succeeded),
        (&s.failed, RunState::Failed),
        (&s.cancelled, RunState::Cancelled),
    ]
    .into_iter()
    .flat_map(|(values, state)| values.iter().map(move |v| (v.clone(), state)))
    .collect()
}

/// Warns about mapped values the document does not list for the status.
fn check_mapping(
    l: &mut Lowerer<'_, '_>,
    run: &TypeRef,
    path: &str,
    statuses: &[(String, RunState)],
) {
    let Some((pointer, listed)) = listed_values(l, run, path) else {
        let pointer = run
            .named()
            .and_then(|name| l.types.get(name))
            .map(|t| t.pointer.clone())
            .unwrap_or_default();
        l.diag.warn(
            &pointer,
            format!(
                "the run status `{path}` is a plain string: the document lists no values to check the status mapping of codegen.toml against"
            ),
        );
        return;
    };
    for (value, _) in statuses {
        if !listed.contains(value) {
            l.diag.warn(
                &pointer,
                format!(
                    "the status mapping of codegen.toml names {value:?}, which the document does not list for `{path}`"
                ),
            );
        }
    }
}

/// The values the document lists for the status at `path`: an enum's, or a union's tags.
fn listed_values(l: &Lowerer<'_, '_>, run: &TypeRef, path: &str) -> Option<(String, Vec<String>)> {
    let mut current = run.clone();
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let def = l.types.get(plain(&current).named()?)?;
        match &def.kind {
            TypeKind::Struct(s) => {
                current = s
                    .fields
                    .iter()
                    .find(|f| f.json_name == *segment)?
                    .ty
                    .clone();
            }
            TypeKind::Union(u) if i + 1 == segments.len() && u.tag.as_deref() == Some(segment) => {
                let tags = u.variants.iter().flat_map(|v| v.tags.clone()).collect();
                return Some((def.pointer.clone(), tags));
            }
            _ => return None,
        }
    }
    let def = l.types.get(plain(&current).named()?)?;
    match &def.kind {
        TypeKind::Enum(e) => Some((
            def.pointer.clone(),
            e.variants.iter().map(|v| v.value.clone()).collect(),
        )),
        _ => None,
    }
}
