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
    let root = workspace_root();
    let scratch = std::env::temp_dir().join(format!("apigen-fresh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for dir in ["specs/dify", "generated/dify"] {
        copy_dir(&root.join(dir), &scratch.join(dir));
    }
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

    regen(&scratch, &[], Mode::Write).unwrap();
    assert!(
        regen(&scratch, &[], Mode::Check)
            .unwrap()
            .changed
            .is_empty()
    );
    let _ = std::fs::remove_dir_all(&scratch);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
