//! A cheap byte scan run before parsing: drops what no later step reads (the bodies of
//! scripts other than JSON-LD, style sheets and inline SVG drawings, and comments), so the
//! HTML parser and every walk over the tree see far less. Element tags themselves stay, so
//! the tree keeps its shape.
//!
//! The scan follows the tokenizer rules that matter here: quoted attribute values, raw-text
//! elements that end only at their own end tag (`<style>`, `<title>`, `<textarea>`, ...),
//! and the escaped states of script data (`<!-- <script>...</script> -->`).

use std::borrow::Cow;

/// What to do with the content of an element whose start tag was just read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    /// Ordinary markup: keep scanning.
    Markup,
    /// Script data up to `</script>`; dropped unless the script is JSON-LD.
    Script { keep: bool },
    /// Raw text up to the element's own end tag, dropped (`<style>`, `<svg>`).
    Drop(&'static [u8]),
    /// Raw or escapable text up to the element's own end tag, kept unchanged.
    Keep(&'static [u8]),
    /// `<plaintext>`: everything after is text.
    Rest,
}

/// The page without script, style and SVG bodies or comments; borrowed when nothing was
/// removed.
pub fn without_unread_content(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // The text kept so far, once something has been cut; `html[copied..]` is not in it yet.
    let mut kept: Option<String> = None;
    let mut copied = 0;
    let mut cut = |from: usize, to: usize| {
        let out = kept.get_or_insert_with(|| String::with_capacity(html.len() / 2));
        out.push_str(html.get(copied..from).unwrap_or_default());
        copied = to;
    };
    let mut pos = 0;
    while let Some(offset) = html.get(pos..).and_then(|rest| rest.find('<')) {
        let lt = pos + offset;
        let after = &bytes[lt + 1..];
        if after.starts_with(b"!--") {
            let end = comment_end(bytes, lt + 4);
            cut(lt, end);
            pos = end;
            continue;
        }
        let Some(&first) = after.first() else {
            break;
        };
        if first == b'/' || first == b'!' || first == b'?' {
            // End tag, doctype or bogus comment: runs to the next `>`.
            pos = find_byte(bytes, lt + 1, b'>').map_or(bytes.len(), |gt| gt + 1);
            continue;
        }
        if !first.is_ascii_alphabetic() {
            pos = lt + 1;
            continue;
        }
        let name_end = lt
            + 1
            + after
                .iter()
                .take_while(|b| !b.is_ascii_whitespace() && **b != b'/' && **b != b'>')
                .count();
        let name = &bytes[lt + 1..name_end];
        let tag_end = start_tag_end(bytes, name_end);
        let attrs_end = if bytes.get(tag_end.wrapping_sub(1)) == Some(&b'>') {
            tag_end - 1
        } else {
            tag_end
        };
        let content = content_of(name, bytes.get(name_end..attrs_end).unwrap_or_default());
        pos = tag_end;
        match content {
            Content::Markup => {}
            Content::Rest => break,
            Content::Script { keep } => {
                let end = script_end(bytes, pos);
                if !keep && end > pos {
                    cut(pos, end);
                }
                pos = end;
            }
            Content::Drop(end_name) => {
                let end = end_tag(bytes, pos, end_name);
                if end > pos {
                    cut(pos, end);
                }
                pos = end;
            }
            Content::Keep(end_name) => pos = end_tag(bytes, pos, end_name),
        }
    }
    match kept {
        None => Cow::Borrowed(html),
        Some(mut kept) => {
            kept.push_str(html.get(copied..).unwrap_or_default());
            Cow::Owned(kept)
        }
    }
}

/// How the content after a start tag named `name` (with attribute text `attrs`) is read.
fn content_of(name: &[u8], attrs: &[u8]) -> Content {
    let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
    if is("script") {
        let keep = attrs
            .windows(b"ld+json".len())
            .any(|w| w.eq_ignore_ascii_case(b"ld+json"));
        return Content::Script { keep };
    }
    if attrs.last() == Some(&b'/') && is("svg") {
        // `<svg/>` closes itself (foreign content honours the slash).
        return Content::Markup;
    }
    match () {
        _ if is("style") => Content::Drop(b"style"),
        _ if is("svg") => Content::Drop(b"svg"),
        _ if is("title") => Content::Keep(b"title"),
        _ if is("textarea") => Content::Keep(b"textarea"),
        _ if is("xmp") => Content::Keep(b"xmp"),
        _ if is("iframe") => Content::Keep(b"iframe"),
        _ if is("noembed") => Content::Keep(b"noembed"),
        _ if is("noframes") => Content::Keep(b"noframes"),
        _ if is("plaintext") => Content::Rest,
        _ => Content::Markup,
    }
}

/// The first index at or after `from` holding `byte`.
fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    memchr::memchr(byte, bytes.get(from..)?).map(|at| from + at)
}

/// The index just past the `>` closing a start tag whose name ends at `from`, skipping
/// quoted attribute values.
fn start_tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr2(b'>', b'=', rest))
    {
        i += at;
        if bytes[i] == b'>' {
            return i + 1;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
            match find_byte(bytes, i + 1, quote) {
                Some(close) => i = close + 1,
                None => return bytes.len(),
            }
        }
    }
    bytes.len()
}

/// The index just past a comment opened before `from` (`-->`, `--!>`, or the abrupt
/// `<!-->` and `<!--->`); the end of the input when it never closes.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from.min(bytes.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(dash) = find_byte(bytes, i, b'-') {
        let tail = &bytes[dash..];
        if tail.starts_with(b"-->") {
            return dash + 3;
        }
        if tail.starts_with(b"--!>") {
            return dash + 4;
        }
        i = dash + 1;
    }
    bytes.len()
}

/// Whether `bytes[at..]` opens a tag named `name` (`<name` or `</name` as given in
/// `prefix_and_name`) followed by whitespace, `/` or `>`.
fn tag_at(bytes: &[u8], at: usize, prefix_and_name: &[u8]) -> bool {
    let end = at + prefix_and_name.len();
    bytes
        .get(at..end)
        .is_some_and(|w| w.eq_ignore_ascii_case(prefix_and_name))
        && bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
}

/// The index of the `</name` end tag closing raw text that starts at `from`; the end of
/// the input when there is none.
fn end_tag(bytes: &[u8], from: usize, name: &[u8]) -> usize {
    let mut closing = Vec::with_capacity(name.len() + 2);
    closing.extend_from_slice(b"</");
    closing.extend_from_slice(name);
    let mut i = from;
    while let Some(lt) = find_byte(bytes, i, b'<') {
        if tag_at(bytes, lt, &closing) {
            return lt;
        }
        i = lt + 1;
    }
    bytes.len()
}

/// The index of the `</script` end tag closing script data that starts at `from`, through
/// the escaped states (`<!--` ... `<script>` ... `</script>` ... `-->` stays inside).
fn script_end(bytes: &[u8], from: usize) -> usize {
    let mut escaped = false;
    let mut double_escaped = false;
    let mut i = from;
    loop {
        let Some(rest) = bytes.get(i..) else {
            return bytes.len();
        };
        let next = if escaped {
            memchr::memchr2(b'<', b'-', rest)
        } else {
            memchr::memchr(b'<', rest)
        };
        let Some(at) = next else {
            return bytes.len();
        };
        i += at;
        if bytes[i] == b'-' {
            if bytes[i..].starts_with(b"-->") {
                escaped = false;
                double_escaped = false;
                i += 3;
            } else {
                i += 1;
            }
            continue;
        }
        if tag_at(bytes, i, b"</script") {
            if !double_escaped {
                return i;
            }
            double_escaped = false;
        } else if !escaped && bytes[i..].starts_with(b"<!--") {
            escaped = true;
            i += 4;
            continue;
        } else if escaped && tag_at(bytes, i, b"<script") {
            double_escaped = true;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn drops_script_style_svg_and_comment_bodies() {
        let page = r#"<html><head><style>p { color: red }</style>
<script src="a.js"></script><script>var x = "</div>";</script>
<script type="application/ld+json">{"@type":"NewsArticle"}</script></head>
<body><!-- a comment <p>hidden</p> --><p title="a > b <!-- c">Text <b>bold</b></p>
<svg viewBox="0 0 1 1"><title>Share</title><path d="M0"/></svg><p>After</p></body></html>"#;
        let stripped = without_unread_content(page);
        assert_eq!(
            stripped,
            r#"<html><head><style></style>
<script src="a.js"></script><script></script>
<script type="application/ld+json">{"@type":"NewsArticle"}</script></head>
<body><p title="a > b <!-- c">Text <b>bold</b></p>
<svg viewBox="0 0 1 1"></svg><p>After</p></body></html>"#
        );
    }

    #[test]
    fn script_data_escapes_and_raw_text_elements_are_respected() {
        let page = "<script><!-- document.write('<script>x()</script>'); --></script><p>A</p>\
                    <title>a <!-- b</title><textarea><script>t</script></textarea><p>B</p>";
        let stripped = without_unread_content(page);
        assert_eq!(
            stripped,
            "<script></script><p>A</p>\
             <title>a <!-- b</title><textarea><script>t</script></textarea><p>B</p>"
        );
    }

    #[test]
    fn leaves_plain_markup_borrowed_and_handles_unclosed_parts() {
        let page = "<p>Nothing to drop <a href='x'>here</a></p>";
        assert!(matches!(without_unread_content(page), Cow::Borrowed(_)));
        assert_eq!(
            without_unread_content("<p>a<script>never closed"),
            "<p>a<script>"
        );
        assert_eq!(without_unread_content("<p>a<!-- open"), "<p>a");
        assert_eq!(without_unread_content("<p>a<!-->b"), "<p>ab");
        assert_eq!(
            without_unread_content("<svg/><p>kept</p>"),
            "<svg/><p>kept</p>"
        );
    }

    proptest! {
        #[test]
        fn never_panics_and_only_removes(input in "[<>!/a-z\"'= -]{0,200}") {
            let out = without_unread_content(&input);
            prop_assert!(out.len() <= input.len());
        }
    }
}
