//! Store: articles (with their raw input and extraction) and claims in a tantivy index on disk.
//!
//! Layout: one tantivy index in the index directory, holding article documents and claim
//! documents told apart by the `doc_type` field (see [`schema`]), so that one commit makes an
//! article and its claims visible together. Beside tantivy's `meta.json` the file
//! `concord.json` records the schema version (`{"schema_version": N, "concord_version": ...}`);
//! an index of another version must be rebuilt with [`reindex`] (`concord reindex`).
//!
//! Writing: [`Store::writer`] takes tantivy's writer lock (one writer per index, across
//! processes), loads the id → hash map of the stored articles from fast fields, and then
//! [`StoreWriter::put`] decides per article, without searching the index:
//! - same id, same content hash → [`PutStatus::Unchanged`], nothing written;
//! - same id, other content → [`PutStatus::Replaced`]: the old article and its claims are
//!   deleted and the new version added;
//! - new id, same text as a stored article → [`PutStatus::Duplicate`]: the article is stored
//!   with `duplicate_of` set (so `show` finds it and a re-put is `Unchanged`), but its claims
//!   are not indexed as claim documents, so a republished wire story does not count twice;
//! - otherwise [`PutStatus::Ingested`].
//!
//! Writes are committed every [`DEFAULT_COMMIT_EVERY`] articles (and, when set with
//! [`StoreWriter::set_commit_interval`], once that much time has passed since the last
//! commit; `concord ingest` commits every [`DEFAULT_COMMIT_INTERVAL`]) and by
//! [`StoreWriter::commit`] or [`StoreWriter::finish`]; a crash loses at most the uncommitted
//! batch (tantivy commits are atomic). Dropping a writer without committing discards the
//! uncommitted batch. Few commits make few segments, so a bulk ingest ends without a merge.
//!
//! The documents of an article can be built on other threads ([`StoreWriter::doc_builder`],
//! [`DocBuilder::prepare`]) and handed to [`StoreWriter::put_prepared`], which only decides
//! what the article is and indexes them. At most a few thousand documents wait for
//! tantivy's indexing threads at a time (see [`queue`]): a bulk ingest holds a bounded
//! amount of memory however far ahead of indexing the reading and extraction run.

pub mod facets;
pub mod fx;
mod queue;
mod read;
mod reindex;
pub mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::indexer::{IndexWriterOptions, UserOperation};
use tantivy::{DateTime, Index, IndexWriter, TantivyDocument, TantivyError, Term};

use crate::model::{Article, Claim, Extraction};
use fx::FxTable;
use queue::{DocQueue, QueuedDoc};
pub use read::{ArticleIter, ArticleText, ClaimIter, Reader, Stats, StoredArticle, StoredItem};
pub use reindex::{reindex, ReindexReport};
use schema::{Fields, DOC_ARTICLE, DOC_CLAIM, SCHEMA_VERSION};

/// Name of the concord meta file beside tantivy's `meta.json`.
pub const META_FILE: &str = "concord.json";
/// Articles put between automatic commits.
pub const DEFAULT_COMMIT_EVERY: usize = 50_000;
/// Longest time between automatic commits while articles are being put, for bulk ingests
/// (`concord ingest --commit-secs`); a writer commits by time only when told
/// ([`StoreWriter::set_commit_interval`]).
pub const DEFAULT_COMMIT_INTERVAL: Duration = Duration::from_secs(5);
/// Operations (adds and deletes) handed to tantivy's indexing threads at once: one channel
/// message per batch instead of per document.
const BATCH_OPERATIONS: usize = 512;
/// Indexing threads of the writer.
pub const WRITER_THREADS: usize = 2;
/// Memory budget of the writer, all threads together.
pub const WRITER_MEMORY_BYTES: usize = 300_000_000;
/// Threads that merge segments in the background. tantivy's default of four only adds
/// idle threads (each with its own allocator heap) on a machine with few cores: merges
/// are rare during an ingest, which writes few large segments.
const MERGE_THREADS: usize = 1;

/// All known names of the party a name denotes (its canonical name and its aliases);
/// empty or just the name itself when the name is unknown. Supplied by the alias table.
pub type PartyNames = Arc<dyn Fn(&str) -> Vec<String> + Send + Sync>;

/// A [`PartyNames`] that knows no aliases.
pub fn no_aliases() -> PartyNames {
    Arc::new(|_: &str| Vec::new())
}

/// The raw input an article was made from, kept so that a later concord can re-extract
/// everything without fetching again.
#[derive(Debug, Clone, PartialEq)]
pub struct RawInput {
    /// What kind of input: `html`, `text`, `json`.
    pub format: String,
    /// The input as read (decoded text).
    pub body: String,
    /// The article's text is the `text` string of `body` (a JSON object), unchanged. The
    /// store then keeps the text once, in the raw input, and reads it back from there.
    pub text_in_body: bool,
}

/// What storing one article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutStatus {
    /// New article.
    Ingested,
    /// The same article, with the same content, was already there.
    Unchanged,
    /// An article with the same id but a changed text replaced the old version.
    Replaced,
    /// The same text is already stored under another id (given here).
    Duplicate(String),
}

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the writer lock.
    #[error("index {0} is locked by another concord process; wait for it to finish, or use another --index")]
    Locked(PathBuf),
    /// No index at the path.
    #[error("no concord index at {0}; run `concord ingest FILES...` to create one")]
    Missing(PathBuf),
    /// The index was written with another schema version.
    #[error("index {path} has schema version {found}, but this concord uses version {expected}; run `concord reindex --index {path}` to rebuild it from its stored inputs")]
    SchemaVersion {
        /// The index directory.
        path: PathBuf,
        /// Version recorded in the index.
        found: u32,
        /// Version this build uses.
        expected: u32,
    },
    /// A tantivy index without a readable `concord.json`.
    #[error("{0} holds an index without a readable concord.json (not written by this concord); run `concord reindex --index {0}` to rebuild it")]
    NotConcord(PathBuf),
    /// An article that cannot be stored.
    #[error("cannot store article: {0}")]
    Invalid(String),
    /// Anything else from tantivy or the file system.
    #[error("index {path}: {reason}")]
    Other {
        /// The index directory.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

pub(crate) fn other(path: &Path, reason: impl std::fmt::Display) -> StoreError {
    StoreError::Other {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ConcordMeta {
    schema_version: u32,
    concord_version: String,
}

/// An index directory.
pub struct Store {
    dir: PathBuf,
    index: Index,
    fields: Arc<Fields>,
}

impl Store {
    /// Opens the index at `dir`, creating it when absent.
    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        if dir.join("meta.json").is_file() {
            return Store::open(dir);
        }
        Store::create(dir)
    }

    fn create(dir: &Path) -> Result<Store, StoreError> {
        // A folder holding only notes (the repository's `index/README.md`) or hidden files
        // counts as empty; anything else might be someone's data, so it is left alone.
        if dir.is_dir() {
            let has_foreign = std::fs::read_dir(dir)
                .map_err(|e| other(dir, e))?
                .filter_map(Result::ok)
                .any(|entry| !may_sit_beside_a_new_index(&entry.file_name()));
            if has_foreign {
                return Err(other(
                    dir,
                    "the directory is not empty and holds no index; give an empty or new directory",
                ));
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| other(dir, e))?;
        write_meta(dir, SCHEMA_VERSION)?;
        let fields = Fields::build();
        let index = Index::create_in_dir(dir, fields.schema.clone()).map_err(|e| other(dir, e))?;
        schema::register_tokenizers(&index);
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields: Arc::new(fields),
        })
    }

    /// Opens an existing index; [`StoreError::Missing`] when there is none,
    /// [`StoreError::SchemaVersion`] when it was written with another schema.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        if !dir.join("meta.json").is_file() {
            return Err(StoreError::Missing(dir.to_path_buf()));
        }
        let found = read_meta(dir)?;
        if found != SCHEMA_VERSION {
            return Err(StoreError::SchemaVersion {
                path: dir.to_path_buf(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        let index = Index::open_in_dir(dir).map_err(|e| other(dir, e))?;
        schema::register_tokenizers(&index);
        let fields = Fields::build();
        if index.schema() != fields.schema {
            return Err(StoreError::NotConcord(dir.to_path_buf()));
        }
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            fields: Arc::new(fields),
        })
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the writer lock ([`StoreError::Locked`] when another writer holds it) with
    /// [`WRITER_THREADS`] threads and [`WRITER_MEMORY_BYTES`] of memory.
    pub fn writer(&self) -> Result<StoreWriter, StoreError> {
        self.writer_with(WRITER_THREADS, WRITER_MEMORY_BYTES)
    }

    /// Takes the writer lock with the given thread count and overall memory budget
    /// (at least 15 MB per thread).
    pub fn writer_with(
        &self,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<StoreWriter, StoreError> {
        let threads = threads.max(1);
        let options = IndexWriterOptions::builder()
            .num_worker_threads(threads)
            .memory_budget_per_thread(memory_bytes.max(threads * 15_000_000) / threads)
            .num_merge_threads(MERGE_THREADS)
            .build();
        let writer: IndexWriter<QueuedDoc> =
            self.index
                .writer_with_options(options)
                .map_err(|e| match e {
                    TantivyError::LockFailure(LockError::LockBusy, _) => {
                        StoreError::Locked(self.dir.clone())
                    }
                    e => other(&self.dir, e),
                })?;
        let known = load_known(&self.index, &self.fields).map_err(|e| other(&self.dir, e))?;
        Ok(StoreWriter {
            dir: self.dir.clone(),
            writer,
            queue: DocQueue::default(),
            builder: DocBuilder {
                dir: self.dir.clone(),
                fields: self.fields.clone(),
                fx: Arc::new(FxTable::embedded().map_err(|e| other(&self.dir, e))?),
                party_names: no_aliases(),
                stored: Arc::default(),
            },
            known,
            commit_every: DEFAULT_COMMIT_EVERY,
            commit_interval: None,
            last_commit: Instant::now(),
            pending: 0,
            batch: Vec::with_capacity(BATCH_OPERATIONS),
        })
    }

    /// A reader that follows commits (also those of a writer in another process, after a
    /// short delay).
    pub fn reader(&self) -> Result<Reader, StoreError> {
        Reader::new(self.dir.clone(), self.index.clone(), self.fields.clone())
    }
}

fn write_meta(dir: &Path, version: u32) -> Result<(), StoreError> {
    let meta = ConcordMeta {
        schema_version: version,
        concord_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let json = serde_json::to_string_pretty(&meta).map_err(|e| other(dir, e))?;
    std::fs::write(dir.join(META_FILE), json + "\n").map_err(|e| other(dir, e))
}

fn read_meta(dir: &Path) -> Result<u32, StoreError> {
    let text = std::fs::read_to_string(dir.join(META_FILE))
        .map_err(|_| StoreError::NotConcord(dir.to_path_buf()))?;
    let meta: ConcordMeta =
        serde_json::from_str(&text).map_err(|_| StoreError::NotConcord(dir.to_path_buf()))?;
    Ok(meta.schema_version)
}

/// What the writer knows of a stored article.
#[derive(Debug, Clone, Copy)]
struct KnownArticle {
    content_hash: u64,
    text_hash: u64,
}

/// The writer's in-memory view of the stored articles.
#[derive(Debug, Default)]
struct Known {
    by_id: HashMap<String, KnownArticle>,
    /// Text hash → id of the first article with that text (not a duplicate itself).
    first_by_text: HashMap<u64, String>,
}

fn load_known(index: &Index, fields: &Fields) -> tantivy::Result<Known> {
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let mut known = Known::default();
    let mut id = String::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(ids) = fast.str("article_id")? else {
            continue;
        };
        let Some(content) = fast.column_opt::<u64>("content_hash")? else {
            continue;
        };
        let Some(texts) = fast.column_opt::<u64>("text_hash")? else {
            continue;
        };
        // Originals (not duplicates) are the ones whose text hash owns the first_by_text slot.
        let duplicates = duplicate_docs(segment, fields)?;
        for doc in segment.doc_ids_alive() {
            let (Some(content_hash), Some(text_hash)) = (content.first(doc), texts.first(doc))
            else {
                continue;
            };
            let Some(ord) = ids.term_ords(doc).next() else {
                continue;
            };
            id.clear();
            ids.ord_to_str(ord, &mut id)?;
            known.by_id.insert(
                id.clone(),
                KnownArticle {
                    content_hash,
                    text_hash,
                },
            );
            if text_hash != EMPTY_TEXT_HASH && !duplicates.contains(&doc) {
                known.first_by_text.entry(text_hash).or_insert(id.clone());
            }
        }
    }
    Ok(known)
}

/// Docs of a segment with a `duplicate_of` value.
fn duplicate_docs(
    segment: &tantivy::SegmentReader,
    fields: &Fields,
) -> tantivy::Result<std::collections::HashSet<u32>> {
    let mut docs = std::collections::HashSet::new();
    let inverted = segment.inverted_index(fields.duplicate_of)?;
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let info = terms.value().clone();
        let mut postings = inverted
            .read_block_postings_from_terminfo(&info, tantivy::schema::IndexRecordOption::Basic)?;
        loop {
            let block = postings.docs();
            if block.is_empty() {
                break;
            }
            docs.extend(block.iter().copied());
            postings.advance();
        }
    }
    Ok(docs)
}

/// Text hash given to empty texts, which are never duplicates of each other.
const EMPTY_TEXT_HASH: u64 = 0;

fn hash64(parts: &[&str]) -> u64 {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let bytes = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first).max(1)
}

/// Hash of an article's text (duplicate detection); [`EMPTY_TEXT_HASH`] for a blank text.
fn text_hash(text: &str) -> u64 {
    if text.trim().is_empty() {
        EMPTY_TEXT_HASH
    } else {
        hash64(&[text])
    }
}

/// Hash of everything that makes an article version: title, dates, source, URL, authors
/// and the text, the text by its [`text_hash`] (so that the long text is read only once).
fn content_hash(article: &Article, text_hash: u64) -> u64 {
    let mut hasher = blake3::Hasher::new();
    for part in [
        &article.title,
        &article.published,
        &article.modified,
        &article.source,
        &article.url,
    ] {
        let part = part.as_deref().unwrap_or_default();
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.update(&(article.authors.len() as u64).to_le_bytes());
    for author in &article.authors {
        hasher.update(&(author.len() as u64).to_le_bytes());
        hasher.update(author.as_bytes());
    }
    hasher.update(&text_hash.to_le_bytes());
    let bytes = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first).max(1)
}

/// Parses an ISO 8601 date (`YYYY-MM-DD`) or date-time (RFC 3339, or without an offset,
/// read as UTC) into a tantivy date.
pub fn parse_date(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(DateTime::from_timestamp_secs(dt.timestamp()));
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(DateTime::from_timestamp_secs(dt.and_utc().timestamp()));
    }
    if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Some(DateTime::from_timestamp_secs(dt.and_utc().timestamp()));
    }
    let date_part = text.get(..10).unwrap_or(text);
    let date = chrono::NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()?;
    Some(DateTime::from_timestamp_secs(
        date.and_hms_opt(0, 0, 0)?.and_utc().timestamp(),
    ))
}

fn year_of(date: Option<DateTime>) -> Option<i32> {
    use chrono::Datelike;
    let secs = date?.into_timestamp_secs();
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.year())
}

fn decimal_f64(d: Option<rust_decimal::Decimal>) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    d.and_then(|d| d.to_f64()).filter(|f| f.is_finite())
}

/// The figure a claim is filtered and sorted by: the value, else the middle of low and high,
/// else whichever bound is known.
pub fn claim_figure(claim: &Claim) -> Option<f64> {
    let amount = &claim.amount;
    if let Some(value) = decimal_f64(amount.value) {
        return Some(value);
    }
    match (decimal_f64(amount.low), decimal_f64(amount.high)) {
        (Some(low), Some(high)) => Some((low + high) / 2.0),
        (Some(low), None) => Some(low),
        (None, Some(high)) => Some(high),
        (None, None) => None,
    }
}

/// Builds the documents of articles and their claims. Cheap to clone and shared between
/// threads, so that documents can be built off the writer's thread
/// ([`StoreWriter::doc_builder`], [`StoreWriter::put_prepared`]).
#[derive(Clone)]
pub struct DocBuilder {
    dir: PathBuf,
    fields: Arc<Fields>,
    fx: Arc<FxTable>,
    party_names: PartyNames,
    /// Id → content hash of the articles stored when the builder was made: their documents
    /// are most likely not needed.
    stored: Arc<HashMap<String, u64>>,
}

/// The documents of an article version with its claims, as stored when it is not a duplicate.
struct ArticleDocs {
    article: TantivyDocument,
    claims: Vec<TantivyDocument>,
}

/// An article's hashes and (usually) documents, made by [`DocBuilder::prepare`] before the
/// writer decides whether it is new, unchanged, replaced or a duplicate.
pub struct PreparedArticle {
    content_hash: u64,
    text_hash: u64,
    /// `None` when the article was already stored unchanged, or could not be prepared (the
    /// writer then builds or rejects it itself).
    docs: Option<ArticleDocs>,
}

impl DocBuilder {
    /// Hashes an article and builds its documents for the case that it is not a duplicate;
    /// skips the documents of an article stored unchanged when the builder was made.
    pub fn prepare(
        &self,
        article: &Article,
        extraction: &Extraction,
        raw: &RawInput,
    ) -> PreparedArticle {
        let text = text_hash(&article.text);
        let content = content_hash(article, text);
        let unchanged = self.stored.get(&article.id) == Some(&content);
        let docs = if unchanged || article.id.trim().is_empty() {
            None
        } else {
            self.docs(article, extraction, raw, content, text, None)
                .ok()
        };
        PreparedArticle {
            content_hash: content,
            text_hash: text,
            docs,
        }
    }

    /// The article document and, unless it is a duplicate, its claim documents.
    fn docs(
        &self,
        article: &Article,
        extraction: &Extraction,
        raw: &RawInput,
        content: u64,
        text: u64,
        duplicate_of: Option<&str>,
    ) -> Result<ArticleDocs, StoreError> {
        let published = article.published.as_deref().and_then(parse_date);
        let article_doc = self.article_doc(
            article,
            extraction,
            raw,
            content,
            text,
            duplicate_of,
            published,
        )?;
        // Claims live in their own documents, except for duplicates, which have none.
        let mut claims = Vec::new();
        if duplicate_of.is_none() {
            claims.reserve_exact(extraction.claims.len());
            for claim in &extraction.claims {
                claims.push(self.claim_doc(article, claim, published)?);
            }
        }
        Ok(ArticleDocs {
            article: article_doc,
            claims,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn article_doc(
        &self,
        article: &Article,
        extraction: &Extraction,
        raw: &RawInput,
        content: u64,
        text: u64,
        duplicate_of: Option<&str>,
        published: Option<DateTime>,
    ) -> Result<TantivyDocument, StoreError> {
        let f = &*self.fields;
        // The text is kept once: where the raw input holds it verbatim, the stored article
        // goes without it (read.rs puts it back)
        let json = if raw.text_in_body {
            serde_json::to_string(&ArticleWithoutText(article))
        } else {
            serde_json::to_string(article)
        }
        .map_err(|e| other(&self.dir, e))?;
        let stored_extraction = if duplicate_of.is_some() {
            serde_json::to_string(extraction)
        } else {
            serde_json::to_string(&ExtractionWithoutClaims::from(extraction))
        }
        .map_err(|e| other(&self.dir, e))?;
        // One allocation for the whole document: the long values plus room for the rest.
        let capacity = article.text.len() + json.len() + stored_extraction.len() + raw.body.len();
        let mut doc = TantivyDocument::with_capacity(capacity + 1024);
        doc.add_text(f.doc_type, DOC_ARTICLE);
        doc.add_text(f.article_id, &article.id);
        if let Some(url) = &article.url {
            doc.add_text(f.url, url);
        }
        if let Some(source) = &article.source {
            doc.add_text(f.source, source);
        }
        if let Some(title) = &article.title {
            doc.add_text(f.title, title);
        }
        for author in &article.authors {
            doc.add_text(f.authors, author);
        }
        if let Some(date) = published {
            doc.add_date(f.published, date);
        }
        if let Some(language) = &article.language {
            doc.add_text(f.language, language);
        }
        doc.add_text(f.text, &article.text);
        doc.add_u64(f.text_hash, text);
        doc.add_u64(f.content_hash, content);
        if let Some(first) = duplicate_of {
            doc.add_text(f.duplicate_of, first);
        }
        doc.add_text(f.article, json);
        doc.add_text(f.extraction, stored_extraction);
        doc.add_text(f.raw_format, &raw.format);
        doc.add_text(f.raw_body, &raw.body);
        Ok(doc)
    }

    fn claim_doc(
        &self,
        article: &Article,
        claim: &Claim,
        published: Option<DateTime>,
    ) -> Result<TantivyDocument, StoreError> {
        let f = &*self.fields;
        let sourced = SourcedClaimRef {
            claim,
            article_id: &article.id,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            title: article.title.as_deref(),
            published: article.published.as_deref(),
        };
        let json = serde_json::to_string(&sourced).map_err(|e| other(&self.dir, e))?;
        // room for the long values (the JSON, the sentence, the title) and a little for the
        // rest: documents wait in memory for the indexing threads, so none is made bigger
        // than it needs to be
        let long_values =
            json.len() + claim.sentence.text.len() + article.title.as_ref().map_or(0, String::len);
        let mut doc = TantivyDocument::with_capacity(long_values + 512);
        doc.add_text(f.doc_type, DOC_CLAIM);
        doc.add_text(f.article_id, &article.id);
        doc.add_text(f.claim_id, &claim.id);
        if let Some(source) = &article.source {
            doc.add_text(f.source, source);
        }
        if let Some(title) = &article.title {
            doc.add_text(f.title, title);
        }
        if let Some(date) = published {
            doc.add_date(f.published, date);
        }
        doc.add_text(f.kind, claim.kind.as_str());
        let amount = &claim.amount;
        if let Some(currency) = &amount.currency {
            doc.add_text(f.currency, currency.to_ascii_uppercase());
        }
        let figure = claim_figure(claim);
        if let Some(value) = figure {
            doc.add_f64(f.value, value);
        }
        if let Some(low) = decimal_f64(amount.low) {
            doc.add_f64(f.low, low);
        }
        if let Some(high) = decimal_f64(amount.high) {
            doc.add_f64(f.high, high);
        }
        if let (Some(value), Some(currency)) = (figure, &amount.currency) {
            if let Some(usd) = self.fx.to_usd(currency, year_of(published), value) {
                doc.add_f64(f.value_usd, usd);
            }
        }
        for party in &claim.parties {
            doc.add_text(f.parties, &party.name);
            doc.add_text(f.party_names, &party.name);
            for alias in (self.party_names)(&party.name) {
                if alias != party.name {
                    doc.add_text(f.party_names, alias);
                }
            }
            for role in &party.roles {
                doc.add_text(f.roles, role);
            }
        }
        if let Some(months) = claim.term_months {
            doc.add_u64(f.term_months, u64::from(months));
        }
        if let Some(year) = claim.start_year {
            doc.add_i64(f.start_year, i64::from(year));
        }
        if let Some(attribution) = &claim.attribution {
            doc.add_text(f.attribution, attribution);
        }
        doc.add_bool(f.hedged, claim.hedged);
        doc.add_bool(f.negated, claim.negated);
        doc.add_bool(f.disputed, claim.disputed);
        doc.add_text(f.sentence, &claim.sentence.text);
        doc.add_text(f.claim, json);
        Ok(doc)
    }
}

/// The single writer of an index. Writes become visible and durable at [`StoreWriter::commit`].
pub struct StoreWriter {
    dir: PathBuf,
    writer: IndexWriter<QueuedDoc>,
    builder: DocBuilder,
    queue: DocQueue,
    known: Known,
    commit_every: usize,
    commit_interval: Option<Duration>,
    last_commit: Instant,
    pending: usize,
    batch: Vec<UserOperation<TantivyDocument>>,
}

impl StoreWriter {
    /// Sets the alias lookup used to index party aliases (so that "AWS" finds
    /// "Amazon Web Services").
    pub fn set_party_names(&mut self, party_names: PartyNames) {
        self.builder.party_names = party_names;
    }

    /// Sets the exchange-rate table (e.g. from `--rules`).
    pub fn set_fx(&mut self, fx: FxTable) {
        self.builder.fx = Arc::new(fx);
    }

    /// Sets how many articles are put between automatic commits (0: never automatically
    /// by count).
    pub fn set_commit_every(&mut self, articles: usize) {
        self.commit_every = articles;
    }

    /// Sets the longest time between automatic commits while articles are being put
    /// (`None`: never automatically by time). The time is checked when an article is put.
    pub fn set_commit_interval(&mut self, interval: Option<Duration>) {
        self.commit_interval = interval;
    }

    /// Articles put since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// A builder of documents with this writer's aliases and exchange rates, for
    /// [`StoreWriter::put_prepared`]; make it after the `set_` calls.
    pub fn doc_builder(&self) -> DocBuilder {
        let stored = self
            .known
            .by_id
            .iter()
            .map(|(id, known)| (id.clone(), known.content_hash))
            .collect();
        DocBuilder {
            stored: Arc::new(stored),
            ..self.builder.clone()
        }
    }

    /// Adds, replaces or skips one article with its extraction and raw input.
    pub fn put(
        &mut self,
        article: &Article,
        extraction: &Extraction,
        raw: &RawInput,
    ) -> Result<PutStatus, StoreError> {
        self.put_prepared(article, extraction, raw, None)
    }

    /// [`StoreWriter::put`] with the documents prepared beforehand by a [`DocBuilder`] of
    /// this writer (from the same article, extraction and raw input); builds whatever was not
    /// prepared.
    pub fn put_prepared(
        &mut self,
        article: &Article,
        extraction: &Extraction,
        raw: &RawInput,
        prepared: Option<PreparedArticle>,
    ) -> Result<PutStatus, StoreError> {
        if article.id.trim().is_empty() {
            return Err(StoreError::Invalid(format!(
                "article from {:?} has no id",
                article.input
            )));
        }
        let (content, text, docs) = match prepared {
            Some(prepared) => (prepared.content_hash, prepared.text_hash, prepared.docs),
            None => {
                let text = text_hash(&article.text);
                (content_hash(article, text), text, None)
            }
        };
        let mut status = PutStatus::Ingested;
        if let Some(old) = self.known.by_id.get(&article.id).copied() {
            if old.content_hash == content {
                return Ok(PutStatus::Unchanged);
            }
            self.batch.push(UserOperation::Delete(Term::from_field_text(
                self.builder.fields.article_id,
                &article.id,
            )));
            if self.known.first_by_text.get(&old.text_hash) == Some(&article.id) {
                self.known.first_by_text.remove(&old.text_hash);
            }
            status = PutStatus::Replaced;
        }
        let duplicate_of = match self.known.first_by_text.get(&text) {
            Some(first) if text != EMPTY_TEXT_HASH && first != &article.id => Some(first.clone()),
            _ => None,
        };
        if let (Some(first), PutStatus::Ingested) = (&duplicate_of, &status) {
            status = PutStatus::Duplicate(first.clone());
        }
        // Prepared documents are those of a non-duplicate; a duplicate is built anew.
        let docs = match docs {
            Some(docs) if duplicate_of.is_none() => docs,
            _ => self.builder.docs(
                article,
                extraction,
                raw,
                content,
                text,
                duplicate_of.as_deref(),
            )?,
        };
        self.add(docs.article)?;
        for claim in docs.claims {
            self.add(claim)?;
        }
        self.known.by_id.insert(
            article.id.clone(),
            KnownArticle {
                content_hash: content,
                text_hash: text,
            },
        );
        if duplicate_of.is_none() && text != EMPTY_TEXT_HASH {
            self.known
                .first_by_text
                .entry(text)
                .or_insert_with(|| article.id.clone());
        }
        self.pending += 1;
        let count_due = self.commit_every > 0 && self.pending >= self.commit_every;
        let time_due = self
            .commit_interval
            .is_some_and(|interval| self.last_commit.elapsed() >= interval);
        if count_due || time_due {
            self.commit()?;
        }
        Ok(status)
    }

    fn add(&mut self, doc: TantivyDocument) -> Result<(), StoreError> {
        self.batch.push(UserOperation::Add(doc));
        if self.batch.len() >= BATCH_OPERATIONS {
            self.send_batch()?;
        }
        Ok(())
    }

    /// Hands the batched operations to the indexing threads.
    fn send_batch(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH_OPERATIONS));
        self.queue.wait_for_room(queue::MAX_WAITING_DOCS);
        // counted from here until an indexing thread has indexed (and dropped) them
        let batch: Vec<UserOperation<QueuedDoc>> = batch
            .into_iter()
            .map(|operation| match operation {
                UserOperation::Add(doc) => UserOperation::Add(self.queue.enqueue(doc)),
                UserOperation::Delete(term) => UserOperation::Delete(term),
            })
            .collect();
        self.writer
            .run(batch)
            .map(|_| ())
            .map_err(|e| other(&self.dir, e))
    }

    /// Commits everything put since the last commit.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        self.send_batch()?;
        self.writer.commit().map_err(|e| other(&self.dir, e))?;
        self.pending = 0;
        self.last_commit = Instant::now();
        Ok(())
    }

    /// Commits, waits for background merges and releases the lock.
    pub fn finish(mut self) -> Result<(), StoreError> {
        self.commit()?;
        let dir = self.dir.clone();
        self.writer
            .wait_merging_threads()
            .map_err(|e| other(&dir, e))
    }

    /// Drops everything put since the last commit and releases the lock.
    pub fn abandon(mut self) -> Result<(), StoreError> {
        self.batch.clear();
        self.writer
            .rollback()
            .map(|_| ())
            .map_err(|e| other(&self.dir, e))
    }
}

/// A [`SourcedClaim`] serialised from borrowed parts (same JSON).
#[derive(Serialize)]
struct SourcedClaimRef<'a> {
    #[serde(flatten)]
    claim: &'a Claim,
    article_id: &'a str,
    url: Option<&'a str>,
    source: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<&'a str>,
}

/// An [`Article`] serialised without its text, for an article whose raw input holds the
/// text verbatim ([`RawInput::text_in_body`]). Read back as an article with an empty text.
struct ArticleWithoutText<'a>(&'a Article);

impl Serialize for ArticleWithoutText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // no `..`: a field added to `Article` must be written here too (in its order)
        let Article {
            input,
            id,
            url,
            source,
            title,
            authors,
            published,
            modified,
            language,
            text: _,
            metadata,
        } = self.0;
        let mut out = serializer.serialize_struct("Article", 10)?;
        out.serialize_field("input", input)?;
        out.serialize_field("id", id)?;
        out.serialize_field("url", url)?;
        out.serialize_field("source", source)?;
        out.serialize_field("title", title)?;
        out.serialize_field("authors", authors)?;
        out.serialize_field("published", published)?;
        out.serialize_field("modified", modified)?;
        out.serialize_field("language", language)?;
        if !metadata.is_empty() {
            out.serialize_field("metadata", metadata)?;
        }
        out.end()
    }
}

/// An [`Extraction`] serialised without its claims (which have their own documents).
#[derive(Serialize)]
struct ExtractionWithoutClaims<'a> {
    money: &'a [crate::model::Money],
    parties: &'a [crate::model::Party],
    terms: &'a [crate::model::Term],
    dates: &'a [crate::model::DateMention],
    claims: &'a [Claim],
}

impl<'a> From<&'a Extraction> for ExtractionWithoutClaims<'a> {
    fn from(e: &'a Extraction) -> Self {
        ExtractionWithoutClaims {
            money: &e.money,
            parties: &e.parties,
            terms: &e.terms,
            dates: &e.dates,
            claims: &[],
        }
    }
}

/// Files that may already be in a folder where a new index is created: concord's own meta
/// file, a README, and hidden files such as `.gitkeep`.
fn may_sit_beside_a_new_index(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name == META_FILE || name.starts_with('.') || name.to_ascii_lowercase().starts_with("readme")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_without_text_is_the_article_json_less_its_text() {
        let mut metadata = serde_json::Map::new();
        metadata.insert("section".into(), serde_json::Value::from("tech"));
        let full = Article {
            input: "a.jsonl:1".into(),
            id: "a-1".into(),
            url: Some("https://example.com/a".into()),
            source: Some("The \"Ledger\"".into()),
            title: Some("Title".into()),
            authors: vec!["A. Writer".into()],
            published: Some("2023-03-01".into()),
            text: "Body.".into(),
            metadata,
            ..Article::default()
        };
        for article in [full.clone(), Article::default()] {
            let mut expected: serde_json::Value =
                serde_json::to_value(&article).expect("article JSON");
            if let Some(fields) = expected.as_object_mut() {
                fields.remove("text");
            }
            let ours = serde_json::to_string(&ArticleWithoutText(&article)).expect("JSON");
            assert_eq!(ours, expected.to_string());
            let back: Article = serde_json::from_str(&ours).expect("reads back");
            assert_eq!(
                back,
                Article {
                    text: String::new(),
                    ..article
                }
            );
        }
    }
}
