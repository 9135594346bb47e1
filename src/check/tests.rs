//! Rule tests on constructed claims.

use super::*;
use crate::model::{Claim, ClaimParty, Money, Qualifier, Sentence};
use rust_decimal::Decimal;
use std::str::FromStr;

struct B(SourcedClaim);

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_default()
}

/// A firm, exact USD claim of `kind` between `parties`, in `article` of `source` published `day`.
fn claim(article: &str, source: &str, day: &str, kind: ClaimKind, amount: &str, value: &str) -> B {
    let sentence = format!("The figure was {amount}.");
    B(SourcedClaim {
        claim: Claim {
            id: format!("{article}:{value}"),
            kind,
            amount: Money {
                text: amount.to_string(),
                start: 15,
                end: 15 + amount.chars().count(),
                currency: Some("USD".to_string()),
                value: Some(dec(value)),
                low: None,
                high: None,
                qualifier: Qualifier::Exact,
                per: None,
            },
            parties: vec![party("Twitter"), party("AWS")],
            term_months: None,
            start_year: None,
            attribution: None,
            hedged: false,
            negated: false,
            disputed: false,
            sentence: Sentence {
                end: sentence.chars().count(),
                text: sentence,
                start: 0,
            },
        },
        article_id: article.to_string(),
        url: Some(format!("https://example.org/{article}")),
        source: Some(source.to_string()),
        title: Some(format!("Story {article}")),
        published: Some(day.to_string()),
    })
}

fn party(name: &str) -> ClaimParty {
    ClaimParty {
        name: name.to_string(),
        roles: Vec::new(),
    }
}

impl B {
    fn parties(mut self, names: &[&str]) -> B {
        self.0.claim.parties = names.iter().map(|n| party(n)).collect();
        self
    }
    fn term(mut self, months: u32) -> B {
        self.0.claim.term_months = Some(months);
        self
    }
    fn year(mut self, y: i32) -> B {
        self.0.claim.start_year = Some(y);
        self
    }
    fn qualifier(mut self, q: Qualifier) -> B {
        let m = &mut self.0.claim.amount;
        m.qualifier = q;
        match q {
            Qualifier::AtLeast => m.low = m.value,
            Qualifier::AtMost => m.high = m.value,
            _ => {}
        }
        self
    }
    fn currency(mut self, c: &str) -> B {
        self.0.claim.amount.currency = Some(c.to_string());
        self
    }
    fn per(mut self, unit: &str) -> B {
        self.0.claim.amount.per = Some(unit.to_string());
        self
    }
    fn hedged(mut self) -> B {
        self.0.claim.hedged = true;
        self
    }
    fn negated(mut self) -> B {
        self.0.claim.negated = true;
        self
    }
    fn sentence(mut self, text: &str, start: usize) -> B {
        self.0.claim.sentence = Sentence {
            text: text.to_string(),
            start,
            end: start + text.chars().count(),
        };
        self
    }
    fn done(self) -> SourcedClaim {
        self.0
    }
}

fn amazon() -> ParentTable {
    ParentTable::new([("AWS", "Amazon"), ("Amazon Web Services", "Amazon")])
}

fn run(claims: &[SourcedClaim]) -> Vec<Finding> {
    check(claims, &|_| None, &amazon(), &CheckOptions::default())
}

fn of_type(findings: &[Finding], t: FindingType) -> Vec<&Finding> {
    findings.iter().filter(|f| f.finding_type == t).collect()
}

fn about(findings: &[Finding], t: FindingType, attr: Attribute) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.finding_type == t && f.attribute == attr)
        .collect()
}

use ClaimKind::{ContractValue, Debt, Payment, Price};

#[test]
fn aws_510_vs_500_contradicts_in_amount_and_term() {
    let claims = vec![
        claim(
            "a1",
            "TechCrunch",
            "2023-03-17",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .term(66)
        .year(2020)
        .done(),
        claim(
            "b1",
            "The Verge",
            "2023-03-18",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .term(60)
        .done(),
    ];
    let f = run(&claims);
    let amount = about(&f, FindingType::Contradiction, Attribute::Amount);
    assert_eq!(amount.len(), 1, "{f:#?}");
    assert!(
        amount[0].explanation.contains("2.0% apart"),
        "{}",
        amount[0].explanation
    );
    assert!(amount[0].explanation.contains("$10 million"));
    assert!(amount[0].explanation.contains("both exact"));
    let term = about(&f, FindingType::Contradiction, Attribute::Term);
    assert_eq!(term.len(), 1);
    assert_eq!(term[0].explanation, "66 months vs 60 months");
    assert_eq!(of_type(&f, FindingType::Corroboration).len(), 0);
}

#[test]
fn at_least_70_agrees_with_75() {
    let claims = vec![
        claim(
            "a",
            "The Information",
            "2023-03-17",
            Debt,
            "at least $70 million",
            "70000000",
        )
        .qualifier(Qualifier::AtLeast)
        .done(),
        claim(
            "b",
            "Reuters",
            "2023-03-18",
            Debt,
            "$75 million",
            "75000000",
        )
        .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    // A lower bound is consistent with $75 million but does not confirm it.
    assert!(of_type(&f, FindingType::Corroboration).is_empty());
}

#[test]
fn round_billion_agrees_with_one_point_zero_two() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$1 billion",
            "1000000000",
        )
        .done(),
        claim(
            "b",
            "B",
            "2023-01-02",
            ContractValue,
            "$1.02 billion",
            "1020000000",
        )
        .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    let corr = of_type(&f, FindingType::Corroboration);
    assert_eq!(corr.len(), 1);
    assert_eq!(corr[0].sources, Some(2));
    assert_eq!(corr[0].claims.len(), 2);
}

#[test]
fn precise_billion_contradicts_one_point_one() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$1.024 billion",
            "1024000000",
        )
        .done(),
        claim(
            "b",
            "B",
            "2023-01-02",
            ContractValue,
            "$1.1 billion",
            "1100000000",
        )
        .done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1
    );
}

#[test]
fn total_value_and_unpaid_balance_are_not_compared() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .done(),
        claim("b", "B", "2023-01-02", Debt, "$70 million", "70000000").done(),
    ];
    assert!(run(&claims).is_empty());
}

#[test]
fn two_deals_between_the_same_parties_are_two_facts() {
    // One article states two contracts with different start years and terms.
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .term(66)
        .year(2020)
        .sentence("In 2020 Twitter signed a $510 million, 66-month deal.", 0)
        .done(),
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$200 million",
            "200000000",
        )
        .term(24)
        .year(2023)
        .sentence("This year it added a $200 million two-year deal.", 60)
        .done(),
        claim(
            "b",
            "B",
            "2023-01-05",
            ContractValue,
            "$200 million",
            "200000000",
        )
        .year(2023)
        .term(24)
        .done(),
        claim(
            "c",
            "C",
            "2023-01-06",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    assert_eq!(of_type(&f, FindingType::Corroboration).len(), 2);
}

#[test]
fn different_start_year_with_same_terms_is_a_start_year_contradiction() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .term(66)
        .year(2020)
        .done(),
        claim(
            "b",
            "B",
            "2023-01-02",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .term(66)
        .year(2021)
        .done(),
    ];
    let f = run(&claims);
    let years = about(&f, FindingType::Contradiction, Attribute::StartYear);
    assert_eq!(years.len(), 1, "{f:#?}");
    assert_eq!(years[0].explanation, "started 2020 vs 2021");
}

#[test]
fn a_later_figure_after_a_payment_is_an_update() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$70 million", "70000000").done(),
        claim("b", "B", "2023-02-15", Debt, "$60 million", "60000000")
            .sentence(
                "Twitter now owes $60 million after paying part of the bill.",
                0,
            )
            .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    let up = of_type(&f, FindingType::Update);
    assert_eq!(up.len(), 1);
    let a = up[0].a.as_ref().map(|c| c.article_id.as_str());
    assert_eq!(a, Some("a"), "earlier claim first");
}

#[test]
fn debt_with_a_payment_reported_in_between_is_an_update() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$70 million", "70000000").done(),
        claim("p", "P", "2023-01-20", Payment, "$10 million", "10000000").done(),
        claim("b", "B", "2023-02-15", Debt, "$60 million", "60000000").done(),
    ];
    let f = run(&claims);
    assert_eq!(of_type(&f, FindingType::Update).len(), 1, "{f:#?}");
    assert!(of_type(&f, FindingType::Contradiction).is_empty());
}

#[test]
fn without_a_payment_the_same_debt_figures_contradict() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$70 million", "70000000").done(),
        claim("b", "B", "2023-02-15", Debt, "$60 million", "60000000").done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1
    );
}

#[test]
fn a_denial_is_a_dispute_not_a_corroboration() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$5 million", "5000000").done(),
        claim("b", "B", "2023-01-11", Debt, "$5 million", "5000000")
            .negated()
            .sentence("Twitter denied owing $5 million.", 0)
            .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Corroboration).is_empty(), "{f:#?}");
    let d = of_type(&f, FindingType::Dispute);
    assert_eq!(d.len(), 1);
    assert!(d[0].explanation.contains("denied"));
}

#[test]
fn hedged_figures_neither_confirm_nor_contradict() {
    let agreeing = vec![
        claim("a", "A", "2023-01-10", Debt, "$70 million", "70000000").done(),
        claim("b", "B", "2023-01-11", Debt, "$70 million", "70000000")
            .hedged()
            .done(),
    ];
    let f = run(&agreeing);
    assert!(f.is_empty(), "{f:#?}");
    // "could climb to $85 million" beside a reported $75 million: a forecast, not a conflict.
    let disagreeing = vec![
        claim("a", "A", "2023-01-10", Debt, "$75 million", "75000000").done(),
        claim("b", "B", "2023-01-11", Debt, "$85 million", "85000000")
            .hedged()
            .done(),
    ];
    assert!(run(&disagreeing).is_empty());
}

#[test]
fn figures_far_apart_are_different_facts() {
    // One investor's $80 million vs the round's $200 million: a part, not a disagreement.
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ClaimKind::Investment,
            "$80 million",
            "80000000",
        )
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ClaimKind::Investment,
            "$200 million",
            "200000000",
        )
        .done(),
    ];
    assert!(run(&claims).is_empty());
    let no_limit = CheckOptions {
        max_ratio: 0.0,
        ..CheckOptions::default()
    };
    let f = check(&claims, &|_| None, &amazon(), &no_limit);
    assert_eq!(of_type(&f, FindingType::Contradiction).len(), 1);
}

#[test]
fn same_deal_reported_with_different_amount_term_and_year_is_one_deal() {
    // $510 million, 66 months, inked 2020 vs $500 million, five years, signed 2021.
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-03-21",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .term(66)
        .year(2020)
        .done(),
        claim(
            "b",
            "B",
            "2023-03-22",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .term(60)
        .year(2021)
        .done(),
        // A different, much smaller deal in another year is not compared.
        claim(
            "c",
            "C",
            "2023-03-23",
            ContractValue,
            "$40 million",
            "40000000",
        )
        .term(24)
        .year(2022)
        .done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1,
        "{f:#?}"
    );
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Term).len(),
        1
    );
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::StartYear).len(),
        1
    );
    assert_eq!(f.len(), 3);
}

#[test]
fn a_payment_reported_higher_later_is_a_contradiction_not_an_update() {
    let claims = vec![
        claim("a", "A", "2023-03-21", Payment, "$10 million", "10000000")
            .sentence("So far Twitter has paid AWS $10 million.", 0)
            .done(),
        claim("b", "B", "2023-03-23", Payment, "$15 million", "15000000")
            .sentence("Twitter has paid $15 million toward the AWS bill.", 0)
            .done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1,
        "{f:#?}"
    );
}

#[test]
fn each_independent_source_of_the_majority_gets_its_own_contradiction() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2024-02-06",
            ContractValue,
            "$300 million",
            "300000000",
        )
        .term(240)
        .done(),
        claim(
            "b",
            "B",
            "2024-02-07",
            ContractValue,
            "$300 million",
            "300000000",
        )
        .term(180)
        .done(),
        claim(
            "c",
            "C",
            "2024-02-08",
            ContractValue,
            "$302 million",
            "302000000",
        )
        .term(240)
        .done(),
    ];
    let f = run(&claims);
    let terms = about(&f, FindingType::Contradiction, Attribute::Term);
    assert_eq!(terms.len(), 2, "{f:#?}");
}

#[test]
fn per_share_price_is_not_compared_with_a_total() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Price, "$54.20 a share", "54.20")
            .per("share")
            .done(),
        claim("b", "B", "2023-01-11", Price, "$44 billion", "44000000000").done(),
        claim("c", "C", "2023-01-12", Price, "$54.20 per share", "54.20")
            .per("shares")
            .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    assert_eq!(of_type(&f, FindingType::Corroboration).len(), 1);
}

#[test]
fn syndicated_copies_count_as_one_source() {
    let wire = "Twitter has refused to pay Amazon Web Services for its cloud hosting for months, \
        leaving at least seventy million dollars unpaid, according to people familiar with the \
        matter; the social network signed the agreement in 2020 and committed to spend heavily.";
    let texts = move |id: &str| -> Option<String> {
        match id {
            "a" => Some(wire.to_string()),
            "b" => Some(format!("{wire} Reporting by a wire desk.")),
            _ => None,
        }
    };
    let claims = vec![
        claim(
            "a",
            "Wire One",
            "2023-01-10",
            Debt,
            "$70 million",
            "70000000",
        )
        .done(),
        claim(
            "b",
            "Daily Paper",
            "2023-01-10",
            Debt,
            "$70 million",
            "70000000",
        )
        .done(),
    ];
    let f = check(&claims, &texts, &amazon(), &CheckOptions::default());
    assert!(
        f.is_empty(),
        "copies must not corroborate each other: {f:#?}"
    );
    let third = claim(
        "c",
        "Other Outlet",
        "2023-01-12",
        Debt,
        "$70 million",
        "70000000",
    )
    .done();
    let mut more = claims.clone();
    more.push(third);
    let f = check(&more, &texts, &amazon(), &CheckOptions::default());
    let corr = of_type(&f, FindingType::Corroboration);
    assert_eq!(corr.len(), 1);
    assert_eq!(corr[0].sources, Some(2));
    assert!(corr[0]
        .explanation
        .contains("syndicated copies counted once"));
}

#[test]
fn same_source_claims_do_not_contradict_each_other() {
    let claims = vec![
        claim(
            "a",
            "Reuters",
            "2023-01-10",
            Debt,
            "$70 million",
            "70000000",
        )
        .done(),
        claim(
            "b",
            "Reuters",
            "2023-01-11",
            Debt,
            "$90 million",
            "90000000",
        )
        .done(),
    ];
    assert!(run(&claims).is_empty());
}

/// The two claims of a sentence that states a euro-dollar rate: "The deal is worth
/// {euros} ($1 billion)."
fn stated_rate_pair(article: &str, source: &str, euros: &str, value: &str) -> Vec<SourcedClaim> {
    let sentence = format!("The deal is worth {euros} ($1 billion).");
    vec![
        claim(article, source, "2023-01-10", ContractValue, euros, value)
            .currency("EUR")
            .sentence(&sentence, 0)
            .done(),
        claim(
            article,
            source,
            "2023-01-10",
            ContractValue,
            "$1 billion",
            "1000000000",
        )
        .sentence(&sentence, 0)
        .done(),
    ]
}

/// A euro-dollar rate stated in A's sentence, B's figure in euros, C's in dollars.
fn stated_conversion_claims() -> Vec<SourcedClaim> {
    let mut claims = stated_rate_pair("a", "A", "€920 million", "920000000");
    claims.extend([
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "€920 million",
            "920000000",
        )
        .currency("EUR")
        .done(),
        claim(
            "c",
            "C",
            "2023-01-12",
            ContractValue,
            "$1.3 billion",
            "1300000000",
        )
        .done(),
    ]);
    claims
}

#[test]
fn stated_conversion_makes_two_currencies_one_fact() {
    let claims = stated_conversion_claims();
    let f = run(&claims);
    // $1.3 billion disagrees with each of the two sources of the converted figure.
    let c = about(&f, FindingType::Contradiction, Attribute::Amount);
    assert_eq!(c.len(), 2, "{f:#?}");
    let corr = of_type(&f, FindingType::Corroboration);
    assert_eq!(corr.len(), 1);
    assert_eq!(corr[0].sources, Some(2));
    let why = &corr[0].explanation;
    assert!(why.contains("conversion its sentence states"), "{why}");
    assert!(c.iter().any(|f| f.explanation.contains("rate stated in A")));
}

#[test]
fn unconvertible_currencies_are_not_compared_but_a_rate_table_converts() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "€500 million",
            "500000000",
        )
        .currency("EUR")
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$800 million",
            "800000000",
        )
        .done(),
        claim(
            "c",
            "C",
            "2023-01-12",
            ContractValue,
            "$800 million",
            "800000000",
        )
        .done(),
    ];
    let f = run(&claims);
    assert!(of_type(&f, FindingType::Contradiction).is_empty(), "{f:#?}");
    let rates = |c: &str, _y: i32| match c {
        "USD" => Some(1.0),
        "EUR" => Some(1.08),
        _ => None,
    };
    let synd = Syndication::default();
    let f = check_with(&claims, &synd, &amazon(), &rates, &CheckOptions::default());
    let c = about(&f, FindingType::Contradiction, Attribute::Amount);
    assert_eq!(
        c.len(),
        2,
        "one per independent source of $800 million: {f:#?}"
    );
    assert!(
        c[0].explanation.contains("bundled 2023 rate"),
        "{}",
        c[0].explanation
    );
    // €500 million at $1.08 a euro is $540 million: $260 million short of $800 million.
    let why = &c[0].explanation;
    assert!(why.contains("($260 million)"), "{why}");
}

#[test]
fn different_counterparties_of_different_deals_are_never_compared() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .parties(&["Twitter", "AWS"])
        .term(66)
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$1 billion",
            "1000000000",
        )
        .parties(&["Twitter", "Google"])
        .term(60)
        .done(),
    ];
    assert!(run(&claims).is_empty());
}

#[test]
fn same_deal_with_a_different_counterparty_is_a_party_contradiction() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$10 billion",
            "10000000000",
        )
        .parties(&["Pentagon", "Oracle"])
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$10 billion",
            "10000000000",
        )
        .parties(&["Pentagon", "Microsoft"])
        .done(),
    ];
    let f = run(&claims);
    let p = about(&f, FindingType::Contradiction, Attribute::Party);
    assert_eq!(p.len(), 1, "{f:#?}");
    assert!(
        p[0].explanation.contains("Oracle vs Microsoft"),
        "{}",
        p[0].explanation
    );
}

#[test]
fn unit_and_parent_are_compared_as_related_parties() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .parties(&["Twitter", "AWS"])
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .parties(&["Twitter", "Amazon"])
        .done(),
    ];
    let f = run(&claims);
    let c = about(&f, FindingType::Contradiction, Attribute::Amount);
    assert_eq!(c.len(), 1, "{f:#?}");
    assert!(
        c[0].explanation
            .contains("AWS is a unit of Amazon; compared as related parties"),
        "{}",
        c[0].explanation
    );
    assert!(about(&f, FindingType::Contradiction, Attribute::Party).is_empty());
}

#[test]
fn min_gap_ignores_small_differences() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .done(),
    ];
    let opts = CheckOptions {
        min_gap: 0.05,
        ..CheckOptions::default()
    };
    let f = check(&claims, &|_| None, &amazon(), &opts);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn filters_by_party_kind_and_date() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$70 million", "70000000").done(),
        claim("b", "B", "2023-03-11", Debt, "$90 million", "90000000").done(),
    ];
    let only = |opts: CheckOptions| check(&claims, &|_| None, &amazon(), &opts).len();
    assert_eq!(only(CheckOptions::default()), 1);
    let by_parent = CheckOptions {
        party: Some("Amazon".to_string()),
        ..CheckOptions::default()
    };
    assert_eq!(only(by_parent), 1);
    let other_party = CheckOptions {
        party: Some("Google".to_string()),
        ..CheckOptions::default()
    };
    assert_eq!(only(other_party), 0);
    let other_kind = CheckOptions {
        kind: Some(ContractValue),
        ..CheckOptions::default()
    };
    assert_eq!(only(other_kind), 0);
    let window = CheckOptions {
        until: NaiveDate::from_ymd_opt(2023, 2, 1),
        ..CheckOptions::default()
    };
    assert_eq!(only(window), 0);
}

#[test]
fn a_figure_is_compared_with_the_nearer_of_two_stated_side_by_side() {
    // Article a states two contract values without years; b's $500 million is about the
    // $510 million one, not the $200 million one.
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .done(),
        claim(
            "a",
            "A",
            "2023-01-01",
            ContractValue,
            "$200 million",
            "200000000",
        )
        .sentence("A second deal was worth $200 million.", 80)
        .done(),
        claim(
            "b",
            "B",
            "2023-01-05",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .done(),
    ];
    let f = run(&claims);
    let c = about(&f, FindingType::Contradiction, Attribute::Amount);
    assert_eq!(c.len(), 1, "{f:#?}");
    let texts: Vec<&str> = c[0]
        .a
        .iter()
        .chain(c[0].b.iter())
        .map(|s| s.claim.amount.text.as_str())
        .collect();
    assert!(texts.contains(&"$510 million"), "{texts:?}");
}

#[test]
fn findings_serialise_as_json_lines() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .done(),
    ];
    let f = run(&claims);
    let line = serde_json::to_string(&f[0]).unwrap_or_default();
    assert!(line.contains("\"type\":\"contradiction\""));
    assert!(line.contains("\"attribute\":\"amount\""));
}

#[test]
fn a_denial_in_another_sentence_of_the_same_article_is_a_dispute() {
    let claims = vec![
        claim("a", "A", "2023-01-10", Debt, "$5 million", "5000000")
            .sentence("AWS says Twitter owes it $5 million.", 0)
            .done(),
        claim("a", "A", "2023-01-10", Debt, "$5 million", "5000000")
            .negated()
            .sentence("Twitter denied owing $5 million.", 40)
            .done(),
    ];
    let f = run(&claims);
    assert_eq!(of_type(&f, FindingType::Dispute).len(), 1, "{f:#?}");
    assert!(of_type(&f, FindingType::Contradiction).is_empty());
}

#[test]
fn sourced_claims_carry_the_article_facts() {
    let article = crate::model::Article {
        id: "x1".to_string(),
        url: Some("https://example.org/x1".to_string()),
        source: Some("Example".to_string()),
        published: Some("2023-01-01".to_string()),
        ..Default::default()
    };
    let c = claim("x1", "Example", "2023-01-01", Debt, "$5 million", "5000000").done();
    let extraction = crate::model::Extraction {
        claims: vec![c.claim.clone()],
        ..Default::default()
    };
    let out = sourced_claims(&article, &extraction);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].source.as_deref(), Some("Example"));
    assert_eq!(out[0].url.as_deref(), Some("https://example.org/x1"));
}

#[test]
fn a_one_party_claim_joins_the_only_two_party_fact_with_that_party() {
    let claims = vec![
        claim(
            "a",
            "A",
            "2025-09-10",
            ClaimKind::Valuation,
            "$2.4 billion",
            "2400000000",
        )
        .parties(&["Lumenfold"])
        .done(),
        claim(
            "b",
            "B",
            "2025-09-11",
            ClaimKind::Valuation,
            "$3.1 billion",
            "3100000000",
        )
        .parties(&["Lumenfold", "Quarry Ridge"])
        .done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1,
        "{f:#?}"
    );
}

#[test]
fn an_open_bound_does_not_make_two_figures_one_articles_pair() {
    // Article a states $150 million upfront and "up to $1.2 billion" in milestones; b says
    // $175 million upfront. The bound must not shield the upfront figures from each other.
    let claims = vec![
        claim("a", "A", "2025-01-13", Payment, "$150 million", "150000000").done(),
        claim(
            "a",
            "A",
            "2025-01-13",
            Payment,
            "up to $1.2 billion",
            "1200000000",
        )
        .qualifier(Qualifier::AtMost)
        .sentence("It may also receive up to $1.2 billion.", 90)
        .done(),
        claim("b", "B", "2025-01-14", Payment, "$175 million", "175000000").done(),
    ];
    let f = run(&claims);
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1,
        "{f:#?}"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn any_claim() -> impl Strategy<Value = SourcedClaim> {
        (
            (0usize..4, 0usize..4, 0usize..3, 0usize..5),
            (-5i64..2_000_000_000i64, 0u32..4, 0usize..5),
            (
                proptest::option::of(0u32..400),
                proptest::option::of(1990i32..2030),
            ),
            (any::<bool>(), any::<bool>(), any::<bool>()),
            ("[ -~€£]{0,40}", proptest::option::of("[0-9T:-]{0,24}")),
        )
            .prop_map(
                |((art, src, kind, party), (value, q, cur), (term, year), flags, (text, date))| {
                    let kinds = [Debt, ContractValue, Payment];
                    let names = ["AWS", "Amazon", "Twitter", "Google", "Oracle"];
                    let qualifiers = [
                        Qualifier::Exact,
                        Qualifier::Approx,
                        Qualifier::AtLeast,
                        Qualifier::AtMost,
                    ];
                    let currencies = ["USD", "EUR", "GBP", "", "XXX"];
                    let mut b = claim(
                        &format!("a{art}"),
                        &format!("S{src}"),
                        "2023-01-01",
                        kinds[kind],
                        &text,
                        &value.to_string(),
                    )
                    .parties(&[names[party], names[(party + 1) % names.len()]])
                    .qualifier(qualifiers[q as usize])
                    .currency(currencies[cur])
                    .sentence(&text, art * 7);
                    if let Some(t) = term {
                        b = b.term(t);
                    }
                    if let Some(y) = year {
                        b = b.year(y);
                    }
                    let mut c = b.done();
                    c.published = date;
                    c.claim.hedged = flags.0;
                    c.claim.negated = flags.1;
                    c.claim.disputed = flags.2;
                    c
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn any_claims_give_well_formed_findings(claims in proptest::collection::vec(any_claim(), 0..24)) {
            let texts = |id: &str| Some(format!("text of {id} with a few words in it"));
            let f = check(&claims, &texts, &amazon(), &CheckOptions { min_gap: 0.01, ..CheckOptions::default() });
            for finding in &f {
                prop_assert!(!finding.explanation.is_empty());
                if finding.finding_type == FindingType::Corroboration {
                    prop_assert!(finding.sources.unwrap_or(0) >= 2);
                } else {
                    prop_assert!(finding.a.is_some() && finding.b.is_some());
                    let (a, b) = (finding.a.as_ref().map(|c| &c.article_id), finding.b.as_ref().map(|c| &c.article_id));
                    if finding.finding_type == FindingType::Contradiction {
                        prop_assert_ne!(a, b);
                    }
                }
            }
            let _ = crate::report::render_html(&f);
            let _ = crate::report::render_text(&f, &crate::report::TextStyle { color: true, width: 60 });
        }
    }
}

#[test]
fn relations_from_functions_resolve_parents() {
    let rel = FnRelations(
        |n: &str| (n == "AWS").then(|| "Amazon".to_string()),
        |a: &str, b: &str| a == b || (a == "AWS" && b == "Amazon"),
    );
    assert_eq!(root_of(&rel, "AWS"), "Amazon");
    assert_eq!(root_of(&rel, "Google"), "Google");
    let claims = vec![
        claim(
            "a",
            "A",
            "2023-01-10",
            ContractValue,
            "$510 million",
            "510000000",
        )
        .parties(&["Twitter", "AWS"])
        .done(),
        claim(
            "b",
            "B",
            "2023-01-11",
            ContractValue,
            "$500 million",
            "500000000",
        )
        .parties(&["Twitter", "Amazon"])
        .done(),
    ];
    let f = check(&claims, &|_| None, &rel, &CheckOptions::default());
    assert_eq!(
        about(&f, FindingType::Contradiction, Attribute::Amount).len(),
        1
    );
}

#[test]
fn the_findings_do_not_depend_on_the_order_of_the_claims() {
    // two articles state different euro-dollar rates: which one converts must not depend on
    // which claim came first
    let mut claims = stated_conversion_claims();
    claims.extend(stated_rate_pair("z", "Z", "€800 million", "800000000"));
    let forward = run(&claims);
    assert!(
        forward
            .iter()
            .any(|f| f.explanation.contains("rate stated in")),
        "{forward:#?}"
    );
    claims.reverse();
    assert_eq!(run(&claims), forward);
}
