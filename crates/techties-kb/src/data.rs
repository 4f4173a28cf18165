use std::collections::{HashMap, HashSet};

use std::sync::OnceLock;

use techties_core::{CountryCode, OrgKind};

use crate::index_format;
#[cfg(test)]
use techties_text::key_of;

/// A country (or a historical state or union) as a party.
#[derive(Debug, Clone)]
pub struct CountryRec {
    /// ISO code.
    pub code: CountryCode,
    /// Common English name.
    pub name: String,
    /// Capital city.
    pub capital: String,
    /// Latitude of the capital.
    pub lat: Option<f64>,
    /// Longitude of the capital.
    pub lon: Option<f64>,
}

/// What kind of place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A national capital.
    Capital,
    /// A city.
    City,
    /// A first-level region.
    Region,
    /// A named site or building.
    Landmark,
}

impl PlaceKind {
    const NAMES: [(PlaceKind, &'static str); 4] = [
        (PlaceKind::Capital, "capital"),
        (PlaceKind::City, "city"),
        (PlaceKind::Region, "region"),
        (PlaceKind::Landmark, "landmark"),
    ];

    /// The name used in `places.tsv`.
    pub fn as_str(&self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(k, _)| k == self)
            .map(|(_, n)| *n)
            .unwrap_or("city")
    }

    /// Parses the name used in `places.tsv`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::NAMES.iter().find(|(_, n)| *n == s).map(|(k, _)| *k)
    }
}

/// A place with coordinates.
#[derive(Debug, Clone)]
pub struct PlaceRec {
    /// KB id (`place:524901`, `region:JP-43`, `landmark:kremlin`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Country.
    pub country: Option<CountryCode>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Population (0 when unknown).
    pub population: u64,
    /// City, capital, region or landmark.
    pub kind: PlaceKind,
}

/// An organisation of the curated list.
#[derive(Debug, Clone)]
pub struct OrgRec {
    /// KB id (`org:huawei`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Headquarters country.
    pub country: Option<CountryCode>,
    /// Kind of organisation.
    pub subkind: OrgKind,
    /// Technology domains (contract names).
    pub domains: Vec<String>,
    /// Aliases as written in the data file.
    pub aliases: Vec<String>,
    /// Id of the parent organisation.
    pub parent: Option<String>,
    /// Owned or controlled by a state, with the public fact it rests on.
    pub state_owned: Option<Flag>,
    /// Part of the defence sector, with the public fact it rests on.
    pub defence: Option<Flag>,
    /// Why the entry is marked uncertain, if it is.
    pub uncertain: Option<String>,
}

/// A yes/no fact about an organisation and the public fact it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The value.
    pub value: bool,
    /// The basis: one line stating the public fact.
    pub basis: String,
}

/// How a country alias names its country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasKind {
    /// A name ("Russia", "PRC").
    Name,
    /// A demonym or adjective ("Russian").
    Demonym,
    /// A combining form before a hyphen ("Sino").
    Prefix,
    /// A capital or seat of government used for the government ("Moscow", "Kremlin").
    Capital,
}

/// One thing a normalised key may refer to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Candidate {
    /// A country, with how it is named and whether the alias is also a common word or name.
    Country {
        /// Index into [`Kb::countries`].
        idx: usize,
        /// How the alias names it.
        kind: AliasKind,
        /// The alias has other common meanings.
        ambiguous: bool,
    },
    /// Index into [`Kb::places`].
    Place(usize),
    /// Index into [`Kb::orgs`].
    Org(usize),
    /// An organisation of the Research Organization Registry (see [`Kb::ror`]), matched by a
    /// generic name ("Ministry of Health") or by an acronym.
    Ror {
        /// Its row.
        idx: usize,
        /// The name matched is generic: it needs its country named in the text.
        generic: bool,
        /// The name matched is an acronym: it needs a definition or a single holder.
        acronym: bool,
    },
}

/// A knowledge-base file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("knowledge base file {file}, line {line}: {reason}")]
pub struct KbError {
    /// The data file.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

/// The knowledge base: records and the alias index over them.
#[derive(Debug, Default)]
pub struct Kb {
    /// Countries.
    pub countries: Vec<CountryRec>,
    /// Places.
    pub places: Vec<PlaceRec>,
    /// Organisations.
    pub orgs: Vec<OrgRec>,
    country_by_code: HashMap<CountryCode, usize>,
    index: AliasTable,
    place_stop: HashSet<String>,
}

const COUNTRIES: &str = include_str!("../../../data/kb/countries.tsv");
const COUNTRY_ALIASES: &str = include_str!("../../../data/kb/country_aliases.tsv");
const PLACES: &str = include_str!("../../../data/kb/places.tsv");
const ORGS: &str = include_str!("../../../data/kb/orgs.tsv");
const PLACE_STOP: &str = include_str!("../../../data/kb/place_stopwords.txt");
const ROR: &str = include_str!("../../../data/kb/ror.tsv");
static ROR_OFFSETS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ror_offsets.bin"));

/// An organisation of the Research Organization Registry (`data/kb/ror.tsv`, built by
/// `scripts/kb_ror.py`), read from the embedded table when asked for.
#[derive(Debug, Clone)]
pub struct RorRec {
    /// `ror:` and its ROR id, or `ror-name:` for a name-only row of the 2021 dump.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Other names, including Chinese and Russian labels.
    pub aliases: Vec<String>,
    /// Its acronyms.
    pub acronyms: Vec<String>,
    /// Its country.
    pub country: Option<CountryCode>,
    /// Its city.
    pub city: String,
    /// Latitude of its city.
    pub lat: Option<f64>,
    /// Longitude of its city.
    pub lon: Option<f64>,
    /// Its kind, from ROR's types.
    pub subkind: OrgKind,
    /// The ROR id of its parent organisation.
    pub parent: Option<String>,
    /// Its name is generic ("Ministry of Health"): it needs its country named in the text.
    pub generic: bool,
}

/// Data rows of a TSV file (after its header line), with 1-based line numbers.
fn rows(
    file: &'static str,
    text: &'static str,
) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    rows_from(file, text, 1, 1)
}

/// Data rows of a part of a TSV file whose first line is line `first_line`, skipping `skip`
/// lines (the header).
fn rows_from(
    _file: &'static str,
    text: &'static str,
    first_line: usize,
    skip: usize,
) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .skip(skip)
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(move |(i, l)| (i + first_line, l.split('\t').collect()))
}

/// A flag column and its basis column; a flag without a basis is kept with an empty basis so
/// that `kb check` can report it.
fn flag(value: Option<&&str>, basis: Option<&&str>) -> Option<Flag> {
    let value = match value.map(|v| v.trim()) {
        Some("1") => true,
        Some("0") => false,
        _ => return None,
    };
    Some(Flag {
        value,
        basis: basis.map(|b| b.trim().to_string()).unwrap_or_default(),
    })
}

fn opt_f64(s: Option<&&str>) -> Option<f64> {
    s.and_then(|s| s.trim().parse().ok())
}

impl Kb {
    /// The knowledge base compiled into the binary, built once per process.
    ///
    /// # Panics
    /// If the embedded data files are malformed, which the test suite rules out.
    pub fn embedded() -> &'static Kb {
        static KB: OnceLock<Kb> = OnceLock::new();
        KB.get_or_init(|| match Kb::from_embedded() {
            Ok(kb) => kb,
            Err(e) => panic!("{e}"),
        })
    }

    /// Builds the knowledge base from the embedded data files.
    pub fn from_embedded() -> Result<Kb, KbError> {
        // the alias index was built at compile time; what is left is reading the records.
        // Places are nine tenths of them: two threads read the two halves of the file while
        // this one reads the rest
        let mid = PLACES[PLACES.len() / 2..]
            .find('\n')
            .map(|i| PLACES.len() / 2 + i + 1)
            .unwrap_or(PLACES.len());
        let (first, second) = PLACES.split_at(mid);
        let second_line = first.matches('\n').count() + 1;
        std::thread::scope(|scope| {
            let a = scope.spawn(|| load_places(first, 1, 1));
            let b = scope.spawn(move || load_places(second, second_line, 0));
            let mut kb = Kb::from_names()?;
            let panicked = || KbError {
                file: "places.tsv",
                line: 0,
                reason: "loader thread panicked".into(),
            };
            let mut places = a.join().map_err(|_| panicked())??;
            places.extend(b.join().map_err(|_| panicked())??);
            kb.places = places;
            // built by build.rs from the same files in the same build: it cannot disagree with
            // the records (a test checks that every candidate points at one)
            kb.index = AliasTable::embedded()?;
            Ok(kb)
        })
    }

    /// Countries, their aliases and organisations.
    fn from_names() -> Result<Kb, KbError> {
        let mut kb = Kb::default();
        for (line, f) in rows("countries.tsv", COUNTRIES) {
            let code = CountryCode::parse(f[0]).ok_or(KbError {
                file: "countries.tsv",
                line,
                reason: format!("bad code {:?}", f[0]),
            })?;
            kb.country_by_code.insert(code, kb.countries.len());
            kb.countries.push(CountryRec {
                code,
                name: f.get(1).unwrap_or(&"").to_string(),
                capital: f.get(2).unwrap_or(&"").to_string(),
                lat: opt_f64(f.get(3)),
                lon: opt_f64(f.get(4)),
            });
        }
        for (line, f) in rows("country_aliases.tsv", COUNTRY_ALIASES) {
            let err = |reason: String| KbError {
                file: "country_aliases.tsv",
                line,
                reason,
            };
            let code =
                CountryCode::parse(f[0]).ok_or_else(|| err(format!("bad code {:?}", f[0])))?;
            // the aliases themselves are indexed at compile time (build.rs): this pass
            // validates the file, so that a bad row is reported with its line
            if !kb.country_by_code.contains_key(&code) {
                continue;
            }
            match f.get(2).copied().unwrap_or("name") {
                "name" | "demonym" | "prefix" | "capital" => {}
                other => return Err(err(format!("unknown alias kind {other:?}"))),
            }
            f.get(1).ok_or_else(|| err("missing alias".into()))?;
        }
        for (line, f) in rows("orgs.tsv", ORGS) {
            let err = |reason: String| KbError {
                file: "orgs.tsv",
                line,
                reason,
            };
            if f.len() < 5 {
                return Err(err(format!("expected 6 columns, found {}", f.len())));
            }
            kb.orgs.push(OrgRec {
                id: f[0].to_string(),
                name: f[1].to_string(),
                country: CountryCode::parse(f[3]),
                subkind: OrgKind::parse(f[4])
                    .ok_or_else(|| err(format!("unknown subkind {:?}", f[4])))?,
                domains: f
                    .get(5)
                    .map(|d| {
                        d.split('|')
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default(),
                aliases: f[2]
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
                parent: f
                    .get(6)
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_string()),
                state_owned: flag(f.get(7), f.get(8)),
                defence: flag(f.get(9), f.get(10)),
                uncertain: f.get(11).filter(|s| !s.trim().is_empty()).map(|s| {
                    s.trim()
                        .trim_start_matches('1')
                        .trim_start_matches(':')
                        .trim()
                        .to_string()
                }),
            });
        }
        kb.place_stop = PLACE_STOP
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        Ok(kb)
    }
}

/// Reads `places.tsv`.
fn load_places(
    text: &'static str,
    first_line: usize,
    skip: usize,
) -> Result<Vec<PlaceRec>, KbError> {
    let mut places = Vec::with_capacity(20_000);
    for (line, f) in rows_from("places.tsv", text, first_line, skip) {
        let err = |reason: String| KbError {
            file: "places.tsv",
            line,
            reason,
        };
        if f.len() < 7 {
            return Err(err(format!("expected 8 columns, found {}", f.len())));
        }
        let kind =
            PlaceKind::parse(f[6]).ok_or_else(|| err(format!("unknown place kind {:?}", f[6])))?;
        places.push(PlaceRec {
            id: f[0].to_string(),
            name: f[1].to_string(),
            country: CountryCode::parse(f[2]),
            lat: opt_f64(f.get(3)),
            lon: opt_f64(f.get(4)),
            population: f[5].trim().parse().unwrap_or(0),
            kind,
        });
    }
    Ok(places)
}

/// The alias index the build script wrote (layout in `index_format.rs`), read in place.
#[derive(Debug, Clone, Copy, Default)]
struct AliasTable {
    bytes: &'static [u8],
    n_slots: usize,
    n_entries: usize,
    slots: usize,
    entries: usize,
    cands: usize,
    keys: usize,
}

/// One key of the table.
#[derive(Debug, Clone)]
struct TableEntry {
    cands: std::ops::Range<usize>,
    max_len: u8,
    prefix: bool,
    ror_only: bool,
}

static ALIAS_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/alias_index.bin"));

impl AliasTable {
    fn embedded() -> Result<Self, KbError> {
        Self::from_bytes(ALIAS_INDEX)
    }

    fn from_bytes(bytes: &'static [u8]) -> Result<Self, KbError> {
        let bad = |reason: &str| KbError {
            file: "alias_index.bin",
            line: 0,
            reason: reason.into(),
        };
        let word = |i: usize| {
            bytes
                .get(i * 4..i * 4 + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        let header: Vec<usize> = (0..index_format::HEADER_WORDS)
            .map(word)
            .collect::<Option<_>>()
            .ok_or_else(|| bad("truncated header"))?;
        if header[0] != index_format::MAGIC as usize || header[1] != index_format::VERSION as usize
        {
            return Err(bad("not an alias index of this version"));
        }
        let (n_slots, n_entries, n_cands, keys_len) = (header[2], header[3], header[4], header[5]);
        let slots = index_format::HEADER_WORDS * 4;
        let entries = slots + n_slots * 4;
        let cands = entries + n_entries * index_format::ENTRY_WORDS * 4;
        let keys = cands + n_cands * 4;
        if !n_slots.is_power_of_two() || bytes.len() != keys + keys_len {
            return Err(bad("inconsistent sizes"));
        }
        Ok(AliasTable {
            bytes,
            n_slots,
            n_entries,
            slots,
            entries,
            cands,
            keys,
        })
    }

    #[inline]
    fn u32_at(&self, offset: usize) -> usize {
        let b = &self.bytes[offset..offset + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    }

    #[inline]
    fn entry(&self, i: usize) -> (&'static [u8], TableEntry) {
        let at = self.entries + i * index_format::ENTRY_WORDS * 4;
        let key_off = self.u32_at(at);
        let packed = self.u32_at(at + 4);
        let (cands_off, n) = (self.u32_at(at + 8), self.u32_at(at + 12));
        let key_start = self.keys + key_off;
        let bytes: &'static [u8] = self.bytes;
        (
            &bytes[key_start..key_start + (packed & 0xFFFF)],
            TableEntry {
                cands: cands_off..cands_off + n,
                max_len: ((packed >> 16) & 0xFF) as u8,
                prefix: packed & (1 << 24) != 0,
                ror_only: packed & (1 << 25) != 0,
            },
        )
    }

    fn get(&self, key: &str) -> Option<TableEntry> {
        if self.n_slots == 0 {
            return None;
        }
        let mask = self.n_slots - 1;
        let mut at = index_format::hash(key.as_bytes()) as usize & mask;
        loop {
            let slot = self.u32_at(self.slots + at * 4);
            if slot == 0 {
                return None;
            }
            let (k, e) = self.entry(slot - 1);
            if k == key.as_bytes() {
                return Some(e);
            }
            at = (at + 1) & mask;
        }
    }

    fn candidate(&self, i: usize) -> Candidate {
        let (tag, idx, kind, ambiguous) =
            index_format::decode(self.u32_at(self.cands + i * 4) as u32);
        let idx = idx as usize;
        match tag {
            index_format::TAG_PLACE => Candidate::Place(idx),
            index_format::TAG_ORG => Candidate::Org(idx),
            index_format::TAG_ROR => {
                let raw = idx as u32;
                Candidate::Ror {
                    idx: (raw & 0x0FFF_FFFF) as usize,
                    generic: raw & index_format::ROR_GENERIC != 0,
                    acronym: raw & index_format::ROR_ACRONYM != 0,
                }
            }
            _ => Candidate::Country {
                idx,
                kind: match kind {
                    0 => AliasKind::Name,
                    1 => AliasKind::Demonym,
                    2 => AliasKind::Prefix,
                    _ => AliasKind::Capital,
                },
                ambiguous,
            },
        }
    }
}

/// What the index knows of one key, in one probe: see [`Kb::probe`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Probe {
    /// Some alias has exactly this key.
    pub found: bool,
    /// Some longer alias begins with the words of this key.
    pub prefix: bool,
    /// Only ROR organisations have this key.
    pub ror_only: bool,
}

impl Kb {
    /// Every candidate of the index points at a record.
    #[cfg(test)]
    fn check_index(&self) -> Result<(), KbError> {
        let t = &self.index;
        let n_cands = (t.keys - t.cands) / 4;
        for i in 0..n_cands {
            let ok = match t.candidate(i) {
                Candidate::Place(p) => p < self.places.len(),
                Candidate::Org(o) => o < self.orgs.len(),
                Candidate::Ror { idx, .. } => idx < self.ror_len(),
                Candidate::Country { idx, .. } => idx < self.countries.len(),
            };
            if !ok {
                return Err(KbError {
                    file: "alias_index.bin",
                    line: 0,
                    reason: "the alias index does not match the data files".into(),
                });
            }
        }
        Ok(())
    }

    /// True when some multi-word alias begins with the words of this key.
    pub fn is_prefix(&self, key: &str) -> bool {
        self.probe(key).prefix
    }

    /// Whether an alias has this key and whether longer aliases begin with it, in one hash
    /// probe: the step of the linker's longest-match walk.
    pub fn probe(&self, key: &str) -> Probe {
        self.index
            .get(key)
            .map(|e| Probe {
                found: !e.cands.is_empty(),
                prefix: e.prefix,
                ror_only: e.ror_only,
            })
            .unwrap_or_default()
    }

    /// True when some alias has this key (no allocation).
    pub fn contains(&self, key: &str) -> bool {
        self.probe(key).found
    }

    /// Candidates for a normalised key (see [`techties_text::norm_key`]): countries and
    /// organisations first, then places.
    pub fn lookup(&self, key: &str) -> Vec<Candidate> {
        match self.index.get(key) {
            Some(e) => e.cands.map(|i| self.index.candidate(i)).collect(),
            None => Vec::new(),
        }
    }

    /// The longest alias (in tokens) starting with this token's key, or 0 when none does.
    pub fn max_len_from(&self, first_token_key: &str) -> usize {
        self.index
            .get(first_token_key)
            .map_or(0, |e| usize::from(e.max_len))
    }

    /// The country record for a code.
    pub fn country(&self, code: CountryCode) -> Option<&CountryRec> {
        self.country_by_code.get(&code).map(|&i| &self.countries[i])
    }

    /// True when a place name is also a common word or name and needs context to count.
    pub fn is_place_stopword(&self, name: &str) -> bool {
        self.place_stop.contains(name)
    }

    /// Number of ROR organisations.
    pub fn ror_len(&self) -> usize {
        ROR_OFFSETS.len() / 4
    }

    /// The ROR organisation of a row (see [`Candidate::Ror`]).
    pub fn ror(&self, idx: usize) -> Option<RorRec> {
        let at = ROR_OFFSETS.get(idx * 4..idx * 4 + 4)?;
        let start = u32::from_le_bytes([at[0], at[1], at[2], at[3]]) as usize;
        let line = ROR.get(start..)?.lines().next()?;
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 11 {
            return None;
        }
        let list = |s: &str| -> Vec<String> {
            s.split('|')
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect()
        };
        Some(RorRec {
            id: f[0].to_string(),
            name: f[1].to_string(),
            aliases: list(f[2]),
            acronyms: list(f[3]),
            country: CountryCode::parse(f[4]),
            city: f[5].to_string(),
            lat: f[6].parse().ok(),
            lon: f[7].parse().ok(),
            subkind: OrgKind::parse(f[8]).unwrap_or(OrgKind::Other),
            parent: (!f[9].is_empty()).then(|| f[9].to_string()),
            generic: f[10].contains('g'),
        })
    }

    /// Number of alias keys indexed.
    pub fn alias_count(&self) -> usize {
        (0..self.index.n_entries)
            .filter(|&i| !self.index.entry(i).1.cands.is_empty())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let kb = Kb::from_embedded().unwrap();
        kb.check_index().unwrap();
        assert!(
            kb.countries.len() > 240,
            "countries: {}",
            kb.countries.len()
        );
        assert!(kb.places.len() > 20_000);
        assert!(kb.orgs.len() > 100);
    }

    #[test]
    fn countries_have_names_demonyms_and_prefixes() {
        let kb = Kb::embedded();
        let code_of = |alias: &str, want: AliasKind| {
            kb.lookup(&key_of(alias)).iter().find_map(|c| match c {
                Candidate::Country { idx, kind, .. } if *kind == want => {
                    Some(kb.countries[*idx].code.as_str().to_string())
                }
                _ => None,
            })
        };
        assert_eq!(code_of("Russia", AliasKind::Name).as_deref(), Some("RU"));
        assert_eq!(code_of("U.S.", AliasKind::Name).as_deref(), Some("US"));
        assert_eq!(
            code_of("Soviet Union", AliasKind::Name).as_deref(),
            Some("SU")
        );
        assert_eq!(
            code_of("Chinese", AliasKind::Demonym).as_deref(),
            Some("CN")
        );
        assert_eq!(code_of("Sino", AliasKind::Prefix).as_deref(), Some("CN"));
        assert_eq!(
            code_of("Beijing", AliasKind::Capital).as_deref(),
            Some("CN")
        );
    }

    #[test]
    fn the_compiled_index_finds_every_organisation_and_place_by_each_of_its_names() {
        let kb = Kb::embedded();
        for (i, o) in kb.orgs.iter().enumerate() {
            for name in std::iter::once(&o.name).chain(&o.aliases) {
                let k = index_format::alias_key(name).unwrap();
                assert!(
                    kb.lookup(&k.key).contains(&Candidate::Org(i)),
                    "{} by {name:?}",
                    o.id
                );
                assert!(kb.max_len_from(&k.first) >= k.tokens, "{name:?}");
                for p in &k.prefixes {
                    assert!(kb.is_prefix(p), "{p:?} of {name:?}");
                }
            }
        }
        for (i, p) in kb.places.iter().enumerate().step_by(97) {
            let k = index_format::alias_key(&p.name).unwrap();
            assert!(kb.lookup(&k.key).contains(&Candidate::Place(i)), "{}", p.id);
        }
    }

    #[test]
    fn candidates_survive_their_encoding() {
        use index_format::{decode, encode, TAG_COUNTRY, TAG_ORG, TAG_PLACE};
        assert_eq!(
            decode(encode(TAG_COUNTRY, 254, 3, true)),
            (TAG_COUNTRY, 254, 3, true)
        );
        assert_eq!(
            decode(encode(TAG_PLACE, 37_000, 0, false)),
            (TAG_PLACE, 37_000, 0, false)
        );
        assert_eq!(
            decode(encode(TAG_ORG, 599, 0, false)),
            (TAG_ORG, 599, 0, false)
        );
    }

    #[test]
    fn a_truncated_or_foreign_index_is_refused() {
        assert!(AliasTable::from_bytes(&ALIAS_INDEX[..ALIAS_INDEX.len() - 1]).is_err());
        assert!(AliasTable::from_bytes(&ALIAS_INDEX[4..]).is_err());
        assert!(AliasTable::from_bytes(b"TTKB").is_err());
    }
}
