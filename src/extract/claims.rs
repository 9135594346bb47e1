//! Claims: one per money mention, with the kind of fact (from the trigger words of
//! `rules/claims/triggers.tsv` nearest to the amount), the parties and their roles, the deal's
//! term and start year, the attribution (`rules/claims/attribution.tsv`) and the hedge,
//! negation and dispute flags (`rules/claims/cues.tsv`).
//!
//! Only sentences holding a money mention are analysed; the article-level context (the last
//! deal mentioned, the last roles between two parties) is built from the sentences that hold
//! a term or a year.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::dates::DateHit;
use super::parties::{PartyExtractor, PartyHit};
use super::sentences::{sentence_at, SentenceSpan};
use super::terms::TermHit;
use super::CharMap;
use crate::model::{Claim, ClaimKind, ClaimParty, Money, PartyType, Sentence};
use crate::rules::{RuleFile, RuleSet, RulesError};

/// Rule file: trigger words and their kinds and roles.
pub const TRIGGERS: &str = "claims/triggers.tsv";
/// Rule file: attribution patterns.
pub const ATTRIBUTION: &str = "claims/attribution.tsv";
/// Rule file: hedge, negation and dispute cues.
pub const CUES: &str = "claims/cues.tsv";

/// Nouns that name a deal; "the deal", "its contract" refer back to the last one mentioned.
const DEAL_NOUNS: &[&str] = &[
    "deal",
    "contract",
    "agreement",
    "pact",
    "partnership",
    "lease",
    "commitment",
];
/// Determiners that make a deal noun refer back ("the deal", "its contract").
const BACK_DETERMINERS: &[&str] = &["the", "its", "their", "that", "this", "said"];
/// Verbs that date a deal's start ("inked with Twitter in 2020").
const START_VERBS: &[&str] = &[
    "signed",
    "inked",
    "struck",
    "sealed",
    "reached",
    "agreed",
    "began",
    "started",
    "entered",
    "announced",
    "borrowed",
    "raised",
    "since",
    "from",
    "in",
];

#[derive(Debug, Clone)]
struct Trigger {
    /// The kind it signals; `None` for a verb that only gives roles.
    kind: Option<ClaimKind>,
    weight: i64,
    subject_role: Option<String>,
    object_role: Option<String>,
    context: bool,
    /// Number of parts ("A ... B" has two).
    parts: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueFlag {
    Hedge,
    Negate,
    Dispute,
}

#[derive(Debug, Clone)]
struct AttributionPattern {
    before: String,
    after: String,
    carry: bool,
}

/// Everything the claim finder reads about one article (byte offsets except `money`).
#[derive(Debug, Clone, Copy)]
pub struct ClaimInput<'a> {
    /// Article id, used in claim ids.
    pub article_id: &'a str,
    /// Article text.
    pub text: &'a str,
    /// Byte/char offset map of `text`.
    pub map: &'a CharMap,
    /// Sentences of `text`.
    pub sentences: &'a [SentenceSpan],
    /// Money mentions (character offsets).
    pub money: &'a [Money],
    /// Party mentions (byte offsets), in order.
    pub parties: &'a [PartyHit],
    /// Terms (byte offsets), in order.
    pub terms: &'a [TermHit],
    /// Dates (byte offsets), in order.
    pub dates: &'a [DateHit],
}

/// Finds claims; built once from the rules.
#[derive(Debug, Clone)]
pub struct ClaimExtractor {
    triggers: Vec<Trigger>,
    /// pattern index → (trigger index, part index)
    trigger_parts: Vec<Vec<(usize, usize)>>,
    cues: Vec<CueFlag>,
    attribution: Vec<AttributionPattern>,
    /// literal index → patterns using it (pattern index; true when it is the `after` part)
    attribution_literals: Vec<Vec<(usize, bool)>>,
    /// Every literal of the four families above (trigger parts, cues, attribution literals,
    /// deal nouns and anaphors), lower case, in one automaton: a sentence is read once.
    literal_matcher: AhoCorasick,
    /// literal index of `literal_matcher` → the family entries it stands for
    literal_users: Vec<Vec<Literal>>,
    /// The literals of `literal_matcher`, by index (for tests that hold the combined
    /// matcher to the family matchers it replaces).
    #[cfg_attr(not(test), allow(dead_code))]
    literal_texts: Vec<String>,
    /// deal nouns (index < DEAL_NOUNS.len()) then organisation anaphors, any case, for
    /// sentences read without lower-casing
    word_matcher: AhoCorasick,
}

/// One family's use of a literal of the combined matcher (the index is into that family's
/// own pattern list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Literal {
    Trigger(usize),
    Cue(usize),
    Attribution(usize),
    Word(usize),
}

/// Every literal hit in one lower-cased sentence, by family, each family read with the
/// semantics its rules were written for (offsets relative to the sentence).
#[derive(Debug, Clone, Default)]
struct LiteralHits {
    /// trigger parts, leftmost-longest and not overlapping, at word edges: (pattern, start, end)
    triggers: Vec<(usize, usize, usize)>,
    /// cues, all of them, at word edges: (flag, start, end)
    cues: Vec<(CueFlag, usize, usize)>,
    /// attribution literals, all of them (word edges checked by the reader)
    attribution: Vec<(usize, usize, usize)>,
    /// deal nouns and anaphors, first-found and not overlapping, at word edges
    words: Vec<(usize, usize, usize)>,
}

/// What one sentence holding money says, computed once for all its amounts.
#[derive(Debug, Clone)]
struct SentenceFacts {
    index: usize,
    lower: String,
    /// trigger hits (pattern, start, end), relative to the sentence, in order
    triggers: Vec<(usize, usize, usize)>,
    /// cue hits (flag, start, end), relative to the sentence
    cues: Vec<(CueFlag, usize, usize)>,
    has_deal_noun: bool,
    refers_back: bool,
    anaphor: Option<&'static str>,
    attribution: Option<String>,
    source_span: Option<(usize, usize)>,
}

/// A deal mentioned in the article: its term, start year and parties.
#[derive(Debug, Clone, Default)]
struct DealContext {
    pos: usize,
    months: Option<u32>,
    start_year: Option<i32>,
}

/// The combined matcher of every family's literals, what each literal stands for, and the
/// literals themselves.
struct LiteralMatcher {
    matcher: AhoCorasick,
    users: Vec<Vec<Literal>>,
    texts: Vec<String>,
}

/// A family's lower-case literals, with how to name the family entry of the literal at an
/// index.
type LiteralFamily<'a> = (&'a [String], fn(usize) -> Literal);

/// One matcher of the lower-case literals of every family, run over lower-cased sentences
/// (matching without case folding keeps the automaton's byte classes, and so its tables,
/// small), with the family entries each literal stands for.
fn build_literal_matcher(
    file: &RuleFile,
    families: &[LiteralFamily<'_>],
) -> Result<LiteralMatcher, RulesError> {
    let mut literals: Vec<&str> = Vec::new();
    let mut users: Vec<Vec<Literal>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (patterns, family) in families {
        for (i, pattern) in patterns.iter().enumerate() {
            let at = *index.entry(pattern.as_str()).or_insert_with(|| {
                literals.push(pattern);
                users.push(Vec::new());
                literals.len() - 1
            });
            users[at].push(family(i));
        }
    }
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&literals)
        .map_err(|e| file.bad(0, format!("cannot build matcher: {e}")))?;
    let texts = literals.iter().map(|l| l.to_string()).collect();
    Ok(LiteralMatcher {
        matcher,
        users,
        texts,
    })
}

fn role(field: Option<&&str>) -> Option<String> {
    match field.copied() {
        None | Some("") | Some("-") => None,
        Some(r) => Some(r.to_string()),
    }
}

impl ClaimExtractor {
    /// Builds the claim finder from its rule files.
    pub fn new(rules: &RuleSet) -> Result<ClaimExtractor, RulesError> {
        let file = rules.file(TRIGGERS);
        let mut triggers = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut trigger_parts: Vec<Vec<(usize, usize)>> = Vec::new();
        for (line, fields) in file.rows() {
            let (Some(phrase), Some(kind)) = (fields.first(), fields.get(1)) else {
                return Err(file.bad(line, "expected `phrase | kind | ...`"));
            };
            let kind = match *kind {
                "roles" => None,
                name => Some(
                    ClaimKind::parse(name)
                        .ok_or_else(|| file.bad(line, format!("unknown claim kind `{name}`")))?,
                ),
            };
            let weight = match fields.get(2) {
                None | Some(&"") => 0,
                Some(w) => w
                    .parse::<i64>()
                    .map_err(|_| file.bad(line, format!("weight `{w}` is not a number")))?,
            };
            let parts: Vec<String> = phrase
                .split("...")
                .map(|p| p.trim().to_lowercase())
                .filter(|p| !p.is_empty())
                .collect();
            if parts.is_empty() || parts.len() > 2 {
                return Err(file.bad(line, "a phrase has one part or two parts around `...`"));
            }
            let trigger_index = triggers.len();
            for (part_index, part) in parts.iter().enumerate() {
                let pattern_index = *index.entry(part.clone()).or_insert_with(|| {
                    patterns.push(part.clone());
                    trigger_parts.push(Vec::new());
                    patterns.len() - 1
                });
                trigger_parts[pattern_index].push((trigger_index, part_index));
            }
            triggers.push(Trigger {
                kind,
                weight,
                subject_role: role(fields.get(3)),
                object_role: role(fields.get(4)),
                context: fields.get(5).is_some_and(|d| *d == "context"),
                parts: parts.len(),
            });
        }

        let file = rules.file(CUES);
        let mut cues = Vec::new();
        let mut cue_patterns = Vec::new();
        for (line, fields) in file.rows() {
            let (Some(flag), Some(phrase)) = (fields.first(), fields.get(1)) else {
                return Err(file.bad(line, "expected `flag | phrase`"));
            };
            let flag = match *flag {
                "hedge" => CueFlag::Hedge,
                "negate" => CueFlag::Negate,
                "dispute" => CueFlag::Dispute,
                other => return Err(file.bad(line, format!("unknown flag `{other}`"))),
            };
            cues.push(flag);
            cue_patterns.push(phrase.to_lowercase());
        }

        let file = rules.file(ATTRIBUTION);
        let mut attribution = Vec::new();
        for (line, fields) in file.rows() {
            let Some(pattern) = fields.first() else {
                continue;
            };
            let carry = fields.get(1).is_some_and(|k| *k == "carry");
            let (before, after) = match pattern.split_once("{source}") {
                Some((b, a)) => (b.trim().to_lowercase(), a.trim().to_lowercase()),
                None if carry => (pattern.to_lowercase(), String::new()),
                None => return Err(file.bad(line, "a source pattern needs `{source}`")),
            };
            attribution.push(AttributionPattern {
                before,
                after,
                carry,
            });
        }
        let mut literals: Vec<String> = Vec::new();
        let mut attribution_literals: Vec<Vec<(usize, bool)>> = Vec::new();
        for (pi, pattern) in attribution.iter().enumerate() {
            let (literal, is_after) = if pattern.before.is_empty() {
                (pattern.after.clone(), true)
            } else {
                (pattern.before.clone(), false)
            };
            let li = match literals.iter().position(|l| *l == literal) {
                Some(li) => li,
                None => {
                    literals.push(literal);
                    attribution_literals.push(Vec::new());
                    literals.len() - 1
                }
            };
            attribution_literals[li].push((pi, is_after));
        }
        let words: Vec<String> = DEAL_NOUNS
            .iter()
            .chain(ORG_ANAPHORS)
            .map(|w| w.to_string())
            .collect();
        let LiteralMatcher {
            matcher: literal_matcher,
            users: literal_users,
            texts: literal_texts,
        } = build_literal_matcher(
            file,
            &[
                (&patterns, Literal::Trigger),
                (&cue_patterns, Literal::Cue),
                (&literals, Literal::Attribution),
                (&words, Literal::Word),
            ],
        )?;
        let word_matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .map_err(|e| file.bad(0, format!("cannot build matcher: {e}")))?;
        Ok(ClaimExtractor {
            triggers,
            trigger_parts,
            cues,
            attribution,
            attribution_literals,
            literal_matcher,
            literal_users,
            literal_texts,
            word_matcher,
        })
    }

    /// The claims of one article.
    pub fn find(&self, input: &ClaimInput<'_>, parties: &PartyExtractor) -> Vec<Claim> {
        let text = input.text;
        // the deals the article mentions are read only when a claim refers back to one
        let deals: std::cell::OnceCell<Vec<DealContext>> = std::cell::OnceCell::new();
        let mut roles_seen: Vec<(String, String)> = Vec::new();
        let mut claims = Vec::with_capacity(input.money.len());
        let mut previous_end: Option<usize> = None;
        let mut facts: Option<SentenceFacts> = None;
        for money in input.money {
            // "£48 million ($61 million)": the conversion belongs to the claim before it
            let is_conversion = previous_end.is_some_and(|pe| {
                let here = input.map.byte_of(text, money.start);
                let between = text.get(pe..here).filter(|b| b.len() < 16).unwrap_or("x");
                matches!(between.trim(), "(" | "(about" | "(or" | "(roughly")
            });
            previous_end = Some(input.map.byte_of(text, money.end));
            if is_conversion {
                continue;
            }
            let start = input.map.byte_of(text, money.start);
            let end = input.map.byte_of(text, money.end).max(start);
            let Some(si) = sentence_at(input.sentences, start) else {
                continue;
            };
            // a very long "sentence" (a table, noise) is read only near the amount, so the
            // work per amount stays bounded
            if facts.as_ref().is_none_or(|f| f.index != si) {
                facts = Some(self.sentence_facts(input, parties, si));
            }
            let Some(facts) = facts.as_ref() else {
                continue;
            };
            let mut span = clip(text, input.sentences[si], start, end);
            // an amount broken over a line ("$\n5 million") reaches past its sentence: the
            // evidence always holds the whole amount
            span.start = span.start.min(start);
            span.end = span.end.max(end);
            let claim = self.claim_for(
                input,
                parties,
                money,
                (start, end),
                facts,
                span,
                &deals,
                &mut roles_seen,
            );
            claims.push(claim);
        }
        claims
    }

    #[allow(clippy::too_many_arguments)]
    fn claim_for(
        &self,
        input: &ClaimInput<'_>,
        table: &PartyExtractor,
        money: &Money,
        (start, end): (usize, usize),
        facts: &SentenceFacts,
        span: SentenceSpan,
        deals: &std::cell::OnceCell<Vec<DealContext>>,
        roles_seen: &mut Vec<(String, String)>,
    ) -> Claim {
        let text = input.text;
        let sentence = &text[span.start..span.end];
        // offsets relative to the whole sentence (where the facts' offsets are)
        let base = input.sentences[facts.index].start;
        let lower = facts.lower.as_str();
        let (rel_start, rel_end) = (start - base, end.min(span.end) - base);
        let (win_start, win_end) = (span.start - base, span.end - base);
        let first_hit = facts.triggers.partition_point(|h| h.1 < win_start);
        let last_hit = facts.triggers.partition_point(|h| h.1 < win_end);
        let hits = &facts.triggers[first_hit..last_hit];

        // kind: the nearest trigger wins; a per-unit amount is a price, except spending at a
        // yearly (or other time) rate, which stays a cost
        let kind_trigger = self.nearest_trigger(hits, rel_start, rel_end, |t| t.kind.is_some());
        let trigger_kind = kind_trigger.and_then(|(t, _)| self.triggers[t].kind);
        let kind = match (&money.per, trigger_kind) {
            (Some(per), Some(ClaimKind::Cost)) if is_time_unit(per) => ClaimKind::Cost,
            (Some(_), _) => ClaimKind::Price,
            (None, Some(kind)) => kind,
            (None, None) => ClaimKind::Other,
        };
        // roles: the nearest trigger of that kind (or a role verb) that names roles, one
        // whose words tell the direction ("owes") before one that does not ("unpaid")
        let gives_roles = |t: &Trigger| {
            (t.subject_role.is_some() || t.object_role.is_some())
                && (t.kind.is_none() || t.kind == Some(kind) || kind == ClaimKind::Price)
        };
        let trigger = self
            .nearest_trigger(hits, rel_start, rel_end, |t| gives_roles(t) && !t.context)
            .or_else(|| self.nearest_trigger(hits, rel_start, rel_end, gives_roles));

        // attribution (before parties: a credited outlet is not a party)
        let (attribution, source_span) = (facts.attribution.clone(), facts.source_span);
        // a credited outlet or an unknown speaker is not a party; a known party stays one
        let source_span = source_span.filter(|_| {
            attribution
                .as_deref()
                .is_some_and(|a| table.is_publication(a) || !table.is_known(a))
        });

        // parties of the sentence
        let mentions: Vec<&PartyHit> = sentence_parties(input, span)
            .filter(|p| source_span.is_none_or(|(s, e)| p.end <= s || p.start >= e))
            .filter(|p| !is_owner_modifier(text, p, input.parties))
            .collect();
        let mut claim_parties: Vec<ClaimParty> = Vec::new();
        let add_role = |name: &str, role: Option<&String>, list: &mut Vec<ClaimParty>| {
            let idx = match list.iter().position(|c| c.name == name) {
                Some(i) => i,
                None => {
                    list.push(ClaimParty {
                        name: name.to_string(),
                        roles: Vec::new(),
                    });
                    list.len() - 1
                }
            };
            if let Some(role) = role {
                if !list[idx].roles.contains(role) {
                    list[idx].roles.push(role.clone());
                }
            }
        };
        if let Some((t, (ts, te))) = trigger {
            let trig = &self.triggers[t];
            let (ts, te) = (ts + base, te + base);
            let (subject, object) =
                self.roles_for(trig, input, table, &mentions, (ts, te), roles_seen);
            if let Some(s) = &subject {
                add_role(s, trig.subject_role.as_ref(), &mut claim_parties);
            }
            if let Some(o) = &object {
                add_role(o, trig.object_role.as_ref(), &mut claim_parties);
            }
            if let (Some(s), Some(o), Some(sr), Some(or)) =
                (&subject, &object, &trig.subject_role, &trig.object_role)
            {
                if matches!(sr.as_str(), "debtor" | "payer")
                    && matches!(or.as_str(), "creditor" | "payee")
                {
                    roles_seen.push((s.clone(), o.clone()));
                }
            }
        }
        // remaining parties, without roles; a party related to one with a role is dropped
        let mut by_distance: Vec<&PartyHit> = mentions;
        by_distance.sort_by_key(|p| distance((p.start, p.end), (start, end)));
        for p in by_distance {
            if claim_parties.iter().any(|c| c.name == p.name) {
                continue;
            }
            if p.party_type == PartyType::Org
                && claim_parties
                    .iter()
                    .any(|c| table.related(&c.name, &p.name))
            {
                continue;
            }
            add_role(&p.name, None, &mut claim_parties);
        }

        // "the bank, which reported ...": a sentence naming no party refers to the last one
        if claim_parties.is_empty() {
            if let Some(name) = facts
                .anaphor
                .and_then(|noun| antecedent(input, noun, span.start))
            {
                add_role(&name, None, &mut claim_parties);
            }
        }

        // term and start year (for deal-like kinds): the sentence's own, else the deal it
        // refers back to
        let (mut term_months, mut start_year) = (None, None);
        if matches!(
            kind,
            ClaimKind::ContractValue | ClaimKind::Debt | ClaimKind::Payment | ClaimKind::Investment
        ) {
            let own_term = self.own_term(input, span, facts.has_deal_noun, kind);
            let own_start = self.own_start_year(input, span);
            if own_term.is_some() {
                term_months = own_term;
                start_year = own_start;
            } else if facts.refers_back || terms_in(input.terms, span).any(|t| t.reference) {
                let deals = deals.get_or_init(|| self.deal_events(input));
                if let Some(deal) = deals.iter().rev().find(|d| d.pos < span.start) {
                    term_months = deal.months;
                    start_year = own_start.or(deal.start_year);
                }
            } else {
                start_year = own_start;
            }
        }

        // flags
        let (mut hedged, mut negated, mut disputed) = (false, false, false);
        let (clause_start, clause_end) =
            clause_around(lower, (win_start, win_end), rel_start, rel_end);
        let first_cue = facts.cues.partition_point(|c| c.1 < win_start);
        for &(flag, s, e) in &facts.cues[first_cue..] {
            if s >= win_end {
                break;
            }
            if e > win_end {
                continue;
            }
            match flag {
                CueFlag::Hedge => hedged |= s >= clause_start && e <= clause_end,
                CueFlag::Negate => negated = true,
                CueFlag::Dispute => disputed = true,
            }
        }

        Claim {
            id: claim_id(input.article_id, money.start),
            kind,
            amount: money.clone(),
            parties: claim_parties,
            term_months,
            start_year,
            attribution,
            hedged,
            negated,
            disputed,
            sentence: Sentence {
                text: sentence.to_string(),
                start: input.map.char_of(text, span.start),
                end: input.map.char_of(text, span.end),
            },
        }
    }

    /// The trigger nearest to the amount (`rel_start..rel_end` in `lower`), as
    /// (trigger index, span in `lower`).
    fn nearest_trigger(
        &self,
        hits: &[(usize, usize, usize)],
        rel_start: usize,
        rel_end: usize,
        accept: impl Fn(&Trigger) -> bool,
    ) -> Option<(usize, (usize, usize))> {
        // the span returned ends at the first part's end for a two-part trigger, so that
        // roles read the words right after it ("cost Twitter ... in advertising income")
        let mut best: Option<(i64, usize, (usize, usize))> = None;
        // first parts of two-part triggers waiting for their second part
        let mut open: Vec<(usize, usize, usize)> = Vec::new(); // (trigger, start, end)
        let consider = |t: usize,
                        (s, e): (usize, usize),
                        report_end: usize,
                        best: &mut Option<(i64, usize, (usize, usize))>| {
            let Some(trig) = self.triggers.get(t) else {
                return;
            };
            if !accept(trig) {
                return;
            }
            let d = distance((s, e), (rel_start, rel_end)) as i64 - trig.weight;
            if best.is_none_or(|(bd, _, _)| d < bd) {
                *best = Some((d, t, (s, report_end)));
            }
        };
        for &(pattern, s, e) in hits {
            if s < rel_end && rel_start < e {
                continue;
            }
            let Some(parts) = self.trigger_parts.get(pattern) else {
                continue;
            };
            for &(t, part) in parts {
                let Some(trig) = self.triggers.get(t) else {
                    continue;
                };
                if trig.parts == 1 {
                    consider(t, (s, e), e, &mut best);
                } else if part == 0 {
                    open.push((t, s, e));
                } else if let Some(&(_, first_start, first_end)) =
                    open.iter().rev().find(|(ot, _, _)| *ot == t)
                {
                    consider(t, (first_start, e), first_end, &mut best);
                }
            }
        }
        best.map(|(_, t, span)| (t, span))
    }

    /// Who takes the subject and object roles of a trigger at `ts..te` (byte offsets).
    fn roles_for(
        &self,
        trig: &Trigger,
        input: &ClaimInput<'_>,
        table: &PartyExtractor,
        mentions: &[&PartyHit],
        (ts, te): (usize, usize),
        roles_seen: &[(String, String)],
    ) -> (Option<String>, Option<String>) {
        if trig.subject_role.is_none() && trig.object_role.is_none() {
            return (None, None);
        }
        let orgs_first = |list: &[&PartyHit]| -> Vec<String> {
            let mut names: Vec<String> = Vec::new();
            for p in list {
                if !names.contains(&p.name) {
                    names.push(p.name.clone());
                }
            }
            names
        };
        let names = orgs_first(mentions);
        if trig.context {
            // an earlier claim between related parties tells the direction
            for (a, b) in roles_seen.iter().rev() {
                let sa = names.iter().find(|n| table.related(n, a));
                let sb = names
                    .iter()
                    .find(|n| table.related(n, b) && !table.related(n, a));
                if let (Some(sa), Some(sb)) = (sa, sb) {
                    return (Some(sa.clone()), Some(sb.clone()));
                }
            }
        }
        let before: Option<&&PartyHit> = mentions.iter().rev().find(|p| p.end <= ts);
        let mut subject = before.map(|p| p.name.clone());
        let after: Vec<&&PartyHit> = mentions.iter().filter(|p| p.start >= te).collect();
        if subject.is_none() {
            // "In exchange for agreeing to pay X, Twitter promised ...": the main-clause
            // subject follows the first comma after the trigger
            if let Some(first) = after.first() {
                let gap = &input.text[te..first.start];
                if gap.contains(',') {
                    subject = Some(first.name.clone());
                }
            }
        }
        let mut object = after
            .iter()
            .find(|p| Some(&p.name) != subject.as_ref())
            .map(|p| p.name.clone());
        if subject.is_none() {
            subject = names.iter().find(|n| Some(*n) != object.as_ref()).cloned();
        }
        if object.is_none() {
            object = names.iter().find(|n| Some(*n) != subject.as_ref()).cloned();
        }
        (subject, object)
    }

    /// A term stated in the sentence that belongs to a deal (or any term for a contract value).
    fn own_term(
        &self,
        input: &ClaimInput<'_>,
        span: SentenceSpan,
        has_deal: bool,
        kind: ClaimKind,
    ) -> Option<u32> {
        if !has_deal && kind != ClaimKind::ContractValue {
            return None;
        }
        terms_in(input.terms, span)
            .filter(|t| !t.reference)
            .find_map(|t| t.months.or_else(|| t.until_year.map(|_| 0)))
            .filter(|&m| m > 0)
    }

    /// A start year stated in the sentence: a year after a verb of signing or "in"/"since".
    fn own_start_year(&self, input: &ClaimInput<'_>, span: SentenceSpan) -> Option<i32> {
        start_year_in(input.text, input.dates, span)
    }

    /// The attribution of sentence `si` (read within `current`), as (source, byte span of the
    /// source in the text).
    fn attribution(
        &self,
        input: &ClaimInput<'_>,
        table: &PartyExtractor,
        si: usize,
        current: SentenceSpan,
        (current_lower, current_literals): (&str, &[(usize, usize, usize)]),
    ) -> (Option<String>, Option<(usize, usize)>) {
        let mut index = si;
        let mut carried = false;
        // at most a few sentences back, within the paragraph
        for _ in 0..4 {
            let span = if index == si {
                current
            } else {
                let whole = input.sentences[index];
                clip(input.text, whole, whole.end, whole.end)
            };
            let (source, is_carry) = if index == si {
                self.attribution_in(input, table, span, current_lower, current_literals)
            } else {
                let lower = input.text[span.start..span.end].to_ascii_lowercase();
                let hits = self.literal_hits(&lower);
                self.attribution_in(input, table, span, &lower, &hits.attribution)
            };
            if let Some((name, s, e)) = source {
                return (Some(name), if carried { None } else { Some((s, e)) });
            }
            if !is_carry || index == 0 {
                break;
            }
            let previous = input.sentences[index - 1];
            if previous.paragraph != span.paragraph {
                break;
            }
            index -= 1;
            carried = true;
        }
        (None, None)
    }

    /// The source named in one sentence, and whether the sentence carries an earlier one.
    fn attribution_in(
        &self,
        input: &ClaimInput<'_>,
        table: &PartyExtractor,
        span: SentenceSpan,
        lower: &str,
        literals: &[(usize, usize, usize)],
    ) -> (Option<(String, usize, usize)>, bool) {
        let mut carry = false;
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for &(literal, start, end) in literals {
            if !word_edges(lower, start, end) {
                continue;
            }
            let Some(users) = self.attribution_literals.get(literal) else {
                continue;
            };
            for &(pi, _) in users {
                if self.attribution[pi].carry {
                    carry = true;
                } else {
                    hits.push((pi, start, end));
                }
            }
        }
        // patterns in file order, each at its occurrences in text order
        hits.sort_unstable();
        for (pi, at, literal_end) in hits {
            let pattern = &self.attribution[pi];
            if !pattern.before.is_empty() {
                let Some(found) = source_after(input, table, span.start + literal_end) else {
                    continue;
                };
                if found.2 > span.end {
                    continue;
                }
                if pattern.after.is_empty()
                    || lower[found.2 - span.start..]
                        .trim_start()
                        .starts_with(&pattern.after)
                {
                    return (Some(found), carry);
                }
            } else {
                if REPORT_VERBS.contains(&pattern.after.as_str())
                    && !reads_as_credit(lower, literal_end)
                {
                    // "Veridane reported a net loss": the fact, not a credit
                    continue;
                }
                if let Some(found) = source_before(input, table, span.start + at, span.start) {
                    return (Some(found), carry);
                }
            }
        }
        (None, carry)
    }

    /// The facts of sentence `si` that every amount in it shares.
    fn sentence_facts(
        &self,
        input: &ClaimInput<'_>,
        table: &PartyExtractor,
        si: usize,
    ) -> SentenceFacts {
        let span = input.sentences[si];
        let lower = input.text[span.start..span.end].to_ascii_lowercase();
        let hits = self.literal_hits(&lower);
        let (mut has_deal_noun, mut refers_back, mut anaphor) = (false, false, None);
        for &(index, start, _) in &hits.words {
            let previous = previous_lower_word(&lower, start);
            if index < DEAL_NOUNS.len() {
                has_deal_noun = true;
                refers_back |= BACK_DETERMINERS.contains(&previous);
            } else if anaphor.is_none() && previous == "the" {
                anaphor = ORG_ANAPHORS.get(index - DEAL_NOUNS.len()).copied();
            }
        }
        let (attribution, source_span) =
            self.attribution(input, table, si, span, (&lower, &hits.attribution));
        let LiteralHits { triggers, cues, .. } = hits;
        SentenceFacts {
            index: si,
            lower,
            triggers,
            cues,
            has_deal_noun,
            refers_back,
            anaphor,
            attribution,
            source_span,
        }
    }

    /// Every literal of the rules in the lower-cased sentence `lower`, read in one pass.
    ///
    /// The combined automaton reports every occurrence of every literal; each family then
    /// keeps what its own matcher would have found: all of them for cues and attribution, the
    /// leftmost-longest non-overlapping ones for triggers, the first-ending non-overlapping
    /// ones for the deal words.
    fn literal_hits(&self, lower: &str) -> LiteralHits {
        let mut hits = LiteralHits::default();
        let mut trigger_found: Vec<(usize, usize, usize)> = Vec::new();
        let mut word_cursor = 0;
        for m in self.literal_matcher.find_overlapping_iter(lower) {
            let (start, end) = (m.start(), m.end());
            let Some(users) = self.literal_users.get(m.pattern().as_usize()) else {
                continue;
            };
            for &user in users {
                match user {
                    Literal::Trigger(p) => trigger_found.push((start, end, p)),
                    Literal::Cue(c) => {
                        if let Some(&flag) = self.cues.get(c) {
                            if word_edges(lower, start, end) {
                                hits.cues.push((flag, start, end));
                            }
                        }
                    }
                    Literal::Attribution(a) => hits.attribution.push((a, start, end)),
                    // matches come by end, the longest first at one end: the first one
                    // past the cursor is the one a fresh search from the cursor finds
                    Literal::Word(w) => {
                        if start >= word_cursor {
                            word_cursor = end;
                            if word_edges(lower, start, end) {
                                hits.words.push((w, start, end));
                            }
                        }
                    }
                }
            }
        }
        // leftmost first, the longest at one start
        trigger_found.sort_unstable_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        let mut cursor = 0;
        for (start, end, p) in trigger_found {
            if start >= cursor {
                cursor = end;
                if word_edges(lower, start, end) {
                    hits.triggers.push((p, start, end));
                }
            }
        }
        hits
    }

    /// Deals the article mentions with a term or start year, in text order.
    fn deal_events(&self, input: &ClaimInput<'_>) -> Vec<DealContext> {
        let mut events: Vec<DealContext> = Vec::new();
        let mut last_sentence = usize::MAX;
        let positions = input.terms.iter().map(|t| t.start).chain(
            input
                .dates
                .iter()
                .filter(|d| d.year.is_some() && d.month.is_none() && d.quarter.is_none())
                .map(|d| d.start),
        );
        let mut sentence_ids: Vec<usize> = positions
            .filter_map(|p| sentence_at(input.sentences, p))
            .collect();
        sentence_ids.sort_unstable();
        sentence_ids.dedup();
        for si in sentence_ids {
            if si == last_sentence {
                continue;
            }
            last_sentence = si;
            let span = input.sentences[si];
            let sentence = &input.text[span.start..span.end];
            let has_deal_noun = self.word_matcher.find_iter(sentence).any(|m| {
                m.pattern().as_usize() < DEAL_NOUNS.len()
                    && word_edges(sentence, m.start(), m.end())
            });
            if !has_deal_noun {
                continue;
            }
            let months = terms_in(input.terms, span)
                .filter(|t| !t.reference)
                .find_map(|t| t.months);
            let start_year = start_year_in(input.text, input.dates, span);
            if months.is_none() && start_year.is_none() {
                continue;
            }
            events.push(DealContext {
                pos: span.start,
                months,
                start_year,
            });
        }
        events
    }
}

/// The clause around `start..end` in `lower`, within `window`: between the nearest comma,
/// semicolon, colon or parenthesis before and after.
fn clause_around(
    lower: &str,
    (window_start, window_end): (usize, usize),
    start: usize,
    end: usize,
) -> (usize, usize) {
    let is_break = |b: u8| matches!(b, b',' | b';' | b':' | b'(' | b')');
    let bytes = lower.as_bytes();
    let window_end = window_end.min(bytes.len());
    let start = start.clamp(window_start.min(window_end), window_end);
    let end = end.clamp(start, window_end);
    let before = bytes[window_start.min(start)..start]
        .iter()
        .rposition(|&b| is_break(b))
        .map_or(window_start.min(start), |p| window_start.min(start) + p + 1);
    let after = bytes[end..window_end]
        .iter()
        .position(|&b| is_break(b))
        .map_or(window_end, |p| end + p);
    (before, after)
}

/// Nouns that, after "the", refer back to an organisation named earlier.
const ORG_ANAPHORS: &[&str] = &[
    "company",
    "bank",
    "firm",
    "group",
    "club",
    "startup",
    "lender",
    "state",
    "agency",
    "regulator",
    "insurer",
    "carrier",
    "airline",
    "retailer",
    "platform",
    "team",
    "studio",
];

/// The organisation that "the company" / "the bank" in `lower` refers to: the last one named
/// before `before` (one whose name holds the noun, if any).
fn antecedent(input: &ClaimInput<'_>, noun: &str, before: usize) -> Option<String> {
    let earlier = &input.parties[..input.parties.partition_point(|p| p.start < before)];
    let orgs = earlier
        .iter()
        .rev()
        .filter(|p| p.party_type == PartyType::Org);
    orgs.clone()
        .take(8)
        .find(|p| p.name.to_ascii_lowercase().contains(noun))
        .or_else(|| orgs.clone().next())
        .map(|p| p.name.clone())
}

/// Verbs of reporting that also take the fact as object ("reported revenue of ...").
const REPORT_VERBS: &[&str] = &[
    "reported",
    "reports",
    "has reported",
    "estimated",
    "estimates",
];

/// Whether the words after a reporting verb (from byte `at` of `lower`) make it a credit:
/// end of sentence, punctuation or "that".
fn reads_as_credit(lower: &str, at: usize) -> bool {
    let rest = lower[at..].trim_start();
    rest.is_empty()
        || rest.starts_with([',', '.', ';', ':', '!', '?'])
        || [
            "that ",
            "on ",
            "last ",
            "this ",
            "earlier",
            "yesterday",
            "today",
            "late ",
        ]
        .iter()
        .any(|w| rest.starts_with(w))
}

/// Whether a rate's unit is a span of time ("a year", "per month").
fn is_time_unit(per: &str) -> bool {
    matches!(
        per.to_ascii_lowercase().trim_end_matches('s'),
        "year" | "annum" | "month" | "quarter" | "week" | "day" | "hour"
    )
}

/// Byte distance between two spans (0 when they overlap or one holds the other).
fn distance((a_start, a_end): (usize, usize), (b_start, b_end): (usize, usize)) -> usize {
    a_start.max(b_start).saturating_sub(a_end.min(b_end))
}

fn sentence_parties<'a>(
    input: &ClaimInput<'a>,
    span: SentenceSpan,
) -> impl Iterator<Item = &'a PartyHit> {
    let first = input.parties.partition_point(|p| p.start < span.start);
    input.parties[first..]
        .iter()
        .take_while(move |p| p.end <= span.end)
}

fn terms_in(terms: &[TermHit], span: SentenceSpan) -> impl Iterator<Item = &TermHit> {
    let first = terms.partition_point(|t| t.start < span.start);
    terms[first..].iter().take_while(move |t| t.end <= span.end)
}

fn start_year_in(text: &str, dates: &[DateHit], span: SentenceSpan) -> Option<i32> {
    let first = dates.partition_point(|d| d.start < span.start);
    dates[first..]
        .iter()
        .take_while(|d| d.end <= span.end)
        .filter(|d| d.quarter.is_none() && !d.relative)
        .find(|d| {
            let from = floor_boundary(text, d.start.saturating_sub(40).max(span.start));
            let before = text[from..d.start].trim_end().to_ascii_lowercase();
            let word = before.rsplit(' ').next().unwrap_or("");
            let to = ceil_boundary(text, (d.end + 40).min(span.end));
            let after = text[d.end..to]
                .trim_start_matches([' ', '-'])
                .to_ascii_lowercase();
            START_VERBS.contains(&word) || DEAL_NOUNS.iter().any(|n| after.starts_with(n))
        })
        .and_then(|d| d.year)
}

/// Bytes of a sentence read on each side of an amount.
const WINDOW: usize = 400;

/// The sentence `span`, cut to [`WINDOW`] bytes on each side of `start..end`.
fn clip(text: &str, span: SentenceSpan, start: usize, end: usize) -> SentenceSpan {
    SentenceSpan {
        start: floor_boundary(text, start.saturating_sub(WINDOW).max(span.start)),
        end: ceil_boundary(text, (end + WINDOW).min(span.end)),
        paragraph: span.paragraph,
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A person mention that only qualifies an organisation ("Elon Musk's Twitter").
fn is_owner_modifier(text: &str, p: &PartyHit, all: &[PartyHit]) -> bool {
    if p.party_type != PartyType::Person {
        return false;
    }
    let rest = &text[p.end..];
    let after = rest
        .strip_prefix("'s ")
        .or_else(|| rest.strip_prefix("\u{2019}s "));
    let Some(after) = after else { return false };
    let next_start = text.len() - after.len();
    let idx = all.partition_point(|q| q.start < next_start);
    all.get(idx)
        .is_some_and(|q| q.start == next_start && q.party_type == PartyType::Org)
}

/// A source name starting at byte `at` (after "according to"): a known party, or "the" and
/// capitalised words.
fn source_after(
    input: &ClaimInput<'_>,
    table: &PartyExtractor,
    at: usize,
) -> Option<(String, usize, usize)> {
    let text = input.text;
    let rest = &text[at..];
    let skipped = rest.len() - rest.trim_start().len();
    let start = at + skipped;
    let idx = input.parties.partition_point(|p| p.start < start);
    if let Some(p) = input.parties.get(idx).filter(|p| p.start - start <= 8) {
        let gap = text[start..p.start].to_ascii_lowercase();
        if p.start == start || gap.trim_end() == "the" {
            return Some((p.name.clone(), start, p.end));
        }
    }
    let (name, end) = capitalised_run(text, start)?;
    let canonical = table.canonical(&name).map(str::to_string).unwrap_or(name);
    Some((canonical, start, end))
}

/// A source name ending right before byte `at` (before "said", "reported").
fn source_before(
    input: &ClaimInput<'_>,
    table: &PartyExtractor,
    at: usize,
    sentence_start: usize,
) -> Option<(String, usize, usize)> {
    let text = input.text;
    let end = sentence_start + text.get(sentence_start..at)?.trim_end().len();
    let idx = input.parties.partition_point(|p| p.end <= end);
    if let Some(p) = idx.checked_sub(1).and_then(|i| input.parties.get(i)) {
        if p.end == end && p.start >= sentence_start {
            return Some((p.name.clone(), p.start, p.end));
        }
    }
    // capitalised words ending at `end`
    let before = &text[sentence_start..end];
    let mut words: Vec<&str> = Vec::new();
    for word in before.split(' ').rev() {
        if word.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && word
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'&')
        {
            words.push(word);
        } else {
            break;
        }
    }
    if words.is_empty() || words.len() > 4 {
        return None;
    }
    words.reverse();
    let first = words.first()?;
    if matches!(
        *first,
        "The" | "It" | "He" | "She" | "They" | "We" | "I" | "This" | "That"
    ) && words.len() == 1
    {
        return None;
    }
    let name = words.join(" ");
    let start = end - name.len();
    let canonical = table.canonical(&name).map(str::to_string).unwrap_or(name);
    Some((canonical, start, end))
}

/// "the Information", "The Wall Street Journal", "Reuters": optional "the" and capitalised
/// words starting at byte `start`.
fn capitalised_run(text: &str, start: usize) -> Option<(String, usize)> {
    let rest = &text[start..];
    let mut end = start;
    let mut words = 0;
    let mut offset = 0;
    for (i, word) in rest.split(' ').enumerate() {
        let clean = word.trim_end_matches([',', '.', ';', ':']);
        let is_the = i == 0 && clean.eq_ignore_ascii_case("the");
        let capital = clean.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
            && clean
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'&' || b == b'-');
        if !(is_the || capital) {
            break;
        }
        if capital {
            words += 1;
        }
        end = start + offset + clean.len();
        offset += word.len() + 1;
        if clean.len() != word.len() || words >= 5 {
            break;
        }
    }
    if words == 0 {
        return None;
    }
    Some((text[start..end].to_string(), end))
}

/// The lower-case ASCII word before byte `pos` of `lower` (at most 16 bytes).
fn previous_lower_word(lower: &str, pos: usize) -> &str {
    let bytes = lower.as_bytes();
    let mut end = pos;
    while end > 0 && bytes[end - 1] == b' ' && pos - end < 4 {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes[start - 1].is_ascii_alphabetic() && end - start < 16 {
        start -= 1;
    }
    &lower[start..end]
}

/// Whether `lower[s..e]` stands as whole words.
/// A claim's id: its article's id and the character offset of its amount.
fn claim_id(article_id: &str, amount_start: usize) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = amount_start;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&digits[at..]).unwrap_or("0");
    let mut id = String::with_capacity(article_id.len() + 1 + digits.len());
    id.push_str(article_id);
    id.push(':');
    id.push_str(digits);
    id
}

fn word_edges(lower: &str, s: usize, e: usize) -> bool {
    let bytes = lower.as_bytes();
    let before_ok = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
    let after_ok = e >= bytes.len() || !bytes[e].is_ascii_alphanumeric();
    before_ok && after_ok
}

#[cfg(test)]
mod tests {
    use super::super::Extractor;
    use super::{word_edges, ClaimExtractor, Literal, LiteralHits};
    use crate::model::{Article, Claim, ClaimKind, Money, Qualifier};
    use crate::rules::RuleSet;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;
    use regex::Regex;
    use rust_decimal::Decimal;

    /// A small stand-in for the money extractor, enough for these sentences.
    fn test_money(text: &str) -> Vec<Money> {
        let re = Regex::new(
            r"(?:(at least|about|more than|roughly|up to) )?[$£€](\d+(?:\.\d+)?)(?: (million|billion))?(?: (per share|a year|per vehicle))?",
        )
        .expect("valid");
        re.captures_iter(text)
            .filter_map(|c| {
                let m = c.get(0)?;
                let start = text[..m.start()].chars().count();
                let currency = match text[m.start()..].chars().find(|ch| "$£€".contains(*ch)) {
                    Some('£') => "GBP",
                    Some('€') => "EUR",
                    _ => "USD",
                };
                let mut value: Decimal = c.get(2)?.as_str().parse().ok()?;
                value *= match c.get(3).map(|s| s.as_str()) {
                    Some("million") => Decimal::from(1_000_000),
                    Some("billion") => Decimal::from(1_000_000_000),
                    _ => Decimal::ONE,
                };
                let qualifier = match c.get(1).map(|s| s.as_str()) {
                    Some("at least") | Some("more than") => Qualifier::AtLeast,
                    Some("about") | Some("roughly") => Qualifier::Approx,
                    Some("up to") => Qualifier::AtMost,
                    _ => Qualifier::Exact,
                };
                let per = c
                    .get(4)
                    .map(|p| p.as_str().rsplit(' ').next().unwrap_or("").to_string());
                Some(Money {
                    text: m.as_str().to_string(),
                    start,
                    end: start + m.as_str().chars().count(),
                    currency: Some(currency.to_string()),
                    value: Some(value),
                    low: Some(value),
                    high: Some(value),
                    qualifier,
                    per,
                })
            })
            .collect()
    }

    #[test]
    fn evidence_holds_an_amount_broken_over_a_line() {
        // found by the `extract` fuzz target: "$" ends one line, the figure starts the next
        for text in [
            "$\n0-",
            "Twitter owed $\n70 million to AWS.\nIt paid $\n10 million.",
        ] {
            for claim in claims_of(text, "2023-03-01") {
                assert!(claim.sentence.start <= claim.amount.start, "{claim:?}");
                assert!(claim.amount.end <= claim.sentence.end, "{claim:?}");
            }
        }
    }

    fn claims_of(text: &str, published: &str) -> Vec<Claim> {
        let extractor = Extractor::new(&RuleSet::embedded()).expect("rules build");
        let article = Article {
            id: "a1".into(),
            text: text.into(),
            published: Some(published.into()),
            ..Article::default()
        };
        extractor
            .extract_with_money(&article, test_money(text))
            .claims
    }

    fn claim<'a>(claims: &'a [Claim], amount: &str) -> &'a Claim {
        claims
            .iter()
            .find(|c| c.amount.text == amount)
            .unwrap_or_else(|| panic!("no claim for {amount}: {claims:#?}"))
    }

    fn roles<'a>(c: &'a Claim, name: &str) -> Option<&'a [String]> {
        c.parties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.roles.as_slice())
    }

    /// The seed story, retold in our own words with the same facts.
    const SEED_RETOLD: &str = "Amazon is reportedly angry that Elon Musk\u{2019}s Twitter has stopped paying its $70 million cloud bill, even though Twitter depends on Amazon Web Services for much of its operations.\nA report from the Information says Musk\u{2019}s Twitter has not paid Amazon Web Services (AWS) for several months. The tech outlet claims AWS will not reopen the five-and-a-half-year deal it inked with Twitter in 2020, which leaves at least $70 million in unpaid balances.\nIn return for agreeing to pay $510 million over the course of the contract, Twitter pledged to move its core hosting to AWS. That never happened, because Twitter now leans on Google Cloud. Despite Twitter\u{2019}s efforts to trim its Google Cloud spending, the company\u{2019}s $1 billion, five-year deal with Google remains in force.\nAWS has threatened to stop paying for the ads it runs on Twitter. In the first quarter alone, this is expected to cost Twitter about $1 million in advertising income, more once Amazon Studios is counted. Twitter has paid $10 million toward its AWS bill, but it still owes a large sum.";

    #[test]
    fn seed_story_claims() {
        let claims = claims_of(SEED_RETOLD, "2023-03-24");
        let extractor = Extractor::new(&RuleSet::embedded()).expect("rules build");
        let table = extractor.parties();

        let debt = claim(&claims, "at least $70 million");
        assert_eq!(debt.kind, ClaimKind::Debt);
        assert_eq!(roles(debt, "Twitter"), Some(&["debtor".to_string()][..]));
        assert_eq!(
            roles(debt, "Amazon Web Services"),
            Some(&["creditor".to_string()][..])
        );
        assert_eq!(debt.attribution.as_deref(), Some("The Information"));

        let contract = claim(&claims, "$510 million");
        assert_eq!(contract.kind, ClaimKind::ContractValue);
        assert!(roles(contract, "Twitter").is_some());
        assert!(roles(contract, "Amazon Web Services").is_some());
        assert_eq!(contract.term_months, Some(66));
        assert_eq!(contract.start_year, Some(2020));

        let google = claim(&claims, "$1 billion");
        assert_eq!(google.kind, ClaimKind::ContractValue);
        assert!(roles(google, "Twitter").is_some());
        assert!(google.parties.iter().any(|p| p.name == "Google"));
        assert_eq!(google.term_months, Some(60));
        assert_eq!(google.start_year, None);

        let paid = claim(&claims, "$10 million");
        assert_eq!(paid.kind, ClaimKind::Payment);
        assert_eq!(roles(paid, "Twitter"), Some(&["payer".to_string()][..]));
        assert_eq!(
            roles(paid, "Amazon Web Services"),
            Some(&["payee".to_string()][..])
        );

        let loss = claim(&claims, "about $1 million");
        assert_eq!(loss.kind, ClaimKind::Loss);
        assert!(loss.hedged);
        assert!(roles(loss, "Twitter").is_some());
        let advertiser = loss
            .parties
            .iter()
            .find(|p| p.roles.iter().any(|r| r == "advertiser"))
            .expect("an advertiser");
        assert!(table.related(&advertiser.name, "Amazon"), "{advertiser:?}");

        for c in &claims {
            assert_eq!(c.id, format!("a1:{}", c.amount.start));
            let sentence: String = SEED_RETOLD
                .chars()
                .skip(c.sentence.start)
                .take(c.sentence.end - c.sentence.start)
                .collect();
            assert_eq!(sentence, c.sentence.text);
        }
    }

    #[test]
    fn examples_file_holds() {
        let rules = RuleSet::embedded();
        let mut failures = Vec::new();
        let mut count = 0;
        for (line, fields) in rules.file("claims/examples.tsv").rows() {
            let [sentence, amount, kind, parties, term, start, flags] = fields[..] else {
                panic!("claims/examples.tsv:{line}: expected 7 fields");
            };
            count += 1;
            let claims = claims_of(sentence, "2024-06-01");
            let Some(c) = claims.iter().find(|c| c.amount.text == amount) else {
                failures.push(format!("line {line}: no claim for {amount}"));
                continue;
            };
            let mut problems = Vec::new();
            if c.kind.as_str() != kind {
                problems.push(format!("kind {}", c.kind.as_str()));
            }
            let want: Vec<(&str, Vec<&str>)> = if parties == "-" {
                Vec::new()
            } else {
                parties
                    .split(',')
                    .map(|p| {
                        let mut it = p.trim().split(':');
                        let name = it.next().unwrap_or("");
                        let roles = it
                            .next()
                            .map(|r| r.split('+').collect())
                            .unwrap_or_default();
                        (name, roles)
                    })
                    .collect()
            };
            let mut got: Vec<&str> = c.parties.iter().map(|p| p.name.as_str()).collect();
            let mut want_names: Vec<&str> = want.iter().map(|(n, _)| *n).collect();
            got.sort_unstable();
            want_names.sort_unstable();
            if got != want_names {
                problems.push(format!("parties {got:?}"));
            }
            for (name, want_roles) in &want {
                let have = super::tests::roles(c, name).unwrap_or(&[]);
                if !want_roles.iter().all(|r| have.iter().any(|h| h == r)) {
                    problems.push(format!("roles of {name}: {have:?}"));
                }
            }
            if c.term_months != term.parse().ok() {
                problems.push(format!("term {:?}", c.term_months));
            }
            if c.start_year != start.parse().ok() {
                problems.push(format!("start {:?}", c.start_year));
            }
            let have_flags = (c.hedged, c.negated, c.disputed);
            let want_flags = (
                flags.contains('h'),
                flags.contains('n'),
                flags.contains('d'),
            );
            if have_flags != want_flags {
                problems.push(format!("flags {have_flags:?}"));
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "line {line}: {sentence:?}: {}",
                    problems.join("; ")
                ));
            }
        }
        assert!(count >= 15);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// What the four family matchers the combined one replaced find in `lower`: triggers
    /// leftmost-longest, cues and attribution literals all of them (overlapping), deal
    /// words first-found; each kept at word edges as the readers do.
    fn family_hits(claims: &ClaimExtractor, lower: &str) -> LiteralHits {
        let mut families: [Vec<(usize, String)>; 4] = Default::default();
        for (literal, users) in claims.literal_users.iter().enumerate() {
            for user in users {
                let (family, index) = match *user {
                    Literal::Trigger(i) => (0, i),
                    Literal::Cue(i) => (1, i),
                    Literal::Attribution(i) => (2, i),
                    Literal::Word(i) => (3, i),
                };
                families[family].push((index, claims.literal_texts[literal].clone()));
            }
        }
        let matcher = |family: &[(usize, String)], kind: MatchKind| {
            let mut sorted = family.to_vec();
            sorted.sort();
            let patterns: Vec<String> = sorted.iter().map(|(_, p)| p.clone()).collect();
            let ids: Vec<usize> = sorted.iter().map(|(i, _)| *i).collect();
            let automaton = AhoCorasick::builder()
                .match_kind(kind)
                .build(&patterns)
                .expect("matcher");
            (automaton, ids)
        };
        let mut hits = LiteralHits::default();
        let (triggers, ids) = matcher(&families[0], MatchKind::LeftmostLongest);
        for m in triggers.find_iter(lower) {
            if word_edges(lower, m.start(), m.end()) {
                hits.triggers
                    .push((ids[m.pattern().as_usize()], m.start(), m.end()));
            }
        }
        let (cues, ids) = matcher(&families[1], MatchKind::Standard);
        for m in cues.find_overlapping_iter(lower) {
            if word_edges(lower, m.start(), m.end()) {
                let flag = claims.cues[ids[m.pattern().as_usize()]];
                hits.cues.push((flag, m.start(), m.end()));
            }
        }
        let (attribution, ids) = matcher(&families[2], MatchKind::Standard);
        for m in attribution.find_overlapping_iter(lower) {
            hits.attribution
                .push((ids[m.pattern().as_usize()], m.start(), m.end()));
        }
        let (words, ids) = matcher(&families[3], MatchKind::Standard);
        for m in words.find_iter(lower) {
            if word_edges(lower, m.start(), m.end()) {
                hits.words
                    .push((ids[m.pattern().as_usize()], m.start(), m.end()));
            }
        }
        hits
    }

    fn same_hits(a: &LiteralHits, b: &LiteralHits) -> bool {
        // matches ending at one place may come in another order; the readers sort or
        // scan them by position
        let sorted = |mut v: Vec<(usize, usize, usize)>| {
            v.sort_unstable();
            v
        };
        let cues = |v: &[(super::CueFlag, usize, usize)]| {
            let mut v: Vec<(usize, usize, String)> = v
                .iter()
                .map(|(f, s, e)| (*s, *e, format!("{f:?}")))
                .collect();
            v.sort();
            v
        };
        a.triggers == b.triggers
            && a.words == b.words
            && sorted(a.attribution.clone()) == sorted(b.attribution.clone())
            && cues(&a.cues) == cues(&b.cues)
    }

    #[test]
    fn one_pass_finds_what_the_family_matchers_found_in_the_corpus() {
        let claims = ClaimExtractor::new(&RuleSet::embedded()).expect("rules");
        let mut sentences = 0;
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
            .expect("corpus")
            .flatten()
        {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for sentence in text.split(['.', '\n']) {
                let lower = sentence.to_ascii_lowercase();
                let (one, four) = (claims.literal_hits(&lower), family_hits(&claims, &lower));
                assert!(same_hits(&one, &four), "{lower:?}: {one:?} vs {four:?}");
                sentences += 1;
            }
        }
        assert!(sentences > 200, "only {sentences} sentences read");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Sentences made of rule literals, their pieces and filler, run together or apart.
        #[test]
        fn one_pass_finds_what_the_family_matchers_find(
            picks in proptest::collection::vec((0usize..10_000, 0usize..6), 1..24)
        ) {
            let claims = ClaimExtractor::new(&RuleSet::embedded()).expect("rules");
            let filler = ["the", "deal", "said", "a", "of", "x", "-", "s"];
            let mut lower = String::new();
            for (pick, glue) in picks {
                let literal = &claims.literal_texts[pick % claims.literal_texts.len()];
                let piece = match glue {
                    0 => literal.as_str(),
                    1 => literal.get(..literal.len() / 2).unwrap_or(literal),
                    2 => literal.get(literal.len() / 2..).unwrap_or(literal),
                    _ => filler[pick % filler.len()],
                };
                lower.push_str(piece);
                if glue != 5 {
                    lower.push(' ');
                }
            }
            let (one, four) = (claims.literal_hits(&lower), family_hits(&claims, &lower));
            prop_assert!(same_hits(&one, &four), "{:?}: {:?} vs {:?}", lower, one, four);
        }
    }
}
