//! `concord show ID`, `concord stats` and `concord reindex`: look into and rebuild the index.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::Global;
use crate::store::{reindex, Store, StoredItem};

/// Options of `concord show`.
#[derive(Debug, Clone, clap::Args)]
pub struct ShowArgs {
    /// An article id or a claim id (`ARTICLE:OFFSET`).
    pub id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `concord stats`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `concord reindex`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReindexArgs {}

/// Prints an article or a claim with its evidence in context.
pub fn show(args: &ShowArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let store = Store::open(&global.index)?;
    let reader = store.reader()?;
    let Some(item) = reader.get(&args.id)? else {
        eprintln!(
            "concord: no article or claim with id {} in {} (find ids with `concord search`)",
            args.id,
            global.index.display()
        );
        return Ok(ExitCode::FAILURE);
    };
    let colour = std::io::stdout().is_terminal();
    match item {
        StoredItem::Article(stored) => {
            if args.json {
                println!("{}", serde_json::to_string(&stored)?);
                return Ok(ExitCode::SUCCESS);
            }
            let a = &stored.article;
            println!("{}", a.title.as_deref().unwrap_or("(untitled)"));
            println!("id        {}", a.id);
            println!("source    {}", a.source.as_deref().unwrap_or("-"));
            println!("published {}", a.published.as_deref().unwrap_or("-"));
            if a.modified.is_some() {
                println!("modified  {}", a.modified.as_deref().unwrap_or("-"));
            }
            println!("url       {}", a.url.as_deref().unwrap_or("-"));
            println!("authors   {}", a.authors.join(", "));
            println!("input     {}", a.input);
            if let Some(first) = &stored.duplicate_of {
                println!("duplicate of {first}");
            }
            println!();
            println!("{}", a.text);
            println!();
            println!("{} claims", stored.extraction.claims.len());
            for claim in &stored.extraction.claims {
                let parties: Vec<&str> = claim.parties.iter().map(|p| p.name.as_str()).collect();
                println!(
                    "  {:<28} {:<15} {:<30} {}",
                    claim.amount.text,
                    claim.kind.as_str(),
                    parties.join(", "),
                    claim.id
                );
            }
        }
        StoredItem::Claim(sourced) => {
            if args.json {
                println!("{}", serde_json::to_string(&sourced)?);
                return Ok(ExitCode::SUCCESS);
            }
            let c = &sourced.claim;
            let sentence = &c.sentence.text;
            let start = c.amount.start.saturating_sub(c.sentence.start);
            let end = c.amount.end.saturating_sub(c.sentence.start);
            let before: String = sentence.chars().take(start).collect();
            let amount: String = sentence.chars().skip(start).take(end - start).collect();
            let after: String = sentence.chars().skip(end).collect();
            let marked = if colour {
                format!("\x1b[1;33m{amount}\x1b[0m")
            } else {
                format!("[{amount}]")
            };
            println!("{before}{marked}{after}");
            println!();
            println!("claim      {}", c.id);
            println!("kind       {}", c.kind.as_str());
            println!(
                "amount     {} (currency {}, value {}, low {}, high {}, {:?})",
                c.amount.text,
                c.amount.currency.as_deref().unwrap_or("?"),
                opt(&c.amount.value),
                opt(&c.amount.low),
                opt(&c.amount.high),
                c.amount.qualifier
            );
            for party in &c.parties {
                println!(
                    "party      {} {}",
                    party.name,
                    if party.roles.is_empty() {
                        String::new()
                    } else {
                        format!("({})", party.roles.join(", "))
                    }
                );
            }
            if let Some(months) = c.term_months {
                println!("term       {months} months");
            }
            if let Some(year) = c.start_year {
                println!("start      {year}");
            }
            if let Some(who) = &c.attribution {
                println!("according to {who}");
            }
            let flags: Vec<&str> = [
                (c.hedged, "hedged"),
                (c.negated, "negated"),
                (c.disputed, "disputed"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect();
            if !flags.is_empty() {
                println!("flags      {}", flags.join(", "));
            }
            println!(
                "article    {} — {}",
                sourced.article_id,
                sourced.title.as_deref().unwrap_or("(untitled)")
            );
            println!(
                "source     {} {}",
                sourced.source.as_deref().unwrap_or("-"),
                sourced.published.as_deref().unwrap_or("")
            );
            println!("url        {}", sourced.url.as_deref().unwrap_or("-"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn opt(value: &Option<rust_decimal::Decimal>) -> String {
    value.map_or_else(|| "open".to_string(), |v| v.normalize().to_string())
}

/// Prints counts by kind, source and party, the index size and its schema version.
pub fn stats(args: &StatsArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let store = Store::open(&global.index)?;
    let stats = store.reader()?.stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("index      {}", global.index.display());
    println!("schema     version {}", stats.schema_version);
    println!("size       {:.1} MB", stats.index_bytes as f64 / 1e6);
    println!(
        "articles   {} ({} duplicates)",
        stats.articles, stats.duplicates
    );
    println!("claims     {}", stats.claims);
    if stats.articles == 0 {
        println!("the index is empty: fill it with `concord ingest FILES...` (try `concord ingest corpus`)");
    }
    for (title, counts) in [
        ("articles by source", &stats.articles_by_source),
        ("claims by kind", &stats.claims_by_kind),
        ("claims by source", &stats.claims_by_source),
        ("claims by party", &stats.claims_by_party),
        ("claims by currency", &stats.claims_by_currency),
    ] {
        if counts.is_empty() {
            continue;
        }
        println!("\n{title}");
        let mut rows: Vec<(&String, &u64)> = counts.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (name, count) in rows.into_iter().take(15) {
            println!("  {count:>7}  {name}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Rebuilds the index from its stored raw inputs with the current rules and schema.
pub fn reindex_command(_args: &ReindexArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let extractor = global.extractor()?;
    let party_names = super::party_names_of(extractor.shared_parties());
    let report = reindex(
        &global.index,
        &|article| extractor.extract(article),
        party_names,
    )?;
    eprintln!(
        "reindexed {} articles ({} duplicates), {} claims (index: {})",
        report.articles,
        report.duplicates,
        report.claims,
        global.index.display()
    );
    Ok(ExitCode::SUCCESS)
}
