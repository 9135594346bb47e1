//! Store and search benchmark.
//!
//! 1. Ingest: if `shared/data/news/*.jsonl.gz` is present beside the repository (or
//!    `CONCORD_NEWS_DIR` names the folder), stores every real article (with its JSON line as raw input and a few claims
//!    made up from its own sentences) and prints articles per second of the store alone.
//! 2. Search: builds an index of at least 1,000,000 claim documents (sentences taken from the
//!    news when present, otherwise from templates; kinds, parties, currencies, values and dates
//!    drawn at random) in a temporary directory, prints index bytes per claim and the p50/p99
//!    latency of mixed queries (free text; text + party + value range; facets).
//!
//! Run: `cargo run --release --example bench_search [CLAIMS]`

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use concord::model::{
    Article, Claim, ClaimKind, ClaimParty, Extraction, Money, Qualifier, Sentence,
};
use concord::search::{search, SearchRequest};
use concord::store::{PartyNames, RawInput, Store};
use rust_decimal::Decimal;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn news_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CONCORD_NEWS_DIR") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    [
        "../shared/data/news",
        "../../shared/data/news",
        "/work/shared/data/news",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|d| d.is_dir())
}

/// Each news line as (article, raw line).
fn read_news(dir: &Path) -> Vec<(Article, String)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        for (n, line) in reader.lines().enumerate() {
            let Ok(line) = line else { break };
            if let Ok(mut article) = serde_json::from_str::<Article>(&line) {
                article.input = format!("{}:{}", path.display(), n + 1);
                out.push((article, line));
            }
        }
    }
    out
}

fn sentences_of(text: &str) -> Vec<String> {
    text.split(['\n', '.'])
        .map(str::trim)
        .filter(|s| s.len() >= 40 && s.len() <= 300)
        .map(|s| format!("{s}."))
        .collect()
}

fn synthetic_sentences(rng: &mut Rng, count: usize) -> Vec<String> {
    let subjects = [
        "The company",
        "The ministry",
        "A spokesman",
        "The regulator",
        "The bank",
        "The group",
        "Its parent",
        "The council",
    ];
    let verbs = [
        "agreed to pay",
        "owes",
        "received",
        "was fined",
        "raised",
        "reported revenue of",
        "lost",
        "spent",
        "invested",
        "valued the unit at",
    ];
    let objects = [
        "for cloud services",
        "under a ten-year contract",
        "in unpaid rent",
        "for the pipeline",
        "after the merger",
        "for software licences",
        "in advertising",
        "for rail maintenance",
        "to settle the claims",
        "in its first quarter",
    ];
    let extras = [
        "people familiar with the matter said",
        "according to filings",
        "the newspaper reported",
        "analysts estimated",
        "officials confirmed",
        "the statement said",
    ];
    (0..count)
        .map(|_| {
            format!(
                "{} {} {} million dollars {}, {}.",
                rng.pick(&subjects),
                rng.pick(&verbs),
                1 + rng.below(900),
                rng.pick(&objects),
                rng.pick(&extras)
            )
        })
        .collect()
}

fn party_pool() -> Vec<String> {
    let first = [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Stark",
        "Wayne",
        "Tyrell",
        "Cyberdyne",
        "Soylent",
        "Hooli",
        "Vandelay",
        "Wonka",
        "Oscorp",
        "Nakatomi",
        "Massive",
        "Gringotts",
        "Monarch",
        "Sirius",
        "Aperture",
        "Black Mesa",
        "Dunder",
        "Pied Piper",
        "Bluth",
        "Prestige",
        "Sterling",
        "Krusty",
        "Duff",
        "Virtucon",
        "Yoyodyne",
        "Zorg",
    ];
    let second = [
        "Holdings",
        "Bank",
        "Energy",
        "Motors",
        "Cloud Services",
        "Airlines",
        "Pharma",
        "Foods",
        "Telecom",
        "Capital",
        "Insurance",
        "Rail",
        "Media",
        "Steel",
    ];
    let mut names = Vec::new();
    for a in first {
        for b in second {
            names.push(format!("{a} {b}"));
        }
    }
    names
}

/// Initials of a multi-word name ("Acme Cloud Services" → "ACS") as its alias.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect()
}

fn alias_lookup(pool: &[String]) -> PartyNames {
    let by_name: std::collections::HashMap<String, Vec<String>> = pool
        .iter()
        .flat_map(|name| {
            let group = vec![name.clone(), initials(name)];
            [
                (name.to_lowercase(), group.clone()),
                (initials(name).to_lowercase(), group),
            ]
        })
        .collect();
    Arc::new(move |name: &str| {
        by_name
            .get(&name.to_lowercase())
            .cloned()
            .unwrap_or_default()
    })
}

const SOURCES: [&str; 12] = [
    "The Ledger Post",
    "Euro Daily",
    "City Wire",
    "Tokyo Times",
    "Reuters",
    "BBC News",
    "Market Watcher",
    "The Courier",
    "Daily Finance",
    "Global Herald",
    "Trade Journal",
    "Morning Bulletin",
];
const CURRENCIES: [&str; 6] = ["USD", "USD", "USD", "EUR", "GBP", "JPY"];

fn make_claim(
    rng: &mut Rng,
    article_id: &str,
    n: usize,
    sentence: &str,
    parties: &[String],
) -> Claim {
    let kind = *rng.pick(&ClaimKind::ALL);
    let currency = rng.pick(&CURRENCIES).to_string();
    let value = 10f64.powf(3.0 + rng.unit() * 7.0).round();
    let party_count = 1 + rng.below(2);
    let claim_parties = (0..party_count)
        .map(|i| ClaimParty {
            name: rng.pick(parties).clone(),
            roles: vec![if i == 0 { "payer" } else { "payee" }.to_string()],
        })
        .collect();
    Claim {
        id: format!("{article_id}#{n}"),
        kind,
        amount: Money {
            text: format!("{value} {currency}"),
            start: n * 7,
            end: n * 7 + 10,
            currency: Some(currency),
            value: Decimal::from_str(&format!("{value}")).ok(),
            low: None,
            high: None,
            qualifier: Qualifier::Exact,
            per: None,
        },
        parties: claim_parties,
        term_months: (rng.below(4) == 0).then(|| 12 * (1 + rng.below(10) as u32)),
        start_year: (rng.below(5) == 0).then(|| 2000 + rng.below(25) as i32),
        attribution: (rng.below(6) == 0).then(|| "Reuters".to_string()),
        hedged: rng.below(5) == 0,
        negated: rng.below(20) == 0,
        disputed: rng.below(30) == 0,
        sentence: Sentence {
            text: sentence.to_string(),
            start: 0,
            end: sentence.chars().count(),
        },
    }
}

fn date(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}",
        2000 + rng.below(25),
        1 + rng.below(12),
        1 + rng.below(28)
    )
}

/// CPU seconds (user + system) this process has used so far, from /proc (Linux); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target_claims: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let parties = party_pool();
    let names = alias_lookup(&parties);
    let tmp = tempfile::tempdir()?;

    // 1. Ingest of real news through the store.
    let news = news_dir().map(|d| read_news(&d)).unwrap_or_default();
    let mut pool: Vec<String> = Vec::new();
    if news.is_empty() {
        println!("news: not found; sentences are synthetic");
    } else {
        let prepared: Vec<(Article, Extraction, RawInput)> = news
            .iter()
            .map(|(article, line)| {
                let sentences = sentences_of(&article.text);
                let claims = sentences
                    .iter()
                    .take(2)
                    .enumerate()
                    .map(|(n, s)| make_claim(&mut rng, &article.id, n, s, &parties))
                    .collect();
                pool.extend(sentences);
                (
                    article.clone(),
                    Extraction {
                        claims,
                        ..Extraction::default()
                    },
                    RawInput {
                        format: "json".into(),
                        body: line.clone(),
                        text_in_body: false,
                    },
                )
            })
            .collect();
        let store = Store::open_or_create(&tmp.path().join("news"))?;
        let cpu_before = cpu_seconds();
        let started = Instant::now();
        let mut writer = store.writer()?;
        writer.set_party_names(names.clone());
        if let Some(n) = std::env::var("BENCH_COMMIT_EVERY")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            writer.set_commit_every(n);
        }
        let no_raw = std::env::var_os("BENCH_NO_RAW").is_some();
        let no_claims = std::env::var_os("BENCH_NO_CLAIMS").is_some();
        let empty_raw = RawInput {
            format: "json".into(),
            body: String::new(),
            text_in_body: false,
        };
        let empty_extraction = Extraction::default();
        let mut claims = 0;
        for (article, extraction, raw) in &prepared {
            let raw = if no_raw { &empty_raw } else { raw };
            let extraction = if no_claims {
                &empty_extraction
            } else {
                extraction
            };
            writer.put(article, extraction, raw)?;
            claims += extraction.claims.len();
        }
        writer.finish()?;
        let seconds = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_before;
        let stats = store.reader()?.stats()?;
        println!(
            "ingest: {} news articles ({} claims, {} duplicates) in {:.2} s wall = {:.0} articles/s (store only: put + commits + merges); {:.2} CPU s = {:.0} articles per CPU second; index {:.1} MB",
            prepared.len(),
            claims,
            stats.duplicates,
            seconds,
            prepared.len() as f64 / seconds,
            cpu,
            prepared.len() as f64 / cpu.max(0.01),
            stats.index_bytes as f64 / 1e6
        );
    }
    if pool.is_empty() {
        pool = synthetic_sentences(&mut rng, 50_000);
    }

    // 2. A large claim index: 10 claims per article, raw inputs left empty.
    let dir = tmp.path().join("claims");
    let store = Store::open_or_create(&dir)?;
    let mut writer = store.writer()?;
    writer.set_party_names(names.clone());
    writer.set_commit_every(20_000);
    let started = Instant::now();
    let mut made = 0usize;
    let mut article_no = 0usize;
    while made < target_claims {
        let id = format!("bench-{article_no}");
        let claims: Vec<Claim> = (0..10)
            .map(|n| {
                let sentence = rng.pick(&pool).clone();
                make_claim(&mut rng, &id, n, &sentence, &parties)
            })
            .collect();
        let article = Article {
            id: id.clone(),
            source: Some(rng.pick(&SOURCES).to_string()),
            title: Some(format!("Report {article_no}: {}", rng.pick(&parties))),
            published: Some(date(&mut rng)),
            text: claims
                .iter()
                .map(|c| c.sentence.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            ..Article::default()
        };
        made += claims.len();
        let extraction = Extraction {
            claims,
            ..Extraction::default()
        };
        writer.put(
            &article,
            &extraction,
            &RawInput {
                format: "text".into(),
                body: String::new(),
                text_in_body: false,
            },
        )?;
        article_no += 1;
    }
    writer.finish()?;
    let build_seconds = started.elapsed().as_secs_f64();
    let reader = store.reader()?;
    let stats = reader.stats()?;
    let searcher = reader.searcher();
    let usage = searcher.space_usage()?;
    let (mut store_bytes, mut other_bytes) = (0u64, 0u64);
    for segment in usage.segments() {
        store_bytes += segment.store().total().get_bytes();
        other_bytes += segment.total().get_bytes() - segment.store().total().get_bytes();
    }
    let claims = stats.claims.max(1) as f64;
    println!(
        "index: {} claims in {} articles ({} segments), built in {:.1} s ({:.0} claims/s)",
        stats.claims,
        stats.articles,
        usage.segments().len(),
        build_seconds,
        stats.claims as f64 / build_seconds
    );
    println!(
        "size: {:.0} bytes per claim on disk in all ({:.1} MB; raw inputs empty, article docs and their text included); doc store {:.0} B/claim, inverted index + fast fields {:.0} B/claim",
        stats.index_bytes as f64 / claims,
        stats.index_bytes as f64 / 1e6,
        store_bytes as f64 / claims,
        other_bytes as f64 / claims
    );

    // 3. Queries.
    let words: Vec<String> = pool
        .iter()
        .take(5_000)
        .flat_map(|s| {
            s.split_whitespace()
                .map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() >= 5 && w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    let mut timings: [(String, Vec<Duration>); 3] = [
        ("free text".to_string(), Vec::new()),
        ("text + party + value".to_string(), Vec::new()),
        ("facets".to_string(), Vec::new()),
    ];
    let mut total_hits = 0usize;
    let mut cpu_ms = [0.0f64; 3];
    // Each kind of query in its own run of 1,000, so that the process CPU time of the run
    // (independent of other load on the machine) can be told per kind.
    for i in 0..3_000 {
        let kind = i / 1_000;
        if i % 1_000 == 0 && kind > 0 {
            cpu_ms[kind - 1] = cpu_seconds() * 1e3 - cpu_ms[kind - 1];
        }
        if i % 1_000 == 0 {
            cpu_ms[kind] = cpu_seconds() * 1e3;
        }
        let request = match kind {
            0 => SearchRequest {
                query: if rng.below(2) == 0 {
                    rng.pick(&words).clone()
                } else {
                    format!("{} {}", rng.pick(&words), rng.pick(&words))
                },
                limit: 10,
                ..SearchRequest::default()
            },
            1 => {
                let party = rng.pick(&parties);
                let party = if rng.below(2) == 0 {
                    initials(party)
                } else {
                    party.clone()
                };
                let bound = 10f64.powf(4.0 + rng.unit() * 4.0);
                let value = if rng.below(2) == 0 {
                    format!("value:>{bound:.0}")
                } else {
                    format!("usd:<{bound:.0}")
                };
                SearchRequest {
                    query: format!("{} party:\"{party}\" {value}", rng.pick(&words)),
                    limit: 10,
                    ..SearchRequest::default()
                }
            }
            _ => {
                let kind = rng.pick(&ClaimKind::ALL).as_str();
                let query = if rng.below(2) == 0 {
                    format!("kind:{kind} party:\"{}\"", rng.pick(&parties))
                } else {
                    format!("{} kind:{kind}", rng.pick(&words))
                };
                SearchRequest {
                    query,
                    limit: 10,
                    facets: true,
                    ..SearchRequest::default()
                }
            }
        };
        let started = Instant::now();
        let results = search(&reader, &request, &*names)?;
        timings[kind].1.push(started.elapsed());
        total_hits += results.total;
    }
    cpu_ms[2] = cpu_seconds() * 1e3 - cpu_ms[2];
    let mut all = Vec::new();
    for ((name, times), cpu) in timings.iter_mut().zip(cpu_ms) {
        times.sort();
        all.extend(times.iter().copied());
        println!(
            "queries {name:>22}: n={} wall p50 {:>7.3} ms  p99 {:>7.3} ms; mean CPU {:.3} ms/query",
            times.len(),
            percentile(times, 0.5).as_secs_f64() * 1e3,
            percentile(times, 0.99).as_secs_f64() * 1e3,
            cpu / times.len().max(1) as f64
        );
    }
    all.sort();
    println!(
        "queries {:>22}: n={} p50 {:>7.3} ms  p99 {:>7.3} ms (mean matches {:.0})",
        "all",
        all.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        total_hits as f64 / all.len() as f64
    );
    Ok(())
}
