//! The commands behind the `concord` binary. Each takes its parsed options and the global
//! ones, does its job through the library stages, and returns the process exit code.

pub mod check;
pub mod demo;
pub mod extract;
pub mod ingest;
pub mod pipeline;
pub mod rules;
pub mod search;
pub mod show;

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;

use crate::check::PartyRelations;
use crate::extract::parties::PartyExtractor;
use crate::extract::Extractor;
use crate::rules::RuleSet;
use crate::store::PartyNames;

/// Options every command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct Global {
    /// Index folder (default: `index/` in the current folder).
    #[arg(long, global = true, env = "CONCORD_INDEX", default_value = "index")]
    pub index: PathBuf,
    /// Folder of rule files that override the built-in ones (same layout as `rules/`).
    #[arg(long, global = true, env = "CONCORD_RULES")]
    pub rules: Option<PathBuf>,
}

impl Global {
    /// Loads the rules in force.
    pub fn rule_set(&self) -> anyhow::Result<RuleSet> {
        RuleSet::load(self.rules.as_deref()).context("loading rules")
    }

    /// Builds the extractor from the rules in force.
    pub fn extractor(&self) -> anyhow::Result<Extractor> {
        let rules = self.rule_set()?;
        Extractor::new(&rules).context("building the extractors from the rules")
    }

    /// Every name of a party (canonical name and aliases), from the alias table in force.
    pub fn party_names(&self) -> anyhow::Result<PartyNames> {
        Ok(party_names_of(Arc::new(self.party_table()?)))
    }

    /// The party alias table in force.
    pub fn party_table(&self) -> anyhow::Result<PartyExtractor> {
        PartyExtractor::new(&self.rule_set()?).context("loading the party alias table")
    }

    /// How parties relate (aliases, units and parents), from the alias table in force.
    pub fn party_relations(&self) -> anyhow::Result<Box<dyn PartyRelations>> {
        Ok(Box::new(AliasRelations(self.party_table()?)))
    }
}

/// Every name of a party (canonical name and aliases), from the given alias table (shared
/// with an extractor, so that it is built once).
pub fn party_names_of(parties: Arc<PartyExtractor>) -> PartyNames {
    Arc::new(move |name: &str| {
        let canonical = parties.canonical(name).unwrap_or(name);
        parties.aliases_of(canonical)
    })
}

/// Party relations from the alias table: aliases, units and parents resolve.
struct AliasRelations(PartyExtractor);

impl PartyRelations for AliasRelations {
    fn related(&self, a: &str, b: &str) -> bool {
        let a = self.0.canonical(a).unwrap_or(a);
        let b = self.0.canonical(b).unwrap_or(b);
        a.eq_ignore_ascii_case(b) || self.0.related(a, b)
    }

    fn parent_of(&self, name: &str) -> Option<String> {
        let name = self.0.canonical(name).unwrap_or(name);
        self.0.parent_of(name).map(str::to_string)
    }
}
