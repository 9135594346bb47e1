//! Character sets: decode fetched or loaded bytes to text.
//!
//! The order follows what browsers do, simplified: a byte-order mark wins, then the
//! `charset` parameter of the `Content-Type` header, then a `<meta charset>` or
//! `<meta http-equiv="content-type">` declaration near the start of the page, and
//! finally statistical detection (chardetng) when nothing is declared.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How many bytes from the start of a page are searched for a `<meta>` charset.
const META_PRESCAN_BYTES: usize = 2048;

/// Decodes an HTML page's bytes, taking the charset from a BOM, the `Content-Type`
/// header, or a `<meta>` tag, and detecting it as a fallback. Malformed sequences
/// become U+FFFD; a leading BOM is removed.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    let encoding = html_encoding(bytes, content_type);
    // `decode` also honours (and strips) a BOM, which agrees with the choice above.
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Chooses the encoding [`decode_html`] uses for `bytes`.
pub fn html_encoding(bytes: &[u8], content_type: Option<&str>) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    if let Some(encoding) = content_type
        .and_then(charset_param)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
    {
        return encoding;
    }
    if let Some(encoding) = meta_charset(bytes) {
        return encoding;
    }
    detect(bytes)
}

/// The `charset` parameter of a `Content-Type` value, unquoted.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// The encoding a `<meta>` tag declares within the first [`META_PRESCAN_BYTES`] bytes.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let tag_start = from + pos + b"<meta".len();
        let tag_end = find(&lower[tag_start..], b">").map_or(lower.len(), |end| tag_start + end);
        let tag = &lower[tag_start..tag_end];
        if let Some(encoding) = charset_in_meta_tag(tag) {
            return Some(meta_override(encoding));
        }
        from = tag_end;
    }
    None
}

/// The charset label inside one `<meta ...>` tag's attributes (already lowercased):
/// either `charset=...` or `content="text/html; charset=..."`.
fn charset_in_meta_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(pos) = find(&tag[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'"' || tag[i] == b'\'') {
            i += 1;
        }
        let start = i;
        while i < tag.len() && !matches!(tag[i], b'"' | b'\'' | b';' | b'/' | b'>') {
            if tag[i].is_ascii_whitespace() {
                break;
            }
            i += 1;
        }
        if let Some(encoding) = Encoding::for_label(&tag[start..i]) {
            return Some(encoding);
        }
    }
    None
}

/// A page cannot really be UTF-16 if its ASCII `<meta>` could be read, and
/// `x-user-defined` means windows-1252 in a `<meta>` (HTML standard).
fn meta_override(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    }
}

/// Guesses the encoding of undeclared bytes; plain UTF-8 is accepted as is.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// Position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::SHIFT_JIS;

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable, "test text must be encodable");
        bytes.into_owned()
    }

    const CAFE: &str = "<html><body><p>Le café coûte 3 € à Paris.</p></body></html>";
    const TOKYO: &str =
        "<html><body><p>東京都は新しい契約を発表した。金額は百億円です。</p></body></html>";

    #[test]
    fn header_charset_decodes_windows_1252() {
        let bytes = encode(WINDOWS_1252, CAFE);
        let text = decode_html(&bytes, Some("text/html; charset=windows-1252"));
        assert!(text.contains("café coûte 3 €"), "{text}");
    }

    #[test]
    fn header_charset_label_is_case_and_quote_insensitive() {
        let bytes = encode(WINDOWS_1252, CAFE);
        let text = decode_html(&bytes, Some("text/html; Charset=\"ISO-8859-1\""));
        // ISO-8859-1 is windows-1252 by the WHATWG encoding standard.
        assert!(text.contains("café coûte 3 €"), "{text}");
    }

    #[test]
    fn meta_charset_decodes_shift_jis() {
        let page = format!("<html><head><meta charset=\"Shift_JIS\"></head>{TOKYO}</html>");
        let bytes = encode(SHIFT_JIS, &page);
        let text = decode_html(&bytes, Some("text/html"));
        assert!(text.contains("東京都は新しい契約"), "{text}");
    }

    #[test]
    fn meta_http_equiv_decodes_windows_1252() {
        let page = format!(
            "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=windows-1252\"></head>{CAFE}</html>"
        );
        let bytes = encode(WINDOWS_1252, &page);
        let text = decode_html(&bytes, None);
        assert!(text.contains("café coûte 3 €"), "{text}");
    }

    #[test]
    fn bom_wins_over_header() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(CAFE.as_bytes());
        let text = decode_html(&bytes, Some("text/html; charset=windows-1252"));
        assert!(text.starts_with("<html>"), "BOM must be stripped: {text:?}");
        assert!(text.contains("café coûte 3 €"), "{text}");
    }

    #[test]
    fn header_wins_over_meta() {
        let page = format!("<meta charset=\"utf-8\">{CAFE}");
        let bytes = encode(WINDOWS_1252, &page);
        let text = decode_html(&bytes, Some("text/html; charset=windows-1252"));
        assert!(text.contains("café"), "{text}");
    }

    #[test]
    fn undeclared_shift_jis_is_detected() {
        let page = format!("<html>{TOKYO}{TOKYO}</html>");
        let bytes = encode(SHIFT_JIS, &page);
        let text = decode_html(&bytes, None);
        assert!(text.contains("東京都は新しい契約"), "{text}");
    }

    #[test]
    fn undeclared_windows_1252_is_detected() {
        let page = "<p>The café on the corner charges 4 € for a crème brûlée, déjà vu.</p>";
        let bytes = encode(WINDOWS_1252, page);
        let text = decode_html(&bytes, Some("text/html"));
        assert!(text.contains("crème brûlée"), "{text}");
    }

    #[test]
    fn undeclared_utf8_stays_utf8() {
        let text = decode_html(CAFE.as_bytes(), None);
        assert_eq!(text, CAFE);
    }

    #[test]
    fn meta_utf16_label_means_utf8() {
        let page = format!("<meta charset=utf-16>{CAFE}");
        assert_eq!(html_encoding(page.as_bytes(), None), UTF_8);
    }

    #[test]
    fn unknown_header_label_falls_through_to_meta() {
        let page = format!("<meta charset='shift_jis'>{TOKYO}");
        let bytes = encode(SHIFT_JIS, &page);
        assert_eq!(
            html_encoding(&bytes, Some("text/html; charset=no-such-thing")),
            SHIFT_JIS
        );
    }

    #[test]
    fn charset_param_reads_parameters() {
        assert_eq!(
            charset_param("text/html; charset=UTF-8").as_deref(),
            Some("UTF-8")
        );
        assert_eq!(charset_param("text/html").as_deref(), None);
        assert_eq!(charset_param("text/html; charset=").as_deref(), None);
    }

    #[test]
    fn garbage_does_not_panic() {
        for bytes in [
            &b""[..],
            b"<meta",
            b"<meta charset",
            b"<meta charset=",
            b"\xff\xfe\x00",
        ] {
            let _ = decode_html(bytes, Some(";;;=charset"));
        }
    }
}
