//! Extraction never panics, and its offsets stay inside the text, whatever the input.

use concord::extract::Extractor;
use concord::model::{Article, Extraction};
use concord::rules::RuleSet;
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&RuleSet::embedded()).expect("rules build"))
}

fn article(text: String, published: Option<&str>) -> Article {
    Article {
        id: "t".into(),
        text,
        published: published.map(str::to_string),
        ..Article::default()
    }
}

/// Every offset is a character offset inside the text, and every `text` field is the
/// characters it points at.
fn check_offsets(text: &str, x: &Extraction) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: usize, e: usize| -> String { chars[s..e].iter().collect() };
    let n = chars.len();
    for p in &x.parties {
        assert!(p.start <= p.end && p.end <= n, "{p:?}");
        assert_eq!(slice(p.start, p.end), p.text);
    }
    for t in &x.terms {
        assert!(t.start <= t.end && t.end <= n, "{t:?}");
        assert_eq!(slice(t.start, t.end), t.text);
    }
    for d in &x.dates {
        assert!(d.start <= d.end && d.end <= n, "{d:?}");
        assert_eq!(slice(d.start, d.end), d.text);
    }
    for c in &x.claims {
        let s = &c.sentence;
        assert!(s.start <= s.end && s.end <= n, "{s:?}");
        assert_eq!(slice(s.start, s.end), s.text);
        assert!(s.start <= c.amount.start && c.amount.end <= s.end.max(c.amount.end));
    }
}

fn run(text: &str) -> Extraction {
    let x = extractor().extract(&article(text.to_string(), Some("2023-03-24")));
    check_offsets(text, &x);
    x
}

#[test]
fn empty_and_tiny_inputs() {
    for text in [
        "", " ", "\n", ".", "$", "$1", "£", "€€", "1", "a", "Inc.", "Q1", "May",
    ] {
        run(text);
    }
}

#[test]
fn long_single_line() {
    let unit =
        "Twitter owes AWS $70 million, the report said, in a five-year deal signed in 2020 and ";
    let text = unit.repeat(1 + 2_000_000 / unit.len());
    let x = run(&text);
    assert!(x.claims.len() > 10_000);
}

#[test]
fn noise_and_scripts() {
    let mut bytes = Vec::new();
    let mut state: u32 = 12345;
    for _ in 0..200_000 {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        bytes.push((state >> 16) as u8);
    }
    run(&String::from_utf8_lossy(&bytes));
    run(&"😀💰 $5 million 🚀 ".repeat(5000));
    run(&"شركة أمازون دفعت ١٠ ملايين دولار. עסקה של 5 מיליון דולר. ".repeat(2000));
    run(&"$".repeat(300_000));
    run(&"9".repeat(300_000));
    run(&"$9".repeat(100_000));
    run(&"a.".repeat(200_000));
    run(&"Mr. ".repeat(100_000));
    run(&" (".repeat(100_000));
    run(&"Musk ".repeat(100_000));
    run(&"May 2020, ".repeat(50_000));
    run(&"\u{200f}\u{202e}$1 million\u{2019}s ".repeat(10_000));
}

#[test]
fn published_forms_do_not_matter_for_safety() {
    for published in [
        None,
        Some(""),
        Some("garbage"),
        Some("2023-13-45"),
        Some("9999-12-31"),
    ] {
        let x = extractor().extract(&article(
            "Sales fell last year and next quarter, in March.".into(),
            published,
        ));
        assert!(x.dates.len() >= 3);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_extracts(text in "\\PC{0,400}") {
        run(&text);
    }

    #[test]
    fn newsy_text_extracts(parts in proptest::collection::vec(
        prop_oneof![
            Just("Twitter"), Just("AWS"), Just("Amazon's cloud unit"), Just(" owes "),
            Just(" paid "), Just("$"), Just("£"), Just("€"), Just("70"), Just("1.5"),
            Just(" million"), Just(" billion"), Just(" per share"), Just(" a year"),
            Just("."), Just(", "), Just("\n"), Just("\n\n"), Just(" deal"), Just(" five-year"),
            Just(" in 2020"), Just(" the report said"), Just(" according to "), Just("The Information"),
            Just("Mr. "), Just("Inc."), Just("é"), Just("’s"), Just("("), Just(")"), Just(" "),
            Just("Q1"), Just(" last year"), Just("March"), Just(" reportedly"), Just(" denied"),
        ],
        0..80,
    )) {
        let text: String = parts.concat();
        run(&text);
    }
}
