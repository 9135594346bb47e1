//! Numbers read from the start of a text: figures in digits ("1,234,567.89", "12,34,567",
//! "4.7") and numbers in words ("seventy", "twenty-one", "one hundred and two",
//! "five-and-a-half", "half a", "three-quarters of a", "one-billion", "one point five").
//!
//! Every function reads from the first byte of the text it is given and reports how many
//! bytes it used, so callers can go on reading after the number ("five-and-a-half-year" →
//! 5.5, then "-year"). All arithmetic is exact ([`Decimal`]); figures too large for it are
//! refused rather than rounded. Nothing here panics, and every scan is bounded.

use rust_decimal::Decimal;

/// A number read from the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedNumber {
    /// Its value.
    pub value: Decimal,
    /// How many bytes of the text it took.
    pub len: usize,
    /// Whether it was written without a fractional part ("20", "twenty"; not "20.5" or "half").
    pub whole: bool,
}

/// Most significant digits a [`Decimal`] holds safely.
const MAX_DIGITS: usize = 28;
/// Most digit groups read after a separator; longer runs are not one number.
const MAX_GROUPS: usize = 9;
/// Most words one number in words may take.
const MAX_WORDS: usize = 16;

/// Reads a figure in ASCII digits at the start of `text`.
///
/// Accepts thousands separators by comma in western ("1,234,567") or Indian ("12,34,567")
/// grouping, dots as thousands separators when there are two or more groups of three or a
/// decimal comma follows ("1.234.567", "1.234,56"), a decimal point ("4.7", "20,000.00"),
/// and a decimal comma with two digits ("20,00"). A comma that does not start a valid group
/// ends the number ("10,5" reads as 10). `None` when `text` does not start with
/// a digit or the figure has more than 28 digits.
pub fn parse_digits(text: &str) -> Option<ParsedNumber> {
    let bytes = text.as_bytes();
    let first = digit_run(bytes, 0);
    if first == 0 {
        return None;
    }
    let mut int_digits = Digits::default();
    int_digits.push(&bytes[..first]);
    let mut end = first;

    // Comma grouping: groups of 2 or 3 digits, the last one of 3, the 2s before any 3.
    if first <= 3 && comma_group_start(bytes, end) {
        let mut pos = end;
        // at most MAX_GROUPS groups: kept on the stack (numbers are read on the hot path)
        let mut group_buf = [(0usize, 0usize); MAX_GROUPS];
        let mut count = 0;
        while count < MAX_GROUPS && comma_group_start(bytes, pos) {
            let len = digit_run(bytes, pos + 1);
            if len != 2 && len != 3 {
                break;
            }
            group_buf[count] = (pos + 1, len);
            count += 1;
            pos += 1 + len;
        }
        let groups = &group_buf[..count];
        let last_is_three = groups.last().is_some_and(|&(_, len)| len == 3);
        let two_after_three = groups.windows(2).any(|w| w[0].1 == 3 && w[1].1 == 2);
        let runs_on =
            comma_group_start(bytes, pos) || (pos < bytes.len() && bytes[pos].is_ascii_digit());
        let valid = last_is_three && !two_after_three && !runs_on;
        if valid {
            for &(start, len) in groups {
                int_digits.push(&bytes[start..start + len]);
            }
            end = pos;
        } else if decimal_comma(bytes, end) == Some(2) {
            return finish(int_digits, &bytes[end + 1..end + 3], end + 3);
        }
    } else if first <= 3 && dot_group_start(bytes, end) {
        // Dot grouping ("1.234.567", "1.234,56"): two or more groups, or one group with a
        // decimal comma after it; else the dot is a decimal point.
        let mut pos = end;
        let mut groups = 0;
        while groups < MAX_GROUPS && dot_group_start(bytes, pos) && digit_run(bytes, pos + 1) == 3 {
            groups += 1;
            pos += 4;
        }
        let runs_on =
            (pos < bytes.len() && bytes[pos].is_ascii_digit()) || dot_group_start(bytes, pos);
        let comma_fraction = decimal_comma(bytes, pos);
        if !runs_on && (groups >= 2 || (groups == 1 && comma_fraction.is_some())) {
            int_digits.push(&bytes[end..pos]);
            return match comma_fraction {
                Some(len) => finish(int_digits, &bytes[pos + 1..pos + 1 + len], pos + 1 + len),
                None => finish(int_digits, b"", pos),
            };
        }
    } else if let Some(len) = decimal_comma(bytes, end) {
        // A decimal comma with cents: "20,00 €".
        if len == 2 {
            return finish(int_digits, &bytes[end + 1..end + 3], end + 3);
        }
    }

    // Decimal part.
    let mut fraction: &[u8] = b"";
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        let len = digit_run(bytes, end + 1);
        fraction = &bytes[end + 1..end + 1 + len];
        end += 1 + len;
    }
    finish(int_digits, fraction, end)
}

/// At `pos`, a comma and one or two digits that end the number: their count.
fn decimal_comma(bytes: &[u8], pos: usize) -> Option<usize> {
    if !comma_group_start(bytes, pos) {
        return None;
    }
    let len = digit_run(bytes, pos + 1);
    let after = pos + 1 + len;
    let ends = !(after + 1 < bytes.len()
        && (bytes[after] == b',' || bytes[after] == b'.')
        && bytes[after + 1].is_ascii_digit());
    ((1..=2).contains(&len) && ends).then_some(len)
}

/// Significant digits of an integer part, gathered without allocating.
#[derive(Debug, Default, Clone, Copy)]
struct Digits {
    mantissa: i128,
    count: usize,
    overflow: bool,
}

impl Digits {
    /// Appends the ASCII digits of `bytes` (other bytes are skipped).
    fn push(&mut self, bytes: &[u8]) {
        for byte in bytes.iter().filter(|b| b.is_ascii_digit()) {
            if self.count == 0 && *byte == b'0' {
                continue;
            }
            if self.count >= MAX_DIGITS {
                self.overflow = true;
                return;
            }
            self.mantissa = self.mantissa * 10 + i128::from(byte - b'0');
            self.count += 1;
        }
    }
}

fn finish(int_digits: Digits, fraction: &[u8], len: usize) -> Option<ParsedNumber> {
    if int_digits.overflow {
        return None;
    }
    let keep = fraction.len().min(MAX_DIGITS - int_digits.count);
    let mut mantissa = int_digits.mantissa;
    for byte in &fraction[..keep] {
        mantissa = mantissa * 10 + i128::from(byte - b'0');
    }
    let value = Decimal::try_from_i128_with_scale(mantissa, keep as u32).ok()?;
    Some(ParsedNumber {
        value,
        len,
        whole: fraction.is_empty(),
    })
}

fn digit_run(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

fn comma_group_start(bytes: &[u8], pos: usize) -> bool {
    pos + 1 < bytes.len() && bytes[pos] == b',' && bytes[pos + 1].is_ascii_digit()
}

fn dot_group_start(bytes: &[u8], pos: usize) -> bool {
    pos + 1 < bytes.len() && bytes[pos] == b'.' && bytes[pos + 1].is_ascii_digit()
}

/// Every word [`number_word`] knows, in lower case.
pub const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "dozen",
    "thousand",
    "million",
    "billion",
    "trillion",
    "half",
    "halves",
    "third",
    "thirds",
    "quarter",
    "quarters",
];

/// What one English number word stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWord {
    /// "zero" to "nineteen".
    Unit(u32),
    /// "twenty" to "ninety".
    Tens(u32),
    /// "hundred".
    Hundred,
    /// "dozen".
    Dozen,
    /// "thousand", "million", "billion", "trillion".
    Scale(u64),
    /// "half", "quarter", "third" and plurals: the fraction's denominator.
    Fraction(u32),
}

/// The meaning of a single English number word (ASCII case-insensitive), if it is one.
pub fn number_word(word: &str) -> Option<NumberWord> {
    if word.len() > 9 || word.len() < 3 {
        return None;
    }
    let mut buf = [0u8; 9];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    Some(match lower {
        "zero" => NumberWord::Unit(0),
        "one" => NumberWord::Unit(1),
        "two" => NumberWord::Unit(2),
        "three" => NumberWord::Unit(3),
        "four" => NumberWord::Unit(4),
        "five" => NumberWord::Unit(5),
        "six" => NumberWord::Unit(6),
        "seven" => NumberWord::Unit(7),
        "eight" => NumberWord::Unit(8),
        "nine" => NumberWord::Unit(9),
        "ten" => NumberWord::Unit(10),
        "eleven" => NumberWord::Unit(11),
        "twelve" => NumberWord::Unit(12),
        "thirteen" => NumberWord::Unit(13),
        "fourteen" => NumberWord::Unit(14),
        "fifteen" => NumberWord::Unit(15),
        "sixteen" => NumberWord::Unit(16),
        "seventeen" => NumberWord::Unit(17),
        "eighteen" => NumberWord::Unit(18),
        "nineteen" => NumberWord::Unit(19),
        "twenty" => NumberWord::Tens(20),
        "thirty" => NumberWord::Tens(30),
        "forty" => NumberWord::Tens(40),
        "fifty" => NumberWord::Tens(50),
        "sixty" => NumberWord::Tens(60),
        "seventy" => NumberWord::Tens(70),
        "eighty" => NumberWord::Tens(80),
        "ninety" => NumberWord::Tens(90),
        "hundred" => NumberWord::Hundred,
        "dozen" => NumberWord::Dozen,
        "thousand" => NumberWord::Scale(1_000),
        "million" => NumberWord::Scale(1_000_000),
        "billion" => NumberWord::Scale(1_000_000_000),
        "trillion" => NumberWord::Scale(1_000_000_000_000),
        "half" | "halves" => NumberWord::Fraction(2),
        "third" | "thirds" => NumberWord::Fraction(3),
        "quarter" | "quarters" => NumberWord::Fraction(4),
        _ => return None,
    })
}

/// Whether a word can be part of a number in words ("five", "and", "a", "of", "point").
fn numberish(word: &str) -> bool {
    ["a", "an", "and", "of", "point"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
        || number_word(word).is_some()
}

/// A word of the text, with its byte range.
#[derive(Debug, Clone, Copy, Default)]
struct WordAt<'t> {
    word: &'t str,
    end: usize,
}

/// Splits the start of `text` into words joined by single hyphens or runs of spaces/tabs,
/// at most `MAX_WORDS + 4` of them; stops after the first word that cannot be part of a
/// number, and at anything else.
fn leading_words(text: &str) -> Words<'_> {
    let bytes = text.as_bytes();
    let mut words = Words::default();
    let mut pos = 0;
    while words.len < WORDS_CAP {
        let len = bytes[pos..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if len == 0 {
            break;
        }
        let word = &text[pos..pos + len];
        words.items[words.len] = WordAt {
            word,
            end: pos + len,
        };
        words.len += 1;
        if !numberish(word) {
            // The number cannot go on past this word.
            break;
        }
        let mut next = pos + len;
        if next < bytes.len() && bytes[next] == b'-' {
            next += 1;
        } else {
            let spaces = bytes[next..]
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            if spaces == 0 {
                break;
            }
            next += spaces;
        }
        if next >= bytes.len() || !bytes[next].is_ascii_alphabetic() {
            break;
        }
        pos = next;
    }
    words
}

const WORDS_CAP: usize = MAX_WORDS + 4;

/// The leading words of a text, without allocating.
#[derive(Debug, Default)]
struct Words<'t> {
    items: [WordAt<'t>; WORDS_CAP],
    len: usize,
}

impl<'t> std::ops::Deref for Words<'t> {
    type Target = [WordAt<'t>];

    fn deref(&self) -> &Self::Target {
        &self.items[..self.len]
    }
}

fn is(word: &WordAt<'_>, s: &str) -> bool {
    word.word.eq_ignore_ascii_case(s)
}

/// Reads a number written in English words at the start of `text` (ASCII case-insensitive;
/// words joined by spaces or hyphens).
///
/// Handles units, tens and compounds ("twenty-one"), "hundred" with optional "and"
/// ("one hundred and two"), scale words ("seventy million", "one-billion"), the article as
/// one before a scale or fraction ("a million", "a half"), and fractions: "half", "half a",
/// "a quarter", "three-quarters", "three-quarters of a", "five-and-a-half",
/// "two and a half million", "half a billion". `len` ends after the last word that is part
/// of the number ("half a year" → 0.5 with len of "half a"). `None` when the text does not
/// start with a number.
pub fn parse_words(text: &str) -> Option<ParsedNumber> {
    let words = leading_words(text);
    let get = |i: usize| words.get(i);
    let mut total = Decimal::ZERO;
    let mut current = Decimal::ZERO;
    let mut have = false;
    let mut whole = true;
    let mut end = 0usize;
    // What the last word was, to reject "one two" or "twenty thirty".
    #[derive(PartialEq, Clone, Copy)]
    enum Last {
        Nothing,
        Unit,
        Teen,
        Tens,
        Hundred,
        Scale,
    }
    let mut last = Last::Nothing;
    let mut i = 0;
    while i < words.len().min(MAX_WORDS) {
        let w = words[i];
        // "a"/"an" as one, before a scale, "hundred", "dozen" or a fraction.
        if !have && (is(&w, "a") || is(&w, "an")) {
            match get(i + 1).and_then(|n| number_word(n.word)) {
                Some(NumberWord::Hundred | NumberWord::Scale(_) | NumberWord::Dozen) => {
                    current = Decimal::ONE;
                    have = true;
                    last = Last::Unit;
                    i += 1;
                    continue;
                }
                Some(NumberWord::Fraction(d)) => {
                    let (value, next) = fraction_tail(&words, i + 2, Decimal::ONE, d);
                    return Some(ParsedNumber {
                        value,
                        len: words[next - 1].end,
                        whole: false,
                    });
                }
                _ => return None,
            }
        }
        if is(&w, "and") {
            if !have {
                break;
            }
            // "and a half" / "and a quarter"
            let article = get(i + 1).is_some_and(|n| is(n, "a") || is(n, "an"));
            if article {
                if let Some(NumberWord::Fraction(d)) = get(i + 2).and_then(|n| number_word(n.word))
                {
                    let next = i + 3;
                    current += Decimal::ONE / Decimal::from(d);
                    whole = false;
                    end = words[next - 1].end;
                    i = next;
                    // "two and a half million"
                    if let Some(NumberWord::Scale(s)) = get(i).and_then(|n| number_word(n.word)) {
                        total += current * Decimal::from(s);
                        current = Decimal::ZERO;
                        end = words[i].end;
                    }
                    break;
                }
                break;
            }
            // "hundred and two", "million and five"
            let next_is_small = matches!(
                get(i + 1).and_then(|n| number_word(n.word)),
                Some(NumberWord::Unit(_) | NumberWord::Tens(_))
            );
            if next_is_small && matches!(last, Last::Hundred | Last::Scale) {
                i += 1;
                continue;
            }
            break;
        }
        // "one point three": decimals spoken digit by digit.
        if is(&w, "point") && have && whole && matches!(last, Last::Unit | Last::Teen | Last::Tens)
        {
            let mut fraction = Decimal::ZERO;
            let mut scale = Decimal::ONE;
            let mut k = i + 1;
            while k < words.len().min(MAX_WORDS) {
                match number_word(words[k].word) {
                    Some(NumberWord::Unit(d)) if d < 10 => {
                        scale /= Decimal::TEN;
                        fraction += Decimal::from(d) * scale;
                        k += 1;
                    }
                    _ => break,
                }
            }
            if k > i + 1 {
                current += fraction;
                whole = false;
                end = words[k - 1].end;
                i = k;
                if let Some(NumberWord::Scale(s)) = get(i).and_then(|n| number_word(n.word)) {
                    total += current * Decimal::from(s);
                    current = Decimal::ZERO;
                    end = words[i].end;
                }
            }
            break;
        }
        let Some(kind) = number_word(w.word) else {
            break;
        };
        match kind {
            NumberWord::Unit(v) => {
                if matches!(last, Last::Unit | Last::Teen) {
                    break;
                }
                current += Decimal::from(v);
                last = if v >= 10 { Last::Teen } else { Last::Unit };
            }
            NumberWord::Tens(v) => {
                if matches!(last, Last::Unit | Last::Teen | Last::Tens) {
                    break;
                }
                current += Decimal::from(v);
                last = Last::Tens;
            }
            NumberWord::Hundred => {
                if !have || last == Last::Hundred || current.is_zero() {
                    break;
                }
                current *= Decimal::from(100);
                last = Last::Hundred;
            }
            NumberWord::Dozen => {
                if !have || current.is_zero() {
                    break;
                }
                current *= Decimal::from(12);
                last = Last::Hundred;
            }
            NumberWord::Scale(s) => {
                if !have || current.is_zero() {
                    break;
                }
                total += current * Decimal::from(s);
                current = Decimal::ZERO;
                last = Last::Scale;
            }
            NumberWord::Fraction(d) => {
                // "half", "half a", "three-quarters of a", "one-half"
                let numerator = if have {
                    if !matches!(last, Last::Unit | Last::Teen) || !total.is_zero() {
                        break;
                    }
                    current
                } else if d == 2 {
                    Decimal::ONE
                } else {
                    // A bare "third" or "quarter" is an ordinal or a period, not a number.
                    break;
                };
                let (value, next) = fraction_tail(&words, i + 1, numerator, d);
                return Some(ParsedNumber {
                    value,
                    len: words[next - 1].end,
                    whole: false,
                });
            }
        }
        have = true;
        end = w.end;
        i += 1;
    }
    if !have {
        return None;
    }
    Some(ParsedNumber {
        value: total + current,
        len: end,
        whole,
    })
}

/// After a fraction word at `next - 1`: optional "of a"/"a"/"an", then an optional scale
/// word that multiplies the fraction. Returns the value and the index after the last
/// word used.
fn fraction_tail(
    words: &[WordAt<'_>],
    next: usize,
    numerator: Decimal,
    denominator: u32,
) -> (Decimal, usize) {
    let mut value = numerator / Decimal::from(denominator);
    let mut i = next;
    let article = |k: usize| words.get(k).is_some_and(|w| is(w, "a") || is(w, "an"));
    if words.get(i).is_some_and(|w| is(w, "of")) && article(i + 1) {
        i += 2;
    } else if article(i) {
        i += 1;
    }
    if let Some(NumberWord::Scale(s)) = words.get(i).and_then(|w| number_word(w.word)) {
        value *= Decimal::from(s);
        i += 1;
    }
    (value, i)
}

/// Reads a number at the start of `text`, in digits ([`parse_digits`]) or words
/// ([`parse_words`]); digits may be followed by a scale word joined by a space or hyphen
/// ("4.7 billion", "5-million"), which multiplies them.
pub fn parse_number(text: &str) -> Option<ParsedNumber> {
    if let Some(mut number) = parse_digits(text) {
        let rest = &text[number.len..];
        let gap = rest
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'-')
            .take(2)
            .count();
        if gap > 0 {
            let words = leading_words(&rest[gap..]);
            if let Some(NumberWord::Scale(s)) = words.first().and_then(|w| number_word(w.word)) {
                if let Some(value) = number.value.checked_mul(Decimal::from(s)) {
                    number.value = value;
                    number.len += gap + words[0].end;
                    number.whole = number.value.fract().is_zero();
                }
            }
        }
        return Some(number);
    }
    parse_words(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn digits(s: &str) -> Option<(Decimal, usize)> {
        parse_digits(s).map(|p| (p.value, p.len))
    }

    fn words(s: &str) -> Option<(Decimal, usize)> {
        parse_words(s).map(|p| (p.value.normalize(), p.len))
    }

    #[test]
    fn digits_with_separators() {
        assert_eq!(digits("1,234,567.89 x"), Some((dec("1234567.89"), 12)));
        assert_eq!(digits("12,34,567.89"), Some((dec("1234567.89"), 12)));
        assert_eq!(digits("20,000.00"), Some((dec("20000.00"), 9)));
        assert_eq!(digits("4.7 billion"), Some((dec("4.7"), 3)));
        assert_eq!(digits("1.234.567"), Some((dec("1234567"), 9)));
        assert_eq!(digits("10,25"), Some((dec("10.25"), 5)));
        assert_eq!(digits("10,5"), Some((dec("10"), 2)));
        assert_eq!(digits("1.234,56 €"), Some((dec("1234.56"), 8)));
        assert_eq!(digits("1.234.567,5"), Some((dec("1234567.5"), 11)));
        assert_eq!(digits("1,234,5"), Some((dec("1"), 1)));
        assert_eq!(digits("2020, when"), Some((dec("2020"), 4)));
        assert_eq!(digits("1,5000"), Some((dec("1"), 1)));
        assert_eq!(digits("x1"), None);
        assert_eq!(digits(&"9".repeat(40)), None);
    }

    #[test]
    fn words_basic() {
        assert_eq!(
            words("seventy million dollars"),
            Some((dec("70000000"), 15))
        );
        assert_eq!(words("twenty-one years"), Some((dec("21"), 10)));
        assert_eq!(words("one hundred and two"), Some((dec("102"), 19)));
        assert_eq!(words("one-billion-dlr"), Some((dec("1000000000"), 11)));
        assert_eq!(words("a million"), Some((dec("1000000"), 9)));
        assert_eq!(words("ten cents"), Some((dec("10"), 3)));
        assert_eq!(words("one two"), Some((dec("1"), 3)));
        assert_eq!(words("a dollar"), None);
        assert_eq!(words("dollars"), None);
        assert_eq!(words("seventyish"), None);
    }

    #[test]
    fn words_fractions() {
        assert_eq!(words("five-and-a-half-year"), Some((dec("5.5"), 15)));
        assert_eq!(words("half a year"), Some((dec("0.5"), 6)));
        assert_eq!(
            words("half a billion dollars"),
            Some((dec("500000000"), 14))
        );
        assert_eq!(
            words("three-quarters of a billion"),
            Some((dec("750000000"), 27))
        );
        assert_eq!(words("three-quarters of a"), Some((dec("0.75"), 19)));
        assert_eq!(words("half million usd"), Some((dec("500000"), 12)));
        assert_eq!(words("two and a half million"), Some((dec("2500000"), 22)));
        assert_eq!(words("a quarter"), Some((dec("0.25"), 9)));
        assert_eq!(words("one-half"), Some((dec("0.5"), 8)));
        assert_eq!(words("one point three dollars"), Some((dec("1.3"), 15)));
        assert_eq!(words("two point five million"), Some((dec("2500000"), 22)));
        assert_eq!(words("one point of view"), Some((dec("1"), 3)));
    }

    #[test]
    fn word_list_matches_number_word() {
        for word in NUMBER_WORDS {
            assert!(number_word(word).is_some(), "{word}");
            assert!(number_word(&word.to_uppercase()).is_some(), "{word}");
        }
        assert!(number_word("dollar").is_none());
    }

    #[test]
    fn number_either_way() {
        let n = parse_number("4.7 billion").unwrap();
        assert_eq!((n.value.normalize(), n.len), (dec("4700000000"), 11));
        let n = parse_number("5-million").unwrap();
        assert_eq!(n.value, dec("5000000"));
        let n = parse_number("five-and-a-half-year").unwrap();
        assert_eq!((n.value.normalize(), n.len), (dec("5.5"), 15));
        assert!(parse_number("year").is_none());
    }
}
