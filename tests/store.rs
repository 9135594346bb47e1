//! The tantivy store against a real index in a temporary directory.

mod common;

use common::{aliases, article, claim, extraction, raw};
use concord::model::{Article, ClaimKind, Extraction};
use concord::store::{reindex, PutStatus, Store, StoreError, StoredItem, META_FILE};

fn twitter_article() -> (Article, Extraction) {
    let a = article(
        "ledger-1",
        "The Ledger Post",
        "2023-03-01",
        "Twitter stops paying its AWS bill",
        "Twitter owes Amazon Web Services $70 million. The bill is overdue.",
    );
    let e = extraction(vec![claim(
        "ledger-1",
        1,
        ClaimKind::Debt,
        "USD",
        "70000000",
        &["Twitter", "Amazon Web Services"],
        "Twitter owes Amazon Web Services $70 million.",
    )]);
    (a, e)
}

#[test]
fn put_is_idempotent_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let (a, e) = twitter_article();
    let mut writer = store.writer().unwrap();
    assert_eq!(writer.put(&a, &e, &raw(&a)).unwrap(), PutStatus::Ingested);
    assert_eq!(writer.put(&a, &e, &raw(&a)).unwrap(), PutStatus::Unchanged);
    writer.finish().unwrap();

    // A new writer loads the known articles from the index.
    let store = Store::open(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    assert_eq!(writer.put(&a, &e, &raw(&a)).unwrap(), PutStatus::Unchanged);
    writer.finish().unwrap();

    let reader = store.reader().unwrap();
    let stats = reader.stats().unwrap();
    assert_eq!(stats.articles, 1);
    assert_eq!(stats.claims, 1);
    assert_eq!(stats.claims_by_kind.get("debt"), Some(&1));
    assert_eq!(stats.claims_by_party.get("Amazon Web Services"), Some(&1));
    assert_eq!(stats.claims_by_source.get("The Ledger Post"), Some(&1));
    assert_eq!(stats.articles_by_source.get("The Ledger Post"), Some(&1));
    assert!(stats.index_bytes > 0);
}

#[test]
fn changed_content_replaces_article_and_its_claims() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let (a, e) = twitter_article();
    let mut writer = store.writer().unwrap();
    writer.put(&a, &e, &raw(&a)).unwrap();
    writer.commit().unwrap();

    let mut changed = a.clone();
    changed.text = "Twitter owes Amazon Web Services $80 million, a correction says.".into();
    let e2 = extraction(vec![claim(
        "ledger-1",
        2,
        ClaimKind::Debt,
        "USD",
        "80000000",
        &["Twitter"],
        "Twitter owes Amazon Web Services $80 million, a correction says.",
    )]);
    assert_eq!(
        writer.put(&changed, &e2, &raw(&changed)).unwrap(),
        PutStatus::Replaced
    );
    writer.finish().unwrap();

    let reader = store.reader().unwrap();
    assert!(
        reader.get("ledger-1#1").unwrap().is_none(),
        "old claim gone"
    );
    assert!(matches!(
        reader.get("ledger-1#2").unwrap(),
        Some(StoredItem::Claim(_))
    ));
    let Some(StoredItem::Article(stored)) = reader.get("ledger-1").unwrap() else {
        panic!("article missing");
    };
    assert_eq!(stored.article.text, changed.text);
    assert_eq!(stored.extraction.claims.len(), 1);
    assert_eq!(stored.extraction.claims[0].id, "ledger-1#2");
    let stats = reader.stats().unwrap();
    assert_eq!((stats.articles, stats.claims), (1, 1));
}

#[test]
fn same_text_under_new_id_is_a_duplicate_without_claims() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let (a, e) = twitter_article();
    let mut copy = a.clone();
    copy.id = "mirror-9".into();
    copy.source = Some("Mirror Daily".into());
    let mut writer = store.writer().unwrap();
    writer.put(&a, &e, &raw(&a)).unwrap();
    assert_eq!(
        writer.put(&copy, &e, &raw(&copy)).unwrap(),
        PutStatus::Duplicate("ledger-1".into())
    );
    assert_eq!(
        writer.put(&copy, &e, &raw(&copy)).unwrap(),
        PutStatus::Unchanged
    );
    writer.finish().unwrap();

    // Re-opened writers know the original and the duplicate apart.
    let mut writer = store.writer().unwrap();
    let mut third = a.clone();
    third.id = "third-3".into();
    assert_eq!(
        writer.put(&third, &e, &raw(&third)).unwrap(),
        PutStatus::Duplicate("ledger-1".into())
    );
    writer.finish().unwrap();

    let reader = store.reader().unwrap();
    let stats = reader.stats().unwrap();
    assert_eq!(stats.articles, 3);
    assert_eq!(stats.duplicates, 2);
    assert_eq!(stats.claims, 1);
    let Some(StoredItem::Article(stored)) = reader.get("mirror-9").unwrap() else {
        panic!("duplicate not stored");
    };
    assert_eq!(stored.duplicate_of.as_deref(), Some("ledger-1"));
    assert_eq!(
        stored.extraction.claims.len(),
        1,
        "duplicates keep their extraction"
    );
}

#[test]
fn empty_texts_are_not_duplicates_of_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    let a = article("a", "S", "2020-01-01", "A", "");
    let b = article("b", "S", "2020-01-01", "B", "  ");
    let none = Extraction::default();
    assert_eq!(
        writer.put(&a, &none, &raw(&a)).unwrap(),
        PutStatus::Ingested
    );
    assert_eq!(
        writer.put(&b, &none, &raw(&b)).unwrap(),
        PutStatus::Ingested
    );
}

#[test]
fn article_without_id_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    let a = article("", "S", "2020-01-01", "A", "text");
    let err = writer
        .put(&a, &Extraction::default(), &raw(&a))
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
}

#[test]
fn second_writer_is_locked_out_until_the_first_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let first = store.writer().unwrap();
    let other = Store::open(dir.path()).unwrap();
    let err = other.writer().err().expect("second writer must fail");
    assert!(matches!(err, StoreError::Locked(_)), "{err}");
    assert!(err
        .to_string()
        .contains("locked by another concord process"));
    drop(first);
    assert!(other.writer().is_ok());
}

#[test]
fn missing_index_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("nothing")).err().unwrap();
    assert!(matches!(err, StoreError::Missing(_)), "{err}");
    assert!(err.to_string().contains("concord ingest"));
}

#[test]
fn other_schema_version_asks_for_reindex() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_or_create(dir.path()).unwrap());
    std::fs::write(
        dir.path().join(META_FILE),
        r#"{"schema_version": 999, "concord_version": "9.9.9"}"#,
    )
    .unwrap();
    let err = Store::open(dir.path()).err().unwrap();
    assert!(
        matches!(err, StoreError::SchemaVersion { found: 999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("concord reindex"), "{err}");
    assert!(Store::open_or_create(dir.path()).is_err());
}

#[test]
fn reindex_rebuilds_from_stored_raw_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx");
    let store = Store::open_or_create(&index).unwrap();
    let mut writer = store.writer().unwrap();
    let (a, e) = twitter_article();
    let b = article(
        "b-2",
        "Wire",
        "2021-06-30",
        "Quiet day",
        "Nothing happened.",
    );
    writer.put(&a, &e, &raw(&a)).unwrap();
    writer.put(&b, &Extraction::default(), &raw(&b)).unwrap();
    writer.finish().unwrap();
    drop(store);
    std::fs::write(
        index.join(META_FILE),
        r#"{"schema_version": 0, "concord_version": "0.0.1"}"#,
    )
    .unwrap();
    assert!(Store::open(&index).is_err());

    // The new extractor finds one payment claim per article that mentions "owes".
    let extract = |article: &Article| {
        let claims = if article.text.contains("owes") {
            vec![claim(
                &article.id,
                7,
                ClaimKind::Payment,
                "USD",
                "1",
                &["Twitter"],
                &article.text,
            )]
        } else {
            Vec::new()
        };
        extraction(claims)
    };
    let report = reindex(&index, &extract, aliases()).unwrap();
    assert_eq!(report.articles, 2);
    assert_eq!(report.claims, 1);

    let store = Store::open(&index).unwrap();
    let reader = store.reader().unwrap();
    let stats = reader.stats().unwrap();
    assert_eq!((stats.articles, stats.claims), (2, 1));
    assert_eq!(stats.claims_by_kind.get("payment"), Some(&1));
    let Some(StoredItem::Article(stored)) = reader.get("ledger-1").unwrap() else {
        panic!("article lost in reindex");
    };
    assert_eq!(stored.raw(), raw(&a));
    assert!(!dir.path().join("idx.reindex").exists());
}

#[test]
fn reader_sees_commits_of_an_open_writer_and_not_uncommitted_puts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let reader = store.reader().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 0);
    let mut writer = store.writer().unwrap();
    let (a, e) = twitter_article();
    writer.put(&a, &e, &raw(&a)).unwrap();
    reader.reload().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 0, "not committed yet");
    writer.commit().unwrap();
    reader.reload().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 1);

    // An uncommitted put is lost when the writer goes away; the committed one stays.
    let b = article(
        "b-2",
        "Wire",
        "2021-06-30",
        "Quiet day",
        "Nothing happened.",
    );
    writer.put(&b, &Extraction::default(), &raw(&b)).unwrap();
    drop(writer);
    let reopened = Store::open(dir.path()).unwrap().reader().unwrap();
    assert_eq!(reopened.stats().unwrap().articles, 1);
}

#[test]
fn automatic_commits_every_n_articles() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    writer.set_commit_every(2);
    for i in 0..5 {
        let a = article(
            &format!("n{i}"),
            "S",
            "2020-01-01",
            "T",
            &format!("text {i}"),
        );
        writer.put(&a, &Extraction::default(), &raw(&a)).unwrap();
    }
    assert_eq!(writer.pending(), 1);
    drop(writer);
    let reader = store.reader().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 4);
}

#[test]
fn iterators_give_claims_with_article_facts_and_article_texts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    let (a, e) = twitter_article();
    let b = article(
        "b-2",
        "Wire",
        "2021-06-30",
        "Quiet day",
        "Nothing happened.",
    );
    writer.put(&a, &e, &raw(&a)).unwrap();
    writer.put(&b, &Extraction::default(), &raw(&b)).unwrap();
    writer.finish().unwrap();
    let reader = store.reader().unwrap();
    let claims: Vec<_> = reader.iter_claims().collect::<Result<_, _>>().unwrap();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].claim, e.claims[0]);
    assert_eq!(claims[0].article_id, "ledger-1");
    assert_eq!(claims[0].source.as_deref(), Some("The Ledger Post"));
    assert_eq!(claims[0].published.as_deref(), Some("2023-03-01"));
    assert_eq!(claims[0].url, a.url);
    let mut texts: Vec<_> = reader.iter_articles().map(|t| t.unwrap().id).collect();
    texts.sort();
    assert_eq!(texts, vec!["b-2", "ledger-1"]);
}

#[test]
fn empty_index_has_empty_stats_and_iterators() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let reader = store.reader().unwrap();
    let stats = reader.stats().unwrap();
    assert_eq!((stats.articles, stats.claims), (0, 0));
    assert_eq!(reader.iter_claims().count(), 0);
    assert_eq!(reader.iter_articles().count(), 0);
    assert!(reader.get("anything").unwrap().is_none());
}

#[test]
fn commits_by_time_when_an_interval_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let mut writer = store.writer().unwrap();
    writer.set_commit_every(0);
    // Without an interval nothing is committed automatically.
    let a = article("t0", "S", "2020-01-01", "T", "text zero");
    writer.put(&a, &Extraction::default(), &raw(&a)).unwrap();
    assert_eq!(writer.pending(), 1);
    // An interval that has always passed commits at the next put.
    writer.set_commit_interval(Some(std::time::Duration::ZERO));
    let b = article("t1", "S", "2020-01-01", "T", "text one");
    writer.put(&b, &Extraction::default(), &raw(&b)).unwrap();
    assert_eq!(writer.pending(), 0);
    drop(writer);
    let reader = store.reader().unwrap();
    assert_eq!(reader.stats().unwrap().articles, 2);
}

/// Puts a sequence (new, duplicate text under another id, unchanged, replaced) with plain
/// `put` or with documents prepared beforehand, and returns the statuses and what a reader
/// then finds.
fn put_sequence(prepared: bool) -> (Vec<PutStatus>, String) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    let (a, e) = twitter_article();
    let mut copy = a.clone();
    copy.id = "mirror-9".into();
    copy.source = Some("Mirror".into());
    let mut changed = a.clone();
    changed.text = "Twitter owes Amazon Web Services $80 million, a correction says.".into();
    let mut writer = store.writer().unwrap();
    writer.set_party_names(aliases());
    // The first article is stored before the builder is made: the builder skips its
    // documents when it comes again unchanged.
    writer.put(&a, &e, &raw(&a)).unwrap();
    let builder = writer.doc_builder();
    let mut statuses = Vec::new();
    for (article, extraction) in [(&copy, &e), (&a, &e), (&changed, &e), (&changed, &e)] {
        let raw = raw(article);
        let status = if prepared {
            let docs = builder.prepare(article, extraction, &raw);
            writer.put_prepared(article, extraction, &raw, Some(docs))
        } else {
            writer.put(article, extraction, &raw)
        };
        statuses.push(status.unwrap());
    }
    writer.finish().unwrap();
    let reader = store.reader().unwrap();
    let stats = reader.stats().unwrap();
    let mut found = format!(
        "articles {} claims {} by party {:?}\n",
        stats.articles, stats.claims, stats.claims_by_party
    );
    for id in ["ledger-1", "mirror-9", "ledger-1#1", "ledger-1#2"] {
        found.push_str(&format!("{id}: {:?}\n", reader.get(id).unwrap()));
    }
    (statuses, found)
}

#[test]
fn prepared_documents_store_what_put_stores() {
    let (statuses, found) = put_sequence(true);
    assert_eq!(
        statuses,
        vec![
            PutStatus::Duplicate("ledger-1".into()),
            PutStatus::Unchanged,
            PutStatus::Replaced,
            PutStatus::Unchanged,
        ]
    );
    assert!(found.starts_with("articles 2 claims 1 "), "{found}");
    assert_eq!((statuses, found), put_sequence(false));
}

/// Loads one input through the acquire stage (a JSON line or a text file).
fn loaded(item: concord::acquire::Item) -> concord::acquire::Loaded {
    match item {
        concord::acquire::Item::Article(loaded) => *loaded,
        _ => panic!("expected an article"),
    }
}

/// Whether each stored article document's `article` JSON carries a `text`, by article id.
fn stored_article_has_text(
    index_dir: &std::path::Path,
) -> std::collections::BTreeMap<String, bool> {
    use tantivy::schema::Value as _;
    let index = tantivy::Index::open_in_dir(index_dir).unwrap();
    let schema = index.schema();
    let article = schema.get_field("article").unwrap();
    let searcher = index.reader().unwrap().searcher();
    let mut found = std::collections::BTreeMap::new();
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1).unwrap();
        for doc_id in 0..segment.max_doc() {
            let doc: tantivy::TantivyDocument = store.get(doc_id).unwrap();
            // only article documents store an `article`
            let Some(json) = doc.get_first(article).and_then(|v| v.as_str()) else {
                continue;
            };
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            found.insert(
                value["id"].as_str().unwrap().to_string(),
                value.get("text").is_some(),
            );
        }
    }
    found
}

#[test]
fn a_text_held_verbatim_by_the_raw_json_is_stored_once_and_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_or_create(dir.path()).unwrap();
    // padded and with escapes: the article's text is the trimmed, unescaped string
    let line = r#"{"id":"j-1","title":"T","text":"  Twitter owes AWS \u002470 million.\n\nIt is \"late\".  ","section":"tech"}"#;
    let from_json = loaded(
        concord::acquire::files::JsonLine {
            input: "a.jsonl:1".into(),
            bytes: line.as_bytes().to_vec(),
        }
        .parse(),
    );
    assert!(from_json.raw.text_in_body);
    assert_eq!(
        from_json.article.text,
        "Twitter owes AWS $70 million.\n\nIt is \"late\"."
    );
    let from_text = loaded(concord::acquire::files::article_from_text(
        "b.txt",
        "id: t-1\nA title\n\nA plain text body\nover two lines.",
    ));
    assert!(!from_text.raw.text_in_body);
    let mut writer = store.writer().unwrap();
    for input in [&from_json, &from_text] {
        writer
            .put(&input.article, &Extraction::default(), &input.raw)
            .unwrap();
    }
    writer.finish().unwrap();

    let has_text = stored_article_has_text(dir.path());
    assert_eq!(has_text.get("j-1"), Some(&false), "{has_text:?}");
    assert_eq!(has_text.get("t-1"), Some(&true), "{has_text:?}");

    let reader = Store::open(dir.path()).unwrap().reader().unwrap();
    for input in [&from_json, &from_text] {
        let Some(StoredItem::Article(stored)) = reader.get(&input.article.id).unwrap() else {
            panic!("article {} lost", input.article.id);
        };
        assert_eq!(stored.article, input.article);
        assert_eq!(stored.raw(), input.raw);
    }
    let mut texts: Vec<(String, String)> = reader
        .iter_articles()
        .map(|a| a.map(|a| (a.id, a.text)).unwrap())
        .collect();
    texts.sort();
    assert_eq!(
        texts,
        vec![
            ("j-1".to_string(), from_json.article.text.clone()),
            ("t-1".to_string(), from_text.article.text.clone()),
        ]
    );
}
