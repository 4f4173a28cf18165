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
    /// The weights laid out for tagging, built on first use (so a model must not change
    /// once it has tagged: training builds a new one for every epoch).
    pub(crate) table: std::sync::OnceLock<ScoreTable>,
}

/// The weights laid out for tagging: one open-addressing table whose 32-byte slots hold a
/// feature's key next to its weights, quantised to i16 as the model file stores them. A
/// feature then costs one cache line; through the hash map and the weight rows it cost
/// three, and scoring was a sixth of the extractor's time.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScoreTable {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: slots are picked by the top bits of a multiplicative hash.
    shift: u32,
    scale: f32,
    /// The weights of the feature whose key is 0 (the empty slot's marker), if any.
    zero: Option<[i16; NUM_TAGS]>,
}

#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(32))]
struct Slot {
    key: u64,
    w: [i16; NUM_TAGS],
}

impl ScoreTable {
    fn build(index: &FeatureIndex, weights: &[f32]) -> ScoreTable {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = max / f32::from(i16::MAX);
        // at most half full: a feature the model does not know (most of a sentence's
        // conjunctions) then ends its probe after one or two slots
        let cap = (index.len() * 2).next_power_of_two().max(16);
        let mut t = ScoreTable {
            slots: vec![Slot::default(); cap],
            shift: 64 - cap.trailing_zeros(),
            scale,
            zero: None,
        };
        let mask = cap - 1;
        for (&key, &row) in index {
            let mut w = [0i16; NUM_TAGS];
            let r = row as usize * NUM_TAGS;
            for (q, x) in w.iter_mut().zip(&weights[r..r + NUM_TAGS]) {
                *q = (x / scale).round() as i16;
            }
            if key == 0 {
                t.zero = Some(w);
                continue;
            }
            let mut i = t.home(key);
            while t.slots[i].key != 0 {
                i = (i + 1) & mask;
            }
            t.slots[i] = Slot { key, w };
        }
        t
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The summed weights of `feats`, one score per tag.
    ///
    /// The table is larger than the cache, so each feature's slot is a miss. The first pass
    /// loads every feature's home slot with nothing depending on the loads, so the processor
    /// has them all in flight at once; the second pass compares and probes further only
    /// for the rare feature not in its home slot.
    #[inline]
    fn score(&self, feats: &[u64]) -> [f32; NUM_TAGS] {
        const BATCH: usize = 48;
        let mut acc = [0i32; NUM_TAGS];
        let mut add = |w: &[i16; NUM_TAGS]| {
            for (a, &x) in acc.iter_mut().zip(w) {
                *a += i32::from(x);
            }
        };
        let mask = self.slots.len() - 1;
        for chunk in feats.chunks(BATCH) {
            let mut homes = [0usize; BATCH];
            let mut first = [0u64; BATCH];
            for (j, &f) in chunk.iter().enumerate() {
                homes[j] = self.home(f);
                first[j] = self.slots[homes[j]].key;
            }
            for (j, &f) in chunk.iter().enumerate() {
                if f == 0 {
                    if let Some(w) = &self.zero {
                        add(w);
                    }
                    continue;
                }
                let mut i = homes[j];
                let mut key = first[j];
                loop {
                    if key == f {
                        add(&self.slots[i].w);
                        break;
                    }
                    if key == 0 {
                        break;
                    }
                    i = (i + 1) & mask;
                    key = self.slots[i].key;
                }
            }
        }
        acc.map(|a| a as f32 * self.scale)
    }
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

    /// A model from its parts.
    pub(crate) fn new(
        index: FeatureIndex,
        weights: Vec<f32>,
        trans: [[f32; NUM_TAGS]; NUM_TAGS + 1],
    ) -> Model {
        Model {
            index,
            weights,
            trans,
            table: Default::default(),
        }
    }

    /// The scores of a token's features, one per tag.
    #[inline]
    pub(crate) fn score(&self, feats: &[u64]) -> [f32; NUM_TAGS] {
        self.table
            .get_or_init(|| ScoreTable::build(&self.index, &self.weights))
            .score(feats)
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
                em.push(self.score(&feats));
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
