//! Reading the index: lookups by id, statistics, and iteration over claims and articles.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::store::StoreReader;
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, ReloadPolicy, Searcher, SegmentReader,
    TantivyDocument, Term, TERMINATED,
};

use super::facets::{FacetCollector, FacetNames};
use super::schema::{Fields, StoredFields, DOC_ARTICLE, DOC_CLAIM, SCHEMA_VERSION};
use super::{other, RawInput, StoreError};
use crate::acquire::files::text_of_json_object;
use crate::model::{Article, Extraction, SourcedClaim};

/// A reader of the index. It follows commits with a short delay
/// ([`ReloadPolicy::OnCommitWithDelay`]); [`Reader::reload`] catches up at once.
#[derive(Clone)]
pub struct Reader {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Arc<Fields>,
    stored: StoredFields,
    facet_names: FacetNames,
}

/// One stored article with everything kept beside it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StoredArticle {
    /// The article.
    pub article: Article,
    /// Its extraction, claims included.
    pub extraction: Extraction,
    /// Format of the raw input.
    pub raw_format: String,
    /// The raw input.
    pub raw_body: String,
    /// The id of the article with the same text stored first, when this one repeats it.
    pub duplicate_of: Option<String>,
}

impl StoredArticle {
    /// The raw input as a [`RawInput`].
    pub fn raw(&self) -> RawInput {
        let text_in_body = self.raw_format == "json"
            && text_of_json_object(&self.raw_body).is_some_and(|text| text == self.article.text);
        RawInput {
            format: self.raw_format.clone(),
            body: self.raw_body.clone(),
            text_in_body,
        }
    }
}

/// What an id names.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredItem {
    /// An article.
    Article(Box<StoredArticle>),
    /// A claim with its article's facts.
    Claim(Box<SourcedClaim>),
}

/// The fields of an article that near-duplicate detection needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleText {
    /// Article id.
    pub id: String,
    /// Source.
    pub source: Option<String>,
    /// Published date as given.
    pub published: Option<String>,
    /// Text.
    pub text: String,
}

/// Counts describing an index.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Schema version of the index.
    pub schema_version: u32,
    /// Stored articles (duplicates included).
    pub articles: u64,
    /// Articles stored as duplicates of another.
    pub duplicates: u64,
    /// Claim documents.
    pub claims: u64,
    /// Articles per source.
    pub articles_by_source: BTreeMap<String, u64>,
    /// Claims per kind.
    pub claims_by_kind: BTreeMap<String, u64>,
    /// Claims per source.
    pub claims_by_source: BTreeMap<String, u64>,
    /// Claims per canonical party name.
    pub claims_by_party: BTreeMap<String, u64>,
    /// Claims per currency.
    pub claims_by_currency: BTreeMap<String, u64>,
    /// Bytes of the index files on disk.
    pub index_bytes: u64,
}

impl Reader {
    pub(crate) fn new(
        dir: PathBuf,
        index: Index,
        fields: Arc<Fields>,
    ) -> Result<Reader, StoreError> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| other(&dir, e))?;
        let stored = StoredFields::from_schema(&fields.schema)
            .ok_or_else(|| other(&dir, "schema without stored article fields"))?;
        Ok(Reader {
            dir,
            index,
            reader,
            fields,
            stored,
            facet_names: FacetNames::default(),
        })
    }

    /// The facet value names read so far, shared by this reader's searches.
    pub(crate) fn facet_names(&self) -> &FacetNames {
        &self.facet_names
    }

    /// Makes the latest commit visible now.
    pub fn reload(&self) -> Result<(), StoreError> {
        self.reader.reload().map_err(|e| other(&self.dir, e))
    }

    /// A consistent view of the index as of the last (re)load.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The schema's fields.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The tantivy index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The index directory.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    pub(crate) fn err(&self, e: impl std::fmt::Display) -> StoreError {
        other(&self.dir, e)
    }

    fn type_query(&self, doc_type: &str) -> TermQuery {
        TermQuery::new(
            Term::from_field_text(self.fields.doc_type, doc_type),
            IndexRecordOption::Basic,
        )
    }

    /// The article or claim with this id, if stored.
    pub fn get(&self, id: &str) -> Result<Option<StoredItem>, StoreError> {
        let searcher = self.searcher();
        let f = &*self.fields;
        let article_q = tantivy::query::BooleanQuery::intersection(vec![
            Box::new(self.type_query(DOC_ARTICLE)),
            Box::new(TermQuery::new(
                Term::from_field_text(f.article_id, id),
                IndexRecordOption::Basic,
            )),
        ]);
        if let Some(address) = first_doc(&searcher, &article_q).map_err(|e| self.err(e))? {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            let mut stored = self.stored_article(&doc)?;
            if stored.duplicate_of.is_none() && stored.extraction.claims.is_empty() {
                stored.extraction.claims = self
                    .claims_of(&searcher, id)?
                    .into_iter()
                    .map(|c| c.claim)
                    .collect();
            }
            return Ok(Some(StoredItem::Article(Box::new(stored))));
        }
        let claim_q = TermQuery::new(
            Term::from_field_text(f.claim_id, id),
            IndexRecordOption::Basic,
        );
        if let Some(address) = first_doc(&searcher, &claim_q).map_err(|e| self.err(e))? {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            return Ok(Some(StoredItem::Claim(Box::new(self.sourced_claim(&doc)?))));
        }
        Ok(None)
    }

    /// The claims of one article, in offset order.
    pub fn claims_of(
        &self,
        searcher: &Searcher,
        article_id: &str,
    ) -> Result<Vec<SourcedClaim>, StoreError> {
        let f = &*self.fields;
        let query = tantivy::query::BooleanQuery::intersection(vec![
            Box::new(self.type_query(DOC_CLAIM)),
            Box::new(TermQuery::new(
                Term::from_field_text(f.article_id, article_id),
                IndexRecordOption::Basic,
            )),
        ]);
        let addresses = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut claims = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            claims.push(self.sourced_claim(&doc)?);
        }
        claims.sort_by_key(|c| (c.claim.amount.start, c.claim.id.clone()));
        Ok(claims)
    }

    pub(crate) fn sourced_claim(&self, doc: &TantivyDocument) -> Result<SourcedClaim, StoreError> {
        let json = stored_str(doc, self.fields.claim)
            .ok_or_else(|| self.err("claim document without stored claim"))?;
        serde_json::from_str(json).map_err(|e| self.err(format!("stored claim: {e}")))
    }

    pub(crate) fn stored_article(
        &self,
        doc: &TantivyDocument,
    ) -> Result<StoredArticle, StoreError> {
        stored_article(doc, &self.stored).map_err(|e| self.err(e))
    }

    /// Counts by kind, source, party and currency, article and claim counts, size on disk.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let searcher = self.searcher();
        let f = &*self.fields;
        let articles = searcher
            .search(&self.type_query(DOC_ARTICLE), &Count)
            .map_err(|e| self.err(e))? as u64;
        let duplicates_q = RangeQuery::new(
            std::ops::Bound::Included(Term::from_field_text(f.duplicate_of, "")),
            std::ops::Bound::Unbounded,
        );
        let duplicates = searcher
            .search(&duplicates_q, &Count)
            .map_err(|e| self.err(e))? as u64;
        let (claims, mut claim_facets) = searcher
            .search(
                &self.type_query(DOC_CLAIM),
                &(
                    Count,
                    FacetCollector::new(["kind", "source", "parties", "currency"])
                        .with_names(self.facet_names.clone()),
                ),
            )
            .map_err(|e| self.err(e))?;
        let mut article_facets = searcher
            .search(
                &self.type_query(DOC_ARTICLE),
                &FacetCollector::new(["source"]).with_names(self.facet_names.clone()),
            )
            .map_err(|e| self.err(e))?;
        let take = |v: &mut Vec<BTreeMap<String, u64>>, i: usize| {
            v.get_mut(i).map(std::mem::take).unwrap_or_default()
        };
        Ok(Stats {
            schema_version: SCHEMA_VERSION,
            articles,
            duplicates,
            claims: claims as u64,
            articles_by_source: take(&mut article_facets, 0),
            claims_by_kind: take(&mut claim_facets, 0),
            claims_by_source: take(&mut claim_facets, 1),
            claims_by_party: take(&mut claim_facets, 2),
            claims_by_currency: take(&mut claim_facets, 3),
            index_bytes: dir_bytes(&self.dir),
        })
    }

    /// Every claim with its article's URL, source, title and date, in index order.
    pub fn iter_claims(&self) -> ClaimIter {
        ClaimIter {
            walk: DocWalk::new(self.clone(), DOC_CLAIM),
        }
    }

    /// Every article's id, source, date and text, in index order (duplicates included).
    pub fn iter_articles(&self) -> ArticleIter {
        ArticleIter {
            walk: DocWalk::new(self.clone(), DOC_ARTICLE),
        }
    }
}

fn first_doc(
    searcher: &Searcher,
    query: &dyn tantivy::query::Query,
) -> tantivy::Result<Option<DocAddress>> {
    let top = searcher.search(query, &tantivy::collector::TopDocs::with_limit(1))?;
    Ok(top.first().map(|(_, address)| *address))
}

pub(crate) fn stored_str(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<&str> {
    doc.get_first(field).and_then(|v| v.as_str())
}

/// The text of an article stored without it: its raw input (a JSON object) holds it
/// (see [`RawInput::text_in_body`]). Every stored article has a text, so an empty one
/// means this.
fn text_from_raw(raw_body: &str) -> Result<String, String> {
    text_of_json_object(raw_body)
        .ok_or_else(|| "stored article without its text, and its raw input holds none".to_string())
}

/// Reads the stored fields of an article document.
pub(crate) fn stored_article(
    doc: &TantivyDocument,
    fields: &StoredFields,
) -> Result<StoredArticle, String> {
    let article_json =
        stored_str(doc, fields.article).ok_or("article document without stored article")?;
    let mut article: Article =
        serde_json::from_str(article_json).map_err(|e| format!("stored article: {e}"))?;
    let raw_body = stored_str(doc, fields.raw_body).unwrap_or_default();
    if article.text.is_empty() {
        article.text = text_from_raw(raw_body)?;
    }
    let extraction: Extraction = match stored_str(doc, fields.extraction) {
        Some(json) => serde_json::from_str(json).map_err(|e| format!("stored extraction: {e}"))?,
        None => Extraction::default(),
    };
    Ok(StoredArticle {
        article,
        extraction,
        raw_format: stored_str(doc, fields.raw_format)
            .unwrap_or_default()
            .to_string(),
        raw_body: raw_body.to_string(),
        duplicate_of: fields
            .duplicate_of
            .and_then(|field| stored_str(doc, field))
            .map(str::to_string),
    })
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Alive documents of one type of one segment, from the `doc_type` postings.
pub(crate) fn docs_of_type(segment: &SegmentReader, term: &Term) -> tantivy::Result<Vec<DocId>> {
    let inverted = segment.inverted_index(term.field())?;
    let mut docs = Vec::new();
    if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                docs.push(doc);
            }
            doc = postings.advance();
        }
    }
    Ok(docs)
}

/// Walks the stored documents of one type, segment by segment.
struct DocWalk {
    reader: Reader,
    searcher: Searcher,
    term: Term,
    segment: usize,
    docs: Vec<DocId>,
    next: usize,
    store: Option<StoreReader>,
    failed: bool,
}

impl DocWalk {
    fn new(reader: Reader, doc_type: &str) -> DocWalk {
        let searcher = reader.searcher();
        let term = Term::from_field_text(reader.fields.doc_type, doc_type);
        DocWalk {
            reader,
            searcher,
            term,
            segment: 0,
            docs: Vec::new(),
            next: 0,
            store: None,
            failed: false,
        }
    }

    fn next_doc(&mut self) -> Option<Result<TantivyDocument, StoreError>> {
        if self.failed {
            return None;
        }
        loop {
            if let (Some(store), Some(&doc)) = (&self.store, self.docs.get(self.next)) {
                self.next += 1;
                return Some(store.get(doc).map_err(|e| self.reader.err(e)));
            }
            let segment = self.searcher.segment_readers().get(self.segment)?;
            self.segment += 1;
            self.next = 0;
            let opened = docs_of_type(segment, &self.term)
                .and_then(|docs| Ok((docs, segment.get_store_reader(64)?)));
            match opened {
                Ok((docs, store)) => {
                    self.docs = docs;
                    self.store = Some(store);
                }
                Err(e) => {
                    self.failed = true;
                    return Some(Err(self.reader.err(e)));
                }
            }
        }
    }
}

/// Iterator over every claim (see [`Reader::iter_claims`]).
pub struct ClaimIter {
    walk: DocWalk,
}

impl Iterator for ClaimIter {
    type Item = Result<SourcedClaim, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.walk.next_doc()?;
        Some(doc.and_then(|doc| self.walk.reader.sourced_claim(&doc)))
    }
}

/// Iterator over every article's text (see [`Reader::iter_articles`]).
pub struct ArticleIter {
    walk: DocWalk,
}

impl Iterator for ArticleIter {
    type Item = Result<ArticleText, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        let doc = self.walk.next_doc()?;
        Some(doc.and_then(|doc| {
            let json = stored_str(&doc, self.walk.reader.fields.article).ok_or_else(|| {
                self.walk
                    .reader
                    .err("article document without stored article")
            })?;
            let article: Article = serde_json::from_str(json)
                .map_err(|e| self.walk.reader.err(format!("stored article: {e}")))?;
            let text = if article.text.is_empty() {
                let raw_body = stored_str(&doc, self.walk.reader.fields.raw_body);
                text_from_raw(raw_body.unwrap_or_default()).map_err(|e| self.walk.reader.err(e))?
            } else {
                article.text
            };
            Ok(ArticleText {
                id: article.id,
                source: article.source,
                published: article.published,
                text,
            })
        }))
    }
}
