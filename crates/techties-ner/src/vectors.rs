//! Word classes and small dense vectors, so that models generalise from the words their
//! training data has to words it has not: a tagger that saw "Reuters" learns what an agency's
//! name looks like; an extractor that learned "acquired the rights" reads "bought the licence".
//!
//! Derived by `scripts/build_vectors.py` from spaCy's `en_core_web_md` vectors (MIT): each
//! lower-case word maps to a vector row; each row has its clusters among 32, 128, 512 and 2048
//! (k-means over the normalised vectors, so the levels are nested only roughly) and its first 16
//! principal components quantised to −127..127. Parsed once, on first use.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const WORDS: &str = include_str!("../../../data/vectors/en-words.tsv");
const ROWS: &str = include_str!("../../../data/vectors/en-rows.tsv");

/// Dense dimensions per row.
pub const DIMS: usize = 16;
/// Cluster levels per row: among 32, 128, 512 and 2048.
pub const LEVELS: usize = 4;

/// What the table knows of one vector row.
#[derive(Debug, Clone, Copy, Default)]
pub struct Row {
    /// Its cluster at each level, coarse to fine.
    pub clusters: [u16; LEVELS],
    /// Its first principal components, quantised.
    pub dense: [i8; DIMS],
}

/// FxHash: the table's keys are short words looked up once per token, where SipHash's
/// protection against chosen keys buys nothing and costs a third of the tagger's time.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

/// The table: words to rows.
pub struct Vectors {
    words: HashMap<&'static str, u32, BuildHasherDefault<Fx>>,
    rows: Vec<Row>,
}

impl Vectors {
    /// The embedded table.
    pub fn get() -> &'static Vectors {
        static V: OnceLock<Vectors> = OnceLock::new();
        V.get_or_init(|| Vectors::parse(WORDS, ROWS))
    }

    fn parse(words: &'static str, rows: &'static str) -> Vectors {
        let mut r: Vec<Row> = Vec::new();
        for line in rows.lines().filter(|l| !l.starts_with('#')) {
            let mut it = line.split('\t');
            let (Some(id), Some(c), Some(d)) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            let Ok(id) = id.parse::<usize>() else {
                continue;
            };
            let mut row = Row::default();
            for (slot, v) in row.clusters.iter_mut().zip(c.split(' ')) {
                *slot = v.parse().unwrap_or(0);
            }
            for (slot, v) in row.dense.iter_mut().zip(d.split(' ')) {
                *slot = v.parse().unwrap_or(0);
            }
            if r.len() <= id {
                r.resize(id + 1, Row::default());
            }
            r[id] = row;
        }
        let mut w =
            HashMap::with_capacity_and_hasher(words.len() / 14, BuildHasherDefault::default());
        for line in words.lines().filter(|l| !l.starts_with('#')) {
            if let Some((word, row)) = line.split_once('\t') {
                if let Ok(n) = row.parse::<u32>() {
                    if (n as usize) < r.len() {
                        w.insert(word, n);
                    }
                }
            }
        }
        Vectors { words: w, rows: r }
    }

    /// The row of a lower-case word, if the table knows it.
    pub fn row(&self, word: &str) -> Option<&Row> {
        self.words.get(word).map(|&r| &self.rows[r as usize])
    }

    /// The mean dense vector of the words the table knows, scaled to −1..1.
    pub fn mean(&self, words: &[&str]) -> Option<[f32; DIMS]> {
        let mut sum = [0f32; DIMS];
        let mut n = 0;
        for w in words {
            if let Some(r) = self.row(w) {
                for (s, v) in sum.iter_mut().zip(r.dense) {
                    *s += f32::from(v) / 127.0;
                }
                n += 1;
            }
        }
        (n > 0).then(|| sum.map(|s| s / n as f32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cosine(a: &Row, b: &Row) -> f32 {
        let dot: f32 = a
            .dense
            .iter()
            .zip(b.dense)
            .map(|(x, y)| f32::from(*x) * f32::from(y))
            .sum();
        let norm = |r: &Row| {
            r.dense
                .iter()
                .map(|x| f32::from(*x).powi(2))
                .sum::<f32>()
                .sqrt()
        };
        dot / (norm(a) * norm(b))
    }

    #[test]
    fn a_word_is_nearer_its_plural_and_synonym_than_an_unrelated_word() {
        let v = Vectors::get();
        let row = |w: &str| *v.row(w).unwrap_or_else(|| panic!("{w} is a known word"));
        let (agreement, agreements, accord, banana) = (
            row("agreement"),
            row("agreements"),
            row("accord"),
            row("banana"),
        );
        assert!(cosine(&agreement, &agreements) > cosine(&agreement, &banana));
        assert!(cosine(&agreement, &accord) > cosine(&agreement, &banana));
        assert!(v.row("zzzqqqxx").is_none());
    }

    #[test]
    fn the_mean_of_unknown_words_is_none() {
        assert!(Vectors::get().mean(&["zzzqqqxx", "qqqzzzyy"]).is_none());
        assert!(Vectors::get().mean(&["signed", "agreement"]).is_some());
    }
}
