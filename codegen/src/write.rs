//! Putting generated files on disk: a crate's folder made to hold exactly its files (or told
//! where it does not), one module for a build script's `include!`, a document as YAML or JSON.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// How a file on disk differs from what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The file holds other text (kept here).
    Differs { path: String, current: String },
    /// The generator makes it; the folder lacks it.
    Missing { path: String },
    /// The folder holds it; the generator does not make it any more.
    Extra { path: String },
}

impl Difference {
    /// The file's path inside the folder.
    pub fn path(&self) -> &str {
        match self {
            Difference::Differs { path, .. }
            | Difference::Missing { path }
            | Difference::Extra { path } => path,
        }
    }

    /// `differs`, `missing` or `not generated any more`.
    pub fn state(&self) -> &'static str {
        match self {
            Difference::Differs { .. } => "differs",
            Difference::Missing { .. } => "missing",
            Difference::Extra { .. } => "not generated any more",
        }
    }
}

/// Where `dir` differs from `files` (paths inside it); nothing when it holds exactly them.
/// Build output (`target/`) and `Cargo.lock` are not the generator's and are left out.
pub fn differences(
    dir: &Path,
    files: &BTreeMap<String, String>,
) -> Result<Vec<Difference>, String> {
    let mut out = Vec::new();
    for (path, contents) in files {
        match fs::read_to_string(dir.join(path)) {
            Ok(current) if current == *contents => {}
            Ok(current) => out.push(Difference::Differs {
                path: path.clone(),
                current,
            }),
            Err(_) => out.push(Difference::Missing { path: path.clone() }),
        }
    }
    for file in files_under(dir)? {
        let rel = crate::inputs::relative(dir, &file);
        if !files.contains_key(&rel) {
            out.push(Difference::Extra { path: rel });
        }
    }
    Ok(out)
}

/// Makes `dir` hold exactly `files`: each written where it differs, the others removed. Gives
/// what it changed.
pub fn sync_crate(dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Difference>, String> {
    let changes = differences(dir, files)?;
    for change in &changes {
        let file = dir.join(change.path());
        match change {
            Difference::Extra { .. } => {
                fs::remove_file(&file).map_err(|e| format!("{}: {e}", file.display()))?
            }
            _ => write_if_changed(&file, &files[change.path()])?,
        }
    }
    Ok(changes)
}

/// Writes `text` to `path` (and its folders) unless it holds it already, so that a build
/// script does not make cargo rebuild what did not change.
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|current| current == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A crate's Rust files as one module's items, for `mod api { include!(...); }`: `lib.rs`
/// without its inner attributes and docs, each `mod x;` it declares written inline, and the
/// paths from `crate::` (the crate's root) made `super::` (the including module).
pub fn module_text(files: &BTreeMap<String, String>) -> Result<String, String> {
    let lib = files
        .get("src/lib.rs")
        .ok_or("no src/lib.rs was generated")?;
    let mut out = String::new();
    for line in lib.lines() {
        if line.starts_with("//") || line.starts_with("#![") {
            continue;
        }
        let declared = line
            .strip_prefix("pub mod ")
            .map(|name| ("pub ", name))
            .or_else(|| line.strip_prefix("mod ").map(|name| ("", name)))
            .and_then(|(visibility, rest)| Some((visibility, rest.strip_suffix(';')?)));
        let Some((visibility, name)) = declared else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let body = files
            .get(&format!("src/{name}.rs"))
            .ok_or_else(|| format!("src/lib.rs declares `{name}`, which was not generated"))?;
        out.push_str("#[allow(clippy::large_enum_variant, clippy::too_many_arguments)]\n");
        out.push_str(&format!("{visibility}mod {name} {{\n"));
        for line in body.lines() {
            if line.starts_with("// @generated") {
                continue;
            }
            let line = match line.strip_prefix("use crate::") {
                Some(rest) => format!("use super::{rest}"),
                None => line.replace("(crate::", "(super::"),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("}\n");
    }
    Ok(out)
}

/// A document as text in the format `path`'s extension names (JSON by default).
pub fn document_text(path: &Path, document: &Value) -> Result<String, String> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => yaml_serde::to_string(document).map_err(|e| e.to_string()),
        _ => serde_json::to_string_pretty(document)
            .map(|text| text + "\n")
            .map_err(|e| e.to_string()),
    }
}

/// The path from directory `from` to `to`, both absolute.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The files below `dir`, sorted, build output and `Cargo.lock` left out.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in crate::inputs::sorted_entries(&current)? {
            let name = entry
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if entry.is_dir() {
                if name != "target" {
                    stack.push(entry);
                }
            } else if name != "Cargo.lock" {
                out.push(entry);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/b/c"), Path::new("/a/runtime")),
            "../../runtime"
        );
        assert_eq!(
            relative_path(Path::new("/tmp/x"), Path::new("/work/main/runtime")),
            "../../work/main/runtime"
        );
    }

    #[test]
    fn a_crate_becomes_one_module_with_its_modules_inline() {
        let files: BTreeMap<String, String> = [
            (
                "src/lib.rs",
                "// @generated\n//! # api\n#![allow(x)]\nmod client;\npub mod types;\n\npub use client::Client;\n",
            ),
            (
                "src/client.rs",
                "// @generated\n//! The client.\nuse crate::{Error, types};\n/// See [`Thing`](crate::types::Thing).\npub struct Client;\n",
            ),
            ("src/types.rs", "pub struct Thing;\n"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let text = module_text(&files).unwrap();
        assert!(!text.contains("#!["), "{text}");
        assert!(
            text.contains("mod client {\n//! The client.\nuse super::{Error, types};"),
            "{text}"
        );
        assert!(text.contains("(super::types::Thing)"), "{text}");
        assert!(
            text.contains("pub mod types {\npub struct Thing;\n}"),
            "{text}"
        );
        assert!(text.contains("pub use client::Client;"), "{text}");
    }
}
