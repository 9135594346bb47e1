//! The `concord` command line: parses arguments and calls the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use concord::commands::{self, Global};

/// mimalloc instead of the system allocator: the pipeline allocates on one thread and frees
/// on another all the time, which the system allocator serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's `mi_option_set_default`: sets an option unless the environment
    /// (`MIMALLOC_<NAME>`) already set it.
    fn mi_option_set_default(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_t` (mimalloc.h).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// Tells mimalloc to keep freed memory for reuse instead of handing it back to the system
/// 10 ms later: an ingest frees and reallocates its batches all the time, and memory
/// handed back comes back as fresh pages the kernel must clear (measured: a tenth of the
/// ingest's CPU time). `MIMALLOC_PURGE_DELAY` in the environment still decides.
fn keep_freed_memory() {
    // SAFETY: sets an integer option of the linked mimalloc; any value is valid and the
    // call is thread-safe.
    unsafe { mi_option_set_default(MI_OPTION_PURGE_DELAY, -1) };
}

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
    /// Search claims (or articles) by text and filters.
    Search(commands::search::SearchArgs),
    /// Print an article or a claim with its evidence in context.
    Show(commands::show::ShowArgs),
    /// Print counts by kind, source and party, the index size and its schema version.
    Stats(commands::show::StatsArgs),
    /// Rebuild the index from its stored raw inputs (after an upgrade or a rules change).
    Reindex(commands::show::ReindexArgs),
    /// Cross-source findings: contradictions, corroborations, updates and disputes.
    Check(commands::check::CheckArgs),
    /// Ingest the bundled corpus into the index and report on it.
    Demo(commands::demo::DemoArgs),
    /// List the rule files in force and where each comes from.
    Rules(commands::rules::RulesArgs),
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    keep_freed_memory();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(args) => commands::ingest::run(args, &cli.global),
        Command::Extract(args) => commands::extract::run(args, &cli.global),
        Command::Search(args) => commands::search::run(args, &cli.global),
        Command::Show(args) => commands::show::show(args, &cli.global),
        Command::Stats(args) => commands::show::stats(args, &cli.global),
        Command::Reindex(args) => commands::show::reindex_command(args, &cli.global),
        Command::Check(args) => commands::check::run(args, &cli.global),
        Command::Demo(args) => commands::demo::run(args, &cli.global),
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

/// Lets a closed pipe (`concord stats | head`) end the process quietly, as other Unix tools do,
/// instead of failing on the next write.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
