//! Runs progenitor 0.15 on one OpenAPI document and writes the crate it makes, for `cargo xtask bench`.
//!
//! Progenitor's generator library, `progenitor-impl`, is the only progenitor crate needed.
//! `progenitor-bench SPEC.json OUT_DIR CRATE_NAME` writes `OUT_DIR/src/lib.rs` (progenitor's
//! tokens, printed by prettyplease and spaced as progenitor's own command does) and
//! `OUT_DIR/Cargo.toml` with the dependencies that code names. It prints one line and exits
//! 0 when progenitor made a crate, 3 when it refused the document with an error, and 4 when
//! it panicked.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out, name] = args.as_slice() else {
        eprintln!("usage: progenitor-bench SPEC.json OUT_DIR CRATE_NAME");
        return ExitCode::from(1);
    };
    // Progenitor reports what it cannot handle by panicking; keep the message to one line.
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("panicked: {}", message.lines().next().unwrap_or(""));
    }));
    match std::panic::catch_unwind(|| generate(Path::new(spec), Path::new(out), name)) {
        Ok(Ok(lines)) => {
            println!("generated {lines} lines");
            ExitCode::SUCCESS
        }
        Ok(Err(message)) => {
            println!("refuses: {message}");
            ExitCode::from(3)
        }
        Err(_) => {
            println!("panics");
            ExitCode::from(4)
        }
    }
}

/// Generates the crate; the number of lines of `lib.rs`, or why progenitor refused.
fn generate(spec: &Path, out: &Path, name: &str) -> Result<usize, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let version = value.get("openapi").and_then(|v| v.as_str()).unwrap_or("");
    if !version.starts_with("3.0") {
        return Err(format!("OpenAPI {version} (it reads 3.0)"));
    }
    let document: openapiv3::OpenAPI =
        serde_json::from_value(value).map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;
    let mut generator =
        progenitor_impl::Generator::new(&progenitor_impl::GenerationSettings::default());
    let tokens = generator
        .generate_tokens(&document)
        .map_err(|e| one_line(&e.to_string()))?;
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("unparsable output: {e}"))?;
    let code = progenitor_impl::space_out_items(prettyplease::unparse(&file))
        .map_err(|e| one_line(&e.to_string()))?;
    let types = generator.get_type_space();
    let mut dependencies = vec![
        "progenitor-client = \"=0.15.1\"".to_owned(),
        "reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }".to_owned(),
        "serde = { version = \"1\", features = [\"derive\"] }".to_owned(),
        "serde_json = \"1\"".to_owned(),
        "serde_urlencoded = \"0.7\"".to_owned(),
        "bytes = \"1\"".to_owned(),
        "futures-core = \"0.3\"".to_owned(),
    ];
    if types.uses_chrono() {
        dependencies.push(
            "chrono = { version = \"0.4\", default-features = false, features = [\"serde\"] }"
                .to_owned(),
        );
    }
    if types.uses_uuid() {
        dependencies.push("uuid = { version = \"1\", features = [\"serde\"] }".to_owned());
    }
    if types.uses_regress() {
        dependencies.push("regress = \"0.12\"".to_owned());
    }
    if generator.uses_futures() {
        dependencies.push("futures = \"0.3\"".to_owned());
    }
    if generator.uses_websockets() {
        dependencies.push("base64 = \"0.23\"".to_owned());
        dependencies.push("rand = \"0.10\"".to_owned());
    }
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n{}\n",
        dependencies.join("\n")
    );
    let write = |path: &Path, contents: &str| -> Result<(), String> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(path, contents).map_err(|e| format!("{}: {e}", path.display()))
    };
    write(&out.join("Cargo.toml"), &manifest)?;
    write(&out.join("src/lib.rs"), &code)?;
    Ok(code.lines().count())
}

fn one_line(message: &str) -> String {
    message.lines().next().unwrap_or("").to_owned()
}
