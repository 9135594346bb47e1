//! The shared front half of `ingest` and `extract`: read every input, extract in parallel
//! batches, and hand each article with its extraction on, in input order.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};

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

/// Set by Ctrl-C: stop reading, finish what is in hand.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let handler_flag = flag.clone();
    // A second handler cannot be installed (tests call this repeatedly); that is fine.
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::SeqCst));
    flag
}

/// Reads every input, extracts, and calls `sink` for each result in input order.
/// Stops early when `sink` breaks or `stop` is set.
///
/// Reading and extraction run on their own threads, ahead of the sink: while the sink
/// stores one article, the next ones are being extracted.
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
/// Three stages run at once: a reading thread (files are read, JSON lines are only split,
/// [`WORK_CHUNK`] items to a chunk), one worker per core that parses, converts, extracts
/// and prepares chunk after chunk (the workers live for the whole run, so their scratch
/// memory and caches stay warm), and the sink on the calling thread, taking the results
/// in input order. At most [`CHUNKS_IN_FLIGHT`] chunks are between reader and sink, which
/// bounds the memory however slow one article is.
pub fn run_prepared<P: Send>(
    args: &InputArgs,
    extractor: &Extractor,
    stop: &AtomicBool,
    prepare: &(dyn Fn(&Loaded, &Extraction) -> P + Sync),
    sink: &mut dyn FnMut(Processed, Option<P>) -> ControlFlow<()>,
) -> anyhow::Result<()> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let window = Window::new(CHUNKS_IN_FLIGHT);
    let (chunk_sender, chunk_receiver) = std::sync::mpsc::channel::<(usize, Vec<Unparsed>)>();
    let chunk_receiver = Mutex::new(chunk_receiver);
    let (done_sender, done_receiver) = std::sync::mpsc::channel::<(usize, Done<P>)>();
    std::thread::scope(|scope| {
        let (window, chunk_receiver) = (&window, &chunk_receiver);
        let reader = scope.spawn(move || {
            let mut sequence = 0;
            produce(args, stop, &mut |chunk| {
                // The sink has stopped (or the workers are gone) when these fail.
                if !window.acquire() || chunk_sender.send((sequence, chunk)).is_err() {
                    return ControlFlow::Break(());
                }
                sequence += 1;
                ControlFlow::Continue(())
            })
            // Dropping `chunk_sender` here tells the workers that nothing more comes.
        });
        for _ in 0..workers {
            let done_sender = done_sender.clone();
            scope.spawn(move || loop {
                let next = chunk_receiver
                    .lock()
                    .ok()
                    .and_then(|receiver| receiver.recv().ok());
                let Some((sequence, chunk)) = next else {
                    break;
                };
                let done: Done<P> = chunk
                    .into_iter()
                    .map(|unparsed| process(unparsed, extractor, prepare))
                    .collect();
                if done_sender.send((sequence, done)).is_err() {
                    break;
                }
            });
        }
        drop(done_sender);
        // However the sink ends (even by a panic), the reader must be told to stop, or the
        // scope would wait for it forever.
        let _close = CloseOnDrop(window);
        // Chunks finished out of turn wait here for the ones before them.
        let mut waiting: BTreeMap<usize, Done<P>> = BTreeMap::new();
        let mut next = 0;
        'results: for (sequence, done) in done_receiver.iter() {
            waiting.insert(sequence, done);
            while let Some(done) = waiting.remove(&next) {
                next += 1;
                window.release();
                for (processed, prepared) in done {
                    if sink(processed, prepared).is_break() {
                        break 'results;
                    }
                }
            }
        }
        // Tells the reader to stop, should it still be reading; the workers then stop too.
        window.close();
        drop(done_receiver);
        reader
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the reading thread failed unexpectedly")))
    })
}

/// Items a worker takes at a time: small, so that a worker that drew long articles does
/// not hold the others up, and large enough to keep the hand-overs cheap.
const WORK_CHUNK: usize = 4;

/// Chunks read and not yet handed to the sink, at most.
const CHUNKS_IN_FLIGHT: usize = 256;

/// Closes a [`Window`] when dropped.
struct CloseOnDrop<'a>(&'a Window);

impl Drop for CloseOnDrop<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// A counting semaphore the reader takes a place from for each chunk it sends and the sink
/// gives back for each chunk it takes; closing it turns the reader away.
struct Window {
    state: Mutex<(usize, bool)>,
    freed: Condvar,
}

impl Window {
    fn new(places: usize) -> Window {
        Window {
            state: Mutex::new((places, false)),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free place and takes it; false once the window is closed.
    fn acquire(&self) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        loop {
            let (free, closed) = *state;
            if closed {
                return false;
            }
            if free > 0 {
                state.0 -= 1;
                return true;
            }
            state = match self.freed.wait(state) {
                Ok(state) => state,
                Err(_) => return false,
            };
        }
    }

    /// Gives a place back.
    fn release(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 += 1;
        drop(state);
        self.freed.notify_one();
    }

    /// Turns away every later (and waiting) `acquire`.
    fn close(&self) {
        // a lock poisoned by a panic elsewhere still guards a usable state
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.1 = true;
        drop(state);
        self.freed.notify_all();
    }
}

/// Reads every input and hands each chunk of [`WORK_CHUNK`] read items to `hand_on`, in
/// input order.
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
    let mut batch: Vec<Unparsed> = Vec::with_capacity(WORK_CHUNK);
    let mut flow = ControlFlow::Continue(());
    {
        let mut push = |unparsed: Unparsed| -> ControlFlow<()> {
            if stop.load(Ordering::Relaxed) {
                return ControlFlow::Break(());
            }
            batch.push(unparsed);
            if batch.len() >= WORK_CHUNK {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(WORK_CHUNK));
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
            // the end either way: whether the sink broke off changes nothing here
            let _ = crate::acquire::fetch::fetch_urls_into(&urls, args, &mut |item| {
                push(Unparsed::Item(item))
            });
        }
    }
    if !batch.is_empty() {
        let _ = hand_on(batch);
    }
    Ok(())
}

/// What a worker made of a chunk: each item with what was prepared for it.
type Done<P> = Vec<(Processed, Option<P>)>;

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

    /// More items than the reader may have in flight.
    const BATCH: usize = CHUNKS_IN_FLIGHT * WORK_CHUNK;

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

    #[test]
    fn a_sink_that_panics_ends_the_run_instead_of_hanging_it() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("news.jsonl");
        // more lines than the reader may have in flight, so that it would wait for the sink
        let lines: Vec<String> = (0..BATCH * 2)
            .map(|i| format!(r#"{{"id":"c{i}","text":"Quiet day number {i}."}}"#))
            .collect();
        std::fs::write(&path, lines.join("\n")).expect("write the input");
        let extractor = Extractor::new(&RuleSet::embedded()).expect("built-in rules");
        let stop = AtomicBool::new(false);
        let args = input_args(vec![path.display().to_string()]);
        let mut taken = 0;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(&args, &extractor, &stop, &mut |_| {
                taken += 1;
                assert!(taken < 10, "the sink gives up");
                ControlFlow::Continue(())
            })
        }));
        assert!(outcome.is_err());
        assert_eq!(taken, 10);
    }
}
