//! Extract: money, parties, terms, dates and claims from article text, by rules.

pub mod claims;
pub mod dates;
pub mod money;
pub mod numbers;
pub mod parties;
pub mod scan;
pub mod sentences;
pub mod terms;

use crate::model::{Article, Extraction, Money};
use crate::rules::{RuleSet, RulesError};

/// All extractors, built once from the rules and shared across articles and threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    /// One scan for every family's anchors (see [`scan`]).
    scanner: scan::Scanner,
    /// Whether the term and party anchors of the scan can be used (their lexicons hold
    /// only words the scan can mark); when not, those families read the whole text.
    terms_anchored: bool,
    parties_anchored: bool,
    money: money::MoneyExtractor,
    parties: std::sync::Arc<parties::PartyExtractor>,
    terms: terms::TermExtractor,
    dates: dates::DateExtractor,
    claims: claims::ClaimExtractor,
}

impl Extractor {
    /// Builds every extractor from the loaded rules.
    pub fn new(rules: &RuleSet) -> Result<Extractor, RulesError> {
        let money = money::MoneyExtractor::new(rules)?;
        let parties = std::sync::Arc::new(parties::PartyExtractor::new(rules)?);
        let terms = terms::TermExtractor::new(rules)?;
        let mut scanner = money.scanner().clone();
        for word in dates::ANCHOR_WORDS {
            scanner.add_word(word, scan::DATE);
        }
        let terms_anchored = terms.anchor_words().is_some_and(|words| {
            words
                .iter()
                .all(|w| scanner.add_term_word(w, terms.follow_bytes(w).as_ref()))
        });
        scanner.set_digit_starts(scan::DigitStarts {
            dates: dates::DIGIT_STARTS,
            terms: terms::TermExtractor::DIGIT_STARTS,
        });
        let party_words = parties.scan_words();
        let parties_anchored = party_words.is_some();
        if let Some(words) = party_words {
            for alias in &words.alias_words {
                scanner.add_alias_word(&alias.word, alias.offset, alias.case, &alias.follow);
            }
            let gate = words.name_cues.as_ref().is_some_and(|cues| {
                cues.iter().all(|(word, upper_only)| {
                    let flag = if *upper_only {
                        scan::NAME_CUE_UPPER
                    } else {
                        scan::NAME_CUE
                    };
                    scanner.add_word(word, flag)
                })
            });
            scanner.want_names(words.alias_digits, words.alias_long, gate);
        }
        scanner.finish();
        Ok(Extractor {
            scanner,
            terms_anchored,
            parties_anchored,
            money,
            parties,
            terms,
            dates: dates::DateExtractor::new(rules)?,
            claims: claims::ClaimExtractor::new(rules)?,
        })
    }

    /// Where each family may match in `text` (the one scan [`Extractor::extract`] starts
    /// with).
    pub fn scan(&self, text: &str) -> scan::Anchors {
        let mut anchors = scan::Anchors::default();
        self.scanner.scan(text, &mut anchors);
        anchors
    }

    /// The party extractor (alias table, parent/unit relations).
    pub fn parties(&self) -> &parties::PartyExtractor {
        &self.parties
    }

    /// The party extractor, shared (for the alias lookups of a store writer).
    pub fn shared_parties(&self) -> std::sync::Arc<parties::PartyExtractor> {
        self.parties.clone()
    }

    /// Extracts everything from one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        with_anchors(|anchors| {
            let text = article.text.as_str();
            self.scanner.scan(text, anchors);
            let money = self.money.find_at_cues(text, &anchors.cues);
            self.extract_scanned(article, money, anchors)
        })
    }

    /// Extracts everything from one article, given its money mentions (character offsets,
    /// in text order) found elsewhere.
    pub fn extract_with_money(&self, article: &Article, money: Vec<Money>) -> Extraction {
        with_anchors(|anchors| {
            self.scanner.scan(&article.text, anchors);
            self.extract_scanned(article, money, anchors)
        })
    }

    fn extract_scanned(
        &self,
        article: &Article,
        money: Vec<Money>,
        anchors: &scan::Anchors,
    ) -> Extraction {
        let text = article.text.as_str();
        let map = CharMap::new(text);
        // sentences frame the claims, and claims need an amount
        let sentences = if money.is_empty() {
            Vec::new()
        } else {
            sentences::split(text)
        };
        let parties = if self.parties_anchored {
            self.parties
                .find_bytes_at(text, &anchors.aliases, &anchors.names)
        } else {
            self.parties.find_bytes(text, &sentences)
        };
        let terms = if self.terms_anchored {
            self.terms.find_bytes_at(text, &anchors.terms)
        } else {
            self.terms.find_bytes(text)
        };
        let anchor = dates::parse_published(article.published.as_deref());
        let dates = self.dates.find_bytes_at(text, anchor, &anchors.dates);
        let input = claims::ClaimInput {
            article_id: &article.id,
            text,
            map: &map,
            sentences: &sentences,
            money: &money,
            parties: &parties,
            terms: &terms,
            dates: &dates,
        };
        let claims = self.claims.find(&input, &self.parties);
        Extraction {
            parties: parties
                .into_iter()
                .map(|p| p.into_party(text, &map))
                .collect(),
            terms: terms.iter().map(|t| t.to_term(text, &map)).collect(),
            dates: dates.iter().map(|d| d.to_date(text, &map)).collect(),
            money,
            claims,
        }
    }
}

/// Runs `f` with this thread's scan scratch (its lists keep their room from one article to
/// the next), or with fresh lists should the scratch be in use.
fn with_anchors<T>(f: impl FnOnce(&mut scan::Anchors) -> T) -> T {
    thread_local! {
        static ANCHORS: std::cell::RefCell<scan::Anchors> =
            std::cell::RefCell::new(scan::Anchors::default());
    }
    ANCHORS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut anchors) => {
            let result = f(&mut anchors);
            if anchors.is_large() {
                *anchors = scan::Anchors::default();
            }
            result
        }
        Err(_) => f(&mut scan::Anchors::default()),
    })
}

/// Converts between byte offsets and character offsets of one text, in O(1) for ASCII text
/// and O(64) per lookup otherwise (a checkpoint every 64 bytes / 64 characters).
#[derive(Debug, Clone)]
pub struct CharMap {
    ascii: bool,
    len_bytes: usize,
    len_chars: usize,
    /// char count before byte `64 * i` (rounded down to a char boundary)
    chars_at_block: Vec<usize>,
    /// byte offset of char `64 * i`
    bytes_at_char_block: Vec<usize>,
    text_ptr_len: usize,
}

const BLOCK: usize = 64;

impl CharMap {
    /// Builds the map for `text`.
    pub fn new(text: &str) -> CharMap {
        let ascii = text.is_ascii();
        let mut map = CharMap {
            ascii,
            len_bytes: text.len(),
            len_chars: text.len(),
            chars_at_block: Vec::new(),
            bytes_at_char_block: Vec::new(),
            text_ptr_len: text.len(),
        };
        if ascii {
            return map;
        }
        // character starts are the bytes that are not continuation bytes (0x80..=0xBF)
        let is_start = |b: &u8| (*b as i8) >= -0x40;
        let mut chars = 0usize;
        for (block, chunk) in text.as_bytes().chunks(BLOCK).enumerate() {
            map.chars_at_block.push(chars);
            let starts = chunk.iter().filter(|b| is_start(b)).count();
            // the next character whose index is a multiple of BLOCK, if it starts here
            let mark = chars.div_ceil(BLOCK) * BLOCK;
            if mark < chars + starts && starts == chunk.len() {
                // one byte per character here: the mark is `mark - chars` bytes in
                map.bytes_at_char_block.push(block * BLOCK + (mark - chars));
            } else if mark < chars + starts {
                let mut seen = chars;
                for (offset, b) in chunk.iter().enumerate() {
                    if is_start(b) {
                        if seen == mark {
                            map.bytes_at_char_block.push(block * BLOCK + offset);
                            break;
                        }
                        seen += 1;
                    }
                }
            }
            chars += starts;
        }
        map.len_chars = chars;
        map
    }

    /// Character offset of byte offset `byte` (clamped; rounds down inside a character).
    pub fn char_of(&self, text: &str, byte: usize) -> usize {
        if self.ascii || text.len() != self.text_ptr_len {
            return byte.min(self.len_bytes);
        }
        if byte >= self.len_bytes {
            return self.len_chars;
        }
        let mut at = byte;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let block = at / BLOCK;
        let mut b = block * BLOCK;
        while !text.is_char_boundary(b) {
            b += 1;
        }
        let chars = self.chars_at_block.get(block).copied().unwrap_or(0);
        if b > at {
            // the character holding `at` straddles the block start
            return chars.saturating_sub(1);
        }
        chars + text.get(b..at).map(|s| s.chars().count()).unwrap_or(0)
    }

    /// Byte offset of character offset `ch` (clamped to the text length).
    pub fn byte_of(&self, text: &str, ch: usize) -> usize {
        if self.ascii || text.len() != self.text_ptr_len {
            return ch.min(self.len_bytes);
        }
        if ch >= self.len_chars {
            return self.len_bytes;
        }
        let block = ch / BLOCK;
        let base = self.bytes_at_char_block.get(block).copied().unwrap_or(0);
        let skip = ch - block * BLOCK;
        match text.get(base..).and_then(|s| s.char_indices().nth(skip)) {
            Some((off, _)) => base + off,
            None => self.len_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn extractor() -> &'static Extractor {
        static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
        EXTRACTOR.get_or_init(|| match Extractor::new(&RuleSet::embedded()) {
            Ok(x) => x,
            Err(e) => panic!("embedded rules do not build: {e}"),
        })
    }

    /// Words and pieces that start, end or nearly make dates, terms, money and names.
    const VOCAB: &[&str] = &[
        "first",
        "quarter",
        "Q1",
        "Q4",
        "2Q",
        "1st",
        "4th",
        "of",
        "fiscal",
        "2020",
        "1999",
        "20",
        "'21",
        "March",
        "May",
        "may",
        "Sept",
        "Dec.",
        "26th",
        "last",
        "this",
        "next",
        "year",
        "years",
        "month",
        "ago",
        "earlier",
        "a",
        "an",
        "one",
        "five",
        "twenty",
        "and",
        "half",
        "18",
        "1.5",
        "decade",
        "long",
        "multi",
        "year-long",
        "through",
        "over",
        "the",
        "course",
        "contract",
        "deal",
        "$",
        "US$",
        "70",
        "million",
        "dlrs",
        "mln",
        "€",
        "USD",
        "MUSD",
        "43c",
        "Amazon",
        "Web",
        "Services",
        "AWS",
        "Twitter",
        "Google",
        "Cloud",
        "Acme",
        "Corp",
        "Inc",
        "Mr",
        "Musk",
        "said",
        "X",
        "eBay",
        "3M",
        "é",
        "Ünited",
        "yearly",
        "x2020",
        "_",
        "Q",
        "S.A.",
        "Coca",
        "Cola",
        "&",
        "T",
    ];
    const SEPARATORS: &[&str] = &[" ", " ", " ", "-", "", ",", "\n", "_", "’", ". ", "  "];

    fn text_from(pieces: &[(usize, usize)]) -> String {
        pieces
            .iter()
            .map(|&(w, s)| {
                format!(
                    "{}{}",
                    VOCAB[w % VOCAB.len()],
                    SEPARATORS[s % SEPARATORS.len()]
                )
            })
            .collect()
    }

    proptest! {
        /// The anchored searches at the scan's anchors find exactly what full passes find.
        #[test]
        fn anchored_families_match_full_passes(
            pieces in prop::collection::vec((0usize..1000, 0usize..1000), 0..60)
        ) {
            let text = text_from(&pieces);
            let x = extractor();
            let anchors = x.scan(&text);
            prop_assert_eq!(x.money.find_at_cues(&text, &anchors.cues), x.money.find(&text));
            let published = Some((2023, 3));
            prop_assert_eq!(
                x.dates.find_bytes_at(&text, published, &anchors.dates),
                x.dates.find_bytes(&text, published)
            );
            prop_assert!(x.terms_anchored && x.parties_anchored);
            prop_assert_eq!(x.terms.find_bytes_at(&text, &anchors.terms), x.terms.find_bytes(&text));
            let at: Vec<_> = x.parties.find_bytes_at(&text, &anchors.aliases, &anchors.names)
                .into_iter().map(|p| (p.start, p.end, p.name)).collect();
            let full: Vec<_> = x.parties.find_bytes(&text, &[])
                .into_iter().map(|p| (p.start, p.end, p.name)).collect();
            prop_assert_eq!(at, full);
        }
    }

    #[test]
    fn char_map_round_trips() {
        // dense non-ASCII text, and long ASCII stretches (whole blocks of one-byte
        // characters) with a rare wide character between them
        let texts = [
            "héllo – wörld ".repeat(40) + "end",
            ("a".repeat(150) + "é" + &"b".repeat(70) + "–" + &"c".repeat(63) + "😀").repeat(5),
        ];
        for text in texts {
            let map = CharMap::new(&text);
            for (ci, (bi, _)) in text.char_indices().enumerate() {
                assert_eq!(map.char_of(&text, bi), ci);
                assert_eq!(map.byte_of(&text, ci), bi);
            }
            assert_eq!(map.char_of(&text, text.len()), text.chars().count());
            assert_eq!(map.byte_of(&text, 10_000), text.len());
        }
    }

    #[test]
    fn char_map_ascii_is_identity() {
        let map = CharMap::new("plain");
        assert_eq!(map.char_of("plain", 3), 3);
        assert_eq!(map.byte_of("plain", 3), 3);
    }
}
