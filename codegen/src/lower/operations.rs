//! Operations: each assembled from its name, parameters, body, responses and security.

use super::bodies::lower_body;
use super::parameters::lower_params;
use super::responses::ErrorVariants;
use super::responses::lower_responses;
use super::security::lower_security;
use super::{Lowerer, naming, security};
use crate::error::Result;
use crate::ir::{ErrorVariant, Operation, Output, Scheme};
use crate::names::{Namespace, pascal};
use crate::normalize::document::{self as doc, Document};
use crate::vocabulary::REQUESTS_MODULE_NAMES;

pub(crate) struct Lowered {
    pub schemes: Vec<Scheme>,
    pub operations: Vec<Operation>,
    pub error_variants: Vec<ErrorVariant>,
}

pub(crate) fn lower_operations(l: &mut Lowerer<'_, '_>, document: &Document) -> Result<Lowered> {
    let schemes = security::lower_schemes(document);
    let names = naming::operation_names(&document.operations);
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
        error_variants: errors.into_variants(),
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

pub(crate) fn lower_operation(
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
    let mut responses = lower_responses(l, op, &name, &type_base, errors)?;
    let security = lower_security(l, op, schemes);
    let method = op.method.to_ascii_uppercase();
    if let Some(stream) = responses.stream.as_mut() {
        // Sent again, a GET (or QUERY) that answers only with a stream asks for the same
        // stream; `[stream] resume` may say otherwise.
        stream.resumable =
            responses.output == Output::Stream && matches!(method.as_str(), "GET" | "QUERY");
    }
    Ok(Operation {
        name,
        builder,
        method,
        path: op.path.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        tags: op.tags.clone(),
        params,
        body,
        output: responses.output,
        accept: responses.accept,
        success: responses.success,
        errors: responses.errors,
        security,
        stream: responses.stream,
        pagination: None,
    })
}
