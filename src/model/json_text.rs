//! Long texts written as JSON strings eight bytes at a time.
//!
//! serde_json escapes a string by looking at one byte after another. Article texts are the
//! bulk of what concord writes as JSON (the stored article, `extract --json`), and nearly
//! all of their bytes need no escape, so [`serialize`] finds the bytes that do with a
//! word-wide test and copies the runs between them whole. The output is byte for byte what
//! serde_json writes (a property test holds the two together).

use serde::{Serialize, Serializer};
use serde_json::value::RawValue;

/// Strings shorter than this go through serde_json's own escaping (a raw value costs an
/// allocation, which a short string does not repay).
const LONG: usize = 64;

/// One in every byte of a word.
const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// The high bit of every byte of a word.
const HIGHS: u64 = ONES << 7;

/// Whether some byte of the word may need an escape: a control byte (below 0x20), `"` or
/// `\`. Never false when one does; may be true when none does (the caller then looks at
/// the bytes one by one).
fn may_need_escape(word: u64) -> bool {
    let control = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGHS != 0
}

/// The escape serde_json writes for `byte`, if it needs one.
fn escape_of(byte: u8) -> Option<&'static [u8]> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    static CONTROL: [[u8; 6]; 32] = {
        let mut table = [[0u8; 6]; 32];
        let mut b = 0;
        while b < 32 {
            table[b] = [b'\\', b'u', b'0', b'0', HEX[b >> 4], HEX[b & 15]];
            b += 1;
        }
        table
    };
    Some(match byte {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x09 => b"\\t",
        0x0A => b"\\n",
        0x0C => b"\\f",
        0x0D => b"\\r",
        0..=0x1F => &CONTROL[usize::from(byte)],
        _ => return None,
    })
}

/// Appends `text` to `out` as a JSON string literal, quotes included, escaped exactly as
/// serde_json escapes it.
pub fn push_json_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(eight) = bytes.get(at..at + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(eight);
            if !may_need_escape(u64::from_ne_bytes(word)) {
                at += 8;
                continue;
            }
        }
        // one byte at a time through this word (or the last few bytes)
        let end = (at + 8).min(bytes.len());
        while at < end {
            if let Some(escape) = escape_of(bytes[at]) {
                out.extend_from_slice(&bytes[copied..at]);
                out.extend_from_slice(escape);
                copied = at + 1;
            }
            at += 1;
        }
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Serializes a text field: long texts as a raw JSON value built by [`push_json_string`],
/// short ones as a plain string. For `#[serde(serialize_with)]` on fields that only ever
/// go to serde_json (a raw value means nothing to another format).
pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    if text.len() < LONG {
        return serializer.serialize_str(text);
    }
    let mut json = Vec::with_capacity(text.len() + text.len() / 32 + 16);
    push_json_string(&mut json, text);
    // Escapes are ASCII and split the text only before or after an ASCII byte, so the
    // bytes stay valid UTF-8; the check is a fast forward scan and never fails.
    let json = String::from_utf8(json).map_err(serde::ser::Error::custom)?;
    // SAFETY: `push_json_string` writes one JSON string literal (quotes, escapes of every
    // control byte, quote and backslash), with nothing around it.
    let raw = unsafe { RawValue::from_string_unchecked(json) };
    raw.serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(text: &str) -> String {
        let mut out = Vec::new();
        push_json_string(&mut out, text);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn escapes_as_serde_json_does() {
        let long =
            "word \"quoted\" back\\slash tab\tnew\nline\r\u{1}\u{1f}\u{7f} é 東京 🙂 ".repeat(20);
        for text in [
            "",
            "plain",
            "\"",
            "\\",
            "\u{0}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{1b}",
            "12345678\"",
            "1234567\"8",
            long.as_str(),
        ] {
            assert_eq!(ours(text), serde_json::to_string(text).unwrap_or_default());
        }
    }

    #[derive(Serialize)]
    struct Holder<'a> {
        #[serde(serialize_with = "serialize")]
        text: &'a str,
        after: u8,
    }

    #[test]
    fn a_long_text_field_serializes_to_the_same_json_and_reads_back() {
        let text = "Twitter owed \"at least\" $70 million\n\nto AWS.\t".repeat(12);
        assert!(text.len() >= LONG);
        let holder = Holder {
            text: &text,
            after: 7,
        };
        let written = serde_json::to_string(&holder).unwrap_or_default();
        let plain = serde_json::json!({"text": text, "after": 7}).to_string();
        assert_eq!(written, plain);
        let value = serde_json::to_value(&holder).unwrap_or_default();
        assert_eq!(value["text"], text.as_str());
    }

    proptest::proptest! {
        #[test]
        fn any_text_escapes_as_serde_json_does(text in "\\PC{0,300}|[\\x00-\\x7f]{0,300}") {
            proptest::prop_assert_eq!(ours(&text), serde_json::to_string(&text).unwrap_or_default());
        }
    }
}
