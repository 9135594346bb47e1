//! HTML page to article: metadata and main text, with boilerplate removed.
//!
//! Script, style and SVG bodies and comments are cut out by a byte scan first (nothing
//! below reads them), then the page is parsed once into a `dom_query` document. Metadata (title, publisher,
//! authors, dates, canonical URL, language) is read from that document first; then the
//! same document goes to `dom_smoothie` (Readability) for the main text. Where Readability
//! finds nothing useful, a simple paragraph-density pick takes over.

mod date;
mod meta;
mod strip;
mod text;

use dom_query::Document;

use crate::model::Article;

pub use date::{date_in_url, parse_machine_date, DayOrder};
pub use meta::strip_site_suffix;

/// Extracts an article from an HTML page. `page_url` is the address the page came from,
/// when known. Fills url, source, title, authors, published, modified, language and text;
/// leaves `input` and `id` to the caller.
pub fn article_from_html(html: &str, page_url: Option<&str>) -> Article {
    let html = strip::without_unread_content(html);
    let doc = Document::from(html.as_ref());
    let page_meta = meta::PageMeta::collect(&doc);
    let source = page_meta.source(page_url);
    let title = page_meta.title(&doc, source.as_deref());
    let language = page_meta.language(&doc);
    let order = day_order(language.as_deref(), page_url);
    let (published, modified) = page_meta.dates(&doc, page_url, order);
    let article = Article {
        url: page_meta.url(page_url),
        authors: page_meta.authors(&doc),
        source,
        title,
        published,
        modified,
        language,
        ..Article::default()
    };
    let text = text::main_text(doc, article.title.as_deref());
    Article { text, ..article }
}

/// Month-first for English pages outside the Commonwealth country domains, else day-first.
fn day_order(language: Option<&str>, page_url: Option<&str>) -> DayOrder {
    const DAY_FIRST_DOMAINS: [&str; 12] = [
        ".uk", ".au", ".nz", ".ie", ".in", ".za", ".pk", ".ng", ".ke", ".sg", ".my", ".ph",
    ];
    let host = page_url.and_then(meta::host_of).unwrap_or_default();
    let english = language.is_none_or(|l| l == "en");
    if english && !DAY_FIRST_DOMAINS.iter().any(|d| host.ends_with(d)) {
        DayOrder::MonthFirst
    } else {
        DayOrder::DayFirst
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Harbour deal signed for new ferry terminal | The Coastal Ledger</title>
  <meta property="og:site_name" content="The Coastal Ledger">
  <meta property="og:title" content="Harbour deal signed for new ferry terminal">
  <meta property="article:published_time" content="2021-03-04T23:15:00-05:00">
  <meta property="article:modified_time" content="2021-03-06T09:00:00-05:00">
  <meta name="author" content="By Maria Olsen">
  <link rel="canonical" href="/news/harbour-deal">
</head>
<body>
  <nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
  <div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience. Accept all cookies?</div>
  <div class="ad-slot advertisement">Buy cheap widgets today at Widget Palace!</div>
  <article>
    <h1>Harbour deal signed for new ferry terminal</h1>
    <p class="byline">By <span class="author">Maria Olsen</span></p>
    <p>The harbour authority signed a contract worth 42 million euros on Thursday with a consortium of two builders to construct a new ferry terminal on the north quay.</p>
    <p>Work is due to begin in the spring and the terminal should open to passengers within three years, according to the authority's chief executive, who called the agreement a turning point for the town.</p>
    <p>Local councillors welcomed the plan but asked for guarantees that the existing fishing berths would remain open while construction goes on, a demand the consortium said it would meet.</p>
    <p>The project is financed partly by a regional development grant and partly by a loan that the authority expects to repay from passenger fees over the next twenty years.</p>
  </article>
  <aside class="related-links"><h3>Related</h3><ul><li><a href="/a">Ferry fares to rise next year</a></li><li><a href="/b">Quay repairs finished early</a></li></ul></aside>
  <div class="share-widget">Share on Facebook Share on Twitter</div>
  <footer class="site-footer">Copyright 2021 The Coastal Ledger. All rights reserved. Contact us.</footer>
</body>
</html>"#;

    const LD_PAGE: &str = r#"<html><head>
  <title>Mill closes after eighty years - Valley Post</title>
  <meta http-equiv="content-language" content="de-DE">
  <script type="application/ld+json">
  {"@context":"https://schema.org","@graph":[
    {"@type":"WebSite","name":"Valley Post","url":"https://valley.example/"},
    {"@type":"NewsArticle","headline":"Mill closes after eighty years",
     "datePublished":"2019-11-02T08:30:00+01:00","dateModified":"2019-11-03T10:00:00+01:00",
     "author":[{"@type":"Person","name":"Jonas Weber"},{"@type":"Person","name":"Lea Roth"}],
     "publisher":{"@type":"Organization","name":"Valley Post"},
     "url":"https://valley.example/2019/mill-closes"}
  ]}
  </script>
</head><body>
  <header><ul class="menu"><li><a href="/">Start</a></li><li><a href="/local">Local</a></li></ul></header>
  <div class="cookie-notice">This site uses cookies. OK</div>
  <main>
    <h1>Mill closes after eighty years</h1>
    <div class="article-body">
      <p>The paper mill at the edge of the valley shut its gates for the last time on Friday, ending eighty years of production and leaving some 140 workers looking for new jobs.</p>
      <p>The owners blamed rising energy prices and falling demand for printing paper, and said talks with two possible buyers had failed over the summer despite help from the state.</p>
      <p>Union representatives said they would push for a social plan that includes retraining for younger staff and early retirement for those close to pension age.</p>
    </div>
    <section class="comments"><h3>Comments</h3><p>Great article! Visit my site for free prizes now.</p></section>
  </main>
  <div class="sponsored ad">Sponsored: win a holiday in the mountains</div>
  <footer>Imprint | Privacy | Terms</footer>
</body></html>"#;

    #[test]
    fn reads_opengraph_page_metadata() {
        let article = article_from_html(NEWS_PAGE, Some("https://ledger.example/x?utm=1"));
        assert_eq!(
            article.title.as_deref(),
            Some("Harbour deal signed for new ferry terminal")
        );
        assert_eq!(article.source.as_deref(), Some("The Coastal Ledger"));
        assert_eq!(article.authors, vec!["Maria Olsen".to_string()]);
        assert_eq!(
            article.published.as_deref(),
            Some("2021-03-04T23:15:00-05:00")
        );
        assert_eq!(
            article.modified.as_deref(),
            Some("2021-03-06T09:00:00-05:00")
        );
        assert_eq!(
            article.url.as_deref(),
            Some("https://ledger.example/news/harbour-deal")
        );
        assert_eq!(article.language.as_deref(), Some("en"));
        assert!(article.input.is_empty() && article.id.is_empty());
    }

    #[test]
    fn removes_boilerplate_from_opengraph_page() {
        let article = article_from_html(NEWS_PAGE, Some("https://ledger.example/x"));
        let text = &article.text;
        assert!(
            text.contains("signed a contract worth 42 million euros"),
            "{text}"
        );
        assert!(text.contains("repay from passenger fees"), "{text}");
        for junk in [
            "cookies",
            "Widget Palace",
            "Ferry fares to rise",
            "Share on Facebook",
            "All rights reserved",
            "Sport",
        ] {
            assert!(!text.contains(junk), "{junk} left in: {text}");
        }
        let paragraphs: Vec<&str> = text.split("\n\n").collect();
        assert!(paragraphs.len() >= 4, "{text}");
        assert!(paragraphs
            .iter()
            .all(|p| !p.trim().is_empty() && !p.contains('\n')));
    }

    #[test]
    fn reads_json_ld_graph_metadata() {
        let article = article_from_html(LD_PAGE, Some("https://valley.example/p/1"));
        assert_eq!(
            article.title.as_deref(),
            Some("Mill closes after eighty years")
        );
        assert_eq!(article.source.as_deref(), Some("Valley Post"));
        assert_eq!(
            article.authors,
            vec!["Jonas Weber".to_string(), "Lea Roth".to_string()]
        );
        assert_eq!(
            article.published.as_deref(),
            Some("2019-11-02T08:30:00+01:00")
        );
        assert_eq!(
            article.modified.as_deref(),
            Some("2019-11-03T10:00:00+01:00")
        );
        assert_eq!(
            article.url.as_deref(),
            Some("https://valley.example/2019/mill-closes")
        );
        assert_eq!(article.language.as_deref(), Some("de"));
    }

    #[test]
    fn removes_boilerplate_from_json_ld_page() {
        let article = article_from_html(LD_PAGE, None);
        let text = &article.text;
        assert!(text.contains("shut its gates for the last time"), "{text}");
        assert!(text.contains("early retirement"), "{text}");
        for junk in [
            "cookies",
            "free prizes",
            "holiday in the mountains",
            "Imprint",
            "Local",
        ] {
            assert!(!text.contains(junk), "{junk} left in: {text}");
        }
    }

    #[test]
    fn falls_back_to_url_and_visible_dates() {
        let page = r#"<html><head><title>Bridge reopens</title></head><body>
            <h1>Bridge reopens</h1><p>The old bridge reopened to traffic this morning after repairs.</p>
            </body></html>"#;
        let article = article_from_html(page, Some("https://www.town.example/2020/01/13/bridge"));
        assert_eq!(article.published.as_deref(), Some("2020-01-13"));
        assert_eq!(article.source.as_deref(), Some("town.example"));
        assert!(article.modified.is_none());

        let page = r#"<html lang="fr"><body><div class="copyright">© 2023</div>
            <h1>Le pont rouvre</h1><div class="meta">Publié le 13 janvier 2020 à 10h00</div>
            <p>Le vieux pont a rouvert à la circulation ce matin après des travaux.</p>
            </body></html>"#;
        let article = article_from_html(page, None);
        assert_eq!(article.published.as_deref(), Some("2020-01-13"));
        assert_eq!(article.language.as_deref(), Some("fr"));
    }

    #[test]
    fn published_is_not_taken_from_an_update_line_or_copyright() {
        let page = r#"<html lang="en"><body><h1>Rates held</h1>
            <p>Updated March 9, 2021</p><p>The bank held rates.</p>
            <footer>© 2024 Example</footer></body></html>"#;
        let article = article_from_html(page, None);
        assert_ne!(article.published.as_deref(), Some("2021-03-09"));
        assert!(article
            .published
            .as_deref()
            .is_none_or(|p| !p.starts_with("2024")));
    }

    #[test]
    fn modified_date_is_never_taken_for_published() {
        let page = r#"<html><head><title>Rates held</title>
            <meta property="article:modified_time" content="2022-05-06T10:00:00+02:00">
            </head><body><h1>Rates held</h1><p>The bank held rates.</p></body></html>"#;
        let article = article_from_html(page, Some("https://bank.example/rates"));
        assert_eq!(article.published, None);
        assert_eq!(
            article.modified.as_deref(),
            Some("2022-05-06T10:00:00+02:00")
        );
    }

    #[test]
    fn title_loses_site_suffix() {
        assert_eq!(
            strip_site_suffix("Storm hits coast | The Outlet", Some("The Outlet")),
            "Storm hits coast"
        );
        assert_eq!(
            strip_site_suffix("Storm hits the coast again tonight - Outlet", None),
            "Storm hits the coast again tonight"
        );
        assert_eq!(strip_site_suffix("Q&A - Outlet", None), "Q&A - Outlet");
    }

    #[test]
    fn never_panics_on_deep_nesting_or_empty_input() {
        let deep = "<div>".repeat(20_000) + "text" + &"</div>".repeat(20_000);
        let _ = article_from_html(&deep, Some("not a url"));
        let _ = article_from_html("", None);
        let _ = article_from_html(
            "<html><head><script type=\"application/ld+json\">{{{</script>",
            None,
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics_on_garbage(input in "\\PC{0,400}") {
            let _ = article_from_html(&input, Some("https://example.com/2020/02/30/x"));
        }

        #[test]
        fn never_panics_on_tag_soup(parts in proptest::collection::vec(
            prop_oneof![
                Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=\"date\">".to_string()),
                Just("</div>".to_string()), Just("<time datetime=\"2020-13-45\">".to_string()),
                Just("<script type=\"application/ld+json\">".to_string()), Just("</script>".to_string()),
                Just("<meta property=\"article:published_time\" content=\"x\">".to_string()),
                Just("<table><tr><td>".to_string()), Just("<br><br>".to_string()),
                "[a-zA-Z0-9 ,.{}\\[\\]\":/-]{0,40}",
            ],
            0..120,
        )) {
            let html = parts.concat();
            let article = article_from_html(&html, None);
            prop_assert!(!article.text.contains("\n\n\n"));
        }
    }
}
