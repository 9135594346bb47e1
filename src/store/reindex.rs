//! Rebuilding an index from its stored articles and raw inputs, with a fresh extraction.

use std::path::{Path, PathBuf};

use tantivy::directory::error::LockError;
use tantivy::{Index, IndexWriter, TantivyDocument, TantivyError, Term};

use super::read::{docs_of_type, stored_article};
use super::schema::{StoredFields, DOC_ARTICLE};
use super::{other, PartyNames, PutStatus, Store, StoreError};
use crate::model::{Article, Extraction};

/// What a reindex did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReindexReport {
    /// Articles read from the old index.
    pub articles: usize,
    /// Articles stored as duplicates in the new index.
    pub duplicates: usize,
    /// Claims in the new index.
    pub claims: usize,
}

/// Rebuilds the index at `dir` with the current schema: every stored article is re-extracted
/// with `extract` and put again (with its stored raw input) into a fresh index built beside
/// it (`DIR.reindex`), which then replaces the old one. Works across schema versions as long
/// as the old index has the stored fields `doc_type`, `article`, `extraction`, `raw_format`
/// and `raw_body`. Holds the old index's writer lock throughout ([`StoreError::Locked`]).
pub fn reindex(
    dir: &Path,
    extract: &dyn Fn(&Article) -> Extraction,
    party_names: PartyNames,
) -> Result<ReindexReport, StoreError> {
    if !dir.join("meta.json").is_file() {
        return Err(StoreError::Missing(dir.to_path_buf()));
    }
    let dir = &dir.canonicalize().map_err(|e| other(dir, e))?;
    let old = Index::open_in_dir(dir).map_err(|e| other(dir, e))?;
    let lock: IndexWriter<TantivyDocument> =
        old.writer_with_num_threads(1, 15_000_000)
            .map_err(|e| match e {
                TantivyError::LockFailure(LockError::LockBusy, _) => {
                    StoreError::Locked(dir.to_path_buf())
                }
                e => other(dir, e),
            })?;
    let stored = StoredFields::from_schema(&old.schema())
        .ok_or_else(|| StoreError::NotConcord(dir.to_path_buf()))?;

    let fresh_dir = sibling(dir, "reindex");
    if fresh_dir.exists() {
        std::fs::remove_dir_all(&fresh_dir).map_err(|e| other(&fresh_dir, e))?;
    }
    let fresh = Store::open_or_create(&fresh_dir)?;
    let mut writer = fresh.writer()?;
    writer.set_party_names(party_names);
    let mut report = ReindexReport::default();

    let reader = old
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: TantivyError| other(dir, e))?;
    let searcher = reader.searcher();
    let article_term = Term::from_field_text(stored.doc_type, DOC_ARTICLE);
    for segment in searcher.segment_readers() {
        let docs = docs_of_type(segment, &article_term).map_err(|e| other(dir, e))?;
        let store = segment.get_store_reader(64).map_err(|e| other(dir, e))?;
        for doc in docs {
            let doc: TantivyDocument = store.get(doc).map_err(|e| other(dir, e))?;
            let article = stored_article(&doc, &stored).map_err(|e| other(dir, e))?;
            let extraction = extract(&article.article);
            let claims = extraction.claims.len();
            let status = writer.put(&article.article, &extraction, &article.raw())?;
            report.articles += 1;
            match status {
                PutStatus::Duplicate(_) => report.duplicates += 1,
                PutStatus::Unchanged => {}
                PutStatus::Ingested | PutStatus::Replaced => report.claims += claims,
            }
        }
    }
    writer.finish()?;
    drop(fresh);
    drop(searcher);
    drop(reader);
    drop(lock);
    drop(old);

    let retired = sibling(dir, "reindex-old");
    if retired.exists() {
        std::fs::remove_dir_all(&retired).map_err(|e| other(&retired, e))?;
    }
    std::fs::rename(dir, &retired).map_err(|e| other(dir, e))?;
    std::fs::rename(&fresh_dir, dir).map_err(|e| other(dir, e))?;
    std::fs::remove_dir_all(&retired).map_err(|e| other(&retired, e))?;
    Ok(report)
}

fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".to_string());
    dir.with_file_name(format!("{name}.{suffix}"))
}
