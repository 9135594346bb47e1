//! The cross-source check over the bundled corpus, through the real binary, against the
//! gold pairs in `corpus/gold/findings.jsonl`: every genuine contradiction must be found and
//! no trap flagged as a contradiction.

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn concord(index: &Path) -> Command {
    let mut cmd = Command::cargo_bin("concord").expect("the concord binary is built");
    cmd.env_remove("CONCORD_RULES").env("CONCORD_INDEX", index);
    cmd
}

fn json_lines(bytes: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Runs concord with `args` on `index` and returns its standard output; fails the test
/// (with concord's standard error) when concord fails.
fn run_ok(index: &Path, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = concord(index).args(args).output().expect("concord runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Gold names an article by its path under corpus/, with `#N` for the Nth item of a
/// .json array or a .jsonl file; concord names inputs `path#N` and `path:LINE`.
fn gold_input_keys(article: &str) -> Vec<String> {
    let path = format!("corpus/{article}");
    match path.split_once('#') {
        Some((file, n)) => vec![format!("{file}#{n}"), format!("{file}:{n}")],
        None => vec![path],
    }
}

struct Side {
    article_id: Option<String>,
    amount_text: String,
    in_title: bool,
}

fn side(value: &Value, ids: &HashMap<String, String>) -> Side {
    let article = value["article"]
        .as_str()
        .expect("gold side names an article");
    let article_id = gold_input_keys(article)
        .iter()
        .find_map(|k| ids.get(k).cloned());
    Side {
        article_id,
        amount_text: value["amount_text"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        in_title: value["in_title"].as_bool().unwrap_or(false),
    }
}

fn matches(claim: &Value, side: &Side) -> bool {
    side.article_id.as_deref() == claim["article_id"].as_str()
        && claim["amount"]["text"].as_str() == Some(side.amount_text.as_str())
}

fn pairs(finding: &Value, a: &Side, b: &Side) -> bool {
    let (fa, fb) = (&finding["a"], &finding["b"]);
    (matches(fa, a) && matches(fb, b)) || (matches(fa, b) && matches(fb, a))
}

#[test]
fn every_genuine_contradiction_is_found_and_no_trap_is_flagged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    let out = concord(&index)
        .current_dir(root)
        .args(["extract", "--json", "corpus"])
        .output()
        .expect("extract");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: HashMap<String, String> = json_lines(&out.stdout)
        .iter()
        .map(|l| {
            (
                l["input"].as_str().unwrap_or_default().to_string(),
                l["id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();

    run_ok(&index, &["ingest".as_ref(), corpus.as_os_str()]);
    let findings = json_lines(&run_ok(&index, &["check".as_ref(), "--json".as_ref()]));
    let contradictions: Vec<&Value> = findings
        .iter()
        .filter(|f| f["type"] == "contradiction")
        .collect();

    let gold = std::fs::read_to_string(corpus.join("gold/findings.jsonl")).expect("gold findings");
    let mut missed = Vec::new();
    let mut flagged = Vec::new();
    let (mut genuine, mut traps) = (0, 0);
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        let pair: Value = serde_json::from_str(line).expect("gold line");
        let id = pair["id"].as_str().unwrap_or("?");
        let a = side(&pair["a"], &ids);
        let b = side(&pair["b"], &ids);
        if pair["expect"] == "contradiction" {
            genuine += 1;
            let attribute = pair["attribute"].as_str().unwrap_or_default();
            let found = contradictions
                .iter()
                .any(|f| f["attribute"] == attribute && pairs(f, &a, &b));
            if !found {
                missed.push(format!(
                    "{id} ({attribute}): {} vs {}",
                    a.amount_text, b.amount_text
                ));
            }
        } else {
            traps += 1;
            if a.in_title || b.in_title {
                // A figure that stands only in a headline yields no claim to compare.
                continue;
            }
            if let Some(f) = contradictions.iter().find(|f| pairs(f, &a, &b)) {
                flagged.push(format!("{id} ({}): {}", pair["trap"], f["explanation"]));
            }
        }
    }
    assert!(
        genuine >= 8 && traps >= 12,
        "the gold holds {genuine} contradictions and {traps} traps"
    );
    assert!(
        missed.is_empty() && flagged.is_empty(),
        "missed: {missed:#?}\nflagged traps: {flagged:#?}"
    );
}

#[test]
fn the_report_does_not_depend_on_the_order_articles_were_ingested_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut stories: Vec<_> = std::fs::read_dir(&corpus)
        .expect("corpus/")
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.is_dir() && !path.ends_with("gold"))
        .collect();
    stories.sort();
    assert!(stories.len() >= 4, "{stories:?}");
    let mut reports = Vec::new();
    for order in ["sorted", "reversed"] {
        if order == "reversed" {
            stories.reverse();
        }
        let index = dir.path().join(order);
        let mut ingest = vec!["ingest".as_ref()];
        ingest.extend(stories.iter().map(|story| story.as_os_str()));
        run_ok(&index, &ingest);
        let report = run_ok(&index, &["check".as_ref(), "--json".as_ref()]);
        reports.push(String::from_utf8_lossy(&report).into_owned());
    }
    assert!(!reports[0].trim().is_empty(), "the corpus has findings");
    assert_eq!(reports[0], reports[1]);
}
