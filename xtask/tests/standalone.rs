//! `cargo xtask generate` writes a crate that builds where it is written, outside this
//! workspace: its own `[workspace]`, and a path to the runtime that works from there.

use std::process::Command;

#[test]
fn a_generated_crate_builds_outside_the_workspace() {
    let root = xtask::workspace_root();
    let out = std::env::temp_dir().join(format!("apigen-standalone-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let spec = root.join("codegen/tests/fixtures/features_v31.json");
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec"])
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .args(["--name", "jobs-client"])
        .status()
        .unwrap();
    assert!(status.success());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
    assert!(manifest.contains("name = \"jobs-client\""), "{manifest}");

    // Same dependency versions as the workspace, and a build directory of its own so this
    // does not wait on the one `cargo test` holds.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--all-targets"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", root.join("target/standalone"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "the standalone crate does not build:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let _ = std::fs::remove_dir_all(&out);
}
