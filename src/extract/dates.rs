//! Dates and periods: years ("in 2020"), quarters ("the first quarter", "Q1 2023"), months
//! ("in March", "March 2023", "Feb 26") and relative periods ("last year", "this month",
//! "next quarter") resolved against the article's published date.

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use super::scan::SpanCaptures;
use super::CharMap;
use crate::model::DateMention;
use crate::rules::{RuleSet, RulesError};

/// A date mention with byte offsets (the extractor's internal form).
#[derive(Debug, Clone, PartialEq)]
pub struct DateHit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset, exclusive.
    pub end: usize,
    /// Year, when known.
    pub year: Option<i32>,
    /// Quarter 1-4.
    pub quarter: Option<u8>,
    /// Month 1-12.
    pub month: Option<u8>,
    /// Resolved against the published date.
    pub relative: bool,
}

impl DateHit {
    /// The public [`DateMention`] with character offsets.
    pub fn to_date(&self, text: &str, map: &CharMap) -> DateMention {
        DateMention {
            text: text.get(self.start..self.end).unwrap_or("").to_string(),
            start: map.char_of(text, self.start),
            end: map.char_of(text, self.end),
            year: self.year,
            quarter: self.quarter,
            month: self.month,
            relative: self.relative,
        }
    }
}

/// The article's published date as (year, month), from `YYYY-MM-DD` or an RFC 3339 date-time.
pub fn parse_published(published: Option<&str>) -> Option<(i32, u32)> {
    let text = published?.trim();
    let day = text.get(..10)?;
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some((date.year(), date.month()))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Words after which a bare month name is a date ("in May", "since March").
const MONTH_LEADS: &[&str] = &[
    "in", "since", "by", "until", "till", "through", "from", "of", "early", "late", "mid", "last",
    "next", "this", "before", "after", "during", "end", "until", "to",
];

/// Words after a four-digit number that show it is a quantity, not a year.
const QUANTITY_WORDS: &[&str] = &[
    "mln",
    "million",
    "billion",
    "bln",
    "dlrs",
    "dlr",
    "shares",
    "pct",
    "percent",
    "tonnes",
    "tons",
    "barrels",
    "bpd",
    "people",
    "jobs",
    "units",
    "cars",
    "employees",
    "points",
    "cts",
    "marks",
    "yen",
    "stg",
    "francs",
    "pounds",
    "euros",
    "ounces",
    "acres",
    "miles",
    "km",
];

/// Finds date mentions.
#[derive(Debug, Clone)]
pub struct DateExtractor {
    pattern: Regex,
    /// The same pattern, for anchored searches at the scan's date anchors.
    anchored: regex_automata::meta::Regex,
    /// Reads the groups of the pattern's matches.
    groups_reader: super::scan::GroupReader,
    /// Indices of the pattern's named groups.
    groups: Groups,
}

/// Indices of the date pattern's named groups.
#[derive(Debug, Clone)]
struct Groups {
    qword: usize,
    qyear: usize,
    qnum: usize,
    qnum2: usize,
    qyy: usize,
    qyy2: usize,
    month: usize,
    day: usize,
    myear: usize,
    rel: usize,
    relunit: usize,
    agounit: usize,
    year: usize,
}

/// Words (lower case) the date pattern can start with; the scan marks them as date anchors.
/// Keep in step with the pattern in [`DateExtractor::new`].
pub const ANCHOR_WORDS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "final",
    "last",
    "this",
    "next",
    "previous",
    "current",
    "past",
    "coming",
    "q",
    "year",
    "month",
    "quarter",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sept",
    "sep",
    "oct",
    "nov",
    "dec",
];

/// Words that start a quarter ("first quarter") or a relative date ("last year"), packed.
const QUARTER_OR_RELATIVE: [u128; 12] = super::scan::pack_words([
    "first", "second", "third", "fourth", "final", "last", "this", "next", "previous", "current",
    "past", "coming",
]);
/// Words that start "a year ago", "months earlier", packed.
const AGO_UNITS: [u128; 3] = super::scan::pack_words(["year", "month", "quarter"]);
/// "q", packed.
const Q: u128 = super::scan::pack_word("q");

/// Whether a date may start at the scan anchor `at`: what the pattern needs right after
/// each kind of start word, tested on a few bytes (a month name is capitalised, "Q" takes a
/// digit, "last" a unit, a digit "Q" or an ordinal, a year starts 19 or 20).
fn may_start(bytes: &[u8], at: usize) -> bool {
    let Some(&first) = bytes.get(at) else {
        return false;
    };
    let next = |i: usize| bytes.get(i).copied().unwrap_or(0);
    if first.is_ascii_digit() {
        let digits = bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        return match digits {
            1 => (b'1'..=b'4').contains(&first) && b"QsSnNrRtT".contains(&next(at + 1)),
            4 => matches!(&bytes[at..at + 2], b"19" | b"20"),
            _ => true,
        };
    }
    let Some((key, len)) = super::scan::word_key_at(bytes, at) else {
        return true;
    };
    let end = at + len;
    if QUARTER_OR_RELATIVE.contains(&key) {
        // "[- ]quarter" or "\s+(year|month|quarter)"
        let (after, skipped) = match next(end) {
            b'-' => (Some(next(end + 1)), 1),
            _ => super::scan::after_spaces(bytes, end),
        };
        return skipped > 0 && after.is_some_and(|b| b"yYmMqQ".contains(&b));
    }
    if AGO_UNITS.contains(&key) {
        // "\s+(ago|earlier)"
        let (after, skipped) = super::scan::after_spaces(bytes, end);
        return skipped > 0 && after.is_some_and(|b| b"aAeE".contains(&b));
    }
    if key == Q {
        return first == b'Q' && (b'1'..=b'4').contains(&next(at + 1));
    }
    // what is left of the pattern's start words are month names, matched capitalised
    first.is_ascii_uppercase()
}

/// The match of the date pattern at `at` when four digits starting 19 or 20 stand there:
/// `Some` of the year's span when it stands as a word, `Some` of an empty span (no match)
/// when a word byte touches it; `None` for anything else (the pattern decides).
fn bare_year_at(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let year = bytes.get(at..at + 4)?;
    if !matches!(&year[..2], b"19" | b"20") || !year[2..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let lone = (at == 0 || !word(bytes[at - 1])) && !bytes.get(at + 4).is_some_and(|&b| word(b));
    Some(if lone { (at, at + 4) } else { (at, at) })
}

/// Lengths of digit runs (bit per length) the date pattern can start with: one digit ("1Q",
/// "1st quarter") and four (a year).
pub const DIGIT_STARTS: u16 = (1 << 1) | (1 << 4);

impl DateExtractor {
    /// Builds the extractor. (Its vocabulary is fixed English calendar words; the examples
    /// live in `rules/dates/examples.tsv`.)
    pub fn new(_rules: &RuleSet) -> Result<DateExtractor, RulesError> {
        let source = concat!(
            r"(?-u)\b(?:",
            // quarters
            r"(?P<qword>(?i:first|second|third|fourth|final|last|this|next|previous|current|1st|2nd|3rd|4th))[- ](?i:quarter)(?:\s+(?i:of)\s+(?:(?i:fiscal)\s+)?(?P<qyear>(?:19|20)\d\d))?",
            r"|Q(?P<qnum>[1-4])(?:\s*(?:'|’)?(?P<qyy>(?:19|20)?\d\d))?",
            r"|(?P<qnum2>[1-4])Q(?:\s*(?P<qyy2>(?:19|20)\d\d))?",
            // months
            r"|(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?(?:\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?)?(?:,?\s+(?P<myear>(?:19|20)\d\d))?",
            // relative
            r"|(?P<rel>(?i:last|this|next|previous|past|coming|current))\s+(?P<relunit>(?i:year|month|quarter))",
            r"|(?P<agounit>(?i:year|month|quarter))\s+(?P<ago>(?i:ago|earlier))",
            // bare years
            r"|(?P<year>(?:19|20)\d\d)",
            r")\b"
        );
        let bad = |e: &dyn std::fmt::Display| RulesError::Bad {
            file: "extract/dates.rs".into(),
            line: 0,
            reason: format!("cannot build the date pattern: {e}"),
        };
        let pattern = Regex::new(source).map_err(|e| bad(&e))?;
        let anchored = regex_automata::meta::Regex::new(source).map_err(|e| bad(&e))?;
        let index = |name: &str| super::scan::group_index(&anchored, name);
        let groups = Groups {
            qword: index("qword"),
            qyear: index("qyear"),
            qnum: index("qnum"),
            qnum2: index("qnum2"),
            qyy: index("qyy"),
            qyy2: index("qyy2"),
            month: index("month"),
            day: index("day"),
            myear: index("myear"),
            rel: index("rel"),
            relunit: index("relunit"),
            agounit: index("agounit"),
            year: index("year"),
        };
        Ok(DateExtractor {
            pattern,
            groups_reader: super::scan::GroupReader::new(anchored.clone()),
            anchored,
            groups,
        })
    }

    /// Every date mention in `text`, with character offsets; `published` is the article's
    /// published date as (year, month).
    pub fn find(&self, text: &str, published: Option<(i32, u32)>) -> Vec<DateMention> {
        let map = CharMap::new(text);
        self.find_bytes(text, published)
            .iter()
            .map(|d| d.to_date(text, &map))
            .collect()
    }

    /// Every date mention in `text`, with byte offsets.
    pub fn find_bytes(&self, text: &str, published: Option<(i32, u32)>) -> Vec<DateHit> {
        let matches = self.pattern.find_iter(text).map(|m| (m.start(), m.end()));
        self.read_matches(text, published, matches)
    }

    /// Every date mention in `text`, with byte offsets, given the scan's date anchors (a
    /// superset of where a date can start, in text order): the same as
    /// [`DateExtractor::find_bytes`], without a pass of the pattern over the whole text.
    pub fn find_bytes_at(
        &self,
        text: &str,
        published: Option<(i32, u32)>,
        anchors: &[usize],
    ) -> Vec<DateHit> {
        let bytes = text.as_bytes();
        let mut free_from = 0;
        let matches = anchors.iter().filter_map(|&at| {
            if at < free_from || !may_start(bytes, at) {
                return None;
            }
            // Most anchors that get here are four digits starting 19 or 20 (`may_start`):
            // the pattern's only branch for them is the bare year, which needs no search.
            let found = match bare_year_at(bytes, at) {
                Some(found) => found,
                None => {
                    let input = regex_automata::Input::new(text)
                        .span(at..text.len())
                        .anchored(regex_automata::Anchored::Yes);
                    let found = self.anchored.search(&input)?;
                    (found.start(), found.end())
                }
            };
            if found.1 == found.0 {
                return None;
            }
            free_from = found.1;
            Some(found)
        });
        self.read_matches(text, published, matches)
    }

    fn read_matches(
        &self,
        text: &str,
        published: Option<(i32, u32)>,
        matches: impl Iterator<Item = (usize, usize)>,
    ) -> Vec<DateHit> {
        let mut out = Vec::with_capacity(16);
        for (start, end) in matches {
            let found = &text[start..end];
            // a bare year (most matches) needs no capture groups
            if found.len() == 4 && found.bytes().all(|b| b.is_ascii_digit()) {
                if looks_like_year(text, start, end) {
                    out.push(DateHit {
                        start,
                        end,
                        year: found.parse().ok(),
                        quarter: None,
                        month: None,
                        relative: false,
                    });
                }
                continue;
            }
            let Some(caps) = SpanCaptures::read(&self.groups_reader, text, start, end) else {
                continue;
            };
            let Some((whole_start, whole_end)) = caps.whole() else {
                continue;
            };
            let g = &self.groups;
            let mut hit = DateHit {
                start: whole_start,
                end: whole_end,
                year: None,
                quarter: None,
                month: None,
                relative: false,
            };
            if let Some(word) = caps.group(g.qword) {
                let word = word.to_ascii_lowercase();
                let explicit = caps.group(g.qyear).and_then(|y| y.parse().ok());
                match word.as_str() {
                    "first" | "1st" => hit.quarter = Some(1),
                    "second" | "2nd" => hit.quarter = Some(2),
                    "third" | "3rd" => hit.quarter = Some(3),
                    "fourth" | "4th" | "final" => hit.quarter = Some(4),
                    rel => {
                        if let Some((y, m)) = published {
                            let current = (m as i32 - 1) / 3;
                            let shift = match rel {
                                "last" | "previous" => -1,
                                "next" => 1,
                                _ => 0,
                            };
                            let index = y * 4 + current + shift;
                            hit.year = Some(index.div_euclid(4));
                            hit.quarter = Some((index.rem_euclid(4) + 1) as u8);
                            hit.relative = true;
                        }
                    }
                }
                if explicit.is_some() {
                    hit.year = explicit;
                    hit.relative = false;
                }
            } else if let Some(q) = caps.group(g.qnum).or_else(|| caps.group(g.qnum2)) {
                hit.quarter = q.parse().ok();
                hit.year = caps
                    .group(g.qyy)
                    .or_else(|| caps.group(g.qyy2))
                    .and_then(|y| y.parse::<i32>().ok())
                    .map(|y| if y < 100 { 2000 + y } else { y });
            } else if let Some(month) = caps.group(g.month) {
                let name = month;
                let Some(index) = MONTHS.iter().position(|m| m.starts_with(name)) else {
                    continue;
                };
                let full = MONTHS[index] == name;
                let has_day = caps.group(g.day).is_some();
                let explicit: Option<i32> = caps.group(g.myear).and_then(|y| y.parse().ok());
                let lead_ok = MONTH_LEADS.contains(
                    &previous_word(text, whole_start)
                        .to_ascii_lowercase()
                        .as_str(),
                );
                let plausible =
                    has_day || explicit.is_some() || (full && (name != "May" || lead_ok));
                if !plausible {
                    continue;
                }
                hit.month = Some(index as u8 + 1);
                match (explicit, published) {
                    (Some(y), _) => hit.year = Some(y),
                    (None, Some((y, m))) => {
                        // a month later in the year than publication is most often last year's
                        hit.year = Some(if (index as u32) < m { y } else { y - 1 });
                        hit.relative = true;
                    }
                    (None, None) => {}
                }
            } else if let Some(rel) = caps.group(g.rel) {
                let unit = caps.group(g.relunit).map(|u| u.to_ascii_lowercase());
                let shift = match rel.to_ascii_lowercase().as_str() {
                    "last" | "previous" | "past" => -1,
                    "next" | "coming" => 1,
                    _ => 0,
                };
                if let (Some(unit), Some(anchor)) = (unit, published) {
                    resolve_relative(&mut hit, &unit, shift, anchor);
                }
            } else if let Some(unit) = caps.group(g.agounit) {
                // "a year ago", "one month earlier": the article before the unit is required
                let article = previous_word(text, whole_start);
                if !matches!(article.to_ascii_lowercase().as_str(), "a" | "one") {
                    continue;
                }
                let before = text[..whole_start].trim_end_matches(' ');
                if !before.ends_with(article) {
                    continue;
                }
                hit.start = before.len() - article.len();
                if let Some(anchor) = published {
                    resolve_relative(&mut hit, &unit.to_ascii_lowercase(), -1, anchor);
                }
            } else if let Some((year_start, year_end)) = caps.group_span(g.year) {
                if !looks_like_year(text, year_start, year_end) {
                    continue;
                }
                hit.year = text[year_start..year_end].parse().ok();
            }
            out.push(hit);
        }
        out
    }
}

fn resolve_relative(hit: &mut DateHit, unit: &str, shift: i32, (y, m): (i32, u32)) {
    hit.relative = true;
    match unit {
        "year" => hit.year = Some(y + shift),
        "month" => {
            let index = y * 12 + (m as i32 - 1) + shift;
            hit.year = Some(index.div_euclid(12));
            hit.month = Some((index.rem_euclid(12) + 1) as u8);
        }
        _ => {
            let index = y * 4 + (m as i32 - 1) / 3 + shift;
            hit.year = Some(index.div_euclid(4));
            hit.quarter = Some((index.rem_euclid(4) + 1) as u8);
        }
    }
}

/// The ASCII word before byte `pos`.
fn previous_word(text: &str, pos: usize) -> &str {
    let mut from = pos.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text[from..pos].trim_end_matches([' ', '-']);
    let start = before
        .bytes()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    &before[start..]
}

/// Whether the four digits at `start..end` read as a year rather than a quantity or code.
fn looks_like_year(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    if let Some(&b) = start.checked_sub(1).and_then(|p| bytes.get(p)) {
        if matches!(b, b'$' | b'.' | b',' | b'#' | b'-' | b'/' | b'+') || b >= 0x80 {
            return false;
        }
    }
    if let Some(&b) = bytes.get(end) {
        if matches!(b, b'%' | b',' | b'.' | b'/' | b'-')
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            return false;
        }
        if b == b'%' {
            return false;
        }
    }
    let rest = text[end..].trim_start();
    let next: &str = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    !QUANTITY_WORDS.contains(&next.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_file_holds() {
        let rules = RuleSet::embedded();
        let dates = DateExtractor::new(&rules).expect("builds");
        let mut failures = Vec::new();
        for (line, fields) in rules.file("dates/examples.tsv").rows() {
            let [published, text, expected, year, quarter, month, relative] = fields[..] else {
                panic!("dates/examples.tsv:{line}: expected 7 fields");
            };
            let anchor = parse_published(Some(published).filter(|p| *p != "-"));
            let found = dates.find(text, anchor);
            let want = (
                expected.to_string(),
                year.parse::<i32>().ok(),
                quarter.parse::<u8>().ok(),
                month.parse::<u8>().ok(),
                relative == "yes",
            );
            let got = found
                .first()
                .map(|d| (d.text.clone(), d.year, d.quarter, d.month, d.relative));
            if expected == "-" {
                if !found.is_empty() {
                    failures.push(format!(
                        "line {line}: {text:?} should give nothing, gave {found:?}"
                    ));
                }
            } else if got.as_ref() != Some(&want) {
                failures.push(format!("line {line}: {text:?} gave {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn published_dates_parse() {
        assert_eq!(parse_published(Some("2023-03-24")), Some((2023, 3)));
        assert_eq!(
            parse_published(Some("2023-03-24T10:00:00Z")),
            Some((2023, 3))
        );
        assert_eq!(parse_published(Some("soon")), None);
        assert_eq!(parse_published(None), None);
    }
}
