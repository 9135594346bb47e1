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
/// A money cue word only when written in capitals (a code matched in exact case).
pub const MONEY_CUE_UPPER: u8 = 16;
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
    /// Scratch: the text's bit masks.
    masks: Masks,
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
    table: Vec<u128>,
    /// The flags of each slot of `table`.
    table_flags: Vec<u8>,
    /// For each pair of first two letters (a single letter pairs with itself), a bit per
    /// word length that has words.
    lengths: Vec<u32>,
    /// Money symbol characters, sorted.
    symbols: Vec<char>,
    /// Lower-case money short forms that count only after a digit, longest first.
    after_digit: Vec<Box<[u8]>>,
    /// Digit runs that may start dates and terms.
    digits: DigitStarts,
    /// Whether party-name anchors are wanted.
    names: bool,
    /// Bytes other than capitals a party name may start with (both cases of a letter).
    name_extra: Vec<u8>,
    /// First bytes (both cases) of the money short forms after a digit, bit per byte.
    after_digit_first: [u64; 4],
}

/// Packs up to 16 ASCII letters, lower-cased, first letter most significant.
fn pack(word: &[u8]) -> u128 {
    word.iter().fold(0u128, |key, b| {
        (key << 8) | u128::from(b.to_ascii_lowercase())
    })
}

/// [`pack`] of the `len` (1 to 16) ASCII letters at `bytes[s..]`, read in one load.
fn key_at(bytes: &[u8], s: usize, len: usize) -> u128 {
    let mut buf = [0u8; 16];
    match bytes.get(s..s + 16) {
        Some(sixteen) => buf.copy_from_slice(sixteen),
        None => {
            let rest = bytes.get(s..).unwrap_or(&[]);
            buf[..rest.len()].copy_from_slice(rest);
        }
    }
    let shift = 8 * (16 - len.clamp(1, 16)) as u32;
    // letters only: setting 0x20 lower-cases each
    (u128::from_be_bytes(buf) >> shift) | (u128::from_ne_bytes([0x20; 16]) >> shift)
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
        self.names = true;
        for b in extra {
            self.name_extra.push(b.to_ascii_lowercase());
            if b.is_ascii_alphabetic() {
                self.name_extra.push(b.to_ascii_uppercase());
            }
        }
        self.name_extra.sort_unstable();
        self.name_extra.dedup();
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
        // half full: small enough to stay in the first-level cache
        let bits = (self.keys.len() * 2)
            .next_power_of_two()
            .max(64)
            .trailing_zeros();
        let size = 1usize << bits;
        self.table = vec![0; size];
        self.table_flags = vec![0; size];
        for &(key, flags) in &self.keys {
            let mut at = Self::slot(key, bits);
            while self.table[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            self.table[at] = key;
            self.table_flags[at] = flags;
        }
        self.symbols.sort_unstable();
        self.symbols.dedup();
        self.after_digit.sort_by_key(|f| std::cmp::Reverse(f.len()));
        self.after_digit.dedup();
        self.after_digit_first = [0; 4];
        for form in &self.after_digit {
            if let Some(&b) = form.first() {
                for b in [b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                    self.after_digit_first[usize::from(b >> 6)] |= 1 << (b & 63);
                }
            }
        }
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
            let k = self.table[at];
            if k == key {
                return self.table_flags.get(at).copied().unwrap_or(0);
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
            flags = self.lookup(key_at(bytes, s, len));
        }
        if flags & MONEY_CUE == 0
            && len >= 4
            && (first == b'M' || first == b'm')
            && self.might_be(bytes[s + 1], bytes[s + 2], len - 1)
            && self.lookup(key_at(bytes, s + 1, len - 1)) & MONEY_CODE != 0
        {
            flags |= MONEY_CUE | MONEY_CODE;
        }
        flags
    }

    /// Scans `text` once and fills `out` (cleared first).
    ///
    /// The bytes are first summed up 64 at a time into bit masks (ASCII letters, digits,
    /// and bytes that may start a money symbol); the scan then visits only the starts of
    /// letter runs, digit runs and symbol candidates, found with bit operations.
    pub fn scan(&self, text: &str, out: &mut Anchors) {
        out.clear();
        let bytes = text.as_bytes();
        let mut masks = std::mem::take(&mut out.masks);
        masks.fill(bytes, &self.name_extra);
        let (mut carry_letters, mut carry_digits) = (0u64, 0u64);
        for (k, block) in masks.blocks.iter().enumerate() {
            let letter_starts = block.letters & !((block.letters << 1) | carry_letters);
            let digit_starts = block.digits & !((block.digits << 1) | carry_digits);
            if self.names {
                // a name starts a run of letters and digits, with a capital or an extra byte
                let alnum = block.letters | block.digits;
                let carry = carry_letters | carry_digits;
                let mut starts = alnum & !((alnum << 1) | carry) & (block.upper | block.extra);
                while starts != 0 {
                    out.names.push(k * 64 + starts.trailing_zeros() as usize);
                    starts &= starts - 1;
                }
            }
            carry_letters = block.letters >> 63;
            carry_digits = block.digits >> 63;
            let mut events = letter_starts | digit_starts | block.special;
            while events != 0 {
                let bit = events & events.wrapping_neg();
                events ^= bit;
                let s = k * 64 + bit.trailing_zeros() as usize;
                if letter_starts & bit != 0 {
                    let e = masks.run_end(s, |b| b.letters);
                    self.letter_run(bytes, s, e, out);
                } else if digit_starts & bit != 0 {
                    let e = masks.run_end(s, |b| b.digits);
                    self.digit_run(bytes, s, e, out);
                } else if bytes[s] == b'$' {
                    out.cues.push((s, s + 1));
                } else if let Some(ch) = text.get(s..).and_then(|rest| rest.chars().next()) {
                    if self.symbols.binary_search(&ch).is_ok() {
                        out.cues.push((s, s + ch.len_utf8()));
                    }
                }
            }
        }
        out.masks = masks;
    }

    /// A run of ASCII letters at `s..e`.
    fn letter_run(&self, bytes: &[u8], s: usize, e: usize, out: &mut Anchors) {
        let before = if s == 0 { b' ' } else { bytes[s - 1] };
        let flags = self.word_flags(bytes, s, e);
        if flags == 0 {
            return;
        }
        if flags & MONEY_CUE != 0
            || (flags & MONEY_CUE_UPPER != 0 && bytes[s..e].iter().all(u8::is_ascii_uppercase))
        {
            out.cues.push((s, e));
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

    /// A run of ASCII digits at `s..e`.
    fn digit_run(&self, bytes: &[u8], s: usize, e: usize, out: &mut Anchors) {
        let n = bytes.len();
        let before = if s == 0 { b' ' } else { bytes[s - 1] };
        if !before.is_ascii_alphanumeric() && before != b'_' {
            let len_bit = 1u16.checked_shl((e - s) as u32).unwrap_or(0);
            if self.digits.dates & len_bit != 0 {
                out.dates.push(s);
            }
            if self.digits.terms & len_bit != 0 {
                out.terms.push(s);
            }
        }
        let k = if e < n && bytes[e] == b' ' { e + 1 } else { e };
        let Some(&next) = bytes.get(k) else {
            return;
        };
        if self.after_digit_first[usize::from(next >> 6)] & (1 << (next & 63)) == 0 {
            return;
        }
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
}

/// Bit masks of one 64-byte block of text (bit `j` for byte `64 * block + j`).
#[derive(Debug, Clone, Copy, Default)]
struct Block {
    letters: u64,
    digits: u64,
    /// `$` and the lead bytes of multi-byte characters (where a money symbol may start).
    special: u64,
    /// Capital ASCII letters.
    upper: u64,
    /// Bytes among the scanner's extra name starts.
    extra: u64,
}

/// Each byte's low seven bits set (`0x7f7f...`), and each byte's high bit set.
const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
const HIGH1: u64 = u64::from_ne_bytes([0x80; 8]);
/// One in every byte.
const ONES: u64 = u64::from_ne_bytes([1; 8]);

/// The high bit of each byte of `word` whose value lies strictly between `low` and `high`
/// (both at most 128), computed for the eight bytes at once.
fn bytes_between(word: u64, low: u64, high: u64) -> u64 {
    let low7 = word & LOW7;
    (ONES * (127 + high) - low7) & !word & (low7 + ONES * (127 - low)) & HIGH1
}

/// The high bit of each byte of `word` equal to `byte`.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The eight high bits of `marks` (one per byte) as the low eight bits, first byte lowest.
fn gather(marks: u64) -> u64 {
    ((marks >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// The masks of 64 bytes (`extra`: bytes to mark in `extra`).
fn block_of(chunk: &[u8], extra: &[u8]) -> Block {
    #[cfg(target_arch = "x86_64")]
    {
        block_of_sse2(chunk, extra)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        block_of_swar(chunk, extra)
    }
}

/// [`block_of`] sixteen bytes at a time with SSE2 (part of every x86-64 processor).
#[cfg(target_arch = "x86_64")]
fn block_of_sse2(chunk: &[u8], extra: &[u8]) -> Block {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    let mut block = Block::default();
    for (k, sixteen) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is always present on x86-64; the load reads exactly the sixteen bytes
        // of `sixteen` (unaligned loads are allowed).
        let (letters, digits, special, upper, extras) = unsafe {
            let v = _mm_loadu_si128(sixteen.as_ptr().cast::<__m128i>());
            let splat = |b: u8| _mm_set1_epi8(b as i8);
            // signed compares: bytes of 0x80 and more are negative, below every ASCII bound
            let between = |x: __m128i, low: u8, high: u8| {
                _mm_and_si128(
                    _mm_cmpgt_epi8(x, splat(low - 1)),
                    _mm_cmpgt_epi8(splat(high + 1), x),
                )
            };
            let lower = _mm_or_si128(v, splat(0x20));
            // bytes 0xC0..=0xFF (lead bytes of multi-byte characters) are -64..=-1 as i8
            let lead = _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(0xBF)),
                _mm_cmpgt_epi8(_mm_set1_epi8(0), v),
            );
            let extras = extra.iter().fold(_mm_set1_epi8(0), |marks, &b| {
                _mm_or_si128(marks, _mm_cmpeq_epi8(v, splat(b)))
            });
            (
                _mm_movemask_epi8(between(lower, b'a', b'z')),
                _mm_movemask_epi8(between(v, b'0', b'9')),
                _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, splat(b'$')), lead)),
                _mm_movemask_epi8(between(v, b'A', b'Z')),
                _mm_movemask_epi8(extras),
            )
        };
        let shift = 16 * k;
        let mask = |m: i32| u64::from(m as u16) << shift;
        block.letters |= mask(letters);
        block.digits |= mask(digits);
        block.special |= mask(special);
        block.upper |= mask(upper);
        block.extra |= mask(extras);
    }
    block
}

/// [`block_of`] eight bytes at a time in plain integer arithmetic.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_of_swar(chunk: &[u8], extra: &[u8]) -> Block {
    let mut block = Block::default();
    for (k, eight) in chunk.chunks_exact(8).enumerate() {
        let mut raw = [0u8; 8];
        raw.copy_from_slice(eight);
        let word = u64::from_le_bytes(raw);
        let lower = word | (ONES * 0x20);
        let letters = bytes_between(lower, u64::from(b'a') - 1, u64::from(b'z') + 1);
        let digits = bytes_between(word, u64::from(b'0') - 1, u64::from(b'9') + 1);
        // "$", or a byte with its two top bits set (the lead byte of a multi-byte character)
        let special = bytes_equal(word, b'$') | (word & (word << 1) & HIGH1);
        let upper = bytes_between(word, u64::from(b'A') - 1, u64::from(b'Z') + 1);
        let extras = extra
            .iter()
            .fold(0, |marks, &b| marks | bytes_equal(word, b));
        let shift = 8 * k;
        block.upper |= gather(upper) << shift;
        block.extra |= gather(extras) << shift;
        block.letters |= gather(letters) << shift;
        block.digits |= gather(digits) << shift;
        block.special |= gather(special) << shift;
    }
    block
}

/// The masks of a whole text, kept between scans to reuse the allocation.
#[derive(Debug, Clone, Default)]
pub struct Masks {
    blocks: Vec<Block>,
}

impl Masks {
    fn fill(&mut self, bytes: &[u8], extra: &[u8]) {
        self.blocks.clear();
        self.blocks.reserve(bytes.len().div_ceil(64));
        let mut chunks = bytes.chunks_exact(64);
        for chunk in &mut chunks {
            self.blocks.push(block_of(chunk, extra));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // zero bytes are in no class
            let mut padded = [0u8; 64];
            padded[..rest.len()].copy_from_slice(rest);
            self.blocks.push(block_of(&padded, extra));
        }
    }

    /// The end of the run of set bits (in the mask `which` picks) that holds position `s`.
    fn run_end(&self, s: usize, which: impl Fn(&Block) -> u64) -> usize {
        let mut k = s / 64;
        let mut offset = s % 64;
        while let Some(block) = self.blocks.get(k) {
            let clear = !which(block) >> offset;
            if clear != 0 {
                return k * 64 + offset + clear.trailing_zeros() as usize;
            }
            k += 1;
            offset = 0;
        }
        self.blocks.len() * 64
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
    fn masks_match_each_byte_s_class() {
        let bytes: Vec<u8> = (0..=255u8).chain(b"$a9Zz@[`{/:".iter().copied()).collect();
        let mut masks = Masks::default();
        masks.fill(&bytes, b"a");
        for (i, &b) in bytes.iter().enumerate() {
            let block = masks.blocks[i / 64];
            let bit = |m: u64| m >> (i % 64) & 1 == 1;
            assert_eq!(bit(block.letters), b.is_ascii_alphabetic(), "byte {b:#x}");
            assert_eq!(bit(block.digits), b.is_ascii_digit(), "byte {b:#x}");
            assert_eq!(bit(block.special), b == b'$' || b >= 0xC0, "byte {b:#x}");
            assert_eq!(bit(block.upper), b.is_ascii_uppercase(), "byte {b:#x}");
            assert_eq!(bit(block.extra), b == b'a', "byte {b:#x}");
        }
    }

    #[test]
    fn both_mask_builders_agree() {
        let bytes: Vec<u8> = (0..=255u8)
            .chain(0..=255u8)
            .map(|b| b.rotate_left(3))
            .collect();
        for chunk in bytes.chunks_exact(64) {
            let (a, b) = (block_of(chunk, b"aU3"), block_of_swar(chunk, b"aU3"));
            assert_eq!(
                (a.letters, a.digits, a.special, a.upper, a.extra),
                (b.letters, b.digits, b.special, b.upper, b.extra)
            );
        }
    }

    #[test]
    fn loaded_keys_equal_packed_keys() {
        let text = b"Dollars yen MUSD abcdefghijklmnop Q";
        for (s, len) in [(0, 7), (8, 3), (12, 4), (13, 3), (17, 16), (34, 1)] {
            assert_eq!(key_at(text, s, len), pack(&text[s..s + len]));
        }
    }

    #[test]
    fn a_word_inside_another_is_no_anchor() {
        let mut a = Anchors::default();
        scanner().scan("yearly_year x2020 _2020", &mut a);
        assert!(a.dates.is_empty(), "{:?}", a.dates);
    }
}
