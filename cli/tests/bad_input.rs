//! Every bad input of the `apigen` command gives one line on stderr naming the file (and the
//! place in it) and exit code 1, and writes nothing: a missing document, settings with an
//! unknown key, an overlay whose target matches nothing, an output folder that cannot be made.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A one-operation document (`get_pet`).
const DOCUMENT: &str = include_str!("pets.yaml");

/// A fresh folder holding the document.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pets.yaml"), DOCUMENT).unwrap();
    dir
}

/// Runs `apigen`, expecting exit code 1 and one line on stderr; gives that line.
fn fails(args: &[&str], dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr.trim_end().to_owned()
}

#[test]
fn a_missing_document_is_one_line_and_nothing_is_written() {
    let dir = folder("missing");
    let line = fails(&["generate", "nope.yaml", "--out", "pets"], &dir);
    assert!(line.contains("nope.yaml"), "{line}");
    assert!(!dir.join("pets").exists());
}

#[test]
fn settings_with_an_unknown_key_name_the_file_and_the_key() {
    let dir = folder("settings");
    std::fs::write(dir.join("bad.toml"), "[operations]\nid = [\"get_pet\"]\n").unwrap();
    let line = fails(
        &[
            "generate",
            "pets.yaml",
            "--settings",
            "bad.toml",
            "--out",
            "pets",
        ],
        &dir,
    );
    assert!(line.contains("bad.toml: #/operations/id"), "{line}");
    assert!(!dir.join("pets").exists());
}

#[test]
fn an_overlay_whose_target_matches_nothing_names_the_action() {
    let dir = folder("overlay");
    std::fs::write(
        dir.join("fix.yaml"),
        "overlay: 1.0.0\ninfo: {title: Fix, version: '1'}\nactions:\n  - target: $.paths['/gone'].get\n    update: {summary: x}\n",
    )
    .unwrap();
    let line = fails(
        &[
            "generate",
            "pets.yaml",
            "--overlay",
            "fix.yaml",
            "--out",
            "pets",
        ],
        &dir,
    );
    assert!(
        line.contains("fix.yaml") && line.contains("matches nothing"),
        "{line}"
    );
    assert!(!dir.join("pets").exists());
    // The same for the other commands that read it.
    fails(&["spec", "pets.yaml", "--overlay", "fix.yaml"], &dir);
    fails(
        &[
            "check",
            "pets.yaml",
            "--overlay",
            "fix.yaml",
            "--out",
            "pets",
        ],
        &dir,
    );
}

#[test]
fn an_output_folder_that_cannot_be_made_is_one_line() {
    let dir = folder("unwritable");
    std::fs::write(dir.join("a-file"), "not a folder").unwrap();
    let line = fails(
        &[
            "generate",
            "pets.yaml",
            "--out",
            "a-file/pets",
            "--name",
            "pets",
        ],
        &dir,
    );
    assert!(line.contains("a-file"), "{line}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a-file")).unwrap(),
        "not a folder"
    );
}

#[test]
fn a_bad_crate_name_is_refused_before_anything_is_written() {
    let dir = folder("name");
    let line = fails(
        &["generate", "pets.yaml", "--out", "pets", "--name", "1 pets"],
        &dir,
    );
    assert!(line.contains("1 pets"), "{line}");
    assert!(!dir.join("pets").exists());
}

#[test]
fn diff_exits_2_on_a_breaking_change_and_0_on_an_addition() {
    let dir = folder("diff");
    let breaking = DOCUMENT
        .replace("/pets/{id}", "/animals/{id}")
        .replace("get_pet", "get_animal");
    std::fs::write(dir.join("after.yaml"), &breaking).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(["diff", "pets.yaml", "after.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("| breaking | `Client::get_pet` |"),
        "{stdout}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .args(["diff", "pets.yaml", "pets.yaml"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "No change to the public API.\n"
    );
}

#[test]
fn every_subcommand_has_help_naming_the_exit_codes() {
    for command in ["generate", "check", "spec", "diff"] {
        let output = Command::new(env!("CARGO_BIN_EXE_apigen"))
            .args([command, "--help"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{command}");
        assert!(
            text.contains("Exit codes:") && text.contains("--settings"),
            "{command}: {text}"
        );
    }
}
