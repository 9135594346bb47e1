//! Terminal report: findings grouped by fact, the two sentences of a pair side by side (one
//! above the other when the terminal is narrow), conflicting words highlighted.

use super::{
    finding_claims, grouped, highlight_spans, side_labels, source_line, value_as_understood,
    SECTIONS,
};
use crate::model::{Attribute, Finding, FindingType, SourcedClaim};
use std::io::IsTerminal;

/// How to draw the terminal report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStyle {
    /// Use ANSI bold and colour.
    pub color: bool,
    /// Line width in characters.
    pub width: usize,
}

impl Default for TextStyle {
    fn default() -> TextStyle {
        TextStyle {
            color: false,
            width: 100,
        }
    }
}

impl TextStyle {
    /// Colour only when stdout is a terminal and `NO_COLOR` is unset; width from `COLUMNS`,
    /// else 100.
    pub fn for_stdout() -> TextStyle {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(100);
        TextStyle { color, width }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Width at which pairs are shown side by side.
const SIDE_BY_SIDE: usize = 110;
const MAX_LISTED: usize = 10;

/// The whole terminal report.
pub fn render_text(findings: &[Finding], style: &TextStyle) -> String {
    let mut out = String::new();
    let count = |t: FindingType| findings.iter().filter(|f| f.finding_type == t).count();
    out.push_str(&format!(
        "{} contradictions, {} corroborated facts, {} updates, {} disputes\n",
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
        out.push('\n');
        out.push_str(&style.paint("1;4", heading));
        out.push('\n');
        for (label, list) in groups {
            out.push('\n');
            out.push_str(&style.paint("1", &format!("■ {label}")));
            out.push('\n');
            for f in list {
                if t == FindingType::Corroboration {
                    render_corroboration(f, style, &mut out);
                } else {
                    render_pair(f, style, &mut out);
                }
            }
        }
    }
    out
}

fn attribute_name(a: Attribute) -> &'static str {
    match a {
        Attribute::Amount => "amount",
        Attribute::Term => "term",
        Attribute::StartYear => "start year",
        Attribute::Party => "counterparty",
    }
}

fn type_name(t: FindingType) -> (&'static str, &'static str) {
    match t {
        FindingType::Contradiction => ("CONTRADICTION", "1;31"),
        FindingType::Corroboration => ("CORROBORATED", "1;32"),
        FindingType::Update => ("UPDATE", "1;33"),
        FindingType::Dispute => ("DISPUTE", "1;35"),
    }
}

fn render_corroboration(f: &Finding, style: &TextStyle, out: &mut String) {
    let (name, code) = type_name(f.finding_type);
    out.push_str(&format!(
        "  {}: {}\n",
        style.paint(code, name),
        f.explanation
    ));
    let claims = finding_claims(f);
    let width = style.width.saturating_sub(6).max(20);
    for c in claims.iter().take(MAX_LISTED) {
        out.push_str(&format!("    - {}", source_line(c)));
        if let Some(url) = &c.url {
            out.push_str(&format!(" · {url}"));
        }
        out.push('\n');
        let spans = highlight_spans(c, f.attribute, None);
        for line in wrap(&c.claim.sentence.text, &spans, width, style) {
            out.push_str(&format!("      {}\n", line.text));
        }
    }
    if claims.len() > MAX_LISTED {
        out.push_str(&format!("    ... and {} more\n", claims.len() - MAX_LISTED));
    }
}

/// The lines describing one side of a pair, each with its visible width.
fn side(
    label: &str,
    c: &SourcedClaim,
    other: Option<&SourcedClaim>,
    attr: Attribute,
    width: usize,
    style: &TextStyle,
) -> Vec<Line> {
    let mut lines = Vec::new();
    let head = format!("{label}: {}", source_line(c));
    lines.extend(wrap(
        &head,
        &[],
        width,
        &TextStyle {
            color: false,
            ..*style
        },
    ));
    if let Some(url) = &c.url {
        lines.extend(wrap(
            url,
            &[],
            width,
            &TextStyle {
                color: false,
                ..*style
            },
        ));
    }
    let spans = highlight_spans(c, attr, other);
    lines.extend(wrap(
        &format!("“{}”", c.claim.sentence.text),
        &shift(&spans, 1),
        width,
        style,
    ));
    let value = format!("→ {}", value_as_understood(c, attr));
    lines.extend(wrap(
        &value,
        &[],
        width,
        &TextStyle {
            color: false,
            ..*style
        },
    ));
    lines
}

fn shift(spans: &[(usize, usize)], by: usize) -> Vec<(usize, usize)> {
    spans.iter().map(|(s, e)| (s + by, e + by)).collect()
}

fn render_pair(f: &Finding, style: &TextStyle, out: &mut String) {
    let (name, code) = type_name(f.finding_type);
    out.push_str(&format!(
        "  {} ({}): {}\n",
        style.paint(code, name),
        attribute_name(f.attribute),
        f.explanation
    ));
    let (Some(a), Some(b)) = (&f.a, &f.b) else {
        return;
    };
    let (la, lb) = side_labels(f.finding_type);
    if style.width >= SIDE_BY_SIDE {
        let col = (style.width - 7) / 2;
        let left = side(la, a, Some(b), f.attribute, col, style);
        let right = side(lb, b, Some(a), f.attribute, col, style);
        let rows = left.len().max(right.len());
        for i in 0..rows {
            let (l, lw) = left
                .get(i)
                .map(|x| (x.text.as_str(), x.width))
                .unwrap_or(("", 0));
            let r = right.get(i).map(|x| x.text.as_str()).unwrap_or("");
            let pad = " ".repeat(col.saturating_sub(lw));
            out.push_str(format!("    {l}{pad} │ {r}").trim_end());
            out.push('\n');
        }
    } else {
        let col = style.width.saturating_sub(6).max(20);
        for (label, c, other) in [(la, a, b), (lb, b, a)] {
            for line in side(label, c, Some(other), f.attribute, col, style) {
                out.push_str(&format!("    {}\n", line.text));
            }
        }
    }
    out.push('\n');
}

/// A rendered line and its visible width.
struct Line {
    text: String,
    width: usize,
}

/// Wraps `text` to `width` visible characters, highlighting the words inside `spans`
/// (character offsets): bold red on a colour terminal, `*between stars*` otherwise.
fn wrap(text: &str, spans: &[(usize, usize)], width: usize, style: &TextStyle) -> Vec<Line> {
    let width = width.max(10);
    // words with char offsets
    let mut words: Vec<(usize, usize, String)> = Vec::new();
    let mut start = None;
    let mut current = String::new();
    for (i, ch) in text.chars().enumerate() {
        if ch.is_whitespace() {
            if let Some(s) = start.take() {
                words.push((s, i, std::mem::take(&mut current)));
            }
        } else {
            if start.is_none() {
                start = Some(i);
            }
            current.push(ch);
        }
    }
    if let Some(s) = start {
        words.push((s, text.chars().count(), current));
    }
    // For each word, the highlighted part as char offsets within the word.
    let marked: Vec<Option<(usize, usize)>> = words
        .iter()
        .map(|(s, e, _)| {
            spans.iter().filter(|(hs, he)| s < he && hs < e).fold(
                None,
                |acc: Option<(usize, usize)>, (hs, he)| {
                    let (a, b) = ((*hs).max(*s) - s, (*he).min(*e) - s);
                    Some(acc.map_or((a, b), |(x, y)| (x.min(a), y.max(b))))
                },
            )
        })
        .collect();
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0usize;
    for (k, (_, _, word)) in words.iter().enumerate() {
        let part = marked[k];
        let hl = part.is_some();
        let run_start = hl && (k == 0 || marked[k - 1].is_none());
        let run_end = hl && (k + 1 == words.len() || marked[k + 1].is_none());
        let chars: Vec<char> = word.chars().collect();
        let (from, to) = part.unwrap_or((0, 0));
        let mut visible = String::new();
        for (i, ch) in chars.iter().enumerate() {
            if hl && !style.color && run_start && i == from {
                visible.push('*');
            }
            visible.push(*ch);
            if hl && !style.color && run_end && i + 1 == to {
                visible.push('*');
            }
        }
        // hard-break words longer than a line
        let pieces: Vec<String> = if visible.chars().count() > width {
            let chars: Vec<char> = visible.chars().collect();
            chars.chunks(width).map(|c| c.iter().collect()).collect()
        } else {
            vec![visible]
        };
        let pieces_len = pieces.len();
        for piece in pieces {
            let w = piece.chars().count();
            let needed = if line_width == 0 {
                w
            } else {
                line_width + 1 + w
            };
            if needed > width && line_width > 0 {
                lines.push(Line {
                    text: std::mem::take(&mut line),
                    width: line_width,
                });
                line_width = 0;
            }
            if line_width > 0 {
                line.push(' ');
                line_width += 1;
            }
            if hl && style.color && pieces_len == 1 {
                let pc: Vec<char> = piece.chars().collect();
                let head: String = pc[..from.min(pc.len())].iter().collect();
                let mid: String = pc[from.min(pc.len())..to.min(pc.len())].iter().collect();
                let tail: String = pc[to.min(pc.len())..].iter().collect();
                line.push_str(&format!("{head}\x1b[1;31m{mid}\x1b[0m{tail}"));
            } else if hl && style.color {
                line.push_str(&format!("\x1b[1;31m{piece}\x1b[0m"));
            } else {
                line.push_str(&piece);
            }
            line_width += w;
        }
    }
    if line_width > 0 || lines.is_empty() {
        lines.push(Line {
            text: line,
            width: line_width,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_lines_within_width_and_marks_runs() {
        let text = "Twitter agreed to pay $510 million over the life of the contract with Amazon.";
        let spans = [(22, 34)];
        let lines = wrap(text, &spans, 30, &TextStyle::default());
        assert!(lines
            .iter()
            .all(|l| l.width <= 30 && l.text.chars().count() == l.width));
        let joined: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        let joined = joined.join(" ");
        assert!(joined.contains("*$510 million*"), "{joined}");
    }

    #[test]
    fn colour_uses_ansi_only_when_asked() {
        let style = TextStyle {
            color: true,
            width: 80,
        };
        let lines = wrap("owes $5 million", &[(5, 15)], 80, &style);
        assert!(lines[0].text.contains("\x1b[1;31m$5\x1b[0m"));
        assert_eq!(lines[0].width, 15);
    }
}
