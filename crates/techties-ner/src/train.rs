//! Training: the averaged structured perceptron (Collins 2002) with Viterbi decoding.
//!
//! Static features of each training token are hashed once and mapped to rows (features seen
//! fewer than `min_count` times are dropped); the document-history feature is added on the
//! fly from the model's own predictions, exactly as at tagging time. Weights are averaged with
//! the usual trick of accumulating `c · Δ`, so an update costs the same as in the plain
//! perceptron. Documents are shuffled each epoch with a seeded generator, so a run is
//! reproducible; the epoch with the best F1 on the development set is kept.

use std::collections::HashMap;

use crate::conll::Document;
use crate::eval::Scores;
use crate::features::{capitalised_midsentence, history_feature, token_features, SentenceView};
use crate::model::{remember, viterbi, FeatureIndex, GazetteerClasses, Model};
use crate::tags::{EntityType, Tag, NUM_TAGS};

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the shuffle.
    pub seed: u64,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 12,
            seed: 7,
            min_count: 2,
        }
    }
}

/// What one epoch achieved.
#[derive(Debug, Clone)]
pub struct EpochReport {
    /// 1-based epoch.
    pub epoch: usize,
    /// Sentences with at least one wrong tag during the pass.
    pub mistakes: usize,
    /// Development-set scores of the averaged model, if a development set was given.
    pub dev: Option<Scores>,
}

/// Static feature hashes (flattened), token offsets, gold tags and words of one sentence.
type HashedSentence = (Vec<u64>, Vec<u32>, Vec<Tag>, Vec<String>);

struct TrainSentence {
    words: Vec<String>,
    /// Feature rows per token (flattened), with `offsets[i]..offsets[i+1]` for token i.
    rows: Vec<u32>,
    offsets: Vec<u32>,
    gold: Vec<Tag>,
}

fn xorshift(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

/// Trains a model on `train`, keeping the epoch that scores best on `dev` (or the last).
pub fn train(
    train: &[Document],
    dev: Option<&[Document]>,
    gaz: &dyn GazetteerClasses,
    cfg: TrainConfig,
    mut progress: impl FnMut(&EpochReport),
) -> (Model, Vec<EpochReport>) {
    // 1. static features, counted
    let mut counts: HashMap<u64, u32> = HashMap::new();
    let mut hashed: Vec<Vec<HashedSentence>> = Vec::with_capacity(train.len());
    for doc in train {
        let sents: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let caps = capitalised_midsentence(sents.iter().map(|s| s.as_slice()));
        let mut out = Vec::with_capacity(sents.len());
        for (s, words) in doc.sentences.iter().zip(&sents) {
            let view = SentenceView::new(words);
            let classes = gaz.classes(words);
            let mut feats = Vec::with_capacity(words.len() * 40);
            let mut offsets = vec![0u32];
            for (i, word) in words.iter().enumerate() {
                token_features(
                    &view,
                    &classes,
                    i,
                    i == 0 && caps.contains_key(*word),
                    &mut feats,
                );
                offsets.push(feats.len() as u32);
            }
            for f in &feats {
                *counts.entry(*f).or_default() += 1;
            }
            out.push((feats, offsets, s.tags.clone(), s.words.clone()));
        }
        hashed.push(out);
    }
    // 2. rows for frequent features (sorted keys: row numbers do not depend on hash order)
    let mut keys: Vec<u64> = counts
        .into_iter()
        .filter(|(_, c)| *c >= cfg.min_count)
        .map(|(k, _)| k)
        .collect();
    let history: Vec<u64> = (0..=EntityType::ALL.len())
        .map(|i| {
            history_feature(if i == 0 {
                None
            } else {
                Some(EntityType::ALL[i - 1])
            })
        })
        .collect();
    keys.extend(&history);
    keys.sort_unstable();
    keys.dedup();
    let mut index = FeatureIndex::with_capacity_and_hasher(keys.len(), Default::default());
    for (r, k) in keys.iter().enumerate() {
        index.insert(*k, r as u32);
    }
    let docs: Vec<Vec<TrainSentence>> = hashed
        .into_iter()
        .map(|d| {
            d.into_iter()
                .map(|(feats, offsets, gold, words)| {
                    let mut rows = Vec::with_capacity(feats.len());
                    let mut offs = vec![0u32];
                    for i in 0..offsets.len() - 1 {
                        for f in &feats[offsets[i] as usize..offsets[i + 1] as usize] {
                            if let Some(&r) = index.get(f) {
                                rows.push(r);
                            }
                        }
                        offs.push(rows.len() as u32);
                    }
                    TrainSentence {
                        words,
                        rows,
                        offsets: offs,
                        gold,
                    }
                })
                .collect()
        })
        .collect();
    let history_rows: Vec<u32> = history.iter().map(|h| index[h]).collect();

    // 3. perceptron
    let n = keys.len();
    let mut w = vec![0f32; n * NUM_TAGS];
    let mut wa = vec![0f32; n * NUM_TAGS];
    let mut tr = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut tra = [[0f32; NUM_TAGS]; NUM_TAGS + 1];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    let mut rng = cfg.seed.max(1);
    let mut reports = Vec::new();
    let mut best: Option<(f64, Model)> = None;
    for epoch in 1..=cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (xorshift(&mut rng) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut mistakes = 0;
        for &d in &order {
            let mut hist: HashMap<String, EntityType> = HashMap::new();
            for s in &docs[d] {
                let len = s.gold.len();
                let hrow: Vec<u32> = s
                    .words
                    .iter()
                    .map(|w| history_rows[hist.get(w).map(|t| *t as usize + 1).unwrap_or(0)])
                    .collect();
                let mut em = vec![[0f32; NUM_TAGS]; len];
                for i in 0..len {
                    let rows = &s.rows[s.offsets[i] as usize..s.offsets[i + 1] as usize];
                    for &r in rows.iter().chain(std::iter::once(&hrow[i])) {
                        let wr = &w[r as usize * NUM_TAGS..(r as usize + 1) * NUM_TAGS];
                        for t in 0..NUM_TAGS {
                            em[i][t] += wr[t];
                        }
                    }
                }
                let pred = viterbi(&em, &tr);
                if pred != s.gold {
                    mistakes += 1;
                    for i in 0..len {
                        let (g, p) = (s.gold[i].0 as usize, pred[i].0 as usize);
                        if g != p {
                            let rows = &s.rows[s.offsets[i] as usize..s.offsets[i + 1] as usize];
                            for &r in rows.iter().chain(std::iter::once(&hrow[i])) {
                                let base = r as usize * NUM_TAGS;
                                w[base + g] += 1.0;
                                wa[base + g] += c;
                                w[base + p] -= 1.0;
                                wa[base + p] -= c;
                            }
                        }
                        let gp = if i == 0 {
                            NUM_TAGS
                        } else {
                            s.gold[i - 1].0 as usize
                        };
                        let pp = if i == 0 {
                            NUM_TAGS
                        } else {
                            pred[i - 1].0 as usize
                        };
                        if (gp, g) != (pp, p) {
                            tr[gp][g] += 1.0;
                            tra[gp][g] += c;
                            tr[pp][p] -= 1.0;
                            tra[pp][p] -= c;
                        }
                    }
                }
                let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                remember(&mut hist, &words, &pred);
                c += 1.0;
            }
        }
        // the averaged model of this epoch
        let mut m = Model::new(
            index.clone(),
            w.iter().zip(&wa).map(|(w, a)| w - a / c).collect(),
            [[0.0; NUM_TAGS]; NUM_TAGS + 1],
        );
        for (p, row) in m.trans.iter_mut().enumerate() {
            for (t, x) in row.iter_mut().enumerate() {
                *x = tr[p][t] - tra[p][t] / c;
            }
        }
        let dev_scores = dev.map(|d| crate::eval::evaluate(&m, d, gaz));
        let report = EpochReport {
            epoch,
            mistakes,
            dev: dev_scores.clone(),
        };
        progress(&report);
        reports.push(report);
        let f = dev_scores.map(|s| s.overall().2).unwrap_or(epoch as f64);
        if best.as_ref().is_none_or(|(bf, _)| f > *bf) {
            best = Some((f, m));
        }
    }
    let model = best.map(|(_, m)| m).unwrap_or_default();
    (model, reports)
}

/// Trains `bags` models with seeds `seed, seed+1, ...` and averages their weights (all share
/// one feature table, so the average is again a linear model): a cheap ensemble that smooths
/// the perceptron's dependence on the order of the data.
pub fn train_bagged(
    train_docs: &[Document],
    dev: Option<&[Document]>,
    gaz: &dyn GazetteerClasses,
    cfg: TrainConfig,
    bags: usize,
    mut progress: impl FnMut(usize, &EpochReport),
) -> (Model, Vec<EpochReport>) {
    let mut sum: Option<Model> = None;
    let mut all = Vec::new();
    for b in 0..bags.max(1) {
        let c = TrainConfig {
            seed: cfg.seed.wrapping_add(b as u64),
            ..cfg
        };
        let (m, reports) = train(train_docs, dev, gaz, c, |r| progress(b, r));
        all.extend(reports);
        sum = Some(match sum {
            None => m,
            Some(mut s) => {
                // its weights change: the table it tagged with must go
                s.table = Default::default();
                for (a, x) in s.weights.iter_mut().zip(&m.weights) {
                    *a += x;
                }
                for (ra, rx) in s.trans.iter_mut().zip(&m.trans) {
                    for (a, x) in ra.iter_mut().zip(rx) {
                        *a += x;
                    }
                }
                s
            }
        });
    }
    let mut m = sum.unwrap_or_default();
    let k = bags.max(1) as f32;
    m.weights.iter_mut().for_each(|w| *w /= k);
    m.trans.iter_mut().flatten().for_each(|w| *w /= k);
    (prune(m), all)
}

/// Drops rows whose weights are all (near) zero: they cannot change a decision.
fn prune(m: Model) -> Model {
    let mut index = FeatureIndex::with_capacity_and_hasher(m.index.len(), Default::default());
    let mut weights = Vec::with_capacity(m.weights.len());
    let mut keys: Vec<(u64, u32)> = m.index.iter().map(|(k, v)| (*k, *v)).collect();
    keys.sort_unstable();
    for (k, r) in keys {
        let row = &m.weights[r as usize * NUM_TAGS..(r as usize + 1) * NUM_TAGS];
        if row.iter().any(|x| x.abs() > 1e-3) {
            index.insert(k, (weights.len() / NUM_TAGS) as u32);
            weights.extend_from_slice(row);
        }
    }
    Model::new(index, weights, m.trans)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conll;
    use crate::model::NoGazetteer;

    const TINY: &str = "\
Maria B-PER\nSilva I-PER\njoined O\nAcme B-ORG\nCorp I-ORG\nin O\nLisbon B-LOC\n. O\n\n\
Acme B-ORG\nCorp I-ORG\nhired O\nJohn B-PER\nKeller I-PER\nin O\nBerlin B-LOC\n. O\n\n\
John B-PER\nKeller I-PER\nleft O\nBerlin B-LOC\nfor O\nLisbon B-LOC\n. O\n\n\
the O\nGerman B-MISC\nfirm O\nNordwerk B-ORG\nopened O\nin O\nMadrid B-LOC\n. O\n";

    fn train_tiny() -> (Model, Vec<Document>) {
        let docs = conll::parse("tiny", TINY, true).unwrap();
        let cfg = TrainConfig {
            epochs: 10,
            seed: 3,
            min_count: 1,
        };
        let (m, _) = train(&docs, None, &NoGazetteer, cfg, |_| {});
        (m, docs)
    }

    #[test]
    fn training_on_a_tiny_corpus_learns_it() {
        let (m, docs) = train_tiny();
        let scores = crate::eval::evaluate(&m, &docs, &NoGazetteer);
        assert_eq!(scores.overall().2, 1.0, "{scores}");
    }

    #[test]
    fn same_seed_same_model() {
        let (a, _) = train_tiny();
        let (b, _) = train_tiny();
        assert_eq!(a.to_bytes(), b.to_bytes());
    }

    #[test]
    fn save_and_load_give_identical_tags() {
        let (m, docs) = train_tiny();
        let loaded = Model::from_bytes("tiny.bin", &m.to_bytes()).unwrap();
        let sents: Vec<Vec<&str>> = docs[0]
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let unseen = vec![vec![
            "Maria", "Keller", "visited", "Nordwerk", "in", "Madrid", ".",
        ]];
        for input in [sents, unseen] {
            assert_eq!(
                m.tag_document(&input, &NoGazetteer),
                loaded.tag_document(&input, &NoGazetteer)
            );
        }
    }

    #[test]
    fn a_truncated_model_is_an_error_naming_the_file() {
        let (m, _) = train_tiny();
        let bytes = m.to_bytes();
        let e = Model::from_bytes("cut.bin", &bytes[..bytes.len() - 3]).unwrap_err();
        assert!(e.to_string().starts_with("cut.bin: expected"), "{e}");
    }
}
