//! Article-extraction eval: runs `article_from_html` over the pages listed in `gold.jsonl`
//! and writes one prediction line `{"id","title","body","published"}` per page to stdout.
//!
//! Usage: `cargo run --release --example eval_articles -- [DIR]`, where DIR holds
//! `gold.jsonl` and `html/<id>.html.gz` (default `../shared/eval/articles`, or `../../shared/eval/articles`). Score the output
//! with that directory's `score.py`; `scripts/eval-articles.sh` does both.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use concord::acquire::html::article_from_html;
use flate2::read::GzDecoder;
use serde_json::{json, Value};

fn main() -> Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(default_dir);
    let gold = std::fs::File::open(dir.join("gold.jsonl"))
        .with_context(|| format!("opening {}", dir.join("gold.jsonl").display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in BufReader::new(gold).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let row: Value = serde_json::from_str(&line).context("reading a gold line")?;
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default();
        let url = row.get("url").and_then(Value::as_str);
        let Some(page) = row.get("html").and_then(Value::as_str) else {
            continue;
        };
        let html = read_page(&dir.join(page))?;
        let article = article_from_html(&html, url);
        let prediction = json!({
            "id": id,
            "title": article.title,
            "body": article.text,
            "published": article.published,
        });
        writeln!(out, "{prediction}")?;
    }
    Ok(())
}

/// `../shared/eval/articles`, or `../../shared/eval/articles` when run from a worktree
/// one level deeper.
fn default_dir() -> PathBuf {
    ["../shared/eval/articles", "../../shared/eval/articles"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.join("gold.jsonl").exists())
        .unwrap_or_else(|| PathBuf::from("../shared/eval/articles"))
}

/// Reads a gzip-compressed page as UTF-8 (invalid bytes replaced).
fn read_page(path: &Path) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut bytes = Vec::new();
    GzDecoder::new(file)
        .read_to_end(&mut bytes)
        .with_context(|| format!("decompressing {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
