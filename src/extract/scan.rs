//! One pass over an article's bytes that finds where each rule family may start reading.
//!
//! The families' own matchers (the money parser, the date and term patterns, the party
//! alias automaton and name rules) are exact but comparatively slow when run over a whole
//! text. This scan walks the bytes once, packs each ASCII word of up to 16 letters into a
//! `u128` key, and looks it up in one small table that says which families care about the
//! word. What it yields ([`Anchors`]) is a superset of the places a family can match; each
//! family then runs its matcher only there, anchored, and gets the same result as a full
//! pass.
//!
//! - money: currency symbols, currency words and codes (a code may carry a leading "M" for
//!   millions), short unit forms right after a digit ("43c", "50p");
//! - dates and terms: the first word of each of their patterns (at an ASCII word boundary),
//!   and digit runs of the lengths their patterns start with;
//! - parties: words starting with a capital letter (or another byte an alias starts with)
//!   after a byte that is not an ASCII letter or digit.

/// Longest word (in bytes) the table holds.
pub const MAX_WORD: usize = 16;

/// A money cue word (currency word or code).
pub const MONEY_CUE: u8 = 1;
/// A money cue word that is an ISO code (may follow a leading "M").
pub const MONEY_CODE: u8 = 2;
/// A word a date pattern may start with.
pub const DATE: u8 = 4;
/// A word a term pattern may start with.
pub const TERM: u8 = 8;

/// Where each family may match, in text order (byte offsets).
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// Money cues as `(start, end)`.
    pub cues: Vec<(usize, usize)>,
    /// Starts of words a date pattern may begin with.
    pub dates: Vec<usize>,
    /// Starts of words a term pattern may begin with.
    pub terms: Vec<usize>,
    /// Starts of words that may begin a party name.
    pub names: Vec<usize>,
}

impl Anchors {
    /// Empties every list, keeping the allocations.
    pub fn clear(&mut self) {
        self.cues.clear();
        self.dates.clear();
        self.terms.clear();
        self.names.clear();
    }
}

/// Digit-run lengths (bit per length, 1..=15) that may start a date or a term.
#[derive(Debug, Clone, Copy, Default)]
pub struct DigitStarts {
    /// Lengths of digit runs a date may start with.
    pub dates: u16,
    /// Lengths of digit runs a term may start with.
    pub terms: u16,
}

/// The word table and the byte-level rules of the scan.
#[derive(Debug, Clone, Default)]
pub struct Scanner {
    /// Packed lower-case words with their flags.
    keys: Vec<(u128, u8)>,
    /// Open-addressing table over `keys` (key 0 = empty slot).
    table: Vec<(u128, u8)>,
    /// For each pair of first two letters (a single letter pairs with itself), a bit per
    /// word length that has words.
    lengths: Vec<u32>,
    /// Money symbol characters, sorted.
    symbols: Vec<char>,
    /// Lower-case money short forms that count only after a digit, longest first.
    after_digit: Vec<Box<[u8]>>,
    /// Digit runs that may start dates and terms.
    digits: DigitStarts,
    /// Bytes a party name may start with (bit per byte); empty when names are not wanted.
    name_starts: Option<[u64; 4]>,
}

/// Packs up to 16 ASCII letters, lower-cased, first letter most significant.
fn pack(word: &[u8]) -> u128 {
    word.iter().fold(0u128, |key, b| {
        (key << 8) | u128::from(b.to_ascii_lowercase())
    })
}

impl Scanner {
    /// Adds a word of ASCII letters with `flags` (merged with flags the word already has);
    /// false if it cannot be one (empty, too long, not all letters). Call [`Scanner::finish`]
    /// after the last word.
    pub fn add_word(&mut self, word: &str, flags: u8) -> bool {
        let bytes = word.as_bytes();
        let Some(first) = bytes.first().map(u8::to_ascii_lowercase) else {
            return false;
        };
        if bytes.len() > MAX_WORD
            || !first.is_ascii_lowercase()
            || !bytes.iter().all(u8::is_ascii_alphabetic)
        {
            return false;
        }
        let second = bytes.get(1).copied().unwrap_or(first);
        if self.lengths.is_empty() {
            self.lengths = vec![0; 26 * 26];
        }
        if let Some(pair) = Self::pair(first, second) {
            self.lengths[pair] |= 1 << bytes.len();
        }
        self.keys.push((pack(bytes), flags));
        true
    }

    /// Adds a money symbol character.
    pub fn add_symbol(&mut self, symbol: char) {
        self.symbols.push(symbol);
    }

    /// Adds a money short form that counts only right after a digit ("c", "p", "l.e.").
    pub fn add_after_digit(&mut self, form: &str) {
        self.after_digit
            .push(form.to_ascii_lowercase().into_bytes().into_boxed_slice());
    }

    /// Sets which digit runs may start a date or a term.
    pub fn set_digit_starts(&mut self, digits: DigitStarts) {
        self.digits = digits;
    }

    /// Asks for party-name anchors: word starts whose first byte is an upper-case letter or
    /// one of `extra` (matched in both cases when a letter).
    pub fn want_names(&mut self, extra: impl IntoIterator<Item = u8>) {
        let mut set = [0u64; 4];
        let mut put = |b: u8| set[usize::from(b >> 6)] |= 1 << (b & 63);
        for b in b'A'..=b'Z' {
            put(b);
        }
        for b in extra {
            put(b.to_ascii_lowercase());
            put(b.to_ascii_uppercase());
        }
        self.name_starts = Some(set);
    }

    /// Builds the lookup table; call once after adding words.
    pub fn finish(&mut self) {
        self.keys.sort_unstable_by_key(|&(key, _)| key);
        let mut merged: Vec<(u128, u8)> = Vec::with_capacity(self.keys.len());
        for &(key, flags) in &self.keys {
            match merged.last_mut() {
                Some(last) if last.0 == key => last.1 |= flags,
                _ => merged.push((key, flags)),
            }
        }
        self.keys = merged;
        let bits = (self.keys.len() * 4)
            .next_power_of_two()
            .max(64)
            .trailing_zeros();
        let size = 1usize << bits;
        self.table = vec![(0, 0); size];
        for &(key, flags) in &self.keys {
            let mut at = Self::slot(key, bits);
            while self.table[at].0 != 0 {
                at = (at + 1) & (size - 1);
            }
            self.table[at] = (key, flags);
        }
        self.symbols.sort_unstable();
        self.symbols.dedup();
        self.after_digit.sort_by_key(|f| std::cmp::Reverse(f.len()));
        self.after_digit.dedup();
    }

    fn pair(first: u8, second: u8) -> Option<usize> {
        let a = first.to_ascii_lowercase().wrapping_sub(b'a');
        let b = second.to_ascii_lowercase().wrapping_sub(b'a');
        (a < 26 && b < 26).then(|| usize::from(a) * 26 + usize::from(b))
    }

    fn slot(key: u128, bits: u32) -> usize {
        let mixed = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - bits)) as usize
    }

    /// The flags of the packed word (0 when it is not in the table).
    fn lookup(&self, key: u128) -> u8 {
        let size = self.table.len();
        if size == 0 {
            return 0;
        }
        let mut at = Self::slot(key, size.trailing_zeros());
        loop {
            let (k, flags) = self.table[at];
            if k == key {
                return flags;
            }
            if k == 0 {
                return 0;
            }
            at = (at + 1) & (size - 1);
        }
    }

    /// The cheap filter: some word starts with these letters and has this length.
    fn might_be(&self, first: u8, second: u8, len: usize) -> bool {
        len <= MAX_WORD
            && Self::pair(first, second)
                .and_then(|pair| self.lengths.get(pair))
                .is_some_and(|lengths| lengths & (1 << len) != 0)
    }

    /// Flags of the ASCII word `bytes[s..e]`, with [`MONEY_CODE`] (and [`MONEY_CUE`]) also
    /// for a code after a leading "M".
    fn word_flags(&self, bytes: &[u8], s: usize, e: usize) -> u8 {
        let len = e - s;
        if len > MAX_WORD + 1 {
            return 0;
        }
        let first = bytes[s];
        let second = if len > 1 { bytes[s + 1] } else { first };
        let mut flags = 0;
        if self.might_be(first, second, len) {
            flags = self.lookup(pack(&bytes[s..e]));
        }
        if flags & MONEY_CUE == 0
            && len >= 4
            && (first == b'M' || first == b'm')
            && self.might_be(bytes[s + 1], bytes[s + 2], len - 1)
            && self.lookup(pack(&bytes[s + 1..e])) & MONEY_CODE != 0
        {
            flags |= MONEY_CUE | MONEY_CODE;
        }
        flags
    }

    fn is_name_start(&self, b: u8) -> bool {
        self.name_starts
            .is_some_and(|set| set[usize::from(b >> 6)] & (1 << (b & 63)) != 0)
    }

    /// Scans `text` once and fills `out` (cleared first).
    pub fn scan(&self, text: &str, out: &mut Anchors) {
        out.clear();
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        while i < n {
            let c = bytes[i];
            match BYTE_CLASS[usize::from(c)] {
                LETTER => {
                    let s = i;
                    i += 1;
                    while i < n && BYTE_CLASS[usize::from(bytes[i])] == LETTER {
                        i += 1;
                    }
                    let before = if s == 0 { b' ' } else { bytes[s - 1] };
                    if !before.is_ascii_alphanumeric() && self.is_name_start(c) {
                        out.names.push(s);
                    }
                    let flags = self.word_flags(bytes, s, i);
                    if flags == 0 {
                        continue;
                    }
                    if flags & MONEY_CUE != 0 {
                        out.cues.push((s, i));
                    }
                    // the date and term patterns start at a word boundary (\b)
                    if !before.is_ascii_alphanumeric() && before != b'_' {
                        if flags & DATE != 0 {
                            out.dates.push(s);
                        }
                        if flags & TERM != 0 {
                            out.terms.push(s);
                        }
                    }
                }
                DIGIT => {
                    let s = i;
                    while i < n && BYTE_CLASS[usize::from(bytes[i])] == DIGIT {
                        i += 1;
                    }
                    let before = if s == 0 { b' ' } else { bytes[s - 1] };
                    if !before.is_ascii_alphanumeric() {
                        if self.is_name_start(c) {
                            out.names.push(s);
                        }
                        if before != b'_' {
                            let len_bit = 1u16.checked_shl((i - s) as u32).unwrap_or(0);
                            if self.digits.dates & len_bit != 0 {
                                out.dates.push(s);
                            }
                            if self.digits.terms & len_bit != 0 {
                                out.terms.push(s);
                            }
                        }
                    }
                    if self.after_digit.is_empty() {
                        continue;
                    }
                    let k = if i < n && bytes[i] == b' ' { i + 1 } else { i };
                    let short = self.after_digit.iter().find(|form| {
                        let end = k + form.len();
                        end <= n
                            && bytes[k..end].eq_ignore_ascii_case(form)
                            && (end == n || !bytes[end].is_ascii_alphabetic())
                    });
                    if let Some(form) = short {
                        out.cues.push((k, k + form.len()));
                    }
                }
                DOLLAR => {
                    out.cues.push((i, i + 1));
                    i += 1;
                }
                HIGH => {
                    let ch = text[i..]
                        .chars()
                        .next()
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    let len = ch.len_utf8();
                    if self.symbols.binary_search(&ch).is_ok() {
                        out.cues.push((i, i + len));
                    }
                    i += len;
                }
                _ => {
                    if self.is_name_start(c) {
                        let before = if i == 0 { b' ' } else { bytes[i - 1] };
                        if !before.is_ascii_alphanumeric() {
                            out.names.push(i);
                        }
                    }
                    i += 1;
                }
            }
        }
    }
}

/// The leftmost-first, non-overlapping matches of `pattern` in `text`, searched for only at
/// `anchors` (in text order) with anchored searches. When every match of the pattern starts
/// at an anchor, these are exactly the matches of a full pass (`find_iter`).
pub fn anchored_matches<'a>(
    pattern: &'a regex_automata::meta::Regex,
    text: &'a str,
    anchors: &'a [usize],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut free_from = 0;
    anchors.iter().filter_map(move |&at| {
        if at < free_from || at > text.len() {
            return None;
        }
        let input = regex_automata::Input::new(text)
            .span(at..text.len())
            .anchored(regex_automata::Anchored::Yes);
        let found = pattern.search(&input)?;
        if found.is_empty() {
            return None;
        }
        free_from = found.end();
        Some((found.start(), found.end()))
    })
}

/// Byte classes of the scan.
const OTHER: u8 = 0;
const LETTER: u8 = 1;
const DIGIT: u8 = 2;
const DOLLAR: u8 = 3;
const HIGH: u8 = 4;

static BYTE_CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_alphabetic() {
            LETTER
        } else if byte.is_ascii_digit() {
            DIGIT
        } else if byte == b'$' {
            DOLLAR
        } else if byte >= 0x80 {
            HIGH
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner() -> Scanner {
        let mut s = Scanner::default();
        s.add_word("dollars", MONEY_CUE);
        s.add_word("usd", MONEY_CUE | MONEY_CODE);
        s.add_word("year", TERM);
        s.add_word("year", DATE);
        s.add_word("march", DATE);
        s.add_symbol('€');
        s.add_after_digit("c");
        s.set_digit_starts(DigitStarts {
            dates: 1 << 4,
            terms: 0b1110,
        });
        s.want_names([b'3']);
        s.finish();
        s
    }

    #[test]
    fn finds_each_family_s_anchors() {
        let text =
            "In March 2020 Acme paid 5 dollars, €3, MUSD 4 and 43c for a 3-year deal; 3M too.";
        let mut a = Anchors::default();
        scanner().scan(text, &mut a);
        let words = |v: &[usize]| -> Vec<&str> {
            v.iter()
                .map(|&s| {
                    let e = text[s..]
                        .find(|c: char| !c.is_ascii_alphanumeric())
                        .map_or(text.len(), |e| s + e);
                    &text[s..e]
                })
                .collect()
        };
        let cues: Vec<&str> = a.cues.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(cues, ["dollars", "€", "MUSD", "c"]);
        assert_eq!(words(&a.dates), ["March", "2020", "year"]);
        assert_eq!(words(&a.terms), ["5", "3", "4", "43c", "3", "year", "3M"]);
        assert_eq!(
            words(&a.names),
            ["In", "March", "Acme", "3", "MUSD", "3", "3M"]
        );
    }

    #[test]
    fn a_word_inside_another_is_no_anchor() {
        let mut a = Anchors::default();
        scanner().scan("yearly_year x2020 _2020", &mut a);
        assert!(a.dates.is_empty(), "{:?}", a.dates);
    }
}
