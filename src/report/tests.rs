//! Report tests on findings built by the checker from constructed claims.

use super::*;
use crate::check::{check, CheckOptions, NoRelations};
use crate::model::{Claim, ClaimKind, ClaimParty, Money, Qualifier, Sentence};
use rust_decimal::Decimal;

fn claim(
    article: &str,
    source: &str,
    url: &str,
    sentence: &str,
    amount: &str,
    value: i64,
) -> SourcedClaim {
    let start_char = sentence
        .find(amount)
        .map(|b| sentence[..b].chars().count())
        .unwrap_or(0);
    SourcedClaim {
        claim: Claim {
            id: format!("{article}:{start_char}"),
            kind: ClaimKind::ContractValue,
            amount: Money {
                text: amount.to_string(),
                start: 100 + start_char,
                end: 100 + start_char + amount.chars().count(),
                currency: Some("USD".to_string()),
                value: Some(Decimal::from(value)),
                low: None,
                high: None,
                qualifier: Qualifier::Exact,
                per: None,
            },
            parties: vec![
                ClaimParty {
                    name: "Twitter".to_string(),
                    roles: vec![],
                },
                ClaimParty {
                    name: "AWS".to_string(),
                    roles: vec![],
                },
            ],
            term_months: None,
            start_year: None,
            attribution: None,
            hedged: false,
            negated: false,
            disputed: false,
            sentence: Sentence {
                text: sentence.to_string(),
                start: 100,
                end: 100 + sentence.chars().count(),
            },
        },
        article_id: article.to_string(),
        url: Some(url.to_string()),
        source: Some(source.to_string()),
        title: Some(format!("Title of {article}")),
        published: Some("2023-03-17".to_string()),
    }
}

fn findings() -> Vec<Finding> {
    let claims = vec![
        claim(
            "a",
            "TechCrunch",
            "https://example.org/a",
            "Twitter agreed to pay $510 million over the life of the contract.",
            "$510 million",
            510_000_000,
        ),
        claim(
            "b",
            "Bad <Outlet> & Co",
            "javascript:alert(1)",
            "The deal <script>alert('x')</script> was worth $500 million in total.",
            "$500 million",
            500_000_000,
        ),
        claim(
            "c",
            "Third",
            "https://example.org/c?x=1&y=2",
            "Sources put the contract at $500 million.",
            "$500 million",
            500_000_000,
        ),
    ];
    check(&claims, &|_| None, &NoRelations, &CheckOptions::default())
}

#[test]
fn text_report_groups_sections_and_marks_conflicting_words() {
    let f = findings();
    assert!(f
        .iter()
        .any(|x| x.finding_type == FindingType::Contradiction));
    assert!(f
        .iter()
        .any(|x| x.finding_type == FindingType::Corroboration));
    let narrow = render_text(
        &f,
        &TextStyle {
            color: false,
            width: 80,
        },
    );
    assert!(!narrow.contains('\x1b'), "no ANSI codes without colour");
    assert!(narrow.contains("Contradictions"));
    assert!(narrow.contains("Corroborated facts"));
    assert!(narrow.contains("contract value · AWS, Twitter"));
    assert!(narrow.contains("*$510 million*"), "{narrow}");
    assert!(narrow.contains("https://example.org/a"));
    assert!(narrow.contains("2.0% apart"));
    assert!(!narrow.contains(" │ "), "stacked when narrow");
    assert!(narrow.find("Contradictions") < narrow.find("Corroborated facts"));
    for line in narrow.lines() {
        assert!(
            line.chars().count() <= 80
                || line.contains("CONTRADICTION")
                || line.contains("CORROBORATED"),
            "{line}"
        );
    }
    let wide = render_text(
        &f,
        &TextStyle {
            color: true,
            width: 140,
        },
    );
    assert!(wide.contains(" │ "), "side by side when wide");
    assert!(wide.contains("\x1b[1;31m$510\x1b[0m"));
}

#[test]
fn html_is_escaped_self_contained_and_links_only_web_urls() {
    let page = render_html(&findings());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"), "sentence text must be escaped");
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("Bad &lt;Outlet&gt; &amp; Co"));
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("href=\"https://example.org/c?x=1&amp;y=2\""));
    assert!(page.contains("<mark>$510 million</mark>"));
    assert!(
        !page.contains("<link") && !page.contains("src="),
        "no external assets"
    );
}

#[test]
fn json_lines_round_trip() {
    let f = findings();
    let text = render_json_lines(&f);
    let back: Vec<Finding> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(back.len(), f.len());
    assert_eq!(back[0].explanation, f[0].explanation);
}

#[test]
fn empty_report_says_so() {
    assert!(render_html(&[]).contains("No findings."));
    assert!(render_text(&[], &TextStyle::default()).starts_with("0 contradictions"));
}
