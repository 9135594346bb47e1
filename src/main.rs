//! The `concord` command line: parses arguments and calls the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use concord::commands::{self, Global};

/// concord: extract monetary claims from news articles, index them, search them, and flag
/// contradictions between sources.
#[derive(Debug, Parser)]
#[command(name = "concord", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read articles (files, folders, `-`, URLs, feeds), extract their claims, store them in the index.
    Ingest(commands::ingest::IngestArgs),
    /// Read articles and print them with their extracted facts, without touching any index.
    Extract(commands::extract::ExtractArgs),
    /// List the rule files in force and where each comes from.
    Rules(commands::rules::RulesArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(args) => commands::ingest::run(args, &cli.global),
        Command::Extract(args) => commands::extract::run(args, &cli.global),
        Command::Rules(args) => commands::rules::run(args, &cli.global),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("concord: {err:#}");
            ExitCode::from(2)
        }
    }
}
