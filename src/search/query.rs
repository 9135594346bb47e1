//! The filter tokens of a search query string (`party:AWS kind:debt value:>50M ...`) and the
//! amount and date syntax they use.

use chrono::{Datelike, NaiveDate};

use crate::model::ClaimKind;

/// A query string problem, with the character position it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryProblem {
    /// Character offset into the query string.
    pub position: usize,
    /// What is wrong.
    pub reason: String,
}

/// Filters given in a query string, and the free text left for the full-text parser.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryFilters {
    /// Text left over, for the full-text parser.
    pub text: String,
    /// `party:NAME` (repeatable; all must match).
    pub parties: Vec<String>,
    /// `kind:debt,fine`.
    pub kinds: Vec<ClaimKind>,
    /// `source:"The Ledger Post"` (any of).
    pub sources: Vec<String>,
    /// `currency:EUR` (any of).
    pub currencies: Vec<String>,
    /// Lower bound of `value:`/`usd:` (inclusive).
    pub min_value: Option<f64>,
    /// Upper bound of `value:`/`usd:` (inclusive).
    pub max_value: Option<f64>,
    /// True when the bounds came from `usd:` (compare in US dollars).
    pub usd: bool,
    /// `since:2023-01-01` (inclusive).
    pub since: Option<NaiveDate>,
    /// `until:2023-12-31` (inclusive).
    pub until: Option<NaiveDate>,
}

const FILTER_NAMES: &[&str] = &[
    "party",
    "kind",
    "source",
    "currency",
    "value",
    "usd",
    "value_usd",
    "since",
    "until",
];

/// Splits the filter tokens out of a query string. Tokens of other fields and free text are
/// kept, in order, in [`QueryFilters::text`].
pub fn parse_filters(query: &str) -> Result<QueryFilters, QueryProblem> {
    let chars: Vec<char> = query.chars().collect();
    let mut filters = QueryFilters::default();
    let mut rest = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            rest.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        // Read one token: up to whitespace, with quoted parts kept whole.
        let mut in_quote = false;
        let mut quote_start = 0;
        while i < chars.len() && (in_quote || !chars[i].is_whitespace()) {
            if chars[i] == '"' {
                in_quote = !in_quote;
                quote_start = i;
            }
            i += 1;
        }
        if in_quote {
            return Err(QueryProblem {
                position: quote_start,
                reason: "this quote is never closed".to_string(),
            });
        }
        let token: String = chars[start..i].iter().collect();
        let Some((name, value)) = token.split_once(':') else {
            rest.push_str(&token);
            continue;
        };
        let name_lower = name.to_ascii_lowercase();
        if !FILTER_NAMES.contains(&name_lower.as_str()) {
            rest.push_str(&token);
            continue;
        }
        let value_position = start + name.chars().count() + 1;
        let value = unquote(value);
        if value.trim().is_empty() {
            return Err(QueryProblem {
                position: value_position,
                reason: format!("`{name}:` needs a value"),
            });
        }
        apply_filter(&mut filters, &name_lower, value, value_position)?;
    }
    filters.text = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(filters)
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

fn apply_filter(
    filters: &mut QueryFilters,
    name: &str,
    value: &str,
    position: usize,
) -> Result<(), QueryProblem> {
    let problem = |reason: String| QueryProblem { position, reason };
    match name {
        "party" => filters.parties.push(value.trim().to_string()),
        "kind" => {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let kind = ClaimKind::parse(&part.to_ascii_lowercase()).ok_or_else(|| {
                    let known: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
                    problem(format!(
                        "unknown kind {part:?}; kinds are {}",
                        known.join(", ")
                    ))
                })?;
                filters.kinds.push(kind);
            }
        }
        "source" => filters.sources.push(value.trim().to_string()),
        "currency" => {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if part.len() != 3 || !part.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(problem(format!(
                        "currency {part:?} is not a 3-letter code such as USD or EUR"
                    )));
                }
                filters.currencies.push(part.to_ascii_uppercase());
            }
        }
        "value" | "usd" | "value_usd" => {
            let (min, max) = parse_value_range(value).map_err(problem)?;
            let has_bounds = filters.min_value.is_some() || filters.max_value.is_some();
            if has_bounds && filters.usd != (name != "value") {
                return Err(problem(
                    "give the value range either in the claim's currency (value:) or in US dollars (usd:), not both"
                        .to_string(),
                ));
            }
            filters.usd = name != "value";
            if min.is_some() {
                filters.min_value = min;
            }
            if max.is_some() {
                filters.max_value = max;
            }
        }
        "since" => filters.since = Some(parse_date_bound(value, false).map_err(problem)?),
        "until" => filters.until = Some(parse_date_bound(value, true).map_err(problem)?),
        _ => {}
    }
    Ok(())
}

/// Parses `>50M`, `>=50M`, `<1bn`, `<=1bn`, `50M..100M`, `50M-100M` or `50M` (exactly)
/// into inclusive bounds.
pub fn parse_value_range(text: &str) -> Result<(Option<f64>, Option<f64>), String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix(">=").or_else(|| text.strip_prefix('>')) {
        return Ok((Some(parse_amount(rest)?), None));
    }
    if let Some(rest) = text.strip_prefix("<=").or_else(|| text.strip_prefix('<')) {
        return Ok((None, Some(parse_amount(rest)?)));
    }
    if let Some((low, high)) = text.split_once("..").or_else(|| text.split_once('-')) {
        let low = if low.trim().is_empty() {
            None
        } else {
            Some(parse_amount(low)?)
        };
        let high = if high.trim().is_empty() {
            None
        } else {
            Some(parse_amount(high)?)
        };
        if let (Some(l), Some(h)) = (low, high) {
            if l > h {
                return Err(format!("the range {text:?} runs backwards"));
            }
        }
        return Ok((low, high));
    }
    let value = parse_amount(text)?;
    Ok((Some(value), Some(value)))
}

/// Parses an amount with an optional currency sign and scale suffix:
/// `50M`, `1.2bn`, `3k`, `$2.5 million` (without the space), `1,000,000`.
pub fn parse_amount(text: &str) -> Result<f64, String> {
    let original = text;
    let text = text
        .trim()
        .trim_start_matches(['$', '€', '£', '¥'])
        .replace([',', '_'], "");
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("{original:?} is not an amount such as 50M, 1.2bn or 3000"))?;
    let scale = match suffix.trim().to_ascii_lowercase().as_str() {
        "" => 1.0,
        "k" | "thousand" => 1e3,
        "m" | "mn" | "mln" | "mio" | "million" | "millions" => 1e6,
        "b" | "bn" | "bln" | "billion" | "billions" => 1e9,
        "t" | "tn" | "trillion" | "trillions" => 1e12,
        other => {
            return Err(format!(
                "unknown scale {other:?} in {original:?}; use k, M, bn or tn"
            ))
        }
    };
    let value = number * scale;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("{original:?} is too large"))
    }
}

/// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; an `until` bound of a month or year means its
/// last day.
pub fn parse_date_bound(text: &str, end: bool) -> Result<NaiveDate, String> {
    let text = text.trim();
    let bad = || format!("{text:?} is not a date such as 2023-01-31, 2023-01 or 2023");
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date);
    }
    let parts: Vec<&str> = text.split('-').collect();
    let year: i32 = parts
        .first()
        .filter(|y| y.len() == 4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(bad)?;
    match parts.len() {
        1 => {
            let date = if end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            };
            date.ok_or_else(bad)
        }
        2 => {
            let month: u32 = parts[1].parse().map_err(|_| bad())?;
            let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            if !end {
                return Ok(first);
            }
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)
            }
            .ok_or_else(bad)?;
            next.pred_opt()
                .filter(|d| d.month() == month)
                .ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_scales() {
        assert_eq!(parse_amount("50M").unwrap(), 50e6);
        assert_eq!(parse_amount("1.2bn").unwrap(), 1.2e9);
        assert_eq!(parse_amount("3k").unwrap(), 3e3);
        assert_eq!(parse_amount("$1,500").unwrap(), 1500.0);
        assert!(parse_amount("12x").unwrap_err().contains("unknown scale"));
        assert!(parse_amount("lots").is_err());
        assert!(parse_amount("").is_err());
    }

    #[test]
    fn value_ranges() {
        assert_eq!(parse_value_range(">50M").unwrap(), (Some(50e6), None));
        assert_eq!(parse_value_range("<=1bn").unwrap(), (None, Some(1e9)));
        assert_eq!(parse_value_range("5M..7M").unwrap(), (Some(5e6), Some(7e6)));
        assert_eq!(parse_value_range("5M-7M").unwrap(), (Some(5e6), Some(7e6)));
        assert_eq!(parse_value_range("2k").unwrap(), (Some(2e3), Some(2e3)));
        assert!(parse_value_range("7M..5M").is_err());
    }

    #[test]
    fn date_bounds() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(parse_date_bound("2023", false).unwrap(), d("2023-01-01"));
        assert_eq!(parse_date_bound("2023", true).unwrap(), d("2023-12-31"));
        assert_eq!(parse_date_bound("2024-02", true).unwrap(), d("2024-02-29"));
        assert_eq!(parse_date_bound("2024-12", true).unwrap(), d("2024-12-31"));
        assert!(parse_date_bound("2024-13", false).is_err());
        assert!(parse_date_bound("yesterday", false).is_err());
    }

    #[test]
    fn filters_are_split_from_text() {
        let f = parse_filters(
            r#"unpaid bill party:AWS kind:debt value:>50M source:"The Ledger Post" since:2023-01-01 currency:eur title:cloud"#,
        )
        .unwrap();
        assert_eq!(f.text, "unpaid bill title:cloud");
        assert_eq!(f.parties, vec!["AWS"]);
        assert_eq!(f.kinds, vec![ClaimKind::Debt]);
        assert_eq!(f.sources, vec!["The Ledger Post"]);
        assert_eq!(f.currencies, vec!["EUR"]);
        assert_eq!(f.min_value, Some(50e6));
        assert!(!f.usd);
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2023, 1, 1));
    }

    #[test]
    fn problems_point_at_the_token() {
        let p = parse_filters("bill kind:debtt").unwrap_err();
        assert_eq!(p.position, 10);
        assert!(p.reason.contains("unknown kind"));
        let p = parse_filters(r#"source:"The Ledger"#).unwrap_err();
        assert_eq!(p.position, 7);
        let p = parse_filters("value:>50Q").unwrap_err();
        assert!(p.reason.contains("unknown scale"), "{}", p.reason);
        assert!(parse_filters("party:").is_err());
        assert!(parse_filters("value:>1M usd:<2M").is_err());
    }

    #[test]
    fn quoted_phrases_stay_in_the_text() {
        let f = parse_filters(r#""kind:debt in quotes" party:"X Corp""#).unwrap();
        assert_eq!(f.text, r#""kind:debt in quotes""#);
        assert_eq!(f.parties, vec!["X Corp"]);
    }
}
