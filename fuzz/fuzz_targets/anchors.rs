//! Any bytes, read as text: each rule family searched only at the scan's anchors must find
//! exactly what a full pass over the text finds.
#![no_main]

use std::sync::OnceLock;

use concord::extract::dates::DateExtractor;
use concord::extract::money::MoneyExtractor;
use concord::extract::parties::PartyExtractor;
use concord::extract::terms::TermExtractor;
use concord::extract::Extractor;
use concord::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

struct Families {
    all: Extractor,
    money: MoneyExtractor,
    dates: DateExtractor,
    terms: TermExtractor,
    parties: PartyExtractor,
}

fn families() -> &'static Families {
    static FAMILIES: OnceLock<Families> = OnceLock::new();
    FAMILIES.get_or_init(|| {
        let rules = RuleSet::embedded();
        let built = (|| {
            Ok::<_, concord::rules::RulesError>(Families {
                all: Extractor::new(&rules)?,
                money: MoneyExtractor::new(&rules)?,
                dates: DateExtractor::new(&rules)?,
                terms: TermExtractor::new(&rules)?,
                parties: PartyExtractor::new(&rules)?,
            })
        })();
        match built {
            Ok(families) => families,
            Err(e) => panic!("the built-in rules must load: {e}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let f = families();
    let anchors = f.all.scan(&text);
    assert_eq!(f.money.find_at_cues(&text, &anchors.cues), f.money.find(&text));
    let published = Some((2023, 3));
    assert_eq!(
        f.dates.find_bytes_at(&text, published, &anchors.dates),
        f.dates.find_bytes(&text, published)
    );
    assert_eq!(
        f.terms.find_bytes_at(&text, &anchors.terms),
        f.terms.find_bytes(&text)
    );
    let names = |hits: Vec<concord::extract::parties::PartyHit>| -> Vec<(usize, usize, String)> {
        hits.into_iter().map(|p| (p.start, p.end, p.name)).collect()
    };
    assert_eq!(
        names(f.parties.find_bytes_at(&text, &anchors.aliases, &anchors.names)),
        names(f.parties.find_bytes(&text, &[]))
    );
});
