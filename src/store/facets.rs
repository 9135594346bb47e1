//! A collector counting the values of string fast fields (kind, party, source, currency)
//! over the matching documents.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, Column, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentReader};

/// Largest dictionary whose values [`FacetNames`] keeps (party names, sources, kinds and
/// currencies stay far below it).
const MAX_REMEMBERED_TERMS: usize = 100_000;
/// Segment columns remembered before the memory is cleared (segments come and go as the
/// index is merged).
const MAX_REMEMBERED_COLUMNS: usize = 256;

/// The values of one column of one segment, in ordinal order, by segment and field name.
type ColumnNames = HashMap<(SegmentId, String), Arc<Vec<String>>>;

/// The values of string fast-field columns, by segment and field, read once and shared by
/// the searches of a [`crate::store::Reader`] (segments never change once written).
#[derive(Debug, Clone, Default)]
pub struct FacetNames {
    columns: Arc<Mutex<ColumnNames>>,
}

impl FacetNames {
    /// Every value of the column, in ordinal order; `None` when the dictionary is too large
    /// to keep or cannot be read.
    fn of(&self, segment: SegmentId, field: &str, column: &StrColumn) -> Option<Arc<Vec<String>>> {
        let key = (segment, field.to_string());
        if let Ok(columns) = self.columns.lock() {
            if let Some(names) = columns.get(&key) {
                return Some(names.clone());
            }
        }
        let count = column.num_terms();
        if count > MAX_REMEMBERED_TERMS {
            return None;
        }
        let mut names = Vec::with_capacity(count);
        column
            .dictionary()
            .sorted_ords_to_term_cb(0..count as u64, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
                Ok(())
            })
            .ok()?;
        if names.len() != count {
            return None;
        }
        let names = Arc::new(names);
        if let Ok(mut columns) = self.columns.lock() {
            if columns.len() >= MAX_REMEMBERED_COLUMNS {
                columns.clear();
            }
            columns.insert(key, names.clone());
        }
        Some(names)
    }
}

/// Counts, per named string fast field, how many matching documents carry each value.
#[derive(Debug, Clone)]
pub struct FacetCollector {
    fields: Vec<String>,
    names: Option<FacetNames>,
}

impl FacetCollector {
    /// Counts the values of these string fast fields.
    pub fn new<S: Into<String>>(fields: impl IntoIterator<Item = S>) -> FacetCollector {
        FacetCollector {
            fields: fields.into_iter().map(Into::into).collect(),
            names: None,
        }
    }

    /// Reads value names through `names`, which keeps them from one search to the next.
    pub fn with_names(mut self, names: FacetNames) -> FacetCollector {
        self.names = Some(names);
        self
    }
}

/// Per field (in the collector's order): value → number of matching documents.
pub type FacetCounts = Vec<BTreeMap<String, u64>>;

/// One string column of one segment, with a count per term ordinal.
struct CountedColumn {
    column: StrColumn,
    /// The ordinals, when each document has at most one (the common, faster case).
    single: Option<Column<u64>>,
    counts: Vec<u64>,
    /// Every value in ordinal order, when known in advance.
    names: Option<Arc<Vec<String>>>,
}

/// Per-segment part of [`FacetCollector`].
pub struct FacetSegmentCollector {
    columns: Vec<Option<CountedColumn>>,
    ords: Vec<Option<u64>>,
    doc_ids: Vec<DocId>,
    row_ids: Vec<u32>,
    values: Vec<u64>,
    /// Documents handed over one at a time, counted a block at a time.
    pending: Vec<DocId>,
}

/// Documents gathered before they are counted together.
const PENDING_BLOCK: usize = 64;

impl FacetSegmentCollector {
    fn count_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        self.collect_block(&pending);
        self.pending = pending;
        self.pending.clear();
    }
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: u32,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let mut columns = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = segment.fast_fields().str(field)?;
            columns.push(column.map(|column| {
                let single = (column.ords().get_cardinality() != Cardinality::Multivalued)
                    .then(|| column.ords().clone());
                let names = self
                    .names
                    .as_ref()
                    .and_then(|names| names.of(segment.segment_id(), field, &column));
                CountedColumn {
                    counts: vec![0u64; column.num_terms()],
                    column,
                    single,
                    names,
                }
            }));
        }
        Ok(FacetSegmentCollector {
            columns,
            ords: Vec::new(),
            doc_ids: Vec::new(),
            row_ids: Vec::new(),
            values: Vec::new(),
            pending: Vec::with_capacity(PENDING_BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut fruits = fruits.into_iter();
        let mut merged: FacetCounts = fruits
            .next()
            .unwrap_or_else(|| vec![BTreeMap::new(); self.fields.len()]);
        for fruit in fruits {
            for (into, counts) in merged.iter_mut().zip(fruit) {
                for (value, count) in counts {
                    *into.entry(value).or_insert(0) += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.pending.push(doc);
        if self.pending.len() >= PENDING_BLOCK {
            self.count_pending();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for counted in self.columns.iter_mut().flatten() {
            if let Some(single) = &counted.single {
                self.ords.clear();
                self.ords.resize(docs.len(), None);
                single.first_vals(docs, &mut self.ords);
                for ord in self.ords.iter().flatten() {
                    if let Some(count) = counted.counts.get_mut(*ord as usize) {
                        *count += 1;
                    }
                }
                continue;
            }
            // Several values a document: translate the block to value rows, read them at once.
            let ords = counted.column.ords();
            self.doc_ids.clear();
            self.row_ids.clear();
            ords.row_ids_for_docs(docs, &mut self.doc_ids, &mut self.row_ids);
            self.values.clear();
            self.values.resize(self.row_ids.len(), 0);
            ords.values.get_vals(&self.row_ids, &mut self.values);
            for ord in &self.values {
                if let Some(count) = counted.counts.get_mut(*ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(mut self) -> FacetCounts {
        self.count_pending();
        let mut out = Vec::with_capacity(self.columns.len());
        for column in self.columns {
            let mut map: BTreeMap<String, u64> = BTreeMap::new();
            if let Some(CountedColumn {
                counts,
                names: Some(names),
                ..
            }) = &column
            {
                for (ord, count) in counts.iter().enumerate() {
                    if let (true, Some(name)) = (*count > 0, names.get(ord)) {
                        *map.entry(name.clone()).or_insert(0) += count;
                    }
                }
            } else if let Some(CountedColumn { column, counts, .. }) = column {
                // Ordinals in increasing order, resolved in one pass over the dictionary.
                let found: Vec<(u64, u64)> = counts
                    .into_iter()
                    .enumerate()
                    .filter(|(_, count)| *count > 0)
                    .map(|(ord, count)| (ord as u64, count))
                    .collect();
                let mut names: Vec<String> = Vec::with_capacity(found.len());
                let resolved = column.dictionary().sorted_ords_to_term_cb(
                    found.iter().map(|(ord, _)| *ord),
                    |bytes| {
                        names.push(String::from_utf8_lossy(bytes).into_owned());
                        Ok(())
                    },
                );
                if resolved.is_ok() {
                    for (name, (_, count)) in names.into_iter().zip(found) {
                        *map.entry(name).or_insert(0) += count;
                    }
                }
            }
            out.push(map);
        }
        out
    }
}
