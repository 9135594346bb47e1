//! The fetcher against real HTTP servers on 127.0.0.1 (wiremock, and a small
//! hand-written server for an endless streamed body).

use std::time::Duration;

use concord::acquire::fetch::{
    fetch_all, spawn_fetch, FetchErrorKind, FetchOptions, FetchOutcome, Fetched,
};
use encoding_rs::{SHIFT_JIS, WINDOWS_1252};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Options with short delays so the tests run quickly.
fn quick() -> FetchOptions {
    FetchOptions {
        per_host_delay: Duration::from_millis(5),
        retry_base_delay: Duration::from_millis(20),
        connect_timeout: Duration::from_secs(5),
        timeout: Duration::from_secs(10),
        retries: 2,
        ..FetchOptions::default()
    }
}

/// An article-like page.
fn page(title: Option<&str>, paragraphs: &[&str]) -> String {
    let head = title.map_or(String::new(), |t| format!("<title>{t}</title>"));
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">{head}</head>\n<body><article>\n{body}</article></body></html>"
    )
}

const STORY: [&str; 3] = [
    "The port authority signed a dredging contract worth $40 million with Harbour Works on Tuesday, officials said.",
    "The agreement runs for five years and covers the main channel and two berths used by container ships.",
    "Harbour Works said the first crews would arrive next month, once environmental permits are issued.",
];

const DEPOT: [&str; 2] = [
    "The council approved a ten-year lease of the bus depot for $2.5 million a year on Wednesday evening.",
    "The operator will take over the site in June and has promised to electrify half of its fleet by 2030.",
];

fn html(body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into_bytes(), "text/html; charset=utf-8")
}

async fn mount_page(server: &MockServer, at: &str, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(template)
        .mount(server)
        .await;
}

/// Requests the server received for `at`.
async fn hits(server: &MockServer, at: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|request| request.url.path() == at)
        .collect()
}

async fn fetch_one(url: String, opts: FetchOptions) -> FetchOutcome {
    let mut outcomes = fetch_all(vec![url.clone()], opts).await;
    assert_eq!(outcomes.len(), 1, "one outcome for {url}: {outcomes:?}");
    outcomes.remove(0)
}

fn ok(outcome: FetchOutcome) -> Fetched {
    match outcome.result {
        Ok(fetched) => fetched,
        Err(err) => panic!("expected a page for {}, got: {err}", outcome.input),
    }
}

fn failure(outcome: FetchOutcome) -> (FetchErrorKind, String) {
    match outcome.result {
        Ok(fetched) => panic!("expected an error, got a page from {}", fetched.final_url),
        Err(err) => {
            let message = err.to_string();
            (err.kind, message)
        }
    }
}

#[tokio::test]
async fn article_pages_become_articles_with_concord_user_agent() {
    let server = MockServer::start().await;
    mount_page(&server, "/news/port", html(page(Some("Port deal"), &STORY))).await;
    mount_page(
        &server,
        "/news/depot",
        html(page(Some("Depot lease"), &DEPOT)),
    )
    .await;
    let port = format!("{}/news/port", server.uri());
    let depot = format!("{}/news/depot", server.uri());

    let same_as_port = port.replacen("http://", "HTTP://", 1);
    let mut outcomes = fetch_all(
        vec![port.clone(), depot.clone(), port.clone(), same_as_port],
        quick(),
    )
    .await;
    outcomes.sort_by(|a, b| a.input.cmp(&b.input));
    assert_eq!(outcomes.len(), 2, "a repeated URL is fetched once");

    let depot_page = ok(outcomes.remove(0));
    let port_page = ok(outcomes.remove(0));
    assert_eq!(port_page.final_url, port);
    assert_eq!(port_page.article.input, port);
    assert_eq!(port_page.article.url.as_deref(), Some(port.as_str()));
    assert!(port_page
        .raw_html
        .contains("dredging contract worth $40 million"));
    assert!(port_page.article.text.contains("dredging contract"));
    assert!(depot_page.article.text.contains("lease of the bus depot"));

    let requests = hits(&server, "/news/port").await;
    assert_eq!(requests.len(), 1);
    let agent = requests[0]
        .headers
        .get("user-agent")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        agent.starts_with(&format!("concord/{}", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
    assert_eq!(
        hits(&server, "/robots.txt").await.len(),
        1,
        "robots.txt is asked once per host"
    );
}

#[tokio::test]
async fn feed_expands_to_its_pages_and_fills_gaps() {
    let server = MockServer::start().await;
    let base = server.uri();
    let rss = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>Harbour News</title><link>{base}/</link><description>Stories</description>
  <item>
    <title>Port signs dredging deal</title>
    <link>{base}/story/1</link>
    <pubDate>Tue, 03 Mar 2026 09:30:00 GMT</pubDate>
  </item>
  <item>
    <title>Depot lease approved</title>
    <link>/story/2</link>
    <pubDate>Wed, 04 Mar 2026 14:00:00 GMT</pubDate>
  </item>
</channel></rss>"#
    );
    mount_page(
        &server,
        "/feed.xml",
        ResponseTemplate::new(200).set_body_raw(rss.into_bytes(), "application/rss+xml"),
    )
    .await;
    // Pages with no title and no date of their own: the feed fills both.
    mount_page(&server, "/story/1", html(page(None, &STORY))).await;
    mount_page(&server, "/story/2", html(page(None, &DEPOT))).await;
    let feed_url = format!("{base}/feed.xml");

    let mut outcomes = fetch_all(vec![feed_url.clone()], quick()).await;
    outcomes.sort_by(|a, b| a.input.cmp(&b.input));
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    for outcome in &outcomes {
        assert_eq!(outcome.feed.as_deref(), Some(feed_url.as_str()));
    }
    let first = ok(outcomes.remove(0));
    let second = ok(outcomes.remove(0));
    assert_eq!(first.final_url, format!("{base}/story/1"));
    assert_eq!(first.article.input, format!("{base}/story/1"));
    assert_eq!(
        first.article.title.as_deref(),
        Some("Port signs dredging deal")
    );
    assert_eq!(
        first.article.published.as_deref(),
        Some("2026-03-03T09:30:00Z")
    );
    assert!(first.article.text.contains("dredging contract"));
    assert_eq!(
        second.final_url,
        format!("{base}/story/2"),
        "relative link resolved"
    );
    assert_eq!(
        second.article.title.as_deref(),
        Some("Depot lease approved")
    );
    assert_eq!(
        second.article.published.as_deref(),
        Some("2026-03-04T14:00:00Z")
    );
    assert_eq!(
        second.article.metadata.get("feed").and_then(|v| v.as_str()),
        Some(feed_url.as_str())
    );
}

#[tokio::test]
async fn atom_feed_given_with_its_page_fetches_the_page_once() {
    let server = MockServer::start().await;
    let base = server.uri();
    let atom = format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>City Desk</title><id>urn:example:city</id><updated>2026-02-10T12:00:00Z</updated>
  <entry>
    <title>Port signs dredging deal</title><id>urn:example:1</id>
    <link rel="alternate" href="{base}/story/1"/>
    <published>2026-02-09T08:15:00Z</published>
  </entry>
</feed>"#
    );
    mount_page(
        &server,
        "/atom",
        ResponseTemplate::new(200).set_body_raw(atom.into_bytes(), "application/xml"),
    )
    .await;
    mount_page(&server, "/story/1", html(page(None, &STORY))).await;
    let story = format!("{base}/story/1");

    let outcomes = fetch_all(vec![story.clone(), format!("{base}/atom")], quick()).await;
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert_eq!(
        ok(outcomes.into_iter().next().expect("one")).final_url,
        story
    );
    assert_eq!(hits(&server, "/story/1").await.len(), 1);
}

#[tokio::test]
async fn robots_txt_disallowing_a_path_is_honoured() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_raw(
            "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n",
            "text/plain",
        ),
    )
    .await;
    mount_page(
        &server,
        "/private/story",
        html(page(Some("Secret"), &STORY)),
    )
    .await;
    mount_page(&server, "/public/story", html(page(Some("Open"), &STORY))).await;
    let private = format!("{}/private/story", server.uri());
    let public = format!("{}/public/story", server.uri());

    let mut outcomes = fetch_all(vec![private.clone(), public.clone()], quick()).await;
    outcomes.sort_by(|a, b| a.input.cmp(&b.input));
    assert_eq!(outcomes.len(), 2);
    let (kind, message) = failure(outcomes.remove(0));
    assert_eq!(kind, FetchErrorKind::RobotsDisallowed);
    assert_eq!(message, format!("{private}: refused by robots.txt"));
    ok(outcomes.remove(0));
    assert!(
        hits(&server, "/private/story").await.is_empty(),
        "a disallowed page is never requested"
    );
    assert_eq!(hits(&server, "/robots.txt").await.len(), 1);
}

#[tokio::test]
async fn robots_txt_group_for_concord_applies_and_can_be_ignored() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_raw(
            "User-agent: concord\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
            "text/plain",
        ),
    )
    .await;
    mount_page(&server, "/story", html(page(Some("Story"), &STORY))).await;
    let story = format!("{}/story", server.uri());

    let (kind, _) = failure(fetch_one(story.clone(), quick()).await);
    assert_eq!(kind, FetchErrorKind::RobotsDisallowed);

    let ignoring = FetchOptions {
        obey_robots: false,
        ..quick()
    };
    ok(fetch_one(story, ignoring).await);
    assert_eq!(
        hits(&server, "/robots.txt").await.len(),
        1,
        "robots.txt not asked when ignored"
    );
}

#[tokio::test]
async fn robots_txt_server_error_keeps_the_fetcher_off_the_host() {
    let server = MockServer::start().await;
    mount_page(&server, "/robots.txt", ResponseTemplate::new(503)).await;
    mount_page(&server, "/story", html(page(Some("Story"), &STORY))).await;
    let story = format!("{}/story", server.uri());

    let (kind, message) = failure(fetch_one(story, quick()).await);
    assert!(
        matches!(kind, FetchErrorKind::RobotsUnavailable(_)),
        "{kind:?}"
    );
    assert!(message.contains("503 Service Unavailable"), "{message}");
    assert!(hits(&server, "/story").await.is_empty());
    assert_eq!(
        hits(&server, "/robots.txt").await.len(),
        3,
        "robots.txt retried like any request"
    );
}

#[tokio::test]
async fn too_many_requests_with_retry_after_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_page(&server, "/busy", html(page(Some("Busy"), &STORY))).await;
    let busy = format!("{}/busy", server.uri());

    let fetched = ok(fetch_one(busy, quick()).await);
    assert!(fetched.raw_html.contains("dredging contract"));
    assert_eq!(hits(&server, "/busy").await.len(), 2, "one 429, one retry");
}

#[tokio::test]
async fn service_unavailable_then_ok_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_page(&server, "/flaky", html(page(Some("Flaky"), &STORY))).await;

    let fetched = ok(fetch_one(format!("{}/flaky", server.uri()), quick()).await);
    assert!(fetched.article.text.contains("dredging contract"));
    assert_eq!(hits(&server, "/flaky").await.len(), 2);
}

#[tokio::test]
async fn persistent_server_error_gives_up_after_the_retries() {
    let server = MockServer::start().await;
    mount_page(&server, "/down", ResponseTemplate::new(502)).await;
    let down = format!("{}/down", server.uri());

    let (kind, message) = failure(fetch_one(down.clone(), quick()).await);
    assert!(
        matches!(kind, FetchErrorKind::Status { code: 502, .. }),
        "{kind:?}"
    );
    assert_eq!(message, format!("{down}: 502 Bad Gateway"));
    assert_eq!(
        hits(&server, "/down").await.len(),
        3,
        "first try and 2 retries"
    );
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_reported_not_waited_for() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        "/later",
        ResponseTemplate::new(503).insert_header("Retry-After", "3600"),
    )
    .await;
    let (kind, message) = failure(fetch_one(format!("{}/later", server.uri()), quick()).await);
    assert_eq!(
        kind,
        FetchErrorKind::Status {
            code: 503,
            reason: "Service Unavailable".to_string(),
            retry_after: Some(Duration::from_secs(3600)),
        }
    );
    assert!(
        message.ends_with("(asked to retry after 3600 s)"),
        "{message}"
    );
    assert_eq!(hits(&server, "/later").await.len(), 1);
}

#[tokio::test]
async fn slow_page_times_out_after_retrying() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        "/slow",
        html(page(Some("Slow"), &STORY)).set_delay(Duration::from_secs(5)),
    )
    .await;
    let opts = FetchOptions {
        timeout: Duration::from_millis(300),
        retries: 1,
        ..quick()
    };
    let slow = format!("{}/slow", server.uri());

    let (kind, message) = failure(fetch_one(slow.clone(), opts).await);
    assert_eq!(kind, FetchErrorKind::TimedOut(Duration::from_millis(300)));
    assert_eq!(message, format!("{slow}: timed out after 300 ms"));
    assert_eq!(
        hits(&server, "/slow").await.len(),
        2,
        "a timeout is retried"
    );
}

#[tokio::test]
async fn redirect_chain_is_followed() {
    let server = MockServer::start().await;
    let base = server.uri();
    mount_page(
        &server,
        "/r1",
        ResponseTemplate::new(301).insert_header("Location", "/r2"),
    )
    .await;
    mount_page(
        &server,
        "/r2",
        ResponseTemplate::new(302).insert_header("Location", format!("{base}/r3").as_str()),
    )
    .await;
    mount_page(
        &server,
        "/r3",
        ResponseTemplate::new(307).insert_header("Location", "final"),
    )
    .await;
    mount_page(&server, "/final", html(page(Some("Final"), &STORY))).await;
    let start = format!("{base}/r1");

    let outcome = fetch_one(start.clone(), quick()).await;
    assert_eq!(outcome.input, start);
    let fetched = ok(outcome);
    assert_eq!(fetched.final_url, format!("{base}/final"));
    assert_eq!(fetched.article.input, start);
    assert_eq!(
        fetched.article.url.as_deref(),
        Some(fetched.final_url.as_str())
    );
}

#[tokio::test]
async fn too_long_redirect_chain_fails() {
    let server = MockServer::start().await;
    for hop in 0..8 {
        mount_page(
            &server,
            &format!("/hop{hop}"),
            ResponseTemplate::new(302)
                .insert_header("Location", format!("/hop{}", hop + 1).as_str()),
        )
        .await;
    }
    mount_page(&server, "/hop8", html(page(Some("End"), &STORY))).await;
    let opts = FetchOptions {
        max_redirects: 3,
        ..quick()
    };

    let (kind, message) = failure(fetch_one(format!("{}/hop0", server.uri()), opts).await);
    assert_eq!(kind, FetchErrorKind::TooManyRedirects(3));
    assert!(message.contains("too many redirects"), "{message}");
    assert_eq!(hits(&server, "/hop3").await.len(), 1);
    assert!(
        hits(&server, "/hop4").await.is_empty(),
        "stops at the limit"
    );
}

#[tokio::test]
async fn windows_1252_page_reads_correctly() {
    let server = MockServer::start().await;
    let text = page(
        Some("Café deal"),
        &[
            "The café on the quay agreed to pay €12,000 a year for the terrace, the council said.",
            "The owners had asked for a five-year term; the council offered three, with an option to renew.",
            "Neighbouring restaurants pay between €9,000 and €15,000 for terraces of a similar size.",
        ],
    )
    .replace("<meta charset=\"utf-8\">", "");
    let (bytes, _, unmappable) = WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    mount_page(
        &server,
        "/cafe",
        ResponseTemplate::new(200)
            .set_body_raw(bytes.into_owned(), "text/html; charset=windows-1252"),
    )
    .await;

    let fetched = ok(fetch_one(format!("{}/cafe", server.uri()), quick()).await);
    assert!(
        fetched
            .raw_html
            .contains("The café on the quay agreed to pay €12,000"),
        "{}",
        fetched.raw_html
    );
    assert!(fetched.article.text.contains("café"));
    assert!(fetched.article.text.contains("€12,000"));
}

#[tokio::test]
async fn shift_jis_page_declared_in_meta_reads_correctly() {
    let server = MockServer::start().await;
    let text = page(
        Some("港湾契約"),
        &[
            "港湾局は火曜日、ハーバー社と四十億円の浚渫契約を結んだと発表した。契約期間は五年間である。",
            "同社によると、作業員は来月から現地に入り、主航路と二つの岸壁を整備する予定だという。",
            "環境許可が下り次第、工事が始まる見通しで、完成は二〇三一年を予定している。",
        ],
    )
    .replace("<meta charset=\"utf-8\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">");
    let (bytes, _, unmappable) = SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    mount_page(
        &server,
        "/sjis",
        ResponseTemplate::new(200).set_body_raw(bytes.into_owned(), "text/html"),
    )
    .await;

    let fetched = ok(fetch_one(format!("{}/sjis", server.uri()), quick()).await);
    assert!(
        fetched.raw_html.contains("四十億円の浚渫契約"),
        "{}",
        fetched.raw_html
    );
    assert!(fetched.article.text.contains("四十億円"));
}

#[tokio::test]
async fn not_found_is_reported_without_retrying() {
    let server = MockServer::start().await;
    let missing = format!("{}/missing", server.uri());

    let (kind, message) = failure(fetch_one(missing.clone(), quick()).await);
    assert!(
        matches!(kind, FetchErrorKind::Status { code: 404, .. }),
        "{kind:?}"
    );
    assert_eq!(message, format!("{missing}: 404 Not Found"));
    assert_eq!(hits(&server, "/missing").await.len(), 1);
}

#[tokio::test]
async fn body_over_the_cap_is_refused() {
    let server = MockServer::start().await;
    let long: Vec<String> = (0..200)
        .map(|i| format!("Paragraph {i} of a long story."))
        .collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    mount_page(&server, "/long", html(page(Some("Long"), &long))).await;
    let opts = FetchOptions {
        max_body: 1024,
        ..quick()
    };

    let (kind, message) = failure(fetch_one(format!("{}/long", server.uri()), opts).await);
    assert_eq!(kind, FetchErrorKind::BodyTooLarge(1024));
    assert!(message.ends_with("body larger than 1 KiB"), "{message}");
}

/// Serves every connection an endless chunked HTML body (stops at 256 MiB).
async fn endless_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!(
                    "{:x}\r\n{}\r\n",
                    8192,
                    "<p>more</p>".repeat(8192 / 11 + 1).split_at(8192).0
                );
                for _ in 0..(256 * 1024 / 8) {
                    if socket.write_all(chunk.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn endless_streamed_body_is_cut_off_at_the_cap() {
    let base = endless_server().await;
    let opts = FetchOptions {
        max_body: 64 * 1024,
        obey_robots: false,
        ..quick()
    };
    let (kind, _) = failure(fetch_one(format!("{base}/endless"), opts).await);
    assert_eq!(kind, FetchErrorKind::BodyTooLarge(64 * 1024));
}

#[tokio::test]
async fn other_content_types_and_empty_pages_are_refused() {
    let server = MockServer::start().await;
    mount_page(
        &server,
        "/report.pdf",
        ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7 ...".to_vec(), "application/pdf"),
    )
    .await;
    mount_page(
        &server,
        "/blank",
        ResponseTemplate::new(200).set_body_raw(b"  \n ".to_vec(), "text/html"),
    )
    .await;
    mount_page(
        &server,
        "/data.xml",
        ResponseTemplate::new(200).set_body_raw(
            b"<?xml version=\"1.0\"?><records><r/></records>".to_vec(),
            "application/xml",
        ),
    )
    .await;
    let pdf = format!("{}/report.pdf", server.uri());
    let blank = format!("{}/blank", server.uri());
    let xml = format!("{}/data.xml", server.uri());

    let mut outcomes = fetch_all(vec![pdf, blank, xml], quick()).await;
    outcomes.sort_by(|a, b| a.input.cmp(&b.input));
    assert_eq!(outcomes.len(), 3);
    let (blank_kind, blank_message) = failure(outcomes.remove(0));
    assert_eq!(blank_kind, FetchErrorKind::EmptyPage);
    assert!(blank_message.ends_with(": empty page"));
    let (xml_kind, _) = failure(outcomes.remove(0));
    assert!(
        matches!(xml_kind, FetchErrorKind::UnsupportedContent(_)),
        "{xml_kind:?}"
    );
    let (pdf_kind, pdf_message) = failure(outcomes.remove(0));
    assert!(
        matches!(pdf_kind, FetchErrorKind::UnsupportedContent(_)),
        "{pdf_kind:?}"
    );
    assert!(pdf_message.contains("application/pdf"), "{pdf_message}");
}

#[tokio::test]
async fn bad_and_unreachable_urls_fail_cleanly() {
    // A port nothing listens on: bind one, note it, let it go.
    let unused = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address")
    };
    let opts = FetchOptions {
        retries: 0,
        ..quick()
    };
    let mut outcomes = fetch_all(
        vec![
            "not a url".to_string(),
            "ftp://files.example/a".to_string(),
            format!("http://{unused}/story"),
        ],
        opts,
    )
    .await;
    outcomes.sort_by(|a, b| a.input.cmp(&b.input));
    assert_eq!(outcomes.len(), 3);
    let (ftp, _) = failure(outcomes.remove(0));
    assert!(matches!(ftp, FetchErrorKind::InvalidUrl(_)), "{ftp:?}");
    let (refused, message) = failure(outcomes.remove(0));
    assert!(
        matches!(refused, FetchErrorKind::CannotConnect(_)),
        "an unreachable robots.txt lets the page fail plainly: {refused:?}"
    );
    assert!(
        message.starts_with(&format!("http://{unused}/story: cannot connect (")),
        "{message}"
    );
    let (bad, _) = failure(outcomes.remove(0));
    assert!(matches!(bad, FetchErrorKind::InvalidUrl(_)), "{bad:?}");
}

#[tokio::test]
async fn outcomes_stream_through_a_receiver() {
    let server = MockServer::start().await;
    for at in ["/a", "/b", "/c"] {
        mount_page(&server, at, html(page(Some(at), &STORY))).await;
    }
    let urls: Vec<String> = ["/a", "/b", "/c"]
        .iter()
        .map(|at| format!("{}{at}", server.uri()))
        .collect();
    let opts = FetchOptions {
        concurrency: 1,
        ..quick()
    };
    let mut rx = spawn_fetch(urls.clone(), opts);
    let mut inputs = Vec::new();
    while let Some(outcome) = rx.recv().await {
        assert!(outcome.result.is_ok(), "{:?}", outcome.result);
        inputs.push(outcome.input);
    }
    inputs.sort();
    assert_eq!(inputs, urls);
}

#[tokio::test]
async fn gzip_encoded_page_is_decoded() {
    use std::io::Write;
    let server = MockServer::start().await;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(page(Some("Zipped"), &STORY).as_bytes())
        .expect("gzip into memory");
    let zipped = encoder.finish().expect("gzip into memory");
    mount_page(
        &server,
        "/zipped",
        ResponseTemplate::new(200)
            .set_body_raw(zipped, "text/html; charset=utf-8")
            .insert_header("Content-Encoding", "gzip"),
    )
    .await;

    let fetched = ok(fetch_one(format!("{}/zipped", server.uri()), quick()).await);
    assert!(fetched
        .raw_html
        .contains("dredging contract worth $40 million"));
    let requests = hits(&server, "/zipped").await;
    let accepted = requests[0]
        .headers
        .get("accept-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        accepted.contains("gzip") && accepted.contains("br"),
        "{accepted}"
    );
}

#[tokio::test]
async fn tls_to_a_plain_http_server_fails_cleanly() {
    let server = MockServer::start().await;
    let address = server.address();
    let opts = FetchOptions {
        retries: 0,
        ..quick()
    };
    let (kind, message) = failure(fetch_one(format!("https://{address}/story"), opts).await);
    assert!(
        matches!(
            kind,
            FetchErrorKind::CannotConnect(_) | FetchErrorKind::Network(_)
        ),
        "{kind:?}"
    );
    assert!(
        message.starts_with(&format!("https://{address}/story: ")),
        "{message}"
    );
}

#[test]
fn pipeline_bridge_hands_pages_on_as_items() {
    use concord::acquire::fetch::fetch_urls_into;
    use concord::acquire::Item;
    use concord::commands::pipeline::InputArgs;
    use std::ops::ControlFlow;

    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the test server");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        mount_page(&server, "/story", html(page(Some("Port deal"), &STORY))).await;
        server
    });
    let story = format!("{}/story", server.uri());
    let missing = format!("{}/missing", server.uri());
    let args = InputArgs {
        inputs: Vec::new(),
        urls: None,
        concurrency: 4,
        delay: 0.005,
        timeout: 10.0,
        max_body: 1024 * 1024,
        ignore_robots: false,
    };

    let mut items = Vec::new();
    let flow = fetch_urls_into(&[story.clone(), missing.clone()], &args, &mut |item| {
        items.push(item);
        ControlFlow::Continue(())
    });
    assert!(flow.is_continue());
    assert_eq!(items.len(), 2);
    let mut saw_story = false;
    let mut saw_missing = false;
    for item in items {
        match item {
            Item::Article(loaded) => {
                assert_eq!(loaded.article.input, story);
                assert!(!loaded.article.id.is_empty(), "the id is filled");
                assert_eq!(loaded.raw.format, "html");
                assert!(loaded.raw.body.contains("dredging contract"));
                saw_story = true;
            }
            Item::Failed(err) => {
                assert_eq!(err.input, missing);
                assert_eq!(err.reason, "404 Not Found");
                saw_missing = true;
            }
            Item::Html(page) => panic!("fetched pages come converted, not {}", page.input),
        }
    }
    assert!(saw_story && saw_missing);

    // A sink that stops at once gets one item and the bridge reports the stop.
    let mut count = 0;
    let flow = fetch_urls_into(&[story, missing], &args, &mut |_| {
        count += 1;
        ControlFlow::Break(())
    });
    assert!(flow.is_break());
    assert_eq!(count, 1);
    drop(server);
}

#[tokio::test]
async fn pipeline_bridge_inside_a_runtime_fails_each_url_plainly() {
    use concord::acquire::fetch::fetch_urls_into;
    use concord::acquire::Item;
    use concord::commands::pipeline::InputArgs;
    use std::ops::ControlFlow;

    let args = InputArgs {
        inputs: Vec::new(),
        urls: None,
        concurrency: 1,
        delay: 0.0,
        timeout: 1.0,
        max_body: 1024,
        ignore_robots: true,
    };
    let urls = [
        "http://127.0.0.1:9/a".to_string(),
        "http://127.0.0.1:9/b".to_string(),
    ];
    let mut reasons = Vec::new();
    let flow = fetch_urls_into(&urls, &args, &mut |item| {
        if let Item::Failed(err) = item {
            reasons.push(err.reason);
        }
        ControlFlow::Continue(())
    });
    assert!(flow.is_continue());
    assert_eq!(reasons.len(), 2, "no panic, one failure per URL");
    assert!(
        reasons
            .iter()
            .all(|r| r.contains("inside an async runtime")),
        "{reasons:?}"
    );
}
