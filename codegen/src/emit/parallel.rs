//! Building and printing a crate's Rust files on several threads, with the same bytes as one.
//!
//! A file is either built whole, or made of [`Pieces`]: items that can be built apart, in runs
//! of [`RUN`] items, each run with a scope of its own. A run is built, parsed and printed on
//! whichever thread takes it (a token stream cannot leave the thread that made it, so each job
//! goes from the IR to text on one thread). The file's opening, with its `use` block, is built
//! last, from the names all its runs used. Where two runs disagree on what a short name stands
//! for, the text would depend on which came first, and the file is built again in one piece.

use super::EmitTimes;
use super::scope::Scope;
use super::text::{FILE_START, Spaced, UNKNOWN, finish, print, space};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Items per run: small, so that the runs of a large file spread evenly over the threads and
/// each run's tokens and syntax tree stay small (measured: 8 to 16 is fastest, and 8 takes the
/// least memory), yet large enough that a run's own costs (its scope, a parse) stay small.
const RUN: usize = 8;

/// At most this many threads: there are rarely more large files or runs to share.
const THREADS: usize = 8;

/// Builds the item at an index, naming things through the scope given.
pub(crate) type Item<'a> = Box<dyn Fn(usize, &Scope<'a>) -> TokenStream + Sync + 'a>;

/// A file made of items that can be built apart.
pub(crate) struct Pieces<'a> {
    /// A new scope for the file.
    pub scope: Box<dyn Fn() -> Scope<'a> + Sync + 'a>,
    /// How many items the file has.
    pub items: usize,
    /// The item at an index, naming things through the scope given.
    pub item: Item<'a>,
    /// The file's opening (inner documentation, the `use` block), from the scope that holds
    /// every name the items used.
    pub head: Box<dyn Fn(&Scope<'a>) -> TokenStream + Sync + 'a>,
}

/// How a file's token stream is built.
pub(crate) enum Build<'a> {
    Whole(Box<dyn Fn() -> TokenStream + Sync + 'a>),
    Pieces(Pieces<'a>),
}

/// One job: a whole file, or a run of a file's items.
struct Job {
    file: usize,
    run: Option<Range<usize>>,
}

/// What a job printed, spaced, and the names its scope brought in.
struct Printed {
    text: Spaced,
    imports: BTreeMap<String, String>,
    times: EmitTimes,
}

/// The text of each file, in the order given, each after `header`, and the time spent.
pub(crate) fn emit_files(
    header: &str,
    files: &[Build<'_>],
) -> Result<(Vec<String>, EmitTimes), String> {
    let mut jobs = Vec::new();
    for (file, build) in files.iter().enumerate() {
        match build {
            Build::Whole(_) => jobs.push(Job { file, run: None }),
            Build::Pieces(pieces) => {
                for start in (0..pieces.items).step_by(RUN) {
                    let end = (start + RUN).min(pieces.items);
                    jobs.push(Job {
                        file,
                        run: Some(start..end),
                    });
                }
            }
        }
    }
    let done: Vec<OnceLock<Result<Printed, String>>> =
        jobs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(index) else {
                break;
            };
            let _ = done[index].set(run_job(&files[job.file], job));
        }
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(THREADS)
        .min(jobs.len());
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let spawned = std::thread::Builder::new()
                .stack_size(crate::STACK)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                // No more threads to be had: those started, and this one, share the jobs.
                break;
            }
        }
        work();
    });

    let mut times = EmitTimes::default();
    let mut printed: Vec<Vec<Printed>> = files.iter().map(|_| Vec::new()).collect();
    for (job, result) in jobs.iter().zip(done) {
        let result = result
            .into_inner()
            .unwrap_or_else(|| Err("a thread emitting the crate stopped".to_owned()))?;
        times.tokens += result.times.tokens;
        times.format += result.times.format;
        printed[job.file].push(result);
    }
    let mut texts = Vec::with_capacity(files.len());
    for (build, parts) in files.iter().zip(printed) {
        texts.push(match build {
            Build::Whole(_) => {
                let started = Instant::now();
                let text = finish(header, parts.into_iter().map(|p| p.text).collect());
                times.format += started.elapsed();
                text
            }
            Build::Pieces(pieces) => join(header, pieces, parts, &mut times)?,
        });
    }
    Ok((texts, times))
}

/// Builds and prints one job.
fn run_job(build: &Build<'_>, job: &Job) -> Result<Printed, String> {
    let started = Instant::now();
    let (tokens, imports, start) = match (build, &job.run) {
        (Build::Whole(whole), _) => (whole(), BTreeMap::new(), FILE_START),
        (Build::Pieces(pieces), run) => {
            let scope = (pieces.scope)();
            let mut tokens = TokenStream::new();
            for index in run.clone().unwrap_or(0..pieces.items) {
                tokens.extend((pieces.item)(index, &scope));
            }
            (tokens, scope.into_imports(), UNKNOWN)
        }
    };
    let built = Instant::now();
    let text = space(&print(tokens)?, start);
    Ok(Printed {
        text,
        imports,
        times: EmitTimes {
            tokens: built - started,
            format: built.elapsed(),
        },
    })
}

/// A file of pieces from its printed runs: the opening, then the runs in order; or, when the
/// runs disagree on a short name, the file built again in one piece.
fn join(
    header: &str,
    pieces: &Pieces<'_>,
    parts: Vec<Printed>,
    times: &mut EmitTimes,
) -> Result<String, String> {
    let started = Instant::now();
    let mut scope = (pieces.scope)();
    let mut texts = Vec::with_capacity(parts.len() + 1);
    let mut agree = true;
    for part in parts {
        agree = agree && scope.merge(part.imports);
        texts.push(part.text);
    }
    if agree {
        let head = space(&print((pieces.head)(&scope))?, FILE_START);
        texts.insert(0, head);
        let text = finish(header, texts);
        times.format += started.elapsed();
        return Ok(text);
    }
    drop(texts);
    let started = Instant::now();
    let scope = (pieces.scope)();
    let items: Vec<TokenStream> = (0..pieces.items)
        .map(|index| (pieces.item)(index, &scope))
        .collect();
    let head = (pieces.head)(&scope);
    let tokens = quote!(#head #(#items)*);
    let built = Instant::now();
    times.tokens += built - started;
    let text = finish(header, vec![space(&print(tokens)?, FILE_START)]);
    times.format += built.elapsed();
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::scope::TypesAt;
    use crate::emit::text::ident;
    use std::collections::BTreeSet;

    /// A file whose item `i` is a function returning the type at `paths[i]`.
    fn pieces<'a>(names: &'a BTreeSet<String>, paths: &'a [&'a str]) -> Pieces<'a> {
        Pieces {
            scope: Box::new(move || Scope::new(names, TypesAt::Here, [])),
            items: paths.len(),
            item: Box::new(move |index, scope| {
                let name = ident(&format!("f{index}"));
                let ty = scope.path(paths[index]);
                quote!(pub fn #name() -> #ty { unimplemented!() })
            }),
            head: Box::new(|scope| {
                let uses = scope.uses();
                quote! {
                    //! A file.
                    #uses
                }
            }),
        }
    }

    /// The file built and printed in one piece.
    fn whole(pieces: &Pieces<'_>) -> String {
        let scope = (pieces.scope)();
        let items: Vec<TokenStream> = (0..pieces.items)
            .map(|index| (pieces.item)(index, &scope))
            .collect();
        let head = (pieces.head)(&scope);
        let printed = print(quote!(#head #(#items)*)).unwrap();
        finish("// header", vec![space(&printed, FILE_START)])
    }

    fn in_runs(pieces: Pieces<'_>) -> String {
        let (mut texts, _) = emit_files("// header", &[Build::Pieces(pieces)]).unwrap();
        texts.remove(0)
    }

    #[test]
    fn a_file_printed_in_runs_is_the_file_printed_whole() {
        let names = BTreeSet::new();
        let paths: Vec<&str> = (0..RUN * 12 + 5)
            .map(|i| match i % 3 {
                0 => "std::time::Duration",
                1 => "serde_json::Value",
                _ => "chrono::Utc",
            })
            .collect();
        let text = in_runs(pieces(&names, &paths));
        assert_eq!(text, whole(&pieces(&names, &paths)));
        assert!(text.contains("use std::time::Duration;"), "{text}");
        assert!(text.contains("pub fn f99() -> Duration"), "{text}");
    }

    #[test]
    fn runs_that_disagree_on_a_short_name_fall_back_to_the_whole_file() {
        // `Duration` is `std::time::Duration` for the first run, but a later run names
        // `chrono::Duration` first: only the order of the whole file says which is short.
        let names = BTreeSet::new();
        let mut paths = vec!["std::time::Duration"; RUN];
        paths.extend(["chrono::Duration", "std::time::Duration"]);
        let text = in_runs(pieces(&names, &paths));
        assert_eq!(text, whole(&pieces(&names, &paths)));
        assert!(text.contains("-> chrono::Duration"), "{text}");
        assert!(
            text.contains(&format!("pub fn f{}() -> Duration", RUN + 1)),
            "{text}"
        );
    }

    #[test]
    fn whole_files_and_files_in_runs_keep_their_order() {
        let names = BTreeSet::new();
        let paths = ["serde_json::Value"];
        let files = [
            Build::Whole(Box::new(|| {
                quote!(
                    pub struct A;
                )
            })),
            Build::Pieces(pieces(&names, &paths)),
            Build::Whole(Box::new(|| {
                quote!(
                    pub struct B;
                )
            })),
        ];
        let (texts, _) = emit_files("// h", &files).unwrap();
        assert_eq!(texts[0], "// h\npub struct A;\n");
        assert!(texts[1].starts_with("// h\n//! A file.\nuse serde_json::Value;\n"));
        assert_eq!(texts[2], "// h\npub struct B;\n");
    }
}
