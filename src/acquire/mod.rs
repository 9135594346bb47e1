//! Acquire: turn command-line inputs (files, directories, standard input, URLs, feeds)
//! into [`Article`]s with the raw input they came from.

pub mod charset;
pub mod feed;
pub mod fetch;
pub mod files;
pub mod html;
pub mod ids;

use std::fmt;

use crate::model::Article;
use crate::store::RawInput;

/// An article read from an input, with its raw form.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The cleaned article; `input` and `id` are set.
    pub article: Article,
    /// What it was made from.
    pub raw: RawInput,
}

/// An input that could not be turned into an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The input: path, `path:line`, `path#item` or URL.
    pub input: String,
    /// Why it failed, in words a user can act on.
    pub reason: String,
}

impl InputError {
    /// An error for `input` with `reason`.
    pub fn new(input: impl Into<String>, reason: impl Into<String>) -> InputError {
        InputError {
            input: input.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.input, self.reason)
    }
}

impl std::error::Error for InputError {}

/// An HTML page read from a file, not yet turned into an article.
#[derive(Debug)]
pub struct HtmlPage {
    /// The input it came from (a path).
    pub input: String,
    /// The decoded page.
    pub html: String,
    /// Where the page came from, when known.
    pub url: Option<String>,
}

/// One result of reading inputs.
#[derive(Debug)]
pub enum Item {
    /// An article.
    Article(Box<Loaded>),
    /// An HTML page whose conversion is left to the caller, so that many pages can be
    /// converted in parallel ([`Item::convert`]).
    Html(Box<HtmlPage>),
    /// An input that failed.
    Failed(InputError),
}

impl Item {
    /// The input this item came from.
    pub fn input(&self) -> &str {
        match self {
            Item::Article(loaded) => &loaded.article.input,
            Item::Html(page) => &page.input,
            Item::Failed(err) => &err.input,
        }
    }

    /// Turns a pending HTML page into an article (or a failure) in place; other items stay
    /// as they are.
    pub fn convert(&mut self) {
        if let Item::Html(page) = self {
            let unconverted = Item::Failed(InputError::new(
                page.input.clone(),
                "the HTML page could not be converted (please report this input)",
            ));
            if let Item::Html(page) = std::mem::replace(self, unconverted) {
                let HtmlPage { input, html, url } = *page;
                *self = files::loaded_html(input, html, url.as_deref());
            }
        }
    }
}

/// Checks an article has text, fills its id when absent, and wraps it as an [`Item`].
pub fn finish_article(mut article: Article, raw: RawInput) -> Item {
    if article.text.trim().is_empty() {
        let reason = if raw.format == "html" {
            "empty page: no article text found in the HTML"
        } else {
            "empty article: no `text` (or `html`) to read"
        };
        return Item::Failed(InputError::new(article.input, reason));
    }
    if let Some(url) = article.url.as_deref() {
        if let Some(canonical) = ids::canonical_url(url) {
            article.url = Some(canonical);
        }
    }
    if article.id.is_empty() {
        article.id = ids::article_id(
            article.url.as_deref(),
            article.title.as_deref(),
            &article.text,
        );
    }
    Item::Article(Box::new(Loaded { article, raw }))
}
