//! Claim and article search against a real index in a temporary directory.

mod common;

use std::sync::OnceLock;

use common::{aliases, article, claim, extraction, raw};
use concord::model::ClaimKind;
use concord::search::{search, HitItem, SearchError, SearchRequest, SearchResults, SortOrder};
use concord::store::{PartyNames, Reader, Store};
use proptest::prelude::*;

/// Five articles, six claims, four currencies, 2021 to 2024.
fn build(dir: &std::path::Path, names: Option<PartyNames>) -> Reader {
    let store = Store::open_or_create(dir).unwrap();
    let mut writer = store.writer().unwrap();
    if let Some(names) = names {
        writer.set_party_names(names);
    }
    let items = vec![
        (
            article(
                "a1",
                "The Ledger Post",
                "2023-03-01",
                "Twitter stops paying its AWS bill",
                "t1",
            ),
            vec![claim(
                "a1",
                1,
                ClaimKind::Debt,
                "USD",
                "70000000",
                &["Twitter", "Amazon Web Services"],
                "Twitter owes Amazon Web Services $70 million in unpaid cloud bills.",
            )],
        ),
        (
            article(
                "a2",
                "Euro Daily",
                "2022-06-15",
                "Siemens wins rail deal",
                "t2",
            ),
            vec![claim(
                "a2",
                1,
                ClaimKind::ContractValue,
                "EUR",
                "50000000",
                &["Siemens", "Deutsche Bahn"],
                "Siemens signed a contract worth 50 million euros with Deutsche Bahn.",
            )],
        ),
        (
            article("a3", "City Wire", "2021-01-10", "Fine for bank", "t3"),
            vec![claim(
                "a3",
                1,
                ClaimKind::Fine,
                "GBP",
                "30000000",
                &["Barclays"],
                "Regulators fined Barclays 30 million pounds.",
            )],
        ),
        (
            article(
                "a4",
                "The Ledger Post",
                "2024-05-01T09:30:00Z",
                "Cloud money",
                "t4",
            ),
            vec![
                claim(
                    "a4",
                    1,
                    ClaimKind::Payment,
                    "USD",
                    "5000000",
                    &["Amazon Web Services"],
                    "The agency paid Amazon Web Services $5 million.",
                ),
                claim(
                    "a4",
                    2,
                    ClaimKind::Revenue,
                    "USD",
                    "2000000000",
                    &["Amazon Web Services"],
                    "Amazon Web Services reported revenue of $2 billion.",
                ),
            ],
        ),
        (
            article(
                "a5",
                "Tokyo Times",
                "2023-08-01",
                "SoftBank bets on a startup",
                "t5",
            ),
            vec![claim(
                "a5",
                1,
                ClaimKind::Investment,
                "JPY",
                "1000000000",
                &["SoftBank"],
                "SoftBank invested 1 billion yen in the startup.",
            )],
        ),
    ];
    for (mut a, claims) in items {
        a.text = claims
            .iter()
            .map(|c| c.sentence.text.clone())
            .collect::<Vec<_>>()
            .join(" ");
        let e = extraction(claims);
        writer.put(&a, &e, &raw(&a)).unwrap();
    }
    writer.finish().unwrap();
    store.reader().unwrap()
}

fn no_names(_: &str) -> Vec<String> {
    Vec::new()
}

fn run(reader: &Reader, query: &str) -> SearchResults {
    search(reader, &SearchRequest::new(query), &no_names).unwrap()
}

fn claim_ids(results: &SearchResults) -> Vec<String> {
    let mut ids: Vec<String> = results
        .hits
        .iter()
        .map(|h| match &h.item {
            HitItem::Claim(c) => c.claim.id.clone(),
            HitItem::Article(a) => a.id.clone(),
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn free_text_finds_sentences_and_highlights_the_words() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), Some(aliases()));
    let results = run(&reader, "unpaid cloud");
    assert_eq!(claim_ids(&results), vec!["a1#1"]);
    let hit = &results.hits[0];
    assert!(hit.score.unwrap() > 0.0);
    let words: Vec<&str> = hit
        .snippet
        .ranges
        .iter()
        .map(|r| &hit.snippet.text[r.clone()])
        .collect();
    assert_eq!(words, vec!["unpaid", "cloud"]);
    assert_eq!(
        hit.snippet.text,
        "Twitter owes Amazon Web Services $70 million in unpaid cloud bills."
    );
}

#[test]
fn title_words_find_the_claims_of_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    assert_eq!(claim_ids(&run(&reader, "rail")), vec!["a2#1"]);
}

#[test]
fn party_aliases_resolve_through_the_indexed_alias_field() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), Some(aliases()));
    // No lookup at query time: the aliases indexed with the claims answer.
    let results = run(&reader, "party:AWS");
    assert_eq!(claim_ids(&results), vec!["a1#1", "a4#1", "a4#2"]);
    assert_eq!(
        claim_ids(&run(&reader, "AWS")),
        vec!["a1#1", "a4#1", "a4#2"]
    );
    assert_eq!(claim_ids(&run(&reader, r#"party:"X Corp""#)), vec!["a1#1"]);
}

#[test]
fn party_aliases_resolve_through_the_lookup_at_query_time() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    assert!(run(&reader, "party:AWS").hits.is_empty());
    let names = aliases();
    let request = SearchRequest {
        parties: vec!["AWS".into()],
        ..SearchRequest::default()
    };
    let results = search(&reader, &request, &*names).unwrap();
    assert_eq!(claim_ids(&results), vec!["a1#1", "a4#1", "a4#2"]);
    // Two parties must both be named.
    let results = search(
        &reader,
        &SearchRequest::new("party:AWS party:Twitter"),
        &*names,
    )
    .unwrap();
    assert_eq!(claim_ids(&results), vec!["a1#1"]);
}

#[test]
fn kind_source_and_currency_filters() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    assert_eq!(claim_ids(&run(&reader, "kind:fine")), vec!["a3#1"]);
    assert_eq!(
        claim_ids(&run(&reader, "kind:debt,fine")),
        vec!["a1#1", "a3#1"]
    );
    assert_eq!(
        claim_ids(&run(&reader, r#"source:"the ledger post""#)),
        vec!["a1#1", "a4#1", "a4#2"]
    );
    assert_eq!(claim_ids(&run(&reader, "currency:eur")), vec!["a2#1"]);
    let request = SearchRequest {
        kinds: vec![ClaimKind::Revenue],
        sources: vec!["The Ledger Post".into()],
        ..SearchRequest::default()
    };
    assert_eq!(
        claim_ids(&search(&reader, &request, &no_names).unwrap()),
        vec!["a4#2"]
    );
}

#[test]
fn value_ranges_in_claim_currency_and_in_dollars() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    // In the claim's own currency, 1 billion yen is above 40 million.
    assert_eq!(
        claim_ids(&run(&reader, "value:>40M")),
        vec!["a1#1", "a2#1", "a4#2", "a5#1"]
    );
    // In US dollars it is not (about 7 million), and 30 million pounds in 2021 is about 38 million.
    assert_eq!(
        claim_ids(&run(&reader, "usd:>40M")),
        vec!["a1#1", "a2#1", "a4#2"]
    );
    assert_eq!(claim_ids(&run(&reader, "usd:30M..40M")), vec!["a3#1"]);
    assert_eq!(claim_ids(&run(&reader, "value:<=5M")), vec!["a4#1"]);
    let request = SearchRequest {
        min_value: Some(1e9),
        usd: true,
        ..SearchRequest::default()
    };
    assert_eq!(
        claim_ids(&search(&reader, &request, &no_names).unwrap()),
        vec!["a4#2"]
    );
}

#[test]
fn date_filters_on_published() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    assert_eq!(
        claim_ids(&run(&reader, "since:2023")),
        vec!["a1#1", "a4#1", "a4#2", "a5#1"]
    );
    assert_eq!(claim_ids(&run(&reader, "until:2022-06-14")), vec!["a3#1"]);
    assert_eq!(
        claim_ids(&run(&reader, "since:2022-06-15 until:2022-06-15")),
        vec!["a2#1"]
    );
    // until: includes the whole day of a date-time.
    assert_eq!(
        claim_ids(&run(&reader, "since:2024-05-01 until:2024-05-01")),
        vec!["a4#1", "a4#2"]
    );
}

#[test]
fn sorting_by_value_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    let ordered = |sort, usd| -> Vec<String> {
        let request = SearchRequest {
            sort,
            usd,
            ..SearchRequest::default()
        };
        search(&reader, &request, &no_names)
            .unwrap()
            .hits
            .iter()
            .map(|h| match &h.item {
                HitItem::Claim(c) => c.claim.id.clone(),
                HitItem::Article(a) => a.id.clone(),
            })
            .collect()
    };
    let native = ordered(SortOrder::Value, false);
    assert_eq!(&native[..2], &["a4#2", "a5#1"]);
    let usd = ordered(SortOrder::Value, true);
    assert_eq!(&usd[..2], &["a4#2", "a1#1"]);
    let dated = ordered(SortOrder::Date, false);
    assert_eq!(dated.last().map(String::as_str), Some("a3#1"));
    assert!(dated[0].starts_with("a4"));
}

#[test]
fn facets_count_the_whole_matching_set() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), Some(aliases()));
    let request = SearchRequest {
        query: "party:AWS".into(),
        facets: true,
        limit: 1,
        ..SearchRequest::default()
    };
    let results = search(&reader, &request, &no_names).unwrap();
    assert_eq!(results.total, 3);
    assert_eq!(results.hits.len(), 1);
    let facets = results.facets.unwrap();
    assert_eq!(facets.parties[0], ("Amazon Web Services".to_string(), 3));
    assert!(facets.parties.contains(&("Twitter".to_string(), 1)));
    assert_eq!(facets.sources, vec![("The Ledger Post".to_string(), 3)]);
    assert_eq!(facets.currencies, vec![("USD".to_string(), 3)]);
    assert_eq!(facets.kinds.len(), 3);
}

#[test]
fn articles_mode_searches_titles_and_texts() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    let request = SearchRequest {
        query: "rail deal".into(),
        articles: true,
        facets: true,
        ..SearchRequest::default()
    };
    let results = search(&reader, &request, &no_names).unwrap();
    assert_eq!(claim_ids(&results), vec!["a2"]);
    let HitItem::Article(hit) = &results.hits[0].item else {
        panic!("expected an article");
    };
    assert_eq!(hit.title.as_deref(), Some("Siemens wins rail deal"));
    assert_eq!(
        results.facets.unwrap().sources,
        vec![("Euro Daily".to_string(), 1)]
    );
    let text_hit = search(
        &reader,
        &SearchRequest {
            query: "Barclays".into(),
            articles: true,
            ..SearchRequest::default()
        },
        &no_names,
    )
    .unwrap();
    let snippet = &text_hit.hits[0].snippet;
    assert_eq!(&snippet.text[snippet.ranges[0].clone()], "Barclays");
    let err = search(
        &reader,
        &SearchRequest {
            query: "kind:debt".into(),
            articles: true,
            ..SearchRequest::default()
        },
        &no_names,
    )
    .unwrap_err();
    assert!(err.to_string().contains("apply to claims"), "{err}");
}

#[test]
fn malformed_queries_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let reader = build(dir.path(), None);
    let err = |q: &str| -> String {
        match search(&reader, &SearchRequest::new(q), &no_names) {
            Err(e @ SearchError::Query { .. }) => e.to_string(),
            other => panic!("{q:?} gave {other:?}"),
        }
    };
    let message = err("bill kind:debtt");
    assert!(message.contains("unknown kind \"debtt\""), "{message}");
    assert!(
        message.contains("\n            ^"),
        "caret under the value: {message}"
    );
    assert!(err("value:>lots").contains("not an amount"));
    assert!(err(r#"source:"Ledger"#).contains("never closed"));
    assert!(err("since:yesterday").contains("not a date"));
    assert!(err("currency:dollars").contains("3-letter"));
    assert!(err("nosuchfield:x").contains("nosuchfield"));
    assert!(err("since:2024 until:2023").contains("after"));
    assert!(err("bill AND (").contains("bad query"));
}

#[test]
fn empty_index_answers_with_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let reader = store.reader().unwrap();
    let request = SearchRequest {
        query: "bill party:AWS".into(),
        facets: true,
        ..SearchRequest::default()
    };
    let results = search(&reader, &request, &no_names).unwrap();
    assert_eq!(results.total, 0);
    assert!(results.hits.is_empty());
    assert!(results.facets.unwrap().parties.is_empty());
}

#[test]
fn search_sees_commits_while_the_writer_stays_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let reader = store.reader().unwrap();
    let mut writer = store.writer().unwrap();
    let mut a = article("w1", "Wire", "2020-02-02", "Late bill", "");
    let c = claim(
        "w1",
        1,
        ClaimKind::Debt,
        "USD",
        "9",
        &["Acme"],
        "Acme owes $9.",
    );
    a.text = c.sentence.text.clone();
    writer.put(&a, &extraction(vec![c]), &raw(&a)).unwrap();
    writer.commit().unwrap();
    reader.reload().unwrap();
    assert_eq!(run(&reader, "acme").total, 1);
    drop(writer);
}

static FIXTURE: OnceLock<(tempfile::TempDir, Reader)> = OnceLock::new();

#[test]
fn a_lone_sign_before_a_star_is_a_clear_error_not_a_panic() {
    let (_, reader) = FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let reader = build(dir.path(), Some(aliases()));
        (dir, reader)
    });
    for query in ["- *", "acme + *", "(-\t*)", "b - * c"] {
        let err = search(reader, &SearchRequest::new(query), &no_names)
            .err()
            .unwrap_or_else(|| panic!("{query:?} should be refused"));
        assert!(err.to_string().contains("before `*`"), "{query:?}: {err}");
    }
    // a sign joined to its word, and a star on its own, still read
    for query in ["-acme *", "acme *"] {
        assert!(
            search(reader, &SearchRequest::new(query), &no_names).is_ok(),
            "{query:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]
    #[test]
    fn no_query_string_panics(query in r#"[a-z:"<>=.()\-\[\]{}~^*+!0-9 ]{0,40}"#) {
        let (_, reader) = FIXTURE.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let reader = build(dir.path(), Some(aliases()));
            (dir, reader)
        });
        let _ = search(reader, &SearchRequest::new(query), &no_names);
    }
}
