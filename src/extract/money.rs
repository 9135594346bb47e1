//! Money mentions: amounts with currencies, scales, qualifiers, ranges and rates.
//!
//! Lexicons live in `rules/money/`: `currencies.tsv` (symbols, ISO codes, words, minor
//! units), `scales.tsv` (million, bn, crore, ...), `qualifiers.tsv` (about, more than, ...,
//! range frames and change verbs), `rates.tsv` (per share, an hour, ...) and
//! `negatives.tsv` (weight, percentage and time cues).
//!
//! Conventions:
//! * A mention's span includes its qualifier words ("more than $5 million") and range frame
//!   ("between $5m and $7m"), and a rate's unit ("$3 per share").
//! * Every mention names a currency form; a bare figure is never money.
//! * `value` is the amount in the major unit (`None` for ranges and open bounds);
//!   `low`/`high` give the interval the words allow. Exact: both equal the value. Approx
//!   ("about"): a band of ±b% around the value, b from `qualifiers.tsv` (10% for every
//!   approx word shipped). At least: `[X, open)`, or `[X, X+b%]` when the word carries a
//!   band ("just over"). At most: `(open, X]`, or `[X-b%, X]` with a band ("nearly").
//!   Range: both ends.
//! * `currency` is `None` when the form does not tell ("francs", "dinars"); a bare "$" is
//!   USD, "pounds" GBP, "cents" USD, "pence" GBP.
//! * `per` is the canonical unit name from `rates.tsv` ("share", "hour", "barrel").
//! * "$1.2 million to $23.5 million" is one range; after a change verb ("rose from $5 to
//!   $7", "fell by 5 cts to 1.20 dlrs") the two figures are separate mentions.
//!
//! Speed: one byte scan for currency cues (symbols, currency words, codes) picks the
//! stretches of text worth reading; only those are tokenised and parsed, so text without a
//! cue costs one pass over its bytes.

use rust_decimal::Decimal;

use crate::extract::numbers;
use crate::extract::scan::{self, Anchors, Scanner};
use crate::model::{Money, Qualifier};
use crate::rules::{RuleFile, RuleSet, RulesError};

// lexicon keys are short and looked up on the hot path: Fx hashes them a word at a time
type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;
type HashSet<K> = rustc_hash::FxHashSet<K>;

/// Rule files this extractor reads.
const CURRENCIES: &str = "money/currencies.tsv";
const SCALES: &str = "money/scales.tsv";
const QUALIFIERS: &str = "money/qualifiers.tsv";
const RATES: &str = "money/rates.tsv";
const NEGATIVES: &str = "money/negatives.tsv";

/// Bytes of context read before and after a currency cue; a mention starts at most
/// `BEFORE_CUE` bytes before its currency.
const BEFORE_CUE: usize = 64;
const AFTER_CUE: usize = 32;
/// Longest token looked up in a lexicon; longer tokens match nothing.
const MAX_LEXICON_TOKEN: usize = 48;

/// How a currency form is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CurrencyKind {
    Symbol,
    Code,
    Word,
    Minor,
}

/// One row of `currencies.tsv`.
#[derive(Debug, Clone)]
struct CurrencyForm {
    iso: Option<String>,
    kind: CurrencyKind,
    before: bool,
    after: bool,
    attached: bool,
    weight: bool,
    article: bool,
    whole: bool,
    verbal: bool,
}

/// One row of `scales.tsv`.
#[derive(Debug, Clone)]
struct ScaleForm {
    multiplier: Decimal,
    attached: bool,
}

/// One row of `qualifiers.tsv`.
#[derive(Debug, Clone)]
enum QualifierForm {
    /// A hedge with its interval band in percent, and a word after the amount that
    /// cancels it.
    Hedge(Qualifier, Option<Decimal>, Option<String>),
    /// A range frame and the word joining its ends.
    Range(String),
}

/// A phrase lexicon over tokens: case-folded and exact-case entries, with all their
/// prefixes so a lookup stops as soon as no entry can match.
#[derive(Debug, Clone)]
struct PhraseMap<V> {
    /// The token flag marking words that start an entry (see [`TokenFlags`]).
    flag: u16,
    /// Case-folded first tokens of all entries.
    firsts: HashSet<String>,
    folded: HashMap<String, V>,
    exact: HashMap<String, V>,
    folded_prefixes: HashSet<String>,
    exact_prefixes: HashSet<String>,
    max_tokens: usize,
}

impl<V> PhraseMap<V> {
    fn new(flag: u16) -> Self {
        PhraseMap {
            flag,
            firsts: HashSet::default(),
            folded: HashMap::default(),
            exact: HashMap::default(),
            folded_prefixes: HashSet::default(),
            exact_prefixes: HashSet::default(),
            max_tokens: 0,
        }
    }

    /// Adds `form` (tokenised like text). Returns false if the form has no tokens.
    fn insert(&mut self, form: &str, exact: bool, value: V) -> bool {
        let text = if exact {
            form.to_string()
        } else {
            form.to_ascii_lowercase()
        };
        let mut toks = Vec::new();
        tokenize(&text, &mut toks);
        if toks.is_empty() {
            return false;
        }
        self.firsts
            .insert(text[toks[0].start..toks[0].end].to_ascii_lowercase());
        let mut key = String::new();
        let prefixes = if exact {
            &mut self.exact_prefixes
        } else {
            &mut self.folded_prefixes
        };
        for (k, tok) in toks.iter().enumerate() {
            if k > 0 && tok.space_before {
                key.push(' ');
            }
            key.push_str(&text[tok.start..tok.end]);
            prefixes.insert(key.clone());
        }
        self.max_tokens = self.max_tokens.max(toks.len());
        let map = if exact {
            &mut self.exact
        } else {
            &mut self.folded
        };
        map.insert(key, value);
        true
    }

    /// The longest entry starting at token `i`, with the number of tokens it takes.
    fn longest<'m>(
        &'m self,
        region: &Region<'_>,
        i: usize,
        buf: &mut String,
    ) -> Option<(&'m V, usize)> {
        if region.toks.get(i).is_none_or(|t| t.flags & self.flag == 0) {
            return None;
        }
        let mut best: Option<(&V, usize)> = None;
        let passes = [
            (region.folded, &self.folded, &self.folded_prefixes),
            (region.orig, &self.exact, &self.exact_prefixes),
        ];
        for (text, map, prefixes) in passes {
            if map.is_empty() {
                continue;
            }
            buf.clear();
            let last = (i + self.max_tokens).min(region.toks.len());
            for j in i..last {
                let tok = &region.toks[j];
                if tok.end - tok.start > MAX_LEXICON_TOKEN {
                    break;
                }
                if j > i {
                    if tok.para_before {
                        break;
                    }
                    if tok.space_before {
                        buf.push(' ');
                    }
                }
                buf.push_str(&text[tok.start..tok.end]);
                // Exact-case entries (second pass) win ties.
                if let Some(v) = map.get(buf.as_str()) {
                    if best.is_none_or(|(_, n)| j + 1 - i >= n) {
                        best = Some((v, j + 1 - i));
                    }
                }
                if !prefixes.contains(buf.as_str()) {
                    break;
                }
            }
        }
        best
    }
}

/// What kind of text a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    Num,
    Word,
    Punct,
}

/// A token of a region: byte offsets into the region.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    kind: TokKind,
    /// White space between this token and the previous one.
    space_before: bool,
    /// A blank line between this token and the previous one.
    para_before: bool,
    /// The figure, for a number token that parsed.
    num: Option<Decimal>,
    /// Whether the figure was written without a decimal point.
    whole: bool,
    /// Which lexicons this token may start an entry of ([`TokenFlags`]).
    flags: u16,
}

/// Bits of [`Tok::flags`]: set once per token from one lookup, so lexicon lookups that
/// cannot match cost a bit test.
struct TokenFlags;

impl TokenFlags {
    const CURRENCY: u16 = 1;
    const SCALE: u16 = 1 << 1;
    const QUALIFIER: u16 = 1 << 2;
    const RATE_CONNECTOR: u16 = 1 << 3;
    const RATE_UNIT: u16 = 1 << 4;
    const RATE_ALONE: u16 = 1 << 5;
    const PERCENT: u16 = 1 << 6;
    /// A number word, or "a"/"an".
    const NUMBER: u16 = 1 << 7;
    const MINUS: u16 = 1 << 8;
    /// An ISO code with a leading "M" for millions ("MGBP").
    const M_CODE: u16 = 1 << 9;
    const POST_QUALIFIER: u16 = 1 << 10;
}

/// Splits `text` into number, word and single-character punctuation tokens.
/// Lists [`MoneyExtractor::find_at_cues`] fills anew for each text, kept per thread so that
/// their room is reused.
#[derive(Debug, Default)]
struct Scratch {
    regions: Vec<(usize, usize)>,
    windows: Vec<(usize, usize)>,
    toks: Vec<Tok>,
    buf: String,
    folded: String,
}

fn tokenize(text: &str, out: &mut Vec<Tok>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut space = true;
    let mut newlines = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            space = true;
            if c == b'\n' {
                newlines += 1;
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut num = None;
        let mut whole = false;
        let kind = if c.is_ascii_digit() {
            match numbers::parse_digits(&text[i..]) {
                Some(parsed) => {
                    num = Some(parsed.value);
                    whole = parsed.whole;
                    i += parsed.len;
                }
                None => {
                    i += bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                }
            }
            TokKind::Num
        } else if c.is_ascii_alphabetic() || (c >= 0x80 && starts_letter(&text[i..])) {
            while i < bytes.len() {
                let b = bytes[i];
                if b.is_ascii_alphabetic() {
                    i += 1;
                } else if b >= 0x80 && starts_letter(&text[i..]) {
                    i += char_len(&text[i..]);
                } else {
                    break;
                }
            }
            TokKind::Word
        } else {
            i += char_len(&text[i..]);
            TokKind::Punct
        };
        out.push(Tok {
            start,
            end: i,
            kind,
            space_before: space,
            para_before: newlines >= 2,
            num,
            whole,
            flags: 0,
        });
        space = false;
        newlines = 0;
    }
}

fn starts_letter(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_alphabetic())
}

fn char_len(text: &str) -> usize {
    text.chars().next().map_or(1, char::len_utf8)
}

/// A stretch of the article being parsed.
struct Region<'r> {
    orig: &'r str,
    folded: &'r str,
    toks: &'r [Tok],
}

impl Region<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        let tok = self.toks.get(i)?;
        (tok.kind == TokKind::Word).then(|| &self.folded[tok.start..tok.end])
    }

    fn is_word(&self, i: usize, word: &str) -> bool {
        self.word(i) == Some(word)
    }

    fn is_punct(&self, i: usize, chars: &[char]) -> bool {
        self.toks.get(i).is_some_and(|tok| {
            tok.kind == TokKind::Punct
                && self.orig[tok.start..tok.end]
                    .chars()
                    .next()
                    .is_some_and(|c| chars.contains(&c))
        })
    }

    /// Token `i` touches the one before it.
    fn attached(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|tok| !tok.space_before)
    }

    /// Token `i` exists and is in the same paragraph as token `i - 1`.
    fn continues(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|tok| !tok.para_before)
    }
}

const DASHES: &[char] = &['-', '–', '—'];
const MINUS: &[char] = &['-', '−', '–'];
const CLOSING: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '"', '\''];

/// An amount as read, before qualifiers and ranges.
#[derive(Debug, Clone)]
struct Amount<'x> {
    start: usize,
    end: usize,
    number: Decimal,
    multiplier: Option<Decimal>,
    currency: Option<&'x CurrencyForm>,
    per: Option<String>,
}

impl Amount<'_> {
    fn value(&self) -> Option<Decimal> {
        match self.multiplier {
            Some(m) => self.number.checked_mul(m),
            None => Some(self.number),
        }
    }
}

/// Finds money mentions, with the lexicons of `rules/money/`.
#[derive(Debug, Clone)]
pub struct MoneyExtractor {
    /// The cue scan over money words alone (the combined scan of all families lives in
    /// [`crate::extract::Extractor`]).
    cues: Scanner,
    currencies: PhraseMap<CurrencyForm>,
    codes: HashMap<String, CurrencyForm>,
    scales: PhraseMap<ScaleForm>,
    qualifiers: PhraseMap<QualifierForm>,
    /// Hedges after the amount ("$70 million or more"), with their bands.
    post_qualifiers: PhraseMap<(Qualifier, Option<Decimal>)>,
    change_words: HashSet<String>,
    rate_connectors: PhraseMap<()>,
    rate_units: PhraseMap<String>,
    rate_alone: PhraseMap<String>,
    percent: PhraseMap<()>,
    weight_after: HashSet<String>,
    weight_before: HashSet<String>,
    money_after: HashSet<String>,
    not_rate_after: HashSet<String>,
    /// Lexicon flags of first tokens ([`TokenFlags`]).
    token_flags: HashMap<String, u16>,
}

fn field<'a>(
    file: &RuleFile,
    line: usize,
    fields: &[&'a str],
    i: usize,
    what: &str,
) -> Result<&'a str, RulesError> {
    fields
        .get(i)
        .copied()
        .filter(|f| !f.is_empty())
        .ok_or_else(|| file.bad(line, format!("missing column {}: {what}", i + 1)))
}

fn flags<'a>(fields: &[&'a str], i: usize) -> Vec<&'a str> {
    fields
        .get(i)
        .map(|f| {
            f.split(',')
                .map(str::trim)
                .filter(|f| !f.is_empty() && *f != "-")
                .collect()
        })
        .unwrap_or_default()
}

fn decimal(file: &RuleFile, line: usize, text: &str) -> Result<Decimal, RulesError> {
    text.parse::<Decimal>()
        .map_err(|_| file.bad(line, format!("not a number: {text:?}")))
}

impl MoneyExtractor {
    /// Builds the extractor from the loaded rules.
    pub fn new(rules: &RuleSet) -> Result<MoneyExtractor, RulesError> {
        let mut currencies = PhraseMap::new(TokenFlags::CURRENCY);
        let mut codes = HashMap::default();
        let mut cues = Scanner::default();

        let file = rules.file(CURRENCIES);
        // forms of one word of letters that cue in any case
        let plain_cue_words: std::collections::HashSet<String> = file
            .rows()
            .filter(|(_, fields)| {
                let (form, kind, flags) = (fields.first(), fields.get(2), fields.get(4));
                form.is_some_and(|f| f.len() >= 3 && f.bytes().all(|b| b.is_ascii_alphabetic()))
                    && !(kind == Some(&"code") && flags.is_some_and(|f| f.contains("cs")))
            })
            .filter_map(|(_, fields)| fields.first().map(|f| f.to_ascii_lowercase()))
            .collect();
        for (line, fields) in file.rows() {
            let form = field(file, line, &fields, 0, "form")?;
            let iso = field(file, line, &fields, 1, "ISO code or -")?;
            let iso = match iso {
                "-" => None,
                code if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) => {
                    Some(code.to_string())
                }
                other => return Err(file.bad(line, format!("bad ISO 4217 code {other:?}"))),
            };
            let kind = match field(file, line, &fields, 2, "kind")? {
                "symbol" => CurrencyKind::Symbol,
                "code" => CurrencyKind::Code,
                "word" => CurrencyKind::Word,
                "minor" => CurrencyKind::Minor,
                other => return Err(file.bad(line, format!("unknown kind {other:?}"))),
            };
            let (before, after) = match field(file, line, &fields, 3, "where")? {
                "pre" => (true, false),
                "post" => (false, true),
                "both" => (true, true),
                other => return Err(file.bad(line, format!("unknown position {other:?}"))),
            };
            let mut entry = CurrencyForm {
                iso,
                kind,
                before,
                after,
                attached: false,
                weight: false,
                article: false,
                whole: false,
                verbal: false,
            };
            let mut exact = false;
            for flag in flags(&fields, 4) {
                match flag {
                    "cs" => exact = true,
                    "attached" => entry.attached = true,
                    "weight" => entry.weight = true,
                    "article" => entry.article = true,
                    "whole" => entry.whole = true,
                    "verbal" => entry.verbal = true,
                    other => return Err(file.bad(line, format!("unknown flag {other:?}"))),
                }
            }
            if kind == CurrencyKind::Code {
                codes.insert(form.to_ascii_lowercase(), entry.clone());
            }
            if !currencies.insert(form, exact, entry) {
                return Err(file.bad(line, "empty form"));
            }
            let folded = form.to_ascii_lowercase();
            // The cue: a symbol character, else the longest run of letters, else the form
            // after a digit.
            let symbol: String = folded
                .chars()
                .filter(|c| !c.is_ascii_alphanumeric() && !matches!(c, ' ' | '.' | '-'))
                .collect();
            // a form of several words cues on a word that cues by itself ("dollars" in
            // "Canadian dollars"), so that the other words ("Canadian") need not
            let words = folded.split(|c: char| !c.is_ascii_alphabetic());
            let longest_word = words
                .clone()
                .filter(|w| plain_cue_words.contains(*w))
                .max_by_key(|w| w.len())
                .or_else(|| words.max_by_key(|w| w.len()))
                .unwrap_or("");
            let cue_flags = match kind {
                // a code matched in exact case cues only in capitals ("TRY", not "try")
                CurrencyKind::Code if exact && form.bytes().all(|b| b.is_ascii_uppercase()) => {
                    scan::MONEY_CUE_UPPER | scan::MONEY_CODE
                }
                CurrencyKind::Code => scan::MONEY_CUE | scan::MONEY_CODE,
                _ => scan::MONEY_CUE,
            };
            if !symbol.is_empty() {
                symbol.chars().for_each(|c| cues.add_symbol(c));
            } else if longest_word.len() >= 3 {
                if !cues.add_word(longest_word, cue_flags) {
                    return Err(file.bad(
                        line,
                        format!(
                            "currency word \"{longest_word}\" is longer than the {} letters \
                             the cue scan reads",
                            scan::MAX_WORD
                        ),
                    ));
                }
            } else {
                if before {
                    cues.add_word(longest_word, scan::MONEY_CUE);
                }
                if after {
                    cues.add_after_digit(&folded);
                }
            }
        }
        cues.finish();

        let mut scales = PhraseMap::new(TokenFlags::SCALE);
        let file = rules.file(SCALES);
        for (line, fields) in file.rows() {
            let form = field(file, line, &fields, 0, "form")?;
            let multiplier = decimal(file, line, field(file, line, &fields, 1, "multiplier")?)?;
            let mut entry = ScaleForm {
                multiplier,
                attached: false,
            };
            let mut exact = false;
            for flag in flags(&fields, 2) {
                match flag {
                    "cs" => exact = true,
                    "attached" => entry.attached = true,
                    other => return Err(file.bad(line, format!("unknown flag {other:?}"))),
                }
            }
            if !scales.insert(form, exact, entry) {
                return Err(file.bad(line, "empty form"));
            }
        }

        let mut qualifiers = PhraseMap::new(TokenFlags::QUALIFIER);
        let mut post_qualifiers = PhraseMap::new(TokenFlags::POST_QUALIFIER);
        let mut change_words = HashSet::default();
        let file = rules.file(QUALIFIERS);
        for (line, fields) in file.rows() {
            let phrase = field(file, line, &fields, 0, "phrase")?;
            let kind = field(file, line, &fields, 1, "kind")?;
            let band = fields.get(2).copied().unwrap_or("-");
            let band = match band {
                "-" | "" => None,
                b if kind == "range" => {
                    let _ = b;
                    None
                }
                b => Some(decimal(file, line, b)?),
            };
            let unless = fields
                .get(3)
                .filter(|w| !w.is_empty() && **w != "-")
                .map(|w| w.to_ascii_lowercase());
            let post = match kind {
                "post-approx" => Some(Qualifier::Approx),
                "post-atleast" => Some(Qualifier::AtLeast),
                "post-atmost" => Some(Qualifier::AtMost),
                _ => None,
            };
            if let Some(q) = post {
                if !post_qualifiers.insert(phrase, false, (q, band)) {
                    return Err(file.bad(line, "empty phrase"));
                }
                continue;
            }
            let entry = match kind {
                "approx" => QualifierForm::Hedge(Qualifier::Approx, band, unless),
                "atleast" => QualifierForm::Hedge(Qualifier::AtLeast, band, unless),
                "atmost" => QualifierForm::Hedge(Qualifier::AtMost, band, unless),
                "exact" => QualifierForm::Hedge(Qualifier::Exact, None, unless),
                "range" => QualifierForm::Range(
                    field(file, line, &fields, 2, "joining word")?.to_ascii_lowercase(),
                ),
                "change" => {
                    change_words.insert(phrase.to_ascii_lowercase());
                    continue;
                }
                other => return Err(file.bad(line, format!("unknown kind {other:?}"))),
            };
            if !qualifiers.insert(phrase, false, entry) {
                return Err(file.bad(line, "empty phrase"));
            }
        }

        let mut rate_connectors = PhraseMap::new(TokenFlags::RATE_CONNECTOR);
        let mut rate_units = PhraseMap::new(TokenFlags::RATE_UNIT);
        let mut rate_alone = PhraseMap::new(TokenFlags::RATE_ALONE);
        let file = rules.file(RATES);
        for (line, fields) in file.rows() {
            let form = field(file, line, &fields, 0, "form")?;
            let ok = match field(file, line, &fields, 1, "role")? {
                "connector" => rate_connectors.insert(form, false, ()),
                "unit" => {
                    let unit = field(file, line, &fields, 2, "unit name")?;
                    rate_units.insert(form, false, unit.to_string())
                }
                "alone" => {
                    let unit = field(file, line, &fields, 2, "unit name")?;
                    rate_alone.insert(form, false, unit.to_string())
                }
                other => return Err(file.bad(line, format!("unknown role {other:?}"))),
            };
            if !ok {
                return Err(file.bad(line, "empty form"));
            }
        }

        let mut percent = PhraseMap::new(TokenFlags::PERCENT);
        let mut weight_after = HashSet::default();
        let mut weight_before = HashSet::default();
        let mut money_after = HashSet::default();
        let mut not_rate_after = HashSet::default();
        let file = rules.file(NEGATIVES);
        for (line, fields) in file.rows() {
            let cue = field(file, line, &fields, 0, "cue")?;
            let word = field(file, line, &fields, 1, "word")?.to_ascii_lowercase();
            match cue {
                "weight_after" => {
                    weight_after.insert(word);
                }
                "weight_before" => {
                    weight_before.insert(word);
                }
                "money_after" => {
                    money_after.insert(word);
                }
                "not_rate_after" => {
                    not_rate_after.insert(word);
                }
                "percent" => {
                    percent.insert(&word, false, ());
                }
                other => return Err(file.bad(line, format!("unknown cue {other:?}"))),
            }
        }
        // One flag word per first token, so most lexicon lookups are a bit test.
        let mut token_flags: HashMap<String, u16> = HashMap::default();
        let mut flag = |word: &str, bit: u16| {
            *token_flags.entry(word.to_string()).or_insert(0) |= bit;
        };
        for first in &currencies.firsts {
            flag(first, TokenFlags::CURRENCY);
        }
        for first in &scales.firsts {
            flag(first, TokenFlags::SCALE);
        }
        for first in &qualifiers.firsts {
            flag(first, TokenFlags::QUALIFIER);
        }
        for first in &post_qualifiers.firsts {
            flag(first, TokenFlags::POST_QUALIFIER);
        }
        for first in &rate_connectors.firsts {
            flag(first, TokenFlags::RATE_CONNECTOR);
        }
        for first in &rate_units.firsts {
            flag(first, TokenFlags::RATE_UNIT);
        }
        for first in &rate_alone.firsts {
            flag(first, TokenFlags::RATE_ALONE);
        }
        for first in &percent.firsts {
            flag(first, TokenFlags::PERCENT);
        }
        for word in numbers::NUMBER_WORDS.iter().chain(&["a", "an"]) {
            flag(word, TokenFlags::NUMBER);
        }
        for minus in MINUS {
            flag(&minus.to_string(), TokenFlags::MINUS);
        }

        Ok(MoneyExtractor {
            cues,
            currencies,
            codes,
            scales,
            qualifiers,
            post_qualifiers,
            change_words,
            rate_connectors,
            rate_units,
            rate_alone,
            percent,
            weight_after,
            weight_before,
            money_after,
            not_rate_after,
            token_flags,
        })
    }

    /// Every money mention in `text`, in order, with character offsets.
    pub fn find(&self, text: &str) -> Vec<Money> {
        let mut anchors = Anchors::default();
        self.cues.scan(text, &mut anchors);
        self.find_at_cues(text, &anchors.cues)
    }

    /// The scan over money words alone; [`crate::extract::Extractor`] extends a copy with
    /// the other families' words.
    pub fn scanner(&self) -> &Scanner {
        &self.cues
    }

    /// Every money mention in `text`, given its currency cues (as found by a [`Scanner`]
    /// that holds this extractor's words, in text order).
    pub fn find_at_cues(&self, text: &str, cues: &[(usize, usize)]) -> Vec<Money> {
        if cues.is_empty() {
            return Vec::new();
        }
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                let found = self.find_in_regions(text, cues, &mut scratch);
                if scratch.toks.capacity() > 65_536 || scratch.regions.capacity() > 65_536 {
                    // a huge text: free its room rather than keep it for the next one
                    *scratch = Scratch::default();
                }
                found
            }
            Err(_) => self.find_in_regions(text, cues, &mut Scratch::default()),
        })
    }

    fn find_in_regions(
        &self,
        text: &str,
        cues: &[(usize, usize)],
        scratch: &mut Scratch,
    ) -> Vec<Money> {
        let mut found = Vec::new();
        let Scratch {
            regions,
            windows,
            toks,
            buf,
            folded,
        } = scratch;
        regions.clear();
        windows.clear();
        for &(s, e) in cues {
            // Region ends are snapped to white space once, below.
            let from = s.saturating_sub(BEFORE_CUE);
            let end = (e + AFTER_CUE).min(text.len());
            match regions.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(end),
                _ => regions.push((region_start(text, from, s), end)),
            }
            // Mentions start at most BEFORE_CUE bytes before their currency cue.
            match windows.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(e),
                _ => windows.push((from, e)),
            }
        }
        if regions.is_empty() {
            return found;
        }
        for region in regions.iter_mut() {
            region.1 = region_end(text, region.1);
        }
        let mut chars = CharCounter::default();
        let mut window = 0;
        for &(start, end) in regions.iter() {
            let orig = &text[start..end];
            folded.clear();
            folded.push_str(orig);
            folded.make_ascii_lowercase();
            tokenize(orig, toks);
            self.flag_tokens(orig, folded, toks);
            let region = Region { orig, folded, toks };
            let mut i = 0;
            while i < toks.len() {
                let at = start + toks[i].start;
                while window < windows.len() && windows[window].1 <= at {
                    window += 1;
                }
                let in_window = windows.get(window).is_some_and(|w| w.0 <= at);
                if !in_window || !self.is_start(&region, i) {
                    i += 1;
                    continue;
                }
                match self.parse_at(&region, i, buf) {
                    Some(mention) => {
                        let byte_start = start + toks[mention.start].start;
                        let byte_end = start + toks[mention.end - 1].end;
                        found.push(Money {
                            text: text[byte_start..byte_end].to_string(),
                            start: chars.advance_to(text, byte_start),
                            end: chars.advance_to(text, byte_end),
                            currency: mention.currency,
                            value: mention.value.map(|v| v.normalize()),
                            low: mention.low.map(|v| v.normalize()),
                            high: mention.high.map(|v| v.normalize()),
                            qualifier: mention.qualifier,
                            per: mention.per,
                        });
                        i = mention.end.max(i + 1);
                    }
                    None => i += 1,
                }
            }
        }
        found
    }

    /// Whether a mention may start at token `i`.
    fn is_start(&self, region: &Region<'_>, i: usize) -> bool {
        let tok = &region.toks[i];
        const STARTS: u16 = TokenFlags::CURRENCY
            | TokenFlags::QUALIFIER
            | TokenFlags::NUMBER
            | TokenFlags::MINUS
            | TokenFlags::M_CODE;
        tok.kind == TokKind::Num || tok.flags & STARTS != 0
    }

    /// Sets each token's [`TokenFlags`] from one lookup.
    fn flag_tokens(&self, orig: &str, folded: &str, toks: &mut [Tok]) {
        for tok in toks.iter_mut() {
            if tok.kind == TokKind::Num || tok.end - tok.start > MAX_LEXICON_TOKEN {
                continue;
            }
            let word = &folded[tok.start..tok.end];
            let mut flags = self.token_flags.get(word).copied().unwrap_or(0);
            if tok.kind == TokKind::Word
                && word.len() == 4
                && orig.as_bytes()[tok.start] == b'M'
                && self.codes.contains_key(&word[1..])
            {
                flags |= TokenFlags::M_CODE;
            }
            tok.flags = flags;
        }
    }

    /// A mention starting at token `i`, if there is one.
    fn parse_at(&self, region: &Region<'_>, i: usize, buf: &mut String) -> Option<Mention> {
        let mut j = i;
        let mut hedge: Option<(Qualifier, Option<Decimal>)> = None;
        let mut hedge_unless: Option<&str> = None;
        let qualifier = if region.word(i).is_some() {
            self.qualifiers.longest(region, i, buf)
        } else {
            None
        };
        if let Some((form, n)) = qualifier {
            match form {
                QualifierForm::Range(joiner) => {
                    // "rose from $5 to $7" is a change, not a range.
                    if i > 0
                        && region
                            .word(i - 1)
                            .is_some_and(|w| self.change_words.contains(w))
                    {
                        return None;
                    }
                    let a = self.amount(region, i + n, buf)?;
                    let joined = region
                        .word(a.end)
                        .is_some_and(|w| joiner.split('/').any(|j| j == w));
                    if !joined || !region.continues(a.end + 1) {
                        return None;
                    }
                    let b = self.amount(region, a.end + 1, buf)?;
                    return self.range(region, i, a, b, buf);
                }
                QualifierForm::Hedge(q, band, unless) => {
                    hedge = Some((*q, *band));
                    hedge_unless = unless.as_deref();
                    j += n;
                    if !region.continues(j) {
                        return None;
                    }
                }
            }
        }
        let a = self.amount(region, j, buf)?;
        if hedge_unless.is_some_and(|w| region.is_word(a.end, w)) {
            // "up to 561.8 mln dlrs from 540.9": a move to an exact figure.
            hedge = None;
        }
        let start = if hedge.is_some() { i } else { a.start };
        let k = a.end;
        // "from $5 to $7" was tried from "from"; "rose $5 to $7" is a change, not a range.
        // "rose by 834 mln francs to 24.79 billion" too.
        let word_before = |back: usize| {
            if i >= back {
                region.word(i - back)
            } else {
                None
            }
        };
        let is_change = |w: Option<&str>| w.is_some_and(|w| self.change_words.contains(w));
        let after_change = word_before(1) == Some("from")
            || is_change(word_before(1))
            || (word_before(1) == Some("by") && is_change(word_before(2)));
        let by_to = region.is_word(k, "to");
        let joined = region.is_punct(k, DASHES) || (by_to && !after_change);
        if joined && region.continues(k + 1) {
            if let Some(b) = self.amount(region, k + 1, buf) {
                // "X francs to 24.79 billion" reads as a move; "to" needs a currency after.
                let bare_after_to = by_to && a.currency.is_some() && b.currency.is_none();
                let range = if bare_after_to {
                    None
                } else {
                    self.range(region, start, a.clone(), b, buf)
                };
                if let Some(m) = range {
                    return Some(m);
                }
            }
        }
        let currency = a.currency?;
        let value = a.value()?;
        // a hedge after the amount ("$70 million or more", "$5 million or so")
        let mut end = a.end;
        if hedge.is_none() && region.continues(k) {
            if let Some((&(q, band), n)) = self.post_qualifiers.longest(region, k, buf) {
                hedge = Some((q, band));
                end = k + n;
            }
        }
        let (qualifier, band) = hedge.unwrap_or((Qualifier::Exact, None));
        let pct = |b: Decimal, sign: i64| -> Option<Decimal> {
            let delta = value.abs().checked_mul(b)? / Decimal::from(100);
            if sign < 0 {
                value.checked_sub(delta)
            } else {
                value.checked_add(delta)
            }
        };
        let (value_out, low, high) = match qualifier {
            Qualifier::Exact | Qualifier::Range => (Some(value), Some(value), Some(value)),
            Qualifier::Approx => {
                let b = band.unwrap_or(Decimal::TEN);
                (Some(value), pct(b, -1), pct(b, 1))
            }
            Qualifier::AtLeast => (None, Some(value), band.and_then(|b| pct(b, 1))),
            Qualifier::AtMost => (None, band.and_then(|b| pct(b, -1)), Some(value)),
        };
        Some(Mention {
            start,
            end,
            currency: currency.iso.clone(),
            value: value_out,
            low,
            high,
            qualifier,
            per: a.per,
        })
    }

    /// Joins two amounts into a range, if they make one.
    fn range<'x>(
        &'x self,
        region: &Region<'_>,
        start: usize,
        a: Amount<'x>,
        b: Amount<'x>,
        buf: &mut String,
    ) -> Option<Mention> {
        let currency = match (a.currency, b.currency) {
            (Some(x), Some(y)) => {
                // "5 cts to 1.20 dlrs" is a move between prices, not one range.
                let minor = |c: &CurrencyForm| c.kind == CurrencyKind::Minor;
                if x.iso != y.iso || minor(x) != minor(y) {
                    return None;
                }
                x
            }
            (None, Some(y)) => y,
            (Some(x), None) => {
                // "$10-20": the bare end must not run on into other words.
                let next_ok = b.multiplier.is_some()
                    || b.per.is_some()
                    || b.end >= region.toks.len()
                    || (region.toks[b.end].kind == TokKind::Punct
                        && self.percent.longest(region, b.end, buf).is_none());
                if !next_ok {
                    return None;
                }
                x
            }
            (None, None) => return None,
        };
        let mut low = a.value()?;
        let mut high = b.value()?;
        if a.multiplier.is_none() {
            if let Some(m) = b.multiplier {
                if let Some(scaled) = a.number.checked_mul(m) {
                    if scaled <= high {
                        low = scaled;
                    }
                }
            }
        }
        if b.multiplier.is_none() && b.currency.is_none() {
            if let Some(m) = a.multiplier {
                if let Some(scaled) = b.number.checked_mul(m) {
                    if scaled >= low {
                        high = scaled;
                    }
                }
            }
        }
        if low >= high {
            return None;
        }
        Some(Mention {
            start,
            end: b.end,
            currency: currency.iso.clone(),
            value: None,
            low: Some(low),
            high: Some(high),
            qualifier: Qualifier::Range,
            per: b.per.or(a.per),
        })
    }

    /// A currency form at token `i` ("$", "US$", "USD", "dollars"), or an ISO code with a
    /// leading "M" for millions ("MGBP"): the form, tokens taken, and the multiplier.
    fn currency_at(
        &self,
        region: &Region<'_>,
        i: usize,
        buf: &mut String,
    ) -> Option<(&CurrencyForm, usize, Option<Decimal>)> {
        if let Some((form, n)) = self.currencies.longest(region, i, buf) {
            return Some((form, n, None));
        }
        let tok = region.toks.get(i)?;
        if tok.flags & TokenFlags::M_CODE != 0 {
            let form = self.codes.get(&region.folded[tok.start + 1..tok.end])?;
            return Some((form, 1, Some(Decimal::from(1_000_000))));
        }
        None
    }

    /// A scale at token `i` that may follow the token before it.
    fn scale_at(
        &self,
        region: &Region<'_>,
        i: usize,
        buf: &mut String,
    ) -> Option<(Decimal, usize)> {
        if !region.continues(i) {
            return None;
        }
        let (form, n) = self.scales.longest(region, i, buf)?;
        if form.attached && !region.attached(i) {
            return None;
        }
        // A lone letter scale must not run on into a word ("5 m" is handled by `attached`).
        Some((form.multiplier, n))
    }

    /// An amount starting at token `i`: optional currency before, sign, number, scale,
    /// currency after, cents, rate. The currency may be missing (checked by the caller).
    fn amount(&self, region: &Region<'_>, i: usize, buf: &mut String) -> Option<Amount<'_>> {
        let toks = region.toks;
        let n = toks.len();
        let mut start = i;
        let mut j = i;
        let mut prefix: Option<&CurrencyForm> = None;
        let mut multiplier: Option<Decimal> = None;
        // "-$5m": a minus before the currency.
        let minus_before = region.is_punct(j, MINUS)
            && region.attached(j + 1)
            && toks.get(j + 1).is_some_and(|t| t.kind == TokKind::Punct)
            && (toks[j].space_before || region.is_punct(j.wrapping_sub(1), &['(']));
        if minus_before {
            j += 1;
        }
        let before_number = toks.get(j).is_some_and(|t| t.kind != TokKind::Num);
        let prefix_form = if before_number {
            self.currency_at(region, j, buf)
        } else {
            None
        };
        if let Some((form, taken, mult)) = prefix_form {
            if form.before && form.kind != CurrencyKind::Minor {
                prefix = Some(form);
                multiplier = mult;
                j += taken;
                // "usd$ 15"
                if form.kind == CurrencyKind::Code
                    && region.is_punct(j, &['$'])
                    && region.attached(j)
                {
                    j += 1;
                }
                if !region.continues(j) {
                    return None;
                }
            }
        }
        // Sign.
        let number_start = j;
        let mut negative = minus_before;
        if region.is_punct(j, MINUS)
            && toks.get(j + 1).is_some_and(|t| t.kind == TokKind::Num)
            && region.attached(j + 1)
            && (prefix.is_some()
                || toks[j].space_before
                || region.is_punct(j.wrapping_sub(1), &['(']))
        {
            negative = true;
            j += 1;
        }
        // Number.
        let tok = toks.get(j)?;
        let mut article = false;
        let (mut number, mut whole) = match tok.kind {
            TokKind::Num => {
                j += 1;
                let number = tok.num?;
                // "1 point 1"
                let spoken_point = tok.whole
                    && region.is_word(j, "point")
                    && toks
                        .get(j + 1)
                        .is_some_and(|t| t.kind == TokKind::Num && t.whole);
                if spoken_point {
                    let digits = &toks[j + 1];
                    let mut fraction = digits.num?;
                    fraction
                        .set_scale(u32::try_from(digits.end - digits.start).ok()?)
                        .ok()?;
                    j += 2;
                    (number.checked_add(fraction)?, false)
                } else {
                    (number, tok.whole)
                }
            }
            TokKind::Word => {
                let parsed = if tok.flags & TokenFlags::NUMBER != 0 {
                    numbers::parse_words(&region.folded[tok.start..])
                } else {
                    None
                };
                if let Some(parsed) = parsed {
                    let stop = tok.start + parsed.len;
                    while j < n && toks[j].end <= stop {
                        j += 1;
                    }
                    (parsed.value, parsed.whole)
                } else if prefix.is_none() && (region.is_word(j, "a") || region.is_word(j, "an")) {
                    article = true;
                    j += 1;
                    (Decimal::ONE, true)
                } else {
                    return None;
                }
            }
            // "$.50"
            TokKind::Punct
                if prefix.is_some()
                    && region.is_punct(j, &['.'])
                    && toks
                        .get(j + 1)
                        .is_some_and(|t| t.kind == TokKind::Num && t.whole)
                    && region.attached(j + 1) =>
            {
                let cents = toks[j + 1];
                let digits = u32::try_from(cents.end - cents.start).ok()?;
                let mut value = cents.num?;
                value.set_scale(digits).ok()?;
                j += 2;
                (value, false)
            }
            TokKind::Punct => return None,
        };
        if negative {
            number = -number;
        }
        // Scale.
        let mut scaled = multiplier.is_some();
        if !article {
            // "$5-million contract"
            let hyphen = region.is_punct(j, &['-']) && region.attached(j) && region.attached(j + 1);
            let at = if hyphen { j + 1 } else { j };
            if let Some((m, taken)) = self.scale_at(region, at, buf) {
                multiplier = Some(multiplier.unwrap_or(Decimal::ONE).checked_mul(m)?);
                j = at + taken;
                scaled = true;
            }
        }
        // A percentage is not money ("dollar 1.5 pct"; without a currency before, the
        // amount fails for want of one anyway).
        if prefix.is_some() && region.continues(j) && self.percent.longest(region, j, buf).is_some()
        {
            return None;
        }
        // Currency after.
        let mut currency = prefix;
        let mut hyphened = false;
        let mut minor = false;
        let mut k = j;
        if region.is_punct(k, &['-']) && region.attached(k) && region.attached(k + 1) {
            k += 1;
            hyphened = true;
        }
        if region.continues(k) {
            if let Some((form, taken, mult)) = self.currency_at(region, k, buf) {
                // "1 $10": a symbol touching the next number, apart from this one, is that
                // number's.
                let owned_by_next = form.kind == CurrencyKind::Symbol
                    && !region.attached(k)
                    && region.attached(k + taken)
                    && region
                        .toks
                        .get(k + taken)
                        .is_some_and(|t| t.kind == TokKind::Num);
                let fits = form.after
                    && (!form.attached || region.attached(k))
                    && (!form.whole || whole)
                    && !owned_by_next;
                let replaces = match prefix {
                    None => true,
                    // "dollar 1.82 marks": the word before was not this amount's currency.
                    Some(p) if p.kind == CurrencyKind::Word => true,
                    // "$5 CAD"
                    Some(p) => {
                        p.kind == CurrencyKind::Symbol
                            && p.iso.as_deref() == Some("USD")
                            && form.kind == CurrencyKind::Code
                    }
                };
                if fits && replaces && (!article || form.article) {
                    if prefix.is_some() {
                        // The currency word before was not this amount's; the number starts it.
                        start = number_start;
                    }
                    currency = Some(form);
                    j = k + taken;
                    if let Some(m) = mult {
                        multiplier = Some(multiplier.unwrap_or(Decimal::ONE).checked_mul(m)?);
                        scaled = true;
                    }
                    if form.kind == CurrencyKind::Minor {
                        minor = true;
                        multiplier =
                            Some(multiplier.unwrap_or(Decimal::ONE) / Decimal::ONE_HUNDRED);
                    }
                    // "75 USD million"
                    if !scaled && form.kind == CurrencyKind::Code {
                        if let Some((m, taken)) = self.scale_at(region, j, buf) {
                            multiplier = Some(m);
                            j += taken;
                            scaled = true;
                        }
                    }
                    if form.weight && !self.money_not_weight(region, i, j, hyphened) {
                        return None;
                    }
                    let next_is_word =
                        region.continues(j) && toks.get(j).is_some_and(|t| t.kind == TokKind::Word);
                    if form.verbal && !scaled && next_is_word {
                        return None;
                    }
                }
            }
        }
        if article && currency.is_none_or(|c| !c.article) {
            return None;
        }
        // Cents after a whole amount: "20 dollars 43 cents", "$20 and 43c", "15 dollars and 50."
        let mut took_cents = false;
        if currency.is_some() && !minor && !scaled && whole {
            if let Some((cents, end)) = self.cents_tail(region, j, buf) {
                let cents = cents / Decimal::ONE_HUNDRED;
                number = if number.is_sign_negative() {
                    number.checked_sub(cents)?
                } else {
                    number.checked_add(cents)?
                };
                whole = false;
                j = end;
                took_cents = true;
            }
        }
        let _ = whole;
        if article && !took_cents {
            // "a dollar" counts only when it stands alone: "a penny!", not "a dollar rally".
            let standalone = j >= n || (region.is_punct(j, CLOSING) && !region.is_punct(j, DASHES));
            if !standalone {
                return None;
            }
        }
        // Rate.
        let mut per = None;
        if let Some((unit, end)) = self.rate_at(region, j, buf) {
            per = Some(unit);
            j = end;
        }
        Some(Amount {
            start,
            end: j,
            number,
            multiplier,
            currency,
            per,
        })
    }

    /// After a weight-ambiguous currency word ending before token `j`: true when it reads
    /// as money.
    fn money_not_weight(&self, region: &Region<'_>, i: usize, j: usize, hyphened: bool) -> bool {
        let weighed = (i.saturating_sub(8)..i).any(|k| {
            region
                .word(k)
                .is_some_and(|w| self.weight_before.contains(w))
        });
        if weighed {
            return false;
        }
        let next = if region.continues(j) {
            region.word(j)
        } else {
            None
        };
        if hyphened {
            return next.is_some_and(|w| self.money_after.contains(w));
        }
        !next.is_some_and(|w| self.weight_after.contains(w))
    }

    /// Cents after a whole amount, starting at token `j`: the cents and the end token.
    fn cents_tail(
        &self,
        region: &Region<'_>,
        j: usize,
        buf: &mut String,
    ) -> Option<(Decimal, usize)> {
        let toks = region.toks;
        let mut k = j;
        if !region.continues(k) {
            return None;
        }
        if region.is_word(k, "and") {
            k += 1;
        }
        let tok = toks.get(k)?;
        if tok.para_before {
            return None;
        }
        let cents = match tok.kind {
            TokKind::Num if tok.whole && tok.end - tok.start <= 2 => {
                k += 1;
                tok.num?
            }
            TokKind::Word => {
                let parsed = numbers::parse_words(&region.folded[tok.start..])?;
                if !parsed.whole {
                    return None;
                }
                let stop = tok.start + parsed.len;
                while k < toks.len() && toks[k].end <= stop {
                    k += 1;
                }
                parsed.value
            }
            _ => return None,
        };
        if cents < Decimal::ONE || cents >= Decimal::ONE_HUNDRED {
            return None;
        }
        if region.continues(k) {
            if let Some((form, taken, None)) = self.currency_at(region, k, buf) {
                if form.kind == CurrencyKind::Minor && (!form.attached || region.attached(k)) {
                    return Some((cents, k + taken));
                }
            }
        }
        // Bare cents only at the end of a clause ("It costs 15 dollars and 50.") or before
        // another "and" ("one dollar and one and ...").
        let ends = k >= toks.len()
            || toks[k].para_before
            || (region.is_punct(k, CLOSING) && !region.is_punct(k, &['\'']))
            || region.is_word(k, "and");
        ends.then_some((cents, k))
    }

    /// A rate after an amount, starting at token `j`: "per share", "a share", "-a-share",
    /// "an hour", "/hr". Returns the unit and the end token.
    fn rate_at(&self, region: &Region<'_>, j: usize, buf: &mut String) -> Option<(String, usize)> {
        let mut k = j;
        if !region.continues(k) {
            return None;
        }
        if let Some((unit, taken)) = self.rate_alone.longest(region, k, buf) {
            // "$5 each", not "$5 each year".
            let next_is_word = region.continues(k + taken) && region.word(k + taken).is_some();
            if !next_is_word {
                return Some((unit.clone(), k + taken));
            }
        }
        if region.is_punct(k, &['-']) {
            k += 1;
        }
        let (_, taken) = self.rate_connectors.longest(region, k, buf)?;
        // Only "a year earlier" is a time phrase; "per share after" is still a rate.
        let article = region.is_word(k, "a") || region.is_word(k, "an");
        k += taken;
        if region.is_punct(k, &['-']) {
            k += 1;
        }
        if !region.continues(k) {
            return None;
        }
        let (unit, taken) = self.rate_units.longest(region, k, buf)?;
        k += taken;
        if article
            && region.continues(k)
            && region
                .word(k)
                .is_some_and(|w| self.not_rate_after.contains(w))
        {
            return None;
        }
        Some((unit.clone(), k))
    }
}

/// A mention found in a region, in tokens.
struct Mention {
    start: usize,
    end: usize,
    currency: Option<String>,
    value: Option<Decimal>,
    low: Option<Decimal>,
    high: Option<Decimal>,
    qualifier: Qualifier,
    per: Option<String>,
}

/// Start of the stretch to read before a cue at `cue`: at a char boundary, moved forward
/// past the first white space after `from` when there is one before the cue.
fn region_start(text: &str, from: usize, cue: usize) -> usize {
    let mut start = from;
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    if start == 0 {
        return 0;
    }
    match text.as_bytes()[start..cue]
        .iter()
        .position(|b| b.is_ascii_whitespace())
    {
        Some(p) => start + p + 1,
        None => start,
    }
}

/// End of the stretch to read: moved forward to a white space (at most 32 bytes further)
/// and to a char boundary.
fn region_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = from;
    let limit = (from + 32).min(bytes.len());
    while end < limit && !bytes[end].is_ascii_whitespace() {
        end += 1;
    }
    while end < bytes.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

/// Converts increasing byte offsets into character offsets, counting each byte once.
#[derive(Debug, Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn advance_to(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            // Not expected (offsets only grow); recount from the start.
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;
    use std::sync::OnceLock;

    fn extractor() -> &'static MoneyExtractor {
        static EXTRACTOR: OnceLock<MoneyExtractor> = OnceLock::new();
        EXTRACTOR.get_or_init(|| match MoneyExtractor::new(&RuleSet::embedded()) {
            Ok(x) => x,
            Err(e) => panic!("embedded money rules do not load: {e}"),
        })
    }

    fn opt_dec(field: &str) -> Option<Decimal> {
        (field != "-").then(|| Decimal::from_str(field).unwrap().normalize())
    }

    fn qualifier_name(q: Qualifier) -> &'static str {
        match q {
            Qualifier::Exact => "exact",
            Qualifier::Approx => "approx",
            Qualifier::AtLeast => "at_least",
            Qualifier::AtMost => "at_most",
            Qualifier::Range => "range",
        }
    }

    /// Checks that offsets are character offsets and the text is the slice they name.
    fn check_offsets(text: &str, found: &[Money]) {
        let chars: Vec<char> = text.chars().collect();
        let mut last_end = 0;
        for m in found {
            assert!(m.start < m.end && m.end <= chars.len(), "{m:?}");
            assert!(m.start >= last_end, "mentions overlap or are out of order");
            let slice: String = chars[m.start..m.end].iter().collect();
            assert_eq!(slice, m.text);
            last_end = m.end;
        }
    }

    #[test]
    fn examples_file() {
        let rules = RuleSet::embedded();
        let file = rules.file("money/examples.tsv");
        let mut failures = Vec::new();
        let mut count = 0;
        for (line, fields) in file.rows() {
            count += 1;
            let text = fields[0];
            let found = extractor().find(text);
            check_offsets(text, &found);
            if fields.get(1) == Some(&"-") {
                if !found.is_empty() {
                    failures.push(format!(
                        "line {line}: {text:?} should give nothing, gave {found:?}"
                    ));
                }
                continue;
            }
            assert_eq!(fields.len(), 8, "line {line}: want 8 columns");
            let Some(m) = found.iter().find(|m| m.text == fields[1]) else {
                failures.push(format!(
                    "line {line}: {text:?}: no mention {:?}, got {found:?}",
                    fields[1]
                ));
                continue;
            };
            let want_currency = (fields[5] != "-").then(|| fields[5].to_string());
            let want_per = (fields[7] != "-").then(|| fields[7].to_string());
            let got = (
                m.value,
                m.low,
                m.high,
                m.currency.clone(),
                qualifier_name(m.qualifier),
                m.per.clone(),
            );
            let want = (
                opt_dec(fields[2]),
                opt_dec(fields[3]),
                opt_dec(fields[4]),
                want_currency,
                fields[6],
                want_per,
            );
            if got != want {
                failures.push(format!("line {line}: {text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(count > 50, "examples file too small");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Prix: 😀 élevé — about €5 million, then £3.";
        let found = extractor().find(text);
        check_offsets(text, &found);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text, "about €5 million");
        assert_eq!(found[1].text, "£3");
    }

    #[test]
    fn mentions_in_order_across_a_long_text() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!(
                "Item {i} cost ${i}.50 and nothing else happened here. "
            ));
            text.push_str("Filler words without any figures go on for a while here. ");
        }
        let found = extractor().find(&text);
        check_offsets(&text, &found);
        assert_eq!(found.len(), 200);
        assert_eq!(found[199].value, Some(Decimal::from_str("199.5").unwrap()));
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let long_line = "word $5 ".repeat(700_000);
        let inputs = [
            String::new(),
            "$".repeat(100_000),
            "9".repeat(100_000),
            format!("${}", "9".repeat(50_000)),
            "9999999999999999999999999999 dollars and 43 cents".to_string(),
            "-9999999999999999999999999999 dollars 99".to_string(),
            "$9999999999999999999999999999 trillion to $1 trillion".to_string(),
            "between 9999999999999999999999999999 and 1 trillion dollars".to_string(),
            "about 9999999999999999999999999999.5 dollars, $.9999999999999999999999999999999"
                .to_string(),
            "1,".repeat(50_000),
            "1,11".repeat(30_000),
            "one ".repeat(50_000) + "dollars",
            "- $".repeat(30_000),
            "😀$5😀".repeat(10_000),
            "מחיר $5 דולר ₪20 שקל".repeat(1_000),
            "between between and and to to - - $ $".repeat(2_000),
            long_line,
        ];
        for input in &inputs {
            let found = extractor().find(input);
            check_offsets(input, &found);
        }
        assert_eq!(extractor().find(&inputs[16]).len(), 700_000);
    }

    #[test]
    fn bad_rule_rows_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("money")).unwrap();
        std::fs::write(dir.path().join("money/scales.tsv"), "million\tlots\t-\n").unwrap();
        let rules = RuleSet::load(Some(dir.path())).unwrap();
        let err = MoneyExtractor::new(&rules).unwrap_err();
        assert!(err.to_string().contains(":1:"), "{err}");
        std::fs::write(dir.path().join("money/scales.tsv"), "").unwrap();
        std::fs::write(
            dir.path().join("money/currencies.tsv"),
            "$\tusd\tsymbol\tboth\t-\n",
        )
        .unwrap();
        let rules = RuleSet::load(Some(dir.path())).unwrap();
        assert!(MoneyExtractor::new(&rules).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn never_panics_on_any_text(text in "\\PC{0,200}") {
            let found = extractor().find(&text);
            check_offsets(&text, &found);
        }

        #[test]
        fn never_panics_on_money_like_text(
            text in "([$€£¥₹ ,.\\-–0-9a-zA-Z]|US\\$|bn|mln|dlrs|cents|between|and|to|about|per share|a share|😀|ﷺ|\u{200f}){0,60}"
        ) {
            let found = extractor().find(&text);
            check_offsets(&text, &found);
            for m in &found {
                if let (Some(low), Some(high)) = (m.low, m.high) {
                    prop_assert!(low <= high, "{m:?}");
                }
            }
        }
    }
}
