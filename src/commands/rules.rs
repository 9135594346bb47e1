//! `concord rules`: list the rule files in force and where each comes from.

use std::process::ExitCode;

use super::Global;
use crate::rules::Origin;

/// Options of `concord rules`.
#[derive(Debug, Clone, clap::Args)]
pub struct RulesArgs {
    /// One JSON line per file.
    #[arg(long)]
    pub json: bool,
}

/// Prints the loaded rule files with their origin and number of entries.
pub fn run(args: &RulesArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let rules = global.rule_set()?;
    for file in rules.files() {
        let origin = match &file.origin {
            Origin::Embedded => "built-in".to_string(),
            Origin::File(path) => path.display().to_string(),
        };
        let entries = file.rows().count();
        if args.json {
            let line = serde_json::json!({"file": file.name, "origin": origin, "entries": entries});
            println!("{line}");
        } else {
            println!("{:<36} {:>6} entries  {}", file.name, entries, origin);
        }
    }
    Ok(ExitCode::SUCCESS)
}
