//! Extract: money, parties, terms, dates and claims from article text, by rules.

pub mod claims;
pub mod dates;
pub mod money;
pub mod numbers;
pub mod parties;
pub mod sentences;
pub mod terms;

use crate::model::{Article, Extraction, Money};
use crate::rules::{RuleSet, RulesError};

/// All extractors, built once from the rules and shared across articles and threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    money: money::MoneyExtractor,
    parties: parties::PartyExtractor,
    terms: terms::TermExtractor,
    dates: dates::DateExtractor,
    claims: claims::ClaimExtractor,
}

impl Extractor {
    /// Builds every extractor from the loaded rules.
    pub fn new(rules: &RuleSet) -> Result<Extractor, RulesError> {
        Ok(Extractor {
            money: money::MoneyExtractor::new(rules)?,
            parties: parties::PartyExtractor::new(rules)?,
            terms: terms::TermExtractor::new(rules)?,
            dates: dates::DateExtractor::new(rules)?,
            claims: claims::ClaimExtractor::new(rules)?,
        })
    }

    /// The party extractor (alias table, parent/unit relations).
    pub fn parties(&self) -> &parties::PartyExtractor {
        &self.parties
    }

    /// Extracts everything from one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        let money = self.money.find(&article.text);
        self.extract_with_money(article, money)
    }

    /// Extracts everything from one article, given its money mentions (character offsets,
    /// in text order) found elsewhere.
    pub fn extract_with_money(&self, article: &Article, money: Vec<Money>) -> Extraction {
        let text = article.text.as_str();
        let map = CharMap::new(text);
        let sentences = sentences::split(text);
        let parties = self.parties.find_bytes(text, &sentences);
        let terms = self.terms.find_bytes(text);
        let anchor = dates::parse_published(article.published.as_deref());
        let dates = self.dates.find_bytes(text, anchor);
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
            parties: parties.iter().map(|p| p.to_party(text, &map)).collect(),
            terms: terms.iter().map(|t| t.to_term(text, &map)).collect(),
            dates: dates.iter().map(|d| d.to_date(text, &map)).collect(),
            money,
            claims,
        }
    }
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
        let mut chars = 0usize;
        let mut next_block = 0usize;
        for (b, _) in text.char_indices() {
            while b >= next_block {
                map.chars_at_block.push(chars);
                next_block += BLOCK;
            }
            if chars % BLOCK == 0 {
                map.bytes_at_char_block.push(b);
            }
            chars += 1;
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

    #[test]
    fn char_map_round_trips() {
        let text = "héllo – wörld ".repeat(40) + "end";
        let map = CharMap::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_of(&text, bi), ci);
            assert_eq!(map.byte_of(&text, ci), bi);
        }
        assert_eq!(map.char_of(&text, text.len()), text.chars().count());
        assert_eq!(map.byte_of(&text, 10_000), text.len());
    }

    #[test]
    fn char_map_ascii_is_identity() {
        let map = CharMap::new("plain");
        assert_eq!(map.char_of("plain", 3), 3);
        assert_eq!(map.byte_of("plain", 3), 3);
    }
}
