//! Main text: Readability (`dom_smoothie`) on the already parsed document, with a
//! paragraph-density fallback where it finds nothing useful.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability, TextMode};

/// Below this many characters a Readability result is treated as a failure.
const MIN_READABLE_CHARS: usize = 200;

/// Documents nested deeper than this skip Readability (whose passes recurse) and use the
/// iterative fallback.
const MAX_DEPTH: usize = 400;

/// The main text of a page as paragraphs separated by blank lines.
pub fn main_text(doc: Document, page_url: Option<&str>, title: Option<&str>) -> String {
    if depth_exceeds(&doc, MAX_DEPTH) {
        return density_text(&doc);
    }
    let backup = doc.clone();
    remove_boilerplate(&doc);
    let readable_url = page_url.filter(|u| {
        url::Url::parse(u).is_ok_and(|p| matches!(p.scheme(), "http" | "https") && p.has_host())
    });
    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let from_readability = Readability::with_document(doc, readable_url, Some(config))
        .ok()
        .and_then(|mut readability| readability.parse().ok())
        .map(|article| paragraphs(&article.text_content, title))
        .unwrap_or_default();
    if from_readability.chars().count() >= MIN_READABLE_CHARS {
        return from_readability;
    }
    let fallback = density_text(&backup);
    if fallback.chars().count() > from_readability.chars().count() {
        fallback
    } else {
        from_readability
    }
}

/// Class or id tokens that mark page furniture rather than article text.
fn furniture_token(token: &str) -> bool {
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
    let token = token.to_ascii_lowercase();
    token == "ad"
        || token == "ads"
        || token == "tags"
        || token.starts_with("ad-")
        || token.starts_with("ads-")
        || token.ends_with("-ad")
        || token.ends_with("-ads")
        || PARTS.iter().any(|p| token.contains(p))
}

/// Removes navigation, captions, share bars, cookie banners, related lists and similar
/// furniture before Readability scores the page. Never removes the page's main containers
/// or a block holding most of the page's text.
fn remove_boilerplate(doc: &Document) {
    let Some(body) = doc.body() else {
        return;
    };
    let body_chars = body.text().len().max(1);
    let mut doomed = Vec::new();
    let mut stack: Vec<NodeRef<'_>> = body.children_it(true).filter(|c| c.is_element()).collect();
    while let Some(node) = stack.pop() {
        let name = node.node_name().map(|n| n.to_string()).unwrap_or_default();
        let always = matches!(
            name.as_str(),
            "nav" | "aside" | "footer" | "figcaption" | "button" | "iframe" | "select" | "noscript"
        );
        let protected = matches!(name.as_str(), "main" | "article")
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
            // Keep blocks that hold most of the page's text: their mark is a false alarm.
            if node.text().len() * 2 < body_chars {
                doomed.push(node);
                continue;
            }
        }
        stack.extend(node.children_it(true).filter(|c| c.is_element()));
    }
    for node in doomed {
        node.remove_from_parent();
    }
}

/// Turns formatted text (one block per line) into paragraphs separated by a blank line,
/// dropping a leading repeat of the headline.
fn paragraphs(formatted: &str, title: Option<&str>) -> String {
    let mut blocks: Vec<String> = formatted
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    if let (Some(first), Some(title)) = (blocks.first(), title) {
        if first.eq_ignore_ascii_case(title.trim()) {
            blocks.remove(0);
        }
    }
    blocks.join("\n\n")
}

fn depth_exceeds(doc: &Document, limit: usize) -> bool {
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > limit {
            return true;
        }
        for child in node.children_it(false) {
            if child.is_element() {
                stack.push((child, depth + 1));
            }
        }
    }
    false
}

/// Element names never part of the main text.
fn never_text(name: &str) -> bool {
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
            | "header"
            | "figure"
            | "menu"
    )
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
