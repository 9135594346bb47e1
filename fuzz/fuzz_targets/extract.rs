//! Any bytes, read as text, go through the whole extraction: it must return (no panic), and
//! every offset it reports must lie inside the text, start before end.
#![no_main]

use std::sync::OnceLock;

use concord::extract::Extractor;
use concord::model::Article;
use concord::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| match Extractor::new(&RuleSet::embedded()) {
        Ok(extractor) => extractor,
        Err(e) => panic!("the built-in rules must load: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let article = Article {
        id: "fuzz".into(),
        text: String::from_utf8_lossy(data).into_owned(),
        published: Some("2023-03-01".into()),
        ..Article::default()
    };
    let found = extractor().extract(&article);
    let chars = article.text.chars().count();
    let inside = |start: usize, end: usize| start <= end && end <= chars;
    for money in &found.money {
        assert!(inside(money.start, money.end), "money {money:?}");
    }
    for party in &found.parties {
        assert!(inside(party.start, party.end), "party {party:?}");
    }
    for term in &found.terms {
        assert!(inside(term.start, term.end), "term {term:?}");
    }
    for date in &found.dates {
        assert!(inside(date.start, date.end), "date {date:?}");
    }
    for claim in &found.claims {
        assert!(
            inside(claim.sentence.start, claim.sentence.end),
            "claim {claim:?}"
        );
        assert!(claim.sentence.start <= claim.amount.start && claim.amount.end <= claim.sentence.end);
    }
});
