//! Search: claims and articles in the index.
//!
//! [`search`] takes a [`SearchRequest`]: free text (BM25 over claim sentences, the article
//! titles and the party names, or over article titles and texts in articles mode) plus
//! filters, given as fields of the request or as tokens inside the query string
//! (`party:AWS kind:debt value:>50M source:"The Ledger Post" since:2023-01-01 currency:EUR`,
//! see [`query::parse_filters`]). Filters from both places add up.

pub mod query;

use std::collections::BTreeMap;
use std::ops::{Bound, Range};

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Order, Searcher, TantivyDocument, Term};

use crate::model::{Article, ClaimKind, SourcedClaim};
use crate::store::facets::{FacetCollector, FacetNames};
use crate::store::schema::{Fields, DOC_ARTICLE, DOC_CLAIM};
use crate::store::{Reader, StoreError};
pub use query::{parse_amount, parse_filters, QueryFilters, QueryProblem};

/// Default number of hits.
pub const DEFAULT_LIMIT: usize = 20;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best BM25 match first (newest first when there is no free text).
    #[default]
    Relevance,
    /// Largest amount first (in US dollars when the request's `usd` is set).
    Value,
    /// Newest first.
    Date,
}

/// A search: query string plus filters.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    /// Free text, possibly with filter tokens (`party:AWS value:>50M ...`).
    pub query: String,
    /// Parties that must all be named (aliases resolve).
    pub parties: Vec<String>,
    /// Kinds, any of.
    pub kinds: Vec<ClaimKind>,
    /// Sources, any of (exact name, case-insensitive).
    pub sources: Vec<String>,
    /// Currency codes, any of.
    pub currencies: Vec<String>,
    /// Least amount (inclusive).
    pub min_value: Option<f64>,
    /// Greatest amount (inclusive).
    pub max_value: Option<f64>,
    /// Compare amounts in US dollars (approximate, yearly average rates).
    pub usd: bool,
    /// Published on or after.
    pub since: Option<NaiveDate>,
    /// Published on or before.
    pub until: Option<NaiveDate>,
    /// Search articles instead of claims.
    pub articles: bool,
    /// Number of hits to return.
    pub limit: usize,
    /// Order of hits.
    pub sort: SortOrder,
    /// Count kinds, parties, sources and currencies over all matches.
    pub facets: bool,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            parties: Vec::new(),
            kinds: Vec::new(),
            sources: Vec::new(),
            currencies: Vec::new(),
            min_value: None,
            max_value: None,
            usd: false,
            since: None,
            until: None,
            articles: false,
            limit: DEFAULT_LIMIT,
            sort: SortOrder::Relevance,
            facets: false,
        }
    }
}

impl SearchRequest {
    /// A claim search for `query` with default settings.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..SearchRequest::default()
        }
    }
}

/// Text with the byte ranges to highlight.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Highlighted {
    /// The text shown (a claim's whole sentence, or a passage of an article).
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub ranges: Vec<Range<usize>>,
}

/// An article found in articles mode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleHit {
    /// Article id.
    pub id: String,
    /// URL.
    pub url: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Published date as given.
    pub published: Option<String>,
}

/// What a hit is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HitItem {
    /// A claim with its article's facts.
    Claim(Box<SourcedClaim>),
    /// An article.
    Article(ArticleHit),
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The claim or article.
    pub item: HitItem,
    /// BM25 score, when hits are ordered by relevance to free text.
    pub score: Option<f32>,
    /// The matching text, with highlights.
    pub snippet: Highlighted,
}

/// Counts over every matching claim (or article), largest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    /// By claim kind.
    pub kinds: Vec<(String, u64)>,
    /// By canonical party name.
    pub parties: Vec<(String, u64)>,
    /// By source.
    pub sources: Vec<(String, u64)>,
    /// By currency.
    pub currencies: Vec<(String, u64)>,
}

/// The answer to a search.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching claims (or articles).
    pub total: usize,
    /// The best `limit` hits in the requested order.
    pub hits: Vec<Hit>,
    /// Counts over all matches, when asked for.
    pub facets: Option<Facets>,
}

/// Errors of a search.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query string or a filter is malformed.
    #[error("{}", describe_problem(.query, .position, .reason))]
    Query {
        /// The query string.
        query: String,
        /// Character position of the problem, when known.
        position: Option<usize>,
        /// What is wrong.
        reason: String,
    },
    /// The index could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe_problem(query: &str, position: &Option<usize>, reason: &str) -> String {
    match position {
        Some(position) => {
            let caret = " ".repeat(*position);
            format!("bad query: {reason}\n  {query}\n  {caret}^")
        }
        None => format!("bad query: {reason}\n  {query}"),
    }
}

/// Whether a `-` or `+` standing alone (at the start, or after white space or `(`) is
/// followed by white space and then `*`: text on which tantivy's query grammar panics.
fn sign_stands_before_star(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        let alone = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'(');
        if !(alone && (b == b'-' || b == b'+')) {
            return false;
        }
        let rest = &bytes[i + 1..];
        let spaces = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        spaces > 0 && rest.get(spaces) == Some(&b'*')
    })
}

fn bad(request: &SearchRequest, position: Option<usize>, reason: impl Into<String>) -> SearchError {
    SearchError::Query {
        query: request.query.clone(),
        position,
        reason: reason.into(),
    }
}

/// Runs a search. `party_names` gives every name of the party a name denotes (canonical name
/// and aliases), so that `party:AWS` also finds claims naming "Amazon Web Services".
pub fn search(
    reader: &Reader,
    request: &SearchRequest,
    party_names: &dyn Fn(&str) -> Vec<String>,
) -> Result<SearchResults, SearchError> {
    let mut filters =
        parse_filters(&request.query).map_err(|p| bad(request, Some(p.position), p.reason))?;
    merge_request_filters(&mut filters, request)?;
    let searcher = reader.searcher();
    let fields = reader.fields();
    let plan = Plan::build(reader, &filters, request, party_names)?;
    if request.articles {
        search_articles(reader, &searcher, fields, &plan, request)
    } else {
        search_claims(reader, &searcher, fields, &plan, request)
    }
}

fn merge_request_filters(
    filters: &mut QueryFilters,
    request: &SearchRequest,
) -> Result<(), SearchError> {
    filters.parties.extend(request.parties.iter().cloned());
    filters.kinds.extend(request.kinds.iter().copied());
    filters.sources.extend(request.sources.iter().cloned());
    filters
        .currencies
        .extend(request.currencies.iter().map(|c| c.to_ascii_uppercase()));
    let request_has_values = request.min_value.is_some() || request.max_value.is_some();
    let query_has_values = filters.min_value.is_some() || filters.max_value.is_some();
    if request_has_values && query_has_values && request.usd != filters.usd {
        return Err(bad(
            request,
            None,
            "the value range is given both in the claim's currency and in US dollars",
        ));
    }
    if request_has_values || !query_has_values {
        filters.usd = request.usd;
    }
    filters.min_value = filters.min_value.or(request.min_value);
    filters.max_value = filters.max_value.or(request.max_value);
    filters.since = filters.since.or(request.since);
    filters.until = filters.until.or(request.until);
    for value in [filters.min_value, filters.max_value].into_iter().flatten() {
        if !value.is_finite() {
            return Err(bad(request, None, "amount bounds must be finite numbers"));
        }
    }
    if let (Some(min), Some(max)) = (filters.min_value, filters.max_value) {
        if min > max {
            return Err(bad(
                request,
                None,
                format!("the least amount {min} is above the greatest {max}"),
            ));
        }
    }
    if let (Some(since), Some(until)) = (filters.since, filters.until) {
        if since > until {
            return Err(bad(
                request,
                None,
                format!("since {since} is after until {until}"),
            ));
        }
    }
    Ok(())
}

/// The query to run: the scored full-text part and the filters.
struct Plan {
    text: Option<Box<dyn Query>>,
    query: Box<dyn Query>,
    value_field: &'static str,
}

impl Plan {
    fn build(
        reader: &Reader,
        filters: &QueryFilters,
        request: &SearchRequest,
        party_names: &dyn Fn(&str) -> Vec<String>,
    ) -> Result<Plan, SearchError> {
        let f = reader.fields();
        let claims_only = !filters.parties.is_empty()
            || !filters.kinds.is_empty()
            || !filters.currencies.is_empty()
            || filters.min_value.is_some()
            || filters.max_value.is_some();
        if request.articles && claims_only {
            return Err(bad(
                request,
                None,
                "party, kind, currency and value filters apply to claims; drop them to search articles",
            ));
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

        let text = if filters.text.trim().is_empty() {
            None
        } else {
            let default_fields = if request.articles {
                vec![f.title, f.text]
            } else {
                vec![f.sentence, f.title, f.party_names]
            };
            let mut parser = QueryParser::for_index(reader.index(), default_fields);
            parser.set_conjunction_by_default();
            if !request.articles {
                parser.set_field_boost(f.title, 0.5);
            }
            if sign_stands_before_star(&filters.text) {
                return Err(bad(
                    request,
                    None,
                    format!(
                        "a lone `-` or `+` before `*` cannot be read (in the free text {:?}); \
                         join the sign to a word, or drop it",
                        filters.text
                    ),
                ));
            }
            // tantivy's query grammar has panicked on odd input before: a panic there is
            // reported as a query that cannot be read, never a crash
            let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                parser.parse_query(&filters.text)
            }))
            .map_err(|_| {
                bad(
                    request,
                    None,
                    format!("the free text {:?} cannot be read as a query", filters.text),
                )
            })?
            .map_err(|e| {
                bad(
                    request,
                    None,
                    format!("{e} (in the free text {:?})", filters.text),
                )
            })?;
            Some(parsed)
        };
        if let Some(text) = &text {
            clauses.push((Occur::Must, text.box_clone()));
        }

        for party in &filters.parties {
            clauses.push((Occur::Must, filter(party_query(reader, party, party_names))));
        }
        if !filters.kinds.is_empty() {
            let any: Vec<Box<dyn Query>> = filters
                .kinds
                .iter()
                .map(|k| term_query(f.kind, k.as_str()))
                .collect();
            clauses.push((Occur::Must, filter(any_of(any))));
        }
        if !filters.sources.is_empty() {
            let any = filters
                .sources
                .iter()
                .map(|s| term_query(f.source, &s.to_lowercase()))
                .collect();
            clauses.push((Occur::Must, filter(any_of(any))));
        }
        if !filters.currencies.is_empty() {
            let any = filters
                .currencies
                .iter()
                .map(|c| term_query(f.currency, &c.to_lowercase()))
                .collect();
            clauses.push((Occur::Must, filter(any_of(any))));
        }
        let value_field = if filters.usd { "value_usd" } else { "value" };
        if filters.min_value.is_some() || filters.max_value.is_some() {
            let field = if filters.usd { f.value_usd } else { f.value };
            let bound = |v: Option<f64>| match v {
                Some(v) => Bound::Included(Term::from_field_f64(field, v)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                filter(Box::new(RangeQuery::new(
                    bound(filters.min_value),
                    bound(filters.max_value),
                ))),
            ));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let lower = match filters.since.and_then(day_start) {
                Some(d) => Bound::Included(Term::from_field_date(f.published, d)),
                None => Bound::Unbounded,
            };
            let upper = match filters.until.and_then(|d| d.succ_opt()).and_then(day_start) {
                Some(d) => Bound::Excluded(Term::from_field_date(f.published, d)),
                None => Bound::Unbounded,
            };
            if !matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
                clauses.push((Occur::Must, filter(Box::new(RangeQuery::new(lower, upper)))));
            }
        }
        // Restrict to the document type searched. Party, kind, currency and value filters
        // match claim documents only, so they need no type clause; free text (which also
        // matches article titles) leaves out the articles, the smaller set to step over.
        let type_clause = if request.articles {
            Some((Occur::Must, filter(term_query(f.doc_type, DOC_ARTICLE))))
        } else if claims_only {
            None
        } else if text.is_some() {
            Some((Occur::MustNot, term_query(f.doc_type, DOC_ARTICLE)))
        } else {
            Some((Occur::Must, filter(term_query(f.doc_type, DOC_CLAIM))))
        };
        if let Some(clause) = type_clause {
            clauses.insert(0, clause);
        }
        Ok(Plan {
            text,
            query: Box::new(BooleanQuery::new(clauses)),
            value_field,
        })
    }
}

fn day_start(date: NaiveDate) -> Option<DateTime> {
    Some(DateTime::from_timestamp_secs(
        date.and_hms_opt(0, 0, 0)?.and_utc().timestamp(),
    ))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// A clause that restricts without adding to the score.
fn filter(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        if let Some(q) = queries.pop() {
            return q;
        }
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Claims naming the party. When the alias lookup knows the name, by the canonical names it
/// gives (exact terms, fast); otherwise by the name itself as a canonical name, or by its
/// words among the names and aliases indexed with the claims.
fn party_query(
    reader: &Reader,
    party: &str,
    party_names: &dyn Fn(&str) -> Vec<String>,
) -> Box<dyn Query> {
    let f = reader.fields();
    let mut names = party_names(party);
    let known = !names.is_empty();
    names.push(party.to_string());
    let mut lowered: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lowered.sort();
    lowered.dedup();
    let mut any: Vec<Box<dyn Query>> = lowered.iter().map(|n| term_query(f.parties, n)).collect();
    if !known {
        if let Some(words) = words_query(reader, f.party_names, party) {
            any.push(words);
        }
    }
    any_of(any)
}

/// The words of `text` as a term or phrase query on a tokenised field.
fn words_query(reader: &Reader, field: Field, text: &str) -> Option<Box<dyn Query>> {
    let mut analyzer = reader.index().tokenizer_for_field(field).ok()?;
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(Term::from_field_text(field, &stream.token().text));
    }
    match terms.len() {
        0 => None,
        1 => terms
            .pop()
            .map(|t| Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

/// Hits in order with their scores, the number of matches, and facet counts when asked for.
type Collected = (
    Vec<(Option<f32>, DocAddress)>,
    usize,
    Option<crate::store::facets::FacetCounts>,
);

/// Runs the plan, returning hits in order with their scores, the total and facet counts,
/// all from one pass over the matches.
fn collect(
    searcher: &Searcher,
    plan: &Plan,
    request: &SearchRequest,
    facet_fields: &[&str],
    names: &FacetNames,
) -> Result<Collected, String> {
    let limit = request.limit.max(1);
    let sort = match (request.sort, &plan.text) {
        (SortOrder::Relevance, None) => SortOrder::Date,
        (sort, _) => sort,
    };
    let query = &*plan.query;
    let facets = request
        .facets
        .then(|| FacetCollector::new(facet_fields.iter().copied()).with_names(names.clone()));
    // One pass over the matches gives the hits, the total and the facet counts together.
    let (top, total, facets): (Vec<(Option<f32>, DocAddress)>, _, _) = match sort {
        SortOrder::Relevance => {
            let (top, total, facets) =
                one_pass(searcher, query, TopDocs::with_limit(limit), facets)?;
            let top = top.into_iter().map(|(s, a)| (Some(s), a)).collect();
            (top, total, facets)
        }
        SortOrder::Value => {
            let collector = TopDocs::with_limit(limit)
                .order_by_fast_field::<f64>(plan.value_field, Order::Desc);
            let (top, total, facets) = one_pass(searcher, query, collector, facets)?;
            let top = top.into_iter().map(|(_, a)| (None, a)).collect();
            (top, total, facets)
        }
        SortOrder::Date => {
            let collector = TopDocs::with_limit(limit)
                .order_by_fast_field::<DateTime>("published", Order::Desc);
            let (top, total, facets) = one_pass(searcher, query, collector, facets)?;
            let top = top.into_iter().map(|(_, a)| (None, a)).collect();
            (top, total, facets)
        }
    };
    Ok((top, total, facets))
}

/// Runs `query` once, collecting the top hits, the number of matches and, when given,
/// the facet counts.
fn one_pass<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    top: C,
    facets: Option<FacetCollector>,
) -> Result<(C::Fruit, usize, Option<crate::store::facets::FacetCounts>), String> {
    match facets {
        Some(facets) => {
            let (top, total, counts) = searcher
                .search(query, &(top, Count, facets))
                .map_err(|e| e.to_string())?;
            Ok((top, total, Some(counts)))
        }
        None => {
            let (top, total) = searcher
                .search(query, &(top, Count))
                .map_err(|e| e.to_string())?;
            Ok((top, total, None))
        }
    }
}

fn sorted_counts(map: Option<BTreeMap<String, u64>>) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = map.unwrap_or_default().into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}

fn search_claims(
    reader: &Reader,
    searcher: &Searcher,
    f: &Fields,
    plan: &Plan,
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let (top, total, facets) = collect(
        searcher,
        plan,
        request,
        &["kind", "parties", "source", "currency"],
        reader.facet_names(),
    )
    .map_err(|e| SearchError::Store(reader.err(e)))?;
    let snippets = match &plan.text {
        Some(text) => {
            let mut generator = SnippetGenerator::create(searcher, &**text, f.sentence)
                .map_err(|e| SearchError::Store(reader.err(e)))?;
            generator.set_max_num_chars(1000);
            Some(generator)
        }
        None => None,
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| SearchError::Store(reader.err(e)))?;
        let claim = reader.sourced_claim(&doc)?;
        let snippet = highlight_whole(snippets.as_ref(), &claim.claim.sentence.text);
        hits.push(Hit {
            item: HitItem::Claim(Box::new(claim)),
            score,
            snippet,
        });
    }
    let facets = facets.map(|mut counts| {
        let mut take = |i: usize| sorted_counts(counts.get_mut(i).map(std::mem::take));
        Facets {
            kinds: take(0),
            parties: take(1),
            sources: take(2),
            currencies: take(3),
        }
    });
    Ok(SearchResults {
        total,
        hits,
        facets,
    })
}

/// The whole `text` with the query's words highlighted.
fn highlight_whole(generator: Option<&SnippetGenerator>, text: &str) -> Highlighted {
    let mut out = Highlighted {
        text: text.to_string(),
        ranges: Vec::new(),
    };
    let Some(generator) = generator else {
        return out;
    };
    let snippet = generator.snippet(text);
    if snippet.is_empty() {
        return out;
    }
    if let Some(offset) = text.find(snippet.fragment()) {
        out.ranges = snippet
            .highlighted()
            .iter()
            .map(|r| r.start + offset..r.end + offset)
            .filter(|r| r.end <= text.len())
            .collect();
    }
    out
}

fn search_articles(
    reader: &Reader,
    searcher: &Searcher,
    f: &Fields,
    plan: &Plan,
    request: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let (top, total, facets) = collect(searcher, plan, request, &["source"], reader.facet_names())
        .map_err(|e| SearchError::Store(reader.err(e)))?;
    let snippets = match &plan.text {
        Some(text) => {
            let mut generator = SnippetGenerator::create(searcher, &**text, f.text)
                .map_err(|e| SearchError::Store(reader.err(e)))?;
            generator.set_max_num_chars(240);
            Some(generator)
        }
        None => None,
    };
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| SearchError::Store(reader.err(e)))?;
        let stored = reader.stored_article(&doc)?;
        let article: Article = stored.article;
        let snippet = match &snippets {
            Some(generator) => {
                let snippet = generator.snippet(&article.text);
                if snippet.is_empty() {
                    opening(&article.text)
                } else {
                    Highlighted {
                        text: snippet.fragment().to_string(),
                        ranges: snippet.highlighted().to_vec(),
                    }
                }
            }
            None => opening(&article.text),
        };
        hits.push(Hit {
            item: HitItem::Article(ArticleHit {
                id: article.id,
                url: article.url,
                source: article.source,
                title: article.title,
                published: article.published,
            }),
            score,
            snippet,
        });
    }
    let facets = facets.map(|mut counts| Facets {
        sources: sorted_counts(counts.get_mut(0).map(std::mem::take)),
        ..Facets::default()
    });
    Ok(SearchResults {
        total,
        hits,
        facets,
    })
}

/// The first 240 characters of a text, cut at a word boundary.
fn opening(text: &str) -> Highlighted {
    let end = text
        .char_indices()
        .nth(240)
        .map(|(i, _)| text[..i].rfind(' ').unwrap_or(i))
        .unwrap_or(text.len());
    Highlighted {
        text: text[..end].to_string(),
        ranges: Vec::new(),
    }
}
