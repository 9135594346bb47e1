//! Benchmark of the HTML → article step: decompresses every page of an eval `html/` directory
//! into memory, then runs `article_from_html` over all of them for several rounds on one
//! thread and prints pages/s (median round), MB/s and pages per CPU-second; then the same
//! rounds with the pages shared between THREADS threads (pages/s wall, and per thread).
//!
//! Usage: `cargo run --release --example bench_html -- [HTML_DIR] [ROUNDS] [THREADS]`
//! (default `../shared/eval/articles/html`, or `../../shared/eval/articles/html`; 5 rounds;
//! as many threads as cores, at most 2; 1 skips the threaded rounds).
//! Reads /work/shared data; not part of the test suite.

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use concord::acquire::html::article_from_html;
use flate2::read::GzDecoder;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(default_dir);
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let threads: usize = args
        .next()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(2)))
        .max(1);
    let mut pages: Vec<String> = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    entries.sort();
    for path in entries {
        let mut bytes = Vec::new();
        GzDecoder::new(std::fs::File::open(&path)?)
            .read_to_end(&mut bytes)
            .with_context(|| format!("decompressing {}", path.display()))?;
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    anyhow::ensure!(!pages.is_empty(), "no .html.gz pages in {}", dir.display());
    let total_bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "{} pages, {:.1} MB of HTML, {rounds} rounds",
        pages.len(),
        total_bytes as f64 / 1e6
    );
    let mut seconds = Vec::with_capacity(rounds);
    let mut cpu_seconds = Vec::with_capacity(rounds);
    let mut text_chars = 0usize;
    for round in 0..rounds {
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        text_chars = 0;
        for page in &pages {
            let article = article_from_html(page, Some("https://example.com/news/story"));
            text_chars += article.text.len();
        }
        let elapsed = start.elapsed().as_secs_f64();
        let cpu = match (cpu_start, thread_cpu_seconds()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        println!(
            "round {}: {:.3} s, {:.0} pages/s{}",
            round + 1,
            elapsed,
            pages.len() as f64 / elapsed,
            cpu.map(|c| format!(" (CPU {c:.3} s)")).unwrap_or_default()
        );
        seconds.push(elapsed);
        if let Some(cpu) = cpu {
            cpu_seconds.push(cpu);
        }
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "median: {:.0} pages/s, {:.1} MB/s ({} bytes of text per round)",
        pages.len() as f64 / median,
        total_bytes as f64 / 1e6 / median,
        text_chars
    );
    if cpu_seconds.len() == seconds.len() {
        cpu_seconds.sort_by(f64::total_cmp);
        let cpu_median = cpu_seconds[cpu_seconds.len() / 2];
        println!(
            "median CPU time: {:.0} pages per CPU-second (wall figures suffer when other \
             processes share the cores)",
            pages.len() as f64 / cpu_median
        );
    }
    if threads > 1 {
        threaded_rounds(&pages, rounds, threads);
    }
    Ok(())
}

/// The same rounds with the pages shared out between `threads` threads (each takes the next
/// unconverted page); prints pages/s wall and each thread's pages per CPU-second.
fn threaded_rounds(pages: &[String], rounds: usize, threads: usize) {
    println!("{threads} threads:");
    let mut seconds = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let next = AtomicUsize::new(0);
        let start = Instant::now();
        let per_thread: Vec<(usize, Option<f64>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let cpu_start = thread_cpu_seconds();
                        let mut done = 0;
                        while let Some(page) = pages.get(next.fetch_add(1, Ordering::Relaxed)) {
                            let article =
                                article_from_html(page, Some("https://example.com/news/story"));
                            std::hint::black_box(article);
                            done += 1;
                        }
                        let cpu = match (cpu_start, thread_cpu_seconds()) {
                            (Some(a), Some(b)) => Some(b - a),
                            _ => None,
                        };
                        (done, cpu)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        let elapsed = start.elapsed().as_secs_f64();
        let threads_figures: Vec<String> = per_thread
            .iter()
            .map(|(done, cpu)| match cpu {
                Some(cpu) if *cpu > 0.0 => format!(
                    "{done} pages, {:.0} pages per CPU-second",
                    *done as f64 / cpu
                ),
                _ => format!("{done} pages"),
            })
            .collect();
        println!(
            "round {}: {:.3} s, {:.0} pages/s wall; threads: {}",
            round + 1,
            elapsed,
            pages.len() as f64 / elapsed,
            threads_figures.join("; ")
        );
        seconds.push(elapsed);
    }
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!(
        "median with {threads} threads: {:.0} pages/s wall",
        pages.len() as f64 / median
    );
}

/// CPU time this thread has run, from Linux's `/proc/thread-self/schedstat`; `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// `../shared/eval/articles/html`, or one level further up when run from a worktree.
fn default_dir() -> PathBuf {
    [
        "../shared/eval/articles/html",
        "../../shared/eval/articles/html",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.is_dir())
    .unwrap_or_else(|| PathBuf::from("../shared/eval/articles/html"))
}
