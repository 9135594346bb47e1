//! `concord ingest`: read inputs, extract, and store articles and claims in the index.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::pipeline::{self, InputArgs, Processed};
use super::Global;
use crate::acquire::Loaded;
use crate::model::Extraction;
use crate::store::fx::FxTable;
use crate::store::{PutStatus, Store, StoreWriter, DEFAULT_COMMIT_EVERY, DEFAULT_COMMIT_INTERVAL};

/// Options of `concord ingest`.
#[derive(Debug, Clone, clap::Args)]
pub struct IngestArgs {
    /// What to read.
    #[command(flatten)]
    pub input: InputArgs,
    /// One JSON line per input item: `input`, `id`, `status` and, on failure, `error`.
    #[arg(long)]
    pub json: bool,
    /// Commit to the index after this many articles, or earlier by `--commit-secs`, and
    /// always at the end (0: not by count).
    #[arg(long, default_value_t = DEFAULT_COMMIT_EVERY)]
    pub commit_every: usize,
    /// Commit to the index when this many seconds have passed since the last commit and an
    /// article is stored (0: not by time).
    #[arg(long, default_value_t = DEFAULT_COMMIT_INTERVAL.as_secs_f64())]
    pub commit_secs: f64,
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
    writer.set_party_names(super::party_names_of(extractor.shared_parties()));
    writer.set_fx(FxTable::from_rules(&global.rule_set()?)?);
    writer.set_commit_every(args.commit_every);
    writer.set_commit_interval(commit_interval(args.commit_secs));
    // Documents are built on the extraction threads; the writer only decides and indexes.
    let builder = writer.doc_builder();
    let prepare = |loaded: &Loaded, extraction: &Extraction| {
        builder.prepare(&loaded.article, extraction, &loaded.raw)
    };
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
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut store_error: Option<anyhow::Error> = None;
    pipeline::run_prepared(
        &args.input,
        &extractor,
        &stop,
        &prepare,
        &mut |processed, prepared| match processed {
            Processed::Failed(err) => {
                summary.failed += 1;
                if !args.json {
                    progress.suspend(|| eprintln!("concord: failed: {err}"));
                }
                let line = StatusLine {
                    input: &err.input,
                    id: None,
                    status: "failed",
                    duplicate_of: None,
                    error: Some(&err.reason),
                };
                write_status(&mut out, args.json, &line)
            }
            Processed::Article(loaded, extraction) => {
                let put = writer.put_prepared(&loaded.article, &extraction, &loaded.raw, prepared);
                let status = match put {
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
                    PutStatus::Duplicate(first) => ("duplicate", Some(first.as_str())),
                };
                match status {
                    PutStatus::Ingested => summary.ingested += 1,
                    PutStatus::Unchanged => summary.unchanged += 1,
                    PutStatus::Replaced => summary.replaced += 1,
                    PutStatus::Duplicate(_) => summary.duplicates += 1,
                }
                progress.inc(1);
                let line = StatusLine {
                    input: &loaded.article.input,
                    id: Some(&loaded.article.id),
                    status: name,
                    duplicate_of,
                    error: None,
                };
                write_status(&mut out, args.json, &line)
            }
        },
    )?;
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

/// One `--json` line of `concord ingest`.
#[derive(serde::Serialize)]
struct StatusLine<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

/// Writes the line with `--json`; breaks when standard output is closed.
fn write_status(out: &mut dyn Write, json: bool, line: &StatusLine) -> ControlFlow<()> {
    if !json {
        return ControlFlow::Continue(());
    }
    let written = serde_json::to_writer(&mut *out, line)
        .map_err(std::io::Error::other)
        .and_then(|()| out.write_all(b"\n"));
    if written.is_err() {
        return ControlFlow::Break(());
    }
    ControlFlow::Continue(())
}

/// The commit interval for `--commit-secs` (none for 0, or for a value that is not a
/// positive number of seconds).
fn commit_interval(secs: f64) -> Option<Duration> {
    Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|interval| !interval.is_zero())
}

fn commit(writer: &mut StoreWriter) -> anyhow::Result<()> {
    writer.commit().context("committing the index")
}
