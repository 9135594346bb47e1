//! Fetching URLs (placeholder until the polite fetcher lands).

use std::ops::ControlFlow;

use super::{InputError, Item};
use crate::commands::pipeline::InputArgs;

/// Fetches one URL and hands the article(s) to `sink`.
pub fn fetch_into(
    url: &str,
    _args: &InputArgs,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) -> ControlFlow<()> {
    sink(Item::Failed(InputError::new(
        url,
        "fetching is not available yet",
    )))
}
