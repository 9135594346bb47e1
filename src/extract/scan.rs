//! One pass over an article's bytes that finds where each rule family may start reading.
//!
//! The families' own matchers (the money parser, the date and term patterns, the party
//! alias automaton and name rules) are exact but comparatively slow when run over a whole
//! text. This scan walks the bytes once, packs each ASCII word of up to 14 letters into a
//! `u128` key, and looks it up in one small table that says which families care about the
//! word. What it yields ([`Anchors`]) is a superset of the places a family can match; each
//! family then runs its matcher only there, anchored, and gets the same result as a full
//! pass.
//!
//! - money: currency symbols, currency words and codes (a code may carry a leading "M" for
//!   millions), short unit forms right after a digit ("43c", "50p");
//! - dates and terms: the first word of each of their patterns (at an ASCII word boundary),
//!   and digit runs of the lengths their patterns start with;
//! - parties: the first letters of each alias (a digit run when an alias starts with a
//!   digit), and capitalised words for the name rules; a capitalised word is kept only when
//!   its stretch of text (the bytes between two characters that no name, title or verb of
//!   saying can hold: commas, quotes, brackets, line breaks and the like) holds one of the
//!   words the name rules need (a corporate suffix, a title, a role, a verb of saying), since
//!   those rules read nothing beyond that stretch.

/// Longest word (in bytes) the table holds: its key takes the low 14 bytes of a table
/// slot, the word's flags the other two (one memory access a word).
pub const MAX_WORD: usize = 14;

/// The bits of a table slot that hold the key.
const KEY_BITS: u128 = (1 << (8 * MAX_WORD)) - 1;

/// What the table says of a word: a bit per family and case rule.
pub type Flags = u16;

/// A money cue word (currency word or code).
pub const MONEY_CUE: Flags = 1;
/// A money cue word that is an ISO code (may follow a leading "M").
pub const MONEY_CODE: Flags = 2;
/// A money cue word only when written in capitals (a code matched in exact case).
pub const MONEY_CUE_UPPER: Flags = 16;
/// A word a date pattern may start with.
pub const DATE: Flags = 4;
/// A word a term pattern may start with.
pub const TERM: Flags = 8;
/// A word some party alias holds (see [`Scanner::add_alias_word`]).
pub const ALIAS: Flags = 32;
/// A word the party-name rules look for (part of a suffix, title, role or verb of saying).
pub const NAME_CUE: Flags = 64;
/// A [`NAME_CUE`] only when written in capitals (a single letter, as in "S.A.").
pub const NAME_CUE_UPPER: Flags = 128;
/// An [`ALIAS`] word that stands for an alias only with a capital first letter (every
/// alias it belongs to needs one there), so that the lower-case word ("the" of "The
/// Information") costs nothing more than its lookup.
const ALIAS_CAPITAL: Flags = 256;
/// A capital "M" and a three-letter ISO code ("MUSD", millions of dollars): a money code
/// cue when the first letter is that capital.
const MILLIONS_CODE: Flags = 512;
/// In a slot's flags: some word whose first slot this is lives further on (the lookup
/// must probe past it); never part of a word's own flags.
const PROBE_ON: Flags = 1 << 15;

/// The case a word of an alias needs in the text (an alias's capitals must be capitals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LeadCase {
    /// Any case (the word is in small letters).
    Any = 0,
    /// A capital first letter.
    Capital = 1,
    /// All capitals.
    Upper = 2,
}

impl LeadCase {
    /// The case the ASCII letters `word` need in the text.
    pub fn of(word: &[u8]) -> LeadCase {
        if word.len() > 1 && word.iter().all(u8::is_ascii_uppercase) {
            LeadCase::Upper
        } else if word.first().is_some_and(u8::is_ascii_uppercase) {
            LeadCase::Capital
        } else {
            LeadCase::Any
        }
    }
}

/// Bytes an alias has right after the word the scan looks for (lower-cased).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Follow {
    bytes: [u8; 2],
    len: u8,
}

impl Follow {
    /// A bit for the (lower-cased) pair of bytes that must follow the word, so that a
    /// word with many aliases ("the" of "the Information" and "the Verge") is passed over
    /// at once where no alias can go on; all bits when the alias needs fewer than two.
    fn bloom(&self) -> u64 {
        if self.len < 2 {
            u64::MAX
        } else {
            Self::bloom_bit(self.bytes[0], self.bytes[1])
        }
    }

    /// The bit of the pair of bytes `first`, `second` (either case of a letter).
    fn bloom_bit(first: u8, second: u8) -> u64 {
        let pair =
            u32::from(first.to_ascii_lowercase()) * 61 + u32::from(second.to_ascii_lowercase());
        1 << (pair.wrapping_mul(0x9E37_79B9) >> 26)
    }

    /// Whether `bytes` from `at` on start with these bytes, in any case of a letter.
    fn found_at(&self, bytes: &[u8], at: usize) -> bool {
        let want = &self.bytes[..usize::from(self.len)];
        bytes
            .get(at..at + want.len())
            .is_some_and(|found| found.eq_ignore_ascii_case(want))
    }
}

/// Where each family may match, in text order (byte offsets).
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    /// Money cues as `(start, end)`.
    pub cues: Vec<(usize, usize)>,
    /// Starts of words a date pattern may begin with.
    pub dates: Vec<usize>,
    /// Starts of words a term pattern may begin with.
    pub terms: Vec<usize>,
    /// Starts of words where a party alias may begin.
    pub aliases: Vec<usize>,
    /// Scratch: whether `aliases` was pushed out of order.
    aliases_unsorted: bool,
    /// Starts of capitalised words that may begin a name the rules find.
    pub names: Vec<usize>,
    /// Scratch: where the words the name rules need are.
    name_cues: Vec<usize>,
    /// Scratch: the text's bit masks.
    masks: Masks,
}

impl Anchors {
    /// Whether the lists hold room for a text of more than a megabyte (worth freeing
    /// rather than keeping for the next text).
    pub fn is_large(&self) -> bool {
        self.masks.blocks.capacity() > 16_384
    }

    /// Empties every list, keeping the allocations.
    pub fn clear(&mut self) {
        self.cues.clear();
        self.dates.clear();
        self.terms.clear();
        self.aliases.clear();
        self.aliases_unsorted = false;
        self.names.clear();
        self.name_cues.clear();
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
    keys: Vec<(u128, Flags)>,
    /// Open-addressing table over `keys`: each slot the key in [`KEY_BITS`] and its flags
    /// above (0 = empty slot).
    table: Vec<u128>,
    /// For each slot of an [`ALIAS`] word: where its entries of `alias_words` start, how
    /// many there are, and the [`Follow::bloom_bit`]s of the bytes they need after it.
    table_aliases: Vec<(u32, u32, u64)>,
    /// Money symbol characters, sorted.
    symbols: Vec<char>,
    /// Lower-case money short forms that count only after a digit, longest first.
    after_digit: Vec<Box<[u8]>>,
    /// Digit runs that may start dates and terms.
    digits: DigitStarts,
    /// Whether party anchors are wanted.
    names: bool,
    /// Whether capitalised words are kept only in stretches holding a [`NAME_CUE`].
    gate_names: bool,
    /// For each packed [`ALIAS`] word: how far into an alias it stands and the case it
    /// needs, sorted by key.
    alias_words: Vec<(u128, usize, LeadCase, Follow)>,
    /// Whether an alias starts with a digit (digit runs are alias anchors).
    alias_digits: bool,
    /// Whether an alias starts with more than [`MAX_WORD`] letters (long words are alias
    /// anchors).
    alias_long: bool,
    /// First bytes (both cases) of the money short forms after a digit, bit per byte.
    after_digit_first: [u64; 4],
    /// [`TERM`] words with the bytes that may stand first after them and any white space
    /// (see [`Scanner::add_term_word`]).
    term_follows: Vec<(u128, [u64; 4])>,
    /// For each slot: which of `term_masks` its [`TERM`] word needs after it (0: any).
    table_term: Vec<u8>,
    /// Byte sets (bit per byte) that [`TERM`] words need after them; the first allows all.
    term_masks: Vec<[u64; 4]>,
}

/// A small map from packed words (see [`pack_word`]) to values, looked up with one hash
/// and a short probe (a binary search over 128-bit keys costs several times more).
#[derive(Debug, Clone, Default)]
pub struct KeyTable<T> {
    keys: Vec<u128>,
    values: Vec<Option<T>>,
    bits: u32,
}

impl<T> KeyTable<T> {
    /// The table of `entries` (keys unique; key 0, no word's, is left out).
    pub fn new(entries: Vec<(u128, T)>) -> KeyTable<T> {
        let bits = (entries.len() * 2)
            .next_power_of_two()
            .max(16)
            .trailing_zeros();
        let size = 1usize << bits;
        let mut keys = vec![0; size];
        let mut values: Vec<Option<T>> = (0..size).map(|_| None).collect();
        for (key, value) in entries {
            if key == 0 {
                continue;
            }
            let mut at = Scanner::slot(key, bits);
            while keys[at] != 0 && keys[at] != key {
                at = (at + 1) & (size - 1);
            }
            keys[at] = key;
            values[at] = Some(value);
        }
        KeyTable { keys, values, bits }
    }

    /// The value of `key`, if it has one.
    pub fn get(&self, key: u128) -> Option<&T> {
        let size = self.keys.len();
        if size == 0 {
            return None;
        }
        let mut at = Scanner::slot(key, self.bits);
        loop {
            let k = self.keys[at];
            if k == key {
                return self.values.get(at).and_then(Option::as_ref);
            }
            if k == 0 {
                return None;
            }
            at = (at + 1) & (size - 1);
        }
    }
}

/// Packs up to 16 ASCII letters (the table holds words of up to [`MAX_WORD`]), lower-cased, first letter least significant (the
/// little-endian load of the word, as [`key_at`] reads it).
fn pack(word: &[u8]) -> u128 {
    word.iter().rev().fold(0u128, |key, b| {
        (key << 8) | u128::from(b.to_ascii_lowercase())
    })
}

/// For each length 0 to 16: the mask of that many low bytes, and 0x20 in each of them.
const KEY_MASKS: [(u128, u128); 17] = {
    let mut masks = [(0u128, 0u128); 17];
    let mut len = 1;
    while len <= 16 {
        let mask = u128::MAX >> (8 * (16 - len));
        masks[len] = (mask, mask & u128::from_ne_bytes([0x20; 16]));
        len += 1;
    }
    masks
};

/// [`pack`] of the `len` (1 to 16) ASCII letters at `bytes[s..]`, read in one load.
fn key_at(bytes: &[u8], s: usize, len: usize) -> u128 {
    let loaded = match bytes.get(s..s + 16) {
        Some(sixteen) => u128::from_le_bytes(sixteen.try_into().unwrap_or_default()),
        None => load_near_end(bytes, s),
    };
    let (mask, lower) = KEY_MASKS[len.clamp(1, 16)];
    // letters only: setting 0x20 lower-cases each
    (loaded & mask) | lower
}

/// The little-endian load of the fewer than 16 bytes from `s` to the end, zero-filled.
#[cold]
#[inline(never)]
fn load_near_end(bytes: &[u8], s: usize) -> u128 {
    let mut buf = [0u8; 16];
    let rest = bytes.get(s..).unwrap_or(&[]);
    let n = rest.len().min(16);
    buf[..n].copy_from_slice(&rest[..n]);
    u128::from_le_bytes(buf)
}

impl Scanner {
    /// Adds a word of ASCII letters with `flags` (merged with flags the word already has);
    /// false if it cannot be one (empty, too long, not all letters). Call [`Scanner::finish`]
    /// after the last word.
    pub fn add_word(&mut self, word: &str, flags: Flags) -> bool {
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
        self.keys.push((pack(bytes), flags));
        true
    }

    /// Adds a word a term may start with ([`TERM`]); where `follow` is given, the word
    /// counts only where the first byte after it and any white space is one of those it
    /// marks (false if the word cannot be one, see [`Scanner::add_word`]).
    pub fn add_term_word(&mut self, word: &str, follow: Option<&[bool; 256]>) -> bool {
        if !self.add_word(word, TERM) {
            return false;
        }
        let mut mask = [u64::MAX; 4];
        if let Some(follow) = follow {
            mask = [0; 4];
            for (byte, _) in follow.iter().enumerate().filter(|(_, &ok)| ok) {
                mask[byte >> 6] |= 1 << (byte & 63);
            }
        }
        self.term_follows.push((pack(word.as_bytes()), mask));
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

    /// Adds a word of a party alias: its ASCII letters `word`, standing `offset` bytes into
    /// the alias with a byte that is not a letter (or the alias's start) before it and one
    /// after it (or the alias's end, when `offset` is 0). Where the text holds the word in
    /// the case it needs, the alias may start `offset` bytes earlier. False if the word
    /// cannot be one (see [`Scanner::add_word`]).
    ///
    /// `follow` holds the alias's bytes right after the word (up to two are used): the text
    /// must hold them too, in any case of a letter.
    pub fn add_alias_word(
        &mut self,
        word: &str,
        offset: usize,
        case: LeadCase,
        follow: &[u8],
    ) -> bool {
        if !self.add_word(word, ALIAS) {
            return false;
        }
        let mut next = Follow::default();
        for (slot, &b) in next.bytes.iter_mut().zip(follow) {
            *slot = b.to_ascii_lowercase();
            next.len += 1;
        }
        self.alias_words
            .push((pack(word.as_bytes()), offset, case, next));
        true
    }

    /// Asks for party anchors: alias starts (from words added with
    /// [`Scanner::add_alias_word`], plus digit runs when
    /// `alias_digits`, plus words longer than [`MAX_WORD`] when `alias_long`) and
    /// capitalised words (only in stretches holding a [`NAME_CUE`] word when `gate`).
    pub fn want_names(&mut self, alias_digits: bool, alias_long: bool, gate: bool) {
        self.names = true;
        self.alias_digits = alias_digits;
        self.alias_long = alias_long;
        self.gate_names = gate;
    }

    /// Builds the lookup table; call once after adding words.
    pub fn finish(&mut self) {
        let millions: Vec<(u128, Flags)> = self
            .keys
            .iter()
            .filter(|&&(key, flags)| flags & MONEY_CODE != 0 && (1 << 16..1 << 24).contains(&key))
            .map(|&(code, _)| ((code << 8) | u128::from(b'm'), MILLIONS_CODE))
            .collect();
        self.keys.extend(millions);
        self.keys.sort_unstable_by_key(|&(key, _)| key);
        let mut merged: Vec<(u128, Flags)> = Vec::with_capacity(self.keys.len());
        for &(key, flags) in &self.keys {
            match merged.last_mut() {
                Some(last) if last.0 == key => last.1 |= flags,
                _ => merged.push((key, flags)),
            }
        }
        self.keys = merged;
        // at most a quarter full, so that most lookups end at the first slot
        let bits = (self.keys.len() * 4)
            .next_power_of_two()
            .max(64)
            .trailing_zeros();
        let size = 1usize << bits;
        self.alias_words.sort_unstable();
        self.alias_words.dedup();
        self.table = vec![0; size];
        self.table_aliases = vec![(0, 0, 0); size];
        self.table_term = vec![0; size];
        self.term_masks = vec![[u64::MAX; 4]];
        // a word added more than once needs what any of its additions allows
        let mut follows: Vec<(u128, [u64; 4])> = Vec::new();
        self.term_follows.sort_unstable_by_key(|&(key, _)| key);
        for &(key, mask) in &self.term_follows {
            match follows.last_mut() {
                Some(last) if last.0 == key => {
                    for (all, one) in last.1.iter_mut().zip(mask) {
                        *all |= one;
                    }
                }
                _ => follows.push((key, mask)),
            }
        }
        for &(key, mut flags) in &self.keys {
            let home = Self::slot(key, bits);
            let mut at = home;
            while self.table[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            if at != home {
                self.table[home] |= Self::flag_bits(PROBE_ON);
            }
            let from = self.alias_words.partition_point(|&(k, ..)| k < key);
            let entries = &self.alias_words[from..];
            let count = entries.iter().take_while(|&&(k, ..)| k == key).count();
            if count > 0 && entries[..count].iter().all(|e| e.2 != LeadCase::Any) {
                flags = (flags & !ALIAS) | ALIAS_CAPITAL;
            }
            self.table[at] |= key | Self::flag_bits(flags);
            if let Ok(found) = follows.binary_search_by_key(&key, |&(k, _)| k) {
                let mask = follows[found].1;
                let index = match self.term_masks.iter().position(|&m| m == mask) {
                    Some(index) => index,
                    None => {
                        self.term_masks.push(mask);
                        self.term_masks.len() - 1
                    }
                };
                // past 255 byte sets, a word keeps no filter (anything may follow)
                self.table_term[at] = u8::try_from(index).unwrap_or(0);
            }
            let bloom = entries[..count]
                .iter()
                .fold(0, |bits, e| bits | e.3.bloom());
            self.table_aliases[at] = (
                u32::try_from(from).unwrap_or(u32::MAX),
                u32::try_from(count).unwrap_or(0),
                bloom,
            );
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

    /// `flags` in the place they take in a table slot.
    fn flag_bits(flags: Flags) -> u128 {
        u128::from(flags) << (8 * MAX_WORD)
    }

    fn slot(key: u128, bits: u32) -> usize {
        let mixed = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - bits)) as usize
    }

    /// The flags of the packed word (0 when it is not in the table) and its slot.
    ///
    /// Most words, in the table or not, are settled by their first slot without a branch
    /// (whether a word is in the table is close to a coin toss for the branch predictor);
    /// only a word whose first slot holds another word that pushed some word further on
    /// probes on.
    fn lookup(&self, key: u128) -> (Flags, usize) {
        let size = self.table.len();
        if size == 0 {
            return (0, 0);
        }
        let home = Self::slot(key, size.trailing_zeros());
        let Some(&entry) = self.table.get(home) else {
            return (0, 0);
        };
        let flags = (entry >> (8 * MAX_WORD)) as Flags;
        let hit = Flags::from(entry & KEY_BITS == key).wrapping_neg();
        if (!hit & flags & PROBE_ON) != 0 {
            return self.probe(key, home);
        }
        (flags & hit & !PROBE_ON, home)
    }

    /// [`Scanner::lookup`] past the first slot.
    #[cold]
    #[inline(never)]
    fn probe(&self, key: u128, home: usize) -> (Flags, usize) {
        let size = self.table.len();
        let mut at = home;
        loop {
            at = (at + 1) & (size - 1);
            let entry = self.table[at];
            if entry & KEY_BITS == key {
                return ((entry >> (8 * MAX_WORD)) as Flags & !PROBE_ON, at);
            }
            if entry == 0 || at == home {
                return (0, 0);
            }
        }
    }

    /// Flags of the ASCII word `bytes[s..e]`, with [`MONEY_CODE`] (and [`MONEY_CUE`]) also
    /// for a code after a leading "M".
    ///
    /// Also returns the word's slot in the table (for [`Scanner::alias_starts`]).
    fn word_flags(&self, bytes: &[u8], s: usize, e: usize) -> (Flags, usize) {
        let len = e - s;
        if len > MAX_WORD {
            return (0, 0);
        }
        // the table is sparse enough that looking every word up costs less than the
        // branch a cheaper filter would mispredict
        let (mut flags, slot) = self.lookup(key_at(bytes, s, len));
        // "MUSD": the table holds "m" and each code; only a capital M makes it a cue
        if flags & MILLIONS_CODE != 0 && bytes[s] == b'M' {
            flags |= MONEY_CUE | MONEY_CODE;
        }
        (flags, slot)
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
        masks.fill(bytes);
        let (mut carry_letters, mut carry_digits) = (0u64, 0u64);
        for (k, block) in masks.blocks.iter().enumerate() {
            let letter_starts = block.letters & !((block.letters << 1) | carry_letters);
            let digit_starts = block.digits & !((block.digits << 1) | carry_digits);
            if self.names && !self.gate_names {
                // a name starts a run of letters and digits with a capital
                let alnum = block.letters | block.digits;
                let carry = carry_letters | carry_digits;
                let mut starts = alnum & !((alnum << 1) | carry) & block.upper;
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
                    // the run ends in this block but for the last word of a block
                    let offset = bit.trailing_zeros();
                    let clear = !block.letters >> offset;
                    let e = if clear != 0 {
                        s + clear.trailing_zeros() as usize
                    } else {
                        masks.run_end(s, |b| b.letters)
                    };
                    self.letter_run(bytes, s, e, out);
                } else if digit_starts & bit != 0 {
                    let clear = !block.digits >> bit.trailing_zeros();
                    let e = if clear != 0 {
                        s + clear.trailing_zeros() as usize
                    } else {
                        masks.run_end(s, |b| b.digits)
                    };
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
        if out.aliases_unsorted {
            out.aliases.sort_unstable();
            out.aliases.dedup();
        }
        if self.names && self.gate_names {
            masks.names_in_cued_stretches(&out.name_cues, &mut out.names);
        }
        out.masks = masks;
    }

    /// A run of ASCII letters at `s..e`.
    fn letter_run(&self, bytes: &[u8], s: usize, e: usize, out: &mut Anchors) {
        let (flags, slot) = self.word_flags(bytes, s, e);
        let before = |s: usize| if s == 0 { b' ' } else { bytes[s - 1] };
        if flags == 0 {
            if self.alias_long && e - s > MAX_WORD && !before(s).is_ascii_alphanumeric() {
                out.aliases.push(s);
            }
            return;
        }
        let before = before(s);
        if self.names {
            if flags & ALIAS != 0 || (flags & ALIAS_CAPITAL != 0 && bytes[s].is_ascii_uppercase()) {
                self.alias_starts(bytes, s, e, slot, out);
            }
            if flags & NAME_CUE != 0
                || (flags & NAME_CUE_UPPER != 0 && bytes[s..e].iter().all(u8::is_ascii_uppercase))
            {
                out.name_cues.push(s);
            }
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
            if flags & TERM != 0 && self.term_may_follow(bytes, e, slot) {
                out.terms.push(s);
            }
        }
    }

    /// Whether the byte after the [`TERM`] word ending at `e` (in `slot`) and any white
    /// space is one the word's terms may go on with.
    fn term_may_follow(&self, bytes: &[u8], e: usize, slot: usize) -> bool {
        let index = self.table_term.get(slot).copied().unwrap_or(0);
        if index == 0 {
            return true;
        }
        let Some(mask) = self.term_masks.get(usize::from(index)) else {
            return true;
        };
        match after_spaces(bytes, e).0 {
            Some(b) => mask[usize::from(b >> 6)] >> (b & 63) & 1 != 0,
            None => false,
        }
    }

    /// The alias starts the [`ALIAS`] word at `s..e` implies.
    fn alias_starts(&self, bytes: &[u8], s: usize, e: usize, slot: usize, out: &mut Anchors) {
        let (from, count, bloom) = self.table_aliases.get(slot).copied().unwrap_or_default();
        let next = |i: usize| bytes.get(i).copied().unwrap_or(0);
        if bloom & Follow::bloom_bit(next(e), next(e + 1)) == 0 {
            return;
        }
        let (from, count) = (from as usize, count as usize);
        let entries = self.alias_words.get(from..from + count).unwrap_or(&[]);
        let word = &bytes[s..e];
        // bit i: the word has the case the `LeadCase` numbered i needs
        let capital = word.first().is_some_and(u8::is_ascii_uppercase);
        let upper = word.iter().all(u8::is_ascii_uppercase);
        let cases = 1 | u8::from(capital) << 1 | u8::from(upper) << 2;
        for &(_, offset, case, follow) in entries {
            let Some(start) = s.checked_sub(offset) else {
                continue;
            };
            let edge = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
            if edge & (cases >> case as u8 & 1 != 0) && follow.found_at(bytes, e) {
                if out.aliases.last().is_some_and(|&last| last > start) {
                    out.aliases_unsorted = true;
                }
                out.aliases.push(start);
            }
        }
    }

    /// A run of ASCII digits at `s..e`.
    fn digit_run(&self, bytes: &[u8], s: usize, e: usize, out: &mut Anchors) {
        let n = bytes.len();
        let before = if s == 0 { b' ' } else { bytes[s - 1] };
        if self.alias_digits && !before.is_ascii_alphanumeric() {
            out.aliases.push(s);
        }
        if !before.is_ascii_alphanumeric() && before != b'_' {
            let len_bit = 1u16.checked_shl((e - s) as u32).unwrap_or(0);
            if self.digits.dates & len_bit != 0 {
                out.dates.push(s);
            }
            // a number starts a term only before "-", " " or a decimal point ("1.5-year")
            if self.digits.terms & len_bit != 0 && matches!(bytes.get(e), Some(b'-' | b' ' | b'.'))
            {
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
    /// Bytes no party name, title or verb of saying holds, nor the spaces and periods between
    /// them: every ASCII byte but letters, digits, space, `.`, `-` and `&`.
    barrier: u64,
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

/// The packed key (see [`pack_word`]) of the ASCII letters at `bytes[at..]` and their
/// count, if there are 1 to [`MAX_WORD`] of them.
pub fn word_key_at(bytes: &[u8], at: usize) -> Option<(u128, usize)> {
    let len = bytes
        .get(at..)?
        .iter()
        .take(MAX_WORD + 1)
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    (1..=MAX_WORD)
        .contains(&len)
        .then(|| (key_at(bytes, at, len), len))
}

/// Packs a word of up to [`MAX_WORD`] ASCII letters, lower-cased, into one integer (the
/// scan's table key); other words pack to keys no text word has.
pub const fn pack_word(word: &str) -> u128 {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_WORD {
        return u128::MAX;
    }
    let mut key = 0u128;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            return u128::MAX;
        }
        key |= (bytes[i].to_ascii_lowercase() as u128) << (8 * i);
        i += 1;
    }
    key
}

/// [`pack_word`] of each word.
pub const fn pack_words<const N: usize>(words: [&str; N]) -> [u128; N] {
    let mut keys = [0u128; N];
    let mut i = 0;
    while i < N {
        keys[i] = pack_word(words[i]);
        i += 1;
    }
    keys
}

/// The first byte at or after `at` that is not ASCII white space (`\s` of a byte pattern),
/// and how many white-space bytes came before it.
pub fn after_spaces(bytes: &[u8], at: usize) -> (Option<u8>, usize) {
    let skipped = bytes
        .get(at..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
        .count();
    (bytes.get(at + skipped).copied(), skipped)
}

/// The masks of 64 bytes.
fn block_of(chunk: &[u8]) -> Block {
    #[cfg(target_arch = "x86_64")]
    {
        block_of_sse2(chunk)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        block_of_swar(chunk)
    }
}

/// [`block_of`] sixteen bytes at a time with SSE2 (part of every x86-64 processor).
#[cfg(target_arch = "x86_64")]
fn block_of_sse2(chunk: &[u8]) -> Block {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    let mut block = Block::default();
    for (k, sixteen) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is always present on x86-64; the load reads exactly the sixteen bytes
        // of `sixteen` (unaligned loads are allowed).
        let (letters, digits, special, upper, open) = unsafe {
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
            let letters = between(lower, b'a', b'z');
            let digits = between(v, b'0', b'9');
            let eq = |b: u8| _mm_cmpeq_epi8(v, splat(b));
            // letters, digits, space . - & and every byte of a multi-byte character
            let open = _mm_or_si128(
                _mm_or_si128(letters, digits),
                _mm_or_si128(
                    _mm_or_si128(eq(b' '), eq(b'.')),
                    _mm_or_si128(_mm_or_si128(eq(b'-'), eq(b'&')), v),
                ),
            );
            (
                _mm_movemask_epi8(letters),
                _mm_movemask_epi8(digits),
                _mm_movemask_epi8(_mm_or_si128(eq(b'$'), lead)),
                _mm_movemask_epi8(between(v, b'A', b'Z')),
                _mm_movemask_epi8(open),
            )
        };
        let shift = 16 * k;
        let mask = |m: i32| u64::from(m as u16) << shift;
        block.letters |= mask(letters);
        block.digits |= mask(digits);
        block.special |= mask(special);
        block.upper |= mask(upper);
        block.barrier |= mask(!open);
    }
    block
}

/// [`block_of`] thirty-two bytes at a time with AVX2.
///
/// # Safety
/// The processor must support AVX2 (check with `is_x86_feature_detected!("avx2")`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn block_of_avx2(chunk: &[u8]) -> Block {
    use std::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256,
        _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    macro_rules! splat {
        ($b:expr) => {
            _mm256_set1_epi8($b as i8)
        };
    }
    // signed compares: bytes of 0x80 and more are negative, below every ASCII bound
    macro_rules! between {
        ($x:expr, $low:expr, $high:expr) => {
            _mm256_and_si256(
                _mm256_cmpgt_epi8($x, splat!($low - 1)),
                _mm256_cmpgt_epi8(splat!($high + 1), $x),
            )
        };
    }
    let mut block = Block::default();
    for (k, half) in chunk.chunks_exact(32).enumerate() {
        // SAFETY: the load reads exactly the 32 bytes of `half` (unaligned loads are allowed)
        let v = unsafe { _mm256_loadu_si256(half.as_ptr().cast::<__m256i>()) };
        let lower = _mm256_or_si256(v, splat!(0x20u8));
        // bytes 0xC0..=0xFF (lead bytes of multi-byte characters) are -64..=-1 as i8
        let lead = _mm256_and_si256(
            _mm256_cmpgt_epi8(v, splat!(0xBFu8)),
            _mm256_cmpgt_epi8(splat!(0u8), v),
        );
        let letters = between!(lower, b'a', b'z');
        let digits = between!(v, b'0', b'9');
        let eq = |b: u8| _mm256_cmpeq_epi8(v, splat!(b));
        let open = _mm256_or_si256(
            _mm256_or_si256(letters, digits),
            _mm256_or_si256(
                _mm256_or_si256(eq(b' '), eq(b'.')),
                _mm256_or_si256(_mm256_or_si256(eq(b'-'), eq(b'&')), v),
            ),
        );
        let shift = 32 * k;
        let mask = |m: i32| u64::from(m as u32) << shift;
        block.letters |= mask(_mm256_movemask_epi8(letters));
        block.digits |= mask(_mm256_movemask_epi8(digits));
        block.special |= mask(_mm256_movemask_epi8(_mm256_or_si256(eq(b'$'), lead)));
        block.upper |= mask(_mm256_movemask_epi8(between!(v, b'A', b'Z')));
        block.barrier |= mask(!_mm256_movemask_epi8(open));
    }
    block
}

/// [`block_of`] eight bytes at a time in plain integer arithmetic.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_of_swar(chunk: &[u8]) -> Block {
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
        let open = letters
            | digits
            | bytes_equal(word, b' ')
            | bytes_equal(word, b'.')
            | bytes_equal(word, b'-')
            | bytes_equal(word, b'&')
            | (word & HIGH1);
        let shift = 8 * k;
        block.upper |= gather(upper) << shift;
        block.letters |= gather(letters) << shift;
        block.digits |= gather(digits) << shift;
        block.special |= gather(special) << shift;
        block.barrier |= gather(!open & HIGH1) << shift;
    }
    block
}

/// The masks of a whole text, kept between scans to reuse the allocation.
#[derive(Debug, Clone, Default)]
pub struct Masks {
    blocks: Vec<Block>,
}

impl Masks {
    fn fill(&mut self, bytes: &[u8]) {
        self.blocks.clear();
        self.blocks.reserve(bytes.len().div_ceil(64));
        #[cfg(target_arch = "x86_64")]
        let block_of = if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 is present (checked just above)
            |chunk: &[u8]| unsafe { block_of_avx2(chunk) }
        } else {
            block_of
        };
        let mut chunks = bytes.chunks_exact(64);
        for chunk in &mut chunks {
            self.blocks.push(block_of(chunk));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // zero bytes are in no class (and are barriers)
            let mut padded = [0u8; 64];
            padded[..rest.len()].copy_from_slice(rest);
            self.blocks.push(block_of(&padded));
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

    /// The first position after the last barrier before `s` (0 when none).
    fn stretch_start(&self, s: usize) -> usize {
        let mut k = s / 64;
        // the barriers at positions below `s` within block `k`
        let mut below = (1u64 << (s % 64)) - 1;
        while let Some(block) = self.blocks.get(k) {
            let barriers = block.barrier & below;
            if barriers != 0 {
                return k * 64 + 64 - barriers.leading_zeros() as usize;
            }
            if k == 0 {
                break;
            }
            k -= 1;
            below = u64::MAX;
        }
        0
    }

    /// Pushes onto `names` the starts of the capitalised words (runs of letters and digits
    /// with a capital first) in the stretches between barriers that hold one of the `cues`
    /// (positions, in order), in text order.
    fn names_in_cued_stretches(&self, cues: &[usize], names: &mut Vec<usize>) {
        let mut done_until = 0;
        for &cue in cues {
            if cue < done_until {
                continue;
            }
            let start = self.stretch_start(cue);
            let end = self.run_end(cue, |b| !b.barrier);
            self.capitalised_starts(start, end, names);
            done_until = end;
        }
    }

    /// Pushes the capitalised word starts at positions `start..end`.
    fn capitalised_starts(&self, start: usize, end: usize, names: &mut Vec<usize>) {
        let alnum = |b: &Block| b.letters | b.digits;
        for k in start / 64..end.div_ceil(64) {
            let Some(block) = self.blocks.get(k) else {
                break;
            };
            let carry = match k.checked_sub(1).and_then(|j| self.blocks.get(j)) {
                Some(previous) => alnum(previous) >> 63,
                None => 0,
            };
            let here = alnum(block);
            let mut starts = here & !((here << 1) | carry) & block.upper;
            // only the bits of positions start..end
            let low = start.saturating_sub(k * 64).min(64);
            let high = (end - k * 64).min(64);
            starts &= u64::MAX.checked_shl(low as u32).unwrap_or(0);
            starts &= u64::MAX.checked_shr(64 - high as u32).unwrap_or(0);
            while starts != 0 {
                names.push(k * 64 + starts.trailing_zeros() as usize);
                starts &= starts - 1;
            }
        }
    }
}

/// A pattern whose capture groups are read over matches already found (see
/// [`SpanCaptures`]). Cheap to clone; clones share the memory of groups read before.
#[derive(Debug, Clone)]
pub struct GroupReader {
    pattern: regex_automata::meta::Regex,
    /// Tells this pattern's remembered groups from other patterns'.
    id: u64,
}

impl GroupReader {
    /// A reader of `pattern`'s groups. The groups of a match are remembered with the byte
    /// on either side of it, so the pattern's assertions must look no further than that:
    /// ASCII word boundaries (`(?-u)\b`) are fine, `^`, `$` and Unicode `\b` are not.
    pub fn new(pattern: regex_automata::meta::Regex) -> GroupReader {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        GroupReader { pattern, id }
    }

    /// The pattern.
    pub fn pattern(&self) -> &regex_automata::meta::Regex {
        &self.pattern
    }
}

/// The groups of one match, remembered: the pattern, the match's bytes and the bytes on
/// either side of it (all a pattern's word-boundary tests can see), and each group's span
/// relative to the match start.
struct RememberedGroups {
    id: u64,
    around: [u16; 2],
    matched: Box<[u8]>,
    spans: std::rc::Rc<[Option<(usize, usize)>]>,
}

/// Hashes a key that is a hash already ([`match_hash`]) by taking it as it is.
#[derive(Default, Clone, Copy)]
struct KeyIsHash(u64);

impl std::hash::Hasher for KeyIsHash {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type RememberedMap =
    std::collections::HashMap<u64, RememberedGroups, std::hash::BuildHasherDefault<KeyIsHash>>;

/// Matches remembered per thread before the memory is cleared and filled anew.
const MAX_REMEMBERED_MATCHES: usize = 4096;

thread_local! {
    /// Groups of recent matches (news text repeats the same dates and terms all the time,
    /// and reading the groups of a match costs thousands of instructions).
    static REMEMBERED: std::cell::RefCell<RememberedMap> =
        std::cell::RefCell::new(RememberedMap::default());
}

/// A fast hash of a pattern id, the bytes around a match and the match.
fn match_hash(id: u64, around: [u16; 2], matched: &[u8]) -> u64 {
    const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut hash = (id ^ (u64::from(around[0]) << 16 | u64::from(around[1]))).wrapping_mul(SEED);
    let mut chunks = matched.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(SEED);
    }
    for &byte in chunks.remainder() {
        hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(SEED);
    }
    hash ^ (matched.len() as u64)
}

/// The capture groups of a match already found at `start..end`, read with an anchored
/// search over just that span (much less work than a fresh unanchored search), or recalled
/// when the same text was matched before (in the same surroundings).
pub struct SpanCaptures<'t> {
    text: &'t str,
    /// Where the match starts in `text`.
    start: usize,
    /// Each group's span, relative to `start` (shared with the thread's memory of matches);
    /// group 0 is the whole match.
    spans: std::rc::Rc<[Option<(usize, usize)>]>,
}

impl<'t> SpanCaptures<'t> {
    /// The groups of the reader's pattern's match at `start..end` of `text`, if it matches
    /// there.
    pub fn read(
        reader: &GroupReader,
        text: &'t str,
        start: usize,
        end: usize,
    ) -> Option<SpanCaptures<'t>> {
        let bytes = text.as_bytes();
        let matched = bytes.get(start..end)?;
        // the bytes on either side, 256 for the start or end of the text
        let byte_at =
            |i: Option<usize>| i.and_then(|i| bytes.get(i)).map_or(256, |&b| u16::from(b));
        let around = [byte_at(start.checked_sub(1)), byte_at(Some(end))];
        let key = match_hash(reader.id, around, matched);
        let recalled = REMEMBERED.with(|memory| {
            let memory = memory.borrow();
            let known = memory.get(&key)?;
            (known.id == reader.id && known.around == around && *known.matched == *matched)
                .then(|| std::rc::Rc::clone(&known.spans))
        });
        if let Some(spans) = recalled {
            return Some(SpanCaptures { text, start, spans });
        }
        let pattern = &reader.pattern;
        let mut caps = pattern.create_captures();
        let input = regex_automata::Input::new(text)
            .span(start..end)
            .anchored(regex_automata::Anchored::Yes);
        pattern.search_captures(&input, &mut caps);
        if !caps.is_match() {
            return None;
        }
        let relative: std::rc::Rc<[Option<(usize, usize)>]> = (0..caps.group_len())
            .map(|i| {
                caps.get_group(i)
                    .map(|span| (span.start - start, span.end - start))
            })
            .collect();
        let spans = std::rc::Rc::clone(&relative);
        REMEMBERED.with(|memory| {
            let mut memory = memory.borrow_mut();
            if memory.len() >= MAX_REMEMBERED_MATCHES {
                memory.clear();
            }
            memory.insert(
                key,
                RememberedGroups {
                    id: reader.id,
                    around,
                    matched: matched.into(),
                    spans: relative,
                },
            );
        });
        Some(SpanCaptures { text, start, spans })
    }

    /// The whole match as `(start, end)`.
    pub fn whole(&self) -> Option<(usize, usize)> {
        self.group_span(0)
    }

    /// The text of group `index` (see [`group_index`]), if it took part in the match.
    pub fn group(&self, index: usize) -> Option<&'t str> {
        let (start, end) = self.group_span(index)?;
        self.text.get(start..end)
    }

    /// The span of group `index` as `(start, end)`, if it took part in the match.
    pub fn group_span(&self, index: usize) -> Option<(usize, usize)> {
        let (s, e) = self.spans.get(index).copied().flatten()?;
        Some((s + self.start, e + self.start))
    }
}

/// The index of the capture group `name` of `pattern` (`usize::MAX`, a group no match has,
/// when the pattern has none of that name).
pub fn group_index(pattern: &regex_automata::meta::Regex, name: &str) -> usize {
    pattern
        .group_info()
        .to_index(regex_automata::PatternID::ZERO, name)
        .unwrap_or(usize::MAX)
}

/// The leftmost-first, non-overlapping matches of `pattern` in `text`, searched for only at
/// `anchors` (in text order) where `may_start` allows, with anchored searches. When every
/// match of the pattern starts at an anchor that `may_start` allows, these are exactly the
/// matches of a full pass (`find_iter`).
pub fn anchored_matches<'a>(
    pattern: &'a regex_automata::meta::Regex,
    text: &'a str,
    anchors: &'a [usize],
    may_start: impl Fn(&[u8], usize) -> bool + 'a,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut free_from = 0;
    anchors.iter().filter_map(move |&at| {
        if at < free_from || at >= text.len() || !may_start(text.as_bytes(), at) {
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
        s.add_alias_word("acme", 0, LeadCase::Capital, b"");
        s.add_alias_word("musd", 0, LeadCase::Upper, b"");
        s.want_names(true, false, false);
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
        // a number counts for terms only before "-", " " or a decimal point
        assert_eq!(words(&a.terms), ["5", "4", "3", "year"]);
        assert_eq!(
            words(&a.aliases),
            ["2020", "Acme", "5", "3", "MUSD", "4", "43c", "3", "3M"]
        );
        assert_eq!(words(&a.names), ["In", "March", "Acme", "MUSD"]);
    }

    #[test]
    fn a_term_word_counts_only_before_the_bytes_it_may_go_on_with() {
        let mut s = Scanner::default();
        let mut follow = [false; 256];
        follow[usize::from(b't')] = true;
        follow[usize::from(b'T')] = true;
        assert!(s.add_term_word("to", Some(&follow)));
        assert!(s.add_term_word("over", None));
        s.finish();
        let text = "runs to the end, up to 2030, to\tThe close; over it and to";
        let mut a = Anchors::default();
        s.scan(text, &mut a);
        let at = |needle: &str, nth: usize| text.match_indices(needle).nth(nth).map(|(i, _)| i);
        let expected: Vec<usize> = [at("to the", 0), at("to\tThe", 0), at("over", 0)]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(a.terms, expected);
    }

    #[test]
    fn every_word_of_a_crowded_table_is_found_and_no_other() {
        // enough words that many share a first slot and some probe far
        let word = |n: usize| -> String {
            let mut w = String::new();
            let mut n = n + 1;
            while n > 0 {
                w.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
            }
            w
        };
        let mut s = Scanner::default();
        for n in (0..3000).step_by(3) {
            assert!(s.add_word(&word(n), TERM));
        }
        s.finish();
        let probe_on = Scanner::flag_bits(PROBE_ON);
        assert!(s.table.iter().any(|&entry| entry & probe_on != 0));
        for n in 0..3000 {
            let w = word(n);
            let (flags, slot) = s.lookup(pack(w.as_bytes()));
            if n % 3 == 0 {
                assert_eq!(flags, TERM, "{w}");
                assert_eq!(s.table[slot] & KEY_BITS, pack(w.as_bytes()), "{w}");
            } else {
                assert_eq!(flags, 0, "{w}");
            }
        }
    }

    #[test]
    fn alias_words_stand_for_the_alias_start_in_the_case_it_needs() {
        let mut s = Scanner::default();
        // "the Information": the scan looks for "the", the start itself
        s.add_alias_word("the", 0, LeadCase::Any, b" I");
        // "a unit of Amazon": "unit" stands two bytes in
        s.add_alias_word("unit", 2, LeadCase::Any, b" o");
        s.add_alias_word("aws", 0, LeadCase::Upper, b"");
        s.want_names(false, false, false);
        s.finish();
        let text = "aws AWS, a unit of Amazon, xunit the news, the information";
        let mut a = Anchors::default();
        s.scan(text, &mut a);
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        assert_eq!(a.aliases, [at("AWS"), at("a unit"), at("the i")]);
    }

    #[test]
    fn capitalised_words_are_kept_only_in_stretches_with_a_name_cue() {
        let mut s = Scanner::default();
        s.add_word("inc", NAME_CUE);
        s.add_word("a", NAME_CUE_UPPER);
        s.want_names(false, false, true);
        s.finish();
        let text = "Acme Widgets Inc. sold it. Bob Jones (Carl Smith) met Dora, Eve S.A. Fay";
        let mut a = Anchors::default();
        s.scan(text, &mut a);
        let kept: Vec<&str> = a
            .names
            .iter()
            .map(|&i| text[i..].split([' ', '.', ')']).next().unwrap_or(""))
            .collect();
        assert_eq!(
            kept,
            ["Acme", "Widgets", "Inc", "Bob", "Jones", "Eve", "S", "A", "Fay"]
        );
    }

    #[test]
    fn masks_match_each_byte_s_class() {
        let bytes: Vec<u8> = (0..=255u8).chain(b"$a9Zz@[`{/:".iter().copied()).collect();
        let mut masks = Masks::default();
        masks.fill(&bytes);
        for (i, &b) in bytes.iter().enumerate() {
            let block = masks.blocks[i / 64];
            let bit = |m: u64| m >> (i % 64) & 1 == 1;
            assert_eq!(bit(block.letters), b.is_ascii_alphabetic(), "byte {b:#x}");
            assert_eq!(bit(block.digits), b.is_ascii_digit(), "byte {b:#x}");
            assert_eq!(bit(block.special), b == b'$' || b >= 0xC0, "byte {b:#x}");
            assert_eq!(bit(block.upper), b.is_ascii_uppercase(), "byte {b:#x}");
            let open = b.is_ascii_alphanumeric() || b" .-&".contains(&b) || b >= 0x80;
            assert_eq!(bit(block.barrier), !open, "byte {b:#x}");
        }
    }

    #[test]
    fn both_mask_builders_agree() {
        let bytes: Vec<u8> = (0..=255u8)
            .chain(0..=255u8)
            .map(|b| b.rotate_left(3))
            .collect();
        for chunk in bytes.chunks_exact(64) {
            let (a, b) = (block_of(chunk), block_of_swar(chunk));
            let fields = |x: Block| (x.letters, x.digits, x.special, x.upper, x.barrier);
            assert_eq!(fields(a), fields(b));
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("avx2") {
                // SAFETY: AVX2 is present (checked just above)
                let c = unsafe { block_of_avx2(chunk) };
                assert_eq!(fields(a), fields(c));
            }
        }
    }

    #[test]
    fn loaded_keys_equal_packed_keys() {
        let text = b"Dollars yen MUSD abcdefghijklmnop Q";
        for (s, len) in [(0, 7), (8, 3), (12, 4), (13, 3), (17, 16), (34, 1)] {
            assert_eq!(key_at(text, s, len), pack(&text[s..s + len]));
        }
    }

    proptest::proptest! {
        #[test]
        fn remembered_groups_equal_groups_read_afresh(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["ab", "abc", "c", " ", "x", "1", "-"]),
                0..40,
            )
        ) {
            let text: String = pieces.concat();
            let pattern = regex_automata::meta::Regex::new(
                r"(?-u)\b(?:(ab|abc)\b|(ab)(c?))(-c)?",
            )
            .expect("pattern");
            let reader = GroupReader::new(pattern.clone());
            for found in pattern.find_iter(&text) {
                let (start, end) = (found.start(), found.end());
                // twice: once perhaps read, once surely recalled
                for _ in 0..2 {
                    let recalled = SpanCaptures::read(&reader, &text, start, end)
                        .expect("a match where one was found");
                    let mut fresh = pattern.create_captures();
                    let input = regex_automata::Input::new(&text)
                        .span(start..end)
                        .anchored(regex_automata::Anchored::Yes);
                    pattern.search_captures(&input, &mut fresh);
                    for group in 0..fresh.group_len() {
                        let span = fresh.get_group(group).map(|g| (g.start, g.end));
                        proptest::prop_assert_eq!(recalled.group_span(group), span);
                    }
                }
            }
        }
    }

    #[test]
    fn remembered_groups_belong_to_their_pattern_and_place() {
        let build = |pattern: &str| {
            GroupReader::new(regex_automata::meta::Regex::new(pattern).expect("pattern"))
        };
        let dashed = build(r"(\d+)-(\d+)");
        let split_late = build(r"(\d+-\d)(\d*)");
        let text = "12-34 and 12-34";
        let first = SpanCaptures::read(&dashed, text, 0, 5).expect("a match");
        assert_eq!((first.group(1), first.group(2)), (Some("12"), Some("34")));
        let again = SpanCaptures::read(&dashed, text, 10, 15).expect("a match");
        assert_eq!(again.whole(), Some((10, 15)));
        assert_eq!(again.group_span(1), Some((10, 12)));
        let other = SpanCaptures::read(&split_late, text, 0, 5).expect("a match");
        assert_eq!((other.group(1), other.group(2)), (Some("12-3"), Some("4")));
        // the same matched text, where a word boundary after it holds and where it does not
        let bounded = build(r"(?-u)(?:(ab)\b|(ab))");
        let text = "ab abc";
        let whole_word = SpanCaptures::read(&bounded, text, 0, 2).expect("a match");
        assert_eq!(
            (whole_word.group(1), whole_word.group(2)),
            (Some("ab"), None)
        );
        let inside = SpanCaptures::read(&bounded, text, 3, 5).expect("a match");
        assert_eq!((inside.group(1), inside.group(2)), (None, Some("ab")));
        assert!(SpanCaptures::read(&dashed, "no digits", 0, 2).is_none());
    }

    #[test]
    fn a_word_inside_another_is_no_anchor() {
        let mut a = Anchors::default();
        scanner().scan("yearly_year x2020 _2020", &mut a);
        assert!(a.dates.is_empty(), "{:?}", a.dates);
    }
}
