//! The index schema, built in one place, and the tokenizers it needs.
//!
//! One tantivy index holds two kinds of document, told apart by the `doc_type` field
//! (`article` or `claim`). Article fields and claim-only fields are listed below; a field
//! that both kinds carry (`article_id`, `source`, `title`, `published`) means the same on both.
//!
//! Bump [`SCHEMA_VERSION`] whenever a field is added, removed, indexed or computed differently
//! (version 2: `content_hash` reads the text through `text_hash`; version 3: an article
//! whose raw input is a JSON object holding its text verbatim is stored without the text in
//! `article`, which is read back from `raw_body`): an index
//! written with another version must be rebuilt with `concord reindex`, which reads only the
//! stored fields `article`, `extraction`, `raw_format` and `raw_body` (keep those names).

use std::collections::HashMap;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, INDEXED, STORED,
};

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};
use tantivy::Index;

/// Version of the schema below; recorded in the index's `concord.json`.
pub const SCHEMA_VERSION: u32 = 3;

/// `doc_type` value of article documents.
pub const DOC_ARTICLE: &str = "article";
/// `doc_type` value of claim documents.
pub const DOC_CLAIM: &str = "claim";

/// Tokenizer for exact-match names (source, party, currency): the whole value, lower-cased.
pub const LOWER_RAW: &str = "lower_raw";
/// Tokenizer for short prose (titles, claim sentences): words, lower-cased, stemmed.
pub const PROSE: &str = "en_stem";
/// Tokenizer for party names, aliases and article texts: words, lower-cased, not stemmed.
pub const NAMES: &str = "default";

/// Every field of the schema, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The schema itself.
    pub schema: Schema,
    /// `article` or `claim`.
    pub doc_type: Field,
    /// Article id (on articles and on their claims). Fast: loaded at writer open.
    pub article_id: Field,
    /// Claim id (claims only).
    pub claim_id: Field,
    /// Article URL, exact (articles only).
    pub url: Field,
    /// Source, lower-cased for matching; the fast column keeps the original spelling.
    pub source: Field,
    /// Title (prose).
    pub title: Field,
    /// Authors (articles only).
    pub authors: Field,
    /// Published date (seconds precision, fast).
    pub published: Field,
    /// Language code (articles only).
    pub language: Field,
    /// Article text (words, not stemmed; articles only; not stored here: it is in `article`).
    pub text: Field,
    /// 64-bit blake3 prefix of the text (articles only, fast).
    pub text_hash: Field,
    /// 64-bit blake3 prefix of title, published, source, URL and text (articles only, fast).
    pub content_hash: Field,
    /// Id of the article this one repeats (articles only, stored).
    pub duplicate_of: Field,
    /// Stored article JSON (the [`crate::model::Article`]).
    pub article: Field,
    /// Stored extraction JSON. Claims are left out of it when they have claim documents.
    pub extraction: Field,
    /// Stored raw input format.
    pub raw_format: Field,
    /// Stored raw input body.
    pub raw_body: Field,
    /// Claim kind (snake_case, fast).
    pub kind: Field,
    /// Currency code, upper-case (fast).
    pub currency: Field,
    /// The claim's figure: the value, else the middle of low and high, else the known bound.
    pub value: Field,
    /// Lower end of the amount.
    pub low: Field,
    /// Upper end of the amount.
    pub high: Field,
    /// `value` in US dollars at the yearly average rate (approximate).
    pub value_usd: Field,
    /// Canonical party names (exact, lower-cased for matching; fast keeps the spelling).
    pub parties: Field,
    /// Canonical party names and their aliases, as words.
    pub party_names: Field,
    /// Party roles (`payer`, `debtor`, ...).
    pub roles: Field,
    /// Contract term in months.
    pub term_months: Field,
    /// Start year.
    pub start_year: Field,
    /// Attribution ("Reuters"), exact, lower-cased.
    pub attribution: Field,
    /// Hedged flag.
    pub hedged: Field,
    /// Negated flag.
    pub negated: Field,
    /// Disputed flag.
    pub disputed: Field,
    /// Claim sentence (prose with positions; not stored: it is in `claim`).
    pub sentence: Field,
    /// Stored claim JSON (a [`crate::model::SourcedClaim`]).
    pub claim: Field,
}

fn exact(fast: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(LOWER_RAW)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::Basic),
    );
    if fast {
        options.set_fast(None)
    } else {
        options
    }
}

fn words(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

impl Fields {
    /// Builds the schema of [`SCHEMA_VERSION`].
    pub fn build() -> Fields {
        let mut b = Schema::builder();
        let raw_string = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        );
        let doc_type = b.add_text_field("doc_type", raw_string.clone());
        let article_id = b.add_text_field("article_id", raw_string.clone().set_fast(None));
        let claim_id = b.add_text_field("claim_id", raw_string.clone());
        let url = b.add_text_field("url", raw_string.clone());
        let source = b.add_text_field("source", exact(true));
        let title = b.add_text_field("title", words(PROSE, true));
        let authors = b.add_text_field("authors", words(NAMES, false));
        let date = DateOptions::default()
            .set_indexed()
            .set_fast()
            .set_precision(DateTimePrecision::Seconds);
        let published = b.add_date_field("published", date);
        let language = b.add_text_field("language", exact(false));
        // Article text is not stemmed: stemming doubles the indexing cost of the long texts.
        let text = b.add_text_field("text", words(NAMES, true));
        let text_hash = b.add_u64_field("text_hash", FAST);
        let content_hash = b.add_u64_field("content_hash", FAST);
        let duplicate_of = b.add_text_field("duplicate_of", raw_string.clone().set_stored());
        let article = b.add_text_field("article", STORED);
        let extraction = b.add_text_field("extraction", STORED);
        let raw_format = b.add_text_field("raw_format", STORED);
        let raw_body = b.add_text_field("raw_body", STORED);
        let kind = b.add_text_field("kind", exact(true));
        let currency = b.add_text_field("currency", exact(true));
        let value = b.add_f64_field("value", FAST);
        let low = b.add_f64_field("low", FAST);
        let high = b.add_f64_field("high", FAST);
        let value_usd = b.add_f64_field("value_usd", FAST);
        let parties = b.add_text_field("parties", exact(true));
        let party_names = b.add_text_field("party_names", words(NAMES, true));
        let roles = b.add_text_field("roles", exact(false));
        let term_months = b.add_u64_field("term_months", FAST | INDEXED);
        let start_year = b.add_i64_field("start_year", FAST | INDEXED);
        let attribution = b.add_text_field("attribution", exact(false));
        let flag = NumericOptions::default().set_fast().set_indexed();
        let hedged = b.add_bool_field("hedged", flag.clone());
        let negated = b.add_bool_field("negated", flag.clone());
        let disputed = b.add_bool_field("disputed", flag);
        let sentence = b.add_text_field("sentence", words(PROSE, true));
        let claim = b.add_text_field("claim", STORED);
        Fields {
            schema: b.build(),
            doc_type,
            article_id,
            claim_id,
            url,
            source,
            title,
            authors,
            published,
            language,
            text,
            text_hash,
            content_hash,
            duplicate_of,
            article,
            extraction,
            raw_format,
            raw_body,
            kind,
            currency,
            value,
            low,
            high,
            value_usd,
            parties,
            party_names,
            roles,
            term_months,
            start_year,
            attribution,
            hedged,
            negated,
            disputed,
            sentence,
            claim,
        }
    }
}

/// The stored article fields, found by name in any concord schema version (what
/// `reindex` reads).
#[derive(Debug, Clone, Copy)]
pub struct StoredFields {
    /// `doc_type`.
    pub doc_type: Field,
    /// `article`.
    pub article: Field,
    /// `extraction`.
    pub extraction: Field,
    /// `raw_format`.
    pub raw_format: Field,
    /// `raw_body`.
    pub raw_body: Field,
    /// `duplicate_of`.
    pub duplicate_of: Option<Field>,
}

impl StoredFields {
    /// Finds the fields by name; `None` when the schema lacks one of the required ones.
    pub fn from_schema(schema: &Schema) -> Option<StoredFields> {
        Some(StoredFields {
            doc_type: schema.get_field("doc_type").ok()?,
            article: schema.get_field("article").ok()?,
            extraction: schema.get_field("extraction").ok()?,
            raw_format: schema.get_field("raw_format").ok()?,
            raw_body: schema.get_field("raw_body").ok()?,
            duplicate_of: schema.get_field("duplicate_of").ok(),
        })
    }
}

/// Registers the tokenizers the schema names beyond tantivy's defaults, and replaces
/// tantivy's [`NAMES`] and [`PROSE`] analyzers by ones that make the same tokens faster
/// (see [`LowerWords`] and [`CachedStemmer`]). Must be called on every [`Index`] opened or
/// created.
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(
        LOWER_RAW,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    index.tokenizers().register(NAMES, names_analyzer());
    index.tokenizers().register(PROSE, prose_analyzer());
}

/// Words, at most 40 bytes long, lower-cased: the tokens of tantivy's `default` analyzer.
pub fn names_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(LowerWords::default())
}

/// Words, at most 40 bytes long, lower-cased and stemmed (English): tantivy's `en_stem`
/// chain, with the stemmer's answers remembered.
pub fn prose_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(LowerWords::default())
        .filter(CachedStemmer)
        .build()
}

/// Longest word kept, in bytes (tantivy's `RemoveLongFilter::limit(40)` keeps shorter ones).
const MAX_WORD_BYTES: usize = 40;

/// The tokens of tantivy's `SimpleTokenizer` followed by `RemoveLongFilter::limit(40)` and
/// `LowerCaser` (same text, offsets and positions: a word left out still takes its
/// position), made in one pass over the text, with ASCII bytes classified without decoding
/// characters. Indexing spends a good part of its time in these three stages.
#[derive(Clone, Default)]
pub struct LowerWords {
    token: Token,
    /// Scratch for the word bits of an ASCII text (see [`LowerWordsStream`]).
    ascii_words: Vec<u64>,
}

/// Token stream of [`LowerWords`].
pub struct LowerWordsStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    at: usize,
    /// Word bytes of the text, 64 to an entry, when the text is all ASCII (as most news
    /// texts are; empty otherwise): words are then found with bit operations instead of a
    /// walk over the bytes.
    ascii_words: &'a [u64],
    token: &'a mut Token,
}

impl Tokenizer for LowerWords {
    type TokenStream<'a> = LowerWordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> LowerWordsStream<'a> {
        self.token.reset();
        self.ascii_words.clear();
        if text.is_ascii() {
            fill_ascii_word_bits(text.as_bytes(), &mut self.ascii_words);
        }
        LowerWordsStream {
            text,
            at: 0,
            ascii_words: &self.ascii_words,
            token: &mut self.token,
        }
    }
}

/// One in every byte of a word, and the high bit of every byte.
const ONES: u64 = u64::from_ne_bytes([1; 8]);
const HIGHS: u64 = ONES << 7;

/// The high bit of each byte of `word` (ASCII bytes only) that lies strictly between `low`
/// and `high`.
fn ascii_between(word: u64, low: u8, high: u8) -> u64 {
    let low7 = word & !HIGHS;
    (ONES * (127 + u64::from(high)) - low7) & (low7 + ONES * (127 - u64::from(low))) & HIGHS
}

/// Bit `j` set for each ASCII letter or digit among the 64 bytes of `chunk`.
fn ascii_word_bits(chunk: &[u8; 64]) -> u64 {
    let mut bits = 0u64;
    for (k, eight) in chunk.chunks_exact(8).enumerate() {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(eight);
        let word = u64::from_le_bytes(raw);
        let marks = ascii_between(word | (ONES * 0x20), b'a' - 1, b'z' + 1)
            | ascii_between(word, b'0' - 1, b'9' + 1);
        // the eight high bits, first byte lowest
        let gathered = ((marks >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        bits |= gathered << (8 * k);
    }
    bits
}

/// Appends the word-byte bits of the ASCII `bytes`, 64 bytes to an entry, then one empty
/// entry (so that a search for a word's end always stops).
fn fill_ascii_word_bits(bytes: &[u8], out: &mut Vec<u64>) {
    out.reserve(bytes.len() / 64 + 2);
    let mut chunks = bytes.chunks_exact(64);
    for chunk in &mut chunks {
        let mut block = [0u8; 64];
        block.copy_from_slice(chunk);
        out.push(ascii_word_bits(&block));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut block = [0u8; 64];
        block[..rest.len()].copy_from_slice(rest);
        out.push(ascii_word_bits(&block));
    }
    out.push(0);
}

/// The byte range of the first word at or after `from`, found in the bits of
/// [`fill_ascii_word_bits`].
fn next_ascii_word(bits: &[u64], from: usize) -> Option<(usize, usize)> {
    let mut block = from / 64;
    let mut ahead = bits.get(block)? >> (from % 64);
    let start = loop {
        if ahead != 0 {
            break (block * 64).max(from) + ahead.trailing_zeros() as usize;
        }
        block += 1;
        ahead = bits.get(block).copied()?;
    };
    let mut block = start / 64;
    let mut gap = !bits.get(block).copied()? >> (start % 64);
    loop {
        if gap != 0 {
            return Some((
                start,
                (block * 64).max(start) + gap.trailing_zeros() as usize,
            ));
        }
        block += 1;
        gap = !bits.get(block).copied()?;
    }
}

/// Whether each ASCII byte is part of a word (letters and digits).
const fn ascii_word_bytes() -> [bool; 128] {
    let mut word = [false; 128];
    let mut b = 0;
    while b < 128 {
        word[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    word
}

static ASCII_WORD: [bool; 128] = ascii_word_bytes();

impl LowerWordsStream<'_> {
    /// Whether the non-ASCII character at byte `i` (a character boundary) is alphanumeric,
    /// and its length in bytes.
    fn non_ascii_at(&self, i: usize) -> (bool, usize) {
        match self.text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }

    /// The byte range of the next run of alphanumeric characters, and whether it is all
    /// ASCII.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let bytes = self.text.as_bytes();
        if !self.ascii_words.is_empty() {
            let found = next_ascii_word(self.ascii_words, self.at);
            self.at = found.map_or(bytes.len(), |(_, end)| end);
            return found.map(|(start, end)| (start, end, true));
        }
        let mut i = self.at;
        loop {
            let &b = bytes.get(i).or_else(|| {
                self.at = bytes.len();
                None
            })?;
            if b < 0x80 {
                if ASCII_WORD[usize::from(b)] {
                    break;
                }
                i += 1;
            } else {
                match self.non_ascii_at(i) {
                    (true, _) => break,
                    (false, width) => i += width,
                }
            }
        }
        let start = i;
        let mut ascii = true;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !ASCII_WORD[usize::from(b)] {
                    break;
                }
                i += 1;
            } else {
                match self.non_ascii_at(i) {
                    (true, width) => {
                        ascii = false;
                        i += width;
                    }
                    (false, _) => break,
                }
            }
        }
        self.at = i;
        Some((start, i, ascii))
    }
}

impl TokenStream for LowerWordsStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        loop {
            self.token.position = self.token.position.wrapping_add(1);
            let Some((from, to, ascii)) = self.next_word() else {
                return false;
            };
            if to - from >= MAX_WORD_BYTES {
                continue;
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            let word = &self.text[from..to];
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                // As tantivy's LowerCaser: each character's lower case, no final-sigma rule.
                for c in word.chars() {
                    self.token.text.extend(c.to_lowercase());
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Stems remembered per thread before the memory is cleared and filled anew.
const MAX_REMEMBERED_STEMS: usize = 100_000;

/// A fast hasher for the short words of [`STEMS`] (the standard one, built to resist
/// crafted keys, costs more than the lookup it serves; the map is bounded and per thread,
/// so a crafted input can at worst slow its own indexing).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordMap = HashMap<String, String, std::hash::BuildHasherDefault<WordHasher>>;

thread_local! {
    /// Word → stem, for every [`CachedStemmer`] running on this thread.
    static STEMS: std::cell::RefCell<WordMap> = std::cell::RefCell::new(WordMap::default());
    /// Stems one whole word: tantivy's English stemmer over a single raw token.
    static STEMMER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// The stem of one lower-cased word, as tantivy's English [`Stemmer`] makes it.
fn stem_of(word: &str) -> String {
    STEMMER.with(|stemmer| {
        let mut stemmer = stemmer.borrow_mut();
        let mut stream = stemmer.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_string()
        }
    })
}

/// Whether the English stemmer leaves the word as it is, told without asking it: words of
/// one or two characters (it needs three) and numbers (its rules read letters only), a good
/// share of the words of news text and most of those the memory of stems would miss.
fn stays_as_it_is(word: &str) -> bool {
    word.len() <= 2 || word.bytes().all(|b| b.is_ascii_digit())
}

/// A token filter giving the same stems as tantivy's English [`Stemmer`], remembering the
/// stem of every word it has seen (per thread, so indexing threads never wait on each
/// other): the same words come back all the time in news text and in search hits, and a
/// lookup costs a fraction of stemming.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer }
    }
}

/// The tokenizer [`CachedStemmer`] makes of another.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemStream {
            tail: self.inner.token_stream(text),
        }
    }
}

/// Token stream of [`CachedStemmerFilter`].
pub struct CachedStemStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for CachedStemStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if stays_as_it_is(&token.text) {
            return true;
        }
        STEMS.with(|stems| {
            let mut stems = stems.borrow_mut();
            if let Some(stem) = stems.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = stem_of(&token.text);
            if stems.len() >= MAX_REMEMBERED_STEMS {
                stems.clear();
            }
            let word = std::mem::replace(&mut token.text, stem.clone());
            stems.insert(word, stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// Texts where tokenizers tend to differ: case, digits, punctuation, long words,
    /// non-ASCII letters and marks, characters whose lower case is longer.
    const TRICKY: &[&str] = &[
        "",
        "   ",
        "Hello, happy tax payer!",
        "US$70mln 3.5% Q4-2023 AT&T e-mail O'Neill",
        "supercalifragilisticexpialidociousandevenlongerthanforty words 0123456789012345678901234567890123456789 x",
        "exactlyfortybytesexactlyfortybytesexactl and thirtyninebytesthirtyninebytesthirtyn",
        "Énergie GÉNÉRALE Straße İstanbul ΣΊΣΥΦΟΣ Ǆemal ﬃ",
        "naïve café, 東京 株式会社 ١٢٣ Ⅻ ½ x²",
        "e\u{301}cole combining\u{300}marks tab\tnew\nline\u{a0}nbsp",
        "emoji 🙂 between🙂words and a trailing word",
        "ÀÉÎÕÜ àéîõü ßẞ ǅ ǈ ǋ ǲ",
    ];

    #[test]
    fn lower_words_make_the_tokens_of_tantivys_default_analyzer() {
        for text in TRICKY {
            let reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build();
            assert_eq!(
                tokens(names_analyzer(), text),
                tokens(reference, text),
                "{text:?}"
            );
        }
        // A word of 40 bytes or more is left out but keeps its position.
        let words = tokens(names_analyzer(), TRICKY[4]);
        assert_eq!(words[0].0, "words");
        assert_eq!(words[0].3, 1);
    }

    proptest::proptest! {
        #[test]
        fn lower_words_agree_with_tantivy_on_any_text(text in "\\PC{0,80}") {
            let reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build();
            proptest::prop_assert_eq!(tokens(names_analyzer(), &text), tokens(reference, &text));
        }

        #[test]
        fn lower_words_agree_on_long_ascii_texts(text in "[\\x00-\\x7f]{0,300}|([A-Za-z0-9]{1,70}[ .\n]{1,3}){0,12}") {
            let reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build();
            proptest::prop_assert_eq!(tokens(names_analyzer(), &text), tokens(reference, &text));
        }

        #[test]
        fn lower_words_agree_on_ascii_and_long_words(text in "[A-Za-z0-9 .,'-]{0,120}") {
            let reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build();
            proptest::prop_assert_eq!(tokens(names_analyzer(), &text), tokens(reference, &text));
        }
    }

    #[test]
    fn words_the_stemmer_keeps_are_told_right() {
        let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build();
        let mut stem = |word: &str| {
            let mut stream = stemmer.token_stream(word);
            stream.advance();
            stream.token().text.clone()
        };
        let mut kept = 0;
        for word in [
            "a",
            "is",
            "as",
            "us",
            "ss",
            "y",
            "ys",
            "ed",
            "é",
            "1",
            "00",
            "000",
            "1987",
            "19870",
            "2023",
            "0123456789",
            "ies",
            "sses",
            "yes",
            "bus",
            "abc",
            "1st",
            "2s",
            "ys1",
        ] {
            if stays_as_it_is(word) {
                kept += 1;
                assert_eq!(stem(word), word, "{word:?}");
            }
        }
        assert_eq!(kept, 17);
    }

    proptest::proptest! {
        #[test]
        fn the_stemmer_keeps_short_words_and_numbers(word in "[a-z0-9]{1,2}|é|[0-9]{1,16}") {
            let mut stemmer = TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build();
            let mut stream = stemmer.token_stream(&word);
            stream.advance();
            proptest::prop_assert!(stays_as_it_is(&word));
            proptest::prop_assert_eq!(&stream.token().text, &word);
        }
    }

    #[test]
    fn prose_analyzer_makes_the_tokens_of_tantivys_en_stem() {
        let reference = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let text = "The Ministry agreed to pay settlements; paying, paid, PAYMENTS and \
                    running runners ran. Énergie générale généralement, naming-rights \
                    supercalifragilisticexpialidociousandevenlongerthanforty words";
        // Twice through one analyzer: the second pass answers from memory.
        let mut cached = prose_analyzer();
        let first = {
            let mut stream = cached.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        let expected = tokens(reference, text);
        assert_eq!(
            first,
            expected.iter().map(|t| t.0.clone()).collect::<Vec<_>>()
        );
        assert_eq!(tokens(cached, text), expected);
        assert!(expected.iter().any(|t| t.0 == "pay"));
        for text in TRICKY {
            let reference = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build();
            assert_eq!(
                tokens(prose_analyzer(), text),
                tokens(reference, text),
                "{text:?}"
            );
        }
    }
}
