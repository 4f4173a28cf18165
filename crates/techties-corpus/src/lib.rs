//! The annotated corpus: how techties reads its gold.
//!
//! A corpus folder (`corpus/en/`) holds, per article id, the adjudicated `gold/NNNN.json` and the
//! two independent annotations `A/NNNN.json` and `B/NNNN.json`, all in the gold shape of
//! `shared/eval/*/gold`, except that evidence is kept as character offsets into the article body
//! (the texts are their publishers' copyright and stay outside the repository). `articles.tsv`
//! records each body's length and SHA-256, so spans can be checked — and a changed text noticed —
//! without the texts; `splits.tsv` assigns each article to train, dev or test.
//!
//! The article texts live elsewhere (`shared/corpus/en/articles/NNNN.txt`): header lines
//! (`Title:`, `URL:`, `Date:`, `Outlet:`), blank lines, then the body, split exactly as the
//! project's yardstick (`shared/eval/score.py`) splits them, so an offset means the same thing
//! to both. The older eval corpora give evidence as the sentence's text; [`Evidence`] reads both.
//!
//! This crate knows files and shapes only; scoring lives in `techties-extract`'s `evaluate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use techties_core::{Domain, OrgKind, PartnershipType, Status};

mod validate;
pub use validate::{validate, Problem};

/// Why a corpus file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A file or folder could not be read.
    #[error("{path}: cannot read: {reason}")]
    Io {
        /// The path.
        path: String,
        /// The reason.
        reason: String,
    },
    /// A file is not in the expected shape.
    #[error("{path}: {reason}")]
    Format {
        /// The path.
        path: String,
        /// What is wrong, with the line where there is one.
        reason: String,
    },
}

fn io_err(path: &Path, e: std::io::Error) -> CorpusError {
    CorpusError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }
}

/// An article as the yardstick reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file stem (`0001`).
    pub id: String,
    /// `Title:` header.
    pub title: Option<String>,
    /// `URL:` header.
    pub url: Option<String>,
    /// `Date:` header as written (may be `unknown`).
    pub date: Option<String>,
    /// `Outlet:` header: the site it was taken from.
    pub outlet: Option<String>,
    /// The body: everything after the header lines and the blank lines after them.
    pub body: String,
}

impl Article {
    /// Splits a file's text into header fields and body: header lines are leading lines that
    /// start with `Title:`, `URL:`, `Date:` or `Outlet:`; blank lines after them are skipped;
    /// the rest, lines joined by `\n`, is the body.
    pub fn parse(id: &str, text: &str) -> Article {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut a = Article {
            id: id.to_string(),
            title: None,
            url: None,
            date: None,
            outlet: None,
            body: String::new(),
        };
        let mut i = 0;
        while i < lines.len() {
            let Some((key, val)) = lines[i].split_once(':') else {
                break;
            };
            let val = Some(val.trim().to_string());
            match key {
                "Title" => a.title = val,
                "URL" => a.url = val,
                "Date" => a.date = val,
                "Outlet" => a.outlet = val,
                _ => break,
            }
            i += 1;
        }
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        a.body = lines[i..].join("\n");
        a
    }

    /// Reads `DIR/ID.txt`.
    pub fn read(dir: &Path, id: &str) -> Result<Article, CorpusError> {
        let path = dir.join(format!("{id}.txt"));
        let text = std::fs::read_to_string(&path).map_err(|e| io_err(&path, e))?;
        Ok(Article::parse(id, &text))
    }

    /// The body's length in characters (Unicode scalar values), as offsets count.
    pub fn chars(&self) -> usize {
        self.body.chars().count()
    }

    /// The body's SHA-256, lower-case hex.
    pub fn sha256(&self) -> String {
        sha256_hex(&self.body)
    }
}

/// SHA-256 of a string's UTF-8 bytes, lower-case hex.
pub fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where a gold partnership is stated: the sentence's text (older corpora) or character
/// offsets into the body, `{"start": S, "end": E}` or `[S, E]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Evidence {
    /// Character offsets, end exclusive.
    Offsets {
        /// First character.
        start: usize,
        /// One past the last character.
        end: usize,
    },
    /// The same as a pair.
    Pair([usize; 2]),
    /// The sentence's text, verbatim.
    Text(String),
}

impl Evidence {
    /// Every character span of the body this evidence points at: offsets give one span (none
    /// when out of range); a text gives every place it occurs, falling back, like the
    /// yardstick, to the places of its first 80 characters.
    pub fn spans(&self, body: &str) -> Vec<(usize, usize)> {
        let n = body.chars().count();
        match self {
            Evidence::Offsets { start, end } | Evidence::Pair([start, end]) => {
                if start < end && *end <= n {
                    vec![(*start, *end)]
                } else {
                    Vec::new()
                }
            }
            Evidence::Text(t) if t.is_empty() => Vec::new(),
            Evidence::Text(t) => {
                let found = occurrences(body, t, t.chars().count());
                if !found.is_empty() {
                    return found;
                }
                let trimmed = t.trim();
                let head: String = trimmed.chars().take(80).collect();
                if head.is_empty() {
                    return Vec::new();
                }
                occurrences(body, &head, trimmed.chars().count())
            }
        }
    }

    /// The text of the first span, for reports.
    pub fn text(&self, body: &str) -> String {
        match self.spans(body).first() {
            Some(&(s, e)) => body.chars().skip(s).take(e - s).collect(),
            None => match self {
                Evidence::Text(t) => t.clone(),
                _ => String::new(),
            },
        }
    }
}

/// Character spans `(start, start + len)` of every occurrence of `needle` (overlapping ones
/// too, as Python's repeated `find` gives them).
fn occurrences(hay: &str, needle: &str, len: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let b = from + i;
        let c = hay[..b].chars().count();
        out.push((c, c + len));
        // the next character boundary after b
        from = b + hay[b..].chars().next().map_or(1, char::len_utf8);
        if from > hay.len() {
            break;
        }
    }
    out
}

/// An organisation in an annotation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldOrg {
    /// Fullest name in the text.
    pub name: String,
    /// Other forms the text uses.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Headquarters country (GUIDELINES §3).
    #[serde(default)]
    pub country: Option<String>,
    /// company, university, …
    #[serde(default)]
    pub kind: Option<String>,
}

/// A person in an annotation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldPerson {
    /// Name.
    pub name: String,
    /// Role as the text gives it.
    #[serde(default)]
    pub role: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
}

/// A place in an annotation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldPlace {
    /// Name.
    pub name: String,
    /// Country (null for continents and seas).
    #[serde(default)]
    pub country: Option<String>,
}

/// A partnership in an annotation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GoldPartnership {
    /// Parties: names, country codes or descriptions.
    #[serde(default)]
    pub participants: Vec<String>,
    /// The parties' countries (plus a sited type's host).
    #[serde(default)]
    pub countries: Vec<String>,
    /// The contract's type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The contract's domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Names of the sites.
    #[serde(default)]
    pub places: Vec<String>,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    #[serde(default)]
    pub date: Option<String>,
    /// announced, planned, … (the newer corpora only).
    #[serde(default)]
    pub status: Option<String>,
    /// The most specific sentence stating it.
    pub evidence: Evidence,
    /// Every other sentence stating the same fact.
    #[serde(default)]
    pub alt_evidence: Vec<Evidence>,
}

impl GoldPartnership {
    /// Every span of the body that states this fact: the evidence's and the alternatives'.
    pub fn spans(&self, body: &str) -> Vec<(usize, usize)> {
        std::iter::once(&self.evidence)
            .chain(&self.alt_evidence)
            .flat_map(|e| e.spans(body))
            .collect()
    }

    /// The parsed type, if it is one of the contract's.
    pub fn partnership_type(&self) -> Option<PartnershipType> {
        PartnershipType::parse(&self.kind)
    }
}

/// One annotation file: gold, or one annotator's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Annotation {
    /// The article id, where the file records it.
    #[serde(default)]
    pub id: Option<String>,
    /// Every country the body names.
    #[serde(default)]
    pub countries: Vec<String>,
    /// Organisations acting or acted upon.
    #[serde(default)]
    pub organizations: Vec<GoldOrg>,
    /// People named.
    #[serde(default)]
    pub people: Vec<GoldPerson>,
    /// Places named.
    #[serde(default)]
    pub places: Vec<GoldPlace>,
    /// The partnerships.
    #[serde(default)]
    pub partnerships: Vec<GoldPartnership>,
}

impl Annotation {
    /// Reads and parses a file.
    pub fn read(path: &Path) -> Result<Annotation, CorpusError> {
        let text = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
        serde_json::from_str(&text).map_err(|e| CorpusError::Format {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// What is not in the contract: unknown types, domains, statuses, organisation kinds, and
    /// country codes that are not two capital letters. (Whether a code names a real country is
    /// the knowledge base's business.)
    pub fn shape_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let code = |c: &str| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
        for c in &self.countries {
            if !code(c) {
                out.push(format!("countries: {c:?} is not a country code"));
            }
        }
        for (i, o) in self.organizations.iter().enumerate() {
            if o.name.trim().is_empty() {
                out.push(format!("organizations[{i}]: empty name"));
            }
            if let Some(k) = &o.kind {
                if OrgKind::parse(k).is_none() {
                    out.push(format!(
                        "organizations[{i}]: kind {k:?} is not the contract's"
                    ));
                }
            }
            if let Some(c) = &o.country {
                if !code(c) {
                    out.push(format!("organizations[{i}]: {c:?} is not a country code"));
                }
            }
        }
        for (i, p) in self.partnerships.iter().enumerate() {
            if p.partnership_type().is_none() {
                out.push(format!(
                    "partnerships[{i}]: type {:?} is not the contract's",
                    p.kind
                ));
            }
            if p.domains.is_empty() {
                out.push(format!("partnerships[{i}]: no domain"));
            }
            for d in &p.domains {
                if Domain::parse(d).is_none() {
                    out.push(format!(
                        "partnerships[{i}]: domain {d:?} is not the contract's"
                    ));
                }
            }
            if let Some(s) = &p.status {
                if Status::parse(s).is_none() {
                    out.push(format!(
                        "partnerships[{i}]: status {s:?} is not the contract's"
                    ));
                }
            }
            let mut cs: Vec<&String> = p.countries.iter().collect();
            cs.sort();
            cs.dedup();
            if cs.len() < 2 {
                out.push(format!(
                    "partnerships[{i}]: fewer than two different countries"
                ));
            }
            for c in cs {
                if !code(c) {
                    out.push(format!("partnerships[{i}]: {c:?} is not a country code"));
                }
            }
            if let Some(d) = &p.date {
                if !is_date(d) {
                    out.push(format!(
                        "partnerships[{i}]: date {d:?} is not YYYY, YYYY-MM or YYYY-MM-DD"
                    ));
                }
            }
        }
        out
    }
}

/// YYYY, YYYY-MM or YYYY-MM-DD with digits in the right places.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// A row of `articles.tsv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    /// Article id.
    pub id: String,
    /// Body length in characters.
    pub chars: usize,
    /// SHA-256 of the body.
    pub sha256: String,
    /// The `Outlet:` header.
    pub outlet: String,
}

pub(crate) fn read_tsv(path: &Path) -> Result<Vec<BTreeMap<String, String>>, CorpusError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let head: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    Ok(lines
        .map(|l| {
            head.iter()
                .zip(l.split('\t'))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .collect())
}

/// A corpus folder: its article table, splits and annotation files.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The folder (`corpus/en`).
    pub dir: PathBuf,
    /// `articles.tsv`, in file order.
    pub articles: Vec<ArticleRow>,
    /// `splits.tsv`: id → train | dev | test.
    pub splits: BTreeMap<String, String>,
}

impl Corpus {
    /// Opens a corpus folder: reads `articles.tsv` and, where present, `splits.tsv`.
    pub fn open(dir: &Path) -> Result<Corpus, CorpusError> {
        let table = dir.join("articles.tsv");
        let mut articles = Vec::new();
        for (n, row) in read_tsv(&table)?.into_iter().enumerate() {
            let field = |k: &str| row.get(k).cloned().unwrap_or_default();
            let chars = field("chars").parse().map_err(|_| CorpusError::Format {
                path: table.display().to_string(),
                reason: format!("line {}: chars is not a number", n + 2),
            })?;
            articles.push(ArticleRow {
                id: field("id"),
                chars,
                sha256: field("sha256"),
                outlet: field("outlet"),
            });
        }
        let split_path = dir.join("splits.tsv");
        let splits = if split_path.exists() {
            read_splits(&split_path)?
        } else {
            BTreeMap::new()
        };
        Ok(Corpus {
            dir: dir.to_path_buf(),
            articles,
            splits,
        })
    }

    /// The ids of a split (all ids for `None`), in table order.
    pub fn ids(&self, split: Option<&str>) -> Vec<String> {
        self.articles
            .iter()
            .filter(|a| split.is_none_or(|s| self.splits.get(&a.id).map(String::as_str) == Some(s)))
            .map(|a| a.id.clone())
            .collect()
    }

    /// The path of one annotator's (`gold`, `A`, `B`) file for an article.
    pub fn annotation_path(&self, who: &str, id: &str) -> PathBuf {
        self.dir.join(who).join(format!("{id}.json"))
    }
}

/// Reads a splits file (`id<TAB>split` with a header line) into id → split.
pub fn read_splits(path: &Path) -> Result<BTreeMap<String, String>, CorpusError> {
    Ok(read_tsv(path)?
        .into_iter()
        .map(|r| {
            (
                r.get("id").cloned().unwrap_or_default(),
                r.get("split").cloned().unwrap_or_default(),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_blank_lines_are_not_body() {
        let a = Article::parse(
            "0001",
            "Title: T\nURL: u\nDate: 2020\nOutlet: TASS\n\n\nFirst line.\n\nSecond.",
        );
        assert_eq!(a.outlet.as_deref(), Some("TASS"));
        assert_eq!(a.date.as_deref(), Some("2020"));
        assert_eq!(a.body, "First line.\n\nSecond.");
    }

    #[test]
    fn a_body_line_with_a_colon_is_not_a_header() {
        let a = Article::parse("x", "Title: T\n\nNote: this is body.");
        assert_eq!(a.body, "Note: this is body.");
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let body = "Росатом и CNNC подписали контракт. Done.";
        let ev: Evidence = serde_json::from_str(r#"{"start": 0, "end": 34}"#).unwrap();
        assert_eq!(ev.text(body), "Росатом и CNNC подписали контракт.");
        let t = Evidence::Text("Done.".into());
        assert_eq!(t.spans(body), vec![(35, 40)]);
    }

    #[test]
    fn a_repeated_sentence_is_found_at_every_place() {
        let body = "A deal. B. A deal.";
        assert_eq!(
            Evidence::Text("A deal.".into()).spans(body),
            vec![(0, 7), (11, 18)]
        );
    }

    #[test]
    fn offsets_outside_the_body_point_nowhere() {
        assert!(Evidence::Pair([3, 99]).spans("short").is_empty());
        assert!(Evidence::Offsets { start: 2, end: 2 }
            .spans("short")
            .is_empty());
    }

    #[test]
    fn shape_problems_name_what_is_not_in_the_contract() {
        let a: Annotation = serde_json::from_str(
            r#"{"countries":["RU","china"],"organizations":[],"people":[],"places":[],
               "partnerships":[{"participants":["RU"],"countries":["RU","RU"],"type":"alliance",
               "domains":["telecom","5g"],"date":"2019-13","evidence":{"start":0,"end":4}}]}"#,
        )
        .unwrap();
        let p = a.shape_problems();
        assert!(p.iter().any(|x| x.contains("\"china\"")));
        assert!(p.iter().any(|x| x.contains("alliance")));
        assert!(p.iter().any(|x| x.contains("5g")));
        assert!(p.iter().any(|x| x.contains("two different countries")));
        assert!(
            !p.iter().any(|x| x.contains("date")),
            "2019-13 has the shape"
        );
    }
}
