//! Acquire: turn command-line inputs (files, directories, standard input, URLs, feeds)
//! into [`Article`](crate::model::Article)s.

pub mod charset;
pub mod feed;
pub mod fetch;
pub mod html;
