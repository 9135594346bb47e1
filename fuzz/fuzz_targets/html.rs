//! Any bytes, read as an HTML page, become an article without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let article = concord::acquire::html::article_from_html(&html, Some("https://example.org/a"));
    // the text is whole paragraphs: never a stray leading or trailing blank
    assert_eq!(article.text.trim(), article.text);
});
