//! `concord ingest`: read inputs, extract, and store articles and claims in the index.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::pipeline::{self, InputArgs, Processed};
use super::Global;
use crate::store::fx::FxTable;
use crate::store::{PutStatus, Store, StoreWriter};

/// Options of `concord ingest`.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// One JSON line per input item: `input`, `id`, `status` and, on failure, `error`.
    #[arg(long)]
    pub json: bool,
    /// Commit to the index after this many articles (and always at the end).
    #[arg(long, default_value_t = 5000)]
    pub commit_every: usize,
}

/// Counts of what an ingest did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    /// New articles.
    pub ingested: usize,
    /// Articles already stored with the same content.
    pub unchanged: usize,
    /// Articles whose stored version was replaced.
    pub replaced: usize,
    /// Exact duplicate texts under another id.
    pub duplicates: usize,
    /// Inputs that failed.
    pub failed: usize,
}

impl Summary {
    /// The summary as one line.
    pub fn line(&self) -> String {
        format!(
            "ingested {}, unchanged {}, replaced {}, duplicates {}, failed {}",
            self.ingested, self.unchanged, self.replaced, self.duplicates, self.failed
        )
    }
}

/// Ingests the inputs into the index and prints a line per item (`--json`) or a summary.
pub fn run(args: &IngestArgs, global: &Global) -> anyhow::Result<ExitCode> {
    let (summary, interrupted) = ingest(args, global)?;
    if !args.json {
        eprintln!("{} (index: {})", summary.line(), global.index.display());
    }
    if interrupted {
        eprintln!("concord: interrupted; everything ingested so far is committed");
        return Ok(ExitCode::from(130));
    }
    Ok(if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Does the ingest and returns its summary and whether it was interrupted.
pub fn ingest(args: &IngestArgs, global: &Global) -> anyhow::Result<(Summary, bool)> {
    if args.input.inputs.is_empty() && args.input.urls.is_none() {
        anyhow::bail!(
            "nothing to ingest: name files, folders, URLs or `-` (see `concord ingest --help`)"
        );
    }
    let extractor = global.extractor()?;
    let store = Store::open_or_create(&global.index)?;
    let mut writer = store.writer()?;
    writer.set_party_names(global.party_names()?);
    writer.set_fx(FxTable::from_rules(&global.rule_set()?)?);
    let stop = pipeline::interrupt_flag();
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {pos} articles ({per_sec}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    if args.json {
        progress.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut summary = Summary::default();
    let mut since_commit = 0usize;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut store_error: Option<anyhow::Error> = None;
    pipeline::run(&args.input, &extractor, &stop, &mut |processed| {
        let line = match processed {
            Processed::Failed(err) => {
                summary.failed += 1;
                if !args.json {
                    progress.suspend(|| eprintln!("concord: failed: {err}"));
                }
                serde_json::json!({"input": err.input, "status": "failed", "error": err.reason})
            }
            Processed::Article(loaded, extraction) => {
                let status = match writer.put(&loaded.article, &extraction, &loaded.raw) {
                    Ok(status) => status,
                    Err(err) => {
                        store_error = Some(err.into());
                        return ControlFlow::Break(());
                    }
                };
                let (name, duplicate_of) = match &status {
                    PutStatus::Ingested => ("ingested", None),
                    PutStatus::Unchanged => ("unchanged", None),
                    PutStatus::Replaced => ("replaced", None),
                    PutStatus::Duplicate(first) => ("duplicate", Some(first.clone())),
                };
                match status {
                    PutStatus::Ingested => summary.ingested += 1,
                    PutStatus::Unchanged => summary.unchanged += 1,
                    PutStatus::Replaced => summary.replaced += 1,
                    PutStatus::Duplicate(_) => summary.duplicates += 1,
                }
                progress.inc(1);
                since_commit += 1;
                if since_commit >= args.commit_every {
                    if let Err(err) = writer.commit() {
                        store_error = Some(err.into());
                        return ControlFlow::Break(());
                    }
                    since_commit = 0;
                }
                let mut line = serde_json::json!({
                    "input": loaded.article.input,
                    "id": loaded.article.id,
                    "status": name,
                });
                if let Some(first) = duplicate_of {
                    line["duplicate_of"] = serde_json::Value::String(first);
                }
                line
            }
        };
        if args.json && writeln!(out, "{line}").is_err() {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    // Commit what was stored, even after an error or an interruption.
    let committed = commit(&mut writer);
    progress.finish_and_clear();
    let _ = out.flush();
    if let Some(err) = store_error {
        committed?;
        return Err(err.context("storing articles"));
    }
    committed?;
    let interrupted = stop.load(Ordering::SeqCst);
    Ok((summary, interrupted))
}

fn commit(writer: &mut StoreWriter) -> anyhow::Result<()> {
    writer.commit().context("committing the index")
}
