//! Small, fast, deterministic classifiers over hashed features.
//!
//! The learned extractor makes a handful of decisions per candidate sentence — is it a
//! partnership, of which type, in which domains, is this mention a party, do these two sentences
//! state the same fact — from a few hundred annotated articles. Logistic regression over sparse
//! hashed features suits that: it trains in seconds on two cores, predicts with a few dozen
//! hash lookups, gives probabilities that can be read as confidence, and lets hand-written rules
//! enter as features whose weight the data decides.
//!
//! - [`FeatureSet`] builds a sparse vector: each feature is a 64-bit FNV-1a hash of a template
//!   name and its parts, with a value (1.0 for indicators).
//! - [`Model`] is either [`Kind::Softmax`] (one of several exclusive labels: a type) or
//!   [`Kind::Sigmoid`] (independent labels: domains, or one label for a yes/no decision).
//! - [`train`] fits one with AdaGrad and L2 regularisation, in a fixed example order shuffled
//!   by a seeded generator, single-threaded: the same data and seed give the same bytes.
//! - [`Model::to_bytes`] / [`Model::from_bytes`] store it: labels, sorted feature keys and their
//!   weights; only features seen in training are kept, so no collisions need tuning.

use rustc_hash::FxHashMap;

/// Why a model could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    /// The bytes are not a model of this format.
    #[error("{what}: not a techties-learn model ({reason})")]
    Format {
        /// Which model (a name or a path).
        what: String,
        /// What is wrong.
        reason: String,
    },
}

/// A sparse feature vector: (hash, value) pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeatureSet {
    /// The features, in the order added (duplicates add up).
    pub items: Vec<(u64, f32)>,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over a template name and parts, each followed by a separator byte so that
/// ("ab", "c") and ("a", "bc") differ.
pub fn hash_feature(template: &str, parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
        h ^= 0xff;
        h = h.wrapping_mul(FNV_PRIME);
    };
    eat(template.as_bytes());
    for p in parts {
        eat(p.as_bytes());
    }
    h
}

impl FeatureSet {
    /// An empty set with the bias feature (every example has it).
    pub fn new() -> Self {
        FeatureSet {
            items: vec![(hash_feature("bias", &[]), 1.0)],
        }
    }

    /// Adds an indicator feature.
    pub fn add(&mut self, template: &str, parts: &[&str]) {
        self.items.push((hash_feature(template, parts), 1.0));
    }

    /// Adds a feature with a value (a count, a score in 0..1).
    pub fn add_value(&mut self, template: &str, parts: &[&str], value: f32) {
        if value != 0.0 {
            self.items.push((hash_feature(template, parts), value));
        }
    }

    /// Adds every feature of `other` under a prefix template (conjoining a context, e.g. the
    /// same words "in the headline").
    pub fn extend_prefixed(&mut self, prefix: &str, other: &FeatureSet) {
        let p = hash_feature(prefix, &[]);
        for &(h, v) in &other.items {
            self.items.push((h ^ p.rotate_left(17), v));
        }
    }
}

/// Exclusive labels or independent ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Exactly one label per example; probabilities sum to one.
    Softmax,
    /// Any number of labels per example; one probability per label.
    Sigmoid,
}

/// A trained classifier.
#[derive(Debug, Clone)]
pub struct Model {
    kind: Kind,
    labels: Vec<String>,
    /// Feature key → row of `labels.len()` weights in `weights`.
    index: FxHashMap<u64, u32>,
    weights: Vec<f32>,
}

/// One training example.
#[derive(Debug, Clone)]
pub struct Example {
    /// Its features.
    pub features: FeatureSet,
    /// For a softmax model the one right label; for a sigmoid model every positive label (none
    /// is a fine answer: all negative).
    pub labels: Vec<usize>,
    /// How much it counts (1.0 normally).
    pub weight: f32,
}

/// How to train.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// AdaGrad's base learning rate.
    pub learning_rate: f32,
    /// L2 penalty per update on the features of the example.
    pub l2: f32,
    /// Features seen in fewer examples are dropped.
    pub min_count: u32,
    /// Seed of the shuffle.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 20,
            learning_rate: 0.2,
            l2: 1e-4,
            min_count: 1,
            seed: 7,
        }
    }
}

impl Model {
    /// Softmax or sigmoid.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The labels, in index order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The index of a label.
    pub fn label_index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }

    /// Distinct features with weights.
    pub fn feature_count(&self) -> usize {
        self.index.len()
    }

    /// Raw scores per label (unknown features are ignored).
    pub fn scores(&self, x: &FeatureSet) -> Vec<f32> {
        let n = self.labels.len();
        let mut s = vec![0.0f32; n];
        for &(h, v) in &x.items {
            if let Some(&row) = self.index.get(&h) {
                let w = &self.weights[row as usize * n..row as usize * n + n];
                for (acc, wi) in s.iter_mut().zip(w) {
                    *acc += wi * v;
                }
            }
        }
        s
    }

    /// Probabilities per label: a softmax over the labels, or a sigmoid per label.
    pub fn predict(&self, x: &FeatureSet) -> Vec<f32> {
        let s = self.scores(x);
        match self.kind {
            Kind::Softmax => softmax(&s),
            Kind::Sigmoid => s.iter().map(|&z| sigmoid(z)).collect(),
        }
    }

    /// The probability of one label (for a one-label yes/no model: of yes).
    pub fn probability(&self, x: &FeatureSet, label: usize) -> f32 {
        self.predict(x).get(label).copied().unwrap_or(0.0)
    }

    /// The model as bytes: a magic, the kind, the labels, then the sorted feature keys each with
    /// its row of f32 weights, all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.labels.len();
        let mut keys: Vec<(u64, u32)> = self.index.iter().map(|(k, r)| (*k, *r)).collect();
        keys.sort_unstable();
        let mut out = Vec::with_capacity(16 + keys.len() * (8 + 4 * n));
        out.extend_from_slice(MAGIC);
        out.push(match self.kind {
            Kind::Softmax => 0,
            Kind::Sigmoid => 1,
        });
        out.extend_from_slice(&(n as u32).to_le_bytes());
        for l in &self.labels {
            out.extend_from_slice(&(l.len() as u32).to_le_bytes());
            out.extend_from_slice(l.as_bytes());
        }
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (k, row) in keys {
            out.extend_from_slice(&k.to_le_bytes());
            for w in &self.weights[row as usize * n..row as usize * n + n] {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`Model::to_bytes`]'s format; `what` names the model in errors.
    pub fn from_bytes(what: &str, bytes: &[u8]) -> Result<Model, LearnError> {
        let err = |reason: &str| LearnError::Format {
            what: what.to_string(),
            reason: reason.to_string(),
        };
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len()).ok_or_else(|| err("too short"))? != MAGIC {
            return Err(err("wrong magic"));
        }
        let kind = match r.take(1).ok_or_else(|| err("truncated"))?[0] {
            0 => Kind::Softmax,
            1 => Kind::Sigmoid,
            _ => return Err(err("unknown kind")),
        };
        let n = r.u32().ok_or_else(|| err("truncated"))? as usize;
        if n == 0 || n > 4096 {
            return Err(err("implausible label count"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.u32().ok_or_else(|| err("truncated"))? as usize;
            let b = r.take(len).ok_or_else(|| err("truncated label"))?;
            labels.push(String::from_utf8(b.to_vec()).map_err(|_| err("label not UTF-8"))?);
        }
        let rows = r.u32().ok_or_else(|| err("truncated"))? as usize;
        if bytes.len().saturating_sub(r.at) != rows * (8 + 4 * n) {
            return Err(err("size does not match the feature count"));
        }
        let mut index = FxHashMap::default();
        index.reserve(rows);
        let mut weights = Vec::with_capacity(rows * n);
        for row in 0..rows {
            let k = r.u64().ok_or_else(|| err("truncated"))?;
            index.insert(k, row as u32);
            for _ in 0..n {
                weights.push(f32::from_bits(r.u32().ok_or_else(|| err("truncated"))?));
            }
        }
        Ok(Model {
            kind,
            labels,
            index,
            weights,
        })
    }
}

const MAGIC: &[u8] = b"TTLR\x01";

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn softmax(s: &[f32]) -> Vec<f32> {
    let m = s.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let e: Vec<f32> = s.iter().map(|&z| (z - m).exp()).collect();
    let z: f32 = e.iter().sum();
    e.into_iter().map(|x| x / z).collect()
}

/// A small deterministic generator (xorshift64*) for the shuffle.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Fits a model to the examples. Labels of an example outside `0..labels.len()` are ignored.
pub fn train(kind: Kind, labels: &[&str], examples: &[Example], cfg: TrainConfig) -> Model {
    let n = labels.len();
    // features kept: seen in at least min_count examples; rows in order of first sight, so the
    // layout (and the bytes) depend only on the data
    let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
    let mut order: Vec<u64> = Vec::new();
    for ex in examples {
        let mut seen: Vec<u64> = ex.features.items.iter().map(|f| f.0).collect();
        seen.sort_unstable();
        seen.dedup();
        for h in seen {
            let c = counts.entry(h).or_insert(0);
            if *c == 0 {
                order.push(h);
            }
            *c += 1;
        }
    }
    let mut index: FxHashMap<u64, u32> = FxHashMap::default();
    for h in order {
        if counts[&h] >= cfg.min_count {
            let row = index.len() as u32;
            index.insert(h, row);
        }
    }
    let mut model = Model {
        kind,
        labels: labels.iter().map(|s| s.to_string()).collect(),
        index,
        weights: Vec::new(),
    };
    model.weights = vec![0.0; model.index.len() * n];
    let mut g2 = vec![1e-6f32; model.weights.len()];
    // each example's rows resolved once
    let rows: Vec<Vec<(usize, f32)>> = examples
        .iter()
        .map(|ex| {
            let mut r: Vec<(usize, f32)> = Vec::new();
            for &(h, v) in &ex.features.items {
                if let Some(&row) = model.index.get(&h) {
                    match r.iter_mut().find(|x| x.0 == row as usize) {
                        Some(x) => x.1 += v,
                        None => r.push((row as usize, v)),
                    }
                }
            }
            r
        })
        .collect();
    let mut perm: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(cfg.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    for _ in 0..cfg.epochs {
        for i in (1..perm.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            perm.swap(i, j);
        }
        for &e in &perm {
            let ex = &examples[e];
            let x = &rows[e];
            let mut s = vec![0.0f32; n];
            for &(row, v) in x {
                for (k, acc) in s.iter_mut().enumerate() {
                    *acc += model.weights[row * n + k] * v;
                }
            }
            // gradient of the log loss with respect to each label's score
            let grad: Vec<f32> = match kind {
                Kind::Softmax => {
                    let p = softmax(&s);
                    (0..n)
                        .map(|k| p[k] - f32::from(u8::from(ex.labels.contains(&k))))
                        .collect()
                }
                Kind::Sigmoid => (0..n)
                    .map(|k| sigmoid(s[k]) - f32::from(u8::from(ex.labels.contains(&k))))
                    .collect(),
            };
            for &(row, v) in x {
                for (k, gk) in grad.iter().enumerate() {
                    let i = row * n + k;
                    let g = ex.weight * gk * v + cfg.l2 * model.weights[i];
                    if g == 0.0 {
                        continue;
                    }
                    g2[i] += g * g;
                    model.weights[i] -= cfg.learning_rate * g / g2[i].sqrt();
                }
            }
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(words: &[&str], labels: Vec<usize>) -> Example {
        let mut f = FeatureSet::new();
        for w in words {
            f.add("w", &[w]);
        }
        Example {
            features: f,
            labels,
            weight: 1.0,
        }
    }

    fn data() -> Vec<Example> {
        vec![
            ex(&["signed", "agreement"], vec![0]),
            ex(&["signed", "deal"], vec![0]),
            ex(&["opened", "centre"], vec![1]),
            ex(&["opened", "lab"], vec![1]),
            ex(&["talks", "held"], vec![2]),
            ex(&["talks", "discussed"], vec![2]),
        ]
    }

    #[test]
    fn a_softmax_model_learns_separable_classes() {
        let m = train(
            Kind::Softmax,
            &["agreement", "rd_center", "none"],
            &data(),
            TrainConfig::default(),
        );
        let p = m.predict(&ex(&["signed"], vec![]).features);
        assert!(p[0] > 0.6, "{p:?}");
        let p = m.predict(&ex(&["opened"], vec![]).features);
        assert!(p[1] > 0.6, "{p:?}");
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn a_sigmoid_model_gives_independent_labels() {
        let d = vec![
            ex(&["5g", "satellite"], vec![0, 1]),
            ex(&["5g"], vec![0]),
            ex(&["satellite"], vec![1]),
            ex(&["weather"], vec![]),
        ];
        let m = train(
            Kind::Sigmoid,
            &["telecom", "space"],
            &d,
            TrainConfig::default(),
        );
        let p = m.predict(&ex(&["5g", "satellite"], vec![]).features);
        assert!(p[0] > 0.5 && p[1] > 0.5, "{p:?}");
        let p = m.predict(&ex(&["weather"], vec![]).features);
        assert!(p[0] < 0.5 && p[1] < 0.5, "{p:?}");
    }

    #[test]
    fn training_is_deterministic_and_bytes_round_trip() {
        let a = train(
            Kind::Softmax,
            &["a", "b", "c"],
            &data(),
            TrainConfig::default(),
        );
        let b = train(
            Kind::Softmax,
            &["a", "b", "c"],
            &data(),
            TrainConfig::default(),
        );
        assert_eq!(a.to_bytes(), b.to_bytes());
        let c = Model::from_bytes("test", &a.to_bytes()).unwrap();
        let x = ex(&["signed", "centre"], vec![]).features;
        assert_eq!(a.predict(&x), c.predict(&x));
        assert_eq!(c.labels(), &["a", "b", "c"]);
    }

    #[test]
    fn corrupt_model_bytes_are_refused_by_name() {
        let a = train(Kind::Sigmoid, &["yes"], &data(), TrainConfig::default());
        let mut b = a.to_bytes();
        b.truncate(b.len() - 3);
        let e = Model::from_bytes("partnership.model", &b).unwrap_err();
        assert!(e.to_string().contains("partnership.model"));
        assert!(Model::from_bytes("x", b"nope").is_err());
    }

    #[test]
    fn hashes_separate_parts() {
        assert_ne!(
            hash_feature("w", &["ab", "c"]),
            hash_feature("w", &["a", "bc"])
        );
        assert_ne!(hash_feature("w", &["a"]), hash_feature("x", &["a"]));
    }
}
