//! Extract: money, parties, terms, dates and claims from article text, by rules.

pub mod claims;
pub mod dates;
pub mod money;
pub mod numbers;
pub mod parties;
pub mod sentences;
pub mod terms;

use crate::model::{Article, Extraction};
use crate::rules::{RuleSet, RulesError};

/// All extractors, built once from the rules and shared across articles and threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    money: money::MoneyExtractor,
}

impl Extractor {
    /// Builds every extractor from the loaded rules.
    pub fn new(rules: &RuleSet) -> Result<Extractor, RulesError> {
        Ok(Extractor {
            money: money::MoneyExtractor::new(rules)?,
        })
    }

    /// Extracts everything from one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        Extraction {
            money: self.money.find(&article.text),
            ..Extraction::default()
        }
    }
}
