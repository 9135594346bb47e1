//! Sentence splitting: a fast byte scan that knows abbreviations ("Inc.", "U.S.", "Mr."),
//! decimals ("4.7"), initials ("J. Smith") and treats every line break as a paragraph end.

/// A sentence as a byte span of the text, with the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Start byte offset (first non-space byte).
    pub start: usize,
    /// End byte offset, exclusive (trailing spaces trimmed).
    pub end: usize,
    /// Paragraph number, counted from 0; a line break starts a new paragraph.
    pub paragraph: usize,
}

/// Abbreviations after which a period never ends a sentence.
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Capt", "Sgt",
    "Rev", "Hon", "vs", "v", "No", "Nos", "approx", "e.g", "i.e", "cf", "Fig", "Mt", "Ft",
];

/// Abbreviations after which a period ends a sentence only when a typical sentence opener
/// follows ("... bought Acme Inc. The deal ...").
const MAYBE_END: &[&str] = &[
    "Inc", "Corp", "Co", "Ltd", "Bros", "Jr", "Sr", "etc", "U.S", "U.K", "U.N", "E.U", "Jan",
    "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "p.m", "a.m",
    "Plc", "Cos", "Assn", "Dept", "Mass", "Calif", "Conn", "Del", "Fla", "Ill", "Va", "Wash",
];

/// Words that typically open a sentence; after a "maybe" abbreviation they mark a new one.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "In",
    "On",
    "At",
    "But",
    "And",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "However",
    "Meanwhile",
    "Shares",
    "Analysts",
    "According",
    "For",
    "As",
    "After",
    "Last",
    "Earlier",
    "Under",
    "If",
    "His",
    "Her",
    "Their",
];

/// Splits `text` into sentences (byte spans), in order. Never panics; linear time.
pub fn split(text: &str) -> Vec<SentenceSpan> {
    let bytes = text.as_bytes();
    // news sentences run to a hundred-odd bytes: room for most texts' at once
    let mut spans = Vec::with_capacity(bytes.len() / 96 + 1);
    let mut paragraph = 0usize;
    let mut start = 0usize;
    let mut i = 0usize;
    let n = bytes.len();
    // The next `!` or `\r` at or after `i` (rare bytes: searched for again only once passed).
    let mut rare_at = memchr::memchr2(b'!', b'\r', bytes);
    while i < n {
        // jump to the next byte that can end a sentence
        if rare_at.is_some_and(|at| at < i) {
            rare_at = memchr::memchr2(b'!', b'\r', &bytes[i..]).map(|at| i + at);
        }
        let common = memchr::memchr3(b'.', b'\n', b'?', &bytes[i..]).map(|at| i + at);
        match (common, rare_at) {
            (Some(a), Some(b)) => i = a.min(b),
            (Some(a), None) => i = a,
            (None, Some(b)) => i = b,
            (None, None) => break,
        }
        let b = bytes[i];
        match b {
            b'\n' | b'\r' => {
                push_span(text, start, i, paragraph, &mut spans);
                // swallow the whole run of line breaks
                while i < n && (bytes[i] == b'\n' || bytes[i] == b'\r') {
                    i += 1;
                }
                paragraph += 1;
                start = i;
                continue;
            }
            b'.' | b'!' | b'?' => {
                // extend over repeated terminators and closing quotes/brackets
                let mut j = i + 1;
                while j < n && matches!(bytes[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                    j += 1;
                }
                // closing curly quotes (U+201D, U+2019): E2 80 9D / E2 80 99
                while j + 2 < n && bytes[j] == 0xE2 && bytes[j + 1] == 0x80 {
                    if bytes[j + 2] == 0x9D || bytes[j + 2] == 0x99 {
                        j += 3;
                    } else {
                        break;
                    }
                }
                if j >= n {
                    i = j;
                    continue;
                }
                if bytes[j] != b' ' && bytes[j] != b'\t' && bytes[j] != b'\n' && bytes[j] != b'\r' {
                    i = j;
                    continue;
                }
                if b == b'.' && !period_ends(text, start, i, j) {
                    i = j;
                    continue;
                }
                push_span(text, start, j, paragraph, &mut spans);
                start = j;
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    push_span(text, start, n, paragraph, &mut spans);
    spans
}

/// Whether the period at byte `dot` (sentence begun at `start`, terminator run ending at
/// `after`) ends the sentence.
fn period_ends(text: &str, start: usize, dot: usize, after: usize) -> bool {
    let bytes = text.as_bytes();
    // the token before the period
    // (abbreviations are short: look back at most 32 bytes, keeping the scan linear)
    let mut k = dot;
    let limit = start.max(dot.saturating_sub(32));
    while k > limit && !bytes[k - 1].is_ascii_whitespace() && bytes[k - 1] != b'(' {
        k -= 1;
    }
    if k == limit && limit > start && !bytes[k - 1].is_ascii_whitespace() {
        return true;
    }
    while !text.is_char_boundary(k) {
        k += 1;
    }
    let word = &text[k..dot];
    let word = word.trim_start_matches(['"', '\'']);
    let next = next_word(text, after);
    if word.is_empty() {
        return true;
    }
    // single capital initial: "J. Smith"
    if word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase() {
        return next.is_empty() || OPENERS.contains(&next);
    }
    // abbreviations are short; longer words skip the list lookups
    if word.len() <= 6 {
        if TITLES.contains(&word) {
            return false;
        }
        // "U.S." style dotted abbreviations and listed ones
        let dotted =
            word.contains('.') && word.bytes().all(|c| c.is_ascii_alphabetic() || c == b'.');
        if dotted || MAYBE_END.contains(&word) {
            return next.is_empty() || OPENERS.contains(&next);
        }
    }
    // next sentence starts lower case: not an end ("approx. five")
    !next.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

/// The next word after byte `from` (skipping spaces and opening quotes), ASCII letters only.
fn next_word(text: &str, from: usize) -> &str {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t' || bytes[i] == b'"') {
        i += 1;
    }
    let s = i;
    while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
        i += 1;
    }
    &text[s..i]
}

fn push_span(text: &str, start: usize, end: usize, paragraph: usize, out: &mut Vec<SentenceSpan>) {
    let bytes = text.as_bytes();
    let mut s = start;
    let mut e = end;
    while s < e && bytes[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && bytes[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    if e > s {
        out.push(SentenceSpan {
            start: s,
            end: e,
            paragraph,
        });
    }
}

/// Index of the sentence containing byte `pos`, by binary search over `spans`.
pub fn sentence_at(spans: &[SentenceSpan], pos: usize) -> Option<usize> {
    let idx = spans.partition_point(|s| s.end <= pos);
    match spans.get(idx) {
        Some(s) if s.start <= pos => Some(idx),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn splits_on_terminators() {
        assert_eq!(
            texts("One thing. Two things! Three?  Four"),
            vec!["One thing.", "Two things!", "Three?", "Four"]
        );
    }

    #[test]
    fn keeps_abbreviations_and_decimals() {
        let t = "Acme Inc. said sales rose 4.7 pct in the U.S. market. Mr. Smith agreed.";
        assert_eq!(
            texts(t),
            vec![
                "Acme Inc. said sales rose 4.7 pct in the U.S. market.",
                "Mr. Smith agreed."
            ]
        );
    }

    #[test]
    fn abbreviation_before_opener_ends_sentence() {
        let t = "It bought Acme Corp. The deal closed.";
        assert_eq!(texts(t), vec!["It bought Acme Corp.", "The deal closed."]);
    }

    #[test]
    fn initials_do_not_split() {
        assert_eq!(texts("J. R. Smith left."), vec!["J. R. Smith left."]);
    }

    #[test]
    fn line_breaks_end_paragraphs() {
        let spans = split("First line\nSecond. Third.\n\nFourth");
        let paras: Vec<usize> = spans.iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, vec![0, 1, 1, 2]);
    }

    #[test]
    fn quotes_close_sentences() {
        assert_eq!(
            texts("He said \u{201c}no.\u{201d} Then left."),
            vec!["He said \u{201c}no.\u{201d}", "Then left."]
        );
    }

    #[test]
    fn finds_sentence_by_offset() {
        let spans = split("Ab. Cd.");
        assert_eq!(sentence_at(&spans, 0), Some(0));
        assert_eq!(sentence_at(&spans, 5), Some(1));
        assert_eq!(sentence_at(&spans, 3), None);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "",
            ".",
            "...",
            "\n\n",
            "é. ü! ?",
            "\u{201d}.\u{201d}",
            "a.\u{e2}",
        ] {
            let _ = split(t);
        }
    }
}
