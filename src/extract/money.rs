//! Money mentions: amounts with currencies, scales, qualifiers, ranges and rates.

use crate::model::Money;
use crate::rules::{RuleSet, RulesError};

/// Finds money mentions, with the lexicons of `rules/money/`.
#[derive(Debug, Clone)]
pub struct MoneyExtractor {}

impl MoneyExtractor {
    /// Builds the extractor from the loaded rules.
    pub fn new(_rules: &RuleSet) -> Result<MoneyExtractor, RulesError> {
        Ok(MoneyExtractor {})
    }

    /// Every money mention in `text`, in order, with character offsets.
    pub fn find(&self, _text: &str) -> Vec<Money> {
        Vec::new()
    }
}
