//! `Builder`, the call behind build scripts and the command: the files it read (document,
//! settings, overlays, files named by `$ref`s) for `cargo:rerun-if-changed`, the crate settings
//! that reach the manifest, and one module written for `include!`.

use apigen_codegen::Builder;
use std::path::PathBuf;

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-builder-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("schemas")).unwrap();
    std::fs::write(
        dir.join("api.yaml"),
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      operationId: get_pet\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        '200':\n          description: A pet.\n          content:\n            application/json:\n              schema: {$ref: 'schemas/pet.yaml'}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("schemas/pet.yaml"),
        "type: object\nrequired: [id]\nproperties: {id: {type: string}}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("settings.toml"),
        "[crate]\nversion = \"1.2.0\"\nrepository = \"https://example.com/acme/pets\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("fix.yaml"),
        "overlay: 1.0.0\ninfo: {title: Summary, version: '1'}\nactions:\n  - target: $.paths['/pets/{id}'].get\n    update: {summary: One pet}\n",
    )
    .unwrap();
    dir
}

#[test]
fn the_files_read_and_the_crate_settings_reach_the_output() {
    let dir = folder("read");
    let output = Builder::new(dir.join("api.yaml"))
        .settings(dir.join("settings.toml"))
        .overlay(dir.join("fix.yaml"))
        .name("pets")
        .generate()
        .unwrap();
    let read: Vec<String> = output
        .read
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(read, ["api.yaml", "settings.toml", "fix.yaml", "pet.yaml"]);
    let manifest = &output.files["Cargo.toml"];
    assert!(manifest.contains("version = \"1.2.0\""), "{manifest}");
    assert!(
        manifest.contains("repository = \"https://example.com/acme/pets\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("apigen-runtime = { version = \"0.1.0\", path = "),
        "{manifest}"
    );
    assert!(
        output.files["README.md"].contains("pets = { git = \"https://example.com/acme/pets\" }")
    );
    assert!(
        output.files["src/client.rs"].contains("One pet"),
        "the overlay applied"
    );
}

#[test]
fn a_module_for_include_is_written_once_and_left_alone_when_unchanged() {
    let dir = folder("module");
    let out = dir.join("out");
    let builder = Builder::new(dir.join("api.yaml")).name("pets");
    let path = builder.write_module(&out).unwrap();
    assert_eq!(path, out.join("pets.rs"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("pub mod types {"), "{text}");
    assert!(text.contains("use super::"), "{text}");
    assert!(
        !text.contains("use crate::") && !text.contains("#!["),
        "{text}"
    );
    let written = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    builder.write_module(&out).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        written
    );
    // A name that is no identifier is refused.
    let error = Builder::new(dir.join("api.yaml"))
        .name("Pets-API")
        .write_module(&out)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("\"Pets-API\" is not a snake_case Rust identifier"),
        "{error}"
    );
}
