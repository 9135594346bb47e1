//! Claim precision and recall over the bundled corpus (`corpus/`) against
//! `corpus/gold/claims.jsonl`.
//!
//! A claim matches a gold line when it is in the same article, its amount words equal the
//! gold `amount_text` (case and spacing aside), its kind is the gold kind, and its parties are
//! the gold parties, where a unit and its parent count as the same party ("Google" for
//! "Google Cloud"). The loader here is deliberately small: `.txt`/`.md` (header lines, title,
//! body), `.json` (object or array) and `.jsonl`; an `.html` page's body text is taken from
//! `corpus/gold/articles.jsonl`, since cleaning HTML is another stage's job.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use concord::extract::parties::PartyExtractor;
use concord::extract::Extractor;
use concord::model::{Article, Claim};
use concord::rules::RuleSet;
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn article_from_json(name: String, value: &Value) -> Article {
    let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_string);
    Article {
        input: name.clone(),
        id: field("id").unwrap_or(name),
        url: field("url"),
        source: field("source"),
        title: field("title"),
        published: field("published"),
        text: field("text").unwrap_or_default(),
        ..Article::default()
    }
}

/// `.txt` / `.md`: `key: value` header lines, a blank line, the title, a blank line, the body.
fn article_from_text(name: String, raw: &str) -> Article {
    let mut article = Article {
        input: name.clone(),
        id: name,
        ..Article::default()
    };
    let mut lines = raw.lines().peekable();
    while let Some(line) = lines.peek() {
        let Some((key, value)) = line.split_once(": ") else {
            break;
        };
        if key.contains(' ') || key.is_empty() {
            break;
        }
        match key {
            "published" => article.published = Some(value.trim().to_string()),
            "url" => article.url = Some(value.trim().to_string()),
            "source" => article.source = Some(value.trim().to_string()),
            _ => {}
        }
        lines.next();
    }
    let rest: Vec<&str> = lines.collect();
    let rest = rest.join("\n");
    let rest = rest.trim_start_matches('\n');
    let (title, body) = rest.split_once("\n\n").unwrap_or((rest, ""));
    article.title = Some(title.trim().to_string());
    article.text = body.trim().to_string();
    article
}

/// Every corpus article, keyed by the gold `article` name (`path` or `path#N`).
fn load_corpus(root: &Path) -> Vec<(String, Article)> {
    let gold_articles: HashMap<String, Value> =
        fs::read_to_string(root.join("gold/articles.jsonl"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter_map(|v| Some((v.get("article")?.as_str()?.to_string(), v)))
            .collect();
    let mut out = Vec::new();
    for path in files_under(root) {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.starts_with("gold/") || name.ends_with("README.md") {
            continue;
        }
        let Ok(raw) = fs::read_to_string(&path) else {
            continue;
        };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "txt" | "md" => out.push((name.clone(), article_from_text(name, &raw))),
            "json" => match serde_json::from_str::<Value>(&raw) {
                Ok(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let key = format!("{name}#{}", i + 1);
                        out.push((key.clone(), article_from_json(key, item)));
                    }
                }
                Ok(item) => out.push((name.clone(), article_from_json(name, &item))),
                Err(e) => panic!("{name}: {e}"),
            },
            "jsonl" => {
                for (i, line) in raw.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                    let key = format!("{name}#{}", i + 1);
                    let item: Value = serde_json::from_str(line).unwrap_or(Value::Null);
                    out.push((key.clone(), article_from_json(key, &item)));
                }
            }
            "html" => {
                if let Some(gold) = gold_articles.get(&name) {
                    out.push((name.clone(), article_from_json(name, gold)));
                }
            }
            _ => {}
        }
    }
    out
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Same set of parties, counting a unit and its parent as one.
fn parties_match(table: &PartyExtractor, gold: &[String], found: &[String]) -> bool {
    gold.iter()
        .all(|g| found.iter().any(|f| table.related(g, f)))
        && found
            .iter()
            .all(|f| gold.iter().any(|g| table.related(g, f)))
}

#[derive(Default)]
struct Tally {
    gold: usize,
    found: usize,
    matched: usize,
    amount_only: usize,
    amount_kind: usize,
    term_ok: usize,
    start_ok: usize,
    flags_ok: usize,
}

#[test]
fn corpus_claims_match_gold() {
    let root = corpus_dir();
    let Ok(gold_text) = fs::read_to_string(root.join("gold/claims.jsonl")) else {
        eprintln!("no corpus/gold/claims.jsonl; nothing to measure");
        return;
    };
    let rules = RuleSet::embedded();
    let extractor = Extractor::new(&rules).expect("rules build");
    let table = extractor.parties();

    let articles = load_corpus(&root);
    assert!(
        articles.len() >= 20,
        "only {} articles loaded",
        articles.len()
    );
    let mut claims: HashMap<String, Vec<Claim>> = HashMap::new();
    let mut tally = Tally::default();
    for (name, article) in &articles {
        let found = extractor.extract(article).claims;
        tally.found += found.len();
        claims.insert(name.clone(), found);
    }

    let mut used: HashMap<String, Vec<bool>> = claims
        .iter()
        .map(|(k, v)| (k.clone(), vec![false; v.len()]))
        .collect();
    let mut misses = Vec::new();
    for line in gold_text.lines().filter(|l| !l.trim().is_empty()) {
        let gold: Value = serde_json::from_str(line).expect("gold line is JSON");
        tally.gold += 1;
        let article = gold["article"].as_str().unwrap_or("");
        let amount = normalise(gold["amount_text"].as_str().unwrap_or(""));
        let kind = gold["kind"].as_str().unwrap_or("");
        let parties: Vec<String> = gold["parties"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let Some(found) = claims.get(article) else {
            misses.push(format!("{article}: article not loaded"));
            continue;
        };
        let flags = used.get_mut(article).expect("same keys");
        let same_amount: Vec<usize> = (0..found.len())
            .filter(|&i| !flags[i] && normalise(&found[i].amount.text) == amount)
            .collect();
        if !same_amount.is_empty() {
            tally.amount_only += 1;
        }
        if same_amount.iter().any(|&i| found[i].kind.as_str() == kind) {
            tally.amount_kind += 1;
        }
        let hit = same_amount.iter().copied().find(|&i| {
            let c = &found[i];
            let names: Vec<String> = c.parties.iter().map(|p| p.name.clone()).collect();
            c.kind.as_str() == kind && parties_match(table, &parties, &names)
        });
        match hit {
            Some(i) => {
                flags[i] = true;
                tally.matched += 1;
                let c = &found[i];
                if c.term_months.map(i64::from) == gold["term_months"].as_i64() {
                    tally.term_ok += 1;
                } else {
                    println!(
                        "term differs: {article}: {amount:?} {:?} vs gold {}",
                        c.term_months, gold["term_months"]
                    );
                }
                if c.start_year.map(i64::from) == gold["start_year"].as_i64() {
                    tally.start_ok += 1;
                } else {
                    println!(
                        "start year differs: {article}: {amount:?} {:?} vs gold {}",
                        c.start_year, gold["start_year"]
                    );
                }
                let want = (
                    gold["hedged"].as_bool().unwrap_or(false),
                    gold["negated"].as_bool().unwrap_or(false),
                    gold["disputed"].as_bool().unwrap_or(false),
                );
                if (c.hedged, c.negated, c.disputed) == want {
                    tally.flags_ok += 1;
                } else {
                    println!(
                        "flags differ: {article}: {amount:?} {:?} vs gold {want:?}",
                        (c.hedged, c.negated, c.disputed)
                    );
                }
            }
            None => {
                let near: Vec<String> = same_amount
                    .iter()
                    .map(|&i| {
                        let c = &found[i];
                        let names: Vec<&str> = c.parties.iter().map(|p| p.name.as_str()).collect();
                        format!("{} {:?}", c.kind.as_str(), names)
                    })
                    .collect();
                misses.push(format!(
                    "{article}: {amount:?} {kind} {parties:?}; found {near:?}"
                ));
            }
        }
    }
    let precision = tally.matched as f64 / tally.found.max(1) as f64;
    let recall = tally.matched as f64 / tally.gold.max(1) as f64;
    println!(
        "corpus claims: {} gold, {} extracted, {} matched (amount+kind+parties)",
        tally.gold, tally.found, tally.matched
    );
    println!("precision {precision:.3}  recall {recall:.3}");
    println!(
        "amount found for {} of {} gold claims; amount+kind for {}",
        tally.amount_only, tally.gold, tally.amount_kind
    );
    println!(
        "of the matched: term right {}, start year right {}, flags right {}",
        tally.term_ok, tally.start_ok, tally.flags_ok
    );
    for (name, found) in &claims {
        let flags = &used[name];
        for (c, used) in found.iter().zip(flags) {
            if !used {
                let names: Vec<&str> = c.parties.iter().map(|p| p.name.as_str()).collect();
                println!(
                    "extra: {name}: {:?} {} {names:?}",
                    c.amount.text,
                    c.kind.as_str()
                );
            }
        }
    }
    for miss in &misses {
        println!("missed: {miss}");
    }
    assert!(precision >= 0.8, "precision {precision:.3} below 0.8");
    assert!(recall >= 0.8, "recall {recall:.3} below 0.8");
}
