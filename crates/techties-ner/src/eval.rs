//! Scoring as conlleval does it: chunks match when type, start and end agree.

use std::fmt;

use crate::conll::Document;
use crate::model::{GazetteerClasses, Model};
use crate::tags::{chunks, EntityType, Tag};

/// Chunk counts overall and per type, and token accuracy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Tokens scored.
    pub tokens: usize,
    /// Tokens whose tag is right.
    pub correct_tags: usize,
    /// Per type (PER, ORG, LOC, MISC): (correct, found, gold).
    pub per_type: [(usize, usize, usize); 4],
}

/// Precision, recall and F1 from counts of correct, found and gold items (0 where undefined).
pub fn prf(correct: usize, found: usize, gold: usize) -> (f64, f64, f64) {
    let p = if found > 0 {
        correct as f64 / found as f64
    } else {
        0.0
    };
    let r = if gold > 0 {
        correct as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

impl Scores {
    /// Adds one sentence.
    pub fn add(&mut self, gold: &[Tag], pred: &[Tag]) {
        self.tokens += gold.len();
        self.correct_tags += gold.iter().zip(pred).filter(|(g, p)| g == p).count();
        let g = chunks(gold);
        let p = chunks(pred);
        for c in &g {
            self.per_type[c.ty as usize].2 += 1;
        }
        for c in &p {
            self.per_type[c.ty as usize].1 += 1;
            if g.contains(c) {
                self.per_type[c.ty as usize].0 += 1;
            }
        }
    }

    /// Overall precision, recall, F1.
    pub fn overall(&self) -> (f64, f64, f64) {
        let (c, f, g) = self
            .per_type
            .iter()
            .fold((0, 0, 0), |a, x| (a.0 + x.0, a.1 + x.1, a.2 + x.2));
        prf(c, f, g)
    }

    /// Precision, recall, F1 of one type.
    pub fn of(&self, t: EntityType) -> (f64, f64, f64) {
        let (c, f, g) = self.per_type[t as usize];
        prf(c, f, g)
    }
}

impl fmt::Display for Scores {
    /// The layout of conlleval's report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (c, fd, g) = self
            .per_type
            .iter()
            .fold((0, 0, 0), |a, x| (a.0 + x.0, a.1 + x.1, a.2 + x.2));
        let (p, r, f1) = self.overall();
        writeln!(
            f,
            "processed {} tokens with {} phrases; found: {} phrases; correct: {}.",
            self.tokens, g, fd, c
        )?;
        let acc = if self.tokens > 0 {
            self.correct_tags as f64 / self.tokens as f64
        } else {
            0.0
        };
        writeln!(
            f,
            "accuracy: {:6.2}%; precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}",
            100.0 * acc,
            100.0 * p,
            100.0 * r,
            100.0 * f1
        )?;
        for t in [
            EntityType::Loc,
            EntityType::Misc,
            EntityType::Org,
            EntityType::Per,
        ] {
            let (p, r, f1) = self.of(t);
            writeln!(
                f,
                "{:>17}: precision: {:6.2}%; recall: {:6.2}%; FB1: {:6.2}  {}",
                t.as_str(),
                100.0 * p,
                100.0 * r,
                100.0 * f1,
                self.per_type[t as usize].1
            )?;
        }
        Ok(())
    }
}

/// Tags every document with `model` and scores it against the gold tags.
pub fn evaluate(model: &Model, docs: &[Document], gaz: &dyn GazetteerClasses) -> Scores {
    let mut s = Scores::default();
    for d in docs {
        let sents: Vec<Vec<&str>> = d
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let pred = model.tag_document(&sents, gaz);
        for (gold, p) in d.sentences.iter().zip(&pred) {
            s.add(&gold.tags, p);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<Tag> {
        s.split_whitespace()
            .map(|t| Tag::parse(t).unwrap())
            .collect()
    }

    /// Worked by hand: gold has ORG(0-2), PER(3), LOC(5); the prediction finds ORG(0-2)
    /// right, PER(3-5) wrong (too long), LOC(5) right and MISC(6) spurious. Correct 2 of 4
    /// found and 3 gold: P = 0.5, R = 2/3, F1 = 4/7; 5 of 7 tags right.
    #[test]
    fn arithmetic_matches_a_hand_computed_example() {
        let mut s = Scores::default();
        s.add(
            &tags("B-ORG I-ORG O B-PER O B-LOC O"),
            &tags("B-ORG I-ORG O B-PER I-PER B-LOC B-MISC"),
        );
        let (p, r, f) = s.overall();
        assert!((p - 0.5).abs() < 1e-12);
        assert!((r - 2.0 / 3.0).abs() < 1e-12);
        assert!((f - 4.0 / 7.0).abs() < 1e-12);
        assert_eq!((s.tokens, s.correct_tags), (7, 5));
        assert_eq!(s.of(EntityType::Per), (0.0, 0.0, 0.0));
        assert!(s
            .to_string()
            .starts_with("processed 7 tokens with 3 phrases; found: 4 phrases; correct: 2."));
    }
}
