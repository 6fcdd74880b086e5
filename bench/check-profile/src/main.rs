//! Where a generated crate's `cargo check` time goes, by kind of item: reads a rustc
//! self-profile (`-Zself-profile -Zself-profile-events=default,query-keys`), gives each query
//! its self time, charges it to the nearest enclosing query that names an item of the crate,
//! and sums by kind (serde impls, `ReadObject::read`, derives, request builders, ...).
//!
//! ```sh
//! cargo run --release --manifest-path bench/check-profile/Cargo.toml -- PROFILE_STEM CRATE_NAME
//! ```

use analyzeme::ProfilingData;
use std::collections::HashMap;
use std::path::Path;

/// One query or activity: when it ran, its label and the item it was about.
struct Span {
    start: u128,
    end: u128,
    label: String,
    item: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(stem), Some(krate)) = (args.next(), args.next()) else {
        eprintln!("usage: check-profile PROFILE_STEM CRATE_NAME (the crate name with `_`)");
        std::process::exit(2);
    };
    let data = match ProfilingData::new(Path::new(&stem)) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("{stem}: {e}");
            std::process::exit(1);
        }
    };
    let mut threads: HashMap<u32, Vec<Span>> = HashMap::new();
    for event in data.iter_full() {
        let (Some(duration), Some(at)) = (event.payload.duration(), event.payload.timestamp())
        else {
            continue;
        };
        let start = at
            .start()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        threads.entry(event.thread_id).or_default().push(Span {
            start,
            end: start + duration.as_nanos(),
            label: event.label.to_string(),
            item: event
                .additional_data
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        });
    }
    let mut by_kind: HashMap<String, u128> = HashMap::new();
    let mut by_label: HashMap<String, u128> = HashMap::new();
    let mut total = 0u128;
    for (_, mut spans) in threads {
        spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        // The open spans: index, time of their children, kind charged.
        let mut stack: Vec<(usize, u128, Option<String>)> = Vec::new();
        let mut close = |stack: &mut Vec<(usize, u128, Option<String>)>, total: &mut u128| {
            let Some((i, children, kind)) = stack.pop() else {
                return;
            };
            let own = spans[i].end - spans[i].start;
            match stack.last_mut() {
                Some(parent) => parent.1 += own,
                None => *total += own,
            }
            let own = own.saturating_sub(children);
            let kind = kind.unwrap_or_else(|| {
                "(whole crate: parsing, expansion, resolution, metadata)".into()
            });
            *by_kind.entry(kind).or_default() += own;
            *by_label.entry(spans[i].label.clone()).or_default() += own;
        };
        for i in 0..spans.len() {
            while stack
                .last()
                .is_some_and(|top| spans[top.0].end <= spans[i].start)
            {
                close(&mut stack, &mut total);
            }
            let inherited = stack.last().and_then(|top| top.2.clone());
            let kind = kind_of(&spans[i].item, &krate).or(inherited);
            stack.push((i, 0, kind));
        }
        while !stack.is_empty() {
            close(&mut stack, &mut total);
        }
    }
    let ms = |n: u128| n as f64 / 1e6;
    println!(
        "{:.0} ms in all (the profiler's own work included)\n",
        ms(total)
    );
    println!("| kind of item | ms | share |\n|---|---:|---:|");
    let mut kinds: Vec<_> = by_kind.into_iter().filter(|(_, t)| *t > 0).collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    for (kind, time) in &kinds {
        let share = 100.0 * *time as f64 / total as f64;
        println!("| {kind} | {:.0} | {share:.1}% |", ms(*time));
    }
    println!("\n| rustc query | ms |\n|---|---:|");
    let mut labels: Vec<_> = by_label.into_iter().collect();
    labels.sort_by_key(|l| std::cmp::Reverse(l.1));
    for (label, time) in labels.iter().take(12) {
        println!("| {label} | {:.0} |", ms(*time));
    }
}

/// The kind of item a query's key names, when it is an item of `krate`.
fn kind_of(item: &str, krate: &str) -> Option<String> {
    let at = item.find(&format!("{krate}::"))?;
    let path = &item[at + krate.len() + 2..];
    let module = path.split("::").next().unwrap_or("");
    let last = path.rsplit("::").next().unwrap_or("");
    // serde's derives put their impls in `const _: () = { ... }`, which rustc names `_`.
    let serde_derived = path
        .split("::")
        .nth(1)
        .is_some_and(|s| s == "_" || s.starts_with("_["));
    let kind = match module {
        "types" if serde_derived => {
            if path.contains("visit_seq") {
                "types: serde derive, visit_seq"
            } else if path.contains("visit_map") {
                "types: serde derive, visit_map"
            } else if matches!(last, "visit_u64" | "visit_str" | "visit_bytes") {
                "types: serde derive, field names"
            } else if path.contains("serialize") && !path.contains("deserialize") {
                "types: serde derive, Serialize"
            } else {
                "types: serde derive, other"
            }
        }
        "types" => match last {
            "read" => "types: ReadObject::read",
            "serialize" => "types: Serialize",
            "deserialize" => "types: Deserialize",
            "fmt" => "types: Debug/Display",
            "clone" => "types: Clone",
            "eq" => "types: PartialEq",
            "hash" => "types: Hash",
            "as_str" | "from" => "types: enum as_str/From",
            "new" | "default" => "types: constructors",
            _ => "types: definitions and other",
        },
        "requests" => match last {
            "header" | "timeout" | "total_timeout" | "retry_policy" | "idempotency_key"
            | "max_body_size" => "requests: per-call options",
            "send" | "send_with_meta" | "call" | "into_future" => "requests: send, IntoFuture",
            "request" => "requests: request()",
            "read" => "requests: read()",
            "pages" | "pages_from" | "items" | "items_from" | "page_info" | "page_items"
            | "page_request" | "size" => "requests: pages",
            "fmt" => "requests: Debug",
            "clone" => "requests: Clone",
            _ => "requests: setters and other",
        },
        "client" => "client",
        "error" => "error",
        _ => return None,
    };
    Some(kind.to_owned())
}
