//! The shared vocabulary that every stage hands on:
//! [`Article`] → ([`Money`], [`Party`], [`Term`], [`DateMention`], [`Claim`]) → [`Finding`].
//!
//! Offsets (`start`, `end`) are always character (Unicode scalar value) offsets into the
//! article's `text`, end exclusive.

use rust_decimal::Decimal;
pub mod json_text;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One news article, as loaded or fetched and cleaned.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Article {
    /// Where the article came from: a path, `path:line`, a URL or `-`.
    #[serde(default)]
    pub input: String,
    /// Stable id (kept from the input when given, else derived from the URL or content).
    #[serde(default)]
    pub id: String,
    /// Canonical URL, when known.
    #[serde(default)]
    pub url: Option<String>,
    /// Publisher or outlet.
    #[serde(default)]
    pub source: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Authors, in byline order.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Publication date or date-time, ISO 8601 (`YYYY-MM-DD` or RFC 3339).
    #[serde(default)]
    pub published: Option<String>,
    /// Last modification date or date-time, ISO 8601.
    #[serde(default)]
    pub modified: Option<String>,
    /// Language code (`en`, `de`, ...), when known.
    #[serde(default)]
    pub language: Option<String>,
    /// Main text, paragraphs separated by a blank line.
    #[serde(default, serialize_with = "json_text::serialize")]
    pub text: String,
    /// Input fields concord does not model, kept as they came.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub metadata: Map<String, Value>,
}

/// What an amount's words say about its precision.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// A plain figure: "$510 million".
    Exact,
    /// "about", "around", "roughly", "some".
    Approx,
    /// "at least", "more than", "over", "upwards of".
    AtLeast,
    /// "up to", "less than", "under", "nearly", "almost".
    AtMost,
    /// Two ends: "$5m to $7m", "$1.5-2 billion".
    Range,
}

/// A money mention found in text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Money {
    /// The words as they stand in the text.
    pub text: String,
    /// Start offset (characters).
    pub start: usize,
    /// End offset (characters, exclusive).
    pub end: usize,
    /// ISO 4217 code, or `None` when it cannot be told.
    pub currency: Option<String>,
    /// The amount in the major unit; `None` for a range or an open bound.
    pub value: Option<Decimal>,
    /// Lower end of the interval the words allow; `None` where open.
    pub low: Option<Decimal>,
    /// Upper end of the interval the words allow; `None` where open.
    pub high: Option<Decimal>,
    /// How precise the words are.
    pub qualifier: Qualifier,
    /// The unit of a rate or price ("share", "hour"), else `None`.
    pub per: Option<String>,
}

/// Kind of party.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum PartyType {
    /// A company, agency or other organisation.
    Org,
    /// A named person.
    Person,
}

/// A party (organisation or person) mentioned in text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Party {
    /// Canonical name (from the alias table, or the cleaned surface form).
    pub name: String,
    /// The words as they stand in the text.
    pub text: String,
    /// Start offset (characters).
    pub start: usize,
    /// End offset (characters, exclusive).
    pub end: usize,
    /// Organisation or person.
    #[serde(rename = "type")]
    pub party_type: PartyType,
}

/// A duration or contract term.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Term {
    /// The words as they stand in the text.
    pub text: String,
    /// Start offset (characters).
    pub start: usize,
    /// End offset (characters, exclusive).
    pub end: usize,
    /// Length in months, when the words give one.
    pub months: Option<u32>,
    /// Last year covered ("through 2030"), when the words give one.
    pub until_year: Option<i32>,
}

/// A date or period mentioned in text, resolved where possible.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DateMention {
    /// The words as they stand in the text.
    pub text: String,
    /// Start offset (characters).
    pub start: usize,
    /// End offset (characters, exclusive).
    pub end: usize,
    /// Year, when known.
    pub year: Option<i32>,
    /// Quarter (1-4), when the mention names one.
    pub quarter: Option<u8>,
    /// Month (1-12), when the mention names one.
    pub month: Option<u8>,
    /// True when resolved against the article's published date ("last year").
    pub relative: bool,
}

/// The kind of monetary fact a claim states.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// Total value of a contract or deal.
    ContractValue,
    /// Money owed, unpaid or overdue.
    Debt,
    /// Money paid.
    Payment,
    /// Revenue, sales or income earned.
    Revenue,
    /// Money lost or income at risk.
    Loss,
    /// A fine or penalty.
    Fine,
    /// Money raised or invested.
    Investment,
    /// A valuation.
    Valuation,
    /// A price or rate (per unit).
    Price,
    /// A cost or spending.
    Cost,
    /// Any other money fact.
    Other,
}

impl ClaimKind {
    /// The snake_case name used in JSON and queries.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::ContractValue => "contract_value",
            ClaimKind::Debt => "debt",
            ClaimKind::Payment => "payment",
            ClaimKind::Revenue => "revenue",
            ClaimKind::Loss => "loss",
            ClaimKind::Fine => "fine",
            ClaimKind::Investment => "investment",
            ClaimKind::Valuation => "valuation",
            ClaimKind::Price => "price",
            ClaimKind::Cost => "cost",
            ClaimKind::Other => "other",
        }
    }

    /// Every kind, in a stable order.
    pub const ALL: [ClaimKind; 11] = [
        ClaimKind::ContractValue,
        ClaimKind::Debt,
        ClaimKind::Payment,
        ClaimKind::Revenue,
        ClaimKind::Loss,
        ClaimKind::Fine,
        ClaimKind::Investment,
        ClaimKind::Valuation,
        ClaimKind::Price,
        ClaimKind::Cost,
        ClaimKind::Other,
    ];

    /// Parses a snake_case kind name.
    pub fn parse(name: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// A party named in a claim, with the roles the sentence gives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimParty {
    /// Canonical name.
    pub name: String,
    /// Roles such as `payer`, `payee`, `debtor`, `creditor`, `buyer`, `seller`, `advertiser`.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A sentence with its offsets in the article text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sentence {
    /// The sentence text.
    #[serde(serialize_with = "json_text::serialize")]
    pub text: String,
    /// Start offset (characters).
    pub start: usize,
    /// End offset (characters, exclusive).
    pub end: usize,
}

/// One money fact stated in one sentence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claim {
    /// Stable id: the article id and the amount's offset.
    pub id: String,
    /// What kind of fact.
    pub kind: ClaimKind,
    /// The amount.
    pub amount: Money,
    /// Parties with their roles.
    pub parties: Vec<ClaimParty>,
    /// Contract term in months, when stated.
    pub term_months: Option<u32>,
    /// Year the deal started or was signed, when stated.
    pub start_year: Option<i32>,
    /// Who the sentence credits ("The Information", "Reuters").
    pub attribution: Option<String>,
    /// Reportedly, allegedly, expected to...
    pub hedged: bool,
    /// Denied, did not pay...
    pub negated: bool,
    /// A party rejects the figure.
    pub disputed: bool,
    /// The sentence the claim stands in.
    pub sentence: Sentence,
}

/// Everything extraction finds in one article.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Extraction {
    /// Money mentions.
    pub money: Vec<Money>,
    /// Party mentions.
    pub parties: Vec<Party>,
    /// Durations and contract terms.
    pub terms: Vec<Term>,
    /// Dates and periods.
    pub dates: Vec<DateMention>,
    /// Claims.
    pub claims: Vec<Claim>,
}

/// The kind of cross-source finding.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum FindingType {
    /// Two sources disagree about the same fact.
    Contradiction,
    /// Independent sources agree.
    Corroboration,
    /// A later report changes an earlier figure.
    Update,
    /// One claim denies or rejects another.
    Dispute,
}

/// Which attribute of a fact a finding is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// The money amount.
    Amount,
    /// The term in months.
    Term,
    /// The start year.
    StartYear,
    /// The counterparty.
    Party,
}

/// A claim together with the article facts a report needs beside it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourcedClaim {
    /// The claim.
    #[serde(flatten)]
    pub claim: Claim,
    /// Id of the article it came from.
    pub article_id: String,
    /// The article's URL.
    pub url: Option<String>,
    /// The article's source.
    pub source: Option<String>,
    /// The article's title.
    pub title: Option<String>,
    /// The article's published date.
    pub published: Option<String>,
}

/// A cross-source finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    /// Contradiction, corroboration, update or dispute.
    #[serde(rename = "type")]
    pub finding_type: FindingType,
    /// What attribute the finding is about.
    pub attribute: Attribute,
    /// First claim of a pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<SourcedClaim>,
    /// Second claim of a pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<SourcedClaim>,
    /// The agreeing claims of a corroboration.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub claims: Vec<SourcedClaim>,
    /// Number of independent sources of a corroboration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<usize>,
    /// One line a person can read.
    pub explanation: String,
}
