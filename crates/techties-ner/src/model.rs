//! The model: weights per (feature, tag) and tag transitions; Viterbi decoding; a compact
//! binary file format loaded in one pass.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::features::{capitalised_midsentence, history_feature, token_features, SentenceView};
use crate::tags::{EntityType, Tag, NUM_TAGS};
use crate::NerError;

/// Feature keys are already hashes: use them as they are.
#[derive(Default, Clone, Copy)]
pub struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Map from feature hash to row.
pub type FeatureIndex = HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>;

/// A trained tagger.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub(crate) index: FeatureIndex,
    /// `rows × NUM_TAGS` weights.
    pub(crate) weights: Vec<f32>,
    /// `trans[prev][next]`, with `prev == NUM_TAGS` for the sentence start.
    pub(crate) trans: [[f32; NUM_TAGS]; NUM_TAGS + 1],
}

const MAGIC: &[u8; 8] = b"TTNER\x00\x01\x00";

/// Gazetteer class bits for the words of a sentence (the knowledge base supplies them).
pub trait GazetteerClasses {
    /// One byte of class bits per word.
    fn classes(&self, words: &[&str]) -> Vec<u8>;
}

/// No gazetteer: every class is zero.
pub struct NoGazetteer;

impl GazetteerClasses for NoGazetteer {
    fn classes(&self, words: &[&str]) -> Vec<u8> {
        vec![0; words.len()]
    }
}

impl Model {
    /// Number of features.
    pub fn num_features(&self) -> usize {
        self.index.len()
    }

    /// Adds the scores of a token's features to `scores`.
    #[inline]
    pub(crate) fn score_into(&self, feats: &[u64], scores: &mut [f32; NUM_TAGS]) {
        for f in feats {
            if let Some(&row) = self.index.get(f) {
                let w = &self.weights[row as usize * NUM_TAGS..(row as usize + 1) * NUM_TAGS];
                for t in 0..NUM_TAGS {
                    scores[t] += w[t];
                }
            }
        }
    }

    /// The best tag sequence for per-token emission scores (IOB2 transitions enforced).
    pub fn viterbi(&self, emissions: &[[f32; NUM_TAGS]]) -> Vec<Tag> {
        viterbi(emissions, &self.trans)
    }

    /// Tags one document (its sentences in order), using what earlier sentences were tagged
    /// as a feature for later ones.
    pub fn tag_document(
        &self,
        sentences: &[Vec<&str>],
        gaz: &dyn GazetteerClasses,
    ) -> Vec<Vec<Tag>> {
        let caps = capitalised_midsentence(sentences.iter().map(|s| s.as_slice()));
        let mut history: HashMap<String, EntityType> = HashMap::new();
        let mut out = Vec::with_capacity(sentences.len());
        let mut feats = Vec::with_capacity(64);
        for words in sentences {
            let view = SentenceView::new(words);
            let classes = gaz.classes(words);
            let mut em = Vec::with_capacity(words.len());
            for (i, word) in words.iter().enumerate() {
                feats.clear();
                token_features(
                    &view,
                    &classes,
                    i,
                    i == 0 && caps.contains_key(*word),
                    &mut feats,
                );
                feats.push(history_feature(history.get(*word).copied()));
                let mut s = [0f32; NUM_TAGS];
                self.score_into(&feats, &mut s);
                em.push(s);
            }
            let tags = self.viterbi(&em);
            remember(&mut history, words, &tags);
            out.push(tags);
        }
        out
    }

    /// Serialises the model: magic, counts, transitions, then keys (u64) and weights
    /// quantised to i16 with one scale.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut rows: Vec<(u64, u32)> = self.index.iter().map(|(k, v)| (*k, *v)).collect();
        rows.sort_unstable();
        let max = self
            .weights
            .iter()
            .fold(0f32, |m, w| m.max(w.abs()))
            .max(1e-9);
        let scale = max / f32::from(i16::MAX);
        let mut b = Vec::with_capacity(16 + rows.len() * (8 + 2 * NUM_TAGS));
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        b.extend_from_slice(&scale.to_le_bytes());
        for row in &self.trans {
            for w in row {
                b.extend_from_slice(&w.to_le_bytes());
            }
        }
        for (k, _) in &rows {
            b.extend_from_slice(&k.to_le_bytes());
        }
        for (_, r) in &rows {
            for t in 0..NUM_TAGS {
                let q = (self.weights[*r as usize * NUM_TAGS + t] / scale).round() as i16;
                b.extend_from_slice(&q.to_le_bytes());
            }
        }
        b
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(name: &str, b: &[u8]) -> Result<Model, NerError> {
        let bad = |reason: &str| NerError::Model {
            file: name.to_string(),
            reason: reason.to_string(),
        };
        if b.len() < 16 || &b[..8] != MAGIC {
            return Err(bad("not a techties NER model (bad magic or version)"));
        }
        let n = u32::from_le_bytes(b[8..12].try_into().map_err(|_| bad("truncated"))?) as usize;
        let scale = f32::from_le_bytes(b[12..16].try_into().map_err(|_| bad("truncated"))?);
        let trans_len = (NUM_TAGS + 1) * NUM_TAGS * 4;
        let need = 16 + trans_len + n * 8 + n * NUM_TAGS * 2;
        if b.len() != need {
            return Err(bad(&format!("expected {need} bytes, found {}", b.len())));
        }
        let mut m = Model::default();
        let mut p = 16;
        for row in m.trans.iter_mut() {
            for w in row.iter_mut() {
                *w = f32::from_le_bytes([b[p], b[p + 1], b[p + 2], b[p + 3]]);
                p += 4;
            }
        }
        m.index = FeatureIndex::with_capacity_and_hasher(n, Default::default());
        for r in 0..n {
            let k = u64::from_le_bytes(b[p..p + 8].try_into().map_err(|_| bad("truncated"))?);
            m.index.insert(k, r as u32);
            p += 8;
        }
        m.weights = b[p..]
            .chunks_exact(2)
            .map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) * scale)
            .collect();
        Ok(m)
    }
}

/// Records the types given to capitalised words, for the history feature.
pub(crate) fn remember(history: &mut HashMap<String, EntityType>, words: &[&str], tags: &[Tag]) {
    for (w, t) in words.iter().zip(tags) {
        if let Some(ty) = t.entity() {
            if w.chars().next().is_some_and(char::is_uppercase) {
                history.insert((*w).to_string(), ty);
            }
        }
    }
}

pub(crate) fn viterbi(em: &[[f32; NUM_TAGS]], trans: &[[f32; NUM_TAGS]; NUM_TAGS + 1]) -> Vec<Tag> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let allowed = |p: usize, t: usize| Tag(p as u8).allows(Tag(t as u8));
    let mut score = vec![[NEG; NUM_TAGS]; n];
    let mut back = vec![[0u8; NUM_TAGS]; n];
    for t in 0..NUM_TAGS {
        // a sentence cannot open inside an entity
        if Tag(t as u8).entity().is_none() || Tag(t as u8).is_begin() {
            score[0][t] = em[0][t] + trans[NUM_TAGS][t];
        }
    }
    for i in 1..n {
        for t in 0..NUM_TAGS {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..NUM_TAGS {
                if !allowed(p, t) {
                    continue;
                }
                let s = score[i - 1][p] + trans[p][t];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            score[i][t] = best + em[i][t];
            back[i][t] = arg;
        }
    }
    let mut t = (0..NUM_TAGS)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0);
    let mut out = vec![Tag::O; n];
    for i in (0..n).rev() {
        out[i] = Tag(t as u8);
        t = back[i][t] as usize;
    }
    out
}
