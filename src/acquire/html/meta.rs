//! Page metadata read from the parsed document: JSON-LD, `<meta>` tags, links, `<time>`
//! elements, bylines, and dates in the URL or the visible text near the headline.

use std::sync::LazyLock;

use dom_query::{Document, Matcher, NodeRef};
use serde_json::Value;

use super::date::{self, DayOrder, Stamp};

/// Everything the head and markup say about a page, gathered once.
pub struct PageMeta {
    /// `<meta>` values keyed by lowercase `name`, `property`, `itemprop` or `http-equiv`,
    /// in document order.
    tags: Vec<(String, String)>,
    /// JSON-LD objects, flattened out of arrays, `@graph` and nesting.
    ld: Vec<Value>,
    /// The first `<link rel=canonical>` address, as written.
    canonical: Option<String>,
}

/// A CSS selector compiled once for every page.
type Compiled = LazyLock<Matcher>;

/// Compiles one of this file's fixed selectors.
fn compile(css: &str) -> Matcher {
    Matcher::new(css).expect("static selector")
}

static HEAD_TAGS: Compiled = LazyLock::new(|| compile("meta, script, link"));
static TITLE: Compiled = LazyLock::new(|| compile("title"));
static H1: Compiled = LazyLock::new(|| compile("h1"));
static HTML: Compiled = LazyLock::new(|| compile("html"));
static TIME: Compiled = LazyLock::new(|| compile("time"));
static MODIFIED_MARKUP: Compiled = LazyLock::new(|| {
    compile(r#"[itemprop~="dateModified"], time.updated, time[class*="modified"]"#)
});
static PUBLISHED_MARKUP: Compiled = LazyLock::new(|| {
    compile(
        r#"[itemprop~="datePublished"], time[pubdate], [property~="datePublished"],
           abbr.published, time.published, time.entry-date, time[class*="publish"]"#,
    )
});
/// Byline markup, most specific first.
static AUTHOR_MARKUP: LazyLock<[Matcher; 5]> = LazyLock::new(|| {
    [
        r#"[itemprop~="author"] [itemprop~="name"]"#,
        r#"[itemprop~="author"]"#,
        r#"[rel~="author"]"#,
        ".byline .author, .byline__name, .author-name, .author__name",
        ".byline",
    ]
    .map(compile)
});

/// Types of JSON-LD objects that describe the article itself.
const ARTICLE_TYPES: [&str; 12] = [
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
];

impl PageMeta {
    /// Reads the `<meta>` tags and JSON-LD blocks of a document.
    pub fn collect(doc: &Document) -> Self {
        let mut tags = Vec::new();
        let mut ld = Vec::new();
        let mut canonical = None;
        // One walk for every element kind read here.
        for node in doc.select_matcher(&HEAD_TAGS).nodes() {
            if node.has_name("script") {
                let is_ld = node
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if is_ld {
                    if let Some(value) = parse_json_lenient(&node.text()) {
                        flatten_ld(value, &mut ld, 0);
                    }
                }
                continue;
            }
            if node.has_name("link") {
                let is_canonical = node.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("canonical"))
                });
                if is_canonical && canonical.is_none() {
                    canonical = node.attr("href").map(|h| h.to_string());
                }
                continue;
            }
            let Some(content) = node.attr("content").or_else(|| node.attr("value")) else {
                continue;
            };
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            for key_attr in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(key) = node.attr(key_attr) {
                    for key in key.split_whitespace() {
                        tags.push((key.to_ascii_lowercase(), content.to_string()));
                    }
                }
            }
        }
        PageMeta {
            tags,
            ld,
            canonical,
        }
    }

    /// The first non-empty value of any of the given meta keys, keys tried in order.
    pub fn tag(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| {
            self.tags
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    }

    /// All values of one meta key, in document order.
    fn tags_named<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.tags
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// JSON-LD objects describing the article (article types first, then web pages, then
    /// anything else with the asked field).
    fn ld_ranked(&self) -> impl Iterator<Item = &Value> {
        let article = self
            .ld
            .iter()
            .filter(|v| ld_type_matches(v, &ARTICLE_TYPES));
        let page = self
            .ld
            .iter()
            .filter(|v| !ld_type_matches(v, &ARTICLE_TYPES) && ld_type_matches(v, &["WebPage"]));
        let other = self
            .ld
            .iter()
            .filter(|v| !ld_type_matches(v, &ARTICLE_TYPES) && !ld_type_matches(v, &["WebPage"]));
        article.chain(page).chain(other)
    }

    /// A string field of the best-ranked JSON-LD object that has it.
    fn ld_field(&self, field: &str) -> Option<String> {
        self.ld_ranked()
            .find_map(|v| v.get(field).and_then(ld_text))
            .filter(|s| !s.is_empty())
    }

    /// Headline: JSON-LD, OpenGraph, Twitter card, `<title>` without the site suffix, `<h1>`.
    pub fn title(&self, doc: &Document, site: Option<&str>) -> Option<String> {
        let clean =
            |t: String| Some(collapse_spaces(&decode_entities(&t))).filter(|t| !t.is_empty());
        self.ld_ranked()
            .filter(|v| ld_type_matches(v, &ARTICLE_TYPES))
            .find_map(|v| v.get("headline").and_then(ld_text))
            .and_then(clean)
            .or_else(|| {
                self.tag(&["og:title", "twitter:title", "dc.title", "headline"])
                    .and_then(|t| clean(t.to_string()))
            })
            .or_else(|| clean(doc.select_single_matcher(&TITLE).text().to_string()))
            .or_else(|| clean(doc.select_single_matcher(&H1).text().to_string()))
            .map(|t| strip_site_suffix(&t, site))
    }

    /// Publisher: OpenGraph site name, JSON-LD publisher, application name, else the host.
    pub fn source(&self, page_url: Option<&str>) -> Option<String> {
        let from_ld = self.ld_ranked().find_map(|v| {
            let publisher = v.get("publisher")?;
            let publisher = match publisher {
                Value::Array(items) => items.first()?,
                other => other,
            };
            match publisher {
                Value::String(s) => Some(s.clone()),
                other => other.get("name").and_then(ld_text),
            }
        });
        self.tag(&["og:site_name"])
            .map(str::to_string)
            .or(from_ld)
            .or_else(|| {
                self.tag(&["application-name", "publisher", "dc.publisher"])
                    .map(str::to_string)
            })
            .map(|s| collapse_spaces(&decode_entities(&s)))
            .map(|s| s.trim_start_matches('@').to_string())
            .filter(|s| !s.is_empty() && s.chars().count() <= 100 && !s.contains("://"))
            .or_else(|| host_of(page_url?))
    }

    /// Authors in byline order: JSON-LD, meta tags, byline markup; without "By ", deduplicated.
    pub fn authors(&self, doc: &Document) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        if let Some(article) = self.ld_ranked().find(|v| v.get("author").is_some()) {
            if let Some(author) = article.get("author") {
                collect_ld_names(author, &mut names);
            }
        }
        if names.is_empty() {
            for key in [
                "author",
                "article:author",
                "byl",
                "sailthru.author",
                "parsely-author",
                "dc.creator",
                "dcterms.creator",
                "twitter:creator",
            ] {
                for value in self.tags_named(key) {
                    if !value.contains("://") && !value.starts_with('@') {
                        names.push(value.to_string());
                    }
                }
                if !names.is_empty() {
                    break;
                }
            }
        }
        if names.is_empty() {
            for matcher in AUTHOR_MARKUP.iter() {
                for node in doc.select_matcher(matcher).nodes().iter().take(6) {
                    let text = node
                        .attr("content")
                        .map(|c| c.to_string())
                        .unwrap_or_else(|| node.text().to_string());
                    names.push(text);
                }
                if !names.is_empty() {
                    break;
                }
            }
        }
        clean_names(names)
    }

    /// Canonical URL (`<link rel=canonical>`, `og:url`, JSON-LD `url`), resolved against
    /// the page's address; else the page's address.
    pub fn url(&self, page_url: Option<&str>) -> Option<String> {
        let base = page_url.and_then(|u| url::Url::parse(u).ok());
        let candidates = [
            self.canonical.clone(),
            self.tag(&["og:url"]).map(str::to_string),
            self.ld_ranked()
                .filter(|v| ld_type_matches(v, &ARTICLE_TYPES))
                .find_map(|v| v.get("url").and_then(ld_text)),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|href| resolve(href.trim(), base.as_ref()))
            .or_else(|| page_url.map(str::to_string))
    }

    /// Primary language code: `<html lang>`, `og:locale`, content-language, JSON-LD.
    pub fn language(&self, doc: &Document) -> Option<String> {
        let html = doc.select_single_matcher(&HTML);
        let html_lang = html
            .attr("lang")
            .or_else(|| html.attr("xml:lang"))
            .map(|s| s.to_string());
        let candidates = [
            html_lang,
            self.tag(&[
                "og:locale",
                "content-language",
                "language",
                "dc.language",
                "inlanguage",
            ])
            .map(str::to_string),
            self.ld_field("inLanguage"),
        ];
        candidates
            .into_iter()
            .flatten()
            .find_map(|code| primary_language(&code))
    }

    /// Published and modified dates, kept apart, in ISO 8601.
    pub fn dates(
        &self,
        doc: &Document,
        page_url: Option<&str>,
        order: DayOrder,
    ) -> (Option<String>, Option<String>) {
        let modified = self.modified_date(doc, order);
        let published = self.published_date(doc, page_url, order);
        (published.map(|s| s.render()), modified.map(|s| s.render()))
    }

    fn modified_date(&self, doc: &Document, order: DayOrder) -> Option<Stamp> {
        let from_ld = self
            .ld_ranked()
            .find_map(|v| v.get("dateModified").and_then(ld_text))
            .and_then(|s| date::parse_machine_date(&s, order));
        from_ld
            .or_else(|| {
                MODIFIED_KEYS.iter().find_map(|key| {
                    self.tags_named(key)
                        .find_map(|v| date::parse_machine_date(v, order))
                })
            })
            .or_else(|| {
                doc.select_matcher(&MODIFIED_MARKUP)
                    .nodes()
                    .iter()
                    .find_map(|n| stamp_of_element(n, order))
            })
    }

    fn published_date(
        &self,
        doc: &Document,
        page_url: Option<&str>,
        order: DayOrder,
    ) -> Option<Stamp> {
        // 1. JSON-LD.
        let from_ld = self.ld_ranked().find_map(|v| {
            ["datePublished", "dateCreated", "uploadDate"]
                .iter()
                .find_map(|f| v.get(*f).and_then(ld_text))
                .and_then(|s| date::parse_machine_date(&s, order))
        });
        if from_ld.is_some() {
            return from_ld;
        }
        // 2. Meta tags, most specific names first.
        let from_meta = PUBLISHED_KEYS.iter().find_map(|key| {
            self.tags_named(key)
                .find_map(|v| date::parse_machine_date(v, order))
        });
        if from_meta.is_some() {
            return from_meta;
        }
        if let Some(stamp) = self.parsely_page_date(order) {
            return Some(stamp);
        }
        // 3. Markup that says it is the publication date.
        let marked = doc
            .select_matcher(&PUBLISHED_MARKUP)
            .nodes()
            .iter()
            .find_map(|n| stamp_of_element(n, order));
        if marked.is_some() {
            return marked;
        }
        // 4. A date in the URL path.
        if let Some(day) = page_url.and_then(date::date_in_url) {
            return Some(Stamp::day(day));
        }
        // 5. Any `<time>` element outside comments and side lists.
        let timed = doc
            .select_matcher(&TIME)
            .nodes()
            .iter()
            .filter(|n| !in_boilerplate(n))
            .find_map(|n| stamp_of_element(n, order));
        if timed.is_some() {
            return timed;
        }
        // 6. Elements whose class or id says "date", then text near the headline.
        // The modified date is never taken for the published one.
        text_date(doc, order).or_else(|| {
            // Generic `date` meta names are weak: a last resort before giving up.
            ["date", "dc.date", "dcterms.date"].iter().find_map(|key| {
                self.tags_named(key)
                    .find_map(|v| date::parse_machine_date(v, order))
            })
        })
    }

    fn parsely_page_date(&self, order: DayOrder) -> Option<Stamp> {
        let raw = self.tag(&["parsely-page"])?;
        let value: Value = serde_json::from_str(raw).ok()?;
        let pub_date = value.get("pub_date").and_then(Value::as_str)?;
        date::parse_machine_date(pub_date, order)
    }
}

/// Meta names that carry the publication date, most specific first.
const PUBLISHED_KEYS: [&str; 36] = [
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "article.published",
    "published_time",
    "datepublished",
    "date_published",
    "published-date",
    "published_date",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "pub_date",
    "article_date_original",
    "original-publish-date",
    "originalpublicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "rnews:datepublished",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "bt:pubdate",
    "displaydate",
    "release_date",
    "datecreated",
    "creation_date",
    "article:post_date",
    "publication_date",
];

/// Meta names that carry the last modification date.
const MODIFIED_KEYS: [&str; 8] = [
    "article:modified_time",
    "og:updated_time",
    "article:modified",
    "og:modified_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "lastmod",
];

/// Reads a date from an element: `datetime`, `content`, `title` attributes, then its text.
fn stamp_of_element(node: &NodeRef<'_>, order: DayOrder) -> Option<Stamp> {
    for attr in [
        "datetime",
        "content",
        "title",
        "data-timestamp",
        "data-date",
    ] {
        if let Some(value) = node.attr(attr) {
            if let Some(stamp) = date::parse_machine_date(&value, order) {
                return Some(stamp);
            }
        }
    }
    let text = node.text();
    if text.len() > 300 {
        return None;
    }
    date::find_written_date(&text, order).map(|(s, _)| s)
}

/// Element names whose subtrees hold no article metadata or text worth reading for dates.
pub(super) fn skipped_element(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "nav"
            | "footer"
            | "aside"
            | "form"
            | "select"
            | "button"
            | "iframe"
            | "head"
            | "textarea"
            | "option"
    )
}

/// Class or id words that mark comments, related lists, sidebars and other side matter.
fn side_matter(class_and_id: &str) -> bool {
    const WORDS: [&str; 12] = [
        "comment",
        "related",
        "sidebar",
        "footer",
        "recommend",
        "popular",
        "trending",
        "widget",
        "cookie",
        "newsletter",
        "share",
        "more-stories",
    ];
    let lower = class_and_id.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

fn class_and_id(node: &NodeRef<'_>) -> String {
    let mut out = String::new();
    if let Some(class) = node.attr("class") {
        out.push_str(&class);
    }
    if let Some(id) = node.attr("id") {
        out.push(' ');
        out.push_str(&id);
    }
    out
}

fn in_boilerplate(node: &NodeRef<'_>) -> bool {
    node.ancestors_it(Some(30)).any(|a| {
        a.node_name().is_some_and(|n| skipped_element(&n)) || side_matter(&class_and_id(&a))
    })
}

/// Class or id words that suggest an element holds the article's date line.
fn date_hint(class_and_id: &str) -> bool {
    const WORDS: [&str; 14] = [
        "date",
        "time",
        "publish",
        "posted",
        "byline",
        "dateline",
        "timestamp",
        "fecha",
        "datum",
        "data",
        "meta",
        "info",
        "tarih",
        "stamp",
    ];
    let lower = class_and_id.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// Text before a date that says it is an update, not the publication.
fn says_updated(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    [
        "updated",
        "update:",
        "modified",
        "actualizado",
        "aktualisiert",
        "mis à jour",
        "atualizado",
        "aggiornato",
        "обновлено",
        "güncelleme",
        "last edited",
    ]
    .iter()
    .any(|w| tail.contains(w))
}

/// Text before a date that says it is a copyright notice.
fn says_copyright(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(25)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    tail.contains('©') || tail.contains("copyright") || tail.contains("(c)")
}

/// How much visible text (bytes) to read for a date before giving up.
const TEXT_DATE_WINDOW: usize = 20_000;

/// A date in the visible text: first in elements whose class or id hints at a date line,
/// then the first written date after the headline, then the first anywhere near the top.
fn text_date(doc: &Document, order: DayOrder) -> Option<Stamp> {
    let body = doc.body()?;
    let mut text = String::new();
    let mut hinted: Vec<(usize, usize)> = Vec::new();
    let mut headline_at: Option<usize> = None;
    // Iterative walk in document order; `None` marks the end of a hinted element.
    let mut stack: Vec<(NodeRef<'_>, Option<usize>)> = vec![(body, None)];
    let mut open_hints: Vec<usize> = Vec::new();
    while let Some((node, closing)) = stack.pop() {
        if let Some(start) = closing {
            hinted.push((start, text.len()));
            open_hints.pop();
            continue;
        }
        if text.len() > TEXT_DATE_WINDOW {
            break;
        }
        if node.is_text() {
            let chunk = node.text();
            let chunk = chunk.trim();
            if !chunk.is_empty() {
                text.push_str(chunk);
                text.push(' ');
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
        if skipped_element(&name) {
            continue;
        }
        let marks = class_and_id(&node);
        if !marks.is_empty() && side_matter(&marks) {
            continue;
        }
        if name == "h1" && headline_at.is_none() {
            headline_at = Some(text.len());
        }
        if open_hints.is_empty() && (date_hint(&marks) || name == "time") {
            open_hints.push(text.len());
            stack.push((node, Some(text.len())));
        }
        let children: Vec<_> = node.children_it(true).collect();
        for child in children {
            stack.push((child, None));
        }
    }
    let acceptable = |text: &str, at: usize| {
        let before = text.get(..at).unwrap_or("");
        !says_copyright(before) && !says_updated(before)
    };
    // Date lines close to the headline first; lists of other stories come later.
    if let Some(headline) = headline_at {
        hinted.sort_by_key(|(start, _)| {
            let distance = start.abs_diff(headline);
            (distance > 3000, distance)
        });
    }
    for (start, end) in &hinted {
        let Some(segment) = text.get(*start..*end) else {
            continue;
        };
        if segment.len() > 400 {
            continue;
        }
        let found = date::find_written_dates(segment, order)
            .find(|(_, at)| acceptable(segment, *at))
            .map(|(s, _)| s);
        if found.is_some() {
            return found;
        }
    }
    let start = headline_at.unwrap_or(0);
    let after_headline = text.get(start..)?;
    let window = prefix_chars(after_headline, 3000);
    if let Some((stamp, _)) =
        date::find_written_dates(window, order).find(|(_, at)| acceptable(window, *at))
    {
        return Some(stamp);
    }
    if headline_at.is_some() {
        let before = prefix_chars(&text, 4000);
        if let Some((stamp, _)) =
            date::find_written_dates(before, order).find(|(_, at)| acceptable(before, *at))
        {
            return Some(stamp);
        }
    }
    None
}

fn prefix_chars(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Parses JSON-LD, tolerating raw control characters inside strings.
fn parse_json_lenient(text: &str) -> Option<Value> {
    let trimmed = text
        .trim()
        .trim_start_matches("<!--")
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("-->")
        .trim_end_matches("]]>")
        .trim()
        .trim_end_matches(';');
    if let Some(value) = leading_json_values(trimmed) {
        return Some(value);
    }
    let cleaned: String = trimmed
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    leading_json_values(&cleaned)
}

/// The JSON values at the start of `text`, up to the first syntax error (pages sometimes
/// leave a stray brace after a valid object); several values come back as an array.
fn leading_json_values(text: &str) -> Option<Value> {
    let mut values: Vec<Value> = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .map_while(Result::ok)
        .take(20)
        .collect();
    match values.len() {
        0 => None,
        1 => values.pop(),
        _ => Some(Value::Array(values)),
    }
}

/// Pushes every JSON object found in `value` (through arrays, `@graph` and nested values
/// such as `mainEntity`) onto `out`, parents before children.
fn flatten_ld(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 || out.len() > 200 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten_ld(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            let graph = map.remove("@graph");
            let nested: Vec<Value> = ["mainEntity", "mainEntityOfPage", "itemListElement"]
                .iter()
                .filter_map(|k| map.get(*k))
                .filter(|v| v.is_object() || v.is_array())
                .cloned()
                .collect();
            if map.contains_key("@type") {
                out.push(Value::Object(map));
            }
            if let Some(graph) = graph {
                flatten_ld(graph, out, depth + 1);
            }
            for value in nested {
                flatten_ld(value, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn ld_type_matches(value: &Value, types: &[&str]) -> bool {
    let matches = |t: &str| {
        let t = t.rsplit(['/', ':']).next().unwrap_or(t);
        types.iter().any(|x| x.eq_ignore_ascii_case(t))
    };
    match value.get("@type") {
        Some(Value::String(t)) => matches(t),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).any(matches),
        _ => false,
    }
}

/// A JSON-LD value as text: a string, a number, or the first string of an array.
fn ld_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.iter().find_map(ld_text),
        Value::Object(map) => map.get("@value").and_then(ld_text),
        _ => None,
    }
}

fn collect_ld_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => {
            for item in items.iter().take(20) {
                match item {
                    Value::String(s) => out.push(s.clone()),
                    Value::Object(_) => {
                        if let Some(name) = item.get("name").and_then(ld_text) {
                            out.push(name);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Object(_) => {
            if let Some(name) = value.get("name").and_then(ld_text) {
                out.push(name);
            }
        }
        _ => {}
    }
}

/// Splits bylines into names, drops "By ", URLs and over-long strings, and removes repeats.
fn clean_names(raw: Vec<String>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for entry in raw {
        let entry = collapse_spaces(&decode_entities(&entry));
        for part in entry
            .split([',', ';', '|', '&'])
            .flat_map(|p| p.split(" and "))
        {
            let mut name = part.trim();
            for prefix in ["By ", "by ", "BY ", "Por ", "Von ", "Par ", "Di "] {
                if let Some(rest) = name.strip_prefix(prefix) {
                    name = rest.trim();
                }
            }
            let name = name.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
            let words = name.split_whitespace().count();
            if name.is_empty() || name.contains("://") || words > 5 || name.chars().count() > 60 {
                continue;
            }
            if !name.chars().any(char::is_alphabetic) || looks_like_file_or_host(name) {
                continue;
            }
            if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// A single token such as `humans.txt` or `example.com`: not a person's name.
fn looks_like_file_or_host(name: &str) -> bool {
    if name.contains(char::is_whitespace) {
        return false;
    }
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        stem.len() > 1
            && (2..=4).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_lowercase())
    })
}

/// Drops a trailing (or leading) site name from a page title: "Story | Outlet",
/// "Story - Outlet", "Outlet: Story" when the outlet is known.
pub fn strip_site_suffix(title: &str, site: Option<&str>) -> String {
    const SEPARATORS: [&str; 7] = [" | ", " - ", " – ", " — ", " :: ", " · ", " » "];
    let site_norm = site.map(normalise_name);
    let mut current = title.trim().to_string();
    for _ in 0..3 {
        let mut changed = false;
        for sep in SEPARATORS {
            if let Some(at) = current.rfind(sep) {
                let (head, tail) = (&current[..at], &current[at + sep.len()..]);
                let tail_is_site = site_norm.as_deref().is_some_and(|s| {
                    !s.is_empty()
                        && (normalise_name(tail) == s
                            || normalise_name(tail).contains(s)
                            || s.contains(&normalise_name(tail)))
                });
                let short_tail =
                    tail.split_whitespace().count() <= 3 && head.split_whitespace().count() >= 4;
                if tail_is_site || short_tail {
                    current = head.trim().to_string();
                    changed = true;
                    break;
                }
            }
            if let Some(at) = current.find(sep) {
                let (head, tail) = (&current[..at], &current[at + sep.len()..]);
                let head_is_site = site_norm
                    .as_deref()
                    .is_some_and(|s| !s.is_empty() && normalise_name(head) == s);
                if head_is_site && tail.split_whitespace().count() >= 2 {
                    current = tail.trim().to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    if current.is_empty() {
        title.trim().to_string()
    } else {
        current
    }
}

fn normalise_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The URL's host without a leading "www.".
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

fn resolve(href: &str, base: Option<&url::Url>) -> Option<String> {
    if href.is_empty() {
        return None;
    }
    let resolved = match base {
        Some(base) => base.join(href).ok()?,
        None => url::Url::parse(href).ok()?,
    };
    matches!(resolved.scheme(), "http" | "https").then(|| resolved.to_string())
}

/// `en-US`, `en_GB`, `EN` → `en`; refuses anything that is not a 2–3 letter code.
pub fn primary_language(code: &str) -> Option<String> {
    let primary = code.trim().split(['-', '_', ',', ';', ' ']).next()?;
    let primary = primary.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

/// Collapses runs of whitespace to one space and trims.
pub fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the few entities that survive in attribute and JSON values (`&amp;`, `&#39;`, ...).
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "rsquo" => Some('\u{2019}'),
                "lsquo" => Some('\u{2018}'),
                "rdquo" => Some('\u{201D}'),
                "ldquo" => Some('\u{201C}'),
                "ndash" => Some('\u{2013}'),
                "mdash" => Some('\u{2014}'),
                "hellip" => Some('\u{2026}'),
                "laquo" => Some('\u{AB}'),
                "raquo" => Some('\u{BB}'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
