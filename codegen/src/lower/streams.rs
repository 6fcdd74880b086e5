//! The `[stream]` settings applied to the operations that answer with a stream: which items end
//! one properly (tags of the item union), and the request body field that chooses between the
//! blocking answer and the stream, which the generated request sets so the caller never does.

use super::{Lowerer, operation_named};
use crate::config::StreamSettings;
use crate::error::{Error, Result};
use crate::ir::{Operation, Output, TypeKind, TypeRef};
use crate::normalize::document as doc;

/// Fills in each streaming operation's terminal items and mode field. `config` names the
/// settings file in errors.
pub(crate) fn apply_stream_settings(
    l: &mut Lowerer<'_, '_>,
    settings: &StreamSettings,
    config: &str,
    documented: &[doc::Operation],
    operations: &mut [Operation],
) -> Result<()> {
    let err = |key: &str, message: String| {
        let pointer = if key.is_empty() {
            "/stream".to_owned()
        } else {
            format!("/stream/{key}")
        };
        Error::new(config, &pointer, message)
    };
    let streaming: Vec<usize> = (0..operations.len())
        .filter(|&i| operations[i].stream.is_some())
        .collect();
    if streaming.is_empty() {
        return Err(err(
            "",
            "the settings describe streams, but no selected operation answers with one (a \
             `text/event-stream` or JSON-lines response)"
                .to_owned(),
        ));
    }
    if let Some(resume) = &settings.resume {
        for i in &streaming {
            if let Some(stream) = operations[*i].stream.as_mut() {
                stream.resumable = false;
            }
        }
        for (n, id) in resume.iter().enumerate() {
            let err = |message: String| err(&format!("resume/{n}"), message);
            let index = operation_named(documented, id).map_err(err)?;
            if operations[index].stream.is_none() {
                return Err(err(format!("`{id}` does not answer with a stream")));
            }
            let op = &mut operations[index];
            if !matches!(op.method.as_str(), "GET" | "QUERY" | "HEAD" | "OPTIONS") {
                return Err(err(format!(
                    "`{id}` is a {}: sending it again to resume its stream would do its work again",
                    op.method
                )));
            }
            if op.output != Output::Stream {
                return Err(err(format!(
                    "`{id}` answers with a stream or a blocking answer; only an operation that \
                     answers with a stream alone resumes"
                )));
            }
            if let Some(stream) = op.stream.as_mut() {
                stream.resumable = true;
            }
        }
    }
    for i in streaming {
        let op = &mut operations[i];
        let Some(stream) = op.stream.as_mut() else {
            continue;
        };
        if !settings.terminal.is_empty() {
            let union = match &stream.item {
                Some(TypeRef::Named(name)) => match l.types.get(name).map(|t| &t.kind) {
                    Some(TypeKind::Union(u)) => Some(u),
                    _ => None,
                },
                _ => None,
            };
            let Some((accessor, tags)) = union.and_then(|u| {
                let tags: Vec<&String> = u.variants.iter().flat_map(|v| &v.tags).collect();
                u.accessor.clone().map(|a| (a, tags))
            }) else {
                return Err(err(
                    "terminal",
                    format!(
                        "the stream items of `{}` are not a union told apart by a \
                         discriminator, so no tag can end the stream (give the stream an \
                         `itemSchema` that is one)",
                        op.name
                    ),
                ));
            };
            for value in &settings.terminal {
                if !tags.contains(&value) {
                    l.diag.warn(
                        &format!("{config}#/stream/terminal"),
                        format!(
                            "{value:?} is no tag of the stream items of `{}` (they are {}); \
                             kept, for an event the document does not list",
                            op.name,
                            tags.iter()
                                .map(|t| format!("{t:?}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
            }
            stream.terminal = Some((accessor, settings.terminal.clone()));
        }
        if let Some(mode) = &settings.mode {
            if op.output == Output::Stream {
                // Only a stream: nothing to choose.
                continue;
            }
            let Some(body) = &op.body else {
                return Err(err(
                    "mode/field",
                    format!(
                        "`{}` answers with a stream or a blocking answer but takes no request \
                         body to hold `{}`",
                        op.name, mode.field
                    ),
                ));
            };
            // The field leaves the body type: the request sets it, never the caller.
            if let TypeRef::Named(name) = &body.ty
                && let Some(def) = l.types.get_mut(name)
                && let TypeKind::Struct(s) = &mut def.kind
            {
                s.fields.retain(|f| f.json_name != mode.field);
            }
            stream.mode = Some((
                mode.field.clone(),
                mode.blocking.clone(),
                mode.streaming.clone(),
            ));
        }
    }
    Ok(())
}
