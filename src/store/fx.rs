//! Approximate conversion of amounts to US dollars, from the yearly average rates in
//! `rules/fx/rates.tsv` (currency, year, units per US dollar).

use std::collections::HashMap;

use crate::rules::{RuleSet, RulesError};

/// The rule file this module reads.
pub const RATES_FILE: &str = "fx/rates.tsv";

/// Yearly average exchange rates against the US dollar.
#[derive(Debug, Clone, Default)]
pub struct FxTable {
    /// Per currency code: (year, units per USD), sorted by year.
    rates: HashMap<String, Vec<(i32, f64)>>,
}

impl FxTable {
    /// Reads the table from the rule set (embedded or overridden).
    pub fn from_rules(rules: &RuleSet) -> Result<FxTable, RulesError> {
        let file = rules.file(RATES_FILE);
        let mut rates: HashMap<String, Vec<(i32, f64)>> = HashMap::new();
        for (line, fields) in file.rows() {
            let [currency, year, rate] = fields[..] else {
                return Err(file.bad(line, "expected 3 fields: currency, year, units per USD"));
            };
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(file.bad(line, format!("bad currency code {currency:?}")));
            }
            let year: i32 = year
                .parse()
                .map_err(|_| file.bad(line, format!("bad year {year:?}")))?;
            let rate: f64 = rate
                .parse()
                .ok()
                .filter(|r: &f64| r.is_finite() && *r > 0.0)
                .ok_or_else(|| file.bad(line, format!("bad rate {rate:?}")))?;
            rates
                .entry(currency.to_string())
                .or_default()
                .push((year, rate));
        }
        for list in rates.values_mut() {
            list.sort_by_key(|(year, _)| *year);
            list.dedup_by_key(|(year, _)| *year);
        }
        Ok(FxTable { rates })
    }

    /// The table built into concord.
    pub fn embedded() -> Result<FxTable, RulesError> {
        FxTable::from_rules(&RuleSet::embedded())
    }

    /// Units of `currency` per US dollar in `year` (interpolated between listed years, the
    /// nearest listed year outside them; the latest year when `year` is unknown).
    pub fn units_per_usd(&self, currency: &str, year: Option<i32>) -> Option<f64> {
        if currency.eq_ignore_ascii_case("USD") {
            return Some(1.0);
        }
        let list = self.rates.get(&currency.to_ascii_uppercase())?;
        let (first, last) = (list.first()?, list.last()?);
        let year = match year {
            Some(year) => year,
            None => return Some(last.1),
        };
        if year <= first.0 {
            return Some(first.1);
        }
        if year >= last.0 {
            return Some(last.1);
        }
        let after = list.iter().position(|(y, _)| *y >= year)?;
        let (y1, r1) = list[after];
        if y1 == year || after == 0 {
            return Some(r1);
        }
        let (y0, r0) = list[after - 1];
        let t = f64::from(year - y0) / f64::from(y1 - y0);
        Some(r0 + (r1 - r0) * t)
    }

    /// `amount` of `currency` in US dollars at the `year`'s average rate, when the table knows it.
    pub fn to_usd(&self, currency: &str, year: Option<i32>, amount: f64) -> Option<f64> {
        self.units_per_usd(currency, year)
            .map(|rate| amount / rate)
            .filter(|usd| usd.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses_and_converts() {
        let fx = FxTable::embedded().unwrap();
        assert_eq!(fx.to_usd("USD", Some(1987), 5.0), Some(5.0));
        let gbp = fx.units_per_usd("GBP", Some(2005)).unwrap();
        assert!((gbp - 0.55).abs() < 1e-9);
        // Interpolated between 2010 (0.65) and 2015 (0.65 / 0.74 in 2016).
        let eur_2012 = fx.units_per_usd("EUR", Some(2012)).unwrap();
        assert!(eur_2012 > 0.75 && eur_2012 < 0.90, "{eur_2012}");
        // Before the first listed year: the first rate.
        assert_eq!(fx.units_per_usd("EUR", Some(1987)), Some(0.94));
        assert!(fx.to_usd("XYZ", Some(2000), 1.0).is_none());
        assert!(fx.to_usd("eur", None, 1.0).is_some());
    }

    #[test]
    fn bad_rows_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("fx")).unwrap();
        std::fs::write(dir.path().join(RATES_FILE), "EUR\t2020\tzero\n").unwrap();
        let rules = RuleSet::load(Some(dir.path())).unwrap();
        let err = FxTable::from_rules(&rules).unwrap_err().to_string();
        assert!(err.contains("fx/rates.tsv:1"), "{err}");
    }
}
