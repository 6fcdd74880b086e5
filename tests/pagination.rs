//! Every page in one loop, through the generated clients, against a local server, for each way
//! a list pages: Retab's cursor, Dify's numbered pages with `has_more`, and the pagination
//! fixture's offset with a total, next URL in the body, `Link` header and pages that end short.
//! Each kind: three pages of two items, an empty first page, the filters sent on every page,
//! nothing asked for before the stream is polled, a 429 with `Retry-After` on page two, a
//! failure on page three after four items and the listing resumed from the error, and a server
//! that loops.

use apigen_runtime::{Error, ManualClock, PagePosition, PageProblem, Stream, StreamExt};
use apigen_tests::wiremock::matchers::any;
use apigen_tests::wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use serde_json::{Value, json};
use std::fmt::Display;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How a listing stopped, whatever the crate.
#[derive(Debug)]
struct Stopped {
    message: String,
    at: Option<PagePosition>,
    problem: Option<PageProblem>,
}

fn stopped<E>(error: Error<E>) -> Stopped
where
    Error<E>: Display,
{
    let (at, problem) = match &error {
        Error::Page { at, problem, .. } => (Some(at.clone()), Some(problem.clone())),
        _ => (None, None),
    };
    Stopped {
        message: error.to_string(),
        at,
        problem,
    }
}

type Listing = Pin<Box<dyn Stream<Item = Result<String, Stopped>> + Send>>;

/// A way of paging, as a test drives it.
struct Kind {
    name: &'static str,
    /// The filter the listing sets, as the query carries it.
    filter: (&'static str, &'static str),
    /// Which page (from 1) a request asks for.
    which: fn(&Request) -> usize,
    /// The answer for page `n` holding `ids`, pointing at page `next`; `total` items in all.
    answer: fn(
        base: &str,
        n: usize,
        ids: &[&str],
        next: Option<usize>,
        total: usize,
    ) -> ResponseTemplate,
    /// Lists the items' ids from `at` (the first page when `None`), at most `cap` of them.
    list:
        fn(base: String, clock: ManualClock, at: Option<PagePosition>, cap: Option<u64>) -> Listing,
    /// Where page 3 is, as a failure there says to resume.
    third: fn(base: &str) -> PagePosition,
    /// The list ends only at an empty page after the last full one.
    empty_after: bool,
}

fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn number(request: &Request, name: &str) -> usize {
    query(request, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

fn json_answer(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

/// A client kept for the rest of the test run, so that a listing borrowing it can be returned.
fn kept<C>(client: C) -> &'static C {
    Box::leak(Box::new(client))
}

/// A listing's items as ids: the client made from the base URL and clock, the request builder
/// with its filter, and each item's id; from `at` when given, at most `cap` items.
macro_rules! listing {
    (|$base:ident, $clock:ident| $client:expr, |$c:ident| $builder:expr, |$item:ident| $id:expr) => {
        |$base: String,
         $clock: ManualClock,
         at: Option<PagePosition>,
         cap: Option<u64>|
         -> Listing {
            let $c = kept($client);
            let builder = $builder;
            let items = match at {
                Some(at) => builder.items_from(at),
                None => builder.items(),
            };
            let items = match cap {
                Some(cap) => items.max_items(cap),
                None => items,
            };
            Box::pin(items.map(|item| item.map(|$item| $id).map_err(stopped)))
        }
    };
}

/// A listing of the pagination fixture.
macro_rules! fixture_listing {
    ($c:ident, $builder:expr) => {
        listing!(
            |base, clock| fixture_pagination::Client::builder()
                .base_url(base)
                .clock(Arc::new(clock))
                .build()
                .unwrap(),
            |$c| $builder,
            |item| item.id
        )
    };
}

fn kinds() -> Vec<Kind> {
    vec![retab(), dify(), offset(), next_url(), link(), short()]
}

fn retab() -> Kind {
    use retab_client::Client;
    fn run(id: &str) -> Value {
        json!({
            "id": id, "workflow_id": "wf_1", "workflow_version_id": "ver_1",
            "trigger": {"type": "api"}, "lifecycle": {"status": "completed"},
            "timing": {"created_at": "2026-08-20T09:15:02Z"}
        })
    }
    Kind {
        name: "retab (cursor)",
        filter: ("workflow_id", "wf_1"),
        which: |r| {
            query(r, "after")
                .map(|c| c.trim_start_matches('c').parse().unwrap())
                .unwrap_or(1)
        },
        answer: |_, _, ids, next, _| {
            json_answer(json!({
                "data": ids.iter().map(|id| run(id)).collect::<Vec<_>>(),
                "list_metadata": {"after": next.map(|n| format!("c{n}")), "before": null}
            }))
        },
        list: listing!(
            |base, clock| Client::builder()
                .base_url(base)
                .api_key("sk_retab")
                .clock(Arc::new(clock))
                .build()
                .unwrap(),
            |client| client.list_workflow_runs().workflow_id("wf_1"),
            |run| run.id
        ),
        third: |_| PagePosition::Cursor("c3".to_owned()),
        empty_after: false,
    }
}

fn dify() -> Kind {
    use dify_client::Client;
    Kind {
        name: "dify (page, has_more)",
        filter: ("keyword", "report"),
        which: |r| number(r, "page"),
        answer: |_, n, ids, next, _| {
            let logs: Vec<Value> = ids
                .iter()
                .map(|id| json!({"id": format!("00000000-0000-0000-0000-00000000000{id}")}))
                .collect();
            json_answer(json!({"data": logs, "has_more": next.is_some(), "page": n, "limit": 2}))
        },
        list: listing!(
            |base, clock| Client::builder()
                .base_url(base)
                .api_key_auth("app-key")
                .clock(Arc::new(clock))
                .build()
                .unwrap(),
            |client| client.get_workflow_logs().keyword("report"),
            |log| log.id.unwrap().to_string()[35..].to_owned()
        ),
        third: |_| PagePosition::Page(3),
        empty_after: false,
    }
}

fn items(ids: &[&str]) -> Vec<Value> {
    ids.iter().map(|id| json!({"id": id})).collect()
}

fn offset() -> Kind {
    Kind {
        name: "fixture list_events (offset, total)",
        filter: ("kind", "deploy"),
        which: |r| query(r, "offset").map_or(1, |o| o.parse::<usize>().unwrap() / 2 + 1),
        answer: |_, _, ids, _, total| json_answer(json!({"items": items(ids), "total": total})),
        list: fixture_listing!(client, client.list_events().kind("deploy")),
        third: |_| PagePosition::Offset(4),
        empty_after: false,
    }
}

fn next_url() -> Kind {
    Kind {
        name: "fixture list_people (next URL in the body)",
        filter: ("search", "ada"),
        which: |r| number(r, "p"),
        answer: |base, _, ids, next, _| {
            json_answer(json!({
                "results": items(ids),
                "next": next.map(|n| format!("{base}/people?search=ada&p={n}"))
            }))
        },
        list: fixture_listing!(client, client.list_people().search("ada")),
        third: |base| PagePosition::Url(format!("{base}/people?search=ada&p=3")),
        empty_after: false,
    }
}

fn link() -> Kind {
    Kind {
        name: "fixture list_issues (Link header)",
        filter: ("state", "open"),
        which: |r| number(r, "page"),
        answer: |base, _, ids, next, _| {
            let answer = json_answer(json!(items(ids)));
            match next {
                Some(n) => answer.insert_header(
                    "Link",
                    format!(
                        "<{base}/issues?state=open&page={n}>; rel=\"next\", <{base}/issues?state=open&page=9>; rel=\"last\""
                    )
                    .as_str(),
                ),
                None => answer,
            }
        },
        list: fixture_listing!(client, client.list_issues().state("open")),
        third: |base| PagePosition::Url(format!("{base}/issues?state=open&page=3")),
        empty_after: false,
    }
}

fn short() -> Kind {
    Kind {
        name: "fixture list_pages (page, ends short)",
        filter: ("topic", "rust"),
        which: |r| number(r, "page"),
        answer: |_, _, ids, _, _| json_answer(json!({"entries": items(ids)})),
        list: fixture_listing!(client, client.list_pages().topic("rust")),
        third: |_| PagePosition::Page(3),
        empty_after: true,
    }
}

/// The server's script: the pages, and what goes wrong where.
struct Script {
    kind: &'static Kind,
    base: String,
    pages: Vec<Vec<&'static str>>,
    /// A 429 with `Retry-After: 3` the first time this page is asked for.
    throttle: Option<usize>,
    /// A 400 the first time this page is asked for.
    fail: Option<usize>,
    /// From page 2 on, page 2 again, pointing at page 2 again.
    repeat: bool,
    tripped: AtomicBool,
}

impl Respond for Script {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let n = (self.kind.which)(request);
        if (self.throttle == Some(n) || self.fail == Some(n))
            && !self.tripped.swap(true, Ordering::SeqCst)
        {
            return match self.throttle == Some(n) {
                true => ResponseTemplate::new(429).insert_header("Retry-After", "3"),
                false => ResponseTemplate::new(400).set_body_json(json!({"detail": "bad page"})),
            };
        }
        let total = self.pages.iter().map(Vec::len).sum();
        if self.repeat && n >= 2 {
            return (self.kind.answer)(&self.base, 2, &self.pages[1], Some(2), total);
        }
        let ids = self.pages.get(n - 1).cloned().unwrap_or_default();
        let next = (n < self.pages.len()).then_some(n + 1);
        (self.kind.answer)(&self.base, n, &ids, next, total)
    }
}

async fn serve(
    kind: &'static Kind,
    pages: &[&[&'static str]],
    change: impl FnOnce(&mut Script),
) -> MockServer {
    let server = MockServer::start().await;
    let mut script = Script {
        kind,
        base: server.uri(),
        pages: pages.iter().map(|p| p.to_vec()).collect(),
        throttle: None,
        fail: None,
        repeat: false,
        tripped: AtomicBool::new(false),
    };
    change(&mut script);
    Mock::given(any()).respond_with(script).mount(&server).await;
    server
}

const SIX: &[&[&str]] = &[&["a", "b"], &["c", "d"], &["e", "f"]];

fn all_kinds() -> &'static [Kind] {
    static KINDS: std::sync::OnceLock<Vec<Kind>> = std::sync::OnceLock::new();
    KINDS.get_or_init(kinds)
}

async fn list(
    kind: &Kind,
    server: &MockServer,
    clock: &ManualClock,
    at: Option<PagePosition>,
    cap: Option<u64>,
) -> Vec<Result<String, Stopped>> {
    (kind.list)(server.uri(), clock.clone(), at, cap)
        .collect()
        .await
}

fn ids(items: &[Result<String, Stopped>]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|i| i.as_ref().ok().map(String::as_str))
        .collect()
}

#[tokio::test]
async fn three_pages_of_two_items_in_one_loop_with_the_filters_on_every_page() {
    for kind in all_kinds() {
        let server = serve(kind, SIX, |_| {}).await;
        let items = list(kind, &server, &ManualClock::default(), None, None).await;
        assert_eq!(ids(&items), ["a", "b", "c", "d", "e", "f"], "{}", kind.name);
        assert!(items.iter().all(Result::is_ok), "{}: {items:?}", kind.name);
        let requests = server.received_requests().await.unwrap();
        assert_eq!(
            requests.len(),
            3 + kind.empty_after as usize,
            "{}",
            kind.name
        );
        for request in &requests {
            assert_eq!(
                query(request, kind.filter.0).as_deref(),
                Some(kind.filter.1),
                "{}: {}",
                kind.name,
                request.url
            );
        }
    }
}

#[tokio::test]
async fn an_empty_first_page_is_an_empty_list() {
    for kind in all_kinds() {
        let server = serve(kind, &[&[]], |_| {}).await;
        let items = list(kind, &server, &ManualClock::default(), None, None).await;
        assert!(items.is_empty(), "{}: {items:?}", kind.name);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "{}",
            kind.name
        );
    }
}

#[tokio::test]
async fn nothing_is_asked_for_before_the_stream_is_polled_nor_past_the_cap() {
    for kind in all_kinds() {
        let server = serve(kind, SIX, |_| {}).await;
        let listing = (kind.list)(server.uri(), ManualClock::default(), None, Some(3));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            0,
            "{}",
            kind.name
        );
        let items: Vec<_> = listing.collect().await;
        assert_eq!(ids(&items), ["a", "b", "c"], "{}", kind.name);
        // The third item is on page two; page three is never asked for.
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            2,
            "{}",
            kind.name
        );
    }
}

#[tokio::test]
async fn a_429_on_page_two_is_waited_out_as_the_server_asks() {
    for kind in all_kinds() {
        let server = serve(kind, SIX, |s| s.throttle = Some(2)).await;
        let clock = ManualClock::default();
        let items = list(kind, &server, &clock, None, None).await;
        assert_eq!(
            ids(&items),
            ["a", "b", "c", "d", "e", "f"],
            "{}: {items:?}",
            kind.name
        );
        assert_eq!(clock.sleeps(), [Duration::from_secs(3)], "{}", kind.name);
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            4 + kind.empty_after as usize,
            "{}",
            kind.name
        );
    }
}

#[tokio::test]
async fn a_failure_on_page_three_gives_the_items_read_then_where_to_resume() {
    for kind in all_kinds() {
        let server = serve(kind, SIX, |s| s.fail = Some(3)).await;
        let clock = ManualClock::default();
        let items = list(kind, &server, &clock, None, None).await;
        assert_eq!(ids(&items), ["a", "b", "c", "d"], "{}", kind.name);
        assert_eq!(items.len(), 5, "{}: {items:?}", kind.name);
        let Err(stop) = &items[4] else {
            panic!("{}: expected the error last", kind.name)
        };
        let at = stop.at.clone().expect("the error says where to resume");
        assert_eq!(at, (kind.third)(&server.uri()), "{}", kind.name);
        assert_eq!(stop.problem, Some(PageProblem::Failed), "{}", kind.name);
        assert!(stop.message.contains("after 4 item(s)"), "{}", stop.message);
        assert!(stop.message.contains("400"), "{}", stop.message);

        let resumed = list(kind, &server, &clock, Some(at), None).await;
        assert_eq!(ids(&resumed), ["e", "f"], "{}: {resumed:?}", kind.name);
        assert!(
            resumed.iter().all(Result::is_ok),
            "{}: {resumed:?}",
            kind.name
        );
    }
}

#[tokio::test]
async fn a_server_that_loops_is_an_error_naming_the_operation_never_an_endless_loop() {
    for kind in all_kinds() {
        let server = serve(kind, SIX, |s| s.repeat = true).await;
        let items = list(kind, &server, &ManualClock::default(), None, None).await;
        assert_eq!(
            ids(&items),
            ["a", "b", "c", "d"],
            "{}: {items:?}",
            kind.name
        );
        let Some(Err(stop)) = items.last() else {
            panic!("{}: expected an error last: {items:?}", kind.name)
        };
        assert!(
            matches!(
                stop.problem,
                Some(PageProblem::RepeatedCursor(_) | PageProblem::SamePage)
            ),
            "{}: {stop:?}",
            kind.name
        );
        assert!(stop.message.contains("loop for ever"), "{}", stop.message);
        assert!(
            server.received_requests().await.unwrap().len() <= 3,
            "{}",
            kind.name
        );
    }
}

#[tokio::test]
async fn a_resume_position_of_another_kind_is_refused_without_a_request() {
    let kind = &all_kinds()[0];
    let server = serve(kind, SIX, |_| {}).await;
    let items = list(
        kind,
        &server,
        &ManualClock::default(),
        Some(PagePosition::Page(2)),
        None,
    )
    .await;
    assert_eq!(items.len(), 1);
    let Err(stop) = &items[0] else { panic!() };
    assert_eq!(stop.problem, Some(PageProblem::WrongPosition));
    assert!(server.received_requests().await.unwrap().is_empty());
}
