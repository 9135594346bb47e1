//! Benchmark of the cross-source check at scale.
//!
//! Builds sourced claims for N articles (default 100,000; first argument overrides) and runs
//! `check::check` over them, syndication detection included; prints wall time, findings and
//! peak memory (VmHWM from /proc/self/status).
//!
//! Article texts: the real news set in `../shared/data/news/*.jsonl.gz` (or `../../shared/...`,
//! read-only) when it is
//! there, otherwise synthetic text. Articles beyond the set's size are either wire copies of an
//! earlier text under another outlet (30 %) or splices of two texts. Texts are produced on
//! demand from the article id, so only the check's own memory adds to the base texts.
//!
//! Claims: 20 articles per story on average; each article states a contract value, a debt and
//! a per-share price about its story, with occasional variant figures, hedges, denials and
//! (late in the year) lower balances after a payment.
//!
//! The check runs twice: once through `check` (the figures that count: wall time and peak memory
//! are taken after it), then in two timed phases (syndication, then blocking and comparing) to
//! show where the time goes.
//!
//! Run: `cargo run --release --example bench_check [ARTICLES]`

use concord::check::{check, check_with, CheckOptions, NoRates, ParentTable, Syndication};
use concord::model::{
    Claim, ClaimKind, ClaimParty, FindingType, Money, Qualifier, Sentence, SourcedClaim,
};
use rust_decimal::Decimal;
use std::io::BufRead;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn load_news() -> Vec<String> {
    let mut out = Vec::new();
    let dir = ["../shared/data/news", "../../shared/data/news"]
        .into_iter()
        .map(std::path::PathBuf::from)
        .find(|d| d.is_dir());
    let Some(dir) = dir else { return out };
    for name in ["reuters21578.jsonl.gz", "bbc.jsonl.gz"] {
        let path = dir.join(name);
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
        for line in reader.lines().map_while(Result::ok) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                    out.push(t.to_string());
                }
            }
        }
    }
    out
}

fn synthetic_text(seed: u64) -> String {
    const WORDS: [&str; 24] = [
        "market",
        "shares",
        "company",
        "said",
        "profit",
        "quarter",
        "deal",
        "billion",
        "bank",
        "rates",
        "growth",
        "sales",
        "contract",
        "cloud",
        "oil",
        "prices",
        "board",
        "investors",
        "report",
        "trade",
        "government",
        "tax",
        "plan",
        "year",
    ];
    let mut rng = Rng(seed);
    let mut s = String::new();
    for k in 0..220 {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        s.push_str(&rng.below(50).to_string());
    }
    s
}

fn money(text: String, value: Decimal, q: Qualifier, per: Option<&str>, at: usize) -> Money {
    Money {
        start: at,
        end: at + text.chars().count(),
        text,
        currency: Some("USD".to_string()),
        value: Some(value),
        low: (q == Qualifier::AtLeast).then_some(value),
        high: None,
        qualifier: q,
        per: per.map(str::to_string),
    }
}

fn main() {
    let articles: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let news = load_news();
    let base = if news.is_empty() {
        articles
    } else {
        news.len()
    };
    eprintln!(
        "texts: {}",
        if news.is_empty() {
            "synthetic".to_string()
        } else {
            format!("{} real news articles, reused and spliced", news.len())
        }
    );
    let stories = (articles / 20).max(1);
    let outlets: Vec<String> = (0..200).map(|k| format!("Outlet {k}")).collect();
    let mut relations: Vec<(String, String)> = Vec::new();
    for k in 0..100 {
        relations.push((format!("Org {k} Cloud"), format!("Org {k}")));
    }
    let table = ParentTable::new(relations.iter().map(|(u, p)| (u.as_str(), p.as_str())));

    let built = Instant::now();
    let mut claims: Vec<SourcedClaim> = Vec::with_capacity(articles * 3);
    let mut rng = Rng(7);
    for i in 0..articles {
        let story = rng.below(stories as u64) as usize;
        let mut srng = Rng(story as u64 * 31 + 1);
        let buyer = format!("Org {}", 100 + srng.below(2000));
        let seller_id = srng.below(300);
        let seller = if seller_id < 100 && rng.below(2) == 0 {
            format!("Org {seller_id} Cloud")
        } else {
            format!("Org {seller_id}")
        };
        let millions = 50 + srng.below(950) as i64;
        let term = 12 * (1 + srng.below(8) as u32);
        let year = 2015 + srng.below(9) as i32;
        let article_id = format!("art-{i}");
        let source = outlets[(i * 7 + story) % outlets.len()].clone();
        let day = 1 + (i % 28);
        let month = 1 + (i / 28) % 12;
        let published = format!("2023-{month:02}-{day:02}");
        let variant = rng.below(100);
        let shown = if variant < 8 { millions + 10 } else { millions };
        let parties = vec![
            ClaimParty {
                name: buyer.clone(),
                roles: vec!["payer".to_string()],
            },
            ClaimParty {
                name: seller.clone(),
                roles: vec!["payee".to_string()],
            },
        ];
        let mk = |kind: ClaimKind, m: Money, sentence: String, k: usize| SourcedClaim {
            claim: Claim {
                id: format!("{article_id}:{k}"),
                kind,
                amount: m,
                parties: parties.clone(),
                term_months: (kind == ClaimKind::ContractValue).then_some(term),
                start_year: (kind == ClaimKind::ContractValue && k % 2 == 0).then_some(year),
                attribution: None,
                hedged: variant == 90,
                negated: kind == ClaimKind::Debt && variant == 91,
                disputed: false,
                sentence: Sentence {
                    end: 100 * k + sentence.chars().count(),
                    text: sentence,
                    start: 100 * k,
                },
            },
            article_id: article_id.clone(),
            url: Some(format!("https://example.org/{article_id}")),
            source: Some(source.clone()),
            title: Some(format!("Story {story}")),
            published: Some(published.clone()),
        };
        let value_text = format!("${shown} million");
        let s1 =
            format!("{buyer} signed a {value_text} contract with {seller} over {term} months.");
        claims.push(mk(
            ClaimKind::ContractValue,
            money(
                value_text,
                Decimal::from(shown) * Decimal::from(1_000_000),
                Qualifier::Exact,
                None,
                100 + buyer.len() + 10,
            ),
            s1,
            1,
        ));
        let owed = (millions / 10).max(2);
        // Late in the year some outlets report a lower balance after a payment (updates).
        let (owed_text, owed_value, owed_q, s2) = if month >= 10 && variant < 20 {
            let left = owed / 2;
            let text = format!("${left} million");
            let sentence =
                format!("{buyer} now owes {seller} {text} after a payment, people familiar said.");
            (text, left, Qualifier::Exact, sentence)
        } else {
            let text = format!("at least ${owed} million");
            let sentence = format!("{buyer} still owes {seller} {text}, people familiar said.");
            (text, owed, Qualifier::AtLeast, sentence)
        };
        claims.push(mk(
            ClaimKind::Debt,
            money(
                owed_text,
                Decimal::from(owed_value) * Decimal::from(1_000_000),
                owed_q,
                None,
                200,
            ),
            s2,
            2,
        ));
        let cents = 1000 + (millions * 7) % 9000;
        let price = Decimal::new(cents, 2);
        let price_text = format!("${price} a share");
        let s3 = format!("{seller} offered {price_text} for {buyer}.");
        claims.push(mk(
            ClaimKind::Price,
            money(price_text, price, Qualifier::Exact, Some("share"), 300),
            s3,
            3,
        ));
    }
    let build_secs = built.elapsed().as_secs_f64();

    let texts = |id: &str| -> Option<String> {
        let i: usize = id.strip_prefix("art-")?.parse().ok()?;
        let own = |k: usize| -> String {
            if news.is_empty() {
                synthetic_text(k as u64)
            } else {
                news[k % news.len()].clone()
            }
        };
        if i < base {
            return Some(own(i));
        }
        let mut r = Rng(i as u64 * 977);
        if r.below(10) < 3 {
            Some(format!("WIRE (Outlet copy) - {}", own(i % base)))
        } else {
            let a = own(i % base);
            let b = own((i * 7919 + 13) % base);
            let cut_a = a
                .char_indices()
                .nth(a.chars().count() / 2)
                .map_or(0, |(p, _)| p);
            let cut_b = b
                .char_indices()
                .nth(b.chars().count() / 2)
                .map_or(0, |(p, _)| p);
            Some(format!("{} {}", &b[cut_b..], &a[..cut_a]))
        }
    };

    let before = peak_memory();
    let started = Instant::now();
    let findings = check(&claims, &texts, &table, &CheckOptions::default());
    let secs = started.elapsed().as_secs_f64();
    let count = |t: FindingType| findings.iter().filter(|f| f.finding_type == t).count();
    let counts = [
        count(FindingType::Contradiction),
        count(FindingType::Corroboration),
        count(FindingType::Update),
        count(FindingType::Dispute),
    ];
    drop(findings);
    println!(
        "articles: {articles}, claims: {}, stories: {stories} (claims built in {build_secs:.2} s)",
        claims.len()
    );
    println!(
        "check: {secs:.2} s wall; findings: {} contradictions, {} corroborations, {} updates, {} disputes",
        counts[0], counts[1], counts[2], counts[3]
    );
    let peak = peak_memory();
    // The same run in two phases, to show where the time goes.
    let phase = Instant::now();
    let mut ids: Vec<&str> = claims.iter().map(|c| c.article_id.as_str()).collect();
    ids.dedup();
    let syndication = Syndication::build(ids.iter().filter_map(|id| texts(id).map(|t| (*id, t))));
    let synd_secs = phase.elapsed().as_secs_f64();
    let phase = Instant::now();
    let again = check_with(
        &claims,
        &syndication,
        &table,
        &NoRates,
        &CheckOptions::default(),
    );
    let compare_secs = phase.elapsed().as_secs_f64();
    println!(
        "phases: syndication {synd_secs:.2} s ({} texts), blocking and comparing {compare_secs:.2} s ({} findings)",
        syndication.len(),
        again.len()
    );
    println!("peak memory: {before} before the check (input claims), {peak} after it");
}

fn peak_memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
