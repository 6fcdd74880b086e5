//! Method names for operations: `x-speakeasy-name-override`, `operationId`, or names made from
//! method and path that grow longer only where short ones clash.

use crate::names::{Namespace, singular, snake};
use crate::normalize::document as doc;
use crate::vocabulary::CLIENT_METHODS;
use std::collections::BTreeMap;

/// Method names: `x-speakeasy-name-override`, else `operationId` in snake case, else a name made
/// from method and path (`GET /workflows/{id}` -> `get_workflow`), longer where short ones clash.
pub(crate) fn operation_names(ops: &[doc::Operation]) -> Vec<String> {
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
    // Only operations without an explicit name need names made for them.
    let candidates: Vec<Vec<String>> = ops
        .iter()
        .zip(&explicit)
        .map(|(op, explicit)| match explicit {
            Some(_) => Vec::new(),
            None => derived_names(&op.method, &op.path),
        })
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
pub(crate) fn derived_names(method: &str, path: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(crate) fn derived_operation_names() {
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
    pub(crate) fn clashing_derived_names_get_longer() {
        let op = |method: &str, path: &str| doc::Operation {
            pointer: String::new(),
            path: path.to_owned(),
            method: method.to_owned(),
            operation_id: None,
            name_override: None,
            summary: None,
            description: None,
            deprecated: false,
            tags: Vec::new(),
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
}
