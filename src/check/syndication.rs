//! Near-duplicate (syndicated) article detection.
//!
//! Each text becomes the set of its word 5-shingles (lower-cased alphanumeric words). A
//! one-permutation MinHash sketch of 64 bins estimates the Jaccard similarity of two sets;
//! locality-sensitive hashing over 16 bands of 4 bins finds candidate pairs in linear time
//! (each article is compared only with the first and the latest member of each bucket it
//! falls in), and candidates whose estimated similarity is at least [`SIMILARITY`] are joined.
//! Joined articles form one cluster: the same wire text under two outlets counts as one source.

use std::collections::HashMap;

/// Estimated Jaccard similarity of word 5-shingles at or above which two texts are copies.
pub const SIMILARITY: f64 = 0.8;

const SHINGLE: usize = 5;
const BINS: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = BINS / BANDS;

/// Clusters of near-identical article texts.
#[derive(Debug, Clone, Default)]
pub struct Syndication {
    cluster: HashMap<String, u32>,
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            h ^= u64::from(c.to_ascii_lowercase() as u8);
            h = h.wrapping_mul(0x0100_0000_01b3);
            in_word = true;
        } else if c.is_alphanumeric() {
            for lc in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for b in lc.encode_utf8(&mut buf).bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x0100_0000_01b3);
                }
            }
            in_word = true;
        } else if in_word {
            out.push(mix(h));
            h = 0xcbf2_9ce4_8422_2325;
            in_word = false;
        }
    }
    if in_word {
        out.push(mix(h));
    }
    out
}

/// The MinHash sketch of a text, or `None` when it has no words.
pub fn sketch(text: &str) -> Option<[u32; BINS]> {
    let words = word_hashes(text);
    if words.is_empty() {
        return None;
    }
    let mut mins = [u64::MAX; BINS];
    let mut add = |h: u64| {
        let bin = (h >> 58) as usize; // top 6 bits choose one of 64 bins
        let v = h & ((1u64 << 58) - 1);
        if v < mins[bin] {
            mins[bin] = v;
        }
    };
    if words.len() < SHINGLE {
        add(mix(words.iter().fold(0u64, |acc, w| mix(acc ^ w))));
    } else {
        for w in words.windows(SHINGLE) {
            // Word hashes are already mixed by FNV; rotations keep the order significant.
            let acc = w[0]
                ^ w[1].rotate_left(13)
                ^ w[2].rotate_left(26)
                ^ w[3].rotate_left(39)
                ^ w[4].rotate_left(52);
            add(mix(acc));
        }
    }
    // Densify empty bins from the next non-empty bin (rotation), so sparse texts still compare.
    let mut out = [0u32; BINS];
    for (i, slot) in out.iter_mut().enumerate() {
        let mut j = i;
        let mut step = 0u64;
        while mins[j] == u64::MAX {
            j = (j + 1) % BINS;
            step += 1;
        }
        *slot = mix(mins[j].wrapping_add(step.wrapping_mul(0x1000_0000_01b3))) as u32;
    }
    Some(out)
}

/// Estimated Jaccard similarity of two sketches.
pub fn estimate(a: &[u32; BINS], b: &[u32; BINS]) -> f64 {
    let same = a.iter().zip(b.iter()).filter(|(x, y)| x == y).count();
    same as f64 / BINS as f64
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

impl Syndication {
    /// Clusters the given `(article id, text)` pairs, read one at a time (texts are not kept).
    /// Repeated ids keep their first text.
    pub fn build<I, K, T>(texts: I) -> Syndication
    where
        I: IntoIterator<Item = (K, T)>,
        K: AsRef<str>,
        T: AsRef<str>,
    {
        let mut ids: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut sketches: Vec<[u32; BINS]> = Vec::new();
        for (id, text) in texts {
            let id = id.as_ref();
            if seen.contains(id) {
                continue;
            }
            seen.insert(id.to_string());
            if let Some(s) = sketch(text.as_ref()) {
                ids.push(id.to_string());
                sketches.push(s);
            }
        }
        drop(seen);
        let n = ids.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        // bucket key → (first member, latest member)
        let mut buckets: HashMap<u64, (u32, u32)> = HashMap::with_capacity(n * BANDS);
        for (i, s) in sketches.iter().enumerate() {
            let i = i as u32;
            for band in 0..BANDS {
                let mut key = mix(band as u64 + 1);
                for v in &s[band * ROWS..(band + 1) * ROWS] {
                    key = mix(key ^ u64::from(*v));
                }
                match buckets.get_mut(&key) {
                    None => {
                        buckets.insert(key, (i, i));
                    }
                    Some(entry) => {
                        let (first, last) = *entry;
                        for other in [first, last] {
                            if estimate(s, &sketches[other as usize]) >= SIMILARITY {
                                let (ra, rb) = (find(&mut parent, i), find(&mut parent, other));
                                if ra != rb {
                                    parent[ra.max(rb) as usize] = ra.min(rb);
                                }
                            }
                        }
                        entry.1 = i;
                    }
                }
            }
        }
        let mut cluster = HashMap::with_capacity(n);
        for (i, id) in ids.into_iter().enumerate() {
            let root = find(&mut parent, i as u32);
            cluster.insert(id, root);
        }
        Syndication { cluster }
    }

    /// The cluster of an article, when its text was given.
    pub fn cluster_of(&self, article_id: &str) -> Option<u32> {
        self.cluster.get(article_id).copied()
    }

    /// True when both articles' texts were given and are near-duplicates.
    pub fn same_text(&self, a: &str, b: &str) -> bool {
        match (self.cluster_of(a), self.cluster_of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    /// Number of articles known.
    pub fn len(&self) -> usize {
        self.cluster.len()
    }

    /// True when no article text was given.
    pub fn is_empty(&self) -> bool {
        self.cluster.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str =
        "Twitter has refused to pay Amazon Web Services for cloud hosting for several \
        months, leaving at least seventy million dollars in unpaid bills, according to a person \
        familiar with the matter. The five and a half year deal was signed in 2020 and was worth \
        five hundred and ten million dollars over its life. Amazon has threatened to withhold \
        advertising spending on the platform unless the bills are settled soon.";

    #[test]
    fn a_wire_copy_with_a_new_dateline_is_the_same_text() {
        let copy = format!("SAN FRANCISCO (Wire) - {WIRE} Reporting by staff.");
        let other = "Google signed a separate cloud agreement with the social network worth one \
            billion dollars over five years; the company said costs would fall next year as it \
            moves storage workloads and trims machine learning capacity across data centres.";
        let s = Syndication::build([("a", WIRE), ("b", copy.as_str()), ("c", other)]);
        assert!(s.same_text("a", "b"));
        assert!(!s.same_text("a", "c"));
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn rewritten_story_is_not_a_copy() {
        let rewrite =
            "Amazon Web Services says Twitter stopped paying its cloud bills months ago. \
            The social network signed a 66-month agreement in 2020 valued at $510 million, and \
            still owes at least $70 million, people close to the talks said on Friday.";
        let s = Syndication::build([("a", WIRE), ("b", rewrite)]);
        assert!(!s.same_text("a", "b"));
    }

    #[test]
    fn empty_texts_are_ignored() {
        let s = Syndication::build([("a", ""), ("b", "  ")]);
        assert!(s.is_empty());
        assert!(!s.same_text("a", "b"));
    }
}
