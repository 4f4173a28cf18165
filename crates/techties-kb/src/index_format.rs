//! The alias index's binary layout, shared by the build script that writes it and the library
//! that reads it (the build script includes this file with `#[path]`).
//!
//! The index maps every normalised alias key to its candidates. It is built once, at compile
//! time, from the data files under `data/kb/`, and embedded in the binary: loading the
//! knowledge base then reads no alias and builds no table. The layout is an open-addressing
//! hash table (FNV-1a, linear probing, power-of-two slots) over entries that point into one
//! candidate array and one key blob. All integers are little-endian `u32`.
//!
//! ```text
//! header   MAGIC VERSION n_slots n_entries n_cands keys_len 0 0
//! slots    n_slots × (entry index + 1, or 0 when empty)
//! entries  n_entries × [key_off, key_len | max_len << 16 | prefix << 24 | ror_only << 25,
//!                       cands_off, cands_len]
//! cands    n_cands × encoded candidate (see `encode`)
//! keys     keys_len bytes of UTF-8
//! ```

/// First word of the file.
pub const MAGIC: u32 = u32::from_le_bytes(*b"TTKB");
/// Bumped whenever the layout or the key normalisation changes.
pub const VERSION: u32 = 2;
/// Words in the header.
pub const HEADER_WORDS: usize = 8;
/// Words per entry.
pub const ENTRY_WORDS: usize = 4;

/// Candidate tags, in the top two bits of an encoded candidate.
pub const TAG_COUNTRY: u32 = 0;
/// A place: the low 30 bits are its index.
pub const TAG_PLACE: u32 = 1;
/// An organisation: the low 30 bits are its index.
pub const TAG_ORG: u32 = 2;

/// FNV-1a, 64 bits: stable across builds and platforms, which the embedded table needs.
pub fn hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A ROR organisation: the low 28 bits are its row, bit 28 marks a generic name, bit 29 an
/// acronym.
pub const TAG_ROR: u32 = 3;
/// Bit of a ROR candidate matched by a generic name.
pub const ROR_GENERIC: u32 = 1 << 28;
/// Bit of a ROR candidate matched by an acronym.
pub const ROR_ACRONYM: u32 = 1 << 29;

/// Packs a candidate: tag in bits 30–31; a country's index in bits 0–7, its alias kind in
/// bits 8–9 and the ambiguity flag in bit 10; a place's or organisation's index in bits 0–29.
pub fn encode(tag: u32, idx: u32, kind: u32, ambiguous: bool) -> u32 {
    if tag == TAG_COUNTRY {
        (tag << 30) | (idx & 0xFF) | ((kind & 3) << 8) | (u32::from(ambiguous) << 10)
    } else {
        (tag << 30) | (idx & 0x3FFF_FFFF)
    }
}

/// Unpacks a candidate into (tag, index, alias kind, ambiguous).
pub fn decode(c: u32) -> (u32, u32, u32, bool) {
    let tag = c >> 30;
    if tag == TAG_COUNTRY {
        (tag, c & 0xFF, (c >> 8) & 3, c & (1 << 10) != 0)
    } else {
        (tag, c & 0x3FFF_FFFF, 0, false)
    }
}

/// How an alias is indexed: its key, the key of its first token, its length in tokens and
/// the keys of its proper token prefixes ("Nizhny" of "Nizhny Novgorod"), with which the
/// linker's longest-match walk decides whether to read one more token.
pub struct AliasKey {
    /// `techties_text::norm_key` of the alias's tokens.
    pub key: String,
    /// The key of its first token.
    pub first: String,
    /// Number of tokens.
    pub tokens: usize,
    /// Keys of the first 1, 2, … n-1 tokens.
    pub prefixes: Vec<String>,
}

/// The index key of an alias as written in a data file, or `None` for an empty one.
pub fn alias_key(alias: &str) -> Option<AliasKey> {
    let alias = alias.trim();
    let toks = techties_text::tokenize(alias);
    let first = toks.first()?;
    Some(AliasKey {
        key: techties_text::norm_key(alias, &toks),
        first: alias[first.span.range()]
            .chars()
            .map(techties_text::fold_char)
            .collect(),
        tokens: toks.len(),
        prefixes: (1..toks.len())
            .map(|j| techties_text::norm_key(alias, &toks[..j]))
            .collect(),
    })
}
