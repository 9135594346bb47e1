//! HTML report: one self-contained page (inline CSS, no scripts, no external assets), every
//! text escaped, links only to http(s) sources.

use super::{
    fact_label, finding_claims, grouped, highlight_spans, side_labels, value_as_understood,
    SECTIONS,
};
use crate::model::{Attribute, Finding, FindingType, SourcedClaim};

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;\
max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1d232a;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}\
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}\
.finding{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0;background:#fafbfc}\
.tag{display:inline-block;font-size:.75rem;font-weight:700;padding:.05rem .4rem;border-radius:4px;color:#fff;margin-right:.4rem}\
.contradiction .tag{background:#c62828}.corroboration .tag{background:#2e7d32}\
.update .tag{background:#b26a00}.dispute .tag{background:#6a1b9a}\
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.8rem;margin-top:.5rem}\
@media (max-width:50rem){.pair{grid-template-columns:1fr}}\
.side{background:#fff;border:1px solid #e1e4e8;border-radius:4px;padding:.5rem}\
.meta{font-size:.85rem;color:#57606a}.value{font-size:.85rem;margin-top:.3rem}\
blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #d0d7de}\
mark{background:#ffe08a;padding:0 .1rem}ul.claims{padding-left:1.2rem}\
.summary{color:#57606a}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn is_web_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn highlighted(text: &str, spans: &[(usize, usize)]) -> String {
    let mut out = String::new();
    let mut open = false;
    for (i, c) in text.chars().enumerate() {
        let inside = spans.iter().any(|(s, e)| *s <= i && i < *e);
        if inside && !open {
            out.push_str("<mark>");
            open = true;
        } else if !inside && open {
            out.push_str("</mark>");
            open = false;
        }
        out.push_str(&escape(&c.to_string()));
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

fn source_html(c: &SourcedClaim) -> String {
    let name = escape(c.source.as_deref().unwrap_or(c.article_id.as_str()));
    let title = c
        .title
        .as_deref()
        .map(|t| format!(" — {}", escape(t)))
        .unwrap_or_default();
    let linked = match &c.url {
        Some(u) if is_web_link(u) => {
            format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{name}{title}</a>",
                escape(u.trim())
            )
        }
        _ => format!("{name}{title}"),
    };
    let date = c
        .published
        .as_deref()
        .map(|d| format!(" · {}", escape(d)))
        .unwrap_or_default();
    format!("<div class=\"meta\">{linked}{date}</div>")
}

fn side_html(
    label: &str,
    c: &SourcedClaim,
    other: Option<&SourcedClaim>,
    attr: Attribute,
) -> String {
    let spans = highlight_spans(c, attr, other);
    format!(
        "<div class=\"side\"><div class=\"meta\"><strong>{}</strong></div>{}<blockquote>{}</blockquote><div class=\"value\">{}</div></div>",
        escape(label),
        source_html(c),
        highlighted(&c.claim.sentence.text, &spans),
        escape(&value_as_understood(c, attr))
    )
}

fn type_class(t: FindingType) -> (&'static str, &'static str) {
    match t {
        FindingType::Contradiction => ("contradiction", "contradiction"),
        FindingType::Corroboration => ("corroboration", "corroborated"),
        FindingType::Update => ("update", "update"),
        FindingType::Dispute => ("dispute", "dispute"),
    }
}

fn attribute_name(a: Attribute) -> &'static str {
    match a {
        Attribute::Amount => "amount",
        Attribute::Term => "term",
        Attribute::StartYear => "start year",
        Attribute::Party => "counterparty",
    }
}

fn finding_html(f: &Finding) -> String {
    let (class, tag) = type_class(f.finding_type);
    let mut out = format!(
        "<div class=\"finding {class}\"><span class=\"tag\">{tag}</span><strong>{}</strong>: {}",
        attribute_name(f.attribute),
        escape(&f.explanation)
    );
    if f.finding_type == FindingType::Corroboration {
        out.push_str(&format!(
            "<div class=\"meta\">{} independent sources</div><ul class=\"claims\">",
            f.sources.unwrap_or(0)
        ));
        for c in finding_claims(f) {
            let spans = highlight_spans(c, f.attribute, None);
            out.push_str(&format!(
                "<li>{}<blockquote>{}</blockquote></li>",
                source_html(c),
                highlighted(&c.claim.sentence.text, &spans)
            ));
        }
        out.push_str("</ul>");
    } else if let (Some(a), Some(b)) = (&f.a, &f.b) {
        let (la, lb) = side_labels(f.finding_type);
        out.push_str("<div class=\"pair\">");
        out.push_str(&side_html(la, a, Some(b), f.attribute));
        out.push_str(&side_html(lb, b, Some(a), f.attribute));
        out.push_str("</div>");
    }
    out.push_str("</div>\n");
    out
}

/// The whole report as one self-contained HTML page.
pub fn render_html(findings: &[Finding]) -> String {
    let count = |t: FindingType| findings.iter().filter(|f| f.finding_type == t).count();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>concord: cross-source findings</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n<h1>Cross-source findings</h1>\n");
    out.push_str(&format!(
        "<p class=\"summary\">{} contradictions, {} corroborated facts, {} updates, {} disputes</p>\n",
        count(FindingType::Contradiction),
        count(FindingType::Corroboration),
        count(FindingType::Update),
        count(FindingType::Dispute)
    ));
    for (t, heading) in SECTIONS {
        let groups = grouped(findings, t);
        if groups.is_empty() {
            continue;
        }
        out.push_str(&format!("<h2>{}</h2>\n", escape(heading)));
        for (label, list) in groups {
            out.push_str(&format!("<h3>{}</h3>\n", escape(&label)));
            for f in list {
                debug_assert_eq!(fact_label(f), label);
                out.push_str(&finding_html(f));
            }
        }
    }
    if findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    }
    out.push_str("</body></html>\n");
    out
}
