//! Parties: organisations and people, from the alias table `rules/parties/aliases.tsv`
//! (one Aho-Corasick pass over the text) and from rules for names the table lacks
//! (corporate suffixes, titles, job roles, verbs of saying), read from `rules/parties/lexicon.tsv`.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

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
    /// The public [`Party`] with character offsets.
    pub fn to_party(&self, text: &str, map: &CharMap) -> Party {
        Party {
            name: self.name.clone(),
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
    by_name: HashMap<String, usize>,
    by_alias: HashMap<String, usize>,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    suffixes: HashSet<String>,
    titles: HashSet<String>,
    roles: Vec<Vec<String>>,
    say: HashSet<String>,
    not_name: HashSet<String>,
    connectors: HashSet<String>,
    publications: HashSet<String>,
}

impl PartyExtractor {
    /// Builds the extractor from the alias table and the lexicon.
    pub fn new(rules: &RuleSet) -> Result<PartyExtractor, RulesError> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        for file in [rules.file(ALIASES), rules.file(LOCAL_ALIASES)] {
            load_aliases(file, &mut entries, &mut by_name)?;
        }
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut by_alias: HashMap<String, usize> = HashMap::new();
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
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(patterns.iter().map(|p| p.alias.as_str()))
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(patterns.iter().map(|p| p.alias.as_str()))
            })
            .map_err(|e| {
                rules
                    .file(ALIASES)
                    .bad(0, format!("cannot build matcher: {e}"))
            })?;

        let lexicon = rules.file(LEXICON);
        let mut extractor = PartyExtractor {
            entries,
            by_name,
            by_alias,
            automaton,
            patterns,
            suffixes: HashSet::new(),
            titles: HashSet::new(),
            roles: Vec::new(),
            say: HashSet::new(),
            not_name: HashSet::new(),
            connectors: HashSet::new(),
            publications: HashSet::new(),
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
                "role" => extractor
                    .roles
                    .push(word.split_whitespace().map(str::to_lowercase).collect()),
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
            .iter()
            .map(|hit| hit.to_party(text, &map))
            .collect()
    }

    /// Every party mention in `text` (byte offsets), given its sentences.
    pub fn find_bytes(&self, text: &str, sentences: &[SentenceSpan]) -> Vec<PartyHit> {
        let mut hits = self.table_hits(text);
        let rule_hits = self.rule_hits(text, sentences, &hits);
        if !rule_hits.is_empty() {
            hits.extend(rule_hits);
            hits.sort_by_key(|h| h.start);
        }
        hits
    }

    fn table_hits(&self, text: &str) -> Vec<PartyHit> {
        let mut hits = Vec::new();
        let mut seen_full: HashSet<usize> = HashSet::new();
        for m in self.automaton.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let Some(pattern) = self.patterns.get(m.pattern().as_usize()) else {
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
            seen_full.insert(pattern.entry);
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
        let next = after.trim_start_matches([' ', ',']);
        let next_word: &str = next
            .split(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        if self.say.contains(next_word) {
            return true;
        }
        let before = text[..start].trim_end();
        let prev_word = before
            .rsplit(|c: char| !c.is_ascii_alphabetic() && c != '.')
            .next()
            .unwrap_or("");
        self.titles.contains(prev_word.trim_end_matches('.'))
    }

    /// Names the table lacks, found by the rules, in the sentences.
    fn rule_hits(
        &self,
        text: &str,
        sentences: &[SentenceSpan],
        table: &[PartyHit],
    ) -> Vec<PartyHit> {
        let mut out = Vec::new();
        let mut table_idx = 0usize;
        let mut tokens: Vec<(usize, usize)> = Vec::new();
        for sentence in sentences {
            tokenize(text, sentence.start, sentence.end, &mut tokens);
            // which tokens a table hit covers
            let mut covered = vec![false; tokens.len()];
            for (k, &(s, e)) in tokens.iter().enumerate() {
                while table_idx < table.len() && table[table_idx].end <= s {
                    table_idx += 1;
                }
                if let Some(hit) = table.get(table_idx) {
                    if hit.start < e && s < hit.end {
                        covered[k] = true;
                    }
                }
            }
            self.scan_tokens(text, &tokens, &covered, &mut out);
        }
        out
    }

    fn scan_tokens(
        &self,
        text: &str,
        tokens: &[(usize, usize)],
        covered: &[bool],
        out: &mut Vec<PartyHit>,
    ) {
        let word = |k: usize| -> &str { tokens.get(k).map(|&(s, e)| &text[s..e]).unwrap_or("") };
        let capital = |k: usize| -> bool {
            !covered.get(k).copied().unwrap_or(true)
                && word(k)
                    .as_bytes()
                    .first()
                    .is_some_and(u8::is_ascii_uppercase)
        };
        let joined = |a: usize, b: usize| -> bool {
            // only spaces between tokens a and b (adjacent in the list)
            match (tokens.get(a), tokens.get(b)) {
                (Some(&(_, ae)), Some(&(bs, _))) => text[ae..bs].bytes().all(|c| c == b' '),
                _ => false,
            }
        };
        let mut i = 0usize;
        while i < tokens.len() {
            if !capital(i) {
                i += 1;
                continue;
            }
            let mut j = i;
            loop {
                if capital(j + 1) && joined(j, j + 1) {
                    j += 1;
                } else if self.connectors.contains(word(j + 1))
                    && capital(j + 2)
                    && joined(j, j + 1)
                    && joined(j + 1, j + 2)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let next = j + 1;
            let mut first = i;
            let mut after_title = i > 0 && self.titles.contains(word(i - 1));
            while first <= j
                && (self.not_name.contains(word(first)) || self.titles.contains(word(first)))
            {
                if self.titles.contains(word(first)) {
                    after_title = true;
                }
                first += 1;
            }
            i = next;
            if first > j {
                continue;
            }
            let len = j - first + 1;
            let (start, end) = (tokens[first].0, tokens[j].1);
            let name = text[start..end].to_string();
            let party_type = if len >= 2 && self.suffixes.contains(word(j)) {
                Some(PartyType::Org)
            } else if (1..=3).contains(&len) && after_title {
                Some(PartyType::Person)
            } else if (2..=3).contains(&len)
                && (self.role_before(text, tokens, first)
                    || (self.say.contains(word(next)) && joined(j, next)))
            {
                Some(PartyType::Person)
            } else {
                None
            };
            if let Some(party_type) = party_type {
                out.push(PartyHit {
                    start,
                    end,
                    name,
                    party_type,
                    known: false,
                });
            }
        }
    }

    /// Whether a role phrase ("chief executive") ends right before token `k`.
    fn role_before(&self, text: &str, tokens: &[(usize, usize)], k: usize) -> bool {
        self.roles.iter().any(|role| {
            role.len() <= k
                && role.iter().enumerate().all(|(r, w)| {
                    let (s, e) = tokens[k - role.len() + r];
                    text[s..e].eq_ignore_ascii_case(w)
                })
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
    by_name: &mut HashMap<String, usize>,
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

/// Splits `text[start..end]` into word tokens (byte spans): runs of ASCII letters and digits,
/// internal periods ("U.S"), hyphens and `&`, and non-ASCII letters. Apostrophes, quotes and
/// other punctuation separate tokens.
fn tokenize(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        if !is_word_byte(bytes, i) {
            i += 1;
            continue;
        }
        let s = i;
        while i < end {
            if is_word_byte(bytes, i) {
                i += 1;
            } else if (bytes[i] == b'.' || bytes[i] == b'-')
                && i + 1 < end
                && bytes[i + 1].is_ascii_alphanumeric()
                && bytes[i - 1].is_ascii_alphanumeric()
            {
                i += 1;
            } else {
                break;
            }
        }
        // step back to a char boundary (non-ASCII runs are whole characters already)
        let mut e = i;
        while e > s && !text.is_char_boundary(e) {
            e -= 1;
        }
        if e > s {
            out.push((s, e));
        }
    }
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
