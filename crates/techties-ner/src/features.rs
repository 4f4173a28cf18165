//! Feature extraction: every feature is a 64-bit hash of a template number and its values,
//! computed without allocating.

use std::collections::HashMap;

use crate::tags::EntityType;
use crate::vectors::{Vectors, LEVELS};

/// FNV-1a over a template byte and parts separated by 0xff.
#[inline]
fn fnv(template: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(template);
    for p in parts {
        for &b in *p {
            eat(b);
        }
        eat(0xff);
    }
    h
}

/// The hash of the document-history feature for a type (or none).
pub fn history_feature(prev: Option<EntityType>) -> u64 {
    let v = prev.map(|t| t as u8 + 1).unwrap_or(0);
    fnv(40, &[&[v]])
}

fn shape(w: &str) -> String {
    let mut s = String::with_capacity(8);
    let mut last = '\0';
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if k != last {
            s.push(k);
        }
        last = k;
    }
    s
}

/// Per-sentence token information features are built from.
pub struct SentenceView<'a> {
    words: &'a [&'a str],
    all_caps: bool,
    lower: Vec<String>,
    shapes: Vec<String>,
    /// Each word's clusters, 0xffff when the table does not know it.
    classes: Vec<[u16; LEVELS]>,
}

impl<'a> SentenceView<'a> {
    /// Prepares a sentence.
    pub fn new(words: &'a [&'a str]) -> Self {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let shapes = words.iter().map(|w| shape(w)).collect();
        let letters = words
            .iter()
            .flat_map(|w| w.chars())
            .filter(|c| c.is_alphabetic());
        let (mut up, mut all) = (0usize, 0usize);
        for c in letters {
            all += 1;
            up += usize::from(c.is_uppercase());
        }
        let all_caps = all >= 6 && up * 10 >= all * 9;
        let vectors = Vectors::get();
        let classes = lower
            .iter()
            .map(|w: &String| vectors.row(w).map_or([0xffff; LEVELS], |r| r.clusters))
            .collect();
        SentenceView {
            words,
            all_caps,
            lower,
            shapes,
            classes,
        }
    }
}

/// Appends the static features of token `i` to `out`.
///
/// `gaz` holds the knowledge base's class bits per token (see `techties_core::Gazetteer`);
/// `cap_elsewhere` tells, for a sentence-initial word, whether the document also writes it
/// capitalised in the middle of a sentence (a name, not just a capitalised first word).
pub fn token_features(
    s: &SentenceView,
    gaz: &[u8],
    i: usize,
    cap_elsewhere: bool,
    out: &mut Vec<u64>,
) {
    let n = s.words.len();
    let w = s.words[i];
    let lw = s.lower[i].as_bytes();
    let get = |k: isize| -> &[u8] {
        let j = i as isize + k;
        if j < 0 {
            b"<s>"
        } else if j as usize >= n {
            b"</s>"
        } else {
            s.lower[j as usize].as_bytes()
        }
    };
    let shp = |k: isize| -> &[u8] {
        let j = i as isize + k;
        if j < 0 || j as usize >= n {
            b"_"
        } else {
            s.shapes[j as usize].as_bytes()
        }
    };
    let g = |k: isize| -> u8 {
        let j = i as isize + k;
        if j < 0 || j as usize >= n {
            0
        } else {
            gaz.get(j as usize).copied().unwrap_or(0)
        }
    };
    out.push(fnv(0, &[]));
    out.push(fnv(1, &[w.as_bytes()]));
    out.push(fnv(2, &[lw]));
    out.push(fnv(3, &[shp(0)]));
    // prefixes and suffixes of 1 to 4 characters, cut on character boundaries
    let lower = s.lower[i].as_str();
    let mut ends = lower
        .char_indices()
        .map(|(b, _)| b)
        .skip(1)
        .chain(std::iter::once(lower.len()));
    for k in 1..=4u8 {
        match ends.next() {
            Some(end) => out.push(fnv(3 + k, &[&lw[..end]])),
            None => break,
        }
    }
    let mut starts = lower.char_indices().rev().map(|(b, _)| b);
    for k in 1..=4u8 {
        match starts.next() {
            Some(start) => out.push(fnv(7 + k, &[&lw[start..]])),
            None => break,
        }
    }
    out.push(fnv(12, &[get(-1)]));
    out.push(fnv(13, &[get(1)]));
    out.push(fnv(14, &[get(-2)]));
    out.push(fnv(15, &[get(2)]));
    out.push(fnv(16, &[shp(-1)]));
    out.push(fnv(17, &[shp(1)]));
    out.push(fnv(18, &[get(-1), lw]));
    out.push(fnv(19, &[lw, get(1)]));
    out.push(fnv(27, &[shp(-1), shp(0), shp(1)]));
    let first = w.chars().next().unwrap_or(' ');
    let flags = u8::from(first.is_uppercase())
        | u8::from(w.chars().all(|c| !c.is_lowercase()) && w.chars().any(char::is_alphabetic)) << 1
        | u8::from(w.chars().any(|c| c.is_ascii_digit())) << 2
        | u8::from(w.contains('-')) << 3
        | u8::from(w.contains('.')) << 4
        | u8::from(i == 0) << 5;
    out.push(fnv(20, &[&[flags]]));
    if i == 0 {
        out.push(fnv(25, &[&[u8::from(cap_elsewhere)], shp(0)]));
    }
    out.push(fnv(21, &[&[flags], get(-1)]));
    let (g0, gp, gn) = (g(0), g(-1), g(1));
    out.push(fnv(22, &[&[g0]]));
    out.push(fnv(23, &[&[gp]]));
    out.push(fnv(24, &[&[gn]]));
    out.push(fnv(26, &[&[g0], shp(0)]));
    out.push(fnv(28, &[&[(w.chars().count().min(12)) as u8]]));
    // the word before and its shape: "Mr. X", "in X", "X said"
    out.push(fnv(29, &[get(-1), shp(0)]));
    out.push(fnv(30, &[shp(0), get(1)]));
    // word classes from vectors: what a word is like, for words the training data never had
    let cls = |k: isize| -> [u16; LEVELS] {
        let j = i as isize + k;
        if j < 0 || j as usize >= n {
            [0xfffe; LEVELS]
        } else {
            s.classes[j as usize]
        }
    };
    let (c0, cp, cn) = (cls(0), cls(-1), cls(1));
    for (level, c) in c0.iter().enumerate() {
        out.push(fnv(32 + level as u8, &[&c.to_le_bytes()]));
    }
    out.push(fnv(36, &[&cp[2].to_le_bytes()]));
    out.push(fnv(37, &[&cn[2].to_le_bytes()]));
    out.push(fnv(38, &[&c0[2].to_le_bytes(), shp(0)]));
    out.push(fnv(39, &[&cp[1].to_le_bytes(), &c0[1].to_le_bytes()]));
    let c2 = |k: isize| cls(k)[2].to_le_bytes();
    out.push(fnv(41, &[&c2(-2)]));
    out.push(fnv(42, &[&c2(2)]));
    out.push(fnv(43, &[&c0[2].to_le_bytes(), get(1)]));
    out.push(fnv(44, &[get(-1), &c0[2].to_le_bytes()]));
    // headlines in capitals: the word's case says nothing there, its identity does
    if s.all_caps {
        out.push(fnv(31, &[lw]));
    }
}

/// For a document: the words written capitalised somewhere other than a sentence start.
pub fn capitalised_midsentence<'a>(
    sentences: impl Iterator<Item = &'a [&'a str]>,
) -> HashMap<String, bool> {
    let mut m = HashMap::new();
    for s in sentences {
        for w in s.iter().skip(1) {
            if w.chars().next().is_some_and(char::is_uppercase) {
                m.insert(w.to_string(), true);
            }
        }
    }
    m
}
