//! Search: claims and articles in the index.
