//! Builds the alias index (see `src/index_format.rs`) from the data files at compile time, so
//! that a process starts without normalising 190,000 aliases and filling hash tables.
//!
//! The candidates' indices are row numbers among the data rows of each file, in file order,
//! exactly as `Kb::from_embedded` numbers the records it reads; a malformed row is left to
//! that loader, which reports it with its file and line.

use std::collections::HashMap;
use std::path::PathBuf;

#[allow(dead_code)]
#[path = "src/index_format.rs"]
mod index_format;

use index_format::{
    alias_key, encode, hash, ROR_ACRONYM, ROR_GENERIC, TAG_COUNTRY, TAG_ORG, TAG_PLACE, TAG_ROR,
};

/// One key of the index while it is built.
#[derive(Default)]
struct Slot {
    cands: Vec<u32>,
    max_len: u8,
    prefix: bool,
    /// Only ROR organisations have this key.
    ror_only: bool,
}

#[derive(Default)]
struct Builder {
    order: Vec<String>,
    by_key: HashMap<String, Slot>,
}

impl Builder {
    fn slot(&mut self, key: &str) -> &mut Slot {
        if !self.by_key.contains_key(key) {
            self.order.push(key.to_string());
        }
        self.by_key.entry(key.to_string()).or_default()
    }

    /// Indexes an alias; a ROR alias a curated organisation already has is left to it.
    fn add(&mut self, alias: &str, cand: u32) {
        let Some(k) = alias_key(alias) else { return };
        let ror = cand >> 30 == TAG_ROR;
        if ror
            && self
                .by_key
                .get(&k.key)
                .is_some_and(|s| s.cands.iter().any(|c| c >> 30 == TAG_ORG))
        {
            return;
        }
        for p in &k.prefixes {
            self.slot(p).prefix = true;
        }
        let n = k.tokens.min(u8::MAX as usize) as u8;
        let first = self.slot(&k.first);
        first.max_len = first.max_len.max(n);
        let slot = self.slot(&k.key);
        slot.ror_only = ror && (slot.ror_only || slot.cands.is_empty());
        if !slot.cands.contains(&cand) {
            slot.cands.push(cand);
        }
    }

    fn write(self) -> Vec<u8> {
        let n_entries = self.order.len();
        let n_slots = (n_entries + n_entries / 4 + 1).next_power_of_two();
        let mut slots = vec![0u32; n_slots];
        let mut entries = Vec::with_capacity(n_entries * 4);
        let mut cands = Vec::new();
        let mut keys = Vec::new();
        for (i, key) in self.order.iter().enumerate() {
            let s = &self.by_key[key];
            assert!(key.len() < 1 << 16, "alias key too long: {key}");
            entries.extend([
                keys.len() as u32,
                key.len() as u32
                    | (u32::from(s.max_len) << 16)
                    | (u32::from(s.prefix) << 24)
                    | (u32::from(s.ror_only) << 25),
                cands.len() as u32,
                s.cands.len() as u32,
            ]);
            keys.extend_from_slice(key.as_bytes());
            cands.extend_from_slice(&s.cands);
            let mut at = hash(key.as_bytes()) as usize & (n_slots - 1);
            while slots[at] != 0 {
                at = (at + 1) & (n_slots - 1);
            }
            slots[at] = i as u32 + 1;
        }
        let header = [
            index_format::MAGIC,
            index_format::VERSION,
            n_slots as u32,
            n_entries as u32,
            cands.len() as u32,
            keys.len() as u32,
            0,
            0,
        ];
        let mut out = Vec::new();
        for w in header.iter().chain(&slots).chain(&entries).chain(&cands) {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(&keys);
        out
    }
}

/// Data rows of a TSV file: after the header, skipping blank and `#` lines.
fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/kb");
    let read = |name: &str| {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    };
    println!("cargo:rerun-if-changed=src/index_format.rs");
    let mut b = Builder::default();

    let countries = read("countries.tsv");
    let country_idx: HashMap<String, u32> = rows(&countries)
        .enumerate()
        .map(|(i, f)| (f[0].trim().to_ascii_uppercase(), i as u32))
        .collect();
    let aliases = read("country_aliases.tsv");
    for f in rows(&aliases) {
        let Some(&idx) = country_idx.get(&f[0].trim().to_ascii_uppercase()) else {
            continue;
        };
        let kind = match f.get(2).copied().unwrap_or("name") {
            "name" => 0,
            "demonym" => 1,
            "prefix" => 2,
            "capital" => 3,
            _ => continue,
        };
        let ambiguous = f.get(3).is_some_and(|s| s.trim() == "1");
        if let Some(alias) = f.get(1) {
            b.add(alias, encode(TAG_COUNTRY, idx, kind, ambiguous));
        }
    }

    let orgs = read("orgs.tsv");
    for (idx, f) in rows(&orgs).enumerate() {
        if f.len() < 5 {
            continue;
        }
        let cand = encode(TAG_ORG, idx as u32, 0, false);
        b.add(f[1], cand);
        for a in f[2].split('|').filter(|a| !a.is_empty()) {
            b.add(a, cand);
        }
    }

    let places = read("places.tsv");
    for (idx, f) in rows(&places).enumerate() {
        if f.len() < 7 {
            continue;
        }
        let cand = encode(TAG_PLACE, idx as u32, 0, false);
        b.add(f[1], cand);
        if let Some(aliases) = f.get(7) {
            for a in aliases.split('|').filter(|a| !a.is_empty()) {
                b.add(a, cand);
            }
        }
    }

    // ROR: names, aliases and acronyms the curated list does not have; the byte offset of every
    // row, so that the library reads a record only when the linker picks it
    let ror = read("ror.tsv");
    let mut offsets: Vec<u32> = Vec::new();
    let mut at = ror.find('\n').map_or(ror.len(), |i| i + 1);
    for line in ror[at..].split_inclusive('\n') {
        let f: Vec<&str> = line.trim_end_matches('\n').split('\t').collect();
        if f.len() >= 11 && !line.starts_with('#') {
            let idx = offsets.len() as u32;
            offsets.push(at as u32);
            let generic = if f[10].contains('g') { ROR_GENERIC } else { 0 };
            let cand = (TAG_ROR << 30) | idx | generic;
            // a name of more than 8 words is seldom written out in full in news; indexing its
            // every prefix would double the index
            let indexable = |a: &str| !a.is_empty() && a.len() <= 72 && a.split(' ').count() <= 8;
            for a in std::iter::once(f[1]).chain(f[2].split('|')) {
                if indexable(a) {
                    b.add(a, cand);
                }
            }
            for a in f.get(11).into_iter().flat_map(|g| g.split('|')) {
                if indexable(a) {
                    b.add(a, (TAG_ROR << 30) | idx | ROR_GENERIC);
                }
            }
            for a in f[3].split('|') {
                if !a.is_empty() {
                    b.add(a, (TAG_ROR << 30) | idx | ROR_ACRONYM);
                }
            }
        }
        at += line.len();
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let bytes: Vec<u8> = offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
    std::fs::write(out_dir.join("ror_offsets.bin"), bytes).expect("write ROR offsets");
    std::fs::write(out_dir.join("alias_index.bin"), b.write()).expect("write alias index");
}
