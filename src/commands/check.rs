//! `concord check`: cross-source findings over the claims in the index.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::Global;
use crate::check::{check_with, CheckOptions, Syndication};
use crate::model::{ClaimKind, Finding};
use crate::report::{render_html, render_json_lines, render_text, TextStyle};
use crate::search::query::parse_date_bound;
use crate::store::fx::FxTable;
use crate::store::Store;

/// Options of `concord check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CheckArgs {
    /// Only facts involving this party (aliases and units resolve).
    #[arg(long)]
    pub party: Option<String>,
    /// Only facts of this kind (contract_value, debt, payment, ...).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only claims published on or after (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Only claims published on or before (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Ignore relative differences below this fraction (0.05 = 5%).
    #[arg(long, default_value_t = 0.0)]
    pub min_gap: f64,
    /// One JSON line per finding.
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML report to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

impl CheckArgs {
    fn options(&self) -> anyhow::Result<CheckOptions> {
        let kind = match &self.kind {
            Some(name) => Some(ClaimKind::parse(name).with_context(|| {
                let names: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("--kind {name}: unknown kind (one of {})", names.join(", "))
            })?),
            None => None,
        };
        let date = |flag: &str, text: &Option<String>, end: bool| {
            text.as_deref()
                .map(|t| parse_date_bound(t, end).map_err(|e| anyhow::anyhow!("{flag} {t}: {e}")))
                .transpose()
        };
        if !(0.0..1.0).contains(&self.min_gap) {
            anyhow::bail!(
                "--min-gap {}: give a fraction from 0 up to 1, such as 0.05",
                self.min_gap
            );
        }
        Ok(CheckOptions {
            party: self.party.clone(),
            kind,
            since: date("--since", &self.since, false)?,
            until: date("--until", &self.until, true)?,
            min_gap: self.min_gap,
            ..CheckOptions::default()
        })
    }
}

/// Reads every claim and article text from the index and computes the findings.
pub fn findings(args: &CheckArgs, global: &Global) -> anyhow::Result<Vec<Finding>> {
    let options = args.options()?;
    let store = Store::open(&global.index)?;
    let reader = store.reader()?;
    let claims = reader
        .iter_claims()
        .collect::<Result<Vec<_>, _>>()
        .context("reading claims from the index")?;
    let mut texts = Vec::new();
    for article in reader.iter_articles() {
        let article = article.context("reading articles from the index")?;
        texts.push((article.id, article.text));
    }
    // the index's own order depends on which indexing thread took a document
    texts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let syndication = Syndication::build(texts);
    let relations = global.party_relations()?;
    let fx = FxTable::from_rules(&global.rule_set()?)?;
    let rates = |currency: &str, year: i32| {
        fx.units_per_usd(currency, Some(year))
            .map(|units| 1.0 / units)
    };
    Ok(check_with(
        &claims,
        &syndication,
        &*relations,
        &rates,
        &options,
    ))
}

/// Prints the report (text or JSON lines) and writes the HTML page when asked.
pub fn run(args: &CheckArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let findings = findings(args, global)?;
    print_findings(args, &findings)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints findings as the options ask: JSON lines or text, plus the HTML file.
pub fn print_findings(args: &CheckArgs, findings: &[Finding]) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        out.write_all(render_json_lines(findings).as_bytes())?;
    } else {
        let style = TextStyle {
            color: std::io::stdout().is_terminal(),
            ..TextStyle::default()
        };
        out.write_all(render_text(findings, &style).as_bytes())?;
    }
    if let Some(path) = &args.html {
        std::fs::write(path, render_html(findings))
            .with_context(|| format!("cannot write the HTML report to {}", path.display()))?;
        if !args.json {
            writeln!(out, "HTML report written to {}", path.display())?;
        }
    }
    Ok(())
}
