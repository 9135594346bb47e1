//! Report: findings as terminal text ([`render_text`]), JSON lines ([`render_json_lines`]) and
//! a self-contained HTML page ([`render_html`]).
//!
//! Both human formats group findings by fact (kind and parties) within four sections:
//! contradictions, corroborated facts, updates, disputes.

pub mod html;
pub mod text;

pub use html::render_html;
pub use text::{render_text, TextStyle};

use crate::check::claim_interval;
use crate::check::interval::{format_interval, qualifier_word};
use crate::model::{Attribute, Finding, FindingType, SourcedClaim};
use regex::Regex;
use std::sync::OnceLock;

/// One JSON object per line, one line per finding (serde of [`Finding`]).
pub fn render_json_lines(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        if let Ok(line) = serde_json::to_string(f) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// The report sections, in order, with their headings.
pub(crate) const SECTIONS: [(FindingType, &str); 4] = [
    (FindingType::Contradiction, "Contradictions"),
    (FindingType::Corroboration, "Corroborated facts"),
    (FindingType::Update, "Updates"),
    (FindingType::Dispute, "Disputes"),
];

/// The claims a finding is about: `a` and `b`, or the corroborating claims.
pub(crate) fn finding_claims(f: &Finding) -> Vec<&SourcedClaim> {
    let mut out: Vec<&SourcedClaim> = f.a.iter().chain(f.b.iter()).collect();
    out.extend(f.claims.iter());
    out
}

/// The fact a finding is about: "contract value · Amazon Web Services, Twitter" (kind, unit of a
/// price, and the parties its claims name, sorted; for a counterparty contradiction only the
/// parties both sides share).
pub fn fact_label(f: &Finding) -> String {
    let claims = finding_claims(f);
    let Some(first) = claims.first() else {
        return "unknown fact".to_string();
    };
    let mut names: Vec<&str> = claims
        .iter()
        .flat_map(|c| c.claim.parties.iter().map(|p| p.name.as_str()))
        .collect();
    if f.attribute == Attribute::Party {
        if let (Some(a), Some(b)) = (&f.a, &f.b) {
            names.retain(|n| {
                a.claim.parties.iter().any(|p| p.name == *n)
                    && b.claim.parties.iter().any(|p| p.name == *n)
            });
        }
    }
    names.sort_unstable();
    names.dedup();
    let kind = first.claim.kind.as_str().replace('_', " ");
    let per = first
        .claim
        .amount
        .per
        .as_deref()
        .map(|p| format!(" per {p}"))
        .unwrap_or_default();
    if names.is_empty() {
        format!("{kind}{per}")
    } else {
        format!("{kind}{per} · {}", names.join(", "))
    }
}

/// Findings of one type grouped by fact label, in first-seen order.
pub(crate) fn grouped(findings: &[Finding], t: FindingType) -> Vec<(String, Vec<&Finding>)> {
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    for f in findings.iter().filter(|f| f.finding_type == t) {
        let label = fact_label(f);
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(f),
            None => groups.push((label, vec![f])),
        }
    }
    groups
}

/// How a claim's value was understood, for the attribute a finding is about.
pub fn value_as_understood(c: &SourcedClaim, attr: Attribute) -> String {
    let claim = &c.claim;
    let mut s = match attr {
        Attribute::Amount => {
            let q = qualifier_word(claim.amount.qualifier);
            match claim_interval(c) {
                Some(iv) => format!(
                    "{} = {} ({q})",
                    claim.amount.text,
                    format_interval(&iv, claim.amount.currency.as_deref())
                ),
                None => format!("{} ({q})", claim.amount.text),
            }
        }
        Attribute::Term => match claim.term_months {
            Some(m) => format!("{m} months"),
            None => "no term".to_string(),
        },
        Attribute::StartYear => match claim.start_year {
            Some(y) => format!("started {y}"),
            None => "no start year".to_string(),
        },
        Attribute::Party => {
            let names: Vec<&str> = claim.parties.iter().map(|p| p.name.as_str()).collect();
            format!("{} ({})", names.join(" – "), claim.amount.text)
        }
    };
    let mut flags = Vec::new();
    if claim.hedged {
        flags.push("hedged");
    }
    if claim.negated {
        flags.push("negated");
    }
    if claim.disputed {
        flags.push("disputed");
    }
    if !flags.is_empty() {
        s.push_str(&format!(" [{}]", flags.join(", ")));
    }
    if let Some(a) = &claim.attribution {
        s.push_str(&format!(", according to {a}"));
    }
    s
}

fn term_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\b[\w.]+(?:[- ]and[- ]a[- ]half)?[- ](?:years?|months?)(?:[- ]long)?\b")
            .unwrap_or_else(|_| Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!()))
    })
}

fn char_index(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |t| t.chars().count())
}

/// Character spans (start, end) of the sentence words a finding is about, for highlighting.
pub fn highlight_spans(
    c: &SourcedClaim,
    attr: Attribute,
    other: Option<&SourcedClaim>,
) -> Vec<(usize, usize)> {
    let sentence = &c.claim.sentence;
    let text = sentence.text.as_str();
    let len = text.chars().count();
    let mut spans = Vec::new();
    let find_all = |needle: &str, spans: &mut Vec<(usize, usize)>| {
        if needle.trim().is_empty() {
            return;
        }
        let lower = text.to_lowercase();
        let needle = needle.to_lowercase();
        if lower.len() != text.len() {
            return;
        }
        let mut from = 0;
        while let Some(pos) = lower[from..].find(&needle) {
            let b = from + pos;
            let start = char_index(text, b);
            spans.push((start, start + needle.chars().count()));
            from = b + needle.len();
        }
    };
    match attr {
        Attribute::Amount => {
            let m = &c.claim.amount;
            let rel = m.start.checked_sub(sentence.start);
            let width = m.end.saturating_sub(m.start);
            let fits = rel.is_some_and(|r| {
                let in_text: String = text.chars().skip(r).take(width).collect();
                width > 0 && in_text == m.text
            });
            match rel {
                Some(r) if fits => spans.push((r, r + width)),
                _ => find_all(&m.text, &mut spans),
            }
        }
        Attribute::Term => {
            for hit in term_words().find_iter(text) {
                spans.push((char_index(text, hit.start()), char_index(text, hit.end())));
            }
        }
        Attribute::StartYear => {
            if let Some(y) = c.claim.start_year {
                find_all(&y.to_string(), &mut spans);
            }
        }
        Attribute::Party => {
            for p in &c.claim.parties {
                let shared =
                    other.is_some_and(|o| o.claim.parties.iter().any(|q| q.name == p.name));
                if !shared {
                    find_all(&p.name, &mut spans);
                }
            }
        }
    }
    spans.retain(|(s, e)| s < e && *e <= len);
    spans.sort_unstable();
    spans
}

/// A one-line source description: "TechCrunch · 2023-03-17".
pub(crate) fn source_line(c: &SourcedClaim) -> String {
    let source = c.source.as_deref().unwrap_or(c.article_id.as_str());
    match &c.published {
        Some(p) => format!("{source} · {p}"),
        None => source.to_string(),
    }
}

/// Labels for the two sides of a pair finding.
pub(crate) fn side_labels(t: FindingType) -> (&'static str, &'static str) {
    match t {
        FindingType::Update => ("earlier", "later"),
        FindingType::Dispute => ("claim", "denial"),
        _ => ("A", "B"),
    }
}

#[cfg(test)]
mod tests;
