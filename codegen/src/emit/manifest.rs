//! `Cargo.toml` of a generated crate: dependencies on what its types use, and its example.

use super::example::example_operation;
use super::features::Gates;
use super::settings::{CrateSettings, title_line};
use crate::ir::{Api, Decode, Output, TypeRef};

/// The `apigen-runtime` version generated crates depend on (checked against the runtime's
/// manifest by the tests).
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The oldest Rust the runtime and the generated crates build with.
pub const RUST_VERSION: &str = "1.91";

pub(crate) fn manifest(api: &Api, settings: &CrateSettings, gates: &Gates) -> String {
    let types = all_types(api);
    let uses = |wanted: &dyn Fn(&TypeRef) -> bool| types.iter().any(|t| t.any(wanted));
    let chrono = uses(&|t| matches!(t, TypeRef::DateTime | TypeRef::Date))
        || api
            .run_watch
            .as_ref()
            .is_some_and(|w| w.started.is_some() || w.finished.is_some());
    let uuid = uses(&|t| matches!(t, TypeRef::Uuid));
    // A version beside the path: the crate can be packaged, and depended on from a registry
    // once the runtime is published.
    let mut deps = vec![format!(
        "apigen-runtime = {{ version = \"{RUNTIME_VERSION}\", path = {:?} }}",
        settings.runtime_path
    )];
    if chrono {
        deps.push(r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#.to_owned());
    }
    deps.push(r#"serde = "1""#.to_owned());
    deps.push(r#"serde_json = "1""#.to_owned());
    if uuid {
        deps.push(r#"uuid = { version = "1", features = ["serde"] }"#.to_owned());
    }
    let description = toml_basic_string(&title_line(api));
    let repository = settings
        .provenance
        .repository
        .as_deref()
        .map(|url| format!("repository = {}\n", toml_basic_string(url)))
        .unwrap_or_default();
    // A feature per tag, all on by default; the example needs the feature of its operation.
    let (features, example_needs) = if gates.is_empty() {
        (String::new(), String::new())
    } else {
        let quoted = |names: &mut dyn Iterator<Item = &String>| {
            names
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut section = format!(
            "\n[features]\ndefault = [{}]\n",
            quoted(&mut gates.features.keys())
        );
        for name in gates.features.keys() {
            section.push_str(&format!("{name} = []\n"));
        }
        let needs = example_operation(api)
            .and_then(|op| gates.operations.get(&op.name))
            .and_then(|features| features.first())
            .map(|feature| format!("required-features = [{feature:?}]\n"))
            .unwrap_or_default();
        (section, needs)
    };
    let workspace = if settings.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    format!(
        "{header}\n\
         [package]\n\
         name = \"{name}\"\n\
         version = \"{version}\"\n\
         edition = \"2024\"\n\
         rust-version = \"{RUST_VERSION}\"\n\
         description = {description}\n\
         license = \"MIT OR Apache-2.0\"\n\
         readme = \"README.md\"\n\
         documentation = \"https://docs.rs/{name}\"\n\
         {repository}\
         \n\
         [lib]\n\
         doctest = false\n\
         \n\
         [dependencies]\n\
         {deps}\n\
         {features}\
         \n\
         [dev-dependencies]\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         \n\
         [[example]]\n\
         name = \"{name}-quickstart\"\n\
         path = \"examples/quickstart.rs\"\n\
         {example_needs}\
         {workspace}",
        header = settings.header("#"),
        name = settings.crate_name,
        version = settings
            .provenance
            .version
            .as_ref()
            .map_or_else(|| "0.1.0".to_owned(), ToString::to_string),
        deps = deps.join("\n"),
    )
}

/// Every type reference the crate's code contains.
fn all_types(api: &Api) -> Vec<&TypeRef> {
    let mut out = Vec::new();
    for def in &api.types {
        out.extend(def.kind.members());
    }
    for op in &api.operations {
        out.extend(op.params.iter().map(|p| &p.ty));
        out.extend(op.body.iter().map(|b| &b.ty));
        for case in &op.success {
            if let Decode::Json(ty) = &case.decode {
                out.push(ty);
            }
        }
        if let Output::Single(ty) = &op.output {
            out.push(ty);
        }
    }
    out.extend(api.error_variants.iter().map(|v| &v.ty));
    out
}

/// `text` as a TOML basic string, quotes included: the title of a document may hold quotes,
/// backslashes, line breaks or other control characters.
fn toml_basic_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Cargo hands the description to rustc in an environment variable, which cannot
            // hold a NUL: every control character becomes a space.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::toml_basic_string;

    #[test]
    fn toml_strings_escape_quotes_and_backslashes_and_drop_control_characters() {
        assert_eq!(
            toml_basic_string("say \"hi\" C:\\x"),
            r#""say \"hi\" C:\\x""#
        );
        assert_eq!(toml_basic_string("a\r\nb\0c\td"), "\"a  b c d\"");
        assert_eq!(toml_basic_string("café 名前"), "\"café 名前\"");
    }
}

#[cfg(test)]
mod runtime_tests {
    #[test]
    fn the_runtime_version_and_rust_version_are_the_runtimes_own() {
        let manifest = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../runtime/Cargo.toml"
        ))
        .expect("the runtime's manifest");
        assert!(
            manifest.contains(&format!("\nversion = \"{}\"\n", super::RUNTIME_VERSION)),
            "{manifest}"
        );
        assert!(
            manifest.contains(&format!("\nrust-version = \"{}\"\n", super::RUST_VERSION)),
            "{manifest}"
        );
    }
}
