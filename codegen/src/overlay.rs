//! OpenAPI Overlays (1.0, 1.1 and 1.2): corrections to a vendor's document, kept apart from it.
//!
//! An overlay is a list of actions, each a JSONPath (RFC 9535, evaluated by `serde_json_path`)
//! selecting nodes of the document and what to do with them: `update` (objects merged
//! recursively, arrays concatenated or appended to, primitives replaced), `remove`, or (1.1)
//! `copy` another node of the document. Actions apply in order, each to the result of the one
//! before. 1.2 adds reusable actions (`components.actions`, used by `$ref` with a target of
//! their own) and `$self`, which names the overlay and is read without consequence here.
//!
//! An array `update` on an array concatenates in every version: the specification's editors
//! describe 1.0 to 1.1 as a version bump, and nesting the array as one entry (a literal reading
//! of 1.0) turned a string enum into an untyped value.
//!
//! One deliberate difference from the specification: an action whose target selects nothing is
//! an error, not a no-op. Overlays here correct a vendor's document; after a vendor update, a
//! target that matches nothing means the overlay no longer does what it says.

use crate::error::{Error, Result, describe};
use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use std::path::Path;

/// A loaded, checked overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// How errors name the overlay file.
    pub display: String,
    /// `info.title`: what the overlay is for.
    pub title: String,
    /// `info.description` (1.1): what it fixes and the evidence.
    pub description: Option<String>,
    minor: u32,
    actions: Vec<Action>,
}

#[derive(Debug, Clone)]
struct Action {
    index: usize,
    target: String,
    path: JsonPath,
    change: Change,
}

#[derive(Debug, Clone)]
enum Change {
    Update(Value),
    Remove,
    Copy { from: String, path: JsonPath },
}

/// One step of a normalized path: an object member or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

impl Overlay {
    /// Reads the overlay at `path`; `display` is how errors name it.
    pub fn load(path: &Path, display: &str) -> Result<Overlay> {
        let value = crate::load::load_file(path, display)?;
        Overlay::from_value(&value, display)
    }

    /// Checks an overlay document already parsed: its version, its info and every action
    /// (JSONPath syntax included), before anything is applied.
    pub fn from_value(value: &Value, display: &str) -> Result<Overlay> {
        let err = |pointer: &str, message: String| Error::new(display, pointer, message);
        let Value::Object(root) = value else {
            return Err(err(
                "",
                format!(
                    "expected an Overlay document (an object with `overlay`, `info` and `actions`), found {}",
                    describe(value)
                ),
            ));
        };
        let version = match root.get("overlay") {
            Some(Value::String(v)) => v.clone(),
            Some(other) => {
                return Err(err(
                    "/overlay",
                    format!(
                        "expected a version such as \"1.0.0\", found {}",
                        describe(other)
                    ),
                ));
            }
            None => {
                let found = if root.contains_key("openapi") || root.contains_key("swagger") {
                    "an API document, not an overlay".to_owned()
                } else {
                    format!("an object without `overlay` ({})", describe(value))
                };
                return Err(err(
                    "",
                    format!("expected an Overlay document (`overlay: 1.0.0`), found {found}"),
                ));
            }
        };
        let minor = match version.split('.').collect::<Vec<_>>().as_slice() {
            ["1", "0", patch] if patch.parse::<u32>().is_ok() => 0,
            ["1", "1", patch] if patch.parse::<u32>().is_ok() => 1,
            ["1", "2", patch] if patch.parse::<u32>().is_ok() => 2,
            _ => {
                return Err(err(
                    "/overlay",
                    format!("expected Overlay version 1.0.x, 1.1.x or 1.2.x, found {version:?}"),
                ));
            }
        };
        match root.get("$self") {
            None => {}
            Some(Value::String(own)) if minor >= 2 && !own.contains('#') => {}
            Some(other) => {
                return Err(err(
                    "/$self",
                    format!(
                        "expected `$self` (Overlay 1.2 and later) to be a URI without a fragment, found {}",
                        describe(other)
                    ),
                ));
            }
        }
        let reusable = read_reusable_actions(root, minor, display)?;
        let info = match root.get("info") {
            Some(Value::Object(info)) => info,
            other => {
                return Err(err(
                    "/info",
                    format!(
                        "expected an info object with `title` and `version`, found {}",
                        crate::normalize::found(other)
                    ),
                ));
            }
        };
        let title = match info.get("title") {
            Some(Value::String(title)) => title.clone(),
            other => {
                return Err(err(
                    "/info/title",
                    format!(
                        "expected the overlay's title, found {}",
                        crate::normalize::found(other)
                    ),
                ));
            }
        };
        let description = match info.get("description") {
            None => None,
            Some(Value::String(text)) if minor >= 1 => Some(text.clone()),
            Some(Value::String(_)) => {
                return Err(err(
                    "/info/description",
                    "expected no `info.description` in an Overlay 1.0 document (it is new in 1.1), found one"
                        .to_owned(),
                ));
            }
            Some(other) => {
                return Err(err(
                    "/info/description",
                    format!("expected a text, found {}", describe(other)),
                ));
            }
        };
        let items = match root.get("actions") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            other => {
                return Err(err(
                    "/actions",
                    format!(
                        "expected a list of at least one action, found {}",
                        crate::normalize::found(other)
                    ),
                ));
            }
        };
        let mut actions = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let item = resolve_reusable(item, index, &reusable, display)?;
            actions.push(read_action(&item, index, minor, display)?);
        }
        Ok(Overlay {
            display: display.to_owned(),
            title,
            description,
            minor,
            actions,
        })
    }

    /// Applies every action to `document` (named `document_display` in errors), in order.
    pub fn apply(&self, document: &mut Value, document_display: &str) -> Result<()> {
        for action in &self.actions {
            self.apply_action(action, document, document_display)?;
        }
        Ok(())
    }

    fn fail(&self, action: &Action, message: String) -> Error {
        Error::new(
            &self.display,
            &format!("/actions/{}", action.index),
            format!(
                "action {} (target `{}`): {message}",
                action.index, action.target
            ),
        )
    }

    fn apply_action(&self, action: &Action, document: &mut Value, shown: &str) -> Result<()> {
        let mut locations: Vec<Vec<Step>> = action
            .path
            .query_located(document)
            .dedup()
            .locations()
            .map(|location| {
                location
                    .iter()
                    .map(|element| match element.as_index() {
                        Some(i) => Step::Index(i),
                        None => Step::Key(element.as_name().unwrap_or_default().to_owned()),
                    })
                    .collect()
            })
            .collect();
        if locations.is_empty() {
            return Err(self.fail(
                action,
                format!(
                    "matches nothing in {shown}; the document no longer has what this overlay corrects (after a vendor update, check whether the fix is still needed)"
                ),
            ));
        }
        match &action.change {
            Change::Remove => {
                // Later array items first, so that earlier indexes stay valid; an item inside
                // one already removed is gone with it.
                locations.sort();
                for location in locations.iter().rev() {
                    if location.is_empty() {
                        return Err(
                            self.fail(action, "cannot remove the whole document".to_owned())
                        );
                    }
                    remove_at(document, location);
                }
                Ok(())
            }
            Change::Update(update) => {
                for location in &locations {
                    self.update_at(action, document, location, update)?;
                }
                Ok(())
            }
            Change::Copy { from, path } => {
                let source = path.query(document).exactly_one().cloned().map_err(|e| {
                    self.fail(
                        action,
                        format!("copy `{from}` must select exactly one node of {shown}, but {e}"),
                    )
                })?;
                for location in &locations {
                    self.update_at(action, document, location, &source)?;
                }
                Ok(())
            }
        }
    }

    fn update_at(
        &self,
        action: &Action,
        document: &mut Value,
        location: &[Step],
        update: &Value,
    ) -> Result<()> {
        let Some(target) = node_mut(document, location) else {
            return Ok(());
        };
        let at = pointer_of(location);
        match (target, update) {
            (Value::Object(target), Value::Object(update)) => merge(target, update, &at)
                .map_err(|message| self.fail(action, message)),
            (Value::Object(_), other) => Err(self.fail(
                action,
                format!(
                    "the target #{at} is an object, so `update` must be an object to merge into it, found {}",
                    describe(other)
                ),
            )),
            (Value::Array(items), Value::Array(more)) => {
                items.extend(more.iter().cloned());
                Ok(())
            }
            (Value::Array(items), entry) => {
                items.push(entry.clone());
                Ok(())
            }
            (target, update) if self.minor >= 1 && is_primitive(update) => {
                *target = update.clone();
                Ok(())
            }
            (target, _) => Err(self.fail(
                action,
                format!(
                    "the target #{at} is {}; an update in Overlay {} applies to objects and arrays{}",
                    describe(target),
                    if self.minor >= 1 { "1.1" } else { "1.0" },
                    if self.minor >= 1 {
                        " (or replaces a primitive with a primitive)"
                    } else {
                        " (select the object holding it instead)"
                    }
                ),
            )),
        }
    }
}

/// The reusable actions of an Overlay 1.2 document (`components.actions`), by name: the fields
/// each one applies wherever a reference gives it a target.
fn read_reusable_actions(
    root: &Map<String, Value>,
    minor: u32,
    display: &str,
) -> Result<Map<String, Value>> {
    let err = |pointer: &str, message: String| Error::new(display, pointer, message);
    let Some(components) = root.get("components") else {
        return Ok(Map::new());
    };
    if minor < 2 {
        return Err(err(
            "/components",
            "expected no `components` before Overlay 1.2 (reusable actions are new in 1.2), found some"
                .to_owned(),
        ));
    }
    let actions = match components.get("actions") {
        None => return Ok(Map::new()),
        Some(Value::Object(actions)) => actions,
        Some(other) => {
            return Err(err(
                "/components/actions",
                format!(
                    "expected an object of named actions, found {}",
                    describe(other)
                ),
            ));
        }
    };
    let mut out = Map::new();
    for (name, action) in actions {
        let at = format!("/components/actions/{}", crate::pointer::escape(name));
        match action.get("fields") {
            Some(Value::Object(fields)) => {
                out.insert(name.clone(), Value::Object(fields.clone()));
            }
            other => {
                return Err(err(
                    &format!("{at}/fields"),
                    format!(
                        "expected the action's `fields` (`update`, `remove` or `copy`), found {}",
                        crate::normalize::found(other)
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// An action as written, or, for a reference to a reusable action (`$ref:
/// '#/components/actions/name'` with a `target`), the reusable action's fields with that target.
fn resolve_reusable(
    item: &Value,
    index: usize,
    reusable: &Map<String, Value>,
    display: &str,
) -> Result<Value> {
    let Some(reference) = item.get("$ref") else {
        return Ok(item.clone());
    };
    let at = format!("/actions/{index}/$ref");
    let name = reference
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/actions/"))
        .map(crate::pointer::unescape);
    let Some(fields) = name.as_ref().and_then(|n| reusable.get(n)) else {
        return Err(Error::new(
            display,
            &at,
            format!(
                "action {index}: expected a reference to one of the reusable actions ({}), found {}",
                if reusable.is_empty() {
                    "there are none".to_owned()
                } else {
                    reusable
                        .keys()
                        .map(|k| format!("`#/components/actions/{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                describe(reference)
            ),
        ));
    };
    let mut action = fields.as_object().cloned().unwrap_or_default();
    for (key, value) in item.as_object().into_iter().flatten() {
        if key != "$ref" {
            action.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(action))
}

fn read_action(item: &Value, index: usize, minor: u32, display: &str) -> Result<Action> {
    let at = format!("/actions/{index}");
    let err = |pointer: &str, message: String| Error::new(display, pointer, message);
    let Value::Object(map) = item else {
        return Err(err(
            &at,
            format!(
                "expected an action (`target` with `update` or `remove`), found {}",
                describe(item)
            ),
        ));
    };
    let target = match map.get("target") {
        Some(Value::String(target)) => target.clone(),
        other => {
            return Err(err(
                &format!("{at}/target"),
                format!(
                    "expected a JSONPath such as `$.paths`, found {}",
                    crate::normalize::found(other)
                ),
            ));
        }
    };
    let path = parse_path(&target).map_err(|reason| {
        err(
            &format!("{at}/target"),
            format!("action {index}: target `{target}` is not a JSONPath (RFC 9535): {reason}"),
        )
    })?;
    for key in map.keys() {
        let known = matches!(key.as_str(), "target" | "description" | "update" | "remove")
            || (minor >= 1 && key == "copy")
            || key.starts_with("x-");
        if !known {
            return Err(err(
                &format!("{at}/{}", crate::pointer::escape(key)),
                format!(
                    "action {index}: expected `target`, `description`, `update`, `remove`{} or an `x-` extension, found `{key}`",
                    if minor >= 1 { ", `copy`" } else { "" }
                ),
            ));
        }
    }
    let remove = match map.get("remove") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(other) => {
            return Err(err(
                &format!("{at}/remove"),
                format!("expected true or false, found {}", describe(other)),
            ));
        }
    };
    let change = if remove {
        Change::Remove
    } else if let Some(update) = map.get("update") {
        Change::Update(update.clone())
    } else if let Some(from) = map.get("copy") {
        let Value::String(from) = from else {
            return Err(err(
                &format!("{at}/copy"),
                format!("expected a JSONPath, found {}", describe(from)),
            ));
        };
        let path = parse_path(from).map_err(|reason| {
            err(
                &format!("{at}/copy"),
                format!("action {index}: copy `{from}` is not a JSONPath (RFC 9535): {reason}"),
            )
        })?;
        Change::Copy {
            from: from.clone(),
            path,
        }
    } else {
        return Err(err(
            &at,
            format!(
                "action {index} (target `{target}`): expected `update`{} or `remove: true`, found neither",
                if minor >= 1 { ", `copy`" } else { "" }
            ),
        ));
    };
    Ok(Action {
        index,
        target,
        path,
        change,
    })
}

fn parse_path(text: &str) -> std::result::Result<JsonPath, String> {
    JsonPath::parse(text).map_err(|e| {
        e.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn is_primitive(value: &Value) -> bool {
    !matches!(value, Value::Object(_) | Value::Array(_))
}

/// Merges `update` into `target`: members only in `update` are added, objects merge
/// recursively, arrays concatenate, primitives replace primitives. Any other pairing (an object
/// over a string, say) is an error naming the member.
fn merge(
    target: &mut Map<String, Value>,
    update: &Map<String, Value>,
    at: &str,
) -> std::result::Result<(), String> {
    for (key, new) in update {
        let here = crate::pointer::join(at, key);
        match (target.get_mut(key), new) {
            (None, _) => {
                target.insert(key.clone(), new.clone());
            }
            (Some(Value::Object(old)), Value::Object(new)) => merge(old, new, &here)?,
            (Some(Value::Array(old)), Value::Array(new)) => old.extend(new.iter().cloned()),
            (Some(old), new) if is_primitive(old) && is_primitive(new) => *old = new.clone(),
            (Some(old), new) => {
                return Err(format!(
                    "cannot merge {} into #{here}, which is {} (remove it first, then update)",
                    describe(new),
                    describe(old)
                ));
            }
        }
    }
    Ok(())
}

fn node_mut<'v>(document: &'v mut Value, location: &[Step]) -> Option<&'v mut Value> {
    let mut current = document;
    for step in location {
        current = match (current, step) {
            (Value::Object(map), Step::Key(key)) => map.get_mut(key)?,
            (Value::Array(items), Step::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

fn remove_at(document: &mut Value, location: &[Step]) {
    let Some((last, parent)) = location.split_last() else {
        return;
    };
    match (node_mut(document, parent), last) {
        (Some(Value::Object(map)), Step::Key(key)) => {
            map.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

fn pointer_of(location: &[Step]) -> String {
    let mut out = String::new();
    for step in location {
        match step {
            Step::Key(key) => out = crate::pointer::join(&out, key),
            Step::Index(i) => out = format!("{out}/{i}"),
        }
    }
    out
}
