//! concord: news-report analysis and claim extraction.
//!
//! Stages hand the vocabulary of [`model`] on:
//! [`acquire`] (files, URLs, feeds → [`model::Article`]) →
//! [`extract`] (money, parties, terms, dates, claims) →
//! [`store`] (tantivy index) → [`search`] / [`check`] → [`report`].
//! [`rules`] holds the lexicons and rule data every extractor reads.

pub mod acquire;
pub mod check;
pub mod commands;
pub mod extract;
pub mod model;
pub mod report;
pub mod rules;
pub mod search;
pub mod store;
