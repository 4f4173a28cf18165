//! Word clusters and small dense vectors, so that the models generalise from the words the
//! corpus has to words it has not ("acquired the rights" learned, "bought the licence" read).
//!
//! Derived by `scripts/build_vectors.py` from spaCy's `en_core_web_md` vectors (MIT): each
//! lower-case word maps to a vector row; each row has a cluster among 64, one among 512 and its
//! first 16 principal components quantised to −127..127. Parsed once, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

const WORDS: &str = include_str!("../../../../data/vectors/en-words.tsv");
const ROWS: &str = include_str!("../../../../data/vectors/en-rows.tsv");

/// Dense dimensions per row.
pub const DIMS: usize = 16;

/// What the table knows of one vector row.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Its cluster among 64.
    pub coarse: u16,
    /// Its cluster among 512.
    pub fine: u16,
    /// Its first principal components, quantised.
    pub dense: [i8; DIMS],
}

/// The table: words to rows, rows to classes.
pub struct Vectors {
    words: HashMap<&'static str, u32>,
    rows: HashMap<u32, Row>,
}

impl Vectors {
    /// The embedded table.
    pub fn get() -> &'static Vectors {
        static V: OnceLock<Vectors> = OnceLock::new();
        V.get_or_init(|| Vectors::parse(WORDS, ROWS))
    }

    fn parse(words: &'static str, rows: &'static str) -> Vectors {
        let mut w = HashMap::with_capacity(words.len() / 14);
        for line in words.lines().filter(|l| !l.starts_with('#')) {
            if let Some((word, row)) = line.split_once('\t') {
                if let Ok(r) = row.parse() {
                    w.insert(word, r);
                }
            }
        }
        let mut r = HashMap::new();
        for line in rows.lines().filter(|l| !l.starts_with('#')) {
            let mut it = line.split('\t');
            let (Some(id), Some(c), Some(f), Some(d)) =
                (it.next(), it.next(), it.next(), it.next())
            else {
                continue;
            };
            let mut dense = [0i8; DIMS];
            for (slot, v) in dense.iter_mut().zip(d.split(' ')) {
                *slot = v.parse().unwrap_or(0);
            }
            if let (Ok(id), Ok(coarse), Ok(fine)) = (id.parse(), c.parse(), f.parse()) {
                r.insert(
                    id,
                    Row {
                        coarse,
                        fine,
                        dense,
                    },
                );
            }
        }
        Vectors { words: w, rows: r }
    }

    /// The row of a lower-case word, if the table knows it.
    pub fn row(&self, word: &str) -> Option<&Row> {
        self.words.get(word).and_then(|r| self.rows.get(r))
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
