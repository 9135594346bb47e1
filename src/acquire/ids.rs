//! Stable article ids: from the canonical URL (tracking parameters and fragment stripped),
//! else from the content.

use url::Url;

/// Query parameters that only track the reader and never change the page.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid",
    "ocid", "smid", "_ga", "yclid", "spm", "rss", "feed",
];

fn is_tracking_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("utm_") || TRACKING_PARAMS.contains(&lower.as_str())
}

/// The URL in a canonical form: lower-case scheme and host, no fragment, no tracking
/// parameters, no default port, no trailing slash on a non-root path.
/// Returns `None` for something that is not an absolute http(s) URL.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return None;
    }
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| !is_tracking_param(name))
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let mut text = url.to_string();
    if url.path().len() > 1 && url.query().is_none() && text.ends_with('/') {
        text.pop();
    }
    Some(text)
}

/// Hashes `parts` into a short hex id with the given prefix.
fn hashed_id(prefix: &str, parts: &[&str]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update(&[0]);
    }
    let hex = hasher.finalize().to_hex();
    format!("{prefix}{}", &hex[..16])
}

/// The id of an article with this URL (canonicalised) or, without a usable URL, this content.
pub fn article_id(url: Option<&str>, title: Option<&str>, text: &str) -> String {
    match url.and_then(canonical_url) {
        Some(canonical) => hashed_id("u", &[&canonical]),
        None => hashed_id("c", &[title.unwrap_or(""), text]),
    }
}

/// A hash of the article text, to find exact duplicates under different URLs.
pub fn content_hash(text: &str) -> String {
    let normalised: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    blake3::hash(normalised.as_bytes()).to_hex()[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters_and_fragments_do_not_change_the_id() {
        let plain = article_id(Some("https://news.example/a/story"), None, "x");
        let tracked = article_id(
            Some("HTTPS://News.Example/a/story/?utm_source=feed&fbclid=1#comments"),
            None,
            "y",
        );
        assert_eq!(plain, tracked);
    }

    #[test]
    fn meaningful_query_parameters_are_kept() {
        let one = canonical_url("https://news.example/story?id=1&utm_medium=x");
        assert_eq!(one.as_deref(), Some("https://news.example/story?id=1"));
        assert_ne!(
            article_id(Some("https://news.example/story?id=1"), None, ""),
            article_id(Some("https://news.example/story?id=2"), None, "")
        );
    }

    #[test]
    fn without_a_url_the_content_decides() {
        assert_eq!(
            article_id(None, Some("T"), "body"),
            article_id(Some("not a url"), Some("T"), "body")
        );
        assert_ne!(
            article_id(None, Some("T"), "body"),
            article_id(None, Some("T"), "other")
        );
    }

    #[test]
    fn content_hash_ignores_whitespace_layout() {
        assert_eq!(content_hash("a  b\n\nc"), content_hash("a b c"));
    }
}
