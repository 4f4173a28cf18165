use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use techties_core::{CountryCode, OrgKind};
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
}

/// The candidates of one key: almost always one, so kept inline.
#[derive(Debug, Clone)]
enum Cands {
    One([Candidate; 1]),
    Many(Vec<Candidate>),
}

impl Cands {
    fn push(&mut self, c: Candidate) {
        match self {
            Cands::One([a]) if *a != c => *self = Cands::Many(vec![*a, c]),
            Cands::One(_) => {}
            Cands::Many(v) => {
                if !v.contains(&c) {
                    v.push(c)
                }
            }
        }
    }

    fn offset_places(&mut self, offset: usize) {
        let shift = |c: &mut Candidate| {
            if let Candidate::Place(p) = c {
                *p += offset;
            }
        };
        match self {
            Cands::One(a) => a.iter_mut().for_each(shift),
            Cands::Many(v) => v.iter_mut().for_each(shift),
        }
    }

    fn as_slice(&self) -> &[Candidate] {
        match self {
            Cands::One(a) => a,
            Cands::Many(v) => v,
        }
    }
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
    names: AliasIndex,
    place_names: Vec<AliasIndex>,
    place_stop: HashSet<String>,
}

const COUNTRIES: &str = include_str!("../../../data/kb/countries.tsv");
const COUNTRY_ALIASES: &str = include_str!("../../../data/kb/country_aliases.tsv");
const PLACES: &str = include_str!("../../../data/kb/places.tsv");
const ORGS: &str = include_str!("../../../data/kb/orgs.tsv");
const PLACE_STOP: &str = include_str!("../../../data/kb/place_stopwords.txt");

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
        // places are nine tenths of the work: two threads read the two halves of the file
        // while this one reads the rest; the second half's candidates are renumbered after
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
            let (mut places, idx_a) = a.join().map_err(|_| panicked())??;
            let (places_b, mut idx_b) = b.join().map_err(|_| panicked())??;
            let offset = places.len();
            for c in idx_b.map.values_mut() {
                c.offset_places(offset);
            }
            places.extend(places_b);
            kb.places = places;
            kb.place_names = vec![idx_a, idx_b];
            Ok(kb)
        })
    }

    /// Countries, their aliases and organisations.
    fn from_names() -> Result<Kb, KbError> {
        let mut kb = Kb {
            names: AliasIndex::with_capacity(20_000),
            ..Kb::default()
        };
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
            let Some(&idx) = kb.country_by_code.get(&code) else {
                continue;
            };
            let kind = match f.get(2).copied().unwrap_or("name") {
                "name" => AliasKind::Name,
                "demonym" => AliasKind::Demonym,
                "prefix" => AliasKind::Prefix,
                "capital" => AliasKind::Capital,
                other => return Err(err(format!("unknown alias kind {other:?}"))),
            };
            let ambiguous = f.get(3).is_some_and(|s| s.trim() == "1");
            let alias = f.get(1).ok_or_else(|| err("missing alias".into()))?;
            kb.add_alias(
                alias,
                Candidate::Country {
                    idx,
                    kind,
                    ambiguous,
                },
            );
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
            let idx = kb.orgs.len();
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
            kb.add_alias(f[1], Candidate::Org(idx));
            for a in f[2].split('|').filter(|a| !a.is_empty()) {
                kb.add_alias(a, Candidate::Org(idx));
            }
        }
        kb.place_stop = PLACE_STOP
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(String::from)
            .collect();
        Ok(kb)
    }

    fn add_alias(&mut self, alias: &str, cand: Candidate) {
        self.names.add(alias, cand);
    }
}

/// Reads `places.tsv`: the records and their alias index.
fn load_places(
    text: &'static str,
    first_line: usize,
    skip: usize,
) -> Result<(Vec<PlaceRec>, AliasIndex), KbError> {
    let mut places = Vec::with_capacity(20_000);
    let mut index = AliasIndex::with_capacity(100_000);
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
        let idx = places.len();
        places.push(PlaceRec {
            id: f[0].to_string(),
            name: f[1].to_string(),
            country: CountryCode::parse(f[2]),
            lat: opt_f64(f.get(3)),
            lon: opt_f64(f.get(4)),
            population: f[5].trim().parse().unwrap_or(0),
            kind,
        });
        index.add(f[1], Candidate::Place(idx));
        if let Some(aliases) = f.get(7) {
            for a in aliases.split('|').filter(|a| !a.is_empty()) {
                index.add(a, Candidate::Place(idx));
            }
        }
    }
    Ok((places, index))
}

/// Aliases keyed by [`techties_text::norm_key`], with the longest alias per first token.
#[derive(Debug, Default)]
struct AliasIndex {
    map: FxHashMap<Box<str>, Cands>,
    /// Longest alias, in tokens, per first-token text: bounds the lookups at each position.
    first: FxHashMap<Box<str>, u8>,
    /// Keys of the proper token prefixes of multi-word aliases ("Nizhny" of "Nizhny
    /// Novgorod"): a match is extended only while its key is one of these.
    prefixes: rustc_hash::FxHashSet<Box<str>>,
}

impl AliasIndex {
    fn with_capacity(n: usize) -> Self {
        AliasIndex {
            map: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            first: FxHashMap::with_capacity_and_hasher(n / 2, Default::default()),
            prefixes: rustc_hash::FxHashSet::with_capacity_and_hasher(n / 3, Default::default()),
        }
    }

    fn get(&self, key: &str) -> &[Candidate] {
        self.map.get(key).map(Cands::as_slice).unwrap_or(&[])
    }

    fn max_len(&self, first: &str) -> usize {
        self.first.get(first).map(|n| usize::from(*n)).unwrap_or(0)
    }

    fn add(&mut self, alias: &str, cand: Candidate) {
        let alias = alias.trim();
        if alias.is_empty() {
            return;
        }
        // most aliases are plain words: their key is themselves (the tokeniser would only split
        // them at the spaces), which keeps building the index at start-up cheap
        let plain = alias.split(' ').all(|w| {
            !w.is_empty()
                && w.chars().all(|c| {
                    c.is_ascii_alphabetic() || !c.is_ascii() && c.is_alphabetic() && !is_cjk_like(c)
                })
        });
        let owned;
        let (key, first, n): (&str, &str, usize) = if plain {
            let first = alias.split(' ').next().unwrap_or(alias);
            for (i, _) in alias.match_indices(' ') {
                // most prefixes ("San", "New") recur: allocate only for new ones
                if !self.prefixes.contains(&alias[..i]) {
                    self.prefixes.insert(alias[..i].into());
                }
            }
            (alias, first, alias.split(' ').count())
        } else {
            let toks = techties_text::tokenize(alias);
            let Some(first) = toks.first() else { return };
            let first: String = alias[first.span.range()]
                .chars()
                .map(techties_text::fold_char)
                .collect();
            for j in 1..toks.len() {
                self.prefixes
                    .insert(techties_text::norm_key(alias, &toks[..j]).into());
            }
            owned = (techties_text::norm_key(alias, &toks), first);
            (&owned.0, &owned.1, toks.len())
        };
        let n = n.min(u8::MAX as usize) as u8;
        match self.first.get_mut(first) {
            Some(e) => *e = (*e).max(n),
            None => {
                self.first.insert(first.into(), n);
            }
        }
        match self.map.get_mut(key) {
            Some(v) => v.push(cand),
            None => {
                self.map.insert(key.into(), Cands::One([cand]));
            }
        }
    }
}

impl Kb {
    /// True when some multi-word alias begins with the words of this key.
    pub fn is_prefix(&self, key: &str) -> bool {
        self.names.prefixes.contains(key)
            || self.place_names.iter().any(|p| p.prefixes.contains(key))
    }

    /// True when some alias has this key (no allocation).
    pub fn contains(&self, key: &str) -> bool {
        !self.names.get(key).is_empty() || self.place_names.iter().any(|p| !p.get(key).is_empty())
    }

    /// Candidates for a normalised key (see [`techties_text::norm_key`]): countries and
    /// organisations first, then places.
    pub fn lookup(&self, key: &str) -> Vec<Candidate> {
        let mut v = self.names.get(key).to_vec();
        for p in &self.place_names {
            v.extend_from_slice(p.get(key));
        }
        v
    }

    /// The longest alias (in tokens) starting with this token's key, or 0 when none does.
    pub fn max_len_from(&self, first_token_key: &str) -> usize {
        self.place_names
            .iter()
            .map(|p| p.max_len(first_token_key))
            .fold(self.names.max_len(first_token_key), usize::max)
    }

    /// The country record for a code.
    pub fn country(&self, code: CountryCode) -> Option<&CountryRec> {
        self.country_by_code.get(&code).map(|&i| &self.countries[i])
    }

    /// True when a place name is also a common word or name and needs context to count.
    pub fn is_place_stopword(&self, name: &str) -> bool {
        self.place_stop.contains(name)
    }

    /// Number of aliases indexed.
    pub fn alias_count(&self) -> usize {
        self.names.map.len() + self.place_names.iter().map(|p| p.map.len()).sum::<usize>()
    }
}

/// Scripts whose characters are tokens of their own (see `techties_text::tokenize`).
fn is_cjk_like(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let kb = Kb::from_embedded().unwrap();
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
}
