//! `cargo xtask bench`: the generator's speed and memory on large documents, beside progenitor's.
//!
//! For each document (the five `specs/<api>/`, with their settings and overlays, the large
//! documents of `tests/corpus/`, and Stripe's where the cargo registry has it), in one run:
//!
//! - the stages, in this process: load (read, overlays, focus, referenced files), lower
//!   (normalize and build the IR), emit (token streams) and format (parse and print); the
//!   fastest of the runs of each;
//! - the whole process: `xtask generate` (release build) into a folder, as a user runs it; the
//!   fastest and the median wall time of the runs, and the peak memory (resident set) of the
//!   fastest;
//! - the same for progenitor 0.15 (`bench/progenitor/`, its own crate outside the workspace),
//!   on the effective document as JSON, where it makes a crate; otherwise whether it refuses
//!   the document or panics;
//! - `cargo check` of each crate made, with its dependencies already built: the crate's
//!   `lib.rs` is touched and the crate checked again, whole (not incrementally), the faster of
//!   two.
//!
//! It prints two markdown tables, for `docs/benchmarks.md`. It is slow (it builds progenitor
//! and the crates' dependencies the first time), so CI does not run it.

use crate::{regen_targets, relative};
use apigen_codegen::{Adjustments, CrateSettings, StageTimes};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The large documents of `tests/corpus/` measured besides the five specs, and a short name
/// for each.
const CORPUS: [(&str, &str); 3] = [
    ("progenitor_api.github.com.json", "github"),
    ("discord_openapi.json", "discord"),
    ("progenitor_nexus.json", "nexus"),
];

/// The progenitor version the bench crate pins (`bench/progenitor/Cargo.toml`).
const PROGENITOR: &str = "progenitor 0.15.1";

const USAGE: &str = "usage: cargo xtask bench [--runs N] [--no-check] [--no-progenitor] [NAME...]";

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs of each measurement (the stages: the fastest; whole processes: the fastest and the
    /// median).
    pub runs: usize,
    /// Also time `cargo check` of the crates made.
    pub check: bool,
    /// Also run progenitor.
    pub progenitor: bool,
    /// Only the documents whose name contains one of these.
    pub only: Vec<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            runs: 5,
            check: true,
            progenitor: true,
            only: Vec::new(),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--runs" => {
                    let value = iter.next().ok_or("--runs needs a number")?;
                    options.runs =
                        value.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                            format!("--runs {value:?}: expected a number above 0")
                        })?;
                }
                "--no-check" => options.check = false,
                "--no-progenitor" => options.progenitor = false,
                flag if flag.starts_with('-') => {
                    return Err(format!("unknown option {flag:?}\n{USAGE}"));
                }
                name => options.only.push(name.to_owned()),
            }
        }
        Ok(options)
    }
}

/// `cargo xtask bench ARGS`. Figures from a debug build mean nothing: from one, it builds the
/// release `xtask` and runs the bench there.
pub fn command(root: &Path, args: &[String]) -> Result<(), String> {
    if args.first().is_some_and(|a| a == "--measure") {
        return measure_helper(&args[1..]);
    }
    let options = Options::parse(args)?;
    if cfg!(debug_assertions) {
        let release = build_release_xtask(root)?;
        let status = Command::new(&release)
            .arg("bench")
            .args(args)
            .status()
            .map_err(|e| format!("{}: {e}", release.display()))?;
        return if status.success() {
            Ok(())
        } else {
            Err("the release build of the bench failed".to_owned())
        };
    }
    let xtask = std::env::current_exe().map_err(|e| format!("this program's path: {e}"))?;
    print!("{}", run(root, &xtask, &options)?);
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

fn build_release_xtask(root: &Path) -> Result<PathBuf, String> {
    eprintln!("building the release xtask...");
    let status = cargo()
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p xtask failed".to_owned());
    }
    Ok(target_dir(root)
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// One document to measure.
struct Document {
    /// As the tables name it.
    name: String,
    spec: PathBuf,
    adjustments: Adjustments,
    settings: CrateSettings,
    /// A short name for folders and crates.
    slug: String,
}

fn documents(root: &Path, only: &[String]) -> Result<(Vec<Document>, Vec<String>), String> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for target in regen_targets(root)? {
        if !target.out.starts_with(root.join("generated")) {
            continue;
        }
        let api = target
            .out
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        out.push(Document {
            name: format!("specs/{api}"),
            spec: target.spec,
            adjustments: target.adjustments,
            settings: target.settings,
            slug: api,
        });
    }
    let sources = corpus_sources(root);
    for (file, slug) in CORPUS {
        let spec = root.join("tests/corpus").join(file);
        out.push(Document {
            name: sources
                .get(file)
                .cloned()
                .unwrap_or_else(|| format!("corpus/{file}")),
            settings: CrateSettings {
                crate_name: format!("{slug}-client"),
                spec_display: relative(root, &spec),
                command: "cargo xtask bench".to_owned(),
                runtime_path: "../runtime".to_owned(),
                standalone: true,
                provenance: Default::default(),
            },
            spec,
            adjustments: Adjustments::default(),
            slug: slug.to_owned(),
        });
    }
    match stripe() {
        Some(spec) => {
            // `.../openapiv3-2.2.0/fixtures/stripe.yaml`: the crate and its version.
            let package = spec
                .parent()
                .and_then(Path::parent)
                .and_then(Path::file_name)
                .map_or_else(
                    || "openapiv3".to_owned(),
                    |n| n.to_string_lossy().into_owned(),
                );
            let (krate, version) = package.rsplit_once('-').unwrap_or((&package, "?"));
            notes.push(format!(
                "Stripe's document is not in tests/corpus/; the one measured is the fixture the \
                 `{krate}` crate {version} ships (a dependency of progenitor), \
                 `fixtures/stripe.yaml` in its package on crates.io."
            ));
            out.push(Document {
                name: format!("Stripe: crate {krate} {version} (crates.io), fixtures/stripe.yaml"),
                settings: CrateSettings {
                    crate_name: "stripe-client".to_owned(),
                    spec_display: "stripe.yaml".to_owned(),
                    command: "cargo xtask bench".to_owned(),
                    runtime_path: "../runtime".to_owned(),
                    standalone: true,
                    provenance: Default::default(),
                },
                spec,
                adjustments: Adjustments::default(),
                slug: "stripe".to_owned(),
            });
        }
        None => notes.push(
            "Stripe's document is not in tests/corpus/, nor in the cargo registry (the \
             openapiv3 crate's fixture): not measured."
                .to_owned(),
        ),
    }
    out.retain(|d| {
        only.is_empty()
            || only
                .iter()
                .any(|o| d.name.contains(o.as_str()) || d.slug.contains(o.as_str()))
    });
    if out.is_empty() {
        return Err(format!("no document's name contains any of {only:?}"));
    }
    Ok((out, notes))
}

/// How each document of `tests/corpus/` is named in the tables: where it comes from (its
/// repository, commit and path, from `tests/corpus/MANIFEST.tsv`).
fn corpus_sources(root: &Path) -> std::collections::BTreeMap<&'static str, String> {
    let manifest = fs::read_to_string(root.join("tests/corpus/MANIFEST.tsv")).unwrap_or_default();
    let mut out = std::collections::BTreeMap::new();
    for (file, _) in CORPUS {
        let found = manifest.lines().find_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            (cells.first() == Some(&file) && cells.len() > 3).then(|| {
                let commit = cells[2].get(..7).unwrap_or(cells[2]);
                format!("{}@{commit} {}", cells[1], cells[3])
            })
        });
        if let Some(name) = found {
            out.insert(file, name);
        }
    }
    out
}

/// Stripe's document as the `openapiv3` crate ships it among its test fixtures, in the cargo
/// registry once progenitor's bench crate has been built; the last version found.
fn stripe() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let mut found = None;
    for index in crate::sorted_entries(&home.join("registry/src")).ok()? {
        for package in crate::sorted_entries(&index).unwrap_or_default() {
            let name = package.file_name().unwrap_or_default().to_string_lossy();
            let file = package.join("fixtures/stripe.yaml");
            if name.starts_with("openapiv3-") && file.is_file() {
                found = Some(file);
            }
        }
    }
    found
}

/// A process measured: its wall time, peak resident memory and exit code.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: Duration,
    /// KiB; `None` where the platform does not say.
    peak_kib: Option<u64>,
    code: Option<i32>,
}

/// Runs `command` to its end, its output into `log`, and measures it.
fn measure(command: &mut Command, log: &Path) -> Result<Measured, String> {
    let out = fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    wait_measured(child, started)
}

#[cfg(unix)]
fn wait_measured(child: std::process::Child, started: Instant) -> Result<Measured, String> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is a plain C struct for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our child, not yet waited for (the `Child` is never waited on);
        // `status` and `usage` are valid for writes.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("waiting for process {pid}: {error}"));
        }
    }
    let wall = started.elapsed();
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux gives `ru_maxrss` in KiB.
    let peak_kib = u64::try_from(usage.ru_maxrss).ok();
    Ok(Measured {
        wall,
        peak_kib,
        code,
    })
}

#[cfg(not(unix))]
fn wait_measured(mut child: std::process::Child, started: Instant) -> Result<Measured, String> {
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok(Measured {
        wall: started.elapsed(),
        peak_kib: None,
        code: status.code(),
    })
}

/// The fastest of `runs` runs of `program` with `args` in `dir` (after one run not counted,
/// which warms the file cache), with its peak memory, and the median wall time. Each run starts
/// with `fresh` removed, and writes its output to `log`. A failed run is returned as it is.
///
/// The runs are started by a small helper process (this program, `bench --measure`): Linux
/// counts in a child's peak memory the memory of the process that started it, before it
/// replaced itself with the program, and this one holds the documents it generated.
fn repeat(
    runs: usize,
    fresh: &Path,
    log: &Path,
    dir: &Path,
    program: &Path,
    args: &[&std::ffi::OsStr],
) -> Result<(Measured, Duration), String> {
    let xtask = std::env::current_exe().map_err(|e| format!("this program's path: {e}"))?;
    let output = Command::new(&xtask)
        .args(["bench", "--measure", &runs.to_string()])
        .arg(fresh)
        .arg(log)
        .arg(dir)
        .arg(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", xtask.display()))?;
    if !output.status.success() {
        return Err(format!(
            "measuring {} failed: {}",
            program.display(),
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut all = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [wall, peak, code] = fields.as_slice() else {
            return Err(format!("unexpected line from the helper: {line:?}"));
        };
        all.push(Measured {
            wall: Duration::from_nanos(wall.parse().map_err(|_| format!("bad line {line:?}"))?),
            peak_kib: peak.parse().ok(),
            code: code.parse().ok(),
        });
    }
    if let Some(failed) = all.iter().find(|m| m.code != Some(0)) {
        return Ok((*failed, failed.wall));
    }
    let mut counted: Vec<Measured> = all.into_iter().skip(1).collect();
    counted.sort_by_key(|m| m.wall);
    match (counted.first(), counted.get(counted.len() / 2)) {
        (Some(fastest), Some(median)) => Ok((*fastest, median.wall)),
        _ => Err("no run was measured".to_owned()),
    }
}

/// `bench --measure RUNS FRESH LOG DIR PROGRAM ARGS...`, the helper of [`repeat`]: runs the
/// program `RUNS + 1` times (stopping at a failure) and prints a line per run: wall time in
/// nanoseconds, peak memory in KiB (`-` where unknown), exit code (`-` when killed).
fn measure_helper(args: &[String]) -> Result<(), String> {
    let [runs, fresh, log, dir, program, rest @ ..] = args else {
        return Err("bench --measure RUNS FRESH LOG DIR PROGRAM ARGS...".to_owned());
    };
    let runs: usize = runs.parse().map_err(|_| format!("--measure {runs:?}"))?;
    for _ in 0..=runs {
        remove_dir(Path::new(fresh))?;
        let mut command = Command::new(program);
        command.args(rest).current_dir(dir);
        let measured = measure(&mut command, Path::new(log))?;
        let show = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
        println!(
            "{} {} {}",
            measured.wall.as_nanos(),
            show(measured.peak_kib.map(|k| k.to_string())),
            show(measured.code.map(|c| c.to_string())),
        );
        if measured.code != Some(0) {
            break;
        }
    }
    Ok(())
}

/// What was measured of one generator on one document.
#[derive(Debug, Clone, Default)]
struct Outcome {
    /// `None` when it made a crate; otherwise what happened ("refuses: ...", "panics").
    failure: Option<String>,
    /// The fastest run, and the median time of the runs.
    process: Option<(Measured, Duration)>,
    lines: usize,
    check: Option<Result<Duration, String>>,
    /// With a feature per tag: each tag checked alone, the fastest, median and slowest, and
    /// how many tags.
    tag_checks: Option<(usize, Duration, Duration, Duration)>,
}

/// One row of the tables.
struct Row {
    name: String,
    size_kib: u64,
    operations: usize,
    stages: StageTimes,
    ours: Outcome,
    progenitor: Option<Outcome>,
}

/// Measures every document and returns the report.
pub fn run(root: &Path, xtask: &Path, options: &Options) -> Result<String, String> {
    let work = target_dir(root).join("bench");
    fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    // First: building progenitor brings the openapiv3 crate, with its Stripe document.
    let progenitor = if options.progenitor {
        Some(build_progenitor(root)?)
    } else {
        None
    };
    let (documents, mut notes) = documents(root, &options.only)?;
    let mut rows = Vec::new();
    for document in &documents {
        eprintln!("measuring {}...", document.name);
        rows.push(measure_document(
            root,
            xtask,
            progenitor.as_deref(),
            &work,
            document,
            options,
        )?);
    }
    if progenitor.is_some() {
        notes.push(format!(
            "{PROGENITOR} is given each effective document (overlays applied, operations \
             filtered) as JSON; it reads OpenAPI 3.0 only."
        ));
    }
    Ok(report(&rows, &notes, options))
}

fn build_progenitor(root: &Path) -> Result<PathBuf, String> {
    eprintln!("building {PROGENITOR} (bench/progenitor)...");
    let target = target_dir(root).join("bench-progenitor");
    let status = cargo()
        .args([
            "build",
            "--release",
            "--quiet",
            "--locked",
            "--manifest-path",
        ])
        .arg(root.join("bench/progenitor/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building bench/progenitor failed".to_owned());
    }
    Ok(target
        .join("release")
        .join(format!("progenitor-bench{}", std::env::consts::EXE_SUFFIX)))
}

fn measure_document(
    root: &Path,
    xtask: &Path,
    progenitor: Option<&Path>,
    work: &Path,
    document: &Document,
    options: &Options,
) -> Result<Row, String> {
    let size_kib = fs::metadata(&document.spec).map_or(0, |m| m.len() / 1024);

    // The stages, in this process: the fastest run of each.
    let mut stages: Option<StageTimes> = None;
    let mut operations = 0;
    for _ in 0..options.runs {
        let (generated, times) = apigen_codegen::generate_timed(
            &document.spec,
            &document.adjustments,
            &document.settings,
        )
        .map_err(|e| e.to_string())?;
        operations = generated.api.operations.len();
        stages = Some(match stages {
            None => times,
            Some(best) => StageTimes {
                load: best.load.min(times.load),
                lower: best.lower.min(times.lower),
                emit: best.emit.min(times.emit),
                format: best.format.min(times.format),
                emission: best.emission.min(times.emission),
            },
        });
    }
    let stages = stages.unwrap_or_default();

    // The whole process, as a user runs it.
    let out = work.join("apigen").join(&document.slug);
    let crate_name = format!("bench-{}", document.slug);
    let process = repeat(
        options.runs,
        &out,
        &work.join(format!("{}.apigen.log", document.slug)),
        root,
        xtask,
        &[
            "generate".as_ref(),
            "--spec".as_ref(),
            document.spec.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--name".as_ref(),
            crate_name.as_ref(),
        ],
    )?;
    let mut ours = Outcome {
        process: Some(process),
        ..Outcome::default()
    };
    if process.0.code == Some(0) {
        ours.lines = rust_lines(&out)?;
        if options.check {
            fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
                .map_err(|e| format!("copying Cargo.lock: {e}"))?;
            ours.check = Some(check_time(&out, &work.join("check-apigen")));
            ours.tag_checks = tag_checks(&out, &work.join("check-apigen"))?;
        }
    } else {
        ours.failure = Some(first_line(
            &work.join(format!("{}.apigen.log", document.slug)),
        ));
    }

    let progenitor = match progenitor {
        Some(binary) => Some(run_progenitor(root, binary, work, document, options)?),
        None => None,
    };
    Ok(Row {
        name: document.name.clone(),
        size_kib,
        operations,
        stages,
        ours,
        progenitor,
    })
}

fn run_progenitor(
    root: &Path,
    binary: &Path,
    work: &Path,
    document: &Document,
    options: &Options,
) -> Result<Outcome, String> {
    // Progenitor reads JSON: give it the effective document.
    let input = work
        .join("progenitor-input")
        .join(format!("{}.json", document.slug));
    let effective = apigen_codegen::effective_document(
        &document.spec,
        &document.settings.spec_display,
        &document.adjustments,
    )
    .map_err(|e| e.to_string())?;
    crate::write_document(&input, &effective)?;
    let out = work.join("progenitor").join(&document.slug);
    let crate_name = format!("bench-progenitor-{}", document.slug);
    let log = work.join(format!("{}.progenitor.log", document.slug));
    let process = repeat(
        options.runs,
        &out,
        &log,
        root,
        binary,
        &[input.as_os_str(), out.as_os_str(), crate_name.as_ref()],
    )?;
    let mut outcome = Outcome {
        process: Some(process),
        ..Outcome::default()
    };
    match process.0.code {
        Some(0) => {
            outcome.lines = rust_lines(&out)?;
            if options.check {
                let seed = root.join("bench/progenitor/Cargo.lock");
                fs::copy(&seed, out.join("Cargo.lock"))
                    .map_err(|e| format!("copying {}: {e}", seed.display()))?;
                outcome.check = Some(check_time(&out, &work.join("check-progenitor")));
            }
        }
        Some(4) => outcome.failure = Some("panics".to_owned()),
        _ => {
            let text = fs::read_to_string(&log).unwrap_or_default();
            let said = text
                .lines()
                .find(|l| l.starts_with("refuses"))
                .unwrap_or("fails");
            outcome.failure = Some(said.to_owned());
        }
    }
    Ok(outcome)
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

fn first_line(log: &Path) -> String {
    fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("fails")
        .to_owned()
}

/// Lines of the `.rs` files under `dir`.
fn rust_lines(dir: &Path) -> Result<usize, String> {
    let mut lines = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in crate::sorted_entries(&current)? {
            if entry.is_dir() {
                if !entry.ends_with("target") {
                    stack.push(entry);
                }
            } else if entry.extension().is_some_and(|e| e == "rs") {
                let text =
                    fs::read_to_string(&entry).map_err(|e| format!("{}: {e}", entry.display()))?;
                lines += text.lines().count();
            }
        }
    }
    Ok(lines)
}

/// `cargo check` of the crate in `dir` with its dependencies built: one check to build them
/// (into `target`, shared by the crates of one generator), then `src/lib.rs` touched and
/// the crate checked again, whole (not incrementally), twice; the faster.
fn check_time(dir: &Path, target: &Path) -> Result<Duration, String> {
    check_time_with(dir, target, &[], 2)
}

/// [`check_time`] with more arguments to `cargo check`, the fastest of `repeats`.
fn check_time_with(
    dir: &Path,
    target: &Path,
    extra: &[&str],
    repeats: usize,
) -> Result<Duration, String> {
    let check = || {
        cargo()
            .args(["check", "--quiet", "--lib"])
            .args(extra)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env("CARGO_INCREMENTAL", "0")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))
    };
    let warm = check()?;
    if !warm.status.success() {
        let stderr = String::from_utf8_lossy(&warm.stderr);
        let error = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("cargo check failed");
        return Err(error.to_owned());
    }
    let lib = dir.join("src/lib.rs");
    let mut best = Duration::MAX;
    for _ in 0..repeats {
        fs::File::options()
            .write(true)
            .open(&lib)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| format!("{}: {e}", lib.display()))?;
        let started = Instant::now();
        let output = check()?;
        best = best.min(started.elapsed());
        if !output.status.success() {
            return Err("cargo check failed the second time".to_owned());
        }
    }
    Ok(best)
}

/// Each tag's feature checked alone, once: the fastest, median and slowest check, and how many
/// tags. `None` for a crate without features per tag.
fn tag_checks(
    dir: &Path,
    target: &Path,
) -> Result<Option<(usize, Duration, Duration, Duration)>, String> {
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let features = crate::corpus::tag_features(&manifest);
    let mut times = Vec::new();
    for feature in &features {
        let time = check_time_with(
            dir,
            target,
            &["--no-default-features", "--features", feature],
            1,
        )?;
        times.push(time);
    }
    times.sort();
    Ok(match (times.first(), times.last()) {
        (Some(first), Some(last)) => Some((times.len(), *first, times[times.len() / 2], *last)),
        _ => None,
    })
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn secs(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64())
}

fn times((fastest, median): (Measured, Duration)) -> String {
    format!("{} / {}", secs(fastest.wall), secs(median))
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("-".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0))
}

fn per_operation(lines: usize, operations: usize) -> String {
    if operations == 0 {
        "-".to_owned()
    } else {
        format!("{:.0}", lines as f64 / operations as f64)
    }
}

fn check_cell(check: &Option<Result<Duration, String>>) -> String {
    match check {
        None => "-".to_owned(),
        Some(Ok(d)) => format!("{:.2}", d.as_secs_f64()),
        Some(Err(e)) => format!("fails: {e}"),
    }
}

/// The tables and the notes under them.
fn report(rows: &[Row], notes: &[String], options: &Options) -> String {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned());
    let _ = writeln!(
        out,
        "`cargo xtask bench` ({} runs), {}, {cores} cores ({cpu})\n",
        options.runs,
        chrono::Utc::now().format("%Y-%m-%d"),
    );
    let _ = writeln!(
        out,
        "| document | KiB | operations | load ms | lower ms | emit ms | format ms | emission ms | process s (fastest / median) | peak MiB | lines | lines/op | check s | one tag: check s (fastest / median / slowest of n) |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for row in rows {
        let s = &row.stages;
        let process = row.ours.process;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.name,
            row.size_kib,
            row.operations,
            ms(s.load),
            ms(s.lower),
            ms(s.emit),
            ms(s.format),
            ms(s.emission),
            row.ours
                .failure
                .clone()
                .unwrap_or_else(|| process.map_or("-".to_owned(), times)),
            mib(process.and_then(|p| p.0.peak_kib)),
            row.ours.lines,
            per_operation(row.ours.lines, row.operations),
            check_cell(&row.ours.check),
            row.ours
                .tag_checks
                .map_or("-".to_owned(), |(n, fastest, median, slowest)| format!(
                    "{:.2} / {:.2} / {:.2} of {n}",
                    fastest.as_secs_f64(),
                    median.as_secs_f64(),
                    slowest.as_secs_f64()
                )),
        );
    }
    if rows.iter().any(|r| r.progenitor.is_some()) {
        let _ = writeln!(
            out,
            "\n| document | {PROGENITOR} | process s (fastest / median) | peak MiB | lines | lines/op | check s | apigen's time / progenitor's | apigen's check / progenitor's |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for row in rows {
            let Some(theirs) = &row.progenitor else {
                continue;
            };
            let made = theirs.failure.is_none();
            let process = theirs.process.filter(|_| made);
            let ratio = match (row.ours.process, process) {
                (Some(ours), Some(theirs)) if row.ours.failure.is_none() => format!(
                    "{:.2}",
                    ours.0.wall.as_secs_f64() / theirs.0.wall.as_secs_f64()
                ),
                _ => "-".to_owned(),
            };
            let check_ratio = match (&row.ours.check, &theirs.check) {
                (Some(Ok(ours)), Some(Ok(theirs))) => {
                    format!("{:.2}", ours.as_secs_f64() / theirs.as_secs_f64())
                }
                _ => "-".to_owned(),
            };
            let cell = |text: String| if made { text } else { "-".to_owned() };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {ratio} | {check_ratio} |",
                row.name,
                theirs.failure.as_deref().unwrap_or("generates"),
                cell(process.map_or("-".to_owned(), times)),
                cell(mib(process.and_then(|p| p.0.peak_kib))),
                cell(theirs.lines.to_string()),
                cell(per_operation(theirs.lines, row.operations)),
                check_cell(&theirs.check),
            );
        }
    }
    let _ = writeln!(
        out,
        "\nStages: in one process, the fastest of the runs; emit and format are summed over \
         the threads that share them, emission is their time start to end. Process: \
         `xtask generate` (or progenitor's) from start to exit, the fastest / the median of the \
         runs, and the peak resident memory of the fastest; the ratio is of the fastest. Lines: of the `.rs` files. Check: `cargo check` of the crate, \
         whole (not incrementally), with its dependencies built."
    );
    for note in notes {
        let _ = writeln!(out, "{note}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options() {
        let options = Options::parse(&args(&["--runs", "3", "--no-check", "nexus"])).unwrap();
        assert_eq!(options.runs, 3);
        assert!(!options.check);
        assert!(options.progenitor);
        assert_eq!(options.only, ["nexus"]);
        assert!(Options::parse(&args(&["--runs", "0"])).is_err());
        assert!(Options::parse(&args(&["--runs"])).is_err());
        assert!(Options::parse(&args(&["--fast"])).is_err());
    }

    #[test]
    fn cells() {
        assert_eq!(per_operation(1480, 10), "148");
        assert_eq!(per_operation(10, 0), "-");
        assert_eq!(mib(Some(2048)), "2");
        assert_eq!(mib(None), "-");
        assert_eq!(secs(Duration::from_millis(37)), "0.037");
        assert_eq!(check_cell(&Some(Err("no".to_owned()))), "fails: no");
    }
}
