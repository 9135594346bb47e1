//! Money-extraction speed on the news corpus.
//!
//! Reads every `*.jsonl.gz` under `/work/shared/data/news/` (or the directory given as the
//! first argument): gzip JSON lines with a `text` field, all held in memory. Runs
//! `MoneyExtractor::find` over all texts, three rounds, and prints the median MB/s and
//! articles/s, beside a bare scan with one money regex with captures over the same texts
//! (the peer figure). Single thread. Besides wall-clock MB/s it prints MB/s by this
//! thread's CPU time (from `/proc/thread-self/schedstat`), which stays fair on a busy
//! machine.
//!
//! Run: `cargo run --release --example bench_money [DIR]`

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use concord::extract::money::MoneyExtractor;
use concord::rules::RuleSet;
use flate2::read::GzDecoder;
use regex::Regex;

fn load(dir: &str) -> anyhow::Result<Vec<String>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    paths.sort();
    let mut texts = Vec::new();
    for path in paths {
        let reader = BufReader::new(GzDecoder::new(std::fs::File::open(&path)?));
        for line in reader.lines() {
            let line = line?;
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                texts.push(text.to_string());
            }
        }
    }
    Ok(texts)
}

/// This thread's time on a CPU (Linux `/proc/thread-self/schedstat`), if readable.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Runs `f` over all texts three times; returns the median wall time, the median CPU time
/// of this thread (when known) and the last count.
fn rounds(texts: &[String], f: impl Fn(&str) -> usize) -> (Duration, Option<Duration>, usize) {
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    let mut count = 0;
    for _ in 0..3 {
        let cpu = cpu_time();
        let t = Instant::now();
        count = texts.iter().map(|text| f(text)).sum();
        walls.push(t.elapsed());
        if let (Some(before), Some(after)) = (cpu, cpu_time()) {
            cpus.push(after.saturating_sub(before));
        }
    }
    walls.sort();
    cpus.sort();
    (walls[1], cpus.get(1).copied(), count)
}

fn report(
    name: &str,
    bytes: usize,
    articles: usize,
    wall: Duration,
    cpu: Option<Duration>,
    found: usize,
) {
    let secs = wall.as_secs_f64().max(1e-9);
    let cpu_rate = cpu.map_or("n/a".to_string(), |c| {
        format!("{:.1} MB/s", bytes as f64 / 1e6 / c.as_secs_f64().max(1e-9))
    });
    println!(
        "{name:<28} {:>8.1} MB/s {:>10.0} articles/s  {found:>7} mentions  ({:.3} s/round; by CPU time {cpu_rate})",
        bytes as f64 / 1e6 / secs,
        articles as f64 / secs,
        secs
    );
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/data/news".to_string());
    let texts = load(&dir)?;
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} articles, {:.1} MB from {dir} (median of 3 rounds, 1 thread)",
        texts.len(),
        bytes as f64 / 1e6
    );
    let extractor = MoneyExtractor::new(&RuleSet::embedded())?;
    let (wall, cpu, found) = rounds(&texts, |t| extractor.find(t).len());
    report("concord money find()", bytes, texts.len(), wall, cpu, found);

    let peer = Regex::new(
        r"(?i)(?:(US\$|\$|€|£|¥|USD|EUR|GBP)\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(million|billion|bn|mln|m)(?-u:\b))?|(\d[\d,]*(?:\.\d+)?)\s(?:(mln|billion|million)\s)?(dlrs|dollars|euros|pounds|yen|stg|cts|cents)(?-u:\b))",
    )?;
    let (wall, cpu, found) = rounds(&texts, |t| peer.captures_iter(t).count());
    report(
        "peer: one regex, captures",
        bytes,
        texts.len(),
        wall,
        cpu,
        found,
    );
    Ok(())
}
