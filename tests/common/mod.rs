//! Builders of articles, extractions and claims for the store and search tests.
#![allow(dead_code)]

use std::str::FromStr;
use std::sync::Arc;

use concord::model::{
    Article, Claim, ClaimKind, ClaimParty, Extraction, Money, Qualifier, Sentence,
};
use concord::store::{PartyNames, RawInput};
use rust_decimal::Decimal;

pub fn article(id: &str, source: &str, published: &str, title: &str, text: &str) -> Article {
    Article {
        input: format!("test:{id}"),
        id: id.to_string(),
        url: Some(format!("https://news.example/{id}")),
        source: Some(source.to_string()),
        title: Some(title.to_string()),
        published: Some(published.to_string()),
        text: text.to_string(),
        ..Article::default()
    }
}

pub fn raw(article: &Article) -> RawInput {
    RawInput {
        format: "json".to_string(),
        body: serde_json::to_string(article).unwrap(),
        // the body is the article as JSON, so its `text` is the article's text
        text_in_body: true,
    }
}

/// A claim on `sentence` of the article, amount `value` in `currency`.
pub fn claim(
    article_id: &str,
    n: usize,
    kind: ClaimKind,
    currency: &str,
    value: &str,
    parties: &[&str],
    sentence: &str,
) -> Claim {
    Claim {
        id: format!("{article_id}#{n}"),
        kind,
        amount: Money {
            text: format!("{currency} {value}"),
            start: n * 10,
            end: n * 10 + 5,
            currency: Some(currency.to_string()),
            value: Some(Decimal::from_str(value).unwrap()),
            low: None,
            high: None,
            qualifier: Qualifier::Exact,
            per: None,
        },
        parties: parties
            .iter()
            .map(|p| ClaimParty {
                name: p.to_string(),
                roles: vec!["payer".to_string()],
            })
            .collect(),
        term_months: None,
        start_year: None,
        attribution: None,
        hedged: false,
        negated: false,
        disputed: false,
        sentence: Sentence {
            text: sentence.to_string(),
            start: 0,
            end: sentence.chars().count(),
        },
    }
}

pub fn extraction(claims: Vec<Claim>) -> Extraction {
    Extraction {
        claims,
        ..Extraction::default()
    }
}

/// A small alias table: Amazon Web Services = AWS, Twitter = X Corp.
pub fn aliases() -> PartyNames {
    Arc::new(|name: &str| {
        let groups: [&[&str]; 2] = [
            &["Amazon Web Services", "AWS", "Amazon cloud"],
            &["Twitter", "X Corp"],
        ];
        for group in groups {
            if group.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                return group.iter().map(|s| s.to_string()).collect();
            }
        }
        Vec::new()
    })
}
