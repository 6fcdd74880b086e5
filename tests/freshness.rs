//! `generated/` (and the generator's snapshot crates under `codegen/tests/output/`) must be
//! exactly what the generator produces now from `specs/` (and `codegen/tests/fixtures/`).

use xtask::{Mode, REGEN, regen, workspace_root};

#[test]
fn generated_code_is_fresh() {
    let report =
        regen(&workspace_root(), &[], Mode::Check).expect("every spec and fixture generates");
    assert!(
        report.changed.is_empty(),
        "generated code is stale; run `{REGEN}` and commit the result:\n{}",
        report.changed.join("\n")
    );
}

#[test]
fn the_check_notices_an_edited_file() {
    // Check mode compares bytes: a copy of the workspace with one generated file edited must be
    // reported, with that file named.
    let scratch = scratch_copy("apigen-fresh", &["specs/dify", "generated/dify"]);
    let types = scratch.join("generated/dify/src/types.rs");
    let edited = std::fs::read_to_string(&types)
        .unwrap()
        .replace("pub struct", "pub(crate) struct");
    std::fs::write(&types, edited).unwrap();

    let report = regen(&scratch, &[], Mode::Check).unwrap();
    assert_eq!(
        report.changed,
        vec!["generated/dify/src/types.rs (differs)".to_owned()]
    );
    // What is stale is shown as a short diff, with the command that fixes it.
    let diff = &report.diffs[0];
    assert!(
        diff.starts_with(
            "--- a/generated/dify/src/types.rs\n+++ b/generated/dify/src/types.rs\n@@ "
        ),
        "{diff}"
    );
    assert!(diff.contains("\n-pub(crate) struct "), "{diff}");
    assert!(diff.contains("\n+pub struct "), "{diff}");
    assert!(
        diff.lines().count() <= xtask::stale::MAX_LINES + 1,
        "{diff}"
    );
    assert_eq!(report.fix_command(), "cargo xtask regen dify");

    regen(&scratch, &[], Mode::Write).unwrap();
    assert!(
        regen(&scratch, &[], Mode::Check)
            .unwrap()
            .changed
            .is_empty()
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn a_changed_overlay_makes_the_check_fail() {
    let scratch = scratch_copy("apigen-overlay", &["specs/juo", "generated/juo"]);
    let overlay = scratch.join("specs/juo/overlays/01-operation-name.yaml");
    let edited = std::fs::read_to_string(&overlay).unwrap().replace(
        "operationId: getWorkflowRun",
        "operationId: getWorkflowRun\n      summary: Fetch a run",
    );
    std::fs::write(&overlay, edited).unwrap();

    let report = regen(&scratch, &[], Mode::Check).unwrap();
    assert!(
        report
            .changed
            .contains(&"generated/juo/src/client.rs (differs)".to_owned()),
        "{:?}",
        report.changed
    );
    assert!(
        report
            .changed
            .contains(&"generated/juo/README.md (differs)".to_owned()),
        "{:?}",
        report.changed
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

/// Every vendored document records where it comes from and its SHA-256, and is still those
/// bytes: regeneration checks the hash, so a hand edit is refused.
#[test]
fn vendored_documents_are_the_vendors_bytes() {
    let root = workspace_root();
    let mut vendored = Vec::new();
    for entry in std::fs::read_dir(root.join("specs")).unwrap() {
        let dir = entry.unwrap().path();
        let config_path = dir.join("codegen.toml");
        let config = apigen_codegen::Config::load(&config_path, "codegen.toml")
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let source = config
            .source
            .unwrap_or_else(|| panic!("{}: no [source]", dir.display()));
        assert!(
            source.taken_day().is_some(),
            "{}: no `taken` day",
            dir.display()
        );
        if source.url.is_none() {
            assert!(source.hand_written.is_some());
            continue;
        }
        let spec = ["openapi.yaml", "openapi.json"]
            .iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
            .unwrap();
        let recorded = source
            .sha256
            .unwrap_or_else(|| panic!("{}: a vendored document needs its sha256", dir.display()));
        let bytes = std::fs::read(&spec).unwrap();
        assert_eq!(
            apigen_codegen::config::sha256_hex(&bytes),
            recorded,
            "{}",
            spec.display()
        );
        vendored.push(dir.file_name().unwrap().to_string_lossy().into_owned());
    }
    vendored.sort();
    assert_eq!(vendored, ["dify", "juo", "retab", "tamtam"]);
}

#[test]
fn an_edited_vendored_document_is_refused() {
    let scratch = scratch_copy("apigen-vendored", &["specs/tamtam", "generated/tamtam"]);
    let spec = scratch.join("specs/tamtam/openapi.yaml");
    let edited = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("title: Tamtam Public API", "title: Tamtam API");
    std::fs::write(&spec, edited).unwrap();

    let err = regen(&scratch, &[], Mode::Write).unwrap_err();
    assert!(
        err.starts_with("specs/tamtam/openapi.yaml: its SHA-256 is "),
        "{err}"
    );
    assert!(
        err.contains("specs/tamtam/codegen.toml records faf02309"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

#[test]
fn a_breaking_change_needs_a_version_bump() {
    // Renaming Juo's operation removes a method callers use: regen refuses until the settings
    // raise the version past what callers of 0.1.0 depend on.
    let scratch = scratch_copy("apigen-versions", &["specs/juo", "generated/juo"]);
    let overlay = scratch.join("specs/juo/overlays/01-operation-name.yaml");
    let text = std::fs::read_to_string(&overlay).unwrap();
    std::fs::write(
        &overlay,
        text.replace(
            "operationId: getWorkflowRun",
            "operationId: fetchWorkflowRun",
        ),
    )
    .unwrap();
    let settings = scratch.join("specs/juo/codegen.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        text.replace("\"getWorkflowRun\"", "\"fetchWorkflowRun\""),
    )
    .unwrap();

    let err = regen(&scratch, &[], Mode::Write).unwrap_err();
    assert!(
        err.starts_with(
            "specs/juo/codegen.toml: #/crate/version: the public API of juo-client changed in a breaking way (Client::get_workflow_run: method removed"
        ),
        "{err}"
    );
    assert!(
        err.ends_with("but its version is still 0.1.0: set `[crate] version = \"0.2.0\"` (`cargo xtask diff` shows every change)"),
        "{err}"
    );
    let lib = std::fs::read_to_string(scratch.join("generated/juo/src/client.rs")).unwrap();
    assert!(lib.contains("fn get_workflow_run"), "nothing was written");

    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\n[crate]\nversion = \"0.2.0\"\n")).unwrap();
    regen(&scratch, &[], Mode::Write).unwrap();
    let manifest = std::fs::read_to_string(scratch.join("generated/juo/Cargo.toml")).unwrap();
    assert!(manifest.contains("\nversion = \"0.2.0\"\n"), "{manifest}");
    let record = std::fs::read_to_string(scratch.join("generated/juo/public-api.json")).unwrap();
    assert!(record.contains("\"version\": \"0.2.0\""), "{record}");
    assert!(record.contains("\"fetch_workflow_run\""), "{record}");
    let _ = std::fs::remove_dir_all(&scratch);
}

/// A copy of some folders of the workspace, in a folder of their own that acts as its root.
fn scratch_copy(name: &str, dirs: &[&str]) -> std::path::PathBuf {
    let root = workspace_root();
    let scratch = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for dir in dirs {
        xtask::scratch::copy_dir(&root.join(dir), &scratch.join(dir)).unwrap();
    }
    scratch
}
