//! Extraction throughput on real newswire text.
//!
//! Reads `../shared/data/news/*.jsonl.gz` (or `../../shared/...` from a worktree, or the
//! directory given as the first argument, or `CONCORD_NEWS_DIR`), holds every article in
//! memory, and times, in turn within each of five rounds (median and best reported):
//! - `Extractor::extract` on one thread,
//! - `Extractor::extract` on two threads (each takes half of the articles),
//! - a bare scan with one money regex with captures, for scale,
//!
//! then prints how fast one-thread extraction runs next to the bare regex of the same round.
//!
//! Uses mimalloc, as the `concord` binary does.
//!
//! Run: `cargo run --release --example bench_extract [NEWS_DIR]`

use std::io::BufRead;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use concord::extract::Extractor;

/// The allocator the `concord` binary uses, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use concord::model::Article;
use concord::rules::RuleSet;

fn load(dir: &PathBuf) -> Vec<Article> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.to_string_lossy().ends_with(".jsonl.gz"));
    paths.sort();
    let mut articles = Vec::new();
    for path in paths {
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        for line in reader.lines().map_while(Result::ok) {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            let field = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_string);
            articles.push(Article {
                id: field("id").unwrap_or_default(),
                source: field("source"),
                title: field("title"),
                published: field("published"),
                text: field("text").unwrap_or_default(),
                ..Article::default()
            });
        }
    }
    articles
}

/// Rounds of each measure.
const ROUNDS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn best(times: Vec<Duration>) -> Duration {
    times.into_iter().min().unwrap_or_default()
}

fn report(label: &str, bytes: usize, articles: usize, time: Duration, found: usize) {
    let secs = time.as_secs_f64().max(1e-9);
    println!(
        "{label:<34} {:>8.1} MB/s {:>10.0} articles/s  ({:.3} s, {found} items)",
        bytes as f64 / 1e6 / secs,
        articles as f64 / secs,
        secs
    );
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("CONCORD_NEWS_DIR").ok())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            // beside the repository, or beside a worktree directory
            ["../shared/data/news", "../../shared/data/news"]
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_dir())
                .unwrap_or_else(|| PathBuf::from("../shared/data/news"))
        });
    let articles = load(&dir);
    if articles.is_empty() {
        eprintln!("no articles under {} (*.jsonl.gz)", dir.display());
        std::process::exit(1);
    }
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    println!(
        "{} articles, {:.1} MB of text from {}",
        articles.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let extractor = match Extractor::new(&RuleSet::embedded()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot build the extractor: {e}");
            std::process::exit(1);
        }
    };

    let count = |slice: &[Article]| -> (usize, usize) {
        let mut claims = 0;
        let mut money = 0;
        for a in slice {
            let x = extractor.extract(a);
            claims += x.claims.len();
            money += x.money.len();
        }
        (money, claims)
    };

    let money_re = regex::Regex::new(
        r"(?i)(?:[$£€]\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(million|billion|mln|bn|m))?|(\d[\d,]*(?:\.\d+)?)\s+(mln|billion|million)?\s*(dlrs|stg|yen|marks|francs|pounds|euros))",
    )
    .expect("valid regex");

    // The three measures take turns within each round, so that a round's figures share the
    // machine's state of the moment (on a shared virtual machine it drifts from minute to
    // minute); the ratio of extraction to the bare regex within a round is the steadiest
    // figure of all.
    let (mut single, mut double, mut bare) = (Vec::new(), Vec::new(), Vec::new());
    let (mut found, mut bare_found) = ((0, 0), 0);
    let half = articles.len() / 2;
    for _ in 0..ROUNDS {
        let t = Instant::now();
        found = count(&articles);
        single.push(t.elapsed());

        let t = Instant::now();
        std::thread::scope(|s| {
            let a = s.spawn(|| count(&articles[..half]));
            let b = s.spawn(|| count(&articles[half..]));
            let _ = (a.join(), b.join());
        });
        double.push(t.elapsed());

        let t = Instant::now();
        bare_found = articles
            .iter()
            .map(|a| money_re.captures_iter(&a.text).count())
            .sum();
        bare.push(t.elapsed());
    }
    let ratios: Vec<f64> = single
        .iter()
        .zip(&bare)
        .map(|(s, b)| b.as_secs_f64() / s.as_secs_f64().max(1e-9))
        .collect();

    for (heading, pick) in [
        (
            format!("median of {ROUNDS} rounds:"),
            median as fn(Vec<Duration>) -> Duration,
        ),
        (
            format!("best of {ROUNDS} rounds:"),
            best as fn(Vec<Duration>) -> Duration,
        ),
    ] {
        println!("{heading}");
        report(
            "extract, 1 thread",
            bytes,
            articles.len(),
            pick(single.clone()),
            found.1,
        );
        report(
            "extract, 2 threads",
            bytes,
            articles.len(),
            pick(double.clone()),
            found.1,
        );
        report(
            "bare money regex (captures)",
            bytes,
            articles.len(),
            pick(bare.clone()),
            bare_found,
        );
    }
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "extraction on one thread runs at {:.3} of the bare regex's speed (median of the rounds' ratios; range {:.3}-{:.3})",
        sorted[sorted.len() / 2],
        sorted[0],
        sorted[sorted.len() - 1]
    );
    println!("money mentions {}, claims {}", found.0, found.1);
    stages(&extractor, &articles, bytes);
}

/// Time of each stage of `Extractor::extract` on one thread (median of 3 rounds), so that
/// the slowest stage is plain to see.
fn stages(extractor: &Extractor, articles: &[Article], bytes: usize) {
    use concord::extract::{claims, dates, money, parties, sentences, terms, CharMap};
    let rules = RuleSet::embedded();
    let (Ok(money), Ok(parties), Ok(terms), Ok(dates), Ok(claims)) = (
        money::MoneyExtractor::new(&rules),
        parties::PartyExtractor::new(&rules),
        terms::TermExtractor::new(&rules),
        dates::DateExtractor::new(&rules),
        claims::ClaimExtractor::new(&rules),
    ) else {
        eprintln!("cannot build the extractors");
        return;
    };
    let time = |f: &dyn Fn(usize, &Article) -> usize| -> (Duration, usize) {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..3 {
            let t = Instant::now();
            n = articles.iter().enumerate().map(|(i, a)| f(i, a)).sum();
            times.push(t.elapsed());
        }
        (median(times), n)
    };
    println!("stages, 1 thread:");
    let (t, n) = time(&|_, a| {
        let found = extractor.scan(&a.text);
        found.cues.len()
            + found.dates.len()
            + found.terms.len()
            + found.aliases.len()
            + found.names.len()
    });
    report(
        "  scan (anchors of every family)",
        bytes,
        articles.len(),
        t,
        n,
    );
    let anchors: Vec<_> = articles.iter().map(|a| extractor.scan(&a.text)).collect();
    let total =
        |f: fn(&concord::extract::scan::Anchors) -> usize| anchors.iter().map(f).sum::<usize>();
    println!(
        "  anchors: {} money cues, {} date, {} term, {} alias, {} name",
        total(|a| a.cues.len()),
        total(|a| a.dates.len()),
        total(|a| a.terms.len()),
        total(|a| a.aliases.len()),
        total(|a| a.names.len())
    );
    let (t, n) = time(&|i, a| money.find_at_cues(&a.text, &anchors[i].cues).len());
    report("  money (at cues)", bytes, articles.len(), t, n);
    let (t, n) = time(&|_, a| sentences::split(&a.text).len());
    report("  sentences", bytes, articles.len(), t, n);
    let (t, n) = time(&|_, a| CharMap::new(&a.text).char_of(&a.text, a.text.len()));
    report("  char map", bytes, articles.len(), t, n);
    let (t, n) = time(&|i, a| {
        parties
            .find_bytes_at(&a.text, &anchors[i].aliases, &anchors[i].names)
            .len()
    });
    report("  parties (at anchors)", bytes, articles.len(), t, n);
    let (t, n) = time(&|i, a| terms.find_bytes_at(&a.text, &anchors[i].terms).len());
    report("  terms (at anchors)", bytes, articles.len(), t, n);
    let (t, n) = time(&|i, a| dates.find_bytes_at(&a.text, None, &anchors[i].dates).len());
    report("  dates (at anchors)", bytes, articles.len(), t, n);
    let prepared: Vec<_> = articles
        .iter()
        .map(|a| {
            let text = a.text.as_str();
            (
                CharMap::new(text),
                sentences::split(text),
                money.find(text),
                parties.find_bytes(text, &[]),
                terms.find_bytes(text),
                dates.find_bytes(text, None),
            )
        })
        .collect();
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..3 {
        let t = Instant::now();
        n = articles
            .iter()
            .zip(&prepared)
            .map(|(a, (map, sentences, money, found, terms, dates))| {
                let input = claims::ClaimInput {
                    article_id: &a.id,
                    text: &a.text,
                    map,
                    sentences,
                    money,
                    parties: found,
                    terms,
                    dates,
                };
                claims.find(&input, &parties).len()
            })
            .sum();
        times.push(t.elapsed());
    }
    report("  claims", bytes, articles.len(), median(times), n);
}
