//! `concord search`: claims (or articles) matching free text and filters.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

use super::Global;
use crate::model::ClaimKind;
use crate::search::query::{parse_amount, parse_date_bound};
use crate::search::{search, Hit, HitItem, SearchRequest, SearchResults, SortOrder};
use crate::store::Store;

/// Options of `concord search`.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchArgs {
    /// Free text, with optional filter tokens: `party:AWS kind:debt value:>50M
    /// source:"The Ledger Post" currency:EUR since:2023-01-01 until:2023-12-31 usd:>1bn`.
    #[arg(default_value = "")]
    pub query: String,
    /// Only claims naming this party (aliases resolve: AWS = Amazon Web Services). Repeatable.
    #[arg(long)]
    pub party: Vec<String>,
    /// Only claims of this kind (contract_value, debt, payment, revenue, loss, fine,
    /// investment, valuation, price, cost, other). Repeatable.
    #[arg(long)]
    pub kind: Vec<String>,
    /// Only this source (outlet). Repeatable.
    #[arg(long)]
    pub source: Vec<String>,
    /// Only this currency (ISO code). Repeatable.
    #[arg(long)]
    pub currency: Vec<String>,
    /// Least amount, with an optional scale suffix: 50M, 1.2bn, 3k.
    #[arg(long)]
    pub min: Option<String>,
    /// Greatest amount, with an optional scale suffix.
    #[arg(long)]
    pub max: Option<String>,
    /// Compare --min/--max in US dollars (approximate yearly average rates).
    #[arg(long)]
    pub usd: bool,
    /// Published on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Published on or before (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Search articles instead of claims.
    #[arg(long)]
    pub articles: bool,
    /// Number of hits.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Order: relevance, value or date.
    #[arg(long, default_value = "relevance", value_parser = ["relevance", "value", "date"])]
    pub sort: String,
    /// Add counts by kind, party, source and currency over all matches.
    #[arg(long)]
    pub facets: bool,
    /// One JSON line per hit (and one `{"facets": ...}` line with --facets).
    #[arg(long)]
    pub json: bool,
}

impl SearchArgs {
    /// The library request these options describe.
    pub fn request(&self) -> anyhow::Result<SearchRequest> {
        let mut kinds = Vec::new();
        for kind in &self.kind {
            kinds.push(ClaimKind::parse(kind).with_context(|| {
                let names: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("--kind {kind}: unknown kind (one of {})", names.join(", "))
            })?);
        }
        let amount = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<f64>> {
            text.as_deref()
                .map(|t| parse_amount(t).map_err(|e| anyhow::anyhow!("{flag} {t}: {e}")))
                .transpose()
        };
        let date = |flag: &str, text: &Option<String>, end: bool| {
            text.as_deref()
                .map(|t| parse_date_bound(t, end).map_err(|e| anyhow::anyhow!("{flag} {t}: {e}")))
                .transpose()
        };
        Ok(SearchRequest {
            query: self.query.clone(),
            parties: self.party.clone(),
            kinds,
            sources: self.source.clone(),
            currencies: self
                .currency
                .iter()
                .map(|c| c.to_ascii_uppercase())
                .collect(),
            min_value: amount("--min", &self.min)?,
            max_value: amount("--max", &self.max)?,
            usd: self.usd,
            since: date("--since", &self.since, false)?,
            until: date("--until", &self.until, true)?,
            articles: self.articles,
            limit: self.limit,
            sort: match self.sort.as_str() {
                "value" => SortOrder::Value,
                "date" => SortOrder::Date,
                _ => SortOrder::Relevance,
            },
            facets: self.facets,
        })
    }
}

/// Runs the search and prints a table (terminal) or JSON lines.
pub fn run(args: &SearchArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let request = args.request()?;
    let store = Store::open(&global.index)?;
    let reader = store.reader()?;
    let party_names = global.party_names()?;
    let results = search(&reader, &request, &*party_names)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        write_json(&mut out, &results)?;
    } else {
        let colour = std::io::stdout().is_terminal();
        write_table(&mut out, &results, colour, &global.index)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn hit_json(hit: &Hit) -> Value {
    let mut value = match &hit.item {
        HitItem::Claim(claim) => serde_json::to_value(claim),
        HitItem::Article(article) => serde_json::to_value(article),
    }
    .unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("score".into(), serde_json::json!(hit.score));
        map.insert("snippet".into(), Value::String(hit.snippet.text.clone()));
        let ranges: Vec<[usize; 2]> = hit
            .snippet
            .ranges
            .iter()
            .map(|r| [r.start, r.end])
            .collect();
        map.insert("highlights".into(), serde_json::json!(ranges));
    }
    value
}

fn write_json(out: &mut dyn Write, results: &SearchResults) -> anyhow::Result<()> {
    for hit in &results.hits {
        writeln!(out, "{}", hit_json(hit))?;
    }
    if let Some(facets) = &results.facets {
        writeln!(
            out,
            "{}",
            serde_json::json!({"total": results.total, "facets": facets})
        )?;
    }
    Ok(())
}

/// The snippet with highlighted ranges in bold yellow (colour) or between `[` `]`.
fn highlight(snippet: &crate::search::Highlighted, colour: bool, width: usize) -> String {
    let text = &snippet.text;
    let mut out = String::new();
    let mut last = 0;
    for range in &snippet.ranges {
        if range.start < last
            || range.end > text.len()
            || !text.is_char_boundary(range.start)
            || !text.is_char_boundary(range.end)
        {
            continue;
        }
        out.push_str(&text[last..range.start]);
        let word = &text[range.start..range.end];
        if colour {
            out.push_str(&format!("\x1b[1;33m{word}\x1b[0m"));
        } else {
            out.push_str(&format!("[{word}]"));
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    let flat: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > width && !colour {
        let cut: String = flat.chars().take(width).collect();
        format!("{cut}…")
    } else {
        flat
    }
}

fn write_table(
    out: &mut dyn Write,
    results: &SearchResults,
    colour: bool,
    index: &std::path::Path,
) -> anyhow::Result<()> {
    if results.hits.is_empty() {
        writeln!(out, "no matches (index: {})", index.display())?;
    }
    for hit in &results.hits {
        match &hit.item {
            HitItem::Claim(claim) => {
                let parties: Vec<&str> = claim
                    .claim
                    .parties
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect();
                let mut flags = Vec::new();
                for (on, name) in [
                    (claim.claim.hedged, "hedged"),
                    (claim.claim.negated, "negated"),
                    (claim.claim.disputed, "disputed"),
                ] {
                    if on {
                        flags.push(name);
                    }
                }
                writeln!(
                    out,
                    "{:<24} {:<15} {:<36} {:<24} {:<10} {}",
                    truncate(&claim.claim.amount.text, 24),
                    claim.claim.kind.as_str(),
                    truncate(&parties.join(", "), 36),
                    truncate(claim.source.as_deref().unwrap_or("-"), 24),
                    claim
                        .published
                        .as_deref()
                        .map(|d| d.chars().take(10).collect::<String>())
                        .unwrap_or_else(|| "-".into()),
                    claim.claim.id
                )?;
                let flags = if flags.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", flags.join(", "))
                };
                writeln!(out, "    {}{flags}", highlight(&hit.snippet, colour, 140))?;
            }
            HitItem::Article(article) => {
                writeln!(
                    out,
                    "{:<20} {:<24} {:<10} {}",
                    article.id,
                    truncate(article.source.as_deref().unwrap_or("-"), 24),
                    article
                        .published
                        .as_deref()
                        .map(|d| d.chars().take(10).collect::<String>())
                        .unwrap_or_else(|| "-".into()),
                    article.title.as_deref().unwrap_or("(untitled)")
                )?;
                writeln!(out, "    {}", highlight(&hit.snippet, colour, 140))?;
            }
        }
    }
    let shown = results.hits.len();
    writeln!(out, "{shown} of {} matches", results.total)?;
    if let Some(facets) = &results.facets {
        for (name, counts) in [
            ("kind", &facets.kinds),
            ("party", &facets.parties),
            ("source", &facets.sources),
            ("currency", &facets.currencies),
        ] {
            let items: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(out, "{name:<9} {}", items.join(" · "))?;
        }
    }
    Ok(())
}

/// At most `width` characters of `text`, with an ellipsis when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}
