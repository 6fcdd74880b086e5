//! `apigen`: the generator as a command, over the same library call as build scripts use.

use apigen_codegen::{Builder, api_diff, write};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

const EXIT_CODES: &str = "\
Exit codes:
  0  done (for check: the folder holds what generate would write; for diff: nothing breaks)
  1  bad input (a document, settings or overlay that cannot be used, a folder that cannot be
     written), or check found the folder differs; one line on stderr says which and where
  2  diff found a breaking change";

/// Typed async Rust clients from OpenAPI documents (3.0, 3.1, 3.2; YAML or JSON).
#[derive(Parser)]
#[command(name = "apigen", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate into a folder (its files written where they differ, files of an
    /// earlier generation that are no longer made removed).
    #[command(after_help = EXIT_CODES)]
    Generate(Crate),
    /// Fail (exit 1) when a folder does not hold what `generate` would write there; writes
    /// nothing.
    #[command(after_help = EXIT_CODES)]
    Check(Crate),
    /// Print (or write to --out) the effective document: overlays applied, operations kept.
    #[command(after_help = EXIT_CODES)]
    Spec {
        #[command(flatten)]
        input: Input,
        /// Write it here instead: YAML for `.yaml`/`.yml`, else JSON.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Compare the public API generated from two documents (a vendor's old and new), with the
    /// same settings and overlays: every change judged by its effect on callers' code.
    #[command(after_help = EXIT_CODES)]
    Diff {
        /// The document before.
        old: PathBuf,
        #[command(flatten)]
        input: Input,
        /// The changes as JSON instead of a Markdown table.
        #[arg(long)]
        json: bool,
    },
}

/// A document and what adjusts it.
#[derive(Args)]
struct Input {
    /// The OpenAPI document (for diff: the document after).
    spec: PathBuf,
    /// Settings (codegen.toml); without it, a codegen.toml beside the document, if any.
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// An overlay, applied in the order given; without any, the overlays/ folder beside the
    /// document.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
}

/// A crate to generate or check.
#[derive(Args)]
struct Crate {
    #[command(flatten)]
    input: Input,
    /// The crate's folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The crate's name; the folder's name unless given.
    #[arg(long)]
    name: Option<String>,
    /// Where the crate finds apigen-runtime, as a path from its folder; the runtime beside the
    /// generator's own source unless given.
    #[arg(long, value_name = "PATH")]
    runtime_path: Option<String>,
}

impl Input {
    fn builder(&self, spec: &Path) -> Builder {
        let mut builder = Builder::new(spec);
        if let Some(settings) = &self.settings {
            builder = builder.settings(settings);
        }
        for overlay in &self.overlays {
            builder = builder.overlay(overlay);
        }
        builder
    }
}

impl Crate {
    fn builder(&self) -> Result<Builder, String> {
        let name = match &self.name {
            Some(name) => name.clone(),
            None => self
                .out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| {
                    format!("--out {}: name the crate with --name", self.out.display())
                })?,
        };
        let mut builder = self.input.builder(&self.input.spec).name(name);
        if let Some(path) = &self.runtime_path {
            builder = builder.runtime_path(path);
        }
        Ok(builder)
    }
}

/// How a command ended: its exit code, and a message for stderr.
type Outcome = Result<u8, String>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The generator recurses over nested schemas: it runs on a thread with room to.
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || with_progress(&cli.command));
    let outcome = match worker.map(|handle| handle.join()) {
        Ok(Ok(outcome)) => outcome,
        _ => Err(
            "internal error in the generator (a bug: please report it with the document)"
                .to_owned(),
        ),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Runs the command; on a terminal, a spinner shows once it has taken a second.
fn with_progress(command: &Command) -> Outcome {
    let what = match command {
        Command::Generate(c) | Command::Check(c) => c.input.spec.display().to_string(),
        Command::Spec { input, .. } | Command::Diff { input, .. } => {
            input.spec.display().to_string()
        }
    };
    std::thread::scope(|scope| {
        let (done, finished) = std::sync::mpsc::channel::<()>();
        scope.spawn(move || {
            if finished.recv_timeout(Duration::from_secs(1)).is_ok() {
                return;
            }
            // Hidden when stderr is not a terminal.
            let spinner = indicatif::ProgressBar::new_spinner();
            spinner.set_message(format!("generating from {what}"));
            while finished.recv_timeout(Duration::from_millis(100)).is_err() {
                spinner.tick();
            }
            spinner.finish_and_clear();
        });
        let outcome = run(command);
        let _ = done.send(());
        outcome
    })
}

fn run(command: &Command) -> Outcome {
    match command {
        Command::Generate(krate) => {
            let output = krate
                .builder()?
                .write_crate(&krate.out)
                .map_err(|e| e.to_string())?;
            warn(&krate.input.spec, &output.warnings);
            eprintln!(
                "generated {} files into {} in {:.2} s",
                output.files.len(),
                krate.out.display(),
                output.times.load.as_secs_f64()
                    + output.times.lower.as_secs_f64()
                    + output.times.emission.as_secs_f64()
            );
            Ok(0)
        }
        Command::Check(krate) => {
            let output = krate
                .builder()?
                .generate_at(&krate.out)
                .map_err(|e| e.to_string())?;
            warn(&krate.input.spec, &output.warnings);
            let differences = write::differences(&krate.out, &output.files)?;
            if differences.is_empty() {
                eprintln!("{} is up to date", krate.out.display());
                return Ok(0);
            }
            let listed: Vec<String> = differences
                .iter()
                .map(|d| format!("{} ({})", d.path(), d.state()))
                .collect();
            Err(format!(
                "{} differs from what generate would write: {}",
                krate.out.display(),
                listed.join(", ")
            ))
        }
        Command::Spec { input, out } => {
            let document = input
                .builder(&input.spec)
                .effective_document()
                .map_err(|e| e.to_string())?;
            match out {
                Some(path) => {
                    let text = write::document_text(path, &document)?;
                    write::write_if_changed(path, &text)?;
                }
                None => {
                    let text = write::document_text(Path::new("-.json"), &document)?;
                    print!("{text}");
                }
            }
            Ok(0)
        }
        Command::Diff { old, input, json } => {
            let before = input.builder(old).generate().map_err(|e| e.to_string())?;
            let after = input
                .builder(&input.spec)
                .generate()
                .map_err(|e| e.to_string())?;
            let changes = api_diff::diff(&before.surface(), &after.surface());
            if *json {
                let text = serde_json::to_string_pretty(&changes).map_err(|e| e.to_string())?;
                println!("{text}");
            } else if changes.is_empty() {
                println!("No change to the public API.");
            } else {
                print!("{}", api_diff::table(&changes));
            }
            let breaking = api_diff::overall(&changes) == Some(api_diff::Effect::Breaking);
            Ok(if breaking { 2 } else { 0 })
        }
    }
}

/// Each warning on its own line, naming the document.
fn warn(spec: &Path, warnings: &[apigen_codegen::Warning]) {
    for warning in warnings {
        eprintln!("warning: {}: {warning}", spec.display());
    }
}
