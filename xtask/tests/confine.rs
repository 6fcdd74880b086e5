//! A document's `$ref`s read files only inside its folder (or one more folder its settings name,
//! inside the repository): every other form is refused with one line, and nothing is written.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A file outside every allowed folder, whose text must never reach generated code.
const SECRET: &str = "Secret:\n  type: object\n  description: TOP-SECRET-MARKER\n";

fn spec_with_ref(reference: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Run:\n      $ref: '{reference}'\n"
    )
}

/// `<scratch>/outside/secret.yaml` and `<scratch>/api/`, the document's folder.
fn layout(name: &str) -> (PathBuf, PathBuf) {
    let dir = common::scratch("confine", name);
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    std::fs::write(dir.join("outside/secret.yaml"), SECRET).unwrap();
    let api = dir.join("api");
    std::fs::create_dir_all(api.join("schemas")).unwrap();
    (dir, api)
}

fn generate(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--name", "confined-client", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .expect("xtask runs")
}

/// The error line for a document whose `Run` schema is `$ref: <reference>`.
fn refused(name: &str, reference: &str) -> (String, PathBuf) {
    let (dir, api) = layout(name);
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref(reference)).unwrap();
    let out = dir.join("out");
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    (line, api)
}

fn expected(api: &Path, reference: &str, found: &str) -> String {
    format!(
        "error: {}: #/components/schemas/Run/$ref: $ref {reference:?}: expected a reference within the document or to a file inside {}/ (the document's folder), found {found}",
        api.join("openapi.yaml").display(),
        api.display()
    )
}

#[test]
fn a_path_that_climbs_out_of_the_folder_is_refused() {
    let reference = "../outside/secret.yaml#/Secret";
    let (line, api) = refused("dotdot", reference);
    assert_eq!(line, expected(&api, reference, "a path that leaves it"));

    let reference = "../../../../../../../../etc/passwd#/root";
    let (line, api) = refused("etc-passwd", reference);
    assert_eq!(line, expected(&api, reference, "a path that leaves it"));

    // Climbing out and back in through a sibling is still out.
    let reference = "schemas/../../outside/secret.yaml#/Secret";
    let (line, api) = refused("in-and-out", reference);
    assert_eq!(line, expected(&api, reference, "a path that leaves it"));
}

#[test]
fn an_absolute_path_is_refused() {
    let reference = "/etc/os-release#/root";
    let (line, api) = refused("absolute", reference);
    assert_eq!(line, expected(&api, reference, "an absolute path"));
}

#[test]
fn a_file_url_is_refused() {
    for reference in [
        "file:///etc/passwd#/root",
        "file:../outside/secret.yaml#/Secret",
    ] {
        let (line, api) = refused("file-url", reference);
        assert_eq!(line, expected(&api, reference, "a file: URL"));
    }
}

#[test]
fn a_windows_style_path_is_refused() {
    for reference in [
        "C:\\Users\\me\\.env#/x",
        "..\\outside\\secret.yaml#/Secret",
        "d:/secrets.yaml#/x",
    ] {
        let (line, api) = refused("windows", reference);
        assert_eq!(line, expected(&api, reference, "a Windows-style path"));
    }
}

#[test]
fn a_symbolic_link_that_leads_out_is_refused() {
    let (dir, api) = layout("symlink");
    std::os::unix::fs::symlink(
        dir.join("outside/secret.yaml"),
        api.join("schemas/run.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("outside"), api.join("linked")).unwrap();
    for reference in ["schemas/run.yaml#/Secret", "linked/secret.yaml#/Secret"] {
        let spec = api.join("openapi.yaml");
        std::fs::write(&spec, spec_with_ref(reference)).unwrap();
        let out = dir.join("out");
        let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
        assert_eq!(
            line,
            expected(
                &api,
                reference,
                "a path that a symbolic link leads out of it"
            )
        );
    }
}

#[test]
fn a_ref_inside_a_referenced_file_is_held_to_the_same_folders() {
    let (dir, api) = layout("nested");
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref("schemas/run.yaml#/Run")).unwrap();
    std::fs::write(
        api.join("schemas/run.yaml"),
        "Run:\n  type: object\n  properties:\n    secret: {$ref: '../../outside/secret.yaml#/Secret'}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    assert_eq!(
        line,
        format!(
            "error: {}: #/Run/properties/secret/$ref: $ref \"../../outside/secret.yaml#/Secret\": expected a reference within the document or to a file inside {}/ (the document's folder), found a path that leaves it",
            api.join("schemas/run.yaml").display(),
            api.display()
        )
    );
}

#[test]
fn a_ref_an_overlay_adds_is_held_to_the_same_folders() {
    let (dir, api) = layout("overlay");
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref("#/components/schemas/Other")).unwrap();
    let overlay = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas\n    update:\n      Other: {$ref: '../outside/secret.yaml#/Secret'}\n";
    std::fs::write(dir.join("fix.yaml"), overlay).unwrap();
    let out = dir.join("out");
    let fix = dir.join("fix.yaml");
    let line = common::one_line_failure(
        generate(&spec, &out, &["--overlay", fix.to_str().unwrap()]),
        &out,
    );
    assert!(
        line.ends_with("/ (the document's folder), found a path that leaves it"),
        "{line}"
    );
    assert!(line.contains("#/components/schemas/Other/$ref"), "{line}");
}

#[test]
fn a_document_split_into_its_own_folders_still_generates() {
    let (dir, api) = layout("split");
    std::fs::create_dir_all(api.join("schemas/common")).unwrap();
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref("./schemas/run.yaml#/Run")).unwrap();
    std::fs::write(
        api.join("schemas/run.yaml"),
        "Run:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n    owner: {$ref: 'common/owner.yaml#/Owner'}\n    back: {$ref: '../openapi.yaml#/components/schemas/Run'}\n",
    )
    .unwrap();
    std::fs::write(
        api.join("schemas/common/owner.yaml"),
        "Owner:\n  type: object\n  properties:\n    name: {type: string}\n",
    )
    .unwrap();
    let out = dir.join("out");
    let output = generate(&spec, &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Owner"), "{types}");
    assert!(types.contains("pub owner: Option<Owner>"), "{types}");
}

#[test]
fn settings_may_allow_one_sibling_folder_inside_the_repository() {
    let (dir, api) = layout("extra-root");
    std::fs::create_dir_all(dir.join(".git")).unwrap(); // the scratch folder is a repository
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    std::fs::write(
        dir.join("shared/owner.yaml"),
        "Owner:\n  type: object\n  properties:\n    name: {type: string}\n",
    )
    .unwrap();
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref("../shared/owner.yaml#/Owner")).unwrap();
    let out = dir.join("out");

    // Without the setting the sibling folder is out of reach.
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    assert!(line.ends_with("found a path that leaves it"), "{line}");

    std::fs::write(
        api.join("codegen.toml"),
        "[refs]\nextra-root = \"../shared\"\n",
    )
    .unwrap();
    let output = generate(&spec, &out, &[]);
    assert!(output.status.success(), "{output:?}");
    let types = std::fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(types.contains("pub struct Owner"), "{types}");
    std::fs::remove_dir_all(&out).unwrap();

    // The extra folder still does not open the rest of the disk.
    std::fs::write(&spec, spec_with_ref("../outside/secret.yaml#/Secret")).unwrap();
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    assert!(
        line.ends_with(&format!(
            "(the document's folder) or {}/ (named by the settings), found a path that leaves it",
            std::fs::canonicalize(dir.join("shared")).unwrap().display()
        )),
        "{line}"
    );
}

#[test]
fn an_extra_root_outside_the_repository_is_refused() {
    let (dir, api) = layout("extra-outside");
    // The repository is the API's folder alone; `../outside` leaves it.
    std::fs::create_dir_all(api.join(".git")).unwrap();
    std::fs::write(
        api.join("codegen.toml"),
        "[refs]\nextra-root = \"../outside\"\n",
    )
    .unwrap();
    let spec = api.join("openapi.yaml");
    std::fs::write(&spec, spec_with_ref("../outside/secret.yaml#/Secret")).unwrap();
    let out = dir.join("out");
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    assert_eq!(
        line,
        format!(
            "error: {}: #/refs/extra-root: expected a folder inside the repository, found \"../outside\", which leads out of it",
            api.join("codegen.toml").display()
        )
    );

    std::fs::write(api.join("codegen.toml"), "[refs]\nextra-root = \"/etc\"\n").unwrap();
    let line = common::one_line_failure(generate(&spec, &out, &[]), &out);
    assert!(
        line.ends_with(
            "#/refs/extra-root: expected a folder relative to the settings file, found \"/etc\""
        ),
        "{line}"
    );
}

#[test]
fn regen_refuses_settings_or_overlays_that_link_out_of_the_repository() {
    let dir = common::scratch("confine", "regen-links");
    let root = dir.join("repo");
    let api = root.join("specs/runs");
    std::fs::create_dir_all(api.join("overlays")).unwrap();
    std::fs::write(
        api.join("openapi.yaml"),
        spec_with_ref("#/components/schemas/Other"),
    )
    .unwrap();
    std::fs::write(
        dir.join("elsewhere.yaml"),
        "overlay: 1.1.0\ninfo: {title: t, version: '1', description: d}\nactions:\n  - target: $.components.schemas\n    update: {Other: {type: object}}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere.yaml"), api.join("overlays/01-fix.yaml"))
        .unwrap();

    let err = xtask::regen(&root, &[], xtask::Mode::Write).unwrap_err();
    assert!(
        err.starts_with(
            "specs/runs/overlays/01-fix.yaml: expected a file inside the repository, found a link to "
        ),
        "{err}"
    );
    assert!(!root.join("generated").exists(), "nothing is written");

    // The same overlay, inside the repository, is read.
    std::fs::remove_file(api.join("overlays/01-fix.yaml")).unwrap();
    std::fs::copy(dir.join("elsewhere.yaml"), api.join("overlays/01-fix.yaml")).unwrap();
    xtask::regen(&root, &[], xtask::Mode::Write).unwrap();
    assert!(root.join("generated/runs/src/types.rs").is_file());
}
