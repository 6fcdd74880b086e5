//! Rust identifiers from arbitrary names: case conversion, keywords, characters Rust does not
//! allow, and uniqueness within a scope.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Strict and reserved keywords of Rust 2024; an identifier equal to one gets a `_` suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Splits a name into ASCII words: `+1`/`-1` become `plus 1`/`minus 1`, letters outside ASCII
/// become `u<hex>` words, every other character separates words.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|n| n.is_ascii_digit());
        match c {
            '+' if first && next_is_digit => out.push_str("plus "),
            '-' if first && next_is_digit => out.push_str("minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if let Some(folded) = fold_latin(c) => out.push_str(folded),
            c if c.is_alphanumeric() => out.push_str(&format!(" u{:x} ", c as u32)),
            _ => out.push(' '),
        }
        first = false;
    }
    out
}

/// The ASCII letters for a Latin letter with a diacritic (`é` -> `e`, `ß` -> `ss`).
fn fold_latin(c: char) -> Option<&'static str> {
    const FOLDS: [(&str, &str); 17] = [
        ("àáâãäåāăą", "a"),
        ("ÀÁÂÃÄÅĀĂĄ", "A"),
        ("çćĉċč", "c"),
        ("ÇĆĈĊČ", "C"),
        ("èéêëēĕėęě", "e"),
        ("ÈÉÊËĒĔĖĘĚ", "E"),
        ("ìíîïĩīĭįı", "i"),
        ("ÌÍÎÏĨĪĬĮİ", "I"),
        ("ñńņň", "n"),
        ("ÑŃŅŇ", "N"),
        ("òóôõöøōŏő", "o"),
        ("ÒÓÔÕÖØŌŎŐ", "O"),
        ("ùúûüũūŭůűų", "u"),
        ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
        ("ýÿ", "y"),
        ("Ý", "Y"),
        ("ß", "ss"),
    ];
    FOLDS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map(|(_, ascii)| *ascii)
}

/// A `snake_case` identifier for `raw`; `fallback` when nothing usable is left.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = words(raw)
        .to_snake_case()
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// An `UpperCamelCase` identifier for `raw`; `fallback` when nothing usable is left.
pub fn pascal(raw: &str, fallback: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A `SCREAMING_SNAKE_CASE` identifier.
pub fn screaming(raw: &str, fallback: &str) -> String {
    snake(raw, fallback)
        .trim_end_matches('_')
        .to_ascii_uppercase()
}

/// Names already taken in one scope (a module's types, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
    snake_style: bool,
}

impl Namespace {
    /// A scope of `snake_case` names: duplicates become `name_2`, `name_3`...
    pub fn snake() -> Self {
        Namespace {
            taken: BTreeSet::new(),
            snake_style: true,
        }
    }

    /// A scope of `UpperCamelCase` names: duplicates become `Name2`, `Name3`...
    pub fn pascal() -> Self {
        Namespace::default()
    }

    /// Marks names as taken without claiming them for anything.
    pub fn reserve<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        self.taken.extend(names.into_iter().map(str::to_owned));
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `base` if free, otherwise the first free numbered variant of it. In an `UpperCamelCase`
    /// scope, underscores inside the name (from a keyword-escaped prefix such as `Self_` joined
    /// to a suffix) are dropped; a trailing one, which keeps `Self_` a valid name, stays.
    pub fn claim(&mut self, base: &str) -> String {
        let camel;
        let base = if !self.snake_style && base.trim_end_matches('_').contains('_') {
            let trailing = base.len() - base.trim_end_matches('_').len();
            camel = format!(
                "{}{}",
                base.trim_end_matches('_').replace('_', ""),
                "_".repeat(trailing)
            );
            camel.as_str()
        } else {
            base
        };
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let stem = base.trim_end_matches('_');
        (2..)
            .map(|n| {
                if self.snake_style {
                    format!("{stem}_{n}")
                } else {
                    format!("{stem}{n}")
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| base.to_owned())
    }
}

/// The English singular of a plural path segment, for names derived from paths
/// (`workflows` -> `workflow`). Words that do not look plural are kept.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{}y", &word[..stem.len()]);
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if lower.ends_with(suffix) {
            return word[..word.len() - 2].to_owned();
        }
    }
    if lower.ends_with('s') && !lower.ends_with("ss") && !lower.ends_with("us") && word.len() > 3 {
        return word[..word.len() - 1].to_owned();
    }
    word.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("UserWorkflowRunID", "x"), "user_workflow_run_id");
        assert_eq!(snake("get-user-workflow-run", "x"), "get_user_workflow_run");
        assert_eq!(snake("X-Tenant-ID", "x"), "x_tenant_id");
        assert_eq!(snake("@odata.type", "x"), "odata_type");
        assert_eq!(snake("$ref", "x"), "ref_");
        assert_eq!(snake("type", "x"), "type_");
        assert_eq!(snake("self", "x"), "self_");
        assert_eq!(snake("+1", "x"), "plus_1");
        assert_eq!(snake("-1", "x"), "minus_1");
        assert_eq!(snake("1st", "x"), "_1st");
        assert_eq!(snake("@@", "field"), "field");
        assert_eq!(snake("名前", "x"), "u540d_u524d");
        assert_eq!(snake("patch v2 id _0zx", "x"), "patch_v2_id_0zx");
        assert_eq!(snake("__x__y__", "x"), "x_y");
    }

    #[test]
    fn pascal_names() {
        assert_eq!(
            pascal("UserWorkflowRunWithStepsDTO", "X"),
            "UserWorkflowRunWithStepsDto"
        );
        assert_eq!(pascal("waiting_interaction", "X"), "WaitingInteraction");
        assert_eq!(pascal("partial-succeeded", "X"), "PartialSucceeded");
        assert_eq!(pascal("+1", "X"), "Plus1");
        assert_eq!(pascal("-1", "X"), "Minus1");
        assert_eq!(pascal("200", "X"), "V200");
        assert_eq!(pascal("", "Empty"), "Empty");
        assert_eq!(pascal("Self", "X"), "Self_");
        assert_eq!(pascal("名前", "X"), "U540dU524d");
        assert_eq!(pascal("café", "X"), "Cafe");
        assert_eq!(pascal("über straße", "X"), "UberStrasse");
        assert_eq!(snake("Ñandú", "x"), "nandu");
    }

    #[test]
    fn namespaces_number_duplicates() {
        let mut ns = Namespace::pascal();
        ns.reserve(["Client"]);
        assert_eq!(ns.claim("Client"), "Client2");
        assert_eq!(ns.claim("Foo"), "Foo");
        assert_eq!(ns.claim("Foo"), "Foo2");
        assert_eq!(ns.claim("Self_Response"), "SelfResponse");
        assert_eq!(ns.claim("Self_"), "Self_");
        let mut ns = Namespace::snake();
        assert_eq!(ns.claim("type_"), "type_");
        assert_eq!(ns.claim("type_"), "type_2");
    }

    #[test]
    fn singulars() {
        assert_eq!(singular("workflows"), "workflow");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("address"), "address");
        assert_eq!(singular("runs"), "run");
        assert_eq!(singular("data"), "data");
    }
}
