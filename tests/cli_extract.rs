//! `concord extract` driven through the real binary: inputs, formats, bad input.

use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn concord() -> Command {
    let mut cmd = Command::cargo_bin("concord").expect("the concord binary is built");
    cmd.env_remove("CONCORD_INDEX").env_remove("CONCORD_RULES");
    cmd
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("every stdout line is JSON"))
        .collect()
}

fn write(dir: &Path, name: &str, content: &[u8]) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(path, content).expect("write test file");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip")
}

#[test]
fn reads_every_file_format_in_a_folder_recursively() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(
        root,
        "a/one.txt",
        b"source: Ledger\npublished: 2023-03-21\n\nTitle one\n\nBody one.\n",
    );
    write(
        root,
        "a/b/two.json",
        br#"{"id":"keep-me","title":"Two","text":"Body two.","section":"tech"}"#,
    );
    write(root, "three.jsonl", b"{\"title\":\"Three\",\"text\":\"Body three.\"}\n\n{\"title\":\"Four\",\"text\":\"Body four.\"}\n");
    write(
        root,
        "five.jsonl.gz",
        &gzip(b"{\"title\":\"Five\",\"text\":\"Body five.\"}\n"),
    );
    write(root, "ignored.csv", b"a,b\n");
    let out = concord()
        .arg("extract")
        .arg("--json")
        .arg(root)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = lines(&out.stdout);
    let titles: Vec<&str> = lines.iter().filter_map(|l| l["title"].as_str()).collect();
    assert_eq!(titles.len(), 5, "{titles:?}");
    for title in ["Title one", "Two", "Three", "Four", "Five"] {
        assert!(titles.contains(&title), "missing {title} in {titles:?}");
    }
    let two = lines.iter().find(|l| l["title"] == "Two").expect("two");
    assert_eq!(two["id"], "keep-me");
    assert_eq!(two["metadata"]["section"], "tech");
    let three = lines.iter().find(|l| l["title"] == "Three").expect("three");
    assert!(three["input"]
        .as_str()
        .is_some_and(|i| i.ends_with("three.jsonl:1")));
    for key in [
        "input",
        "id",
        "url",
        "source",
        "title",
        "authors",
        "published",
        "modified",
        "language",
        "text",
        "money",
        "parties",
        "terms",
        "dates",
        "claims",
    ] {
        assert!(two.get(key).is_some(), "missing field {key}");
    }
}

#[test]
fn bad_inputs_are_named_and_do_not_stop_the_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    write(root, "good.txt", b"Good title\n\nGood body.\n");
    write(
        root,
        "lines.jsonl",
        b"{\"title\":\"ok\",\"text\":\"fine\"}\n{not json\n{\"title\":\"no text\"}\n",
    );
    write(root, "noise.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3]);
    write(root, "empty.html", b"<html><body></body></html>");
    let out = concord()
        .args(["extract", "--json"])
        .arg(root.join("good.txt"))
        .arg(root.join("lines.jsonl"))
        .arg(root.join("noise.txt"))
        .arg(root.join("empty.html"))
        .arg(root.join("missing.json"))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "any failed input makes the exit status non-zero"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lines.jsonl:2: invalid JSON"), "{stderr}");
    assert!(stderr.contains("lines.jsonl:3: empty article"), "{stderr}");
    assert!(stderr.contains("noise.txt: binary data"), "{stderr}");
    assert!(stderr.contains("empty.html: empty page"), "{stderr}");
    assert!(stderr.contains("missing.json: no such file"), "{stderr}");
    let titles: Vec<String> = lines(&out.stdout)
        .iter()
        .filter_map(|l| l["title"].as_str().map(str::to_string))
        .collect();
    assert_eq!(titles, vec!["Good title", "ok"]);
}

#[test]
fn standard_input_streams_json_lines_or_takes_plain_text() {
    let out = concord()
        .args(["extract", "--json", "-"])
        .write_stdin("{\"id\":\"s1\",\"text\":\"One.\"}\n{\"id\":\"s2\",\"text\":\"Two.\"}\n")
        .output()
        .expect("run");
    assert!(out.status.success());
    let ids: Vec<String> = lines(&out.stdout)
        .iter()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids, vec!["s1", "s2"]);

    let out = concord()
        .args(["extract", "--json", "-"])
        .write_stdin("A plain headline\n\nA plain body.\n")
        .output()
        .expect("run");
    assert!(out.status.success());
    let lines = lines(&out.stdout);
    assert_eq!(lines[0]["title"], "A plain headline");
    assert_eq!(lines[0]["input"], "-");
}

#[test]
fn the_same_url_gives_the_same_id_whatever_the_tracking_parameters() {
    let out = concord()
        .args(["extract", "--json", "-"])
        .write_stdin(concat!(
            "{\"url\":\"https://news.example/story\",\"text\":\"A.\"}\n",
            "{\"url\":\"https://news.example/story?utm_source=x#top\",\"text\":\"B.\"}\n"
        ))
        .output()
        .expect("run");
    let lines = lines(&out.stdout);
    assert_eq!(lines[0]["id"], lines[1]["id"]);
    assert_eq!(lines[1]["url"], "https://news.example/story");
}
