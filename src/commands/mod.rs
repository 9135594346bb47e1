//! The commands behind the `concord` binary. Each takes its parsed options and the global
//! ones, does its job through the library stages, and returns the process exit code.

pub mod extract;
pub mod ingest;
pub mod pipeline;
pub mod rules;

use std::path::PathBuf;

use anyhow::Context;

use crate::extract::Extractor;
use crate::rules::RuleSet;

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
}
