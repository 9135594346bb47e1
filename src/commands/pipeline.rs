//! The shared front half of `ingest` and `extract`: read every input, extract in parallel
//! batches, and hand each article with its extraction on, in input order.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::acquire::fetch::{is_url, read_url_list};
use crate::acquire::files::{expand_paths, read_file, read_stdin};
use crate::acquire::{InputError, Item, Loaded};
use crate::extract::Extractor;
use crate::model::Extraction;

/// Options naming what to read.
#[derive(Debug, Clone, clap::Args)]
pub struct InputArgs {
    /// Files, folders (read recursively), `-` for standard input, or http(s) URLs (pages or feeds).
    pub inputs: Vec<String>,
    /// A file of URLs to fetch, one a line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,
    /// Most requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Seconds to wait between two requests to the same host.
    #[arg(long, default_value_t = 1.0)]
    pub delay: f64,
    /// Seconds a whole request may take.
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Largest page body to accept, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_body: usize,
    /// Fetch pages that robots.txt disallows (not recommended).
    #[arg(long)]
    pub ignore_robots: bool,
}

/// An article with its extraction, or a failed input.
pub enum Processed {
    /// An article read and extracted.
    Article(Box<Loaded>, Extraction),
    /// An input that failed.
    Failed(InputError),
}

/// How many articles are extracted together (in parallel) before they are handed on.
const BATCH: usize = 256;

/// Set by Ctrl-C: stop reading, finish what is in hand.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    // A second handler cannot be installed (tests call this repeatedly); that is fine.
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// Batches extracted ahead of the one the sink is working on.
const BATCHES_AHEAD: usize = 2;

/// Reads every input, extracts, and calls `sink` for each result in input order.
/// Stops early when `sink` breaks or `stop` is set.
///
/// Reading and extraction run on their own thread, a batch or two ahead of the sink: while
/// the sink stores one batch, the next is being extracted.
pub fn run(
    args: &InputArgs,
    extractor: &Extractor,
    stop: &AtomicBool,
    sink: &mut dyn FnMut(Processed) -> ControlFlow<()>,
) -> anyhow::Result<()> {
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Processed>>(BATCHES_AHEAD);
    std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            produce(args, extractor, stop, &mut |batch| {
                // The sink has stopped taking batches when the receiver is gone.
                match sender.send(batch) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            })
        });
        'batches: for batch in receiver.iter() {
            for processed in batch {
                if sink(processed).is_break() {
                    break 'batches;
                }
            }
        }
        // Dropping the receiver tells the producer to stop (its next send fails).
        drop(receiver);
        producer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the reading thread failed unexpectedly")))
    })
}

/// Reads every input and hands each extracted batch to `hand_on`, in input order.
/// Stops early when `hand_on` breaks or `stop` is set.
fn produce(
    args: &InputArgs,
    extractor: &Extractor,
    stop: &AtomicBool,
    hand_on: &mut dyn FnMut(Vec<Processed>) -> ControlFlow<()>,
) -> anyhow::Result<()> {
    let mut urls = Vec::new();
    let mut paths = Vec::new();
    let mut stdin = false;
    for input in &args.inputs {
        if input == "-" {
            stdin = true;
        } else if is_url(input) {
            urls.push(input.clone());
        } else {
            paths.push(PathBuf::from(input));
        }
    }
    if let Some(list) = &args.urls {
        urls.extend(read_url_list(list)?);
    }
    let mut batch: Vec<Item> = Vec::with_capacity(BATCH);
    let mut flow = ControlFlow::Continue(());
    {
        let mut push = |item: Item| -> ControlFlow<()> {
            if stop.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            batch.push(item);
            if batch.len() >= BATCH {
                hand_on(extract_batch(&mut batch, extractor))?;
            }
            ControlFlow::Continue(())
        };
        for path in expand_paths(&paths) {
            flow = match path {
                Ok(path) => read_file(&path, &mut push),
                Err(err) => push(Item::Failed(err)),
            };
            if flow.is_break() {
                break;
            }
        }
        if stdin && flow.is_continue() {
            flow = read_stdin(&mut push);
        }
        if flow.is_continue() && !urls.is_empty() {
            flow = crate::acquire::fetch::fetch_urls_into(&urls, args, &mut push);
        }
    }
    if flow.is_continue() || !batch.is_empty() {
        let _ = hand_on(extract_batch(&mut batch, extractor));
    }
    Ok(())
}

/// Converts pending HTML pages and extracts a batch on every core; the results in input
/// order.
fn extract_batch(batch: &mut Vec<Item>, extractor: &Extractor) -> Vec<Processed> {
    let mut items = std::mem::take(batch);
    *batch = Vec::with_capacity(BATCH);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = items.len().div_ceil(threads).max(1);
    let extractions: Vec<Option<Extraction>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks_mut(chunk)
            .map(|part| {
                let len = part.len();
                let handle = scope.spawn(move || {
                    part.iter_mut()
                        .map(|item| {
                            item.convert();
                            match item {
                                Item::Article(loaded) => Some(extractor.extract(&loaded.article)),
                                Item::Html(_) | Item::Failed(_) => None,
                            }
                        })
                        .collect::<Vec<_>>()
                });
                (len, handle)
            })
            .collect();
        // A part whose thread failed counts as failed extractions, keeping the rest in line.
        handles
            .into_iter()
            .flat_map(|(len, h)| {
                h.join()
                    .unwrap_or_else(|_| (0..len).map(|_| None).collect())
            })
            .collect()
    });
    items
        .into_iter()
        .zip(extractions)
        .map(|(item, extraction)| match (item, extraction) {
            (Item::Article(loaded), Some(extraction)) => Processed::Article(loaded, extraction),
            (Item::Article(loaded), None) => Processed::Failed(InputError::new(
                loaded.article.input,
                "extraction failed unexpectedly (please report this input)",
            )),
            (Item::Html(page), _) => Processed::Failed(InputError::new(
                page.input,
                "the HTML page could not be converted (please report this input)",
            )),
            (Item::Failed(err), _) => Processed::Failed(err),
        })
        .collect()
}
