//! Local inputs: files, directories and standard input.
//!
//! Formats by extension: `.html`/`.htm` (a web page), `.txt`/`.md` (optional leading
//! `Key: value` lines, then the title line, then the body), `.json` (one article object or
//! an array), `.jsonl`/`.ndjson` (one article a line), each optionally gzipped (`.gz`).
//! `-` reads standard input: JSON lines when it starts with `{`, else one plain-text article.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use serde_json::{Map, Value};

use super::{finish_article, HtmlPage, InputError, Item};
use crate::acquire::charset::decode_html;
use crate::acquire::html::article_from_html;
use crate::model::Article;
use crate::store::RawInput;

/// The article formats concord reads from files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An HTML page.
    Html,
    /// Plain text or Markdown with optional header lines.
    Text,
    /// One JSON article object, or an array of them.
    Json,
    /// One JSON article object a line.
    JsonLines,
}

/// The format and gzip flag for a path, from its extension; `None` when concord does not read it.
pub fn format_of(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, gzipped) = match name.strip_suffix(".gz") {
        Some(stem) => (stem.to_string(), true),
        None => (name, false),
    };
    let ext = stem.rsplit_once('.')?.1;
    let format = match ext {
        "html" | "htm" | "xhtml" => Format::Html,
        "txt" | "md" | "text" => Format::Text,
        "json" => Format::Json,
        "jsonl" | "ndjson" => Format::JsonLines,
        _ => return None,
    };
    Some((format, gzipped))
}

/// Name of the ignore file a folder may hold: `.gitignore` syntax, listing files and folders
/// that a folder walk skips (notes, gold annotations, anything that is not an article).
pub const IGNORE_FILE: &str = ".concordignore";

/// Expands folders (recursively, in name order, skipping hidden entries and whatever a
/// `.concordignore` lists) into the article files below them. Files named on the command
/// line are kept whatever their extension (and fail later with a clear reason when concord
/// cannot read them).
pub fn expand_paths(paths: &[PathBuf]) -> Vec<Result<PathBuf, InputError>> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(Ok(path.clone()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .standard_filters(false)
            .hidden(true)
            .add_custom_ignore_filename(IGNORE_FILE)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    if is_file && format_of(entry.path()).is_some() {
                        out.push(Ok(entry.into_path()));
                    }
                }
                Err(err) => out.push(Err(InputError::new(
                    path.display().to_string(),
                    format!("cannot read folder: {err}"),
                ))),
            }
        }
    }
    out
}

/// What reading a file yields: an item, or a JSON line whose parsing is left to the caller,
/// so that many lines can be parsed in parallel ([`Unparsed::into_item`]).
#[derive(Debug)]
pub enum Unparsed {
    /// An item already made (an article, a page to convert, a failure).
    Item(Item),
    /// One line of a JSON lines input, not parsed yet.
    JsonLine(JsonLine),
}

impl Unparsed {
    /// The input this came from.
    pub fn input(&self) -> &str {
        match self {
            Unparsed::Item(item) => item.input(),
            Unparsed::JsonLine(line) => &line.input,
        }
    }

    /// The item: parses a JSON line, passes anything else through.
    pub fn into_item(self) -> Item {
        match self {
            Unparsed::Item(item) => item,
            Unparsed::JsonLine(line) => line.parse(),
        }
    }
}

/// One non-blank line of a JSON lines input, trimmed, with its place (`path:line`).
#[derive(Debug)]
pub struct JsonLine {
    /// Where the line is: `path:number` (numbers count from 1, blank lines included).
    pub input: String,
    /// The line's bytes, without surrounding ASCII white space.
    pub bytes: Vec<u8>,
}

impl JsonLine {
    /// Parses the line into an article (the line's text is kept as its raw input) or a failure.
    pub fn parse(self) -> Item {
        let JsonLine { input, bytes } = self;
        match String::from_utf8(bytes) {
            Err(_) => Item::Failed(InputError::new(input, "not valid UTF-8 text")),
            Ok(text) => match serde_json::from_str::<Value>(&text) {
                Err(err) => Item::Failed(InputError::new(input, format!("invalid JSON: {err}"))),
                Ok(value) => article_from_json_with_raw(&input, value, text, true),
            },
        }
    }
}

/// Reads one file and hands each article (or failure) in it to `sink`, streaming JSON lines.
pub fn read_file(path: &Path, sink: &mut dyn FnMut(Item) -> ControlFlow<()>) -> ControlFlow<()> {
    read_file_unparsed(path, &mut |unparsed| sink(unparsed.into_item()))
}

/// Like [`read_file`], but hands on the lines of a JSON lines file unparsed.
pub fn read_file_unparsed(
    path: &Path,
    unparsed_sink: &mut dyn FnMut(Unparsed) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let sink = &mut |item: Item| unparsed_sink(Unparsed::Item(item));
    let input = path.display().to_string();
    if !path.exists() {
        return sink(Item::Failed(InputError::new(
            input,
            "no such file or folder",
        )));
    }
    let Some((format, gzipped)) = format_of(path) else {
        return sink(Item::Failed(InputError::new(
            input,
            "unsupported file type (expected .html, .htm, .txt, .md, .json, .jsonl or .ndjson, optionally .gz)",
        )));
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) => {
            return sink(Item::Failed(InputError::new(
                input,
                format!("cannot open: {err}"),
            )))
        }
    };
    let reader: Box<dyn Read> = if gzipped {
        Box::new(MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    if format == Format::JsonLines {
        return read_json_lines(&input, &mut reader, unparsed_sink);
    }
    let mut bytes = Vec::new();
    if let Err(err) = reader.read_to_end(&mut bytes) {
        let reason = if gzipped {
            format!("cannot decompress: {err}")
        } else {
            format!("cannot read: {err}")
        };
        return sink(Item::Failed(InputError::new(input, reason)));
    }
    if looks_binary(&bytes) {
        return sink(Item::Failed(InputError::new(
            input,
            "binary data, not an article (is it an image, a PDF or a compressed file without .gz?)",
        )));
    }
    match format {
        Format::Html => {
            // Converted later (`Item::convert`), where pages are shared between cores.
            let html = decode_html(&bytes, None);
            sink(Item::Html(Box::new(HtmlPage {
                input,
                html,
                url: None,
            })))
        }
        Format::Text => {
            let text = decode_html(&bytes, Some("text/plain"));
            sink(article_from_text(&input, &text))
        }
        Format::Json => read_json_document(&input, &bytes, sink),
        Format::JsonLines => ControlFlow::Continue(()),
    }
}

/// Reads standard input: JSON lines when its first non-blank byte is `{`, else one text article.
pub fn read_stdin(sink: &mut dyn FnMut(Item) -> ControlFlow<()>) -> ControlFlow<()> {
    read_stdin_unparsed(&mut |unparsed| sink(unparsed.into_item()))
}

/// Like [`read_stdin`], but hands on JSON lines unparsed.
pub fn read_stdin_unparsed(
    unparsed_sink: &mut dyn FnMut(Unparsed) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let sink = &mut |item: Item| unparsed_sink(Unparsed::Item(item));
    let stdin = std::io::stdin();
    let mut reader = BufReader::with_capacity(256 * 1024, stdin.lock());
    let first = loop {
        match reader.fill_buf() {
            Ok([]) => break None,
            Ok(buf) => {
                let skip = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
                if skip < buf.len() {
                    break Some(buf[skip]);
                }
                reader.consume(skip);
            }
            Err(err) => {
                return sink(Item::Failed(InputError::new(
                    "-",
                    format!("cannot read standard input: {err}"),
                )))
            }
        }
    };
    match first {
        None => sink(Item::Failed(InputError::new(
            "-",
            "standard input is empty",
        ))),
        Some(b'{') => read_json_lines("-", &mut reader, unparsed_sink),
        Some(_) => {
            let mut bytes = Vec::new();
            if let Err(err) = reader.read_to_end(&mut bytes) {
                return sink(Item::Failed(InputError::new(
                    "-",
                    format!("cannot read standard input: {err}"),
                )));
            }
            let text = decode_html(&bytes, Some("text/plain"));
            sink(article_from_text("-", &text))
        }
    }
}

/// True when the bytes look like binary data rather than text.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return false; // UTF-16 with a byte-order mark
    }
    head.contains(&0)
}

fn read_json_lines(
    input: &str,
    reader: &mut dyn BufRead,
    sink: &mut dyn FnMut(Unparsed) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let mut line = Vec::new();
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => return ControlFlow::Continue(()),
            Ok(_) => {}
            Err(err) => {
                return sink(Unparsed::Item(Item::Failed(InputError::new(
                    format!("{input}:{number}"),
                    format!("cannot read: {err}"),
                ))))
            }
        }
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        sink(Unparsed::JsonLine(JsonLine {
            input: format!("{input}:{number}"),
            bytes: trimmed.to_vec(),
        }))?;
    }
}

fn read_json_document(
    input: &str,
    bytes: &[u8],
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    match serde_json::from_str::<Value>(text) {
        Err(err) => sink(Item::Failed(InputError::new(
            format!("{input}:{}", err.line()),
            format!("invalid JSON: {err}"),
        ))),
        Ok(Value::Array(values)) => {
            if values.is_empty() {
                return sink(Item::Failed(InputError::new(
                    input,
                    "the JSON array holds no articles",
                )));
            }
            for (i, value) in values.into_iter().enumerate() {
                let raw = value.to_string();
                sink(article_from_json_with_raw(
                    &format!("{input}#{}", i + 1),
                    value,
                    raw,
                    true,
                ))?;
            }
            ControlFlow::Continue(())
        }
        Ok(value) => sink(article_from_json_with_raw(
            input,
            value,
            text.to_string(),
            true,
        )),
    }
}

/// The article text that a JSON object's text makes (its `text` field, read as
/// [`article_from_json`] reads it); `None` when the text is not an object with a `text`.
/// Reads back the text of an article stored without it ([`crate::store::RawInput::text_in_body`]).
pub fn text_of_json_object(raw: &str) -> Option<String> {
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(mut map)) => take_string(&mut map, "text"),
        _ => None,
    }
}

fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => {
            let trimmed = s.trim();
            (!trimmed.is_empty()).then(|| trimmed.to_string())
        }
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Null) | None => None,
        Some(other) => {
            // Keep what we cannot read as a string, rather than drop it.
            map.insert(key.to_string(), other);
            None
        }
    }
}

fn take_authors(map: &mut Map<String, Value>) -> Vec<String> {
    let mut authors = Vec::new();
    for key in ["authors", "author"] {
        match map.remove(key) {
            Some(Value::String(s)) => authors.extend(split_authors(&s)),
            Some(Value::Array(values)) => {
                for value in values {
                    match value {
                        Value::String(s) => authors.extend(split_authors(&s)),
                        Value::Object(mut obj) => authors.extend(take_string(&mut obj, "name")),
                        _ => {}
                    }
                }
            }
            Some(Value::Object(mut obj)) => authors.extend(take_string(&mut obj, "name")),
            _ => {}
        }
    }
    authors.dedup();
    authors
}

fn split_authors(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .flat_map(|part| part.split(" and "))
        .map(|name| name.trim().trim_start_matches("By ").trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Builds an article from one JSON object. `raw` is the object's text, kept as the raw input.
pub fn article_from_json(input: &str, value: Value, raw: &str) -> Item {
    article_from_json_with_raw(input, value, raw.to_string(), false)
}

/// [`article_from_json`] taking the raw text by value; `raw_is_value`: `raw` is the text
/// `value` was parsed from (so its `text` can stand in for the article's).
fn article_from_json_with_raw(input: &str, value: Value, raw: String, raw_is_value: bool) -> Item {
    let Value::Object(mut map) = value else {
        return Item::Failed(InputError::new(
            input,
            "expected a JSON object with the article's fields",
        ));
    };
    let id = take_string(&mut map, "id");
    let url = take_string(&mut map, "url");
    let html = take_string(&mut map, "html");
    let text = take_string(&mut map, "text");
    let text_in_body = raw_is_value && text.is_some();
    let mut article = match (&text, &html) {
        (None, Some(html)) => article_from_html(html, url.as_deref()),
        _ => Article::default(),
    };
    article.input = input.to_string();
    if let Some(text) = text {
        article.text = text;
    }
    if url.is_some() {
        article.url = url;
    }
    if let Some(source) = take_string(&mut map, "source") {
        article.source = Some(source);
    }
    if let Some(title) = take_string(&mut map, "title") {
        article.title = Some(title);
    }
    if let Some(published) = take_string(&mut map, "published") {
        article.published = Some(published);
    }
    if let Some(modified) = take_string(&mut map, "modified") {
        article.modified = Some(modified);
    }
    if let Some(language) = take_string(&mut map, "language") {
        article.language = Some(language);
    }
    let authors = take_authors(&mut map);
    if !authors.is_empty() {
        article.authors = authors;
    }
    article.id = id.unwrap_or_default();
    article.metadata = map;
    let format = if html.is_some() && article.text.is_empty() {
        "html"
    } else {
        "json"
    };
    finish_article(
        article,
        RawInput {
            format: format.to_string(),
            body: raw,
            text_in_body,
        },
    )
}

/// Header keys a text article may start with.
const TEXT_HEADER_KEYS: &[&str] = &[
    "url",
    "source",
    "published",
    "date",
    "author",
    "authors",
    "id",
    "modified",
    "language",
];

/// Builds an article from plain text: optional `Key: value` lines, the title line, the body.
pub fn article_from_text(input: &str, content: &str) -> Item {
    let content = content.trim_start_matches('\u{feff}');
    let mut article = Article {
        input: input.to_string(),
        ..Article::default()
    };
    let mut lines = content.lines().peekable();
    // Header lines, until the first line that is not `known-key: value`.
    while let Some(line) = lines.peek() {
        let Some((key, value)) = line.split_once(':') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if !TEXT_HEADER_KEYS.contains(&key.as_str()) || key.contains(' ') {
            break;
        }
        let value = value.trim().to_string();
        match key.as_str() {
            "url" => article.url = Some(value),
            "source" => article.source = Some(value),
            "published" | "date" => article.published = Some(value),
            "modified" => article.modified = Some(value),
            "language" => article.language = Some(value),
            "id" => article.id = value,
            _ => article.authors.extend(split_authors(&value)),
        }
        lines.next();
    }
    let mut title = None;
    let mut body = Vec::new();
    let mut paragraph = Vec::new();
    for line in lines {
        let line = line.trim();
        if title.is_none() {
            if !line.is_empty() {
                title = Some(line.trim_start_matches('#').trim().to_string());
            }
            continue;
        }
        if line.is_empty() {
            if !paragraph.is_empty() {
                body.push(paragraph.join(" "));
                paragraph.clear();
            }
        } else {
            paragraph.push(line);
        }
    }
    if !paragraph.is_empty() {
        body.push(paragraph.join(" "));
    }
    article.title = title;
    article.text = body.join("\n\n");
    finish_article(
        article,
        RawInput {
            format: "text".to_string(),
            body: content.to_string(),
            text_in_body: false,
        },
    )
}

/// Builds an article from an HTML page (`url`: where it came from, when known).
pub fn loaded_html(input: String, html: String, url: Option<&str>) -> Item {
    let mut article = article_from_html(&html, url);
    article.input = input;
    finish_article(
        article,
        RawInput {
            format: "html".to_string(),
            body: html,
            text_in_body: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(mut item: Item) -> Article {
        item.convert();
        match item {
            Item::Article(loaded) => loaded.article,
            Item::Html(page) => panic!("expected an article, got the page {}", page.input),
            Item::Failed(err) => panic!("expected an article, got {err}"),
        }
    }

    #[test]
    fn text_headers_title_and_paragraphs() {
        let a = article(article_from_text(
            "a.txt",
            "url: https://x.example/a\nsource: The Ledger\npublished: 2023-03-21\nauthor: Ann Lee and Bo Chan\n\nThe title\n\nFirst line\nwraps here.\n\nSecond paragraph.\n",
        ));
        assert_eq!(a.title.as_deref(), Some("The title"));
        assert_eq!(a.source.as_deref(), Some("The Ledger"));
        assert_eq!(a.authors, vec!["Ann Lee", "Bo Chan"]);
        assert_eq!(a.text, "First line wraps here.\n\nSecond paragraph.");
        assert!(a.id.starts_with('u'));
    }

    #[test]
    fn a_first_line_with_a_colon_is_a_title_not_a_header() {
        let a = article(article_from_text(
            "a.txt",
            "Breaking: Twitter owes AWS\n\nBody text.",
        ));
        assert_eq!(a.title.as_deref(), Some("Breaking: Twitter owes AWS"));
        assert_eq!(a.text, "Body text.");
    }

    #[test]
    fn json_keeps_id_and_unknown_fields() {
        let value: Value = serde_json::from_str(
            r#"{"id":"x1","title":"T","text":"Body","authors":["A"],"section":"tech"}"#,
        )
        .unwrap_or_default();
        let a = article(article_from_json("a.json", value, "{}"));
        assert_eq!(a.id, "x1");
        assert_eq!(
            a.metadata.get("section"),
            Some(&Value::String("tech".into()))
        );
    }

    #[test]
    fn json_without_text_fails_with_reason() {
        let value: Value = serde_json::from_str(r#"{"title":"T"}"#).unwrap_or_default();
        match article_from_json("a.jsonl:3", value, "{}") {
            Item::Failed(err) => assert!(err.to_string().starts_with("a.jsonl:3: ")),
            _ => panic!("expected a failure"),
        }
    }

    #[test]
    fn html_files_are_read_now_and_converted_later() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("page.html");
        let page = "<html><head><title>Quay works start</title></head><body><article>\
                    <p>Work on the north quay started on Monday after the council approved \
                    the plan and the contractor moved its cranes onto the site.</p>\
                    </article></body></html>";
        std::fs::write(&path, page).expect("write the page");
        let mut items = Vec::new();
        let flow = read_file(&path, &mut |item| {
            items.push(item);
            ControlFlow::Continue(())
        });
        assert!(flow.is_continue());
        assert_eq!(items.len(), 1);
        let mut item = items.remove(0);
        assert!(matches!(&item, Item::Html(pending) if pending.html == page));
        assert_eq!(item.input(), path.display().to_string());
        item.convert();
        let Item::Article(loaded) = item else {
            panic!("expected an article");
        };
        assert_eq!(loaded.article.title.as_deref(), Some("Quay works start"));
        assert!(loaded.article.text.contains("north quay started on Monday"));
        assert_eq!(loaded.raw.format, "html");
        assert_eq!(loaded.raw.body, page);
    }

    #[test]
    fn json_lines_are_handed_on_unparsed_and_parse_as_read_file_reads_them() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("news.jsonl");
        let content =
            "  {\"id\":\"j1\",\"title\":\" T \",\"text\":\"Body one.\",\"desk\":\"x\"}\r\n\n[1]\n\
                       {\"text\":\"Body \\u00e9.\"}\n";
        std::fs::write(&path, content).expect("write the input");
        let mut unparsed = Vec::new();
        let flow = read_file_unparsed(&path, &mut |item| {
            unparsed.push(item);
            ControlFlow::Continue(())
        });
        assert!(flow.is_continue());
        let here = path.display().to_string();
        let lines: Vec<(String, Vec<u8>)> = unparsed
            .iter()
            .filter_map(|u| match u {
                Unparsed::JsonLine(line) => Some((line.input.clone(), line.bytes.clone())),
                Unparsed::Item(_) => None,
            })
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].0, format!("{here}:1"));
        assert!(lines[0].1.starts_with(b"{") && lines[0].1.ends_with(b"}"));
        assert_eq!(lines[1].0, format!("{here}:3"));
        assert_eq!(lines[2].0, format!("{here}:4"));
        let mut read = Vec::new();
        let _ = read_file(&path, &mut |item| {
            read.push(format!("{item:?}"));
            ControlFlow::Continue(())
        });
        let parsed: Vec<String> = unparsed
            .into_iter()
            .map(|u| format!("{:?}", u.into_item()))
            .collect();
        assert_eq!(parsed, read);
        assert!(parsed[0].contains("raw: RawInput"), "{}", parsed[0]);
        assert!(
            parsed[1].contains("expected a JSON object"),
            "{}",
            parsed[1]
        );
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            format_of(Path::new("a/b.jsonl.gz")),
            Some((Format::JsonLines, true))
        );
        assert_eq!(format_of(Path::new("B.HTM")), Some((Format::Html, false)));
        assert_eq!(format_of(Path::new("x.pdf")), None);
    }
}
