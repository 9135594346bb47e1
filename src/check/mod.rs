//! Check: cross-source consistency of claims.
//!
//! [`check`] (or [`check_with`]) turns [`SourcedClaim`]s into [`Finding`]s:
//!
//! 1. **Blocking.** Claims are grouped by fact key = (kind, unit of a price, set of parties
//!    resolved to their top-level parents). Only claims in the same block are compared, so a
//!    contract's value never meets an unpaid balance, and Twitter–AWS never meets Twitter–Google.
//!    Claims naming no party are not compared. A unit and its parent (AWS, Amazon) share a block;
//!    the finding then says so.
//! 2. **Currencies.** Within a block, amounts in another currency are converted to the block's
//!    most frequent currency (ties: USD) through a conversion stated in parentheses in the
//!    claim's own sentence ("€920 million ($1 billion)"), else a rate stated so in any claim,
//!    else the optional [`RateTable`] (±2 %); otherwise they are compared only with amounts in
//!    their own currency. The finding says which conversion was used.
//! 3. **Deals.** Claims with different start years are one deal when their amounts and terms
//!    are near (within [`CheckOptions::max_ratio`]) and no single article states both years;
//!    otherwise two deals ($510 million, 66 months, 2020 vs $500 million, 60 months, 2021: one
//!    deal with three contradictions; $40 million, two years, 2022 vs $350 million, seven
//!    years, 2024: two deals). Claims without a start year join the one deal they are near,
//!    form their own group when near none, and are left out when near several. Within a deal,
//!    two figures one article states side by side are two facts: another figure is compared
//!    only with the nearer of them.
//! 4. **Comparing.** Amounts are intervals ([`interval`]); terms and start years are whole
//!    numbers. Values are grouped into clusters that share a common point; two clusters that do
//!    not overlap disagree, unless their figures are further apart than `max_ratio` (2× by
//!    default: a part and the total, or another deal) or closer than `min_gap`. A later claim
//!    whose sentence signals a change (now, remaining, reduced, renegotiated, after ...; not
//!    the kind's own trigger such as "paid" for a payment) or a debt with a payment between the
//!    same parties reported in between makes one **update**; otherwise each independent source
//!    on the side with more of them (at most 8) gets a **contradiction** against the most
//!    distant claim of the other side from another source. Sources are independent when they
//!    differ in article, outlet and syndication cluster (see [`syndication`]). Hedged figures
//!    ("could climb to", "would have been") neither confirm nor contradict. A cluster of
//!    amounts with at least two independent sources is a **corroboration**. A negated or
//!    disputed claim beside an overlapping positive one from another article (or another
//!    sentence of the same article) is a **dispute**.
//! 5. **Counterparties.** Claims of one kind sharing one party and an overlapping bounded amount
//!    (in US dollars where a conversion is known; start years equal and terms near when given)
//!    whose other party differs and is not related give a **party** contradiction, plus a
//!    **term** contradiction when the pair also disagrees on the term.

pub mod interval;
pub mod syndication;

#[cfg(test)]
mod tests;

use crate::model::{
    Article, Attribute, ClaimKind, Extraction, Finding, FindingType, Qualifier, SourcedClaim,
};
use chrono::{DateTime, NaiveDate};
use interval::{format_amount, money_interval, qualifier_word, Interval};
use regex::Regex;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;
pub use syndication::Syndication;

/// How party names relate: the alias table of the extraction stage implements this.
pub trait PartyRelations {
    /// True when the two canonical names are the same organisation or one is part of the other.
    fn related(&self, a: &str, b: &str) -> bool;
    /// The parent organisation of a canonical name ("Amazon" for "AWS"), if any.
    fn parent_of(&self, name: &str) -> Option<String>;
}

/// No relations known: every name is its own top-level party.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRelations;

impl PartyRelations for NoRelations {
    fn related(&self, a: &str, b: &str) -> bool {
        a.eq_ignore_ascii_case(b)
    }
    fn parent_of(&self, _name: &str) -> Option<String> {
        None
    }
}

/// Relations from two functions: `parent_of(name)` and `related(a, b)`, e.g. over the
/// extraction stage's alias table:
/// `FnRelations(|n: &str| aliases.parent_of(n).map(str::to_string), |a: &str, b: &str| aliases.related(a, b))`.
pub struct FnRelations<P, R>(pub P, pub R);

impl<P, R> PartyRelations for FnRelations<P, R>
where
    P: Fn(&str) -> Option<String>,
    R: Fn(&str, &str) -> bool,
{
    fn related(&self, a: &str, b: &str) -> bool {
        (self.1)(a, b)
    }
    fn parent_of(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }
}

/// A small parent table (unit → parent), enough for tests and simple setups.
#[derive(Debug, Clone, Default)]
pub struct ParentTable {
    parents: HashMap<String, String>,
}

impl ParentTable {
    /// A table from `(unit, parent)` pairs of canonical names.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ParentTable {
        ParentTable {
            parents: pairs
                .into_iter()
                .map(|(u, p)| (u.to_lowercase(), p.to_string()))
                .collect(),
        }
    }
}

impl PartyRelations for ParentTable {
    fn related(&self, a: &str, b: &str) -> bool {
        root_of(self, a).eq_ignore_ascii_case(&root_of(self, b))
    }
    fn parent_of(&self, name: &str) -> Option<String> {
        self.parents.get(&name.to_lowercase()).cloned()
    }
}

/// Yearly exchange rates: the value in US dollars of one unit of `currency` in `year` (the
/// inverse of the `units per USD` column of `rules/fx/rates.tsv`).
pub trait RateTable {
    /// US dollars per unit of `currency` (ISO 4217) in `year`, when known.
    fn usd_per_unit(&self, currency: &str, year: i32) -> Option<f64>;
}

impl<F> RateTable for F
where
    F: Fn(&str, i32) -> Option<f64>,
{
    fn usd_per_unit(&self, currency: &str, year: i32) -> Option<f64> {
        self(currency, year)
    }
}

/// No exchange rates: different currencies compare only through conversions stated in text.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRates;

impl RateTable for NoRates {
    fn usd_per_unit(&self, currency: &str, _year: i32) -> Option<f64> {
        (currency == "USD").then_some(1.0)
    }
}

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Only claims naming this party (or a related one).
    pub party: Option<String>,
    /// Only claims of this kind.
    pub kind: Option<ClaimKind>,
    /// Only claims published on or after this day.
    pub since: Option<NaiveDate>,
    /// Only claims published on or before this day.
    pub until: Option<NaiveDate>,
    /// Ignore differences smaller than this fraction of the larger value (0.05 = 5 %).
    pub min_gap: f64,
    /// Figures further apart than this factor are different facts (a part and the total,
    /// another deal), not a disagreement; 2.0 by default, 0 or less than 1 for no limit.
    pub max_ratio: f64,
}

impl Default for CheckOptions {
    fn default() -> CheckOptions {
        CheckOptions {
            party: None,
            kind: None,
            since: None,
            until: None,
            min_gap: 0.0,
            max_ratio: 2.0,
        }
    }
}

/// Checks claims across sources; `texts` gives an article's text by id (for syndication
/// detection; `None` when unknown). No exchange-rate table is used.
pub fn check(
    claims: &[SourcedClaim],
    texts: &dyn Fn(&str) -> Option<String>,
    relations: &dyn PartyRelations,
    opts: &CheckOptions,
) -> Vec<Finding> {
    let mut ids: Vec<&str> = claims.iter().map(|c| c.article_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let syndication =
        Syndication::build(ids.into_iter().filter_map(|id| texts(id).map(|t| (id, t))));
    check_with(claims, &syndication, relations, &NoRates, opts)
}

/// Checks claims across sources with a prepared [`Syndication`] and an exchange-rate table.
pub fn check_with(
    claims: &[SourcedClaim],
    syndication: &Syndication,
    relations: &dyn PartyRelations,
    rates: &dyn RateTable,
    opts: &CheckOptions,
) -> Vec<Finding> {
    let checker = Checker::new(claims, syndication, relations, rates, opts);
    checker.run()
}

/// The claims of one article with the article facts a report needs beside them.
pub fn sourced_claims(article: &Article, extraction: &Extraction) -> Vec<SourcedClaim> {
    extraction
        .claims
        .iter()
        .map(|claim| SourcedClaim {
            claim: claim.clone(),
            article_id: article.id.clone(),
            url: article.url.clone(),
            source: article.source.clone(),
            title: article.title.clone(),
            published: article.published.clone(),
        })
        .collect()
}

/// The top-level parent of a canonical name (following `parent_of`, at most 8 steps).
pub fn root_of(relations: &dyn PartyRelations, name: &str) -> String {
    let mut current = name.to_string();
    for _ in 0..8 {
        match relations.parent_of(&current) {
            Some(p) if !p.eq_ignore_ascii_case(&current) => current = p,
            _ => break,
        }
    }
    current
}

/// Sortable time of an ISO 8601 date or date-time (seconds since the epoch).
pub fn published_time(published: Option<&str>) -> Option<i64> {
    let s = published?.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.timestamp());
    }
    let day = s.get(..10)?;
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
}

/// The interval a claim's amount allows, in its own currency (for reports).
pub fn claim_interval(claim: &SourcedClaim) -> Option<Interval> {
    money_interval(&claim.claim.amount)
}

struct Item<'a> {
    sc: &'a SourcedClaim,
    article: u32,
    source: u32,
    synd: u32,
    time: Option<i64>,
    /// Top-level parties, lower-cased, sorted, deduplicated.
    roots: Vec<String>,
    /// Amount interval in the comparison currency of its block.
    amount: Option<Interval>,
    /// Comparison currency.
    currency: Option<String>,
    /// How the amount was converted, when it was.
    conversion: Option<String>,
    /// A conversion its own sentence states: (currency, interval, words).
    own_conversion: Option<Box<(String, Interval, String)>>,
}

impl Item<'_> {
    fn same_origin(&self, other: &Item) -> bool {
        self.article == other.article || self.source == other.source || self.synd == other.synd
    }
    /// The figure names a point or a closed range, not an open bound ("up to", "at least").
    fn pointlike(&self) -> bool {
        let m = &self.sc.claim.amount;
        match m.qualifier {
            Qualifier::Exact | Qualifier::Approx | Qualifier::Range => true,
            Qualifier::AtLeast | Qualifier::AtMost => {
                self.amount.is_some_and(|a| a.is_bounded() && a.low > 0.0)
            }
        }
    }
    fn hedged(&self) -> bool {
        self.sc.claim.hedged
    }
    fn denies(&self) -> bool {
        self.sc.claim.negated || self.sc.claim.disputed
    }
}

fn update_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(paid|pays|paying|repaid|after|now|remaining|remains|reduced|renegotiat\w*|revised|restructur\w*|lowered|increased|extended|amended|outstanding|down from|up from|since then|settled)\b",
        )
        .unwrap_or_else(|_| unreachable_regex())
    })
}

fn unreachable_regex() -> Regex {
    // The pattern above is a constant; this fallback never matches anything.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("constant regex"))
}

fn norm_unit(per: &str) -> String {
    let p = per.trim().to_lowercase();
    let p = p.trim_start_matches("per ").trim_start_matches("a ").trim();
    if p.len() > 3 && p.ends_with('s') && !p.ends_with("ss") {
        p[..p.len() - 1].to_string()
    } else {
        p.to_string()
    }
}

type BlockKey = (ClaimKind, String, String);

struct Checker<'a> {
    items: Vec<Item<'a>>,
    relations: &'a dyn PartyRelations,
    rates: &'a dyn RateTable,
    opts: &'a CheckOptions,
    source_names: Vec<String>,
    /// Payment dates by party-root key, for the debt-update rule.
    payments: HashMap<String, Vec<i64>>,
    /// Conversion rates stated in the claims' sentences: (from, to) → (factor, note).
    stated: HashMap<(String, String), (f64, String)>,
}

struct Cluster {
    members: Vec<usize>,
    point: f64,
}

impl<'a> Checker<'a> {
    fn new(
        claims: &'a [SourcedClaim],
        syndication: &Syndication,
        relations: &'a dyn PartyRelations,
        rates: &'a dyn RateTable,
        opts: &'a CheckOptions,
    ) -> Checker<'a> {
        let mut article_ids: HashMap<&str, u32> = HashMap::new();
        let mut source_ids: HashMap<String, u32> = HashMap::new();
        let mut source_names: Vec<String> = Vec::new();
        let mut root_cache: HashMap<String, String> = HashMap::new();
        let party_filter = opts.party.as_ref().map(|p| p.trim().to_string());
        let party_filter_root = party_filter
            .as_ref()
            .map(|p| root_of(relations, p).to_lowercase());
        // Ids of articles and sources, and which stated rate is "first seen", follow the
        // order claims are read in: read in id order, the same claims give the same report
        // however they were ordered (an index's order depends on its indexing threads).
        let mut ordered: Vec<&'a SourcedClaim> = claims.iter().collect();
        ordered.sort_unstable_by(|a, b| {
            (&a.article_id, &a.claim.id).cmp(&(&b.article_id, &b.claim.id))
        });
        let mut items = Vec::with_capacity(claims.len());
        for sc in ordered {
            if opts.kind.is_some_and(|k| k != sc.claim.kind) {
                continue;
            }
            let time = published_time(sc.published.as_deref());
            if opts.since.is_some() || opts.until.is_some() {
                let day = sc
                    .published
                    .as_deref()
                    .and_then(|p| p.get(..10))
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let Some(day) = day else { continue };
                if opts.since.is_some_and(|s| day < s) || opts.until.is_some_and(|u| day > u) {
                    continue;
                }
            }
            let mut roots: Vec<String> = sc
                .claim
                .parties
                .iter()
                .filter(|p| !p.name.trim().is_empty())
                .map(|p| {
                    root_cache
                        .entry(p.name.clone())
                        .or_insert_with(|| root_of(relations, p.name.trim()).to_lowercase())
                        .clone()
                })
                .collect();
            roots.sort_unstable();
            roots.dedup();
            if roots.is_empty() {
                continue;
            }
            if let (Some(filter), Some(filter_root)) = (&party_filter, &party_filter_root) {
                let hit = roots.iter().any(|r| r == filter_root)
                    || sc.claim.parties.iter().any(|p| {
                        p.name.eq_ignore_ascii_case(filter) || relations.related(&p.name, filter)
                    });
                if !hit {
                    continue;
                }
            }
            let next = article_ids.len() as u32;
            let article = *article_ids.entry(sc.article_id.as_str()).or_insert(next);
            let source_key = match sc.source.as_deref().map(str::trim) {
                Some(s) if !s.is_empty() => s.to_lowercase(),
                _ => format!("\u{1}article:{}", sc.article_id),
            };
            let source = match source_ids.get(&source_key) {
                Some(id) => *id,
                None => {
                    let id = source_names.len() as u32;
                    source_names.push(
                        sc.source
                            .clone()
                            .filter(|s| !s.trim().is_empty())
                            .unwrap_or_else(|| sc.article_id.clone()),
                    );
                    source_ids.insert(source_key, id);
                    id
                }
            };
            let synd = syndication
                .cluster_of(&sc.article_id)
                .unwrap_or(u32::MAX - article);
            items.push(Item {
                sc,
                article,
                source,
                synd,
                time,
                roots,
                amount: money_interval(&sc.claim.amount),
                currency: sc.claim.amount.currency.clone(),
                conversion: None,
                own_conversion: interval::stated_conversion(
                    &sc.claim.sentence.text,
                    &sc.claim.amount.text,
                )
                .map(Box::new),
            });
        }
        let mut payments: HashMap<String, Vec<i64>> = HashMap::new();
        for item in &items {
            if item.sc.claim.kind == ClaimKind::Payment && !item.denies() {
                if let Some(t) = item.time {
                    payments
                        .entry(item.roots.join("\u{1f}"))
                        .or_default()
                        .push(t);
                }
            }
        }
        // Rates stated in text ("€920 million ($1 billion)"), first seen per currency pair.
        let mut stated: HashMap<(String, String), (f64, String)> = HashMap::new();
        for item in &items {
            let (Some(from), Some(own), Some(iv)) =
                (&item.currency, &item.own_conversion, item.amount)
            else {
                continue;
            };
            let (to, conv, words) = own.as_ref();
            if from == to || iv.point == 0.0 || conv.point == 0.0 {
                continue;
            }
            let source = item.sc.source.as_deref().unwrap_or(&item.sc.article_id);
            let note = format!(
                "{from} converted to {to} at the rate stated in {source} ({} = {words})",
                item.sc.claim.amount.text
            );
            stated
                .entry((from.clone(), to.clone()))
                .or_insert((conv.point / iv.point, note.clone()));
            stated
                .entry((to.clone(), from.clone()))
                .or_insert((iv.point / conv.point, note));
        }
        Checker {
            items,
            relations,
            rates,
            opts,
            source_names,
            payments,
            stated,
        }
    }

    fn run(mut self) -> Vec<Finding> {
        let mut blocks: BTreeMap<BlockKey, Vec<usize>> = BTreeMap::new();
        for (i, item) in self.items.iter().enumerate() {
            let per = item
                .sc
                .claim
                .amount
                .per
                .as_deref()
                .map(norm_unit)
                .unwrap_or_default();
            blocks
                .entry((item.sc.claim.kind, per, item.roots.join("\u{1f}")))
                .or_default()
                .push(i);
        }
        merge_single_party_blocks(&mut blocks);
        let mut out = Vec::new();
        for members in blocks.values() {
            for group in self.unify_currencies(members) {
                for deal in self.split_deals(&group) {
                    self.compare(&deal, Attribute::Amount, &mut out);
                    self.compare(&deal, Attribute::Term, &mut out);
                    self.compare(&deal, Attribute::StartYear, &mut out);
                }
            }
        }
        self.counterparties(&mut out);
        let rank = |t: FindingType| match t {
            FindingType::Contradiction => 0,
            FindingType::Corroboration => 1,
            FindingType::Update => 2,
            FindingType::Dispute => 3,
        };
        out.sort_by_key(|f| rank(f.finding_type));
        out
    }

    /// A conversion rate between two currencies stated somewhere in the claims (first seen),
    /// with a note saying where.
    fn stated_rate(&self, from: &str, to: &str) -> Option<&(f64, String)> {
        self.stated.get(&(from.to_string(), to.to_string()))
    }

    /// Converts the block's amounts to its most frequent currency where a stated conversion or
    /// the rate table allows, and returns the block split by comparison currency.
    fn unify_currencies(&mut self, members: &[usize]) -> Vec<Vec<usize>> {
        let mut counts: BTreeMap<Option<String>, usize> = BTreeMap::new();
        for &i in members {
            *counts.entry(self.items[i].currency.clone()).or_default() += 1;
        }
        if counts.len() <= 1 {
            return vec![members.to_vec()];
        }
        // Most frequent currency; ties go to USD, then to the first code.
        let primary = counts
            .iter()
            .filter_map(|(c, n)| c.as_ref().map(|c| (c, *n)))
            .max_by_key(|(c, n)| (*n, c.as_str() == "USD", std::cmp::Reverse((*c).clone())))
            .map(|(c, _)| c.clone());
        let mut groups: BTreeMap<Option<String>, Vec<usize>> = BTreeMap::new();
        for &i in members {
            let from = self.items[i].currency.clone();
            let mut target = from.clone();
            if let (Some(f), Some(p)) = (&from, &primary) {
                if f != p {
                    if let Some((cur, iv, words)) = self.items[i].own_conversion.as_deref().cloned()
                    {
                        if &cur == p {
                            let item = &mut self.items[i];
                            item.conversion = Some(format!(
                                "{} taken as {words}, the conversion its sentence states",
                                item.sc.claim.amount.text
                            ));
                            item.amount = Some(iv);
                            target = Some(p.clone());
                        }
                    }
                    if target.as_ref() != Some(p) {
                        if let Some((factor, note)) = self.stated_rate(f, p).cloned() {
                            let item = &mut self.items[i];
                            item.amount = item.amount.map(|iv| iv.scaled(factor));
                            item.conversion = Some(note);
                            target = Some(p.clone());
                        }
                    }
                    if target.as_ref() != Some(p) {
                        if let Some((factor, y)) = self.table_factor(i, f, p) {
                            let item = &mut self.items[i];
                            item.amount = item.amount.map(|iv| iv.scaled(factor).widened(0.02));
                            item.conversion = Some(format!(
                                "{f} converted to {p} at the bundled {y} rate (±2%)"
                            ));
                            target = Some(p.clone());
                        }
                    }
                }
            }
            self.items[i].currency = target.clone();
            groups.entry(target).or_default().push(i);
        }
        groups.into_values().collect()
    }

    /// Factor from `from` to `to` by the rate table, for the claim's publication year (else its
    /// start year).
    fn table_factor(&self, i: usize, from: &str, to: &str) -> Option<(f64, i32)> {
        let item = &self.items[i];
        let year = item
            .sc
            .published
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse::<i32>().ok())
            .or(item.sc.claim.start_year)?;
        let f = self.rates.usd_per_unit(from, year)?;
        let t = self.rates.usd_per_unit(to, year)?;
        (t > 0.0 && f > 0.0).then_some((f / t, year))
    }

    /// True when two figures are close enough to be the same fact (within `max_ratio`).
    fn near(&self, a: f64, b: f64) -> bool {
        let limit = self.opts.max_ratio;
        if limit.is_nan() || limit < 1.0 {
            return true;
        }
        let (lo, hi) = (a.abs().min(b.abs()), a.abs().max(b.abs()));
        if !hi.is_finite() || !lo.is_finite() {
            return true;
        }
        hi <= lo * limit
    }

    fn terms_near(&self, a: usize, b: usize) -> bool {
        match (
            self.items[a].sc.claim.term_months,
            self.items[b].sc.claim.term_months,
        ) {
            (Some(x), Some(y)) => self.near(f64::from(x), f64::from(y)),
            _ => true,
        }
    }

    /// Overlapping, or within the square root of `max_ratio` (√2 by default): close enough
    /// for a claim without a start year to join a dated deal.
    fn amounts_close(&self, a: usize, b: usize) -> bool {
        match (self.items[a].amount, self.items[b].amount) {
            (Some(x), Some(y)) => {
                let limit = self.opts.max_ratio;
                if x.overlaps(&y) || limit.is_nan() || limit < 1.0 {
                    return true;
                }
                let (lo, hi) = (
                    x.point.abs().min(y.point.abs()),
                    x.point.abs().max(y.point.abs()),
                );
                hi.is_finite() && hi <= lo * limit.sqrt()
            }
            _ => true,
        }
    }

    fn amounts_near(&self, a: usize, b: usize) -> bool {
        match (self.items[a].amount, self.items[b].amount) {
            (Some(x), Some(y)) => x.overlaps(&y) || self.near(x.point, y.point),
            _ => true,
        }
    }

    /// Splits a block into deals by start year (see the module notes).
    fn split_deals(&self, members: &[usize]) -> Vec<Vec<usize>> {
        const PROBE: usize = 50;
        let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
        let mut no_year = Vec::new();
        for &i in members {
            match self.items[i].sc.claim.start_year {
                Some(y) => by_year.entry(y).or_default().push(i),
                None => no_year.push(i),
            }
        }
        if by_year.is_empty() {
            return vec![members.to_vec()];
        }
        let years: Vec<&Vec<usize>> = by_year.values().collect();
        let articles: Vec<HashSet<u32>> = years
            .iter()
            .map(|g| g.iter().map(|&i| self.items[i].article).collect())
            .collect();
        let mut parent: Vec<usize> = (0..years.len()).collect();
        for i in 0..years.len() {
            for j in i + 1..years.len() {
                if !articles[i].is_disjoint(&articles[j]) {
                    continue;
                }
                let same_deal = years[i].iter().take(PROBE).any(|&a| {
                    years[j]
                        .iter()
                        .take(PROBE)
                        .any(|&b| self.terms_near(a, b) && self.amounts_near(a, b))
                });
                if same_deal {
                    let (ri, rj) = (family_root(&mut parent, i), family_root(&mut parent, j));
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
        let mut deals: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, group) in years.iter().enumerate() {
            let r = family_root(&mut parent, i);
            deals.entry(r).or_default().extend(group.iter().copied());
        }
        let mut deals: Vec<Vec<usize>> = deals.into_values().collect();
        let mut unplaced = Vec::new();
        for i in no_year {
            let fits: Vec<usize> = deals
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    d.iter()
                        .take(PROBE)
                        .any(|&m| self.terms_near(i, m) && self.amounts_close(i, m))
                })
                .map(|(k, _)| k)
                .collect();
            match fits.as_slice() {
                [k] => deals[*k].push(i),
                [] => unplaced.push(i),
                _ => {} // fits several deals: left out
            }
        }
        if !unplaced.is_empty() {
            deals.push(unplaced);
        }
        deals
    }

    fn value(&self, i: usize, attr: Attribute) -> Option<Interval> {
        let c = &self.items[i].sc.claim;
        match attr {
            Attribute::Amount => self.items[i].amount,
            Attribute::Term => c.term_months.map(|m| Interval::whole(f64::from(m))),
            Attribute::StartYear => c.start_year.map(|y| Interval::whole(f64::from(y))),
            Attribute::Party => None,
        }
    }

    /// Clusters of mutually overlapping values (each cluster shares a common point), in order of
    /// that point.
    fn clusters(&self, members: &[usize], attr: Attribute) -> Vec<Cluster> {
        cluster_values(
            members
                .iter()
                .filter_map(|&i| self.value(i, attr).map(|v| (i, v)))
                .collect(),
        )
    }

    fn compare(&self, deal: &[usize], attr: Attribute, out: &mut Vec<Finding>) {
        // Hedged figures neither confirm nor contradict; denials are disputes.
        let positives: Vec<usize> = deal
            .iter()
            .copied()
            .filter(|&i| !self.items[i].denies() && !self.items[i].hedged())
            .collect();
        let clusters = self.clusters(&positives, attr);
        if attr == Attribute::Amount {
            for c in &clusters {
                self.corroborations(c, out);
            }
            self.disputes(deal, &clusters, out);
        }
        if clusters.len() < 2 {
            return;
        }
        // Clusters sharing an article are distinct facts stated side by side (families).
        let mut family: Vec<usize> = (0..clusters.len()).collect();
        if attr == Attribute::Amount {
            let mut first_cluster: HashMap<u32, usize> = HashMap::new();
            for (k, c) in clusters.iter().enumerate() {
                // Only bounded figures state a fact; an open bound ("up to") links nothing.
                for &m in c.members.iter().filter(|&&m| self.items[m].pointlike()) {
                    let art = self.items[m].article;
                    match first_cluster.get(&art) {
                        Some(&other) if other != k => {
                            let (a, b) =
                                (family_root(&mut family, other), family_root(&mut family, k));
                            family[a.max(b)] = a.min(b);
                        }
                        Some(_) => {}
                        None => {
                            first_cluster.insert(art, k);
                        }
                    }
                }
            }
        }
        let roots: Vec<usize> = (0..clusters.len())
            .map(|k| family_root(&mut family, k))
            .collect();
        let mut family_size: HashMap<usize, usize> = HashMap::new();
        for r in &roots {
            *family_size.entry(*r).or_default() += 1;
        }
        let mut done: HashSet<(usize, usize)> = HashSet::new();
        for i in 0..clusters.len() {
            for j in i + 1..clusters.len() {
                if roots[i] == roots[j] {
                    continue;
                }
                let (fi, fj) = (roots[i].min(roots[j]), roots[i].max(roots[j]));
                if family_size.get(&fi).copied().unwrap_or(1) > 1
                    || family_size.get(&fj).copied().unwrap_or(1) > 1
                {
                    // Families: compare only the nearest pair of clusters across two families.
                    if done.contains(&(fi, fj)) {
                        continue;
                    }
                    let nearest = (0..clusters.len())
                        .filter(|&x| roots[x] == fi)
                        .flat_map(|x| {
                            (0..clusters.len())
                                .filter(|&y| roots[y] == fj)
                                .map(move |y| (x, y))
                        })
                        .min_by(|&(x1, y1), &(x2, y2)| {
                            let d1 = log_distance(clusters[x1].point, clusters[y1].point);
                            let d2 = log_distance(clusters[x2].point, clusters[y2].point);
                            d1.total_cmp(&d2)
                        });
                    done.insert((fi, fj));
                    if let Some((x, y)) = nearest {
                        let (lo, hi) = if x < y { (x, y) } else { (y, x) };
                        self.compare_clusters(&clusters[lo], &clusters[hi], attr, out);
                    }
                    continue;
                }
                self.compare_clusters(&clusters[i], &clusters[j], attr, out);
            }
        }
    }

    /// Findings for two clusters (`lower` has the smaller common point) that disagree: one
    /// update when a later claim signals a change, else one contradiction for each independent
    /// source on the side with more of them (at most 8), against the most distant claim of the
    /// other side from another source.
    fn compare_clusters(
        &self,
        lower: &Cluster,
        upper: &Cluster,
        attr: Attribute,
        out: &mut Vec<Finding>,
    ) {
        const CANDIDATES: usize = 8;
        const GROUPS: usize = 8;
        let valued = |c: &Cluster| -> Vec<(usize, Interval)> {
            c.members
                .iter()
                .filter_map(|&i| self.value(i, attr).map(|v| (i, v)))
                .collect()
        };
        let mut lows = valued(lower);
        lows.sort_by(|a, b| a.1.high.total_cmp(&b.1.high));
        let mut highs = valued(upper);
        highs.sort_by(|a, b| b.1.low.total_cmp(&a.1.low));
        let comparable = |x: usize, vx: &Interval, y: usize, vy: &Interval| -> bool {
            if vx.overlaps(vy) || self.items[x].article == self.items[y].article {
                return false;
            }
            let (_, rel) = gap(vx.point, vy.point);
            rel >= self.opts.min_gap
                && (attr == Attribute::StartYear || self.near(vx.point, vy.point))
        };
        for &(x, vx) in lows.iter().take(CANDIDATES) {
            for &(y, vy) in highs.iter().take(CANDIDATES) {
                if comparable(x, &vx, y, &vy) {
                    if let Some((earlier, later)) = self.update_pair(x, y, attr) {
                        out.push(self.pair_finding(FindingType::Update, attr, earlier, later));
                        return;
                    }
                }
            }
        }
        let low_groups = self.independent_groups(&lower.members);
        let high_groups = self.independent_groups(&upper.members);
        let (groups, others) = if low_groups.len() >= high_groups.len() {
            (low_groups, &highs)
        } else {
            (high_groups, &lows)
        };
        let mut emitted = 0;
        for group in &groups {
            if emitted >= GROUPS {
                break;
            }
            let pair = group.iter().take(CANDIDATES).find_map(|&m| {
                let vm = self.value(m, attr)?;
                others
                    .iter()
                    .take(2 * CANDIDATES)
                    .find(|(o, vo)| {
                        !self.items[m].same_origin(&self.items[*o]) && comparable(m, &vm, *o, vo)
                    })
                    .map(|(o, _)| (m, *o))
            });
            if let Some((m, o)) = pair {
                let (a, b) = self.in_time_order(m, o);
                out.push(self.pair_finding(FindingType::Contradiction, attr, a, b));
                emitted += 1;
            }
        }
    }

    fn in_time_order(&self, x: usize, y: usize) -> (usize, usize) {
        match (self.items[x].time, self.items[y].time) {
            (Some(tx), Some(ty)) if ty < tx => (y, x),
            _ => (x, y),
        }
    }

    /// True when the later claim's sentence signals a change (the kind's own trigger words, such
    /// as "paid" for a payment, do not count).
    fn signals_change(&self, i: usize) -> bool {
        let claim = &self.items[i].sc.claim;
        update_words().find_iter(&claim.sentence.text).any(|m| {
            let w = m.as_str().to_lowercase();
            !(claim.kind == ClaimKind::Payment
                && matches!(w.as_str(), "paid" | "pays" | "paying" | "repaid"))
        })
    }

    /// `(earlier, later)` when the later claim updates the earlier one.
    fn update_pair(&self, x: usize, y: usize, attr: Attribute) -> Option<(usize, usize)> {
        let (tx, ty) = (self.items[x].time?, self.items[y].time?);
        if tx == ty {
            return None;
        }
        let (earlier, later) = if tx < ty { (x, y) } else { (y, x) };
        let (te, tl) = (tx.min(ty), tx.max(ty));
        let later_item = &self.items[later];
        if self.signals_change(later) {
            return Some((earlier, later));
        }
        if attr == Attribute::Amount && later_item.sc.claim.kind == ClaimKind::Debt {
            let key = later_item.roots.join("\u{1f}");
            if self
                .payments
                .get(&key)
                .is_some_and(|ts| ts.iter().any(|&t| t > te && t <= tl))
            {
                return Some((earlier, later));
            }
        }
        None
    }

    /// Corroborations of one cluster: figures naming a point agree with each other; an open
    /// bound ("up to $1.2 billion") is confirmed only by the same bound.
    fn corroborations(&self, cluster: &Cluster, out: &mut Vec<Finding>) {
        let mut kinds: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
        for &i in &cluster.members {
            let key = if self.items[i].pointlike() {
                (true, String::new())
            } else {
                let m = &self.items[i].sc.claim.amount;
                let bound = self.items[i].amount.map(|a| a.point).unwrap_or_default();
                (false, format!("{:?} {bound}", m.qualifier))
            };
            kinds.entry(key).or_default().push(i);
        }
        for members in kinds.into_values() {
            self.corroboration(&members, out);
        }
    }

    fn corroboration(&self, members: &[usize], out: &mut Vec<Finding>) {
        let firm: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| !self.items[i].hedged())
            .collect();
        if firm.len() < 2 {
            return;
        }
        let groups = self.independent_groups(&firm);
        if groups.len() < 2 {
            return;
        }
        let mut claims: Vec<usize> = firm.clone();
        claims.sort_by_key(|&i| (self.items[i].time.unwrap_or(i64::MAX), i));
        let first = &self.items[claims[0]];
        let mut names: Vec<&str> = groups
            .iter()
            .map(|g| self.source_names[self.items[g[0]].source as usize].as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        let shown: Vec<&str> = names.iter().take(5).copied().collect();
        let more = if names.len() > 5 { ", ..." } else { "" };
        let mut explanation = format!(
            "{} {}: agreed by {} independent sources ({}{})",
            first.sc.claim.kind.as_str().replace('_', " "),
            first.sc.claim.amount.text,
            groups.len(),
            shown.join(", "),
            more
        );
        let syndicated = firm.len() > groups.len()
            && firm.iter().any(|&a| {
                firm.iter().any(|&b| {
                    a != b
                        && self.items[a].synd == self.items[b].synd
                        && self.items[a].source != self.items[b].source
                })
            });
        if syndicated {
            explanation.push_str("; syndicated copies counted once");
        }
        if let Some(note) = claims
            .iter()
            .find_map(|&i| self.items[i].conversion.as_ref())
        {
            explanation.push_str("; ");
            explanation.push_str(note);
        }
        out.push(Finding {
            finding_type: FindingType::Corroboration,
            attribute: Attribute::Amount,
            a: None,
            b: None,
            claims: claims.iter().map(|&i| self.items[i].sc.clone()).collect(),
            sources: Some(groups.len()),
            explanation,
        });
    }

    /// Members grouped so that claims sharing an article, outlet or syndication cluster are one.
    fn independent_groups(&self, members: &[usize]) -> Vec<Vec<usize>> {
        let mut parent: Vec<usize> = (0..members.len()).collect();
        let mut by_source: HashMap<u32, usize> = HashMap::new();
        let mut by_synd: HashMap<u32, usize> = HashMap::new();
        for (k, &i) in members.iter().enumerate() {
            let it = &self.items[i];
            for other in [
                by_source.get(&it.source).copied(),
                by_synd.get(&it.synd).copied(),
            ]
            .into_iter()
            .flatten()
            {
                let (a, b) = (family_root(&mut parent, other), family_root(&mut parent, k));
                parent[a.max(b)] = a.min(b);
            }
            by_source.entry(it.source).or_insert(k);
            by_synd.entry(it.synd).or_insert(k);
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, &i) in members.iter().enumerate() {
            let r = family_root(&mut parent, k);
            groups.entry(r).or_default().push(i);
        }
        groups.into_values().collect()
    }

    fn disputes(&self, deal: &[usize], clusters: &[Cluster], out: &mut Vec<Finding>) {
        const PROBE: usize = 50;
        let mut seen: HashSet<(usize, u32)> = HashSet::new();
        for &n in deal.iter().filter(|&&i| self.items[i].denies()) {
            let Some(vn) = self.items[n].amount else {
                continue;
            };
            for (k, c) in clusters.iter().enumerate() {
                if seen.contains(&(k, self.items[n].source)) {
                    continue;
                }
                let (im, inn) = (&self.items, &self.items[n]);
                let partner = c.members.iter().take(PROBE).copied().find(|&m| {
                    // Another article (not a copy), or another sentence of the same article
                    // ("AWS says Twitter owes $5 million ... Twitter denied owing it").
                    let apart = if im[m].article == inn.article {
                        im[m].sc.claim.sentence.start != inn.sc.claim.sentence.start
                    } else {
                        im[m].synd != inn.synd
                    };
                    apart && im[m].amount.is_some_and(|vm| vm.overlaps(&vn))
                });
                if let Some(m) = partner {
                    seen.insert((k, self.items[n].source));
                    out.push(self.pair_finding(FindingType::Dispute, Attribute::Amount, m, n));
                }
            }
        }
    }

    /// Party contradictions: same kind, one common party, overlapping bounded amount, other
    /// party different and unrelated.
    fn counterparties(&self, out: &mut Vec<Finding>) {
        const GROUPS: usize = 8;
        type PartyBlock = (ClaimKind, Option<String>, String);
        // members: (item, amount, index of the other party in the item's roots)
        let mut blocks: BTreeMap<PartyBlock, Vec<(usize, Interval, usize)>> = BTreeMap::new();
        for (i, it) in self.items.iter().enumerate() {
            if it.roots.len() != 2 || it.denies() || it.hedged() || !it.pointlike() {
                continue;
            }
            let Some((currency, iv)) = self.in_usd(i) else {
                continue;
            };
            if !iv.is_bounded() {
                continue;
            }
            for (k, r) in it.roots.iter().enumerate() {
                blocks
                    .entry((it.sc.claim.kind, currency.clone(), r.clone()))
                    .or_default()
                    .push((i, iv, 1 - k));
            }
        }
        let mut seen: HashSet<(ClaimKind, String, u32, u32)> = HashSet::new();
        for ((kind, _, common), members) in &blocks {
            let others: HashMap<usize, &str> = members
                .iter()
                .map(|(i, _, o)| (*i, self.items[*i].roots[*o].as_str()))
                .collect();
            let vals: Vec<(usize, Interval)> = members.iter().map(|(i, v, _)| (*i, *v)).collect();
            for cluster in cluster_values(vals) {
                let mut by_other: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
                for &m in &cluster.members {
                    if let Some(o) = others.get(&m) {
                        by_other.entry(o).or_default().push(m);
                    }
                }
                if by_other.len() < 2 {
                    continue;
                }
                let groups: Vec<(&str, Vec<usize>)> = by_other.into_iter().collect();
                for x in 0..groups.len() {
                    for y in x + 1..groups.len() {
                        let (ox, oy) = (groups[x].0, groups[y].0);
                        if self.relations.related(ox, oy) {
                            continue;
                        }
                        let (gx, gy) = (
                            self.independent_groups(&groups[x].1),
                            self.independent_groups(&groups[y].1),
                        );
                        let (big, small) = if gx.len() >= gy.len() {
                            (gx, &groups[y].1)
                        } else {
                            (gy, &groups[x].1)
                        };
                        for g in big.iter().take(GROUPS) {
                            let pair = g.iter().take(8).find_map(|&a| {
                                small
                                    .iter()
                                    .take(16)
                                    .copied()
                                    .find(|&b| self.same_deal_with_common(a, b, common))
                                    .map(|b| (a, b))
                            });
                            let Some((a, b)) = pair else { continue };
                            let (art_a, art_b) = (self.items[a].article, self.items[b].article);
                            let key = (*kind, common.clone(), art_a.min(art_b), art_a.max(art_b));
                            if !seen.insert(key) {
                                continue;
                            }
                            let (a, b) = self.in_time_order(a, b);
                            out.push(self.pair_finding(
                                FindingType::Contradiction,
                                Attribute::Party,
                                a,
                                b,
                            ));
                            let (ca, cb) = (&self.items[a].sc.claim, &self.items[b].sc.claim);
                            if ca
                                .term_months
                                .zip(cb.term_months)
                                .is_some_and(|(p, q)| p != q)
                            {
                                out.push(self.pair_finding(
                                    FindingType::Contradiction,
                                    Attribute::Term,
                                    a,
                                    b,
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    /// The claim's amount in US dollars where it is in dollars or a stated rate or the table
    /// converts it, else in its own currency.
    fn in_usd(&self, i: usize) -> Option<(Option<String>, Interval)> {
        let it = &self.items[i];
        let iv = it.amount?;
        let Some(cur) = it.currency.as_deref() else {
            return Some((None, iv));
        };
        if cur == "USD" {
            return Some((Some(cur.to_string()), iv));
        }
        if let Some((to, conv, _)) = it.own_conversion.as_deref() {
            if to == "USD" && it.conversion.is_none() {
                return Some((Some(to.clone()), *conv));
            }
        }
        if let Some((factor, _)) = self.stated_rate(cur, "USD") {
            return Some((Some("USD".to_string()), iv.scaled(*factor)));
        }
        if let Some((factor, _)) = self.table_factor(i, cur, "USD") {
            return Some((Some("USD".to_string()), iv.scaled(factor).widened(0.02)));
        }
        Some((Some(cur.to_string()), iv))
    }

    fn same_deal_with_common(&self, a: usize, b: usize, common: &str) -> bool {
        let (ia, ib) = (&self.items[a], &self.items[b]);
        if ia.same_origin(ib) {
            return false;
        }
        let years_ok = match (ia.sc.claim.start_year, ib.sc.claim.start_year) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let roles = |it: &Item| -> Vec<String> {
            it.sc
                .claim
                .parties
                .iter()
                .filter(|p| root_of(self.relations, &p.name).to_lowercase() == common)
                .flat_map(|p| p.roles.iter().map(|r| r.to_lowercase()))
                .collect()
        };
        let (ra, rb) = (roles(ia), roles(ib));
        let roles_ok = ra.is_empty() || rb.is_empty() || ra.iter().any(|r| rb.contains(r));
        years_ok && roles_ok && self.terms_near(a, b)
    }

    fn pair_finding(&self, t: FindingType, attr: Attribute, a: usize, b: usize) -> Finding {
        Finding {
            finding_type: t,
            attribute: attr,
            a: Some(self.items[a].sc.clone()),
            b: Some(self.items[b].sc.clone()),
            claims: Vec::new(),
            sources: None,
            explanation: self.explain(t, attr, a, b),
        }
    }

    fn explain(&self, t: FindingType, attr: Attribute, a: usize, b: usize) -> String {
        let (ia, ib) = (&self.items[a], &self.items[b]);
        let (ca, cb) = (&ia.sc.claim, &ib.sc.claim);
        let mut parts: Vec<String> = Vec::new();
        match attr {
            Attribute::Amount => {
                let head = if t == FindingType::Dispute {
                    let verb = if cb.negated { "denied" } else { "disputed" };
                    format!("{} vs {} ({verb})", ca.amount.text, cb.amount.text)
                } else {
                    format!("{} vs {}", ca.amount.text, cb.amount.text)
                };
                match (ia.amount, ib.amount) {
                    (Some(x), Some(y)) if t != FindingType::Dispute => {
                        let (abs, rel) = gap(x.point, y.point);
                        parts.push(format!(
                            "{head}: {:.1}% apart ({})",
                            rel * 100.0,
                            format_amount(abs, ia.currency.as_deref())
                        ));
                    }
                    _ => parts.push(head),
                }
                let (qa, qb) = (ca.amount.qualifier, cb.amount.qualifier);
                if qa == qb {
                    parts.push(format!("both {}", qualifier_word(qa)));
                } else {
                    parts.push(format!(
                        "first {}, second {}",
                        qualifier_word(qa),
                        qualifier_word(qb)
                    ));
                }
            }
            Attribute::Term => parts.push(format!(
                "{} months vs {} months",
                ca.term_months.unwrap_or_default(),
                cb.term_months.unwrap_or_default()
            )),
            Attribute::StartYear => parts.push(format!(
                "started {} vs {}",
                ca.start_year.unwrap_or_default(),
                cb.start_year.unwrap_or_default()
            )),
            Attribute::Party => {
                let common: HashSet<&String> =
                    ia.roots.iter().filter(|r| ib.roots.contains(r)).collect();
                let other = |it: &Item| -> String {
                    it.sc
                        .claim
                        .parties
                        .iter()
                        .find(|p| {
                            !common.contains(&root_of(self.relations, &p.name).to_lowercase())
                        })
                        .map(|p| p.name.clone())
                        .unwrap_or_default()
                };
                parts.push(format!(
                    "{} vs {}: the same {} {} with a different counterparty",
                    other(ia),
                    other(ib),
                    ca.amount.text,
                    ca.kind.as_str().replace('_', " ")
                ));
            }
        }
        if t == FindingType::Update {
            let why = if update_words().is_match(&cb.sentence.text) {
                "the later report signals a change"
            } else {
                "a payment was reported in between"
            };
            parts.push(format!(
                "{} → {}: {why}",
                ia.sc.published.as_deref().unwrap_or("?"),
                ib.sc.published.as_deref().unwrap_or("?")
            ));
        }
        match (ca.hedged, cb.hedged) {
            (true, true) => parts.push("both hedged".to_string()),
            (true, false) => parts.push("first hedged".to_string()),
            (false, true) => parts.push("second hedged".to_string()),
            _ => {}
        }
        if let Some(note) = self.related_note(ia, ib) {
            parts.push(note);
        }
        for note in [&ia.conversion, &ib.conversion].into_iter().flatten() {
            if !parts.contains(note) {
                parts.push(note.clone());
            }
        }
        parts.join("; ")
    }

    fn related_note(&self, a: &Item, b: &Item) -> Option<String> {
        for pa in &a.sc.claim.parties {
            if b.sc
                .claim
                .parties
                .iter()
                .any(|pb| pb.name.eq_ignore_ascii_case(&pa.name))
            {
                continue;
            }
            let ra = root_of(self.relations, &pa.name);
            for pb in &b.sc.claim.parties {
                if a.sc
                    .claim
                    .parties
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(&pb.name))
                {
                    continue;
                }
                if !root_of(self.relations, &pb.name).eq_ignore_ascii_case(&ra) {
                    continue;
                }
                let is_parent = |unit: &str, parent: &str| {
                    self.relations
                        .parent_of(unit)
                        .is_some_and(|p| p.eq_ignore_ascii_case(parent))
                };
                let relation = if is_parent(&pa.name, &pb.name) {
                    format!("{} is a unit of {}", pa.name, pb.name)
                } else if is_parent(&pb.name, &pa.name) {
                    format!("{} is a unit of {}", pb.name, pa.name)
                } else {
                    format!("{} and {} both belong to {}", pa.name, pb.name, ra)
                };
                return Some(format!("{relation}; compared as related parties"));
            }
        }
        None
    }
}

/// A claim naming one party joins the block of the one two-party fact of the same kind and unit
/// that includes that party ("Lumenfold was valued at $2.4 billion" beside "a round led by
/// Quarry Ridge valued Lumenfold at $3.1 billion"); when there are several such facts it stays
/// apart.
fn merge_single_party_blocks(blocks: &mut BTreeMap<BlockKey, Vec<usize>>) {
    let singles: Vec<BlockKey> = blocks
        .keys()
        .filter(|(_, _, roots)| !roots.is_empty() && !roots.contains('\u{1f}'))
        .cloned()
        .collect();
    for key in singles {
        let (kind, per, root) = &key;
        let mut targets = blocks.keys().filter(|(k, p, roots)| {
            k == kind
                && p == per
                && roots.split('\u{1f}').count() == 2
                && roots.split('\u{1f}').any(|r| r == root)
        });
        let (Some(target), None) = (targets.next().cloned(), targets.next()) else {
            continue;
        };
        if let Some(members) = blocks.remove(&key) {
            blocks.entry(target).or_default().extend(members);
        }
    }
}

/// Clusters of mutually overlapping values (each cluster shares a common point), in order of
/// that point: intervals sorted by upper end, each cluster stabbed at its first upper end.
fn cluster_values(mut vals: Vec<(usize, Interval)>) -> Vec<Cluster> {
    vals.retain(|(_, v)| !v.low.is_nan() && !v.high.is_nan());
    vals.sort_by(|a, b| {
        a.1.high
            .total_cmp(&b.1.high)
            .then(a.1.low.total_cmp(&b.1.low))
    });
    let mut out: Vec<Cluster> = Vec::new();
    let mut stab = f64::NEG_INFINITY;
    for (i, v) in vals {
        match out.last_mut() {
            Some(c) if v.low < stab || (v.low == stab && v.high == stab) => c.members.push(i),
            _ => {
                stab = v.high;
                let point = if v.high.is_finite() { v.high } else { v.low };
                out.push(Cluster {
                    members: vec![i],
                    point,
                });
            }
        }
    }
    out
}

fn family_root(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn log_distance(a: f64, b: f64) -> f64 {
    if a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() {
        (a.ln() - b.ln()).abs()
    } else {
        (a - b).abs()
    }
}

/// Absolute and relative gap between two figures (relative to the larger magnitude).
pub fn gap(a: f64, b: f64) -> (f64, f64) {
    let abs = (a - b).abs();
    let denom = a.abs().max(b.abs());
    let rel = if denom > 0.0 && denom.is_finite() {
        abs / denom
    } else {
        0.0
    };
    (abs, rel)
}
