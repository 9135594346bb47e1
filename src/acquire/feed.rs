//! RSS 2.0 and Atom feeds: the article links they list.

use feed_rs::model::{Entry, FeedType};

/// One item of a feed: the page it points to and what the feed says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    /// Link to the article page, as the feed gives it.
    pub link: String,
    /// The item's title, when the feed gives one.
    pub title: Option<String>,
    /// Publication (else update) date-time, RFC 3339 (ISO 8601).
    pub published: Option<String>,
}

/// Parses an RSS 2.0 (or older RSS) or Atom feed into its items, in feed order.
/// Returns `None` when the bytes are not such a feed (HTML, JSON Feed, junk).
/// Items without a link are skipped.
pub fn parse_feed(bytes: &[u8]) -> Option<Vec<FeedItem>> {
    let feed = feed_rs::parser::parse(bytes).ok()?;
    if matches!(feed.feed_type, FeedType::JSON) {
        return None;
    }
    Some(feed.entries.iter().filter_map(item_of_entry).collect())
}

/// The item for one feed entry, or `None` when it has no usable link.
fn item_of_entry(entry: &Entry) -> Option<FeedItem> {
    // Atom: prefer rel="alternate" (or no rel); RSS links have no rel.
    let link = entry
        .links
        .iter()
        .find(|link| matches!(link.rel.as_deref(), None | Some("alternate")))
        .or_else(|| entry.links.first())
        .map(|link| link.href.trim().to_string())
        .filter(|href| !href.is_empty())?;
    let title = entry
        .title
        .as_ref()
        .map(|text| text.content.trim().to_string())
        .filter(|title| !title.is_empty());
    let published = entry
        .published
        .or(entry.updated)
        .map(|date| date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    Some(FeedItem {
        link,
        title,
        published,
    })
}

/// Cheap sniff: does this look like an RSS or Atom feed? Uses the content type when it
/// names a feed, else looks for an `<rss`, `<feed` or `<rdf:RDF` root near the start.
pub fn looks_like_feed(bytes: &[u8], content_type: Option<&str>) -> bool {
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase());
    if let Some(mime) = mime.as_deref() {
        if matches!(
            mime,
            "application/rss+xml" | "application/atom+xml" | "application/rdf+xml"
        ) {
            return true;
        }
        if mime == "text/html" || mime == "application/xhtml+xml" {
            return false;
        }
    }
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let body = skip_prolog(&head);
    body.starts_with("<rss") || body.starts_with("<feed") || body.starts_with("<rdf:rdf")
}

/// Skips a BOM, whitespace, the XML declaration, comments, processing instructions
/// and a doctype, returning the text from the root element on.
fn skip_prolog(mut text: &str) -> &str {
    text = text.trim_start_matches('\u{feff}');
    loop {
        text = text.trim_start();
        let skipped = if text.starts_with("<?") {
            text.find("?>").map(|end| &text[end + 2..])
        } else if text.starts_with("<!--") {
            text.find("-->").map(|end| &text[end + 3..])
        } else if text.starts_with("<!") {
            text.find('>').map(|end| &text[end + 1..])
        } else {
            return text;
        };
        match skipped {
            Some(rest) => text = rest,
            None => return "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Harbour News</title>
    <link>https://news.example/</link>
    <description>Local stories</description>
    <item>
      <title>Port signs $40 million dredging contract</title>
      <link>https://news.example/port-contract</link>
      <pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate>
    </item>
    <item>
      <title>  </title>
      <link>https://news.example/untitled</link>
    </item>
    <item>
      <title>No link here</title>
    </item>
  </channel>
</rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>City Desk</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2026-02-10T12:00:00Z</updated>
  <entry>
    <title>Council approves bus depot lease</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <link rel="self" href="https://city.example/feed/1"/>
    <link rel="alternate" href="https://city.example/depot-lease"/>
    <published>2026-02-09T08:15:00+01:00</published>
    <updated>2026-02-10T12:00:00Z</updated>
  </entry>
  <entry>
    <title>Only updated</title>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6b</id>
    <link href="https://city.example/only-updated"/>
    <updated>2026-02-11T07:00:00Z</updated>
  </entry>
</feed>"#;

    #[test]
    fn rss_items_keep_order_title_and_date() {
        let items = parse_feed(RSS.as_bytes()).expect("an RSS feed");
        assert_eq!(items.len(), 2, "the item without a link is skipped");
        assert_eq!(items[0].link, "https://news.example/port-contract");
        assert_eq!(
            items[0].title.as_deref(),
            Some("Port signs $40 million dredging contract")
        );
        assert_eq!(items[0].published.as_deref(), Some("2026-03-03T09:30:00Z"));
        assert_eq!(items[1].link, "https://news.example/untitled");
        assert_eq!(items[1].title, None, "a blank title is no title");
        assert_eq!(items[1].published, None);
    }

    #[test]
    fn atom_prefers_alternate_link_and_published_date() {
        let items = parse_feed(ATOM.as_bytes()).expect("an Atom feed");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].link, "https://city.example/depot-lease");
        assert_eq!(
            items[0].title.as_deref(),
            Some("Council approves bus depot lease")
        );
        assert_eq!(items[0].published.as_deref(), Some("2026-02-09T07:15:00Z"));
        assert_eq!(items[1].link, "https://city.example/only-updated");
        assert_eq!(items[1].published.as_deref(), Some("2026-02-11T07:00:00Z"));
    }

    #[test]
    fn html_and_junk_are_not_feeds() {
        assert_eq!(parse_feed(b"<html><body><p>Hello</p></body></html>"), None);
        assert_eq!(parse_feed(b""), None);
        assert_eq!(parse_feed(b"\xff\xfe\x00garbage"), None);
        assert_eq!(
            parse_feed(
                br#"{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}"#
            ),
            None
        );
    }

    #[test]
    fn sniff_by_content_type() {
        assert!(looks_like_feed(b"", Some("application/rss+xml")));
        assert!(looks_like_feed(
            b"",
            Some("application/atom+xml; charset=utf-8")
        ));
        assert!(!looks_like_feed(RSS.as_bytes(), Some("text/html")));
    }

    #[test]
    fn sniff_by_root_element() {
        assert!(looks_like_feed(RSS.as_bytes(), Some("text/xml")));
        assert!(looks_like_feed(ATOM.as_bytes(), Some("application/xml")));
        assert!(looks_like_feed(ATOM.as_bytes(), None));
        let with_prolog = "\u{feff}<?xml version=\"1.0\"?>\n<!-- generated -->\n<?xml-stylesheet href=\"s.xsl\"?>\n<rss version=\"2.0\"></rss>";
        assert!(looks_like_feed(with_prolog.as_bytes(), None));
        assert!(!looks_like_feed(b"<!DOCTYPE html><html></html>", None));
        assert!(!looks_like_feed(
            b"<?xml version=\"1.0\"?><svg/>",
            Some("text/xml")
        ));
        assert!(!looks_like_feed(b"<?xml unterminated", None));
    }
}
