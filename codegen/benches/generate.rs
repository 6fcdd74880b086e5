//! How fast the generator is on real documents, stage by stage. Prints a table; asserts nothing.
//!
//! `cargo bench -p apigen-codegen` (optimised build). Each document is generated several times;
//! the table shows the fastest run of each stage and the process's peak memory at the end.

use apigen_codegen::{CrateSettings, emit, load, lower_value};
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn settings(name: &str) -> CrateSettings {
    CrateSettings {
        crate_name: "bench-client".to_owned(),
        spec_display: name.to_owned(),
        command: "cargo bench".to_owned(),
        runtime_path: "../runtime".to_owned(),
        standalone: false,
        provenance: Default::default(),
    }
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn millis(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf();
    let documents = [
        "tests/corpus/progenitor_api.github.com.json",
        "tests/corpus/discord_openapi.json",
        "tests/corpus/progenitor_nexus.json",
        "specs/retab/openapi.yaml",
        "specs/tamtam/openapi.yaml",
    ];
    println!("| document | size KiB | load ms | normalize+lower ms | emit ms | total ms | lines |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for relative in documents {
        let path = root.join(relative);
        let name = relative
            .rsplit('/')
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("/");
        let size = std::fs::metadata(&path)
            .map(|m| m.len() / 1024)
            .unwrap_or(0);
        let mut best = [Duration::MAX; 3];
        let mut lines = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let value = load::load_file(&path, &name).expect("loads");
            let loaded = Instant::now();
            let (api, _warnings) = lower_value(&value, &name).expect("lowers");
            let lowered = Instant::now();
            let files = emit::emit_crate(&api, &settings(&name)).expect("emits");
            let emitted = Instant::now();
            best[0] = best[0].min(loaded - started);
            best[1] = best[1].min(lowered - loaded);
            best[2] = best[2].min(emitted - lowered);
            lines = files.values().map(|f| f.lines().count()).sum();
        }
        let total = best[0] + best[1] + best[2];
        println!(
            "| {name} | {size} | {} | {} | {} | {} | {lines} |",
            millis(best[0]),
            millis(best[1]),
            millis(best[2]),
            millis(total)
        );
    }
    if let Some(kib) = peak_memory_kib() {
        println!("\npeak memory: {:.1} MiB", kib as f64 / 1024.0);
    }
}
