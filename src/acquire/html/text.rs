//! Main text: Readability (`dom_smoothie`) on the already parsed document, with a
//! paragraph-density fallback where it finds nothing useful.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use dom_query::{Document, Matcher, NodeData, NodeRef};
use dom_smoothie::{Config, Readability};

/// Below this many characters a Readability result is treated as a failure.
const MIN_READABLE_CHARS: usize = 200;

/// Documents nested deeper than this skip Readability (whose passes recurse) and use the
/// iterative fallback.
const MAX_DEPTH: usize = 400;

/// The main text of a page as paragraphs separated by blank lines.
pub fn main_text(doc: Document, title: Option<&str>) -> String {
    if remove_boilerplate(&doc) == Depth::TooDeep {
        return density_text(&doc);
    }
    // Metadata comes from our own pass over the document; Readability needs none of its own.
    let config = Config {
        disable_json_ld: true,
        ..Config::default()
    };
    // No page address: it only serves to make links absolute, and only text is kept.
    let Ok(mut readability) = Readability::with_document(doc, None, Some(config)) else {
        return String::new();
    };
    let from_readability = match readability.parse() {
        Ok(_) => {
            let root = readability.doc.select_single_matcher(&READABILITY_ROOT);
            root.nodes()
                .first()
                .map(|root| render_blocks(root, title))
                .unwrap_or_default()
        }
        Err(_) => String::new(),
    };
    if from_readability.chars().count() >= MIN_READABLE_CHARS {
        return from_readability;
    }
    // After a failed attempt Readability leaves the cleaned page in `doc`; after a tiny
    // result, the part it picked. Either way the density pick reads what is there.
    let fallback = density_text(&readability.doc);
    if fallback.chars().count() > from_readability.chars().count() {
        fallback
    } else {
        from_readability
    }
}

/// The element Readability wraps its result in.
static READABILITY_ROOT: LazyLock<Matcher> =
    LazyLock::new(|| Matcher::new("#readability-page-1").expect("static selector"));

/// Bytes of text inside a node, counted without building the text.
fn text_bytes(node: &NodeRef<'_>) -> usize {
    node.descendants_it()
        .map(|d| {
            d.query_or(0, |n| match &n.data {
                NodeData::Text { contents } => contents.len(),
                _ => 0,
            })
        })
        .sum()
}

/// Substrings of class or id tokens that mark page furniture rather than article text.
static FURNITURE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    const PARTS: [&str; 30] = [
        "cookie",
        "consent",
        "gdpr",
        "newsletter",
        "social",
        "share",
        "sharing",
        "related",
        "recommend",
        "outbrain",
        "taboola",
        "breadcrumb",
        "caption",
        "credit",
        "byline",
        "dateline",
        "timestamp",
        "comment",
        "advert",
        "promo",
        "sponsor",
        "subscribe",
        "signup",
        "popup",
        "modal",
        "paywall",
        "more-stories",
        "read-more",
        "readmore",
        "you-may-like",
    ];
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(PARTS)
        .expect("static patterns")
});

/// Whether a class or id token marks page furniture.
fn furniture_token(token: &str) -> bool {
    let ad_like = |t: &str| {
        t.eq_ignore_ascii_case("ad")
            || t.eq_ignore_ascii_case("ads")
            || t.eq_ignore_ascii_case("tags")
            || t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("ad-"))
            || t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("ads-"))
            || t.len() >= 3
                && t.get(t.len() - 3..)
                    .is_some_and(|p| p.eq_ignore_ascii_case("-ad"))
            || t.len() >= 4
                && t.get(t.len() - 4..)
                    .is_some_and(|p| p.eq_ignore_ascii_case("-ads"))
    };
    ad_like(token) || FURNITURE.is_match(token)
}

/// A marked block with this much text and few links is taken for prose, not furniture.
const PROSE_CHARS: usize = 1500;

/// Bytes of link text inside a node.
fn link_bytes(node: &NodeRef<'_>) -> usize {
    node.descendants_it()
        .filter(|d| d.has_name("a"))
        .map(|a| text_bytes(&a))
        .sum()
}

/// Whether the document was shallow enough to hand to Readability.
#[derive(Debug, PartialEq, Eq)]
enum Depth {
    Fine,
    TooDeep,
}

/// Removes navigation, captions, share bars, cookie banners, related lists and similar
/// furniture before Readability scores the page. Never removes the page's main containers
/// or a block holding most of the page's text. Reports whether the remaining tree nests
/// deeper than Readability's recursive passes should see.
fn remove_boilerplate(doc: &Document) -> Depth {
    let Some(body) = doc.body() else {
        return Depth::Fine;
    };
    let body_chars = text_bytes(&body).max(1);
    let mut doomed = Vec::new();
    let mut depth = Depth::Fine;
    let mut stack: Vec<(NodeRef<'_>, usize)> = body
        .children_it(true)
        .filter(|c| c.is_element())
        .map(|c| (c, 1))
        .collect();
    while let Some((node, level)) = stack.pop() {
        if level > MAX_DEPTH {
            depth = Depth::TooDeep;
            break;
        }
        let name = node.node_name().unwrap_or_default();
        let always = matches!(
            &*name,
            "nav" | "aside" | "footer" | "figcaption" | "button" | "iframe" | "select" | "noscript"
        );
        let protected = matches!(&*name, "main" | "article")
            || node
                .attr("itemprop")
                .is_some_and(|p| p.contains("articleBody"));
        let marked = !protected
            && (node
                .attr("class")
                .is_some_and(|c| c.split_whitespace().any(furniture_token))
                || node.attr("id").is_some_and(|i| furniture_token(&i))
                || node.attr("aria-hidden").is_some_and(|h| &*h == "true")
                || node.has_attr("hidden"));
        if (always && !protected) || marked {
            // Blocks holding most of the page's text, or long prose with few links, are
            // false alarms (an article box whose class says "modal-enabled").
            let text_len = text_bytes(&node);
            let prose =
                marked && !always && text_len >= PROSE_CHARS && link_bytes(&node) * 3 < text_len;
            if text_len * 2 < body_chars && !prose {
                doomed.push(node);
                continue;
            }
        }
        stack.extend(
            node.children_it(true)
                .filter(|c| c.is_element())
                .map(|c| (c, level + 1)),
        );
    }
    for node in doomed {
        node.remove_from_parent();
    }
    depth
}

/// One block of text with how much of it sits inside links.
struct Block {
    text: String,
    link_chars: usize,
    /// Inside a `<blockquote>` (quotes and embedded posts keep their links and dates).
    quoted: bool,
}

/// Elements that start and end a block of text.
fn block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "hr"
            | "br"
            | "form"
            | "fieldset"
            | "address"
            | "details"
            | "summary"
            | "center"
    )
}

/// Splits a subtree into text blocks, iteratively, in document order.
fn blocks_of(root: &NodeRef<'_>) -> Vec<Block> {
    enum Step<'a> {
        Enter(NodeRef<'a>),
        Leave {
            block: bool,
            link: bool,
            quote: bool,
        },
    }
    let mut blocks = Vec::new();
    let mut current = Block {
        text: String::new(),
        link_chars: 0,
        quoted: false,
    };
    let mut quote_depth = 0usize;
    let flush = |current: &mut Block, blocks: &mut Vec<Block>, quoted: bool| {
        let text = current.text.trim();
        if !text.is_empty() {
            blocks.push(Block {
                text: text.to_string(),
                link_chars: current.link_chars,
                quoted,
            });
        }
        current.text.clear();
        current.link_chars = 0;
    };
    let mut link_depth = 0usize;
    let mut steps: Vec<Step<'_>> = root.children_it(true).map(Step::Enter).collect();
    while let Some(step) = steps.pop() {
        match step {
            Step::Leave { block, link, quote } => {
                if link {
                    link_depth = link_depth.saturating_sub(1);
                }
                if block {
                    flush(&mut current, &mut blocks, quote_depth > 0);
                }
                if quote {
                    quote_depth = quote_depth.saturating_sub(1);
                }
            }
            Step::Enter(node) => {
                if node.is_text() {
                    let raw = node.text();
                    let mut pieces = raw.split_whitespace().peekable();
                    if pieces.peek().is_none() {
                        if !raw.is_empty()
                            && !current.text.ends_with(' ')
                            && !current.text.is_empty()
                        {
                            current.text.push(' ');
                        }
                        continue;
                    }
                    if raw.starts_with(char::is_whitespace)
                        && !current.text.is_empty()
                        && !current.text.ends_with(' ')
                    {
                        current.text.push(' ');
                    }
                    let before = current.text.len();
                    for (index, piece) in pieces.enumerate() {
                        if index > 0 {
                            current.text.push(' ');
                        }
                        current.text.push_str(piece);
                    }
                    if link_depth > 0 {
                        current.link_chars += current.text.len() - before;
                    }
                    if raw.ends_with(char::is_whitespace) {
                        current.text.push(' ');
                    }
                    continue;
                }
                if !node.is_element() {
                    continue;
                }
                let name = node.node_name().unwrap_or_default();
                let name: &str = &name;
                if matches!(name, "script" | "style" | "noscript" | "template" | "svg") {
                    continue;
                }
                let block = block_element(name);
                let link = name == "a";
                let quote = name == "blockquote";
                if block {
                    flush(&mut current, &mut blocks, quote_depth > 0);
                }
                if link {
                    link_depth += 1;
                }
                if quote {
                    quote_depth += 1;
                }
                steps.push(Step::Leave { block, link, quote });
                steps.extend(node.children_it(true).map(Step::Enter));
            }
        }
    }
    flush(&mut current, &mut blocks, false);
    blocks
}

/// A short block that is only a date line ("Published Monday, 18 November 2019 8:22AM").
fn date_line(text: &str) -> bool {
    let words = text.split_whitespace().count();
    if words > 16 || !text.chars().any(|c| c.is_numeric()) {
        return false;
    }
    if super::date::find_written_dates(text, super::date::DayOrder::MonthFirst)
        .next()
        .is_none()
    {
        return false;
    }
    let lettered = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .filter(|w| super::date::month_of(w.trim_matches(|c: char| !c.is_alphabetic())).is_none())
        .count();
    lettered <= 4
}

/// Renders the Readability result as paragraphs separated by blank lines, dropping link
/// lists, date lines and a leading repeat of the headline.
fn render_blocks(root: &NodeRef<'_>, title: Option<&str>) -> String {
    let title = title.map(str::trim).unwrap_or("");
    let mut kept: Vec<String> = Vec::new();
    for block in blocks_of(root) {
        let chars = block.text.len();
        let words = block.text.split_whitespace().count();
        let bare_address = block.text.starts_with("http") && words == 1;
        let link_heavy = block.link_chars * 10 >= chars * 6 && words < 25 && !bare_address;
        if !block.quoted && (link_heavy || date_line(&block.text)) {
            continue;
        }
        if kept.is_empty() && !title.is_empty() && block.text.eq_ignore_ascii_case(title) {
            continue;
        }
        kept.push(block.text);
    }
    kept.join("\n\n")
}

/// Element names never part of the main text: those the metadata walk skips, plus page
/// headers, figures and menus.
fn never_text(name: &str) -> bool {
    super::meta::skipped_element(name) || matches!(name, "header" | "figure" | "menu")
}

/// Class or id words marking boilerplate blocks.
fn boilerplate_marks(node: &NodeRef<'_>) -> bool {
    const WORDS: [&str; 18] = [
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
        "social",
        "advert",
        "promo",
        "banner",
        "menu",
        "breadcrumb",
        "subscribe",
    ];
    let mut marks = String::new();
    if let Some(class) = node.attr("class") {
        marks.push_str(&class.to_ascii_lowercase());
    }
    if let Some(id) = node.attr("id") {
        marks.push(' ');
        marks.push_str(&id.to_ascii_lowercase());
    }
    WORDS.iter().any(|w| marks.contains(w))
}

/// Block elements whose text forms one paragraph.
fn paragraph_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "h2" | "h3" | "h4" | "h5" | "h6" | "li" | "blockquote" | "pre" | "dd"
    )
}

/// Fallback: the container holding the most paragraph text (minus link text), read as
/// paragraphs. Iterative, so it is safe on any depth.
fn density_text(doc: &Document) -> String {
    let Some(body) = doc.body() else {
        return String::new();
    };
    // Collect paragraph blocks outside boilerplate, with their parent container.
    let mut blocks: Vec<(NodeRef<'_>, String)> = Vec::new();
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
        if never_text(&name) || boilerplate_marks(&node) {
            continue;
        }
        if paragraph_element(&name) {
            let text = node.text().split_whitespace().collect::<Vec<_>>().join(" ");
            let link_chars: usize = node
                .descendants_it()
                .filter(|d| d.has_name("a"))
                .map(|a| a.text().chars().count())
                .sum();
            let chars = text.chars().count();
            if chars >= 25 && link_chars * 2 < chars {
                let parent = node.parent().unwrap_or(node);
                blocks.push((parent, text));
            }
            continue;
        }
        let children: Vec<_> = node.children_it(true).filter(|c| c.is_element()).collect();
        stack.extend(children);
    }
    if blocks.is_empty() {
        return String::new();
    }
    // Score each container by the text of its paragraph children.
    let mut scores: Vec<(dom_query::NodeId, usize)> = Vec::new();
    for (parent, text) in &blocks {
        let len = text.chars().count();
        match scores.iter_mut().find(|(id, _)| *id == parent.id) {
            Some((_, score)) => *score += len,
            None => scores.push((parent.id, len)),
        }
    }
    let Some((best, _)) = scores.iter().max_by_key(|(_, score)| *score).copied() else {
        return String::new();
    };
    blocks
        .into_iter()
        .filter(|(parent, _)| parent.id == best)
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("\n\n")
}
