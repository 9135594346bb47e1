//! Durations and contract terms: "five-and-a-half-year deal" (66 months), "an 18-month pact",
//! "a decade-long agreement", "multi-year", "over the course of the contract", "through 2030".
//! The words come from `rules/terms/lexicon.tsv`.

use std::collections::HashMap;

use regex::Regex;

use super::scan;
use super::CharMap;
use crate::model::Term;
use crate::rules::{RuleSet, RulesError};

/// Rule file this module reads.
pub const LEXICON: &str = "terms/lexicon.tsv";

/// A term with byte offsets (the extractor's internal form).
#[derive(Debug, Clone, PartialEq)]
pub struct TermHit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset, exclusive.
    pub end: usize,
    /// Length in months, when given.
    pub months: Option<u32>,
    /// Final year ("through 2030"), when given.
    pub until_year: Option<i32>,
    /// True for a reference to a deal's whole term ("over the course of the contract").
    pub reference: bool,
}

impl TermHit {
    /// The public [`Term`] with character offsets.
    pub fn to_term(&self, text: &str, map: &CharMap) -> Term {
        Term {
            text: text.get(self.start..self.end).unwrap_or("").to_string(),
            start: map.char_of(text, self.start),
            end: map.char_of(text, self.end),
            months: self.months,
            until_year: self.until_year,
        }
    }
}

/// Finds durations and contract terms.
#[derive(Debug, Clone)]
pub struct TermExtractor {
    pattern: Regex,
    /// The same pattern, for anchored searches at the scan's term anchors and for reading
    /// the groups of a match.
    anchored: regex_automata::meta::Regex,
    /// Reads the groups of the pattern's matches.
    groups_reader: super::scan::GroupReader,
    /// Indices of the pattern's capture groups.
    groups: Groups,
    /// Words (lower case) the pattern can start with; `None` when a lexicon word is not
    /// plain letters and hyphens, so that the scan cannot mark them (a full pass is used).
    anchor_words: Option<Vec<String>>,
    numbers: rustc_hash::FxHashMap<String, u32>,
    units: rustc_hash::FxHashMap<String, u32>,
    deal_nouns: Vec<String>,
    /// What each word a term can start with (packed key) may begin: a phrase, a number, an
    /// article's term.
    starts: scan::KeyTable<StartWord>,
    /// The unit words (lower case) and "and" (of "and a half").
    unit_words: Vec<String>,
    /// The first bytes of `unit_words`, in both cases.
    unit_first: [bool; 256],
}

/// Indices of the term pattern's capture groups (see [`scan::group_index`]).
#[derive(Debug, Clone, Copy)]
struct Groups {
    num: usize,
    half: usize,
    art: usize,
    unit: usize,
    long: usize,
    reference: usize,
    year: usize,
}

/// What a word a term can start with may begin.
#[derive(Debug, Clone, Default)]
struct StartWord {
    /// The first word of an open, reference or until phrase, with the bytes that may follow
    /// it after white space (`None`: anything may follow).
    phrase: Option<Option<Box<[bool; 256]>>>,
    /// A number word.
    number: bool,
    /// "a" or "an".
    article: bool,
}

fn alternation(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    sorted
        .iter()
        .map(|w| {
            regex::escape(w)
                .replace("\\-", "[- ]?")
                .replace(' ', r"\s+")
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The words a lexicon phrase can start with in text: its first word, and, since a hyphen
/// may be left out ("multiyear"), that word's hyphen-joined parts run together. `None` when
/// a part is not plain ASCII letters.
fn first_words(phrase: &str) -> Option<Vec<String>> {
    let first = phrase.split(' ').next().unwrap_or("");
    let mut words = Vec::new();
    let mut joined = String::new();
    for part in first.split('-') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        joined.push_str(part);
        words.push(joined.clone());
    }
    Some(words)
}

/// The first words of the open, reference and until phrases (sorted), each with the bytes
/// that may come after it and white space: the first byte of the phrase's next word, or for
/// a one-word phrase what the pattern puts after it (a determiner after a reference, a year
/// after an until word); `None` for the open phrases and hyphenated first words, which the
/// pattern may join to what follows.
fn phrase_starts(
    open: &[String],
    reference: &[String],
    until: &[String],
) -> Vec<(u128, Option<Box<[bool; 256]>>)> {
    let mut starts: HashMap<String, Option<Box<[bool; 256]>>> = HashMap::new();
    let any = |starts: &mut HashMap<_, _>, phrase: &str| {
        for word in first_words(phrase).unwrap_or_default() {
            starts.insert(word, None);
        }
    };
    for phrase in open {
        any(&mut starts, phrase);
    }
    for (phrases, after_last) in [(reference, "tiaTIA"), (until, "12")] {
        for phrase in phrases {
            let mut words = phrase.split(' ');
            let first = words.next().unwrap_or("");
            if first.contains('-') {
                any(&mut starts, phrase);
                continue;
            }
            let entry = starts
                .entry(first.to_string())
                .or_insert_with(|| Some(Box::new([false; 256])));
            if let Some(allowed) = entry {
                let follow: Vec<u8> = match words.next().and_then(|w| w.bytes().next()) {
                    Some(b) => vec![b.to_ascii_lowercase(), b.to_ascii_uppercase()],
                    None => after_last.bytes().collect(),
                };
                for b in follow {
                    allowed[usize::from(b)] = true;
                }
            }
        }
    }
    let mut sorted: Vec<_> = starts
        .into_iter()
        .map(|(word, allowed)| (scan::pack_word(&word), allowed))
        .collect();
    sorted.sort_unstable_by_key(|entry| entry.0);
    sorted
}

impl TermExtractor {
    /// Builds the extractor from `rules/terms/lexicon.tsv`.
    pub fn new(rules: &RuleSet) -> Result<TermExtractor, RulesError> {
        let file = rules.file(LEXICON);
        let mut numbers = rustc_hash::FxHashMap::default();
        let mut units = rustc_hash::FxHashMap::default();
        let (mut open, mut reference, mut deal, mut until) = (vec![], vec![], vec![], vec![]);
        for (line, fields) in file.rows() {
            let category = fields.first().copied().unwrap_or("");
            let word = fields.get(1).map(|w| w.to_lowercase()).unwrap_or_default();
            if word.is_empty() {
                return Err(file.bad(line, "expected `category | words [| value]`"));
            }
            let value = || -> Result<u32, RulesError> {
                fields
                    .get(2)
                    .and_then(|v| v.parse::<u32>().ok())
                    .ok_or_else(|| file.bad(line, "expected a whole-number value"))
            };
            match category {
                "number" => {
                    numbers.insert(word, value()?);
                }
                "unit" => {
                    units.insert(word, value()?);
                }
                "open" => open.push(word),
                "reference" => reference.push(word),
                "deal" => deal.push(word),
                "until" => until.push(word),
                other => return Err(file.bad(line, format!("unknown category `{other}`"))),
            }
        }
        let number_words: Vec<String> = numbers.keys().cloned().collect();
        let unit_words: Vec<String> = units.keys().cloned().collect();
        let num = alternation(&number_words);
        let unit = alternation(&unit_words);
        let source = format!(
            r"(?i-u)\b(?:(?P<num>(?:{num})(?:-(?:{num}))?|\d{{1,3}}(?:\.\d)?)(?P<half>[- ]and[- ]a[- ]half)?[- ]|(?P<art>an?)\s+)(?P<unit>{unit})s?(?P<long>-long)?\b|\b(?P<open>{open})\b|\b(?P<ref>{reference})\s+(?:the|its|their|this|that|a)\s+(?:{deal})s?\b|\b(?P<until>{until})\s+(?P<year>(?:19|20)\d\d)\b",
            open = alternation(&open),
            reference = alternation(&reference),
            deal = alternation(&deal),
            until = alternation(&until),
        );
        let pattern = Regex::new(&source)
            .map_err(|e| file.bad(0, format!("cannot build the term pattern: {e}")))?;
        let anchored = regex_automata::meta::Regex::new(&source)
            .map_err(|e| file.bad(0, format!("cannot build the term pattern: {e}")))?;
        let index = |name: &str| scan::group_index(&anchored, name);
        let groups = Groups {
            num: index("num"),
            half: index("half"),
            art: index("art"),
            unit: index("unit"),
            long: index("long"),
            reference: index("ref"),
            year: index("year"),
        };
        // The pattern starts with a number word, a digit, "a"/"an", or the first word of an
        // open, reference or until phrase.
        let starts = number_words
            .iter()
            .chain(&open)
            .chain(&reference)
            .chain(&until)
            .map(|w| first_words(w))
            .chain([Some(vec!["a".to_string(), "an".to_string()])])
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|lists| lists.into_iter().flatten().collect());
        let mut start_words: HashMap<u128, StartWord> = HashMap::new();
        for (key, allowed) in phrase_starts(&open, &reference, &until) {
            start_words.entry(key).or_default().phrase = Some(allowed);
        }
        for word in &number_words {
            start_words.entry(scan::pack_word(word)).or_default().number = true;
        }
        for word in ["a", "an"] {
            start_words
                .entry(scan::pack_word(word))
                .or_default()
                .article = true;
        }
        let mut unit_words = unit_words;
        unit_words.push("and".to_string());
        let mut unit_first = [false; 256];
        for b in unit_words.iter().filter_map(|u| u.bytes().next()) {
            unit_first[usize::from(b.to_ascii_lowercase())] = true;
            unit_first[usize::from(b.to_ascii_uppercase())] = true;
        }
        Ok(TermExtractor {
            pattern,
            groups_reader: super::scan::GroupReader::new(anchored.clone()),
            anchored,
            groups,
            anchor_words: starts,
            numbers,
            units,
            deal_nouns: deal,
            starts: scan::KeyTable::new(start_words.into_iter().collect()),
            unit_words,
            unit_first,
        })
    }

    /// Nouns that name a deal ("deal", "contract", ...), lower case.
    pub fn deal_nouns(&self) -> &[String] {
        &self.deal_nouns
    }

    /// Every term in `text`, with character offsets.
    pub fn find(&self, text: &str) -> Vec<Term> {
        let map = CharMap::new(text);
        self.find_bytes(text)
            .iter()
            .map(|t| t.to_term(text, &map))
            .collect()
    }

    /// Words (lower case) a term can start with, for the scan; `None` when the lexicon has
    /// a word the scan cannot mark (then use [`TermExtractor::find_bytes`]).
    pub fn anchor_words(&self) -> Option<&[String]> {
        self.anchor_words.as_deref()
    }

    /// The bytes that may stand first after the start word `word` and any white space
    /// (`None`: anything may follow): what the scan checks before it keeps the word as an
    /// anchor, a superset of what [`TermExtractor::may_start`] accepts there.
    pub fn follow_bytes(&self, word: &str) -> Option<[bool; 256]> {
        let start = self.starts.get(scan::pack_word(word))?;
        let mut follow = [false; 256];
        if let Some(phrase) = &start.phrase {
            let allowed = phrase.as_ref()?;
            for (slot, &ok) in follow.iter_mut().zip(allowed.iter()) {
                *slot |= ok;
            }
        }
        if start.number || start.article {
            // a unit, "and" (of "and a half"), or for a number "-" and anything after it
            for (slot, &ok) in follow.iter_mut().zip(self.unit_first.iter()) {
                *slot |= ok;
            }
        }
        if start.number {
            follow[usize::from(b'-')] = true;
        }
        Some(follow)
    }

    /// Lengths of digit runs (bit per length) a term can start with ("18-month", "1.5-year").
    pub const DIGIT_STARTS: u16 = (1 << 1) | (1 << 2) | (1 << 3);

    /// Every term in `text`, with byte offsets.
    pub fn find_bytes(&self, text: &str) -> Vec<TermHit> {
        let matches = self.pattern.find_iter(text).map(|m| (m.start(), m.end()));
        self.read_matches(text, matches)
    }

    /// Every term in `text`, with byte offsets, given the scan's term anchors (a superset of
    /// where a term can start, in text order): the same as [`TermExtractor::find_bytes`],
    /// without a pass of the pattern over the whole text.
    pub fn find_bytes_at(&self, text: &str, anchors: &[usize]) -> Vec<TermHit> {
        let may_start = |bytes: &[u8], at: usize| self.may_start(bytes, at);
        let matches = super::scan::anchored_matches(&self.anchored, text, anchors, may_start);
        self.read_matches(text, matches)
    }

    /// Whether a term may start at the scan anchor `at`, by what the pattern needs right
    /// after a number ("[- ]" then a unit or "and a half"), an article ("\\s+" then a
    /// unit) or the first word of a phrase (its next word, or the year after "through").
    fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        let Some(&first) = bytes.get(at) else {
            return false;
        };
        let next = |i: usize| bytes.get(i).copied().unwrap_or(0);
        if first.is_ascii_digit() {
            let mut end = at
                + bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            if next(end) == b'.' && next(end + 1).is_ascii_digit() {
                end += 2;
            }
            return matches!(next(end), b'-' | b' ') && self.unit_at(bytes, end + 1);
        }
        let Some((key, len)) = scan::word_key_at(bytes, at) else {
            return true;
        };
        let end = at + len;
        let Some(start) = self.starts.get(key) else {
            return false;
        };
        if let Some(phrase) = &start.phrase {
            let Some(allowed) = phrase else {
                return true;
            };
            let (after, skipped) = super::scan::after_spaces(bytes, end);
            if skipped > 0 && after.is_some_and(|b| allowed[usize::from(b)]) {
                return true;
            }
        }
        if start.number {
            // "-" then another number, "and a half" or a unit; " " then one of the last two
            let ok = match next(end) {
                b'-' => next(end + 1).is_ascii_alphabetic(),
                b' ' => self.unit_at(bytes, end + 1),
                _ => false,
            };
            if ok {
                return true;
            }
        }
        if start.article {
            let (_, skipped) = super::scan::after_spaces(bytes, end);
            if skipped > 0 && self.unit_at(bytes, end + skipped) {
                return true;
            }
        }
        false
    }

    /// Whether a unit word (or "and") starts at `at`, in any case.
    fn unit_at(&self, bytes: &[u8], at: usize) -> bool {
        let rest = bytes.get(at..).unwrap_or(&[]);
        if !rest
            .first()
            .is_some_and(|&b| self.unit_first[usize::from(b)])
        {
            return false;
        }
        self.unit_words
            .iter()
            .any(|u| rest.len() >= u.len() && rest[..u.len()].eq_ignore_ascii_case(u.as_bytes()))
    }

    fn read_matches(
        &self,
        text: &str,
        matches: impl Iterator<Item = (usize, usize)>,
    ) -> Vec<TermHit> {
        let mut out = Vec::new();
        let g = self.groups;
        for (start, end) in matches {
            let Some(caps) = scan::SpanCaptures::read(&self.groups_reader, text, start, end) else {
                continue;
            };
            let Some((start, end)) = caps.whole() else {
                continue;
            };
            let mut hit = TermHit {
                start,
                end,
                months: None,
                until_year: None,
                reference: false,
            };
            if let Some(unit) = caps.group(g.unit) {
                let unit_months = self.units.get(&unit.to_lowercase()).copied().unwrap_or(12);
                let long = caps.group_span(g.long).is_some();
                if let Some((_, article_end)) = caps.group_span(g.art) {
                    // "a decade-long", "a year-long": the article counts as one only with
                    // "-long" or "decade" ("once a year" is a rate, not a term)
                    let is_decade = unit_months >= 120;
                    if !long && !is_decade {
                        continue;
                    }
                    hit.start = article_end;
                    while text.as_bytes().get(hit.start) == Some(&b' ') {
                        hit.start += 1;
                    }
                    hit.months = Some(unit_months);
                } else if let Some(num) = caps.group(g.num) {
                    let Some(count_tenths) = self.count_tenths(num) else {
                        continue;
                    };
                    let half = if caps.group_span(g.half).is_some() {
                        5
                    } else {
                        0
                    };
                    let total = (count_tenths + half) * u64::from(unit_months);
                    if total == 0 || total % 10 != 0 {
                        continue;
                    }
                    hit.months = u32::try_from(total / 10).ok();
                }
            } else if caps.group_span(g.reference).is_some() {
                hit.reference = true;
            } else if let Some(year) = caps.group(g.year) {
                hit.until_year = year.parse().ok();
            }
            out.push(hit);
        }
        out
    }

    /// A count in tenths ("five" → 50, "1.5" → 15, "twenty-five" → 250).
    fn count_tenths(&self, words: &str) -> Option<u64> {
        let lower = words.to_ascii_lowercase();
        if lower.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            let value: f64 = lower.parse().ok()?;
            return Some((value * 10.0).round() as u64);
        }
        let mut total = 0u64;
        for part in lower.split('-') {
            total += u64::from(*self.numbers.get(part)?);
        }
        Some(total * 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extractor() -> TermExtractor {
        TermExtractor::new(&RuleSet::embedded()).expect("embedded rules build")
    }

    #[test]
    fn examples_file_holds() {
        let rules = RuleSet::embedded();
        let terms = extractor();
        let mut failures = Vec::new();
        for (line, fields) in rules.file("terms/examples.tsv").rows() {
            let [text, expected, months, until] = fields[..] else {
                panic!("terms/examples.tsv:{line}: expected 4 fields");
            };
            let found = terms.find(text);
            let want_months: Option<u32> = months.parse().ok();
            let want_until: Option<i32> = until.parse().ok();
            match found.first() {
                Some(t)
                    if t.text == expected
                        && t.months == want_months
                        && t.until_year == want_until => {}
                other => failures.push(format!("line {line}: {text:?} gave {other:?}")),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn rates_are_not_terms() {
        assert!(extractor().find("It pays $5 million a year.").is_empty());
    }

    #[test]
    fn char_offsets() {
        let t = extractor().find("Café’s five-year deal");
        assert_eq!(t[0].start, 7);
        assert_eq!(t[0].text, "five-year");
    }
}
