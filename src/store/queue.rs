//! A bound on the documents waiting for tantivy's indexing threads.
//!
//! tantivy's writer queues up to 10,000 batches of documents for its indexing threads, so a
//! producer faster than indexing can park most of a bulk ingest in memory: every waiting
//! document is fresh memory the system must hand over (and zero) and that nothing reuses
//! until it is indexed. Each document handed to the writer here carries a ticket that
//! counts it until an indexing thread has indexed and dropped it, and the writer waits
//! before sending more while too many are waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::schema::document::Document;
use tantivy::TantivyDocument;

/// Most documents waiting for the indexing threads before the writer holds back.
pub(crate) const MAX_WAITING_DOCS: usize = 2048;

/// Pause between two looks at the count while the writer holds back.
const POLL: Duration = Duration::from_micros(250);

/// Longest the writer holds back without seeing one document indexed: past it, the indexing
/// threads are taken to have stopped, and the writer sends anyway, from then on without
/// waiting (tantivy then reports their error at the next commit).
const STALL: Duration = Duration::from_secs(10);

/// Counts documents handed to the writer and not yet indexed.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocQueue {
    waiting: Arc<AtomicUsize>,
    /// Set once the indexing threads have stalled: waiting for them is pointless.
    stalled: bool,
}

impl DocQueue {
    /// Wraps a document with a ticket that counts it until it is dropped.
    pub(crate) fn enqueue(&self, doc: TantivyDocument) -> QueuedDoc {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        QueuedDoc {
            doc,
            _ticket: Ticket {
                waiting: self.waiting.clone(),
            },
        }
    }

    /// Documents handed over and not yet indexed.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// Waits until at most `limit` documents are waiting, or until none has been indexed
    /// for a while (after which it never waits again).
    pub(crate) fn wait_for_room(&mut self, limit: usize) {
        self.wait_for_room_or_stall(limit, STALL);
    }

    /// [`DocQueue::wait_for_room`], with the time without progress that counts as a stall.
    fn wait_for_room_or_stall(&mut self, limit: usize, stall: Duration) {
        let mut last = self.waiting();
        let mut progress_at = Instant::now();
        while last > limit && !self.stalled {
            std::thread::sleep(POLL);
            let now = self.waiting();
            if now < last {
                progress_at = Instant::now();
            } else if progress_at.elapsed() >= stall {
                self.stalled = true;
            }
            last = now;
        }
    }
}

/// Decrements the waiting count when dropped.
#[derive(Debug)]
struct Ticket {
    waiting: Arc<AtomicUsize>,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::Release);
    }
}

/// A document with its ticket: indexed like the document it wraps.
#[derive(Debug)]
pub(crate) struct QueuedDoc {
    doc: TantivyDocument,
    _ticket: Ticket,
}

impl Document for QueuedDoc {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_counts_its_document_until_it_is_dropped() {
        let queue = DocQueue::default();
        let first = queue.enqueue(TantivyDocument::default());
        let second = queue.enqueue(TantivyDocument::default());
        assert_eq!(queue.waiting(), 2);
        drop(first);
        assert_eq!(queue.waiting(), 1);
        drop(second);
        assert_eq!(queue.waiting(), 0);
    }

    /// `count` empty documents handed to `queue`.
    fn enqueued(queue: &DocQueue, count: usize) -> Vec<QueuedDoc> {
        (0..count)
            .map(|_| queue.enqueue(TantivyDocument::default()))
            .collect()
    }

    #[test]
    fn waiting_for_room_returns_once_another_thread_drops_documents() {
        let mut queue = DocQueue::default();
        let docs = enqueued(&queue, 8);
        let dropper = std::thread::spawn(move || {
            for doc in docs {
                std::thread::sleep(Duration::from_millis(2));
                drop(doc);
            }
        });
        queue.wait_for_room(3);
        assert!(queue.waiting() <= 3);
        dropper.join().expect("dropping thread");
    }

    #[test]
    fn a_queue_that_never_drains_is_waited_for_once() {
        let mut queue = DocQueue::default();
        let _held = enqueued(&queue, 4);
        let stall = Duration::from_millis(30);
        let started = Instant::now();
        queue.wait_for_room_or_stall(1, stall);
        assert!(started.elapsed() >= stall);
        assert_eq!(queue.waiting(), 4);
        // stalled: the next call returns at once however long the stall allowance
        let again = Instant::now();
        queue.wait_for_room_or_stall(1, Duration::from_secs(10));
        assert!(again.elapsed() < Duration::from_secs(5));
    }
}
