//! Numbers read from the start of a text: figures in digits ("1,234,567.89", "12,34,567",
//! "4.7") and numbers in words ("seventy", "twenty-one", "one hundred and two",
//! "five-and-a-half", "half a", "three-quarters of a", "one-billion").
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
/// grouping, dots as thousands separators when there are two or more groups of three
/// ("1.234.567"), and a decimal point ("4.7", "20,000.00"). A comma that does not start a
/// valid group ends the number ("10,25" reads as 10). `None` when `text` does not start with
/// a digit or the figure has more than 28 digits.
pub fn parse_digits(text: &str) -> Option<ParsedNumber> {
    let bytes = text.as_bytes();
    let first = digit_run(bytes, 0);
    if first == 0 {
        return None;
    }
    let mut int_digits = String::with_capacity(16);
    int_digits.push_str(&text[..first]);
    let mut end = first;

    // Comma grouping: groups of 2 or 3 digits, the last one of 3, the 2s before any 3.
    if first <= 3 && comma_group_start(bytes, end) {
        let mut pos = end;
        let mut groups: Vec<(usize, usize)> = Vec::new();
        while groups.len() < MAX_GROUPS && comma_group_start(bytes, pos) {
            let len = digit_run(bytes, pos + 1);
            if len != 2 && len != 3 {
                break;
            }
            groups.push((pos + 1, len));
            pos += 1 + len;
        }
        let last_is_three = groups.last().is_some_and(|&(_, len)| len == 3);
        let two_after_three = groups.windows(2).any(|w| w[0].1 == 3 && w[1].1 == 2);
        let runs_on =
            comma_group_start(bytes, pos) || (pos < bytes.len() && bytes[pos].is_ascii_digit());
        let valid = last_is_three && !two_after_three && !runs_on;
        if valid {
            for &(start, len) in &groups {
                int_digits.push_str(&text[start..start + len]);
            }
            end = pos;
        }
    } else if first <= 3 && dot_group_start(bytes, end) {
        // Dot grouping ("1.234.567"): only with two or more groups, else it is a decimal point.
        let mut pos = end;
        let mut groups = 0;
        while groups < MAX_GROUPS && dot_group_start(bytes, pos) && digit_run(bytes, pos + 1) == 3 {
            groups += 1;
            pos += 4;
        }
        let clean_end = !(pos < bytes.len() && (bytes[pos].is_ascii_digit()))
            && !(pos + 1 < bytes.len()
                && (bytes[pos] == b'.' || bytes[pos] == b',')
                && bytes[pos + 1].is_ascii_digit());
        if groups >= 2 && clean_end {
            let digits: String = text[end..pos]
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            int_digits.push_str(&digits);
            end = pos;
            return finish(&int_digits, "", end);
        }
    }

    // Decimal part.
    let mut fraction = "";
    if end + 1 < bytes.len() && bytes[end] == b'.' && bytes[end + 1].is_ascii_digit() {
        let len = digit_run(bytes, end + 1);
        fraction = &text[end + 1..end + 1 + len];
        end += 1 + len;
    }
    finish(&int_digits, fraction, end)
}

fn finish(int_digits: &str, fraction: &str, len: usize) -> Option<ParsedNumber> {
    let int_digits = int_digits.trim_start_matches('0');
    if int_digits.len() > MAX_DIGITS {
        return None;
    }
    let keep = fraction.len().min(MAX_DIGITS - int_digits.len());
    let fraction = &fraction[..keep];
    let mut literal = String::with_capacity(int_digits.len() + fraction.len() + 2);
    literal.push_str(if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    });
    if !fraction.is_empty() {
        literal.push('.');
        literal.push_str(fraction);
    }
    let value: Decimal = literal.parse().ok()?;
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
    const UNITS: [&str; 20] = [
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
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if word.len() > 12 || word.len() < 3 {
        return None;
    }
    let mut buf = [0u8; 12];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    if let Some(i) = UNITS.iter().position(|w| *w == lower) {
        return Some(NumberWord::Unit(i as u32));
    }
    if let Some(i) = TENS.iter().position(|w| *w == lower) {
        return Some(NumberWord::Tens(20 + 10 * i as u32));
    }
    Some(match lower {
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

/// A word of the text, with its byte range.
#[derive(Debug, Clone, Copy)]
struct WordAt<'t> {
    word: &'t str,
    end: usize,
}

/// Splits the start of `text` into words joined by single hyphens or runs of spaces/tabs,
/// at most `MAX_WORDS + 4` of them; stops at anything else.
fn leading_words(text: &str) -> Vec<WordAt<'_>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut pos = 0;
    while words.len() < MAX_WORDS + 4 {
        let len = bytes[pos..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        if len == 0 {
            break;
        }
        words.push(WordAt {
            word: &text[pos..pos + len],
            end: pos + len,
        });
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
        assert_eq!(digits("10,25"), Some((dec("10"), 2)));
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
