//! Parties: organisations and people, from the alias table `rules/parties/aliases.tsv`
//! (one Aho-Corasick pass over the text) and from rules for names the table lacks
//! (corporate suffixes, titles, job roles, verbs of saying), read from `rules/parties/lexicon.tsv`.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind, StartKind};

use super::scan::LeadCase;
use super::sentences::SentenceSpan;
use super::CharMap;
use crate::model::{Party, PartyType};
use crate::rules::{RuleFile, RuleSet, RulesError};

/// Rule file names this module reads.
pub const ALIASES: &str = "parties/aliases.tsv";
/// The user's additions to the alias table, read after [`ALIASES`].
pub const LOCAL_ALIASES: &str = "parties/aliases.local.tsv";
/// Word lists for the name rules.
pub const LEXICON: &str = "parties/lexicon.tsv";

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    party_type: PartyType,
    parent: Option<String>,
    aliases: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternUse {
    /// Any whole-word occurrence.
    Alias,
    /// A known person's surname alone ("Musk"), when capitalised.
    Surname,
}

#[derive(Debug, Clone)]
struct Pattern {
    entry: usize,
    alias: String,
    usage: PatternUse,
}

/// A party mention with byte offsets (the extractor's internal form).
#[derive(Debug, Clone, PartialEq)]
pub struct PartyHit {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset, exclusive.
    pub end: usize,
    /// Canonical name.
    pub name: String,
    /// Organisation or person.
    pub party_type: PartyType,
    /// True when the alias table knows the party.
    pub known: bool,
}

impl PartyHit {
    /// The public [`Party`] with character offsets (the name moves over).
    pub fn into_party(self, text: &str, map: &CharMap) -> Party {
        Party {
            name: self.name,
            text: text.get(self.start..self.end).unwrap_or("").to_string(),
            start: map.char_of(text, self.start),
            end: map.char_of(text, self.end),
            party_type: self.party_type,
        }
    }
}

/// Finds parties and answers questions about the alias table (parents, aliases).
#[derive(Debug, Clone)]
pub struct PartyExtractor {
    entries: Vec<Entry>,
    by_name: rustc_hash::FxHashMap<String, usize>,
    by_alias: rustc_hash::FxHashMap<String, usize>,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// A bit per (first, second) byte pair, lower-cased, that some alias starts with (an
    /// alias of one byte marks every second byte).
    alias_pairs: Vec<u64>,
    /// The same for the (second, third) bytes (an alias of one byte marks every pair, one
    /// of two bytes every third byte after its second).
    alias_pairs_next: Vec<u64>,
    suffixes: WordSet,
    titles: WordSet,
    roles: Vec<Vec<String>>,
    /// The last word of every role of up to four words, lower-case: the word right before
    /// a name must be one of them for a role to end there.
    role_ends: WordSet,
    say: WordSet,
    not_name: WordSet,
    connectors: WordSet,
    publications: WordSet,
}

/// The words and byte classes the scan marks for the party anchors
/// ([`PartyExtractor::scan_words`]).
#[derive(Debug, Clone, Default)]
pub struct ScanWords {
    /// For each alias that starts with a letter, one of its words of ASCII letters.
    pub alias_words: Vec<AliasWord>,
    /// Whether some alias starts with a digit.
    pub alias_digits: bool,
    /// Whether some alias starts with more letters than the scan's words hold.
    pub alias_long: bool,
    /// A letter run of each word the name rules compare, with whether it counts only in
    /// capitals; `None` when some such word has no run the scan can mark.
    pub name_cues: Option<Vec<(String, bool)>>,
}

/// A word of an alias for the scan to look for (see [`Scanner::add_alias_word`]).
///
/// [`Scanner::add_alias_word`]: super::scan::Scanner::add_alias_word
#[derive(Debug, Clone)]
pub struct AliasWord {
    /// The word's ASCII letters.
    pub word: String,
    /// How far into the alias it stands (bytes).
    pub offset: usize,
    /// The case it needs in the text.
    pub case: LeadCase,
    /// The alias's next two bytes after the word (fewer at its end).
    pub follow: Vec<u8>,
}

/// The word of ASCII letters of an alias (starting with a letter) that the scan should
/// look for, as `(offset, length)`: the longest word of at most [`MAX_WORD`] letters that
/// has a byte other than a letter after it, else the first word, if it is short enough.
///
/// A word with a byte after it inside the alias is delimited the same way in any text the
/// alias matches; the last word is not (the text may go on with letters), and a match that
/// then fails at its end may still hide another match starting inside it, as in a full pass.
///
/// [`MAX_WORD`]: super::scan::MAX_WORD
fn alias_anchor_word(alias: &[u8]) -> Option<(usize, usize)> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < alias.len() {
        if alias[i].is_ascii_alphabetic() {
            let len = alias[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
            words.push((i, len));
            i += len;
        } else {
            i += 1;
        }
    }
    let short = |&&(_, len): &&(usize, usize)| len <= super::scan::MAX_WORD;
    let delimited = words
        .iter()
        .filter(|&&(offset, len)| offset + len < alias.len())
        .filter(short)
        .max_by_key(|&&(offset, len)| (len, std::cmp::Reverse(offset)));
    delimited.or_else(|| words.first().filter(short)).copied()
}

/// A set of short words with a cheap hash (Fx, a word at a time), for the per-word
/// lookups of the scan.
type WordSet = rustc_hash::FxHashSet<String>;

impl PartyExtractor {
    /// Builds the extractor from the alias table and the lexicon.
    pub fn new(rules: &RuleSet) -> Result<PartyExtractor, RulesError> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_name: rustc_hash::FxHashMap<String, usize> = HashMap::default();
        for file in [rules.file(ALIASES), rules.file(LOCAL_ALIASES)] {
            load_aliases(file, &mut entries, &mut by_name)?;
        }
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut by_alias: rustc_hash::FxHashMap<String, usize> = HashMap::default();
        for (idx, entry) in entries.iter().enumerate() {
            let mut forms: Vec<(String, PatternUse)> =
                vec![(entry.name.clone(), PatternUse::Alias)];
            forms.extend(entry.aliases.iter().map(|a| (a.clone(), PatternUse::Alias)));
            if entry.party_type == PartyType::Person {
                if let Some(last) = entry.name.split_whitespace().last() {
                    if last != entry.name {
                        forms.push((last.to_string(), PatternUse::Surname));
                    }
                }
            }
            for (form, usage) in forms {
                if usage == PatternUse::Alias {
                    by_alias.entry(form.to_lowercase()).or_insert(idx);
                }
                let mut variants = vec![form.clone()];
                if form.contains('\'') {
                    variants.push(form.replace('\'', "\u{2019}"));
                }
                for variant in variants {
                    if variant.is_empty() || !seen.insert(variant.clone()) {
                        continue;
                    }
                    patterns.push(Pattern {
                        entry: idx,
                        alias: variant,
                        usage,
                    });
                }
            }
        }
        // A contiguous NFA, not a DFA: the automaton is walked only from alias anchors, a
        // few hundred bytes an article (0.6% more extraction instructions than the DFA),
        // while the DFA took most of the start-up (about 12 ms and 2.5 MB for every command)
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(patterns.iter().map(|p| p.alias.as_str()))
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Both)
                    .ascii_case_insensitive(true)
                    .build(patterns.iter().map(|p| p.alias.as_str()))
            })
            .map_err(|e| {
                rules
                    .file(ALIASES)
                    .bad(0, format!("cannot build matcher: {e}"))
            })?;

        let lexicon = rules.file(LEXICON);
        let mut alias_pairs = vec![0u64; 65536 / 64];
        let mut alias_pairs_next = vec![0u64; 65536 / 64];
        let mark = |set: &mut Vec<u64>, first: Option<u8>, second: Option<u8>| {
            let all: Vec<u8> = (0..=255).collect();
            let firsts = first.map_or(all.clone(), |b| vec![b.to_ascii_lowercase()]);
            let seconds = second.map_or(all, |b| vec![b.to_ascii_lowercase()]);
            for &a in &firsts {
                for &b in &seconds {
                    let pair = usize::from(a) << 8 | usize::from(b);
                    set[pair / 64] |= 1 << (pair % 64);
                }
            }
        };
        for pattern in &patterns {
            let bytes = pattern.alias.as_bytes();
            if bytes.is_empty() {
                continue;
            }
            mark(
                &mut alias_pairs,
                bytes.first().copied(),
                bytes.get(1).copied(),
            );
            match bytes.get(1) {
                Some(&second) => mark(&mut alias_pairs_next, Some(second), bytes.get(2).copied()),
                None => mark(&mut alias_pairs_next, None, None),
            }
        }
        let mut extractor = PartyExtractor {
            entries,
            by_name,
            by_alias,
            automaton,
            patterns,
            alias_pairs,
            alias_pairs_next,
            suffixes: WordSet::default(),
            titles: WordSet::default(),
            roles: Vec::new(),
            role_ends: WordSet::default(),
            say: WordSet::default(),
            not_name: WordSet::default(),
            connectors: WordSet::default(),
            publications: WordSet::default(),
        };
        for (line, fields) in lexicon.rows() {
            let (Some(category), Some(word)) = (fields.first(), fields.get(1)) else {
                return Err(lexicon.bad(line, "expected `category | word`"));
            };
            let word = word.to_string();
            match *category {
                "suffix" => {
                    extractor
                        .suffixes
                        .insert(word.trim_end_matches('.').to_string());
                }
                "title" => {
                    extractor
                        .titles
                        .insert(word.trim_end_matches('.').to_string());
                }
                "role" => {
                    let role: Vec<String> =
                        word.split_whitespace().map(str::to_lowercase).collect();
                    let Some(last) = role.last() else {
                        return Err(lexicon.bad(line, "a role needs at least one word"));
                    };
                    if role.len() <= 4 {
                        extractor.role_ends.insert(last.clone());
                    }
                    extractor.roles.push(role);
                }
                "say" => {
                    extractor.say.insert(word);
                }
                "not_name" => {
                    extractor.not_name.insert(word);
                }
                "connector" => {
                    extractor.connectors.insert(word);
                }
                "publication" => {
                    extractor.publications.insert(word);
                }
                other => return Err(lexicon.bad(line, format!("unknown category `{other}`"))),
            }
        }
        Ok(extractor)
    }

    /// Every party mention in `text`, with character offsets.
    pub fn find(&self, text: &str) -> Vec<Party> {
        let sentences = super::sentences::split(text);
        let map = CharMap::new(text);
        self.find_bytes(text, &sentences)
            .into_iter()
            .map(|hit| hit.into_party(text, &map))
            .collect()
    }

    /// Every party mention in `text` (byte offsets), given its sentences.
    pub fn find_bytes(&self, text: &str, _sentences: &[SentenceSpan]) -> Vec<PartyHit> {
        let matches = self
            .automaton
            .find_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()));
        let mut hits = self.table_hits(text, matches);
        let bytes = text.as_bytes();
        let starts = (0..bytes.len()).filter(|&i| bytes[i].is_ascii_uppercase());
        let rule_hits = self.rule_hits(text, &hits, starts);
        if !rule_hits.is_empty() {
            hits.extend(rule_hits);
            hits.sort_by_key(|h| h.start);
        }
        hits
    }

    /// What the scan must mark for [`PartyExtractor::find_bytes_at`]; `None` when an alias
    /// starts with a byte that is not an ASCII letter or digit, so that the scan cannot
    /// serve (use [`PartyExtractor::find_bytes`]).
    pub fn scan_words(&self) -> Option<ScanWords> {
        let mut words = ScanWords::default();
        for pattern in &self.patterns {
            let bytes = pattern.alias.as_bytes();
            let first = *bytes.first()?;
            if first.is_ascii_digit() {
                words.alias_digits = true;
            } else if first.is_ascii_alphabetic() {
                match alias_anchor_word(bytes) {
                    Some((offset, len)) => words.alias_words.push(AliasWord {
                        word: pattern.alias[offset..offset + len].to_string(),
                        offset,
                        case: LeadCase::of(&bytes[offset..offset + len]),
                        follow: bytes[offset + len..].iter().take(2).copied().collect(),
                    }),
                    None => words.alias_long = true,
                }
            } else {
                return None;
            }
        }
        // each word a name rule compares (in exact case, but roles in any case) must show
        // one of its ASCII letter runs to the scan, else the scan cannot gate the rules
        let mut cues = Vec::new();
        let exact = self.suffixes.iter().chain(&self.titles).chain(&self.say);
        let any_case = self.roles.iter().flatten();
        for (word, exact_case) in exact.map(|w| (w, true)).chain(any_case.map(|w| (w, false))) {
            let longest = word
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|run| !run.is_empty() && run.len() <= super::scan::MAX_WORD)
                .max_by_key(|run| run.len());
            match longest {
                Some(run) => {
                    let upper_only =
                        exact_case && run.len() == 1 && run.bytes().all(|b| b.is_ascii_uppercase());
                    cues.push((run.to_string(), upper_only));
                }
                None => {
                    words.name_cues = None;
                    return Some(words);
                }
            }
        }
        words.name_cues = Some(cues);
        Some(words)
    }

    /// Whether an alias may start at byte `at`, by its first two bytes.
    fn may_start_alias(&self, bytes: &[u8], at: usize) -> bool {
        let Some(first) = bytes.get(at).map(u8::to_ascii_lowercase) else {
            return false;
        };
        let second = bytes.get(at + 1).map_or(0, u8::to_ascii_lowercase);
        let third = bytes.get(at + 2).map_or(0, u8::to_ascii_lowercase);
        let has = |set: &[u64], a: u8, b: u8| {
            let pair = usize::from(a) << 8 | usize::from(b);
            set.get(pair / 64)
                .is_some_and(|bits| bits & (1 << (pair % 64)) != 0)
        };
        has(&self.alias_pairs, first, second) && has(&self.alias_pairs_next, second, third)
    }

    /// Like [`PartyExtractor::find_bytes`], given the scan's party anchors (see
    /// [`PartyExtractor::scan_words`]): `aliases`, where an alias may start, and `names`,
    /// capitalised word starts where the name rules may find a name, both in text order.
    /// Aliases are looked up only there, with anchored searches.
    pub fn find_bytes_at(&self, text: &str, aliases: &[usize], names: &[usize]) -> Vec<PartyHit> {
        let mut free_from = 0;
        let bytes = text.as_bytes();
        let matches = aliases.iter().filter_map(|&at| {
            if at < free_from || !self.may_start_alias(bytes, at) {
                return None;
            }
            let input = aho_corasick::Input::new(text)
                .span(at..text.len())
                .anchored(aho_corasick::Anchored::Yes);
            let found = self.automaton.find(input)?;
            free_from = found.end();
            Some((found.start(), found.end(), found.pattern().as_usize()))
        });
        let mut hits = self.table_hits(text, matches);
        let starts = names
            .iter()
            .copied()
            .filter(|&i| bytes.get(i).is_some_and(u8::is_ascii_uppercase));
        let rule_hits = self.rule_hits(text, &hits, starts);
        if !rule_hits.is_empty() {
            hits.extend(rule_hits);
            hits.sort_by_key(|h| h.start);
        }
        hits
    }

    /// Alias matches `(start, end, pattern)` that stand as whole words in the right case.
    fn table_hits(
        &self,
        text: &str,
        matches: impl Iterator<Item = (usize, usize, usize)>,
    ) -> Vec<PartyHit> {
        let mut hits = Vec::with_capacity(16);
        // few hits per article: a list beats hashing
        let mut seen_full: Vec<usize> = Vec::with_capacity(16);
        for (start, end, pattern) in matches {
            let Some(pattern) = self.patterns.get(pattern) else {
                continue;
            };
            let (Some(found), true) = (text.get(start..end), is_word_edge(text, start, end)) else {
                continue;
            };
            if !case_ok(&pattern.alias, found) {
                continue;
            }
            // a known person's bare surname counts when capitalised (checked above); the
            // context check only guards all-capital text ("MUSK" in a headline-style line)
            if pattern.usage == PatternUse::Surname
                && found.bytes().all(|b| !b.is_ascii_lowercase())
                && !seen_full.contains(&pattern.entry)
                && !self.surname_context(text, start, end)
            {
                continue;
            }
            if !seen_full.contains(&pattern.entry) {
                seen_full.push(pattern.entry);
            }
            let Some(entry) = self.entries.get(pattern.entry) else {
                continue;
            };
            hits.push(PartyHit {
                start,
                end,
                name: entry.name.clone(),
                party_type: entry.party_type,
                known: true,
            });
        }
        hits
    }

    fn surname_context(&self, text: &str, start: usize, end: usize) -> bool {
        let after = &text[end..];
        if after.starts_with("'s") || after.starts_with("\u{2019}s") {
            return true;
        }
        let mut to = after.len().min(32);
        while !after.is_char_boundary(to) {
            to -= 1;
        }
        let next = after[..to].trim_start_matches([' ', ',']);
        let next_word: &str = next
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        if self.say.contains(next_word) {
            return true;
        }
        let mut from = start.saturating_sub(32);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let before = text[from..start].trim_end();
        let prev_word = before
            .rsplit(|c: char| !c.is_ascii_alphabetic() && c != '.')
            .next()
            .unwrap_or("");
        self.titles.contains(prev_word.trim_end_matches('.'))
    }

    /// Names the table lacks, found by the rules: one pass over the text that stops only at
    /// capitalised words (a run of them cannot cross punctuation, so sentences need not be
    /// known here).
    ///
    /// `capitals` holds (at least) every capital letter that starts a word, in text order.
    fn rule_hits(
        &self,
        text: &str,
        table: &[PartyHit],
        capitals: impl Iterator<Item = usize>,
    ) -> Vec<PartyHit> {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut out = Vec::new();
        let mut table_idx = 0usize;
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut resume = 0usize;
        for i in capitals {
            if i < resume || i >= n || !bytes[i].is_ascii_uppercase() || !starts_word(bytes, i) {
                continue;
            }
            while table_idx < table.len() && table[table_idx].end <= i {
                table_idx += 1;
            }
            let covered = |s: usize, e: usize, idx: usize| -> bool {
                table.get(idx).is_some_and(|h| h.start < e && s < h.end)
            };
            // the run of capitalised words (with connectors) from here
            run.clear();
            let mut pos = i;
            loop {
                let end = token_end(bytes, pos);
                if end == pos || covered(pos, end, table_idx) {
                    break;
                }
                run.push((pos, end));
                let next = skip_spaces(bytes, end);
                if next == end || next >= n {
                    break;
                }
                if bytes[next].is_ascii_uppercase() {
                    pos = next;
                    continue;
                }
                // a connector has at most three bytes: four plain word bytes rule it out
                // without finding where the word ends
                if bytes
                    .get(next..next + 4)
                    .is_some_and(|w| w.iter().all(|&b| PLAIN_WORD_BYTE[usize::from(b)]))
                {
                    break;
                }
                let connector_end = token_end(bytes, next);
                let after = skip_spaces(bytes, connector_end);
                if connector_end > next
                    && connector_end - next <= 3
                    && after > connector_end
                    && after < n
                    && bytes[after].is_ascii_uppercase()
                    && self.connectors.contains(&text[next..connector_end])
                {
                    run.push((next, connector_end));
                    pos = after;
                    continue;
                }
                break;
            }
            // a connector cannot end a run
            while run
                .last()
                .is_some_and(|&(s, _)| !bytes[s].is_ascii_uppercase())
            {
                run.pop();
            }
            let Some(&(_, run_end)) = run.last() else {
                resume = i + 1;
                continue;
            };
            resume = run_end;
            let word = |k: usize| -> &str { run.get(k).map(|&(s, e)| &text[s..e]).unwrap_or("") };
            let mut first = 0usize;
            // titles are capitalised: only then is the previous word looked up
            let previous = previous_word(text, run[0].0);
            let mut after_title = previous
                .as_bytes()
                .first()
                .is_some_and(u8::is_ascii_uppercase)
                && self.titles.contains(previous);
            if run.len() == 1 && !after_title {
                // one capitalised word alone is a name only after a title
                continue;
            }
            while first < run.len()
                && (self.not_name.contains(word(first)) || self.titles.contains(word(first)))
            {
                after_title |= self.titles.contains(word(first));
                first += 1;
            }
            if first >= run.len() {
                continue;
            }
            let last = run.len() - 1;
            let len = run.len() - first;
            let (start, end) = (run[first].0, run[last].1);
            let next_start = skip_spaces(bytes, end);
            let next_word = if next_start > end {
                &text[next_start..token_end(bytes, next_start)]
            } else {
                ""
            };
            let is_person = ((1..=3).contains(&len) && after_title)
                || ((2..=3).contains(&len)
                    && ((next_word.len() <= 8
                        && next_word
                            .as_bytes()
                            .first()
                            .is_some_and(u8::is_ascii_lowercase)
                        && self.say.contains(next_word))
                        || (previous
                            .as_bytes()
                            .first()
                            .is_some_and(u8::is_ascii_lowercase)
                            && self.role_before(text, start))));
            let party_type = if len >= 2 && self.suffixes.contains(word(last)) {
                Some(PartyType::Org)
            } else if is_person {
                Some(PartyType::Person)
            } else {
                None
            };
            if let Some(party_type) = party_type {
                out.push(PartyHit {
                    start,
                    end,
                    name: text[start..end].to_string(),
                    party_type,
                    known: false,
                });
            }
        }
        out
    }

    /// Whether a role phrase ("chief executive") ends right before byte `start`.
    fn role_before(&self, text: &str, start: usize) -> bool {
        // most words before a name end no role: one lookup settles them
        let last = previous_word(text, start);
        let mut lower = [0u8; 24];
        let Some(lower) = lower.get_mut(..last.len()) else {
            return false;
        };
        lower.copy_from_slice(last.as_bytes());
        lower.make_ascii_lowercase();
        if !std::str::from_utf8(lower).is_ok_and(|last| self.role_ends.contains(last)) {
            return false;
        }
        let mut words: [&str; 4] = [""; 4];
        let mut pos = start;
        for slot in words.iter_mut() {
            let w = previous_word(text, pos);
            if w.is_empty() {
                break;
            }
            *slot = w;
            pos = text[..pos].trim_end_matches(' ').len() - w.len();
        }
        self.roles.iter().any(|role| {
            role.len() <= 4
                && role
                    .iter()
                    .rev()
                    .zip(words.iter())
                    .all(|(r, w)| w.eq_ignore_ascii_case(r))
        })
    }

    /// The canonical name of a known party, given its canonical name or any alias
    /// (case-insensitive).
    pub fn canonical(&self, name_or_alias: &str) -> Option<&str> {
        let key = name_or_alias.trim();
        self.by_name
            .get(key)
            .or_else(|| self.by_alias.get(&key.to_lowercase()))
            .and_then(|&i| self.entries.get(i))
            .map(|e| e.name.as_str())
    }

    /// The parent organisation of a unit ("Amazon Web Services" → "Amazon").
    pub fn parent_of(&self, name: &str) -> Option<&str> {
        let idx = *self.by_name.get(name)?;
        self.entries.get(idx)?.parent.as_deref()
    }

    /// The top of a party's parent chain (the party itself when it has no parent).
    pub fn root_of<'a>(&'a self, name: &'a str) -> &'a str {
        let mut current = name;
        for _ in 0..16 {
            match self.parent_of(current) {
                Some(parent) if parent != current => current = parent,
                _ => break,
            }
        }
        current
    }

    /// Whether two parties are the same or belong to the same corporate family
    /// (one is a unit of the other, or both are units of one parent).
    pub fn related(&self, a: &str, b: &str) -> bool {
        a == b || self.root_of(a) == self.root_of(b)
    }

    /// Every name a party goes by: its canonical name and its aliases (empty if unknown).
    pub fn aliases_of(&self, name: &str) -> Vec<String> {
        let Some(entry) = self.by_name.get(name).and_then(|&i| self.entries.get(i)) else {
            return Vec::new();
        };
        let mut all = vec![entry.name.clone()];
        all.extend(entry.aliases.iter().cloned());
        all
    }

    /// Whether the alias table knows `name` (a canonical name).
    pub fn is_known(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Whether `name` is a news outlet (lexicon category `publication`).
    pub fn is_publication(&self, name: &str) -> bool {
        self.publications.contains(name)
    }

    /// The type of a known party.
    pub fn type_of(&self, name: &str) -> Option<PartyType> {
        self.by_name
            .get(name)
            .and_then(|&i| self.entries.get(i))
            .map(|e| e.party_type)
    }
}

fn load_aliases(
    file: &RuleFile,
    entries: &mut Vec<Entry>,
    by_name: &mut rustc_hash::FxHashMap<String, usize>,
) -> Result<(), RulesError> {
    for (line, fields) in file.rows() {
        if fields.len() < 3 {
            return Err(file.bad(line, "expected `name | org/person | parent | aliases...`"));
        }
        let name = fields[0].to_string();
        if name.is_empty() {
            return Err(file.bad(line, "empty party name"));
        }
        let party_type = match fields[1].to_ascii_lowercase().as_str() {
            "org" => PartyType::Org,
            "person" => PartyType::Person,
            other => {
                return Err(file.bad(line, format!("type must be org or person, not `{other}`")))
            }
        };
        let parent = match fields[2] {
            "" | "-" => None,
            p => Some(p.to_string()),
        };
        let aliases = fields[3..]
            .iter()
            .filter(|a| !a.is_empty())
            .map(|a| a.to_string());
        match by_name.get(&name) {
            Some(&idx) => {
                let entry = &mut entries[idx];
                entry.aliases.extend(aliases);
                if parent.is_some() {
                    entry.parent = parent;
                }
            }
            None => {
                by_name.insert(name.clone(), entries.len());
                entries.push(Entry {
                    name,
                    party_type,
                    parent,
                    aliases: aliases.collect(),
                });
            }
        }
    }
    Ok(())
}

/// An upper-case letter of the alias must be upper case in the text; lower case matches either.
fn case_ok(alias: &str, found: &str) -> bool {
    alias
        .chars()
        .zip(found.chars())
        .all(|(a, f)| !a.is_uppercase() || f.is_uppercase())
}

/// Whether `start..end` is a whole word: no letter or digit directly before or after.
fn is_word_edge(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

fn is_word_byte(bytes: &[u8], i: usize) -> bool {
    let b = bytes[i];
    if b.is_ascii_alphanumeric() || b == b'&' {
        return true;
    }
    if b < 0x80 {
        return false;
    }
    // general punctuation block U+2000..U+206F (E2 80 xx, E2 81 xx): quotes, dashes
    if b == 0xE2 && matches!(bytes.get(i + 1), Some(0x80) | Some(0x81)) {
        return false;
    }
    // continuation bytes of such punctuation
    if (0x80..0xC0).contains(&b) {
        let mut k = i;
        while k > 0 && (0x80..0xC0).contains(&bytes[k]) {
            k -= 1;
        }
        return !(bytes[k] == 0xE2 && matches!(bytes.get(k + 1), Some(0x80) | Some(0x81)));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extractor() -> PartyExtractor {
        PartyExtractor::new(&RuleSet::embedded()).expect("embedded rules build")
    }

    fn names(text: &str) -> Vec<(String, PartyType)> {
        extractor()
            .find(text)
            .into_iter()
            .map(|p| (p.name, p.party_type))
            .collect()
    }

    #[test]
    fn table_aliases_map_to_canonical_names() {
        let found = names("AWS and Amazon's cloud unit compete with Google Cloud and X Corp.");
        let found: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            found,
            vec![
                "Amazon Web Services",
                "Amazon Web Services",
                "Google Cloud",
                "Twitter"
            ]
        );
    }

    #[test]
    fn case_rules_hold() {
        assert!(names("the aws console").is_empty());
        assert!(names("an apple a day").is_empty());
        assert_eq!(names("APPLE SHARES")[0].0, "Apple");
    }

    #[test]
    fn possessive_surname_resolves() {
        let found = names("Musk’s company and Musk said so, but a musk scent and Musk alone.");
        let musk: Vec<_> = found.iter().filter(|(n, _)| n == "Elon Musk").collect();
        assert_eq!(musk.len(), 3);
        assert!(names("A MUSK SCENT").is_empty());
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Café – Twitter";
        let parties = extractor().find(text);
        assert_eq!(parties[0].start, 7);
        assert_eq!(parties[0].end, 14);
        assert_eq!(parties[0].text, "Twitter");
    }

    #[test]
    fn rules_find_unknown_names() {
        let found = names("Ohio Mattress Co said profits fell. Mr Jones agreed, and chief executive Jane Roe left. The Board said nothing. Mary Ann Smith said yes.");
        assert!(found.contains(&("Ohio Mattress Co".into(), PartyType::Org)));
        assert!(found.contains(&("Jones".into(), PartyType::Person)));
        assert!(found.contains(&("Jane Roe".into(), PartyType::Person)));
        assert!(found.contains(&("Mary Ann Smith".into(), PartyType::Person)));
        assert!(!found.iter().any(|(n, _)| n.contains("Board")));
    }

    #[test]
    fn relations_are_queryable() {
        let p = extractor();
        assert_eq!(p.parent_of("Amazon Web Services"), Some("Amazon"));
        assert!(p.related("Google Cloud", "Google"));
        assert!(p.related("Google Cloud", "Alphabet"));
        assert!(!p.related("Google Cloud", "Amazon"));
        assert!(p.aliases_of("Twitter").iter().any(|a| a == "X Corp"));
        assert_eq!(p.canonical("aws"), Some("Amazon Web Services"));
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn examples_file_holds() {
        let rules = RuleSet::embedded();
        let parties = PartyExtractor::new(&rules).expect("rules build");
        let mut failures = Vec::new();
        let mut count = 0;
        for (line, fields) in rules.file("parties/examples.tsv").rows() {
            let [text, expected] = fields[..] else {
                panic!("parties/examples.tsv:{line}: expected 2 fields");
            };
            count += 1;
            let found: Vec<String> = parties
                .find(text)
                .iter()
                .map(|p| {
                    let kind = match p.party_type {
                        PartyType::Org => "org",
                        PartyType::Person => "person",
                    };
                    format!("{}:{kind}", p.name)
                })
                .collect();
            let want: Vec<String> = if expected == "-" {
                Vec::new()
            } else {
                expected.split(", ").map(str::to_string).collect()
            };
            if found != want {
                failures.push(format!("line {line}: {text:?} gave {found:?}"));
            }
        }
        assert!(count >= 10);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// Whether byte `i` starts a word: the byte before is not part of a word (curly quotes and
/// dashes count as punctuation).
fn starts_word(bytes: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let b = bytes[i - 1];
    if b.is_ascii_alphanumeric() || b == b'&' {
        return false;
    }
    if b < 0x80 {
        return true;
    }
    // U+2000..U+206F punctuation (E2 80 xx / E2 81 xx) before the word
    i >= 3 && bytes[i - 3] == 0xE2 && matches!(bytes[i - 2], 0x80 | 0x81)
}

/// ASCII letters, digits and `&`, by byte: one load instead of several range tests in the
/// loops that walk words.
static PLAIN_WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = byte.is_ascii_alphanumeric() || byte == b'&';
        b += 1;
    }
    table
};

/// End of the word token starting at `pos`: letters, digits, `&`, non-ASCII letters, and
/// internal periods or hyphens ("U.S", "Coca-Cola").
fn token_end(bytes: &[u8], pos: usize) -> usize {
    let n = bytes.len();
    let mut i = pos;
    while i < n {
        // most bytes are plain letters and digits
        while i < n && PLAIN_WORD_BYTE[usize::from(bytes[i])] {
            i += 1;
        }
        if i >= n {
            break;
        }
        let b = bytes[i];
        let inner_dot = (b == b'.' || b == b'-')
            && i > pos
            && i + 1 < n
            && bytes[i + 1].is_ascii_alphanumeric()
            && bytes[i - 1].is_ascii_alphanumeric();
        if b.is_ascii_alphanumeric()
            || b == b'&'
            || inner_dot
            || (b >= 0x80 && is_word_byte(bytes, i))
        {
            i += 1;
        } else {
            break;
        }
    }
    // never end inside a character
    while i > pos && i < n && (0x80..0xC0).contains(&bytes[i]) {
        i -= 1;
    }
    i
}

/// The first byte after a run of spaces starting at `pos` (`pos` itself when none).
fn skip_spaces(bytes: &[u8], pos: usize) -> usize {
    let mut i = pos;
    while i < bytes.len() && bytes[i] == b' ' && i - pos < 8 {
        i += 1;
    }
    i
}

/// The ASCII word right before byte `pos` (after spaces and a period), at most 24 bytes.
fn previous_word(text: &str, pos: usize) -> &str {
    let bytes = text.as_bytes();
    let mut end = pos;
    while end > 0 && bytes[end - 1] == b' ' && pos - end < 8 {
        end -= 1;
    }
    if end > 0 && bytes[end - 1] == b'.' {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes[start - 1].is_ascii_alphabetic() && end - start < 24 {
        start -= 1;
    }
    &text[start..end]
}
