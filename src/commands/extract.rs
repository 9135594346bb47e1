//! `concord extract`: read inputs and print articles with their extracted facts; no index.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use serde::Serialize;

use super::pipeline::{self, InputArgs, Processed};
use super::Global;
use crate::acquire::Loaded;
use crate::model::{Article, Extraction};

/// Options of `concord extract`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExtractArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// One JSON line per article (the article's fields plus money, parties, terms, dates, claims).
    #[arg(long)]
    pub json: bool,
}

/// One output line of `concord extract --json`.
#[derive(Serialize)]
pub struct ArticleLine<'a> {
    /// The article.
    #[serde(flatten)]
    pub article: &'a Article,
    /// What extraction found in it.
    #[serde(flatten)]
    pub extraction: &'a Extraction,
}

/// Prints each article with its extraction; failures go to standard error.
pub fn run(args: &ExtractArgs, global: &Global) -> anyhow::Result<ExitCode> {
    if args.input.inputs.is_empty() && args.input.urls.is_none() {
        anyhow::bail!(
            "nothing to extract: name files, folders, URLs or `-` (see `concord extract --help`)"
        );
    }
    let extractor = global.extractor()?;
    let stop = pipeline::interrupt_flag();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failed = 0usize;
    // Each article's output is written on the extraction threads; the sink only copies it out.
    let render = |loaded: &Loaded, extraction: &Extraction| -> Vec<u8> {
        let mut bytes = Vec::with_capacity(loaded.article.text.len() * 2 + 1024);
        let written = if args.json {
            let line = ArticleLine {
                article: &loaded.article,
                extraction,
            };
            serde_json::to_writer(&mut bytes, &line)
                .map_err(std::io::Error::other)
                .and_then(|()| bytes.write_all(b"\n"))
        } else {
            write_summary(&mut bytes, &loaded.article, extraction)
        };
        // Writing to memory fails only when serialisation does; such an article prints nothing.
        if written.is_err() {
            bytes.clear();
        }
        bytes
    };
    pipeline::run_prepared(
        &args.input,
        &extractor,
        &stop,
        &render,
        &mut |processed, rendered| {
            let written = match processed {
                Processed::Failed(err) => {
                    failed += 1;
                    eprintln!("concord: failed: {err}");
                    Ok(())
                }
                Processed::Article(..) => out.write_all(rendered.as_deref().unwrap_or_default()),
            };
            // A closed pipe (`concord extract ... | head`) ends the run quietly.
            if written.is_err() {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
    )?;
    let _ = out.flush();
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn write_summary(
    out: &mut dyn Write,
    article: &Article,
    extraction: &Extraction,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        article.id,
        article.title.as_deref().unwrap_or("(untitled)")
    )?;
    writeln!(
        out,
        "    {} | {} | {} | {} words",
        article.input,
        article.source.as_deref().unwrap_or("-"),
        article.published.as_deref().unwrap_or("-"),
        article.text.split_whitespace().count()
    )?;
    for claim in &extraction.claims {
        let parties: Vec<&str> = claim.parties.iter().map(|p| p.name.as_str()).collect();
        writeln!(
            out,
            "    {:<15} {:<28} {}",
            claim.kind.as_str(),
            claim.amount.text,
            parties.join(", ")
        )?;
    }
    if extraction.claims.is_empty() && !extraction.money.is_empty() {
        let amounts: Vec<&str> = extraction.money.iter().map(|m| m.text.as_str()).collect();
        writeln!(out, "    money: {}", amounts.join("; "))?;
    }
    Ok(())
}
