//! The generator used from outside this workspace, as another project would: a scratch project
//! in a temporary folder that depends on the generator by path, generates a client in its build
//! script and calls a local server with it; and the command installed with `cargo install
//! --path` into a temporary root, whose `apigen generate` writes a crate that compiles and whose
//! `apigen check` then finds it up to date. Both build in `target/outside` (kept between runs,
//! and apart from the build running these tests), one after the other.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One cargo at a time in the shared target folder.
static CARGO: Mutex<()> = Mutex::new(());

const DOCUMENT: &str = include_str!("pets.yaml");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-outside-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cargo` with the shared target folder, the workspace's lock file pinning the versions.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO"));
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/outside"))
        .env_remove("RUSTFLAGS");
    command
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{command:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A server on 127.0.0.1 answering one request with a pet; gives its URL and the request head.
fn serve_one_pet() -> (String, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut buffer = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).unwrap();
            head.extend_from_slice(&buffer[..n]);
        }
        let body = r#"{"id": "p1", "name": "Rex"}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(answer.as_bytes()).unwrap();
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, handle)
}

#[test]
fn a_build_script_elsewhere_generates_a_module_that_calls_a_server() {
    let _one = CARGO.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch("build-script");
    let root = root().canonicalize().unwrap();
    std::fs::write(dir.join("pets.yaml"), DOCUMENT).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "scratch-pets"
version = "0.1.0"
edition = "2024"

[workspace]

[build-dependencies]
apigen-codegen = {{ path = "{codegen}" }}

[dependencies]
apigen-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt"] }}
"#,
            codegen = root.join("codegen").display(),
            runtime = root.join("runtime").display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("build.rs"),
        r#"fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap();
    apigen_codegen::Builder::new("pets.yaml")
        .name("pets")
        .write_module(&out_dir)
        .unwrap_or_else(|error| panic!("{error}"));
}
"#,
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("src/main.rs"),
        r#"mod pets {
    include!(concat!(env!("OUT_DIR"), "/pets.rs"));
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let url = std::env::args().nth(1).expect("the server's URL");
    let client = pets::Client::builder().base_url(url).build().unwrap();
    let pet: pets::types::GetPetResponse = client.get_pet("p1").await.unwrap();
    println!("{} is {}", pet.id, pet.name);
}
"#,
    )
    .unwrap();
    let (url, server) = serve_one_pet();
    let stdout = run(cargo(&dir).args(["run", "--quiet", "--", &url]));
    assert_eq!(stdout, "p1 is Rex\n");
    assert!(server.join().unwrap().starts_with("GET /pets/p1 HTTP/1.1"));
}

#[test]
fn the_installed_command_generates_a_crate_that_compiles_and_checks_it() {
    let _one = CARGO.lock().unwrap_or_else(|e| e.into_inner());
    let dir = scratch("install");
    let root = root().canonicalize().unwrap();
    let install = dir.join("installed");
    run(cargo(&dir).args([
        "install",
        "--quiet",
        "--debug",
        "--locked",
        "--path",
        &root.join("cli").display().to_string(),
        "--root",
        &install.display().to_string(),
    ]));
    let apigen = install.join("bin/apigen");
    std::fs::write(dir.join("pets.yaml"), DOCUMENT).unwrap();
    let generated = Command::new(&apigen)
        .args(["generate", "pets.yaml", "--out", "pets-client"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    run(Command::new(&apigen)
        .args(["check", "pets.yaml", "--out", "pets-client"])
        .current_dir(&dir));
    std::fs::copy(root.join("Cargo.lock"), dir.join("pets-client/Cargo.lock")).unwrap();
    run(cargo(&dir.join("pets-client")).args(["check", "--quiet"]));
    // A change by hand is found.
    std::fs::write(dir.join("pets-client/src/extra.rs"), "").unwrap();
    let check = Command::new(&apigen)
        .args(["check", "pets.yaml", "--out", "pets-client"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("src/extra.rs (not generated any more)")
    );
}
