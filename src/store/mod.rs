//! Store: articles (with their raw input and extraction) and claims in a tantivy index on disk.

use std::path::{Path, PathBuf};

use crate::model::{Article, Extraction};

/// The raw input an article was made from, kept so that a later concord can re-extract
/// everything without fetching again.
#[derive(Debug, Clone, PartialEq)]
pub struct RawInput {
    /// What kind of input: `html`, `text`, `json`.
    pub format: String,
    /// The input as read (decoded text).
    pub body: String,
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
    /// Anything else from tantivy or the file system.
    #[error("index {path}: {reason}")]
    Other {
        /// The index directory.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// An index directory.
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// Opens the index at `dir`, creating it when absent.
    pub fn open_or_create(dir: &Path) -> Result<Store, StoreError> {
        Ok(Store {
            dir: dir.to_path_buf(),
        })
    }

    /// Opens an existing index; [`StoreError::Missing`] when there is none.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Err(StoreError::Missing(dir.to_path_buf()))
    }

    /// Takes the writer lock.
    pub fn writer(&self) -> Result<StoreWriter, StoreError> {
        Err(StoreError::Locked(self.dir.clone()))
    }
}

/// The single writer of an index. Writes become visible and durable at [`StoreWriter::commit`].
pub struct StoreWriter {}

impl StoreWriter {
    /// Adds, replaces or skips one article with its extraction and raw input.
    pub fn put(
        &mut self,
        _article: &Article,
        _extraction: &Extraction,
        _raw: &RawInput,
    ) -> Result<PutStatus, StoreError> {
        Ok(PutStatus::Ingested)
    }

    /// Commits everything put since the last commit.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
}
