//! `cargo xtask <task>`; run `cargo xtask help` for the list.

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{GenerateOptions, Mode, regen, workspace_root};

const USAGE: &str = "\
usage:
  cargo xtask regen [--check] [API...]
      Generate generated/<api>/ from specs/<api>/ (and the generator's snapshot crates from
      codegen/tests/fixtures/). specs/<api>/codegen.toml holds the API's settings and
      specs/<api>/overlays/ its corrections. With --check, write nothing and fail if anything
      is stale.
  cargo xtask update API
      Fetch specs/API's document again from the URL its codegen.toml records (a docs page
      that embeds it in a fenced yaml block gives that block, byte for byte), check that it
      generates, then write it with its new sha256 and day, raise [crate] version as far as
      the changes need, regenerate generated/API/ and print what changed for callers. On any
      failure nothing is written. At most 64 MiB, 60 s, and redirects only within the host.
  cargo xtask diff [--base REV] [--json] [API...]
      Compare the public API generated from specs/ at git revision REV (default HEAD) with the
      working tree (documents, overlays and settings): every change judged by its effect on
      callers' code, and the version bump each crate needs. Markdown for a pull request, or
      JSON with --json. Exit code 0 when nothing breaks, 2 when something does.
  cargo xtask spec API [--out FILE]
      Print (or write to FILE, as JSON or, for .yaml, YAML) the effective document of
      specs/API/: overlays applied, operations filtered.
  cargo xtask generate --spec FILE --out DIR --name CRATE [--config FILE] [--overlay FILE]...
                       [--emit-spec FILE]
      Generate one standalone crate from any OpenAPI 3.0/3.1 document (YAML or JSON).
      Without --config, a codegen.toml beside the document applies; without --overlay, the
      overlays/ folder beside it. --emit-spec also writes the effective document.
  cargo xtask corpus [--no-check] [DIR]
      Generate a crate from every document in DIR (default tests/corpus), cargo check them,
      and print a table: document, generated or the error, compiles or the first compiler
      error, generation time, lines emitted. Fails if any document fails.
  cargo xtask corpus --random N [--seed S]
      The same for N random documents (hard names, every schema, parameter, body and
      response shape), written to target/random-documents.
  cargo xtask bench [--runs N] [--no-check] [--no-progenitor] [NAME...]
      Time the generator on the five specs and the large corpus documents (stages, whole
      process, peak memory, lines, cargo check of the crate), beside progenitor 0.15, and
      print the tables of docs/benchmarks.md. Slow: CI does not run it.";

/// The generator makes and drops millions of small allocations (tokens, syntax trees, strings);
/// mimalloc serves them in much less time than the system's allocator (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generator recurses over nested schemas; give it room whatever the platform's default.
const STACK: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let worker = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || run(&args));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(message))) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Ok(Err(_)) | Err(_) => {
            eprintln!(
                "error: internal error in the generator (a bug: please report it with the document)"
            );
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("regen") => run_regen(&args[1..]),
        Some("generate") => run_generate(&args[1..]),
        Some("spec") => run_spec(&args[1..]),
        Some("diff") => run_diff(&args[1..]),
        Some("update") => run_update(&args[1..]),
        Some("corpus") => run_corpus(&args[1..]),
        Some("bench") => xtask::bench::command(&workspace_root(), &args[1..]),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task {other:?}\n{USAGE}")),
    }
}

fn run_regen(args: &[String]) -> Result<(), String> {
    let mut mode = Mode::Write;
    let mut only = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}\n{USAGE}"));
            }
            api => only.push(api.to_owned()),
        }
    }
    let root = workspace_root();
    let report = regen(&root, &only, mode)?;
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    match mode {
        Mode::Write => {
            for change in &report.changed {
                println!("wrote {change}");
            }
            println!("regenerated: {} file(s) changed", report.changed.len());
            Ok(())
        }
        Mode::Check if report.changed.is_empty() => {
            println!("generated code is fresh");
            Ok(())
        }
        Mode::Check => {
            for change in &report.changed {
                eprintln!("stale: {change}");
            }
            for diff in &report.diffs {
                eprintln!("{diff}");
            }
            Err(format!(
                "{} generated file(s) are stale; run `{}` and commit the result",
                report.changed.len(),
                report.fix_command()
            ))
        }
    }
}

fn run_update(args: &[String]) -> Result<(), String> {
    let [api] = args else {
        return Err(format!(
            "update takes the name of one API under specs/\n{USAGE}"
        ));
    };
    let options = xtask::update::UpdateOptions::default();
    let updated = xtask::update::update(&workspace_root(), api, &options)?;
    println!("fetched {} ({} bytes)", updated.url, updated.bytes);
    if !updated.changed {
        println!(
            "{} is already the vendor's current document: nothing to do",
            updated.spec
        );
        return Ok(());
    }
    println!("wrote {} and its settings' sha256 and day", updated.spec);
    if let Some((from, to)) = &updated.version_raised {
        println!("raised the crate's version from {from} to {to}: the changes need it");
    }
    for file in &updated.written {
        println!("wrote {file}");
    }
    println!();
    print!("{}", xtask::changes::markdown(&updated.report));
    Ok(())
}

fn run_diff(args: &[String]) -> Result<(), String> {
    let mut base = "HEAD".to_owned();
    let mut json = false;
    let mut only = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--base" => {
                base = iter
                    .next()
                    .ok_or_else(|| format!("{arg} needs a revision"))?
                    .clone()
            }
            "--json" => json = true,
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}\n{USAGE}"));
            }
            api => only.push(api.to_owned()),
        }
    }
    let report = xtask::changes::diff(&workspace_root(), &base, &only)?;
    if json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        print!("{}", xtask::changes::markdown(&report));
    }
    if report.breaking {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        // Callers' code breaks: say so in the exit code, for scripts and CI.
        std::process::exit(2);
    }
    Ok(())
}

fn run_spec(args: &[String]) -> Result<(), String> {
    let mut api = None;
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--out" => {
                out = Some(PathBuf::from(
                    iter.next().ok_or_else(|| format!("{arg} needs a value"))?,
                ))
            }
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}\n{USAGE}"));
            }
            name if api.is_none() => api = Some(name.to_owned()),
            extra => return Err(format!("spec takes one API, found also {extra:?}\n{USAGE}")),
        }
    }
    let Some(api) = api else {
        return Err(format!(
            "spec needs the name of an API under specs/\n{USAGE}"
        ));
    };
    let document = xtask::effective_spec(&workspace_root(), &api)?;
    match out {
        Some(path) => {
            xtask::write_document(&path, &document)?;
            eprintln!("wrote {}", path.display());
        }
        None => print!(
            "{}",
            xtask::document_text(std::path::Path::new("-.json"), &document)?
        ),
    }
    Ok(())
}

fn run_generate(args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut options = GenerateOptions::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = || -> Result<String, String> { Err(format!("{arg} needs a value")) };
        let mut next = || iter.next().cloned().map_or_else(value, Ok);
        match arg.as_str() {
            "--spec" => spec = Some(next()?),
            "--out" => out = Some(next()?),
            "--name" => name = Some(next()?),
            "--config" => options.config = Some(PathBuf::from(next()?)),
            "--overlay" => options.overlays.push(PathBuf::from(next()?)),
            "--emit-spec" => options.emit_spec = Some(PathBuf::from(next()?)),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let (Some(spec), Some(out), Some(name)) = (spec, out, name) else {
        return Err(format!("generate needs --spec, --out and --name\n{USAGE}"));
    };
    let generated = xtask::generate_one(
        &PathBuf::from(&spec),
        &PathBuf::from(&out),
        &name,
        &spec,
        &options,
    )?;
    for warning in &generated.warnings {
        eprintln!("warning: {spec}: {warning}");
    }
    println!(
        "generated {name} in {out} ({} files)",
        generated.files.len()
    );
    Ok(())
}

fn run_corpus(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let mut check = true;
    let mut dir = root.join("tests/corpus");
    let mut random: Option<usize> = None;
    let mut seed: u64 = 1;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--no-check" => check = false,
            "--random" | "--seed" => {
                let value = iter.next().ok_or_else(|| format!("{arg} needs a number"))?;
                let number: u64 = value
                    .parse()
                    .map_err(|_| format!("{arg} {value:?}: expected a number"))?;
                if arg == "--random" {
                    random = Some(number as usize);
                } else {
                    seed = number;
                }
            }
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option {flag:?}\n{USAGE}"));
            }
            path => dir = PathBuf::from(path),
        }
    }
    if let Some(count) = random {
        dir = root.join("target/random-documents");
        xtask::corpus::write_random(&dir, seed, count)?;
    }
    let rows = xtask::corpus::run(&dir, &root.join("target/corpus"), check)?;
    print!("{}", xtask::corpus::table(&rows));
    let failed = rows.iter().filter(|r| !r.ok()).count();
    if failed > 0 {
        return Err(format!("{failed} document(s) did not generate or compile"));
    }
    Ok(())
}
