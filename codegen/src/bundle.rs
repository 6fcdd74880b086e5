//! Bringing the local files a document's `$ref`s name into it, reading only inside the folders
//! the document may reach.
//!
//! A vendor's document is untrusted input, regenerated without anyone reading it line by line.
//! So a `$ref` to another file is followed only when that file lies inside the folder of the
//! root document (or below it), or inside one more folder the API's settings name, after `..`
//! and symbolic links are resolved. Absolute paths, `file:` and other URLs, Windows-style paths
//! and paths that leave those folders are refused with an error naming the referring file, the
//! JSON pointer, the reference and why, before anything is read.

use crate::error::{Error, Result};
use crate::load::{io_reason, load_file};
use crate::pointer::RefTarget;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// Where documents referenced from other files are kept inside the root document.
pub const EXTERNAL: &str = "x-apigen-external";

/// More files than this referenced from one document is refused.
const MAX_FILES: usize = 1000;

/// The folders referenced files may be read from.
#[derive(Debug, Clone)]
pub struct Confinement {
    roots: Vec<Root>,
}

#[derive(Debug, Clone)]
struct Root {
    /// The folder, canonical.
    path: PathBuf,
    /// How file names below it are shown: the folder as given (empty for the current one).
    shown: String,
    /// How errors describe it.
    described: String,
}

impl Confinement {
    /// The folder of the root document at `spec` (named `display` in errors), and `extra`, a
    /// further folder the settings allow (already checked to be inside the repository) with how
    /// messages name it.
    pub fn new(spec: &Path, display: &str, extra: Option<(&Path, &str)>) -> Result<Confinement> {
        let folder = spec.parent().filter(|p| !p.as_os_str().is_empty());
        let folder = folder.unwrap_or(Path::new("."));
        let canonical = std::fs::canonicalize(folder).map_err(|e| {
            Error::new(
                display,
                "",
                format!(
                    "expected the document's folder to be readable, found {}",
                    io_reason(&e)
                ),
            )
        })?;
        let shown = Path::new(display)
            .parent()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let described = if shown.is_empty() {
            "the document's folder".to_owned()
        } else {
            format!("{shown}/ (the document's folder)")
        };
        let mut roots = vec![Root {
            path: canonical,
            shown,
            described,
        }];
        if let Some((extra, named)) = extra {
            let canonical = std::fs::canonicalize(extra).map_err(|e| {
                Error::new(
                    display,
                    "",
                    format!(
                        "expected the extra folder for references, {}, to be readable, found {}",
                        extra.display(),
                        io_reason(&e)
                    ),
                )
            })?;
            let shown = named.replace('\\', "/");
            roots.push(Root {
                path: canonical,
                described: format!("{shown}/ (named by the settings)"),
                shown,
            });
        }
        Ok(Confinement { roots })
    }

    fn allows(&self, path: &Path) -> bool {
        self.roots.iter().any(|root| path.starts_with(&root.path))
    }

    fn described(&self) -> String {
        self.roots
            .iter()
            .map(|root| root.described.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Keys whose values are data, not API description: `$ref` keys inside them are left alone.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Brings every local file a `$ref` points to into the document, under `/x-apigen-external`,
/// and rewrites those references (and the references inside the brought files) to point there.
/// Only files `confinement` allows are read; any other reference, a URL or a file that cannot
/// be read is an error naming the referring file and pointer. Files are read once each, cycles
/// between files included. Gives the files read, in the order they were found.
pub fn bundle(root: &mut Value, display: &str, confinement: &Confinement) -> Result<Vec<PathBuf>> {
    let mut bundler = Bundler {
        confinement,
        keys: BTreeMap::new(),
        documents: BTreeMap::new(),
        loaded: Vec::new(),
    };
    let base = confinement.roots[0].path.clone();
    bundler.rewrite(root, &base, None, &mut String::new(), display)?;
    let mut done = 0;
    while done < bundler.loaded.len() {
        let (key, file, file_display) = bundler.loaded[done].clone();
        let mut doc = bundler.documents.remove(&key).unwrap_or(Value::Null);
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        bundler.rewrite(
            &mut doc,
            &dir,
            Some(&key),
            &mut String::new(),
            &file_display,
        )?;
        bundler.documents.insert(key, doc);
        done += 1;
    }
    let read: Vec<PathBuf> = bundler
        .loaded
        .iter()
        .map(|(_, path, _)| path.clone())
        .collect();
    if !bundler.documents.is_empty() {
        let Value::Object(map) = root else {
            return Ok(read);
        };
        let externals: Map<String, Value> =
            std::mem::take(&mut bundler.documents).into_iter().collect();
        map.insert(EXTERNAL.to_owned(), Value::Object(externals));
    }
    Ok(read)
}

struct Bundler<'c> {
    confinement: &'c Confinement,
    /// Canonical path -> key under `/x-apigen-external`.
    keys: BTreeMap<PathBuf, String>,
    /// Key -> the document read from that file.
    documents: BTreeMap<String, Value>,
    /// (key, path, display) in the order files were found.
    loaded: Vec<(String, PathBuf, String)>,
}

impl Bundler<'_> {
    /// Rewrites the references in `value`, which is at the pointer `at` (extended and cut
    /// back to it as the walk goes down and up).
    fn rewrite(
        &mut self,
        value: &mut Value,
        dir: &Path,
        own: Option<&str>,
        at: &mut String,
        display: &str,
    ) -> Result<()> {
        let len = at.len();
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let reference = reference.clone();
                    if let Some(rewritten) = self.target(&reference, dir, own, at, display)? {
                        map.insert("$ref".to_owned(), Value::String(rewritten));
                    }
                }
                for (key, child) in map.iter_mut() {
                    if key != "$ref" && !is_data_key(key) {
                        at.push('/');
                        crate::pointer::push_escaped(at, key);
                        self.rewrite(child, dir, own, at, display)?;
                        at.truncate(len);
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let _ = write!(at, "/{i}");
                    self.rewrite(item, dir, own, at, display)?;
                    at.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The reference rewritten to point inside the bundled document, if it has to change.
    fn target(
        &mut self,
        reference: &str,
        dir: &Path,
        own: Option<&str>,
        at: &str,
        display: &str,
    ) -> Result<Option<String>> {
        let Ok(target) = crate::pointer::parse_ref(reference) else {
            return Ok(None); // normalize reports malformed references with their pointer
        };
        let at_ref = format!("{at}/$ref");
        let refuse = |found: String| {
            Error::new(
                display,
                &at_ref,
                format!(
                    "$ref {reference:?}: expected a reference within the document or to a file inside {}, found {found}",
                    self.confinement.described()
                ),
            )
        };
        let (key, pointer) = match target {
            RefTarget::Local(pointer) => match own {
                Some(key) => (key.to_owned(), pointer),
                None => return Ok(None),
            },
            RefTarget::External { document, pointer } => {
                if let Some(form) = refused_form(&document) {
                    return Err(refuse(form));
                }
                let file = normalized(&dir.join(&document));
                if !self.confinement.allows(&file) {
                    return Err(refuse("a path that leaves it".to_owned()));
                }
                let canonical = std::fs::canonicalize(&file).map_err(|e| {
                    Error::new(
                        display,
                        &at_ref,
                        format!(
                            "$ref {reference:?}: expected a readable local file, found {} ({})",
                            io_reason(&e),
                            document
                        ),
                    )
                })?;
                if !self.confinement.allows(&canonical) {
                    return Err(refuse(
                        "a path that a symbolic link leads out of it".to_owned(),
                    ));
                }
                let key = match self.keys.get(&canonical) {
                    Some(key) => key.clone(),
                    None => self.load(&canonical, &document, display, &at_ref)?,
                };
                (key, pointer)
            }
        };
        Ok(Some(format!(
            "#/{EXTERNAL}/{}{pointer}",
            crate::pointer::escape(&key)
        )))
    }

    /// Reads a referenced file (already checked) and gives it its key.
    fn load(
        &mut self,
        canonical: &Path,
        document: &str,
        display: &str,
        at_ref: &str,
    ) -> Result<String> {
        if self.keys.len() >= MAX_FILES {
            return Err(Error::new(
                display,
                at_ref,
                format!("expected at most {MAX_FILES} referenced files, found more"),
            ));
        }
        let key = format!("{}:{document}", self.keys.len());
        let file_display = self.shown(canonical);
        let doc = load_file(canonical, &file_display)?;
        self.keys.insert(canonical.to_owned(), key.clone());
        self.documents.insert(key.clone(), doc);
        self.loaded
            .push((key.clone(), canonical.to_owned(), file_display));
        Ok(key)
    }

    /// How errors name a referenced file: relative to the folder that allowed it.
    fn shown(&self, canonical: &Path) -> String {
        for root in &self.confinement.roots {
            if let Ok(rest) = canonical.strip_prefix(&root.path) {
                let rest = rest.to_string_lossy().replace('\\', "/");
                return if root.shown.is_empty() {
                    rest
                } else {
                    format!("{}/{rest}", root.shown)
                };
            }
        }
        canonical.display().to_string()
    }
}

/// Why a reference's file part is refused before any path is built from it, if it is.
fn refused_form(document: &str) -> Option<String> {
    let lower = document.to_ascii_lowercase();
    if lower.starts_with("file:") {
        return Some("a file: URL".to_owned());
    }
    if document.contains('\\')
        || document.as_bytes().get(1) == Some(&b':') && document.as_bytes()[0].is_ascii_alphabetic()
    {
        return Some("a Windows-style path".to_owned());
    }
    if document.contains("://") || document.starts_with("//") {
        return Some("a URL".to_owned());
    }
    if document.starts_with('/') {
        return Some("an absolute path".to_owned());
    }
    // `scheme:rest` is a URL (`urn:`, `mailto:`); a relative path with a colon in its first
    // segment is written `./a:b.yaml`.
    let first = document.split('/').next().unwrap_or("");
    if let Some((scheme, _)) = first.split_once(':')
        && !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Some("a URL".to_owned());
    }
    None
}

/// `path` with `.` and `..` resolved by their names alone (the file need not exist).
pub fn normalized(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_that_are_refused_before_reading() {
        assert_eq!(
            refused_form("/etc/os-release").as_deref(),
            Some("an absolute path")
        );
        assert_eq!(
            refused_form("file:///etc/passwd").as_deref(),
            Some("a file: URL")
        );
        assert_eq!(
            refused_form("FILE:/etc/passwd").as_deref(),
            Some("a file: URL")
        );
        assert_eq!(
            refused_form("C:\\Windows\\win.ini").as_deref(),
            Some("a Windows-style path")
        );
        assert_eq!(
            refused_form("c:/x.yaml").as_deref(),
            Some("a Windows-style path")
        );
        assert_eq!(
            refused_form("..\\..\\x.yaml").as_deref(),
            Some("a Windows-style path")
        );
        assert_eq!(
            refused_form("https://example.com/x.yaml").as_deref(),
            Some("a URL")
        );
        assert_eq!(refused_form("//host/x.yaml").as_deref(), Some("a URL"));
        assert_eq!(refused_form("urn:x:y").as_deref(), Some("a URL"));
        assert_eq!(refused_form("schemas/run.yaml"), None);
        assert_eq!(refused_form("../common/run.yaml"), None);
        assert_eq!(refused_form("./a:b.yaml"), None);
    }

    #[test]
    fn dot_dot_is_resolved_by_name() {
        assert_eq!(
            normalized(Path::new("/a/b/../../c/./d")),
            PathBuf::from("/c/d")
        );
        assert_eq!(
            normalized(Path::new("/a/../../../etc")),
            PathBuf::from("/etc")
        );
    }
}
