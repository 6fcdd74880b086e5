//! What changed between two surfaces of a generated crate, each change judged by its effect on
//! the callers' code (not on the HTTP contract), and the version bump that effect needs.

use crate::surface::{Argument, Method, Surface, TypeSurface};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a change does to code that uses the crate, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The code compiles and means the same; what goes over the wire may differ.
    Patch,
    /// Something new to use; existing code compiles unchanged.
    Addition,
    /// Some existing code no longer compiles, or reads a value of another type.
    Breaking,
}

impl Effect {
    pub fn word(self) -> &'static str {
        match self {
            Effect::Patch => "patch",
            Effect::Addition => "addition",
            Effect::Breaking => "breaking",
        }
    }
}

/// One change: the item, what happened to it, its effect and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `Client::get_run`, `WorkflowRun.status`, `ErrorBody::NotFound`...
    pub item: String,
    pub change: String,
    pub effect: Effect,
    pub why: String,
}

/// The changes as a Markdown table, the largest effects first.
pub fn table(changes: &[Change]) -> String {
    let mut out = "| effect | item | change | why |\n|---|---|---|---|\n".to_owned();
    let mut changes: Vec<&Change> = changes.iter().collect();
    changes.sort_by_key(|c| std::cmp::Reverse(c.effect));
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    for change in changes {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            change.effect.word(),
            change.item,
            cell(&change.change),
            cell(&change.why)
        ));
    }
    out
}

/// Every change from `old` to `new`, in the order of the items' names within each group
/// (methods, types, error bodies, credentials).
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Changes::default();
    keyed(&old.methods, &new.methods, |name, old, new| {
        let item = format!("Client::{name}");
        match (old, new) {
            (None, Some(_)) => out.push(
                &item,
                "new method",
                Effect::Addition,
                "nothing calls it yet",
            ),
            (Some(_), None) => out.push(
                &item,
                "method removed",
                Effect::Breaking,
                "calls to it no longer compile",
            ),
            (Some(old), Some(new)) => method(&mut out, &item, old, new),
            (None, None) => {}
        }
    });
    keyed(&old.types, &new.types, |name, old, new| match (old, new) {
        (None, Some(t)) => out.push(
            name,
            &format!("new {}", t.kind()),
            Effect::Addition,
            "nothing uses it yet",
        ),
        (Some(t), None) => out.push(
            name,
            &format!("{} removed", t.kind()),
            Effect::Breaking,
            "code naming it no longer compiles",
        ),
        (Some(old), Some(new)) => type_change(&mut out, name, old, new),
        (None, None) => {}
    });
    keyed(&old.error_bodies, &new.error_bodies, |name, old, new| {
        let item = format!("ErrorBody::{name}");
        let why_match = "`ErrorBody` is matched exhaustively: matches must name every variant";
        match (old, new) {
            (None, Some(ty)) => out.push(
                &item,
                &format!("new error body `{ty}`"),
                Effect::Breaking,
                why_match,
            ),
            (Some(_), None) => out.push(&item, "error body removed", Effect::Breaking, why_match),
            (Some(old), Some(new)) if old != new => out.push(
                &item,
                &format!("holds `{new}` instead of `{old}`"),
                Effect::Breaking,
                "code reading it reads another type",
            ),
            _ => {}
        }
    });
    keyed(&old.credentials, &new.credentials, |name, old, new| {
        let item = format!("ClientBuilder::{name}");
        match (old, new) {
            (None, Some(sends)) => out.push(
                &item,
                &format!("new credential setter ({sends})"),
                Effect::Addition,
                "nothing sets it yet",
            ),
            (Some(_), None) => out.push(
                &item,
                "credential setter removed",
                Effect::Breaking,
                "builders calling it no longer compile",
            ),
            (Some(old), Some(new)) if old != new => out.push(
                &item,
                &format!("sends {new} instead of {old}"),
                Effect::Patch,
                "the setter is the same; the credential goes elsewhere on the wire",
            ),
            _ => {}
        }
    });
    out.0
}

/// The largest effect among `changes`, if any.
pub fn overall(changes: &[Change]) -> Option<Effect> {
    changes.iter().map(|c| c.effect).max()
}

/// The lowest version after `old` that `effect` allows, by Cargo's rules: before 1.0 the minor
/// number is the breaking one and the patch number takes additions.
pub fn needed_version(old: &semver::Version, effect: Effect) -> semver::Version {
    let (major, minor, patch) = (old.major, old.minor, old.patch);
    let (major, minor, patch) = match (effect, major) {
        (Effect::Breaking, 0) => (0, minor + 1, 0),
        (Effect::Breaking, _) => (major + 1, 0, 0),
        (Effect::Addition, 0) => (0, minor, patch + 1),
        (Effect::Addition, _) => (major, minor + 1, 0),
        (Effect::Patch, _) => (major, minor, patch + 1),
    };
    semver::Version::new(major, minor, patch)
}

/// Whether going from `old` to `new` is enough for changes of `effect`. Patch-level changes ask
/// for no bump.
pub fn version_allows(old: &semver::Version, new: &semver::Version, effect: Effect) -> bool {
    effect == Effect::Patch || *new >= needed_version(old, effect)
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, item: &str, change: &str, effect: Effect, why: &str) {
        self.0.push(Change {
            item: item.to_owned(),
            change: change.to_owned(),
            effect,
            why: why.to_owned(),
        });
    }
}

/// Calls `each` for every key of either map, in order, with the value on each side.
fn keyed<V>(
    old: &BTreeMap<String, V>,
    new: &BTreeMap<String, V>,
    mut each: impl FnMut(&str, Option<&V>, Option<&V>),
) {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        each(key, old.get(key), new.get(key));
    }
}

fn method(out: &mut Changes, item: &str, old: &Method, new: &Method) {
    if old.request != new.request {
        out.push(
            item,
            &format!("`{}` instead of `{}`", new.request, old.request),
            Effect::Patch,
            "calls compile unchanged; the request goes elsewhere",
        );
    }
    let old_args: BTreeMap<&String, &String> =
        old.arguments.iter().map(|a| (&a.name, &a.ty)).collect();
    let new_args: BTreeMap<&String, &String> =
        new.arguments.iter().map(|a| (&a.name, &a.ty)).collect();
    for Argument { name, ty } in &new.arguments {
        match old_args.get(name) {
            None => out.push(
                item,
                &format!("new required argument `{name}: {ty}`"),
                Effect::Breaking,
                "every call must pass it",
            ),
            Some(was) if *was != ty => out.push(
                item,
                &format!("argument `{name}` is `{ty}`, was `{was}`"),
                Effect::Breaking,
                "calls pass a value of the old type",
            ),
            Some(_) => {}
        }
    }
    for Argument { name, ty } in &old.arguments {
        if !new_args.contains_key(name) {
            let why = if new.setters.contains_key(name) {
                "it became optional, a setter: calls pass one argument too many"
            } else {
                "calls pass one argument too many"
            };
            out.push(
                item,
                &format!("argument `{name}: {ty}` removed"),
                Effect::Breaking,
                why,
            );
        }
    }
    let old_order: Vec<&String> = old
        .arguments
        .iter()
        .map(|a| &a.name)
        .filter(|n| new_args.contains_key(n))
        .collect();
    let new_order: Vec<&String> = new
        .arguments
        .iter()
        .map(|a| &a.name)
        .filter(|n| old_args.contains_key(n))
        .collect();
    if old_order != new_order {
        out.push(
            item,
            "arguments in another order",
            Effect::Breaking,
            "calls pass them in the old order",
        );
    }
    // A builder's methods that take nothing (`stream()`, `pages()`) are listed with its setters,
    // by their name and what they return.
    let shown = |name: &str, ty: &str| match name.strip_suffix("()") {
        Some(method) => format!("method `.{method}()` (returning `{ty}`)"),
        None => format!("optional setter `{name}({ty})`"),
    };
    keyed(&old.setters, &new.setters, |name, was, now| {
        match (was, now) {
            (None, Some(ty)) if !old_args.contains_key(&name.to_owned()) => out.push(
                item,
                &format!("new {}", shown(name, ty)),
                Effect::Addition,
                "calls without it are unchanged",
            ),
            (Some(ty), None) if !new_args.contains_key(&name.to_owned()) => out.push(
                item,
                &format!("{} removed", shown(name, ty)),
                Effect::Breaking,
                "calls using it no longer compile",
            ),
            (Some(was), Some(now)) if was != now => out.push(
                item,
                &format!("setter `{name}` takes `{now}`, was `{was}`"),
                Effect::Breaking,
                "calls pass a value of the old type",
            ),
            _ => {}
        }
    });
    if old.returns != new.returns {
        out.push(
            item,
            &format!("returns `{}`, was `{}`", new.returns, old.returns),
            Effect::Breaking,
            "code reading the result reads another type",
        );
    }
    keyed(&old.errors, &new.errors, |status, was, now| {
        let says = match (was, now) {
            (None, Some(body)) => format!("documents error status {status} ({body})"),
            (Some(_), None) => format!("no longer documents error status {status}"),
            (Some(was), Some(now)) if was != now => {
                format!("error status {status} decodes to {now}, was {was}")
            }
            _ => return,
        };
        out.push(
            item,
            &says,
            Effect::Patch,
            "code compiles unchanged; that status comes as another `Error` case",
        );
    });
}

fn type_change(out: &mut Changes, name: &str, old: &TypeSurface, new: &TypeSurface) {
    match (old, new) {
        (
            TypeSurface::Struct { fields: was, .. },
            TypeSurface::Struct {
                fields: now,
                built_by_callers,
            },
        ) => keyed(was, now, |field, was, now| {
            let item = format!("{name}.{field}");
            match (was, now) {
                (None, Some(ty)) if *built_by_callers => out.push(
                    &item,
                    &format!("new field `{field}: {ty}`"),
                    Effect::Breaking,
                    &format!("callers build `{name}`: struct literals must set it"),
                ),
                (None, Some(ty)) => out.push(
                    &item,
                    &format!("new field `{field}: {ty}`"),
                    Effect::Addition,
                    "callers only read it",
                ),
                (Some(ty), None) => out.push(
                    &item,
                    &format!("field `{field}: {ty}` removed"),
                    Effect::Breaking,
                    "code reading it no longer compiles",
                ),
                (Some(was), Some(now)) if was != now => {
                    let what = if *now == format!("Option<{was}>") {
                        format!("becomes optional: `{now}`, was `{was}`")
                    } else if *was == format!("Option<{now}>") {
                        format!("becomes required: `{now}`, was `{was}`")
                    } else {
                        format!("is `{now}`, was `{was}`")
                    };
                    out.push(
                        &item,
                        &what,
                        Effect::Breaking,
                        "its Rust type changes for code that reads or sets it",
                    );
                }
                _ => {}
            }
        }),
        (TypeSurface::Enum { variants: was }, TypeSurface::Enum { variants: now })
        | (TypeSurface::IntEnum { constants: was }, TypeSurface::IntEnum { constants: now }) => {
            for value in now.difference(was) {
                out.push(
                    &format!("{name}::{value}"),
                    "new value",
                    Effect::Addition,
                    "the enum is open: matches already handle values they do not name",
                );
            }
            for value in was.difference(now) {
                out.push(
                    &format!("{name}::{value}"),
                    "value removed",
                    Effect::Breaking,
                    "code naming it no longer compiles (the value now arrives as unknown)",
                );
            }
        }
        (TypeSurface::Union { variants: was }, TypeSurface::Union { variants: now }) => {
            // A variant that holds the same type under a new name was renamed: one change.
            let renamed: BTreeMap<&String, &String> = was
                .iter()
                .filter(|(old, _)| !now.contains_key(*old))
                .filter_map(|(old, ty)| {
                    now.iter()
                        .find(|(new, held)| *held == ty && !was.contains_key(*new))
                        .map(|(new, _)| (new, old))
                })
                .collect();
            for (new, old) in &renamed {
                out.push(
                    &format!("{name}::{new}"),
                    &format!("renamed, was `{name}::{old}`"),
                    Effect::Breaking,
                    "code naming the old variant no longer compiles",
                );
            }
            keyed(was, now, |variant, was, now| {
                let item = format!("{name}::{variant}");
                let why = "matches on it must name every variant";
                let variant = variant.to_owned();
                if renamed.contains_key(&variant) || renamed.values().any(|old| **old == variant) {
                    return;
                }
                match (was, now) {
                    (None, Some(ty)) => {
                        out.push(&item, &format!("new variant `{ty}`"), Effect::Breaking, why)
                    }
                    (Some(_), None) => out.push(&item, "variant removed", Effect::Breaking, why),
                    (Some(was), Some(now)) if was != now => out.push(
                        &item,
                        &format!("holds `{now}`, was `{was}`"),
                        Effect::Breaking,
                        "code reading it reads another type",
                    ),
                    _ => {}
                }
            })
        }
        (TypeSurface::Alias { target: was }, TypeSurface::Alias { target: now }) if was != now => {
            out.push(
                name,
                &format!("stands for `{now}`, was `{was}`"),
                Effect::Breaking,
                "code using it uses another type",
            )
        }
        (old, new) if old.kind() != new.kind() => out.push(
            name,
            &format!(
                "is {}, was {}",
                with_article(new.kind()),
                with_article(old.kind())
            ),
            Effect::Breaking,
            "code using it as before no longer compiles",
        ),
        _ => {}
    }
}

/// `a struct`, `an enum`.
fn with_article(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}
