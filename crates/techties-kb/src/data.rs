use std::collections::{HashMap, HashSet};
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
    index: HashMap<String, Vec<Candidate>>,
    /// Longest alias, in tokens, per first-token text: bounds the lookups at each position.
    first_tokens: HashMap<String, usize>,
    place_stop: HashSet<String>,
}

const COUNTRIES: &str = include_str!("../../../data/kb/countries.tsv");
const COUNTRY_ALIASES: &str = include_str!("../../../data/kb/country_aliases.tsv");
const PLACES: &str = include_str!("../../../data/kb/places.tsv");
const ORGS: &str = include_str!("../../../data/kb/orgs.tsv");
const PLACE_STOP: &str = include_str!("../../../data/kb/place_stopwords.txt");

fn rows(
    file: &'static str,
    text: &'static str,
) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    let _ = file;
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').collect()))
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
        let mut kb = Kb {
            index: HashMap::with_capacity(220_000),
            first_tokens: HashMap::with_capacity(120_000),
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
        for (line, f) in rows("places.tsv", PLACES) {
            let err = |reason: String| KbError {
                file: "places.tsv",
                line,
                reason,
            };
            if f.len() < 7 {
                return Err(err(format!("expected 8 columns, found {}", f.len())));
            }
            let kind = match f[6] {
                "city" => PlaceKind::City,
                "capital" => PlaceKind::Capital,
                "region" => PlaceKind::Region,
                "landmark" => PlaceKind::Landmark,
                other => return Err(err(format!("unknown place kind {other:?}"))),
            };
            let idx = kb.places.len();
            kb.places.push(PlaceRec {
                id: f[0].to_string(),
                name: f[1].to_string(),
                country: CountryCode::parse(f[2]),
                lat: opt_f64(f.get(3)),
                lon: opt_f64(f.get(4)),
                population: f[5].trim().parse().unwrap_or(0),
                kind,
            });
            kb.add_alias(f[1], Candidate::Place(idx));
            if let Some(aliases) = f.get(7) {
                for a in aliases.split('|').filter(|a| !a.is_empty()) {
                    kb.add_alias(a, Candidate::Place(idx));
                }
            }
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
        let alias = alias.trim();
        if alias.is_empty() {
            return;
        }
        // most aliases are plain words: their key is themselves (the tokeniser would only split
        // them at the spaces), which keeps building the index at start-up cheap
        let plain = alias
            .split(' ')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_alphabetic() && !is_cjk_like(c)));
        let (key, first, n) = if plain {
            let first = alias.split(' ').next().unwrap_or(alias);
            (
                alias.to_string(),
                first.to_string(),
                alias.split(' ').count(),
            )
        } else {
            let toks = techties_text::tokenize(alias);
            let Some(first) = toks.first() else { return };
            let first: String = alias[first.span.range()]
                .chars()
                .map(techties_text::fold_char)
                .collect();
            (techties_text::norm_key(alias, &toks), first, toks.len())
        };
        match self.first_tokens.get_mut(&first) {
            Some(e) => *e = (*e).max(n),
            None => {
                self.first_tokens.insert(first, n);
            }
        }
        let v = self.index.entry(key).or_default();
        if !v.contains(&cand) {
            v.push(cand);
        }
    }

    /// Candidates for a normalised key (see [`techties_text::norm_key`]).
    pub fn lookup(&self, key: &str) -> &[Candidate] {
        self.index.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The longest alias (in tokens) starting with this token's key, or 0 when none does.
    pub fn max_len_from(&self, first_token_key: &str) -> usize {
        self.first_tokens.get(first_token_key).copied().unwrap_or(0)
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
        self.index.len()
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
