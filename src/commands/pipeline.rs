//! The shared front half of `ingest` and `extract`: read every input, extract in parallel
//! batches, and hand each article with its extraction on, in input order.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::acquire::fetch::{is_url, read_url_list};
use crate::acquire::files::{expand_paths, read_file_unparsed, read_stdin_unparsed, Unparsed};
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

/// Batches read ahead of the one being extracted.
const BATCHES_READ_AHEAD: usize = 1;

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
    run_prepared(args, extractor, stop, &|_, _| (), &mut |processed, _| {
        sink(processed)
    })
}

/// Like [`run`], and calls `prepare` on every article and its extraction on the extraction
/// threads, handing its result to `sink` beside the article (`None` for a failed input):
/// work that does not depend on the order of articles belongs in `prepare`, off the sink.
///
/// Three stages run at once: a reading thread (files are read, JSON lines are only split),
/// an extraction stage that parses, converts, extracts and prepares each batch on every
/// core, and the sink on the calling thread, taking the results in input order.
pub fn run_prepared<P: Send>(
    args: &InputArgs,
    extractor: &Extractor,
    stop: &AtomicBool,
    prepare: &(dyn Fn(&Loaded, &Extraction) -> P + Sync),
    sink: &mut dyn FnMut(Processed, Option<P>) -> ControlFlow<()>,
) -> anyhow::Result<()> {
    let (read_sender, read_receiver) =
        std::sync::mpsc::sync_channel::<Vec<Unparsed>>(BATCHES_READ_AHEAD);
    let (sender, receiver) =
        std::sync::mpsc::sync_channel::<Vec<(Processed, Option<P>)>>(BATCHES_AHEAD);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            produce(args, stop, &mut |batch| {
                // Extraction has stopped taking batches when the receiver is gone.
                match read_sender.send(batch) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            })
        });
        let extraction = scope.spawn(move || {
            for batch in read_receiver.iter() {
                // The sink has stopped taking batches when its receiver is gone; dropping
                // `read_receiver` then tells the reader to stop (its next send fails).
                if sender
                    .send(extract_batch(batch, extractor, prepare))
                    .is_err()
                {
                    break;
                }
            }
        });
        'batches: for batch in receiver.iter() {
            for (processed, prepared) in batch {
                if sink(processed, prepared).is_break() {
                    break 'batches;
                }
            }
        }
        // Dropping the receiver tells the extraction stage, and through it the reader, to stop.
        drop(receiver);
        let extracted = extraction.join();
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the reading thread failed unexpectedly")));
        if extracted.is_err() {
            return Err(anyhow::anyhow!("the extraction thread failed unexpectedly"));
        }
        read
    })
}

/// Reads every input and hands each batch of read items to `hand_on`, in input order.
/// Stops early when `hand_on` breaks or `stop` is set.
fn produce(
    args: &InputArgs,
    stop: &AtomicBool,
    hand_on: &mut dyn FnMut(Vec<Unparsed>) -> ControlFlow<()>,
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
    let mut batch: Vec<Unparsed> = Vec::with_capacity(BATCH);
    let mut flow = ControlFlow::Continue(());
    {
        let mut push = |unparsed: Unparsed| -> ControlFlow<()> {
            if stop.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            batch.push(unparsed);
            if batch.len() >= BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                hand_on(full)?;
            }
            ControlFlow::Continue(())
        };
        for path in expand_paths(&paths) {
            flow = match path {
                Ok(path) => read_file_unparsed(&path, &mut push),
                Err(err) => push(Unparsed::Item(Item::Failed(err))),
            };
            if flow.is_break() {
                break;
            }
        }
        if stdin && flow.is_continue() {
            flow = read_stdin_unparsed(&mut push);
        }
        if flow.is_continue() && !urls.is_empty() {
            flow = crate::acquire::fetch::fetch_urls_into(&urls, args, &mut |item| {
                push(Unparsed::Item(item))
            });
        }
    }
    if flow.is_continue() || !batch.is_empty() {
        let _ = hand_on(batch);
    }
    Ok(())
}

/// What a worker made of a chunk: each item with what was prepared for it.
type Done<P> = Vec<(Processed, Option<P>)>;

/// Items of a batch a worker takes at a time.
const WORK_CHUNK: usize = 4;

/// Parses, converts and extracts a batch on every core, and prepares each article; the
/// results in input order. Workers take small chunks in turn, so a core that drew long
/// articles does not hold the others up.
fn extract_batch<P: Send>(
    batch: Vec<Unparsed>,
    extractor: &Extractor,
    prepare: &(dyn Fn(&Loaded, &Extraction) -> P + Sync),
) -> Vec<(Processed, Option<P>)> {
    let len = batch.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8)
        .min(len.div_ceil(WORK_CHUNK))
        .max(1);
    let mut chunks = Vec::with_capacity(len.div_ceil(WORK_CHUNK));
    let mut items = batch.into_iter();
    loop {
        let chunk: Vec<Unparsed> = items.by_ref().take(WORK_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let chunk_count = chunks.len();
    let queue = Mutex::new(chunks.into_iter().enumerate());
    let work = || {
        let mut done = Vec::new();
        loop {
            let next = queue.lock().ok().and_then(|mut queue| queue.next());
            let Some((index, chunk)) = next else {
                break;
            };
            let processed: Vec<_> = chunk
                .into_iter()
                .map(|unparsed| process(unparsed, extractor, prepare))
                .collect();
            done.push((index, processed));
        }
        done
    };
    let mut slots: Vec<Option<Done<P>>> = (0..chunk_count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mine = work();
        let theirs = helpers.into_iter().filter_map(|h| h.join().ok());
        for (index, processed) in theirs.flatten().chain(mine) {
            slots[index] = Some(processed);
        }
    });
    // A chunk whose worker failed counts as failed inputs, keeping the rest in line.
    slots
        .into_iter()
        .flat_map(|slot| {
            slot.unwrap_or_else(|| {
                vec![(
                    Processed::Failed(InputError::new(
                        "(unknown input)",
                        "extraction failed unexpectedly (please report this input)",
                    )),
                    None,
                )]
            })
        })
        .collect()
}

/// Parses, converts, extracts and prepares one read item. A panic on the way (a bug) makes
/// the item a failed input instead of ending the run.
fn process<P>(
    unparsed: Unparsed,
    extractor: &Extractor,
    prepare: &(dyn Fn(&Loaded, &Extraction) -> P + Sync),
) -> (Processed, Option<P>) {
    let input = unparsed.input().to_string();
    let is_page = matches!(unparsed, Unparsed::Item(Item::Html(_)));
    let processed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut item = unparsed.into_item();
        item.convert();
        match item {
            Item::Article(loaded) => {
                let extraction = extractor.extract(&loaded.article);
                let prepared = prepare(&loaded, &extraction);
                (Processed::Article(loaded, extraction), Some(prepared))
            }
            Item::Html(page) => (Processed::Failed(unconverted(page.input)), None),
            Item::Failed(err) => (Processed::Failed(err), None),
        }
    }));
    processed.unwrap_or_else(|_| {
        let err = if is_page {
            unconverted(input)
        } else {
            InputError::new(
                input,
                "extraction failed unexpectedly (please report this input)",
            )
        };
        (Processed::Failed(err), None)
    })
}

fn unconverted(input: String) -> InputError {
    InputError::new(
        input,
        "the HTML page could not be converted (please report this input)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn input_args(inputs: Vec<String>) -> InputArgs {
        InputArgs {
            inputs,
            urls: None,
            concurrency: 1,
            delay: 0.0,
            timeout: 1.0,
            max_body: 1 << 20,
            ignore_robots: false,
        }
    }

    #[test]
    fn results_come_in_input_order_with_what_was_prepared() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("news.jsonl");
        // More lines than a batch, a blank line and a broken one among them.
        let mut lines = Vec::new();
        for i in 0..(BATCH * 2 + 7) {
            match i {
                3 => lines.push(String::new()),
                300 => lines.push("{not json".to_string()),
                _ => lines.push(format!(
                    r#"{{"id":"a{i}","title":"T{i}","text":"Acme paid ${i} million to Beta Corp."}}"#
                )),
            }
        }
        std::fs::write(&path, lines.join("\n")).expect("write the input");
        let extractor = Extractor::new(&RuleSet::embedded()).expect("built-in rules");
        let stop = AtomicBool::new(false);
        let mut seen = Vec::new();
        let prepare = |loaded: &Loaded, extraction: &Extraction| {
            format!("{} {}", loaded.article.id, extraction.money.len())
        };
        run_prepared(
            &input_args(vec![path.display().to_string()]),
            &extractor,
            &stop,
            &prepare,
            &mut |processed, prepared| {
                match processed {
                    Processed::Article(loaded, extraction) => {
                        assert_eq!(
                            prepared,
                            Some(format!("{} {}", loaded.article.id, extraction.money.len()))
                        );
                        let number = loaded.article.input.rsplit(':').next();
                        let number: usize = number.and_then(|n| n.parse().ok()).unwrap_or(0);
                        assert_eq!(loaded.raw.body, lines[number - 1]);
                        seen.push(loaded.article.input);
                    }
                    Processed::Failed(err) => {
                        assert!(prepared.is_none());
                        assert!(err.reason.starts_with("invalid JSON"), "{err}");
                        seen.push(err.input);
                    }
                }
                ControlFlow::Continue(())
            },
        )
        .expect("the run");
        let expected: Vec<String> = (0..lines.len())
            .filter(|&i| i != 3)
            .map(|i| format!("{}:{}", path.display(), i + 1))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_sink_that_breaks_stops_the_run() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("news.jsonl");
        let lines: Vec<String> = (0..BATCH * 8)
            .map(|i| format!(r#"{{"id":"b{i}","text":"Quiet day number {i}."}}"#))
            .collect();
        std::fs::write(&path, lines.join("\n")).expect("write the input");
        let extractor = Extractor::new(&RuleSet::embedded()).expect("built-in rules");
        let stop = AtomicBool::new(false);
        let mut taken = 0;
        run(
            &input_args(vec![path.display().to_string()]),
            &extractor,
            &stop,
            &mut |_| {
                taken += 1;
                if taken == 10 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .expect("the run");
        assert_eq!(taken, 10);
    }
}
