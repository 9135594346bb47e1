//! `concord ingest` (and the index commands after it) driven through the real binary, with a
//! real index in a temporary folder and a real HTTP server on 127.0.0.1.

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn concord(index: &Path) -> Command {
    let mut cmd = Command::cargo_bin("concord").expect("the concord binary is built");
    cmd.env_remove("CONCORD_RULES").env("CONCORD_INDEX", index);
    cmd
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .collect()
}

fn statuses(out: &Output) -> Vec<String> {
    json_lines(out)
        .iter()
        .map(|l| l["status"].as_str().unwrap_or("?").to_string())
        .collect()
}

fn ingest_stdin(index: &Path, lines: &str) -> Output {
    concord(index)
        .args(["ingest", "--json", "-"])
        .write_stdin(lines.to_string())
        .output()
        .expect("run concord")
}

const STORY: &str = "Twitter still owes Amazon Web Services at least $70 million, according to The Information. The company has paid $10 million toward its AWS bill.";

#[test]
fn reingest_is_unchanged_a_changed_page_replaces_and_a_copy_is_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let first = format!("{{\"url\":\"https://a.example/story\",\"source\":\"A\",\"title\":\"T\",\"text\":\"{STORY}\"}}\n");
    let out = ingest_stdin(&index, &first);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(statuses(&out), vec!["ingested"]);

    let out = ingest_stdin(&index, &first);
    assert_eq!(statuses(&out), vec!["unchanged"]);

    let changed = first.replace("$10 million", "$12 million");
    let out = ingest_stdin(&index, &changed);
    assert_eq!(statuses(&out), vec!["replaced"]);

    let copy = changed.replace("https://a.example/story", "https://b.example/copy");
    let out = ingest_stdin(&index, &copy);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["status"], "duplicate");
    assert!(lines[0]["duplicate_of"].is_string());

    let out = concord(&index)
        .args(["stats", "--json"])
        .output()
        .expect("stats");
    let stats: Value = serde_json::from_slice(&out.stdout).expect("stats JSON");
    assert_eq!(stats["articles"], 2, "{stats}");
    assert_eq!(stats["duplicates"], 1, "{stats}");
}

#[test]
fn bad_lines_are_reported_and_good_ones_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let input = format!(
        "{{\"id\":\"good-1\",\"text\":\"{STORY}\"}}\n{{broken\n{{\"id\":\"no-text\"}}\n{{\"id\":\"good-2\",\"text\":\"Another story entirely.\"}}\n"
    );
    let out = ingest_stdin(&index, &input);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(
        statuses(&out),
        vec!["ingested", "failed", "failed", "ingested"]
    );
    assert_eq!(lines[1]["input"], "-:2");
    assert!(lines[1]["error"]
        .as_str()
        .is_some_and(|e| e.contains("invalid JSON")));
    let out = concord(&index)
        .args(["show", "good-2", "--json"])
        .output()
        .expect("show");
    assert!(out.status.success());
    let shown: Value = serde_json::from_slice(&out.stdout).expect("show JSON");
    assert_eq!(shown["article"]["text"], "Another story entirely.");
}

#[test]
fn a_second_writer_is_told_the_index_is_locked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let store = concord::store::Store::open_or_create(&index).expect("create index");
    let _writer = store.writer().expect("first writer");
    let out = ingest_stdin(&index, "{\"text\":\"x\"}\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("locked by another concord process"),
        "{stderr}"
    );
}

#[test]
fn commands_on_a_missing_index_say_how_to_fill_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("nothing-here");
    for args in [vec!["search", "x"], vec!["stats"], vec!["show", "abc"]] {
        let out = concord(&index).args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("concord ingest"), "{args:?}: {stderr}");
    }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta property=\"og:site_name\" content=\"Test Wire\"></head><body><nav><a href=\"/\">Home</a></nav>\
         <article><h1>{title}</h1><p>{body}</p><p>{body}</p><p>The matter was still unresolved on Friday, both sides said.</p></article>\
         <footer>Copyright Test Wire</footer></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_and_feeds_are_fetched_and_failures_named() {
    let server = MockServer::start().await;
    let base = server.uri();
    let html = |body: String| {
        ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "text/html; charset=utf-8")
    };
    Mock::given(method("GET"))
        .and(path("/robots.txt"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("User-agent: *\nDisallow: /private/\n"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/news/one"))
        .respond_with(html(page("Twitter falls behind on AWS bill", STORY)))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/news/two"))
        .respond_with(html(page("Google deal stays in force", "Twitter's $1 billion, five-year deal with Google Cloud remains in force, the company said.")))
        .mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/private/secret"))
        .respond_with(html(page("Secret", STORY)))
        .mount(&server)
        .await;
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test Wire</title>\
         <item><title>Feed title two</title><link>{base}/news/two</link><pubDate>Wed, 22 Mar 2023 10:00:00 GMT</pubDate></item>\
         </channel></rss>"
    );
    Mock::given(method("GET"))
        .and(path("/feed.xml"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(feed.into_bytes(), "application/rss+xml"),
        )
        .mount(&server)
        .await;

    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    let list = dir.path().join("urls.txt");
    std::fs::write(
        &list,
        format!("# test list\n{base}/news/one\n{base}/missing\n"),
    )
    .expect("url list");
    let index_for_run = index.clone();
    let out = tokio::task::spawn_blocking(move || {
        concord(&index_for_run)
            .args(["ingest", "--json", "--delay", "0.01", "--urls"])
            .arg(&list)
            .arg(format!("{base}/feed.xml"))
            .arg(format!("{base}/private/secret"))
            .output()
            .expect("run concord")
    })
    .await
    .expect("join");
    assert_eq!(
        out.status.code(),
        Some(1),
        "a 404 and a robots refusal fail the run"
    );
    let lines = json_lines(&out);
    let by_input = |needle: &str| {
        lines
            .iter()
            .find(|l| l["input"].as_str().is_some_and(|i| i.ends_with(needle)))
            .unwrap_or_else(|| panic!("no line for {needle} in {lines:?}"))
            .clone()
    };
    assert_eq!(by_input("/news/one")["status"], "ingested");
    assert_eq!(by_input("/news/two")["status"], "ingested");
    let missing = by_input("/missing");
    assert_eq!(missing["status"], "failed");
    assert!(
        missing["error"].as_str().is_some_and(|e| e.contains("404")),
        "{missing}"
    );
    let secret = by_input("/private/secret");
    assert!(
        secret["error"]
            .as_str()
            .is_some_and(|e| e.contains("robots")),
        "{secret}"
    );

    let index_for_search = index.clone();
    let out = tokio::task::spawn_blocking(move || {
        concord(&index_for_search)
            .args(["search", "--articles", "--json", "Google"])
            .output()
            .expect("search")
    })
    .await
    .expect("join");
    let hits: Vec<Value> = json_lines(&out);
    assert!(
        hits.iter().any(|h| h["published"]
            .as_str()
            .is_some_and(|p| p.starts_with("2023-03-22"))),
        "the feed's date fills the page's missing date: {hits:?}"
    );
}

#[test]
fn a_folder_holding_only_a_readme_takes_a_new_index_and_other_files_are_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("index");
    std::fs::create_dir_all(&index).expect("index folder");
    std::fs::write(index.join("README.md"), "notes\n").expect("readme");
    let out = ingest_stdin(&index, &format!("{{\"text\":\"{STORY}\"}}\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(index.join("README.md").is_file());

    let other = dir.path().join("photos");
    std::fs::create_dir_all(&other).expect("folder");
    std::fs::write(other.join("holiday.jpg"), [0u8, 1, 2]).expect("file");
    let out = ingest_stdin(&other, &format!("{{\"text\":\"{STORY}\"}}\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}
