//! `concord demo`: ingest the bundled corpus, show what the index holds, and report on it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use super::check::{self, CheckArgs};
use super::ingest::{self, IngestArgs};
use super::pipeline::InputArgs;
use super::Global;
use crate::store::Store;

/// Options of `concord demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// The corpus folder (default: `corpus/` here, else the one concord was built from).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Also write the cross-source report as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

fn corpus_dir(args: &DemoArgs) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &args.corpus {
        return Ok(dir.clone());
    }
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return Ok(here);
    }
    let built = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    if built.is_dir() {
        return Ok(built);
    }
    anyhow::bail!(
        "no corpus/ folder here; run the demo from the concord repository or pass --corpus DIR"
    )
}

/// Ingests the corpus, prints the articles and their claims, then the cross-source report.
pub fn run(args: &DemoArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let corpus = corpus_dir(args)?;
    let bold = |text: &str| {
        if std::io::stdout().is_terminal() {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    println!(
        "{}",
        bold(&format!(
            "1. Ingesting {} into {}",
            corpus.display(),
            global.index.display()
        ))
    );
    let ingest_args = IngestArgs {
        input: InputArgs {
            inputs: vec![corpus.display().to_string()],
            urls: None,
            concurrency: 8,
            delay: 1.0,
            timeout: 30.0,
            max_body: 10 * 1024 * 1024,
            ignore_robots: false,
        },
        json: false,
        commit_every: crate::store::DEFAULT_COMMIT_EVERY,
        commit_secs: crate::store::DEFAULT_COMMIT_INTERVAL.as_secs_f64(),
    };
    let (summary, _) = ingest::ingest(&ingest_args, global)?;
    println!("   {}", summary.line());

    let reader = Store::open(&global.index)?.reader()?;
    let stats = reader.stats()?;
    println!();
    println!(
        "{}",
        bold(&format!(
            "2. The index holds {} articles from {} sources and {} claims",
            stats.articles,
            stats.articles_by_source.len(),
            stats.claims
        ))
    );
    let mut kinds: Vec<(&String, &u64)> = stats.claims_by_kind.iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(a.1));
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("   by kind: {}", kinds.join(", "));
    let mut claims = reader.iter_claims().collect::<Result<Vec<_>, _>>()?;
    claims.sort_by(|a, b| {
        (a.published.as_deref(), &a.article_id, a.claim.amount.start).cmp(&(
            b.published.as_deref(),
            &b.article_id,
            b.claim.amount.start,
        ))
    });
    let mut last_article = String::new();
    for sourced in &claims {
        if sourced.article_id != last_article {
            last_article = sourced.article_id.clone();
            println!(
                "\n   {} | {} | {}",
                sourced.published.as_deref().unwrap_or("-"),
                sourced.source.as_deref().unwrap_or("-"),
                sourced.title.as_deref().unwrap_or("(untitled)")
            );
        }
        let c = &sourced.claim;
        let parties: Vec<&str> = c.parties.iter().map(|p| p.name.as_str()).collect();
        let mut extra = Vec::new();
        if let Some(months) = c.term_months {
            extra.push(format!("{months} months"));
        }
        if let Some(year) = c.start_year {
            extra.push(format!("from {year}"));
        }
        for (on, name) in [
            (c.hedged, "hedged"),
            (c.negated, "negated"),
            (c.disputed, "disputed"),
        ] {
            if on {
                extra.push(name.to_string());
            }
        }
        println!(
            "     {:<15} {:<26} {:<44} {}",
            c.kind.as_str(),
            super::search::truncate(&c.amount.text, 26),
            super::search::truncate(&parties.join(", "), 44),
            extra.join(", ")
        );
    }
    println!();
    println!("{}", bold("3. Cross-source check"));
    let check_args = CheckArgs {
        html: args.html.clone(),
        ..CheckArgs::default()
    };
    let findings = check::findings(&check_args, global)?;
    check::print_findings(&check_args, &findings)?;
    println!();
    println!(
        "Try: concord search 'party:AWS kind:debt'   concord check --json   concord show {}",
        claims.first().map_or("ID", |c| c.claim.id.as_str())
    );
    Ok(ExitCode::SUCCESS)
}
