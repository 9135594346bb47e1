//! Polite fetching of article pages and RSS/Atom feeds over HTTP(S).
//!
//! [`fetch_articles`] takes URLs and streams one [`FetchOutcome`] per page as it
//! completes. A URL whose body is a feed is expanded into its items' links, which are
//! fetched in turn. The fetcher tries to be a good citizen:
//!
//! * at most [`FetchOptions::concurrency`] requests are in flight at once;
//! * requests to one host (scheme, host and port) start at least
//!   [`FetchOptions::per_host_delay`] apart, or the robots.txt `Crawl-delay` when it is
//!   longer (capped at [`FetchOptions::max_retry_wait`]);
//! * robots.txt is fetched once per host and honoured for the product token of the
//!   User-Agent (`concord`). A missing robots.txt (any 4xx other than 429) allows
//!   everything, as does an unparsable one. When robots.txt answers 429 or 5xx even
//!   after the retries, or times out, the host is treated as closed for the run (the
//!   crate's advice, after Google's: "assume you should not crawl until fixed"), and
//!   its pages fail with "robots.txt unavailable". When no connection can be made at
//!   all, the page request is let through to fail with its own, plainer error;
//! * timeouts, 429 and 5xx are retried up to [`FetchOptions::retries`] times with
//!   exponential backoff, waiting as long as `Retry-After` asks (seconds or HTTP date)
//!   when that is no longer than [`FetchOptions::max_retry_wait`]; a longer request
//!   is not retried early but reported;
//! * redirects are followed one hop at a time (each hop checked against robots.txt)
//!   up to [`FetchOptions::max_redirects`];
//! * bodies are read as a stream and given up on once they exceed
//!   [`FetchOptions::max_body`]; content types other than HTML and feeds are refused
//!   before the body is read.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::StatusCode;
use tokio::sync::{mpsc, OnceCell, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;
use url::Url;

use crate::acquire::charset::decode_html;
use crate::acquire::feed::{looks_like_feed, parse_feed, FeedItem};
use crate::acquire::html::article_from_html;
use crate::acquire::{finish_article, InputError, Item};
use crate::commands::pipeline::InputArgs;
use crate::model::Article;
use crate::store::RawInput;

/// Largest robots.txt read; the rest is ignored (Google reads 500 KiB).
const MAX_ROBOTS_BODY: usize = 500 * 1024;
/// Redirects followed when fetching robots.txt.
const MAX_ROBOTS_REDIRECTS: usize = 5;
/// The `Accept` header sent with page requests.
const ACCEPT_PAGES: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1";

/// How the fetcher behaves; see the module documentation for the policy.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Most requests in flight at once (default 8).
    pub concurrency: usize,
    /// Least time between the starts of two requests to the same host (default 1 s).
    pub per_host_delay: Duration,
    /// Time allowed to open a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Time allowed for one whole request, body included (default 30 s).
    pub timeout: Duration,
    /// Retries after a timeout, 429 or 5xx (default 3).
    pub retries: u32,
    /// Largest body read, in bytes (default 10 MiB).
    pub max_body: usize,
    /// Most redirects followed for one URL (default 5).
    pub max_redirects: usize,
    /// The User-Agent header; its first token is the robots.txt agent name.
    pub user_agent: String,
    /// Whether robots.txt is fetched and honoured (default true).
    pub obey_robots: bool,
    /// Wait before the first retry; doubled for each further one (default 500 ms).
    pub retry_base_delay: Duration,
    /// Longest wait before a retry, and longest `Retry-After` or `Crawl-delay`
    /// honoured (default 60 s).
    pub max_retry_wait: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            concurrency: 8,
            per_host_delay: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retries: 3,
            max_body: 10 * 1024 * 1024,
            max_redirects: 5,
            user_agent: format!(
                "concord/{} (+news claim checker)",
                env!("CARGO_PKG_VERSION")
            ),
            obey_robots: true,
            retry_base_delay: Duration::from_millis(500),
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

/// A page fetched and turned into an article.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL the page was finally read from, after redirects.
    pub final_url: String,
    /// The article; `input` is the URL as given, `id` is left empty for the caller.
    pub article: Article,
    /// The page, decoded to text.
    pub raw_html: String,
}

/// The result for one URL: a given one, or an item link of a given feed.
#[derive(Debug)]
pub struct FetchOutcome {
    /// The URL as given (for a feed item, its link resolved against the feed's URL).
    pub input: String,
    /// The feed URL (as given) that listed this page, when it came from a feed.
    pub feed: Option<String>,
    /// The page, or why it could not be had.
    pub result: Result<Fetched, FetchError>,
}

/// Why a URL could not be fetched. Displays as `URL: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The URL that failed (the one given, or the redirect target that failed).
    pub url: String,
    /// What went wrong.
    pub kind: FetchErrorKind,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.kind)
    }
}

impl std::error::Error for FetchError {}

/// The reasons a fetch fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchErrorKind {
    /// Not an absolute http(s) URL.
    InvalidUrl(String),
    /// The server answered with an error status (after any retries).
    Status {
        /// HTTP status code.
        code: u16,
        /// Its canonical reason phrase.
        reason: String,
        /// A `Retry-After` longer than the fetcher waits, when the server sent one.
        retry_after: Option<Duration>,
    },
    /// The whole request took longer than the timeout (after any retries).
    TimedOut(Duration),
    /// No connection within the connect timeout (after any retries).
    ConnectTimedOut(Duration),
    /// robots.txt disallows the URL for concord.
    RobotsDisallowed,
    /// robots.txt could not be read (5xx, 429 or timeout), so the host is left alone.
    RobotsUnavailable(String),
    /// The body exceeded the size limit (in bytes).
    BodyTooLarge(usize),
    /// More redirects than the limit.
    TooManyRedirects(usize),
    /// A redirect without a usable target.
    BadRedirect(String),
    /// Content that is neither HTML nor an RSS/Atom feed.
    UnsupportedContent(String),
    /// A page with no text.
    EmptyPage,
    /// A feed listing no items with links.
    EmptyFeed,
    /// No connection could be made (refused, unknown host, TLS failure, ...).
    CannotConnect(String),
    /// Any other connection or protocol failure.
    Network(String),
}

impl fmt::Display for FetchErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchErrorKind::InvalidUrl(why) => write!(f, "not a valid http(s) URL ({why})"),
            FetchErrorKind::Status {
                code,
                reason,
                retry_after,
            } => {
                write!(f, "{code}")?;
                if !reason.is_empty() {
                    write!(f, " {reason}")?;
                }
                if let Some(wait) = retry_after {
                    write!(f, " (asked to retry after {})", format_duration(*wait))?;
                }
                Ok(())
            }
            FetchErrorKind::TimedOut(limit) => {
                write!(f, "timed out after {}", format_duration(*limit))
            }
            FetchErrorKind::ConnectTimedOut(limit) => {
                write!(f, "could not connect within {}", format_duration(*limit))
            }
            FetchErrorKind::RobotsDisallowed => write!(f, "refused by robots.txt"),
            FetchErrorKind::RobotsUnavailable(why) => {
                write!(f, "robots.txt unavailable ({why}), so not fetching")
            }
            FetchErrorKind::BodyTooLarge(limit) => {
                write!(f, "body larger than {}", format_size(*limit))
            }
            FetchErrorKind::TooManyRedirects(limit) => {
                write!(f, "too many redirects (more than {limit})")
            }
            FetchErrorKind::BadRedirect(why) => write!(f, "bad redirect ({why})"),
            FetchErrorKind::UnsupportedContent(what) => {
                write!(f, "not an HTML page or RSS/Atom feed ({what})")
            }
            FetchErrorKind::EmptyPage => write!(f, "empty page"),
            FetchErrorKind::EmptyFeed => write!(f, "feed lists no items"),
            FetchErrorKind::CannotConnect(why) => write!(f, "cannot connect ({why})"),
            FetchErrorKind::Network(why) => write!(f, "{why}"),
        }
    }
}

/// `30 s`, `1.5 s`, `200 ms`.
fn format_duration(duration: Duration) -> String {
    if duration.subsec_nanos() == 0 {
        format!("{} s", duration.as_secs())
    } else if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// `10 MiB`, `64 KiB`, `1000 bytes`.
fn format_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// True when `text` is an absolute http or https URL with a host.
pub fn is_url(text: &str) -> bool {
    parse_http_url(text.trim()).is_ok()
}

/// Parses an absolute http(s) URL.
fn parse_http_url(text: &str) -> Result<Url, FetchErrorKind> {
    let url = Url::parse(text).map_err(|err| FetchErrorKind::InvalidUrl(err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchErrorKind::InvalidUrl(format!(
            "scheme {} is not http or https",
            url.scheme()
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FetchErrorKind::InvalidUrl("no host".to_string()));
    }
    Ok(url)
}

/// A URL list that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum UrlListError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line that is neither blank, a comment, nor an http(s) URL.
    #[error("{path}:{line}: not an http(s) URL: {text}")]
    NotUrl {
        /// The file.
        path: String,
        /// Line number, from 1.
        line: usize,
        /// The line's text, trimmed.
        text: String,
    },
}

/// Reads a list of URLs: one a line; blank lines and lines starting with `#` are
/// skipped, as is a trailing ` # comment`. Fails naming `file:line` on any other line
/// that is not an http(s) URL.
pub fn read_url_list(path: impl AsRef<Path>) -> Result<Vec<String>, UrlListError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| UrlListError::Read {
        path: path.display().to_string(),
        source,
    })?;
    parse_url_list(
        &String::from_utf8_lossy(&bytes),
        &path.display().to_string(),
    )
}

/// The URLs of a URL list's text; `name` is used in errors.
fn parse_url_list(text: &str, name: &str) -> Result<Vec<String>, UrlListError> {
    let mut urls = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let url = line
            .split_once(|c: char| c.is_whitespace())
            .map_or(line, |(url, rest)| {
                if rest.trim_start().starts_with('#') {
                    url
                } else {
                    line
                }
            });
        if !is_url(url) {
            return Err(UrlListError::NotUrl {
                path: name.to_string(),
                line: index + 1,
                text: line.to_string(),
            });
        }
        urls.push(url.to_string());
    }
    Ok(urls)
}

/// Fetches `urls` (duplicates fetched once) and sends one [`FetchOutcome`] per page on
/// `tx` as each completes, in completion order. Feeds are expanded into their items,
/// each of which yields its own outcome (a feed yields none itself unless it fails).
/// Returns when everything is done, or early when the receiver is dropped.
pub async fn fetch_articles(urls: Vec<String>, opts: FetchOptions, tx: mpsc::Sender<FetchOutcome>) {
    let fetcher = match Fetcher::new(opts) {
        Ok(fetcher) => Arc::new(fetcher),
        Err(why) => {
            for input in urls {
                let outcome = FetchOutcome {
                    result: Err(FetchError {
                        url: input.clone(),
                        kind: FetchErrorKind::Network(why.clone()),
                    }),
                    input,
                    feed: None,
                };
                if tx.send(outcome).await.is_err() {
                    return;
                }
            }
            return;
        }
    };

    let mut tasks: JoinSet<TaskDone> = JoinSet::new();
    let mut jobs: HashMap<tokio::task::Id, Job> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let spawn =
        |tasks: &mut JoinSet<TaskDone>, jobs: &mut HashMap<tokio::task::Id, Job>, job: Job| {
            let runner = Arc::clone(&fetcher);
            let task_job = job.clone();
            let handle = tasks.spawn(async move { runner.run(task_job).await });
            jobs.insert(handle.id(), job);
        };
    for input in urls {
        if seen.insert(dedup_key(&input)) {
            spawn(&mut tasks, &mut jobs, Job::given(input));
        }
    }

    while let Some(joined) = tasks.join_next_with_id().await {
        let outcomes = match joined {
            Ok((id, TaskDone::Outcome(outcome))) => {
                jobs.remove(&id);
                vec![*outcome]
            }
            Ok((id, TaskDone::Feed { final_url, items })) => {
                let feed_input = jobs.remove(&id).map(|job| job.input).unwrap_or_default();
                let mut failures = Vec::new();
                for item in items {
                    let link = match final_url.join(item.link.trim()) {
                        Ok(link) => link.to_string(),
                        Err(err) => {
                            failures.push(FetchOutcome {
                                result: Err(FetchError {
                                    url: item.link.clone(),
                                    kind: FetchErrorKind::InvalidUrl(err.to_string()),
                                }),
                                input: item.link,
                                feed: Some(feed_input.clone()),
                            });
                            continue;
                        }
                    };
                    if seen.insert(link.clone()) {
                        spawn(
                            &mut tasks,
                            &mut jobs,
                            Job::from_feed(link, &feed_input, item),
                        );
                    }
                }
                failures
            }
            Err(join_error) => {
                let job = jobs.remove(&join_error.id());
                let input = job
                    .as_ref()
                    .map(|job| job.input.clone())
                    .unwrap_or_default();
                vec![FetchOutcome {
                    result: Err(FetchError {
                        url: input.clone(),
                        kind: FetchErrorKind::Network(format!("fetch task failed: {join_error}")),
                    }),
                    input,
                    feed: job.and_then(|job| job.feed),
                }]
            }
        };
        for outcome in outcomes {
            if tx.send(outcome).await.is_err() {
                tasks.abort_all();
                return;
            }
        }
    }
}

/// The key under which a URL counts as already seen: its normalised form when it
/// parses (so `HTTP://Example.com` and `http://example.com/` are one), else its text.
fn dedup_key(input: &str) -> String {
    let input = input.trim();
    parse_http_url(input).map_or_else(|_| input.to_string(), |url| url.to_string())
}

/// Starts [`fetch_articles`] on the current tokio runtime and returns the receiving end
/// of its outcomes. Must be called from within a tokio runtime.
pub fn spawn_fetch(urls: Vec<String>, opts: FetchOptions) -> mpsc::Receiver<FetchOutcome> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(fetch_articles(urls, opts, tx));
    rx
}

/// Fetches `urls` and collects every outcome, in completion order.
pub async fn fetch_all(urls: Vec<String>, opts: FetchOptions) -> Vec<FetchOutcome> {
    let (tx, mut rx) = mpsc::channel(64);
    let producer = fetch_articles(urls, opts, tx);
    let consumer = async {
        let mut outcomes = Vec::new();
        while let Some(outcome) = rx.recv().await {
            outcomes.push(outcome);
        }
        outcomes
    };
    let ((), outcomes) = tokio::join!(producer, consumer);
    outcomes
}

/// Fetch options from the command line's input options (unusable numbers fall back to
/// the defaults).
pub fn options_from_args(args: &InputArgs) -> FetchOptions {
    let defaults = FetchOptions::default();
    let seconds =
        |value: f64, default: Duration| Duration::try_from_secs_f64(value).unwrap_or(default);
    FetchOptions {
        concurrency: args.concurrency.max(1),
        per_host_delay: seconds(args.delay, defaults.per_host_delay),
        timeout: seconds(args.timeout, defaults.timeout),
        max_body: args.max_body,
        obey_robots: !args.ignore_robots,
        ..defaults
    }
}

/// The pipeline's bridge: fetches `urls` together (concurrently, politely) on a private
/// tokio runtime and hands each page to `sink` as an [`Item`] as soon as it is in,
/// finished with [`finish_article`] (id, canonical URL, empty-text check). Stops early
/// when `sink` breaks. Must not be called from inside a tokio runtime (each URL then
/// fails with a message saying so).
pub fn fetch_urls_into(
    urls: &[String],
    args: &InputArgs,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    if urls.is_empty() {
        return ControlFlow::Continue(());
    }
    let runtime = if tokio::runtime::Handle::try_current().is_ok() {
        Err("cannot fetch from inside an async runtime".to_string())
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|err| format!("cannot start the fetcher: {err}"))
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(reason) => {
            for url in urls {
                sink(Item::Failed(InputError::new(url.as_str(), reason.as_str())))?;
            }
            return ControlFlow::Continue(());
        }
    };
    let opts = options_from_args(args);
    let flow = runtime.block_on(async {
        let mut outcomes = spawn_fetch(urls.to_vec(), opts);
        while let Some(outcome) = outcomes.recv().await {
            sink(item_of_outcome(outcome))?;
        }
        ControlFlow::Continue(())
    });
    // Do not wait for requests still in flight after an early stop.
    runtime.shutdown_background();
    flow
}

/// Fetches one URL into `sink`. Prefer [`fetch_urls_into`] with all the URLs at once:
/// it fetches them concurrently and reads each host's robots.txt only once.
pub fn fetch_into(
    url: &str,
    args: &InputArgs,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    fetch_urls_into(&[url.to_string()], args, sink)
}

/// An outcome as a pipeline [`Item`].
fn item_of_outcome(outcome: FetchOutcome) -> Item {
    match outcome.result {
        Ok(fetched) => finish_article(
            fetched.article,
            RawInput {
                format: "html".to_string(),
                body: fetched.raw_html,
                text_in_body: false,
            },
        ),
        Err(err) => {
            let reason = if err.url == outcome.input {
                err.kind.to_string()
            } else {
                format!("{} (at {})", err.kind, err.url)
            };
            Item::Failed(InputError::new(outcome.input, reason))
        }
    }
}

/// One URL to fetch.
#[derive(Debug, Clone)]
struct Job {
    /// The URL as given.
    input: String,
    /// The feed (as given) that listed it.
    feed: Option<String>,
    /// What the feed said about it.
    hint: Option<FeedItem>,
}

impl Job {
    fn given(input: String) -> Job {
        Job {
            input,
            feed: None,
            hint: None,
        }
    }

    fn from_feed(link: String, feed: &str, item: FeedItem) -> Job {
        Job {
            input: link,
            feed: Some(feed.to_string()),
            hint: Some(item),
        }
    }
}

/// What one task produced.
enum TaskDone {
    /// A page's outcome.
    Outcome(Box<FetchOutcome>),
    /// A feed's items, to be fetched next.
    Feed {
        /// Where the feed was read from (item links are resolved against it).
        final_url: Url,
        /// Its items.
        items: Vec<FeedItem>,
    },
}

/// What a robots.txt says for concord.
enum RobotsRule {
    /// No robots.txt (or an unreadable one): everything allowed.
    AllowAll,
    /// The parsed rules.
    Rules(Box<texting_robots::Robot>),
    /// robots.txt errored; the host is left alone.
    Unavailable(String),
}

/// Per-host politeness: when the next request may start, and the delay between them.
struct HostGate {
    next_start: tokio::sync::Mutex<Instant>,
    delay: Mutex<Duration>,
}

/// One server answer.
enum Reply {
    /// A redirect to this (possibly relative) location.
    Redirect(String),
    /// An error status.
    Failure {
        status: StatusCode,
        retry_after: Option<Duration>,
    },
    /// A successful body.
    Body {
        content_type: Option<String>,
        bytes: Vec<u8>,
    },
}

/// What to do with a body over the limit.
#[derive(Clone, Copy)]
enum BodyLimit {
    /// Fail with [`FetchErrorKind::BodyTooLarge`].
    Fail(usize),
    /// Keep the first bytes and stop reading.
    Truncate(usize),
}

/// A page after redirects: HTML text or a feed.
enum Page {
    Html {
        final_url: Url,
        content_type: Option<String>,
        bytes: Vec<u8>,
    },
    Feed {
        final_url: Url,
        items: Vec<FeedItem>,
    },
}

/// Shared state of one fetch run.
struct Fetcher {
    opts: FetchOptions,
    client: reqwest::Client,
    robots_agent: String,
    permits: Arc<Semaphore>,
    gates: Mutex<HashMap<String, Arc<HostGate>>>,
    robots: Mutex<HashMap<String, Arc<OnceCell<RobotsRule>>>>,
}

impl Fetcher {
    fn new(opts: FetchOptions) -> Result<Fetcher, String> {
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| format!("cannot set up the HTTP client: {}", error_chain(&err)))?;
        let robots_agent = opts
            .user_agent
            .split(|c: char| c == '/' || c.is_whitespace())
            .next()
            .filter(|token| !token.is_empty())
            .unwrap_or("concord")
            .to_string();
        let permits = Arc::new(Semaphore::new(opts.concurrency.max(1)));
        Ok(Fetcher {
            opts,
            client,
            robots_agent,
            permits,
            gates: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    /// Runs one job to its outcome (or feed items).
    async fn run(&self, job: Job) -> TaskDone {
        let allow_feed = job.feed.is_none();
        let page = self.fetch_page(job.input.trim(), allow_feed).await;
        let result = match page {
            Ok(Page::Feed { final_url, items }) => {
                if items.is_empty() {
                    Err(FetchError {
                        url: final_url.to_string(),
                        kind: FetchErrorKind::EmptyFeed,
                    })
                } else {
                    return TaskDone::Feed { final_url, items };
                }
            }
            Ok(Page::Html {
                final_url,
                content_type,
                bytes,
            }) => build_article(&job, &final_url, content_type.as_deref(), &bytes),
            Err(err) => Err(err),
        };
        TaskDone::Outcome(Box::new(FetchOutcome {
            input: job.input,
            feed: job.feed,
            result,
        }))
    }

    /// Fetches `input`, following redirects, and classifies the body.
    async fn fetch_page(&self, input: &str, allow_feed: bool) -> Result<Page, FetchError> {
        let mut url = parse_http_url(input).map_err(|kind| FetchError {
            url: input.to_string(),
            kind,
        })?;
        let mut redirects = 0;
        loop {
            let fail = |kind| FetchError {
                url: url.to_string(),
                kind,
            };
            if self.opts.obey_robots {
                self.check_robots(&url).await.map_err(fail)?;
            }
            let reply = self
                .get_with_retries(&url, BodyLimit::Fail(self.opts.max_body), true)
                .await
                .map_err(fail)?;
            match reply {
                Reply::Redirect(location) => {
                    redirects += 1;
                    if redirects > self.opts.max_redirects {
                        return Err(fail(FetchErrorKind::TooManyRedirects(
                            self.opts.max_redirects,
                        )));
                    }
                    url = resolve_redirect(&url, &location).map_err(fail)?;
                }
                Reply::Failure {
                    status,
                    retry_after,
                } => return Err(fail(status_error(status, retry_after))),
                Reply::Body {
                    content_type,
                    bytes,
                } => return classify_body(url, content_type, bytes, allow_feed),
            }
        }
    }

    /// One GET of `url` (no redirect following), retried on timeouts, 429 and 5xx.
    /// `pages_only` refuses content types other than HTML and feeds.
    async fn get_with_retries(
        &self,
        url: &Url,
        limit: BodyLimit,
        pages_only: bool,
    ) -> Result<Reply, FetchErrorKind> {
        let origin = origin_of(url);
        let mut attempt: u32 = 0;
        loop {
            let permit = self.polite_slot(&origin).await?;
            let result = self.get_once(url, limit, pages_only).await;
            drop(permit);
            let wait = match &result {
                Ok(Reply::Failure {
                    status,
                    retry_after,
                }) if is_retryable(*status) => match retry_after {
                    Some(asked) if *asked > self.opts.max_retry_wait => None,
                    Some(asked) => Some(*asked),
                    None => Some(self.backoff(attempt)),
                },
                Err(FetchErrorKind::TimedOut(_) | FetchErrorKind::ConnectTimedOut(_)) => {
                    Some(self.backoff(attempt))
                }
                _ => None,
            };
            match wait {
                Some(wait) if attempt < self.opts.retries => {
                    self.push_back(&origin, wait).await;
                    attempt += 1;
                }
                _ => {
                    return match result {
                        // A too-long Retry-After is reported, other failures lose it.
                        Ok(Reply::Failure {
                            status,
                            retry_after,
                        }) => Ok(Reply::Failure {
                            status,
                            retry_after: retry_after
                                .filter(|asked| *asked > self.opts.max_retry_wait),
                        }),
                        other => other,
                    };
                }
            }
        }
    }

    /// Exponential backoff before retry number `attempt + 1`.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(16));
        self.opts
            .retry_base_delay
            .saturating_mul(factor)
            .min(self.opts.max_retry_wait)
    }

    /// Sends one request and reads its body within the limit.
    async fn get_once(
        &self,
        url: &Url,
        limit: BodyLimit,
        pages_only: bool,
    ) -> Result<Reply, FetchErrorKind> {
        let mut request = self.client.get(url.clone());
        if pages_only {
            request = request.header(ACCEPT, ACCEPT_PAGES);
        }
        let mut response = request.send().await.map_err(|err| self.classify(&err))?;
        let status = response.status();
        if status.is_redirection() {
            if let Some(location) = header_text(response.headers(), LOCATION.as_str()) {
                return Ok(Reply::Redirect(location));
            }
        }
        if !status.is_success() {
            return Ok(Reply::Failure {
                status,
                retry_after: retry_after(response.headers()),
            });
        }
        let content_type = header_text(response.headers(), CONTENT_TYPE.as_str());
        if pages_only {
            check_content_type(content_type.as_deref())?;
        }
        let max = match limit {
            BodyLimit::Fail(max) | BodyLimit::Truncate(max) => max,
        };
        if let BodyLimit::Fail(max) = limit {
            if response
                .content_length()
                .is_some_and(|length| length > max as u64)
            {
                return Err(FetchErrorKind::BodyTooLarge(max));
            }
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|err| self.classify(&err))? {
            if bytes.len() + chunk.len() > max {
                match limit {
                    BodyLimit::Fail(max) => return Err(FetchErrorKind::BodyTooLarge(max)),
                    BodyLimit::Truncate(max) => {
                        let room = max - bytes.len();
                        bytes.extend_from_slice(&chunk[..room]);
                        break;
                    }
                }
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Reply::Body {
            content_type,
            bytes,
        })
    }

    /// Turns a reqwest error into a reason.
    fn classify(&self, err: &reqwest::Error) -> FetchErrorKind {
        if err.is_timeout() {
            if err.is_connect() {
                FetchErrorKind::ConnectTimedOut(self.opts.connect_timeout)
            } else {
                FetchErrorKind::TimedOut(self.opts.timeout)
            }
        } else if err.is_connect() {
            FetchErrorKind::CannotConnect(error_chain(err))
        } else {
            FetchErrorKind::Network(format!("request failed: {}", error_chain(err)))
        }
    }

    /// Waits until a request to `origin` may start and a concurrency slot is free.
    async fn polite_slot(&self, origin: &str) -> Result<OwnedSemaphorePermit, FetchErrorKind> {
        let gate = self.gate(origin);
        let mut next_start = gate.next_start.lock().await;
        tokio::time::sleep_until(*next_start).await;
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .map_err(|_| FetchErrorKind::Network("fetcher shut down".to_string()))?;
        let delay = *gate.delay.lock().unwrap_or_else(PoisonError::into_inner);
        *next_start = Instant::now() + delay;
        Ok(permit)
    }

    /// Makes the next request to `origin` wait at least `wait` from now.
    async fn push_back(&self, origin: &str, wait: Duration) {
        let gate = self.gate(origin);
        let mut next_start = gate.next_start.lock().await;
        *next_start = (*next_start).max(Instant::now() + wait);
    }

    /// The politeness gate of `origin`.
    fn gate(&self, origin: &str) -> Arc<HostGate> {
        let mut gates = self.gates.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(gates.entry(origin.to_string()).or_insert_with(|| {
            Arc::new(HostGate {
                next_start: tokio::sync::Mutex::new(Instant::now()),
                delay: Mutex::new(self.opts.per_host_delay),
            })
        }))
    }

    /// Checks `url` against its host's robots.txt, fetching that once.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchErrorKind> {
        let origin = origin_of(url);
        let cell = {
            let mut robots = self.robots.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(robots.entry(origin.clone()).or_default())
        };
        let rule = cell.get_or_init(|| self.load_robots(url, &origin)).await;
        match rule {
            RobotsRule::AllowAll => Ok(()),
            RobotsRule::Rules(robot) if robot.allowed(url.as_str()) => Ok(()),
            RobotsRule::Rules(_) => Err(FetchErrorKind::RobotsDisallowed),
            RobotsRule::Unavailable(why) => Err(FetchErrorKind::RobotsUnavailable(why.clone())),
        }
    }

    /// Fetches and parses the robots.txt of `url`'s host.
    async fn load_robots(&self, url: &Url, origin: &str) -> RobotsRule {
        let Ok(mut robots_url) = url.join("/robots.txt") else {
            return RobotsRule::AllowAll;
        };
        for _ in 0..=MAX_ROBOTS_REDIRECTS {
            let reply = self
                .get_with_retries(&robots_url, BodyLimit::Truncate(MAX_ROBOTS_BODY), false)
                .await;
            match reply {
                Ok(Reply::Body { bytes, .. }) => {
                    return match texting_robots::Robot::new(&self.robots_agent, &bytes) {
                        Ok(robot) => {
                            if let Some(crawl_delay) = robot.delay {
                                self.apply_crawl_delay(origin, crawl_delay);
                            }
                            RobotsRule::Rules(Box::new(robot))
                        }
                        Err(_) => RobotsRule::AllowAll,
                    };
                }
                Ok(Reply::Redirect(location)) => match resolve_redirect(&robots_url, &location) {
                    Ok(next) => robots_url = next,
                    Err(_) => return RobotsRule::AllowAll,
                },
                Ok(Reply::Failure { status, .. })
                    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() =>
                {
                    return RobotsRule::Unavailable(status_error(status, None).to_string());
                }
                Ok(Reply::Failure { .. }) => return RobotsRule::AllowAll,
                // The page request will fail the same way and say so more plainly.
                Err(FetchErrorKind::CannotConnect(_)) => return RobotsRule::AllowAll,
                Err(kind) => return RobotsRule::Unavailable(kind.to_string()),
            }
        }
        // Too many redirects: treated as no robots.txt, as Google does.
        RobotsRule::AllowAll
    }

    /// Raises `origin`'s delay to the robots.txt `Crawl-delay` (capped).
    fn apply_crawl_delay(&self, origin: &str, seconds: f32) {
        if !seconds.is_finite() || seconds <= 0.0 {
            return;
        }
        let asked = Duration::try_from_secs_f32(seconds)
            .unwrap_or(self.opts.max_retry_wait)
            .min(self.opts.max_retry_wait);
        let gate = self.gate(origin);
        let mut delay = gate.delay.lock().unwrap_or_else(PoisonError::into_inner);
        *delay = (*delay).max(asked);
    }
}

/// `scheme://host:port`, the unit of politeness and of robots.txt.
fn origin_of(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

/// The next URL of a redirect.
fn resolve_redirect(from: &Url, location: &str) -> Result<Url, FetchErrorKind> {
    let next = from
        .join(location.trim())
        .map_err(|err| FetchErrorKind::BadRedirect(format!("{location}: {err}")))?;
    parse_http_url(next.as_str())
        .map_err(|_| FetchErrorKind::BadRedirect(format!("{location} is not http(s)")))
}

/// True for statuses worth retrying: 429 and 5xx.
fn is_retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// The error for a final error status.
fn status_error(status: StatusCode, retry_after: Option<Duration>) -> FetchErrorKind {
    FetchErrorKind::Status {
        code: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_string(),
        retry_after,
    }
}

/// A header's value as text, when present and readable.
fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = header_text(headers, RETRY_AFTER.as_str())?;
    parse_retry_after(&value, chrono::Utc::now())
}

/// Parses a `Retry-After` value against the current time `now`.
fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// The media type of a `Content-Type` value, lowercased.
fn mime_of(content_type: Option<&str>) -> Option<String> {
    content_type
        .and_then(|ct| ct.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .filter(|mime| !mime.is_empty())
}

/// True for HTML media types.
fn is_html_mime(mime: &str) -> bool {
    matches!(mime, "text/html" | "application/xhtml+xml")
}

/// True for media types a feed may come as.
fn is_xml_mime(mime: &str) -> bool {
    matches!(
        mime,
        "application/rss+xml"
            | "application/atom+xml"
            | "application/rdf+xml"
            | "application/xml"
            | "text/xml"
    )
}

/// Refuses content types that are neither HTML nor feeds (a missing one is allowed
/// and judged from the body).
fn check_content_type(content_type: Option<&str>) -> Result<(), FetchErrorKind> {
    match mime_of(content_type) {
        None => Ok(()),
        Some(mime) if is_html_mime(&mime) || is_xml_mime(&mime) => Ok(()),
        Some(mime) => Err(FetchErrorKind::UnsupportedContent(format!(
            "content type {mime}"
        ))),
    }
}

/// Decides whether a body is a feed or an HTML page.
fn classify_body(
    final_url: Url,
    content_type: Option<String>,
    bytes: Vec<u8>,
    allow_feed: bool,
) -> Result<Page, FetchError> {
    let fail = |kind| FetchError {
        url: final_url.to_string(),
        kind,
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(fail(FetchErrorKind::EmptyPage));
    }
    let mime = mime_of(content_type.as_deref());
    if looks_like_feed(&bytes, content_type.as_deref()) {
        return match parse_feed(&bytes) {
            Some(_) if !allow_feed => Err(fail(FetchErrorKind::UnsupportedContent(
                "a feed where a feed's article page was expected".to_string(),
            ))),
            Some(items) => Ok(Page::Feed { final_url, items }),
            None => Err(fail(FetchErrorKind::UnsupportedContent(
                "a feed that could not be parsed".to_string(),
            ))),
        };
    }
    let is_html = match mime.as_deref() {
        Some(mime) if is_html_mime(mime) => true,
        // XHTML is sometimes served as plain XML.
        Some(_) if looks_like_html(&bytes) => true,
        Some(mime) => {
            return Err(fail(FetchErrorKind::UnsupportedContent(format!(
                "{mime} that is not an RSS or Atom feed"
            ))))
        }
        None => looks_like_html(&bytes),
    };
    if !is_html {
        return Err(fail(FetchErrorKind::UnsupportedContent(
            "no content type, and the body is not HTML".to_string(),
        )));
    }
    Ok(Page::Html {
        final_url,
        content_type,
        bytes,
    })
}

/// Sniffs undeclared content for HTML markup near the start.
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<p>",
        "<p ",
        "<div",
    ]
    .iter()
    .any(|marker| head.contains(marker))
}

/// Decodes an HTML page into a [`Fetched`] article, filling gaps from the feed item.
fn build_article(
    job: &Job,
    final_url: &Url,
    content_type: Option<&str>,
    bytes: &[u8],
) -> Result<Fetched, FetchError> {
    let raw_html = decode_html(bytes, content_type);
    let mut article = article_from_html(&raw_html, Some(final_url.as_str()));
    if article.text.trim().is_empty() {
        return Err(FetchError {
            url: final_url.to_string(),
            kind: FetchErrorKind::EmptyPage,
        });
    }
    article.input = job.input.clone();
    if let Some(hint) = &job.hint {
        if article.title.is_none() {
            article.title = hint.title.clone();
        }
        if article.published.is_none() {
            article.published = hint.published.clone();
        }
    }
    if let Some(feed) = &job.feed {
        article
            .metadata
            .insert("feed".to_string(), serde_json::Value::String(feed.clone()));
    }
    Ok(Fetched {
        final_url: final_url.to_string(),
        article,
        raw_html,
    })
}

/// The innermost cause of an error (the most specific words, without the URL
/// reqwest's own message repeats).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = err;
    while let Some(cause) = innermost.source() {
        innermost = cause;
    }
    innermost.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_match_the_policy() {
        let opts = FetchOptions::default();
        assert_eq!(opts.concurrency, 8);
        assert_eq!(opts.per_host_delay, Duration::from_secs(1));
        assert_eq!(opts.connect_timeout, Duration::from_secs(10));
        assert_eq!(opts.timeout, Duration::from_secs(30));
        assert_eq!(opts.retries, 3);
        assert_eq!(opts.max_body, 10 * 1024 * 1024);
        assert_eq!(opts.max_redirects, 5);
        assert!(opts.user_agent.starts_with("concord/"));
        assert!(opts.user_agent.contains(env!("CARGO_PKG_VERSION")));
        assert!(opts.obey_robots);
    }

    #[test]
    fn error_messages_name_url_and_reason() {
        let err = |kind| {
            FetchError {
                url: "https://news.example/a".to_string(),
                kind,
            }
            .to_string()
        };
        assert_eq!(
            err(status_error(StatusCode::NOT_FOUND, None)),
            "https://news.example/a: 404 Not Found"
        );
        assert_eq!(
            err(FetchErrorKind::TimedOut(Duration::from_secs(30))),
            "https://news.example/a: timed out after 30 s"
        );
        assert_eq!(
            err(FetchErrorKind::TimedOut(Duration::from_millis(250))),
            "https://news.example/a: timed out after 250 ms"
        );
        assert_eq!(
            err(FetchErrorKind::RobotsDisallowed),
            "https://news.example/a: refused by robots.txt"
        );
        assert_eq!(
            err(FetchErrorKind::BodyTooLarge(10 * 1024 * 1024)),
            "https://news.example/a: body larger than 10 MiB"
        );
        assert_eq!(
            err(FetchErrorKind::BodyTooLarge(1000)),
            "https://news.example/a: body larger than 1000 bytes"
        );
        assert_eq!(
            err(FetchErrorKind::TooManyRedirects(5)),
            "https://news.example/a: too many redirects (more than 5)"
        );
        assert_eq!(
            err(FetchErrorKind::EmptyPage),
            "https://news.example/a: empty page"
        );
        assert_eq!(
            err(status_error(
                StatusCode::TOO_MANY_REQUESTS,
                Some(Duration::from_secs(3600))
            )),
            "https://news.example/a: 429 Too Many Requests (asked to retry after 3600 s)"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z")
            .map(|d| d.with_timezone(&chrono::Utc))
            .expect("valid test date");
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Mon, 05 Jan 2026 10:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Mon, 05 Jan 2026 09:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means retry now"
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let fetcher = Fetcher::new(FetchOptions {
            retry_base_delay: Duration::from_millis(100),
            max_retry_wait: Duration::from_millis(350),
            ..FetchOptions::default()
        })
        .expect("client builds");
        assert_eq!(fetcher.backoff(0), Duration::from_millis(100));
        assert_eq!(fetcher.backoff(1), Duration::from_millis(200));
        assert_eq!(fetcher.backoff(2), Duration::from_millis(350));
        assert_eq!(fetcher.backoff(40), Duration::from_millis(350));
        assert_eq!(fetcher.robots_agent, "concord");
    }

    #[test]
    fn is_url_accepts_only_http_urls() {
        assert!(is_url("https://news.example/a?b=c#d"));
        assert!(is_url(" http://127.0.0.1:8080/x "));
        assert!(!is_url("ftp://news.example/a"));
        assert!(!is_url("news.example/a"));
        assert!(!is_url("/tmp/article.html"));
        assert!(!is_url("file:///tmp/a.html"));
        assert!(!is_url(""));
    }

    #[test]
    fn url_list_skips_comments_and_names_bad_lines() {
        let text = "# my list\n\nhttps://a.example/1\n  https://b.example/2   # second\nhttps://c.example/3#frag\n";
        let urls = parse_url_list(text, "list.txt").expect("a valid list");
        assert_eq!(
            urls,
            [
                "https://a.example/1",
                "https://b.example/2",
                "https://c.example/3#frag"
            ]
        );
        let err = parse_url_list("https://a.example/1\nnot a url\n", "list.txt")
            .expect_err("line 2 is bad");
        assert_eq!(err.to_string(), "list.txt:2: not an http(s) URL: not a url");
    }

    #[test]
    fn read_url_list_reads_a_file_and_reports_missing_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("urls.txt");
        std::fs::write(&path, "https://a.example/1\n# done\n").expect("write list");
        let urls = read_url_list(&path).expect("readable list");
        assert_eq!(urls, ["https://a.example/1"]);
        let missing = read_url_list(dir.path().join("nope.txt")).expect_err("missing file");
        assert!(missing.to_string().contains("nope.txt"), "{missing}");
    }

    #[test]
    fn content_types_are_screened() {
        assert!(check_content_type(Some("text/html; charset=utf-8")).is_ok());
        assert!(check_content_type(Some("application/rss+xml")).is_ok());
        assert!(check_content_type(None).is_ok());
        assert!(matches!(
            check_content_type(Some("application/pdf")),
            Err(FetchErrorKind::UnsupportedContent(_))
        ));
        assert!(matches!(
            check_content_type(Some("image/png")),
            Err(FetchErrorKind::UnsupportedContent(_))
        ));
    }

    fn classify(content_type: Option<&str>, body: &str, allow_feed: bool) -> &'static str {
        let url = Url::parse("https://news.example/a").expect("valid test URL");
        match classify_body(
            url,
            content_type.map(str::to_string),
            body.as_bytes().to_vec(),
            allow_feed,
        ) {
            Ok(Page::Html { .. }) => "html",
            Ok(Page::Feed { .. }) => "feed",
            Err(FetchError {
                kind: FetchErrorKind::EmptyPage,
                ..
            }) => "empty",
            Err(FetchError {
                kind: FetchErrorKind::UnsupportedContent(_),
                ..
            }) => "unsupported",
            Err(_) => "other error",
        }
    }

    #[test]
    fn bodies_are_classified() {
        let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                   <item><link>https://news.example/1</link></item></channel></rss>";
        assert_eq!(classify(Some("text/html"), "<p>Hello</p>", true), "html");
        assert_eq!(classify(None, "<!DOCTYPE html><p>Hi</p>", true), "html");
        assert_eq!(
            classify(
                Some("application/xml"),
                "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>x</p></body></html>",
                true
            ),
            "html"
        );
        assert_eq!(classify(Some("application/rss+xml"), rss, true), "feed");
        assert_eq!(classify(None, rss, true), "feed");
        assert_eq!(classify(Some("text/xml"), rss, false), "unsupported");
        assert_eq!(
            classify(Some("application/rss+xml"), "<rss><broken", true),
            "unsupported"
        );
        assert_eq!(
            classify(Some("text/xml"), "<?xml version=\"1.0\"?><data/>", true),
            "unsupported"
        );
        assert_eq!(classify(None, "just some words", true), "unsupported");
        assert_eq!(classify(Some("text/html"), " \n\t", true), "empty");
    }

    #[test]
    fn crawl_delay_raises_the_host_delay_within_the_cap() {
        let fetcher = Fetcher::new(FetchOptions {
            per_host_delay: Duration::from_secs(1),
            max_retry_wait: Duration::from_secs(60),
            ..FetchOptions::default()
        })
        .expect("client builds");
        let delay_of = |origin: &str| {
            *fetcher
                .gate(origin)
                .delay
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        fetcher.apply_crawl_delay("http://a.example:80", 2.5);
        assert_eq!(delay_of("http://a.example:80"), Duration::from_millis(2500));
        fetcher.apply_crawl_delay("http://b.example:80", 0.2);
        assert_eq!(delay_of("http://b.example:80"), Duration::from_secs(1));
        fetcher.apply_crawl_delay("http://c.example:80", 86_400.0);
        assert_eq!(delay_of("http://c.example:80"), Duration::from_secs(60));
        fetcher.apply_crawl_delay("http://d.example:80", f32::NAN);
        assert_eq!(delay_of("http://d.example:80"), Duration::from_secs(1));
        assert_eq!(
            origin_of(&Url::parse("https://News.example/a?b").expect("valid")),
            "https://news.example:443"
        );
    }
}
