//! Rules as data: the lexicons and rule tables every extractor reads.
//!
//! Each file lives under `rules/<family>/` in the repository, is embedded in the binary at
//! build time, and can be overridden by a file with the same relative path under a
//! directory given with `--rules DIR` (or the `CONCORD_RULES` variable).
//!
//! Table files are plain text: one entry a line, fields separated by a tab or by ` | `,
//! `#` starts a comment line, blank lines are ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Embeds rule files by their path under `rules/`.
macro_rules! embed_rules {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../rules/", $name)))),*]
    };
}

/// The files concord knows, with their embedded default contents.
/// Add a line here when a rule family gains a file.
pub const EMBEDDED: &[(&str, &str)] = embed_rules![
    "fx/rates.tsv",
    "money/currencies.tsv",
    "money/scales.tsv",
    "money/qualifiers.tsv",
    "money/rates.tsv",
    "money/negatives.tsv",
    "money/examples.tsv",
    "parties/aliases.tsv",
    "parties/aliases.local.tsv",
    "parties/lexicon.tsv",
    "parties/examples.tsv",
    "terms/lexicon.tsv",
    "terms/examples.tsv",
    "dates/examples.tsv",
    "claims/triggers.tsv",
    "claims/attribution.tsv",
    "claims/cues.tsv",
    "claims/examples.tsv",
];

/// Where a loaded rule file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary.
    Embedded,
    /// Read from the user's rules directory.
    File(PathBuf),
}

/// One loaded rule file.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// Relative name, such as `money/currencies.tsv`.
    pub name: String,
    /// Where it came from.
    pub origin: Origin,
    /// Its contents.
    pub text: String,
}

impl RuleFile {
    /// The table rows: non-blank, non-comment lines, each split into trimmed fields
    /// (on tabs, or on ` | ` when the line has no tab), with the 1-based line number.
    pub fn rows(&self) -> impl Iterator<Item = (usize, Vec<&str>)> {
        self.text.lines().enumerate().filter_map(|(i, line)| {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return None;
            }
            let fields: Vec<&str> = if line.contains('\t') {
                line.split('\t').map(str::trim).collect()
            } else {
                line.split(" | ").map(str::trim).collect()
            };
            Some((i + 1, fields))
        })
    }
}

/// Errors loading rules.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The override directory or a file in it could not be read.
    #[error("cannot read rules file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A row of a rules file is malformed.
    #[error("{file}:{line}: {reason}")]
    Bad {
        /// File name (relative or full path).
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The given rules directory does not exist.
    #[error("rules directory {0} does not exist")]
    MissingDir(PathBuf),
}

/// The set of rule files in force.
#[derive(Debug, Clone)]
pub struct RuleSet {
    files: BTreeMap<String, RuleFile>,
}

impl RuleSet {
    /// The embedded defaults only.
    pub fn embedded() -> RuleSet {
        let files = EMBEDDED
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    RuleFile {
                        name: name.to_string(),
                        origin: Origin::Embedded,
                        text: text.to_string(),
                    },
                )
            })
            .collect();
        RuleSet { files }
    }

    /// The embedded defaults, with every known file that exists under `dir` taken from there.
    pub fn load(dir: Option<&Path>) -> Result<RuleSet, RulesError> {
        let mut set = RuleSet::embedded();
        let Some(dir) = dir else { return Ok(set) };
        if !dir.is_dir() {
            return Err(RulesError::MissingDir(dir.to_path_buf()));
        }
        for (name, file) in set.files.iter_mut() {
            let path = dir.join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Read {
                    path: path.clone(),
                    source,
                })?;
                file.text = text;
                file.origin = Origin::File(path);
            }
        }
        Ok(set)
    }

    /// A file by relative name. Panics only if `name` is not in [`EMBEDDED`] (a programming error).
    pub fn file(&self, name: &str) -> &RuleFile {
        match self.files.get(name) {
            Some(file) => file,
            None => panic!("rule file {name} is not registered in rules::EMBEDDED"),
        }
    }

    /// Every loaded file.
    pub fn files(&self) -> impl Iterator<Item = &RuleFile> {
        self.files.values()
    }
}

impl RuleFile {
    /// A [`RulesError::Bad`] for a row of this file.
    pub fn bad(&self, line: usize, reason: impl Into<String>) -> RulesError {
        let file = match &self.origin {
            Origin::Embedded => format!("rules/{}", self.name),
            Origin::File(path) => path.display().to_string(),
        };
        RulesError::Bad {
            file,
            line,
            reason: reason.into(),
        }
    }
}
