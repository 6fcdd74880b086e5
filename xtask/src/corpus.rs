//! `cargo xtask corpus DIR`: generate a crate from every document in a folder, `cargo check`
//! them all, and print a table of what happened to each.

use crate::{relative_path, workspace_root};
use apigen_codegen::CrateSettings;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// What happened to one document.
#[derive(Debug, Clone)]
pub struct Row {
    pub document: String,
    pub crate_name: String,
    /// `Err` holds the generator's one-line error.
    pub generated: Result<(), String>,
    pub warnings: usize,
    /// `None` when not checked; `Some(Err)` holds the first compiler error.
    pub compiles: Option<Result<(), String>>,
    pub millis: u128,
    pub lines: usize,
}

impl Row {
    pub fn ok(&self) -> bool {
        self.generated.is_ok() && !matches!(self.compiles, Some(Err(_)))
    }
}

/// The documents of a folder: `.yaml`, `.yml` and `.json` files, sorted.
pub fn documents(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    out.sort();
    Ok(out)
}

fn crate_name(document: &Path) -> String {
    let stem = document
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_ascii_lowercase();
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("corpus-{}", cleaned.trim_matches('-'))
}

/// Writes `count` random documents (seeds `seed..seed + count`) into `dir`, replacing what
/// was there.
pub fn write_random(dir: &Path, seed: u64, count: usize) -> Result<(), String> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for n in seed..seed + count as u64 {
        let document = apigen_codegen::sample::random_document(n);
        let text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
        let file = dir.join(format!("random-{n:05}.json"));
        fs::write(&file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    }
    Ok(())
}

/// Generates every document of `dir` into `work/crates/`, and with `check` compiles them as
/// one workspace in `work` (sharing one build of the dependencies).
pub fn run(dir: &Path, work: &Path, check: bool) -> Result<Vec<Row>, String> {
    let root = workspace_root();
    let crates = work.join("crates");
    if crates.exists() {
        fs::remove_dir_all(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    }
    let mut rows = Vec::new();
    for document in documents(dir)? {
        let name = crate_name(&document);
        let out = crates.join(&name);
        let display = document
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let settings = CrateSettings {
            crate_name: name.clone(),
            spec_display: display.clone(),
            command: "cargo xtask corpus".to_owned(),
            runtime_path: relative_path(&out, &root.join("runtime")),
            standalone: false,
            provenance: Default::default(),
        };
        let started = Instant::now();
        let result = apigen_codegen::generate(&document, &settings);
        let millis = started.elapsed().as_millis();
        let mut row = Row {
            document: display,
            crate_name: name,
            generated: Ok(()),
            warnings: 0,
            compiles: None,
            millis,
            lines: 0,
        };
        match result {
            Ok(generated) => {
                row.warnings = generated.warnings.len();
                for (path, contents) in &generated.files {
                    if path.ends_with(".rs") {
                        row.lines += contents.lines().count();
                    }
                    let file = out.join(path);
                    if let Some(parent) = file.parent() {
                        fs::create_dir_all(parent)
                            .map_err(|e| format!("{}: {e}", parent.display()))?;
                    }
                    fs::write(&file, contents).map_err(|e| format!("{}: {e}", file.display()))?;
                }
            }
            Err(e) => row.generated = Err(e.to_string()),
        }
        rows.push(row);
    }
    if check {
        check_all(&root, work, &mut rows)?;
    }
    Ok(rows)
}

fn check_all(root: &Path, work: &Path, rows: &mut [Row]) -> Result<(), String> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| r.generated.is_ok())
        .map(|r| format!("    \"crates/{}\",", r.crate_name))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    fs::create_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    fs::write(work.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // The same dependency versions as this workspace.
    fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock")).map_err(|e| e.to_string())?;
    // One build of the whole workspace: cargo checks the crates in parallel and, with
    // `--keep-going`, reports every crate that fails rather than stopping at the first.
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--quiet",
            "--message-format=short",
        ])
        .current_dir(work)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    for row in rows.iter_mut().filter(|r| r.generated.is_ok()) {
        row.compiles = Some(match first_error(&stderr, &row.crate_name) {
            None => Ok(()),
            Some(error) => Err(error),
        });
    }
    if !output.status.success() && rows.iter().all(|r| r.ok()) {
        // Cargo failed before any crate of the corpus was compiled.
        let reason = stderr.lines().find(|l| !l.trim().is_empty());
        return Err(format!(
            "cargo check failed: {}",
            reason.unwrap_or("no output")
        ));
    }
    // A crate with a feature per tag builds with none of them and with each alone.
    for row in rows.iter_mut().filter(|r| r.ok()) {
        let manifest = work.join("crates").join(&row.crate_name).join("Cargo.toml");
        let text =
            fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
        let features = tag_features(&text);
        if features.is_empty() {
            continue;
        }
        let alone = features.iter().map(|f| Some(f.as_str()));
        for feature in std::iter::once(None).chain(alone) {
            if let Err(error) = check_with(work, &row.crate_name, feature) {
                let with = feature.map_or_else(
                    || "no feature".to_owned(),
                    |f| format!("feature `{f}` alone"),
                );
                row.compiles = Some(Err(format!("with {with}: {error}")));
                break;
            }
        }
    }
    Ok(())
}

/// The features a generated manifest lists besides `default`.
pub fn tag_features(manifest: &str) -> Vec<String> {
    let Some((_, section)) = manifest.split_once("\n[features]\n") else {
        return Vec::new();
    };
    section
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(name, _)| name.trim().to_owned()))
        .filter(|name| name != "default")
        .collect()
}

/// `cargo check` of one crate without its default features, with `feature` if given.
fn check_with(work: &Path, name: &str, feature: Option<&str>) -> Result<(), String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command
        .args([
            "check",
            "--quiet",
            "--message-format=short",
            "--no-default-features",
            "-p",
            name,
        ])
        .current_dir(work);
    if let Some(feature) = feature {
        command.args(["--features", feature]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    match first_error(&stderr, name) {
        Some(error) => Err(error),
        None if !output.status.success() => Err("cargo check failed".to_owned()),
        None => Ok(()),
    }
}

/// The first compiler error of crate `name` in the output of `cargo check
/// --message-format=short`, or when cargo could not compile it without naming a line (rustc
/// could not even run), the reason cargo gives. `None` when the crate compiled.
fn first_error(stderr: &str, name: &str) -> Option<String> {
    let located = format!("crates/{name}/");
    let failed = format!("could not compile `{name}`");
    let mut lines = stderr.lines();
    let mut reason = None;
    while let Some(line) = lines.next() {
        if line.starts_with(&located) && line.contains(": error") {
            return Some(line.trim().to_owned());
        }
        if reason.is_none() && line.contains(&failed) {
            // The indented lines under "Caused by:" say why; the last is the root cause.
            let cause = lines
                .by_ref()
                .take_while(|l| l.trim().is_empty() || *l == "Caused by:" || l.starts_with(' '))
                .filter(|l| l.starts_with(' ') && !l.trim().is_empty())
                .last()
                .map(|l| format!("{}: {}", line.trim(), l.trim()));
            reason = Some(cause.unwrap_or_else(|| line.trim().to_owned()));
        }
    }
    reason
}

/// The table `cargo xtask corpus` prints.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| document | generated | warnings | compiles | ms | lines |"
    );
    let _ = writeln!(out, "|---|---|---|---|---:|---:|");
    for row in rows {
        let generated = match &row.generated {
            Ok(()) => "yes".to_owned(),
            Err(e) => format!("no: {e}"),
        };
        let compiles = match &row.compiles {
            None => "-".to_owned(),
            Some(Ok(())) => "yes".to_owned(),
            Some(Err(e)) => format!("no: {e}"),
        };
        let _ = writeln!(
            out,
            "| {} | {generated} | {} | {compiles} | {} | {} |",
            row.document, row.warnings, row.millis, row.lines
        );
    }
    let ok = rows.iter().filter(|r| r.ok()).count();
    let _ = writeln!(
        out,
        "\n{ok} of {} documents generated{}",
        rows.len(),
        if rows.iter().any(|r| r.compiles.is_some()) {
            " and compiled"
        } else {
            ""
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::first_error;

    const STDERR: &str = "\
crates/corpus-a-b/src/types.rs:3:5: error[E0412]: cannot find type `Foo` in this scope
crates/corpus-a-b/src/types.rs:9:5: error[E0412]: cannot find type `Bar` in this scope
error: could not compile `corpus-a-b` (lib) due to 2 previous errors
error: could not compile `corpus-c` (lib)

Caused by:
  could not execute process `rustc --crate-name corpus_c` (never executed)

Caused by:
  nul byte found in provided data
crates/corpus-d/src/lib.rs:1:1: warning: unused import
";

    #[test]
    fn the_tag_features_of_a_manifest() {
        let manifest = "[dependencies]\nserde = \"1\"\n\n[features]\ndefault = [\"a\", \"b-c\"]\na = []\nb-c = []\n\n[dev-dependencies]\n";
        assert_eq!(super::tag_features(manifest), ["a", "b-c"]);
        assert!(super::tag_features("[dependencies]\n").is_empty());
    }

    #[test]
    fn the_first_error_of_each_crate() {
        assert_eq!(
            first_error(STDERR, "corpus-a-b").as_deref(),
            Some(
                "crates/corpus-a-b/src/types.rs:3:5: error[E0412]: cannot find type `Foo` in this scope"
            )
        );
        assert_eq!(
            first_error(STDERR, "corpus-c").as_deref(),
            Some("error: could not compile `corpus-c` (lib): nul byte found in provided data")
        );
        assert_eq!(
            first_error(STDERR, "corpus-a"),
            None,
            "a prefix of a name is not the name"
        );
        assert_eq!(
            first_error(STDERR, "corpus-d"),
            None,
            "warnings are not errors"
        );
    }
}
