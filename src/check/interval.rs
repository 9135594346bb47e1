//! Values as intervals: what range of amounts the words of a money mention allow.
//!
//! The rule, applied to every amount before comparison:
//! - **Precision.** An exact figure covers half a unit of its last significant digit, counted
//!   with at least two significant figures: "$510 million" → [505, 515] million,
//!   "$1 billion" → [0.95, 1.05] billion, "$1.02 billion" → [1.015, 1.025] billion,
//!   "$1.024 billion" → [1.0235, 1.0245] billion.
//! - **Approx** ("about", "around"): ±10 % of the value, or the precision band if wider.
//! - **AtLeast** ("at least", "more than"): [low, ∞); "just over" / "slightly more than": [low, 1.1 × low].
//! - **AtMost**: "nearly" / "almost" / "just under" / "close to": [0.9 × high, high];
//!   otherwise ("up to", "less than") [0, high].
//! - **Range**: [low, high], each end widened by its own precision.
//!
//! Two intervals agree when they overlap with a positive length (ends that only touch do not
//! agree: "$500 million" [495, 505] and "$510 million" [505, 515] disagree).

use crate::model::{Money, Qualifier};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A closed range of values; open ends are infinite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end (`f64::NEG_INFINITY` when open).
    pub low: f64,
    /// Upper end (`f64::INFINITY` when open).
    pub high: f64,
    /// The single figure the words name (the value, the bound, or the middle of a range).
    pub point: f64,
}

impl Interval {
    /// An interval from its ends and named figure.
    pub fn new(low: f64, high: f64, point: f64) -> Interval {
        Interval { low, high, point }
    }

    /// A whole number (months, years) as the unit band around it.
    pub fn whole(value: f64) -> Interval {
        Interval::new(value - 0.5, value + 0.5, value)
    }

    /// True when the two ranges share more than a single point.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.low < other.high && other.low < self.high
    }

    /// True when both ends are finite.
    pub fn is_bounded(&self) -> bool {
        self.low.is_finite() && self.high.is_finite()
    }

    /// The interval multiplied by a positive factor (currency conversion).
    pub fn scaled(&self, factor: f64) -> Interval {
        Interval::new(self.low * factor, self.high * factor, self.point * factor)
    }

    /// The interval widened on both sides by a relative margin.
    pub fn widened(&self, relative: f64) -> Interval {
        Interval::new(
            self.low - self.low.abs() * relative,
            self.high + self.high.abs() * relative,
            self.point,
        )
    }
}

/// Half a unit of the last significant digit of `value`, counting at least two significant
/// figures. `1_000_000_000` → `50_000_000`; `1_024_000_000` → `500_000`; `12.5` → `0.05`.
pub fn half_unit(value: Decimal) -> f64 {
    let text = value.abs().normalize().to_string();
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text.as_str(), ""),
    };
    let int_digits = int_part.trim_start_matches('0');
    let (mut last_exponent, significant): (i32, usize) = if !frac_part.is_empty() {
        let digits = format!("{int_digits}{frac_part}");
        let sig = digits.trim_start_matches('0').len();
        (-(frac_part.len() as i32), sig)
    } else {
        let trailing = int_digits.len() - int_digits.trim_end_matches('0').len();
        (trailing as i32, int_digits.len() - trailing)
    };
    if significant == 0 {
        return 0.5;
    }
    if significant < 2 {
        last_exponent -= (2 - significant) as i32;
    }
    0.5 * 10f64.powi(last_exponent)
}

fn to_f64(value: Decimal) -> Option<f64> {
    value.to_f64().filter(|v| v.is_finite())
}

fn says_close_below(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "nearly",
        "almost",
        "just under",
        "just below",
        "close to",
        "just shy",
        "approaching",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

fn says_close_above(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "just over",
        "just above",
        "slightly more",
        "slightly over",
        "a little over",
        "a little more",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The interval the words of a money mention allow (see the module rule), or `None` when the
/// mention carries no usable figure.
pub fn money_interval(money: &Money) -> Option<Interval> {
    let value = money.value;
    match money.qualifier {
        Qualifier::Exact => {
            let v = value.or(money.low).or(money.high)?;
            let x = to_f64(v)?;
            let h = half_unit(v);
            Some(Interval::new(x - h, x + h, x))
        }
        Qualifier::Approx => {
            let v = value.or(money.low).or(money.high)?;
            let x = to_f64(v)?;
            let band = (x.abs() * 0.10).max(half_unit(v));
            Some(Interval::new(x - band, x + band, x))
        }
        Qualifier::AtLeast => {
            let v = money.low.or(value)?;
            let x = to_f64(v)?;
            if says_close_above(&money.text) {
                Some(Interval::new(x, x + x.abs() * 0.10, x))
            } else {
                Some(Interval::new(x, f64::INFINITY, x))
            }
        }
        Qualifier::AtMost => {
            let v = money.high.or(value)?;
            let x = to_f64(v)?;
            if says_close_below(&money.text) {
                Some(Interval::new(x - x.abs() * 0.10, x, x))
            } else {
                Some(Interval::new(0f64.min(x), x, x))
            }
        }
        Qualifier::Range => match (money.low, money.high) {
            (Some(l), Some(h)) => {
                let (lf, hf) = (to_f64(l)?, to_f64(h)?);
                let (lo, hi) = if lf <= hf { (lf, hf) } else { (hf, lf) };
                Some(Interval::new(
                    lo - half_unit(l),
                    hi + half_unit(h),
                    (lo + hi) / 2.0,
                ))
            }
            (Some(l), None) => to_f64(l).map(|x| Interval::new(x, f64::INFINITY, x)),
            (None, Some(h)) => to_f64(h).map(|x| Interval::new(0f64.min(x), x, x)),
            (None, None) => {
                let x = to_f64(value?)?;
                Some(Interval::new(x, x, x))
            }
        },
    }
}

fn conversion_pattern() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"(?i)^\s*\(\s*(about |around |roughly |some |or |nearly |approximately )?(US\$|\$|€|£|¥)\s?(\d[\d,]*(?:\.\d+)?)\s*(trillion|billion|million|bn|mn|m|k)?\b",
        )
        .unwrap_or_else(|_| regex::Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!()))
    })
}

/// A conversion stated in parentheses right after the amount in its sentence:
/// "€920 million ($1 billion)" → `("USD", [$0.95 billion, $1.05 billion])`, with the words.
pub fn stated_conversion(sentence: &str, amount_text: &str) -> Option<(String, Interval, String)> {
    if amount_text.is_empty() {
        return None;
    }
    let at = sentence.find(amount_text)?;
    let rest = sentence.get(at + amount_text.len()..)?;
    let caps = conversion_pattern().captures(rest)?;
    let currency = match caps.get(2)?.as_str() {
        "$" | "US$" | "us$" => "USD",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        _ => return None,
    };
    let digits = caps.get(3)?.as_str().replace(',', "");
    let number: Decimal = digits.parse().ok()?;
    let scale: i64 = match caps.get(4).map(|m| m.as_str().to_lowercase()).as_deref() {
        Some("trillion") => 1_000_000_000_000,
        Some("billion") | Some("bn") => 1_000_000_000,
        Some("million") | Some("mn") | Some("m") => 1_000_000,
        Some("k") => 1_000,
        _ => 1,
    };
    let value = number.checked_mul(Decimal::from(scale))?;
    let qualifier = if caps.get(1).is_some() {
        Qualifier::Approx
    } else {
        Qualifier::Exact
    };
    let words = caps
        .get(0)?
        .as_str()
        .trim()
        .trim_start_matches('(')
        .trim()
        .to_string();
    let money = Money {
        text: words.clone(),
        start: 0,
        end: 0,
        currency: Some(currency.to_string()),
        value: Some(value),
        low: None,
        high: None,
        qualifier,
        per: None,
    };
    Some((currency.to_string(), money_interval(&money)?, words))
}

/// A short word for a qualifier, as used in explanations.
pub fn qualifier_word(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "exact",
        Qualifier::Approx => "approximate",
        Qualifier::AtLeast => "a lower bound",
        Qualifier::AtMost => "an upper bound",
        Qualifier::Range => "a range",
    }
}

/// The sign or code written before an amount of `currency`.
pub fn currency_prefix(currency: Option<&str>) -> String {
    match currency {
        Some("USD") => "$".to_string(),
        Some("EUR") => "€".to_string(),
        Some("GBP") => "£".to_string(),
        Some("JPY") => "¥".to_string(),
        Some(code) => format!("{code} "),
        None => String::new(),
    }
}

/// A readable amount: `$10 million`, `€1.2 billion`, `£450,000` style (three significant
/// decimals at most).
pub fn format_amount(value: f64, currency: Option<&str>) -> String {
    let prefix = currency_prefix(currency);
    let sign = if value < 0.0 { "-" } else { "" };
    let v = value.abs();
    if !v.is_finite() {
        return format!("{sign}{prefix}∞");
    }
    let (scaled, word) = if v >= 1e12 {
        (v / 1e12, " trillion")
    } else if v >= 1e9 {
        (v / 1e9, " billion")
    } else if v >= 1e6 {
        (v / 1e6, " million")
    } else {
        (v, "")
    };
    let mut number = if word.is_empty() && v >= 1000.0 {
        group_thousands(v.round() as u64)
    } else {
        // four significant figures at most
        let int_digits = (scaled.max(1.0).log10().floor() as usize) + 1;
        let decimals = 4usize.saturating_sub(int_digits).min(3);
        let s = format!("{scaled:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if number.is_empty() {
        number = "0".to_string();
    }
    format!("{sign}{prefix}{number}{word}")
}

fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A readable interval: `[$505 million, $515 million]`, `≥ $70 million`, `≤ $70 million`.
pub fn format_interval(iv: &Interval, currency: Option<&str>) -> String {
    match (iv.low.is_finite(), iv.high.is_finite()) {
        (true, true) => format!(
            "[{}, {}]",
            format_amount(iv.low, currency),
            format_amount(iv.high, currency)
        ),
        (true, false) => format!("≥ {}", format_amount(iv.low, currency)),
        (false, true) => format!("≤ {}", format_amount(iv.high, currency)),
        (false, false) => "any amount".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    fn money(text: &str, value: &str, q: Qualifier) -> Money {
        Money {
            text: text.to_string(),
            start: 0,
            end: text.chars().count(),
            currency: Some("USD".to_string()),
            value: Some(d(value)),
            low: if q == Qualifier::AtLeast {
                Some(d(value))
            } else {
                None
            },
            high: if q == Qualifier::AtMost {
                Some(d(value))
            } else {
                None
            },
            qualifier: q,
            per: None,
        }
    }

    #[test]
    fn half_unit_counts_two_significant_figures_at_least() {
        assert_eq!(half_unit(d("1000000000")), 50_000_000.0);
        assert_eq!(half_unit(d("510000000")), 5_000_000.0);
        assert_eq!(half_unit(d("1020000000")), 5_000_000.0);
        assert_eq!(half_unit(d("1024000000")), 500_000.0);
        assert!((half_unit(d("12.5")) - 0.05).abs() < 1e-12);
        assert!((half_unit(d("5")) - 0.05).abs() < 1e-12);
    }

    #[test]
    fn round_billion_covers_one_point_zero_two() {
        let a = money_interval(&money("$1 billion", "1000000000", Qualifier::Exact));
        let b = money_interval(&money("$1.02 billion", "1020000000", Qualifier::Exact));
        let (Some(a), Some(b)) = (a, b) else {
            panic!("intervals expected")
        };
        assert!(a.overlaps(&b));
    }

    #[test]
    fn precise_figure_does_not_cover_a_different_one() {
        let a = money_interval(&money("$1.024 billion", "1024000000", Qualifier::Exact));
        let b = money_interval(&money("$1.1 billion", "1100000000", Qualifier::Exact));
        let (Some(a), Some(b)) = (a, b) else {
            panic!("intervals expected")
        };
        assert!(!a.overlaps(&b));
    }

    #[test]
    fn touching_ends_disagree() {
        let a = money_interval(&money("$510 million", "510000000", Qualifier::Exact));
        let b = money_interval(&money("$500 million", "500000000", Qualifier::Exact));
        let (Some(a), Some(b)) = (a, b) else {
            panic!("intervals expected")
        };
        assert!(!a.overlaps(&b));
    }

    #[test]
    fn nearly_is_just_below() {
        let iv = money_interval(&money("nearly $70 million", "70000000", Qualifier::AtMost));
        let Some(iv) = iv else {
            panic!("interval expected")
        };
        assert_eq!(iv.high, 70_000_000.0);
        assert_eq!(iv.low, 63_000_000.0);
        let up_to = money_interval(&money("up to $70 million", "70000000", Qualifier::AtMost));
        assert_eq!(up_to.map(|i| i.low), Some(0.0));
    }

    #[test]
    fn conversions_in_parentheses_are_read() {
        let s = "The agency awarded a €920 million ($1 billion) contract.";
        let Some((cur, iv, words)) = stated_conversion(s, "€920 million") else {
            panic!("conversion expected")
        };
        assert_eq!(cur, "USD");
        assert_eq!(words, "$1 billion");
        assert_eq!(iv.point, 1e9);
        assert!(stated_conversion("a £48 million fine", "£48 million").is_none());
        let approx = stated_conversion("fined £42.5 million (about $54m).", "£42.5 million");
        assert_eq!(approx.map(|c| c.1.point), Some(54e6));
    }

    #[test]
    fn amounts_format_readably() {
        assert_eq!(format_amount(10_000_000.0, Some("USD")), "$10 million");
        assert_eq!(format_amount(1_020_000_000.0, Some("EUR")), "€1.02 billion");
        assert_eq!(format_amount(450_000.0, Some("GBP")), "£450,000");
        assert_eq!(format_amount(12.5, Some("CHF")), "CHF 12.5");
    }
}
