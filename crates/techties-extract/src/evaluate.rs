//! Evaluation against a gold corpus, as a feature of the tool (`techties eval`).
//!
//! A corpus folder holds `articles/NNN.txt` (header lines `Title:`, `URL:`, `Date:`, a blank
//! line, the body) and `gold/NNN.json`. The figures are computed the way the project's
//! yardstick (`shared/eval/score.py`) computes them — a predicted partnership matches a gold one
//! when its evidence overlaps the gold evidence (or an alternative) and it names at least two of
//! the gold countries, one-to-one, best overlap first; "strict" also needs the same countries,
//! type and a shared domain — plus what the yardstick does not show: precision and recall per
//! type and per domain, a calibration table of the confidence, and the list of every missed and
//! every spurious partnership with its sentence, for people improving the rules.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use techties_corpus::{Annotation, Article, GoldPartnership};
use techties_ner::eval::prf;

use crate::output;
use crate::source::{normalise_date, RawDoc};
use crate::Pipeline;

/// One article of a gold corpus.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    /// The file stem (`002`).
    pub id: String,
    /// The `Outlet:` header, where the article has one.
    pub outlet: Option<String>,
    /// The article as the extractor reads it (source `eval://NNN`).
    pub raw: RawDoc,
    /// The gold annotations.
    pub gold: Annotation,
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or folder could not be read.
    #[error("{path}: {reason}")]
    Io {
        /// The path.
        path: String,
        /// The reason.
        reason: String,
    },
    /// A gold or splits file could not be read.
    #[error(transparent)]
    Corpus(#[from] techties_corpus::CorpusError),
}

/// Where the texts are and which articles to score.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions<'a> {
    /// The folder of article texts (default: `CORPUS/articles`), for corpora whose texts are
    /// kept elsewhere (`corpus/en` reads `shared/corpus/en/articles`).
    pub articles: Option<&'a Path>,
    /// Only the articles of this split (`train`, `dev`, `test`).
    pub split: Option<&'a str>,
    /// The splits file (default: `CORPUS/splits.tsv`).
    pub splits: Option<&'a Path>,
}

/// Reads the articles of a corpus folder that have a `gold/ID.json`, in id order, as the
/// yardstick does: header lines (`Title:`, `URL:`, `Date:`, `Outlet:`) are not body, and
/// evidence may be text or character offsets.
pub fn load_corpus(dir: &Path, opts: &LoadOptions) -> Result<Vec<GoldDoc>, EvalError> {
    let io = |p: &Path, e: std::io::Error| EvalError::Io {
        path: p.display().to_string(),
        reason: e.to_string(),
    };
    let default_arts = dir.join("articles");
    let arts = opts.articles.unwrap_or(&default_arts);
    let keep = match opts.split {
        Some(split) => {
            let default_splits = dir.join("splits.tsv");
            let path = opts.splits.unwrap_or(&default_splits);
            let all = techties_corpus::read_splits(path)?;
            let ids: HashSet<String> = all
                .into_iter()
                .filter(|(_, s)| s == split)
                .map(|(id, _)| id)
                .collect();
            if ids.is_empty() {
                return Err(EvalError::Io {
                    path: path.display().to_string(),
                    reason: format!("no article is in split {split:?}"),
                });
            }
            Some(ids)
        }
        None => None,
    };
    let mut names: Vec<String> = std::fs::read_dir(arts)
        .map_err(|e| io(arts, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let id = name.trim_end_matches(".txt").to_string();
        if keep.as_ref().is_some_and(|k| !k.contains(&id)) {
            continue;
        }
        let gold_path = dir.join("gold").join(format!("{id}.json"));
        if !gold_path.exists() {
            continue;
        }
        let gold = Annotation::read(&gold_path)?;
        let art = Article::read(arts, &id)?;
        out.push(GoldDoc {
            raw: RawDoc {
                source: format!("eval://{id}"),
                title: art.title.clone(),
                date: art
                    .date
                    .as_deref()
                    .and_then(normalise_date)
                    .filter(|d| techties_corpus::is_date(d)),
                text: art.body,
            },
            outlet: art.outlet,
            id,
            gold,
        });
    }
    Ok(out)
}

/// The yardstick's name normalisation: no accents, lower case, no possessive, words only,
/// no leading "the".
fn norm(s: &str) -> String {
    let s: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase();
    // a possessive: an apostrophe and "s" that ends a word
    let chars: Vec<char> = s.chars().collect();
    let mut kept = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let possessive = matches!(chars[i], '\u{2019}' | '\'' | '`')
            && chars.get(i + 1) == Some(&'s')
            && chars
                .get(i + 2)
                .is_none_or(|c| !(c.is_alphanumeric() || *c == '_'));
        if possessive {
            i += 2;
            continue;
        }
        kept.push(chars[i]);
        i += 1;
    }
    let words: Vec<&str> = kept
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let j = words.join(" ");
    j.strip_prefix("the ").map(str::to_string).unwrap_or(j)
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn is_cyrillic_lower(c: char) -> bool {
    matches!(c, 'а'..='я' | 'ё')
}

/// Equal, or Russian forms of one word ("росатом"/"росатома", "китай"/"китаем"): a common
/// prefix of all but the last two letters of the shorter, and at most three letters more.
fn same_word(x: &str, y: &str) -> bool {
    if x == y {
        return true;
    }
    if !(x.chars().any(is_cyrillic_lower) && y.chars().any(is_cyrillic_lower)) {
        return false;
    }
    let (xs, ys): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    let (short, long) = if xs.len() <= ys.len() {
        (xs, ys)
    } else {
        (ys, xs)
    };
    let common = short.iter().zip(&long).take_while(|(a, b)| a == b).count();
    common >= 4.max(short.len().saturating_sub(2)) && long.len() - common <= 3
}

/// Two names match as the yardstick matches them: equal after normalisation, or the shorter
/// (3+ characters) is a whole-word part of the longer, Russian words matching across case
/// forms; Chinese and Japanese names match as substrings (2+ characters). Names over 100
/// characters never match: a mention is a name, not a passage.
pub fn names_match(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    let (la, lb) = (a.chars().count(), b.chars().count());
    if a.is_empty() || b.is_empty() || la > 100 || lb > 100 {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long, ls) = if la <= lb { (a, b, la) } else { (b, a, lb) };
    if short.chars().any(is_cjk) {
        return ls >= 2 && long.contains(&short);
    }
    if ls < 3 {
        return false;
    }
    let sw: Vec<&str> = short.split(' ').collect();
    let lw: Vec<&str> = long.split(' ').collect();
    lw.len() >= sw.len()
        && (0..=lw.len() - sw.len()).any(|i| sw.iter().zip(&lw[i..]).all(|(x, y)| same_word(x, y)))
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// A scored prediction or gold item, for the error report.
#[derive(Debug, Clone)]
pub struct Item {
    /// Document id.
    pub doc: String,
    /// Partnership type.
    pub kind: String,
    /// Countries.
    pub countries: Vec<String>,
    /// Domains.
    pub domains: Vec<String>,
    /// The evidence sentence.
    pub evidence: String,
    /// Confidence (predictions only).
    pub confidence: Option<f64>,
}

/// All figures of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Documents scored.
    pub docs: usize,
    /// Gold partnerships (locatable), predictions, detection matches, strict matches.
    pub gold: usize,
    /// Predicted partnerships.
    pub pred: usize,
    /// Detection matches.
    pub tp: usize,
    /// Strict matches.
    pub strict_tp: usize,
    /// On matches: same type, shared domain, same countries; dates right of dates in gold;
    /// gold places found.
    pub type_ok: usize,
    /// Matches with a shared domain.
    pub domain_ok: usize,
    /// Matches with the same country set.
    pub countries_exact: usize,
    /// (right, gold) dates on matches.
    pub dates: (usize, usize),
    /// (found, gold) places on matches.
    pub places: (usize, usize),
    /// Entities: (found, gold) organisations, countries right of those with one, people,
    /// places, places with the right country, places with coordinates.
    pub orgs: (usize, usize),
    /// Organisations found with a gold country: (country right, with gold country).
    pub org_country: (usize, usize),
    /// Predicted organisations: (naming a gold organisation, predicted).
    pub org_precision: (usize, usize),
    /// Gold partnerships whose evidence points nowhere in the text (not scored).
    pub gold_unlocatable: usize,
    /// People (found, gold).
    pub people: (usize, usize),
    /// Places (found, gold).
    pub place_ents: (usize, usize),
    /// Found places with the right country, with coordinates.
    pub place_quality: (usize, usize),
    /// Countries: (true positives, predicted, gold).
    pub countries: (usize, usize, usize),
    /// Per type: (matched with this type on both sides, predicted, gold).
    pub per_type: BTreeMap<String, (usize, usize, usize)>,
    /// Per domain: (matched sharing this domain, predicted with it, gold with it).
    pub per_domain: BTreeMap<String, (usize, usize, usize)>,
    /// Confidence calibration: per bin of 0.2, (predictions, matched).
    pub calibration: [(usize, usize); 5],
    /// Gold partnerships nothing matched.
    pub missed: Vec<Item>,
    /// Predictions that matched nothing.
    pub spurious: Vec<Item>,
    /// Characters of text, and seconds spent extracting.
    pub chars: usize,
    /// Seconds spent extracting.
    pub seconds: f64,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b > 0 {
        a as f64 / b as f64
    } else {
        0.0
    }
}

/// Runs the pipeline over the corpus and scores it.
pub fn evaluate(pipeline: &Pipeline, corpus: &[GoldDoc]) -> Report {
    let t0 = std::time::Instant::now();
    let preds: Vec<Value> = corpus
        .iter()
        .map(|d| {
            pipeline
                .run(d.raw.clone())
                .map(|doc| output::to_value(&doc))
                .unwrap_or(Value::Null)
        })
        .collect();
    let seconds = t0.elapsed().as_secs_f64();
    let mut r = score(corpus, &preds);
    r.seconds = seconds;
    r
}

/// Scores predictions (one contract JSON value per document, in corpus order) against the
/// gold, without running anything.
pub fn score(corpus: &[GoldDoc], preds: &[Value]) -> Report {
    let mut r = Report {
        docs: corpus.len(),
        ..Default::default()
    };
    for (d, p) in corpus.iter().zip(preds) {
        r.chars += d.raw.text.chars().count();
        score_partnerships(d, p, &mut r);
        score_entities(d, p, &mut r);
    }
    r
}

fn score_partnerships(d: &GoldDoc, p: &Value, r: &mut Report) {
    let text = &d.raw.text;
    let n_chars = text.chars().count();
    let empty = Vec::new();
    let mut golds: Vec<(&GoldPartnership, Vec<(usize, usize)>)> = Vec::new();
    for g in &d.gold.partnerships {
        let spans = g.spans(text);
        if spans.is_empty() {
            r.gold_unlocatable += 1;
        } else {
            golds.push((g, spans));
        }
    }
    let preds_raw = p["partnerships"].as_array().unwrap_or(&empty);
    let preds: Vec<(&Value, (usize, usize))> = preds_raw
        .iter()
        .filter_map(|q| pred_span(text, n_chars, q).map(|s| (q, s)))
        .collect();
    r.gold += golds.len();
    r.pred += preds_raw.len();
    for (g, _) in &golds {
        r.per_type.entry(g.kind.clone()).or_default().2 += 1;
        for dm in &g.domains {
            r.per_domain.entry(dm.clone()).or_default().2 += 1;
        }
    }
    for (q, _) in &preds {
        r.per_type
            .entry(q["type"].as_str().unwrap_or("").to_string())
            .or_default()
            .1 += 1;
        for dm in strs(&q["domains"]) {
            r.per_domain.entry(dm).or_default().1 += 1;
        }
    }
    // candidates: (overlap, (same type, shared domain), gold index, prediction index)
    let mut cands: Vec<(f64, (bool, bool), usize, usize)> = Vec::new();
    for (gi, (g, gspans)) in golds.iter().enumerate() {
        let gc: HashSet<&str> = g.countries.iter().map(String::as_str).collect();
        let gd: HashSet<&str> = g.domains.iter().map(String::as_str).collect();
        for (pi, (q, ps)) in preds.iter().enumerate() {
            let pcs = strs(&q["countries"]);
            let pc: HashSet<&str> = pcs.iter().map(String::as_str).collect();
            if gc.intersection(&pc).count() < gc.len().min(2) {
                continue;
            }
            let overlap = |gs: &(usize, usize)| gs.1.min(ps.1).saturating_sub(gs.0.max(ps.0));
            let best = gspans
                .iter()
                .map(|gs| overlap(gs) as f64 / (gs.1 - gs.0).min(ps.1 - ps.0).max(1) as f64)
                .fold(0.0, f64::max);
            // the overlap must cover a third of the predicted evidence: a span over half the
            // article overlaps everything and proves nothing
            let cover =
                gspans.iter().map(overlap).max().unwrap_or(0) as f64 / (ps.1 - ps.0).max(1) as f64;
            if best > 0.0 && cover >= 1.0 / 3.0 {
                let pds = strs(&q["domains"]);
                let shared = pds.iter().any(|x| gd.contains(x.as_str()));
                cands.push((best, (q["type"] == g.kind.as_str(), shared), gi, pi));
            }
        }
    }
    cands.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
    let (mut used_g, mut used_p) = (HashSet::new(), HashSet::new());
    for (_, _, gi, pi) in cands {
        if used_g.contains(&gi) || used_p.contains(&pi) {
            continue;
        }
        used_g.insert(gi);
        used_p.insert(pi);
        let (g, q) = (golds[gi].0, preds[pi].0);
        r.tp += 1;
        let same_countries = g.countries.iter().cloned().collect::<HashSet<_>>()
            == strs(&q["countries"]).into_iter().collect::<HashSet<_>>();
        let same_type = q["type"] == g.kind.as_str();
        let gd: HashSet<String> = g.domains.iter().cloned().collect();
        let pd: HashSet<String> = strs(&q["domains"]).into_iter().collect();
        let dom_hit = !gd.is_disjoint(&pd) || gd.is_empty() && pd.is_empty();
        r.countries_exact += usize::from(same_countries);
        r.type_ok += usize::from(same_type);
        r.domain_ok += usize::from(dom_hit);
        if same_countries && same_type && dom_hit {
            r.strict_tp += 1;
        }
        if same_type {
            r.per_type.entry(g.kind.clone()).or_default().0 += 1;
        }
        for dm in gd.intersection(&pd) {
            r.per_domain.entry(dm.clone()).or_default().0 += 1;
        }
        if let Some(gdate) = &g.date {
            r.dates.1 += 1;
            let year: String = gdate.chars().take(4).collect();
            let ok = q["date"].as_str().is_some_and(|pd| pd.starts_with(&year));
            r.dates.0 += usize::from(ok);
        }
        if !g.places.is_empty() {
            let names: Vec<String> = q["places"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x["name"].as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            r.places.1 += g.places.len();
            r.places.0 += g
                .places
                .iter()
                .filter(|x| names.iter().any(|n| names_match(x, n)))
                .count();
        }
    }
    for (gi, (g, _)) in golds.iter().enumerate() {
        if !used_g.contains(&gi) {
            r.missed.push(Item {
                doc: d.id.clone(),
                kind: g.kind.clone(),
                countries: g.countries.clone(),
                domains: g.domains.clone(),
                evidence: g.evidence.text(text),
                confidence: None,
            });
        }
    }
    for (pi, (q, _)) in preds.iter().enumerate() {
        let conf = q["confidence"].as_f64().unwrap_or(0.0);
        let bin = ((conf * 5.0) as usize).min(4);
        r.calibration[bin].0 += 1;
        if used_p.contains(&pi) {
            r.calibration[bin].1 += 1;
        } else {
            r.spurious.push(Item {
                doc: d.id.clone(),
                kind: q["type"].as_str().unwrap_or("").to_string(),
                countries: strs(&q["countries"]),
                domains: strs(&q["domains"]),
                evidence: q["evidence"]["text"].as_str().unwrap_or("").to_string(),
                confidence: Some(conf),
            });
        }
    }
}

/// A prediction's evidence span: its offsets when they lie in the text, else where its text
/// first occurs.
fn pred_span(text: &str, n_chars: usize, q: &Value) -> Option<(usize, usize)> {
    let ev = &q["evidence"];
    if let (Some(s), Some(e)) = (ev["start"].as_u64(), ev["end"].as_u64()) {
        let (s, e) = (s as usize, e as usize);
        if s < e && e <= n_chars {
            return Some((s, e));
        }
    }
    let t = ev["text"].as_str().filter(|t| !t.is_empty())?;
    let b = text.find(t)?;
    let s = text[..b].chars().count();
    Some((s, s + t.chars().count()))
}

fn score_entities(d: &GoldDoc, p: &Value, r: &mut Report) {
    let empty = Vec::new();
    let ents = p["entities"].as_array().unwrap_or(&empty);
    let names_of = |kind: &str| -> Vec<(&Value, Vec<String>)> {
        ents.iter()
            .filter(|e| e["kind"] == kind)
            .map(|e| {
                let mut ns = vec![e["name"].as_str().unwrap_or("").to_string()];
                ns.extend(
                    e["mentions"]
                        .as_array()
                        .map(|m| {
                            m.iter()
                                .filter_map(|x| x["text"].as_str().map(String::from))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                );
                (e, ns)
            })
            .collect()
    };
    let orgs = names_of("organization");
    let gold_names: Vec<Vec<&str>> = d
        .gold
        .organizations
        .iter()
        .map(|g| {
            std::iter::once(g.name.as_str())
                .chain(g.aliases.iter().map(String::as_str))
                .collect()
        })
        .collect();
    r.org_precision.1 += orgs.len();
    r.org_precision.0 += orgs
        .iter()
        .filter(|(_, ns)| {
            gold_names
                .iter()
                .any(|gn| gn.iter().any(|a| ns.iter().any(|b| names_match(a, b))))
        })
        .count();
    for (g, gn) in d.gold.organizations.iter().zip(&gold_names) {
        r.orgs.1 += 1;
        if let Some((hit, _)) = orgs
            .iter()
            .find(|(_, ns)| gn.iter().any(|a| ns.iter().any(|b| names_match(a, b))))
        {
            r.orgs.0 += 1;
            if let Some(c) = &g.country {
                r.org_country.1 += 1;
                r.org_country.0 += usize::from(hit["country"].as_str() == Some(c.as_str()));
            }
        }
    }
    let people = names_of("person");
    for g in &d.gold.people {
        r.people.1 += 1;
        r.people.0 += usize::from(
            people
                .iter()
                .any(|(_, ns)| ns.iter().any(|b| names_match(&g.name, b))),
        );
    }
    let places = names_of("place");
    for g in &d.gold.places {
        r.place_ents.1 += 1;
        if let Some((hit, _)) = places
            .iter()
            .find(|(_, ns)| ns.iter().any(|b| names_match(&g.name, b)))
        {
            r.place_ents.0 += 1;
            r.place_quality.0 += usize::from(hit["country"].as_str() == g.country.as_deref());
            r.place_quality.1 += usize::from(!hit["lat"].is_null() && !hit["lon"].is_null());
        }
    }
    let gc: HashSet<&str> = d.gold.countries.iter().map(String::as_str).collect();
    let pc: HashSet<&str> = ents
        .iter()
        .filter(|e| e["kind"] == "country")
        .filter_map(|e| e["country"].as_str())
        .collect();
    r.countries.0 += gc.intersection(&pc).count();
    r.countries.1 += pc.len();
    r.countries.2 += gc.len();
}

impl Report {
    /// Detection precision, recall, F1.
    pub fn detection(&self) -> (f64, f64, f64) {
        prf(self.tp, self.pred, self.gold)
    }

    /// Strict precision, recall, F1.
    pub fn strict(&self) -> (f64, f64, f64) {
        prf(self.strict_tp, self.pred, self.gold)
    }

    /// The report as text: the yardstick's figures, then per type, per domain and calibration.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let (p, rc, f) = self.detection();
        let (sp, sr, sf) = self.strict();
        let _ = writeln!(o, "docs          {}", self.docs);
        let _ = writeln!(
            o,
            "partnerships  gold {}  predicted {}  matched {}",
            self.gold, self.pred, self.tp
        );
        if self.gold_unlocatable > 0 {
            let _ = writeln!(
                o,
                "              ({} gold partnerships with evidence not in the text, not scored)",
                self.gold_unlocatable
            );
        }
        let _ = writeln!(o, "  detection   P {p:.3}  R {rc:.3}  F1 {f:.3}");
        let _ = writeln!(o, "  strict      P {sp:.3}  R {sr:.3}  F1 {sf:.3}   (same countries, type, a shared domain)");
        let _ = writeln!(
            o,
            "  on matches  type {:.3}  domain {:.3}  countries {:.3}  date {:.3}  places {:.3}",
            ratio(self.type_ok, self.tp),
            ratio(self.domain_ok, self.tp),
            ratio(self.countries_exact, self.tp),
            ratio(self.dates.0, self.dates.1),
            ratio(self.places.0, self.places.1)
        );
        let _ = writeln!(
            o,
            "entities      org recall {:.3} (country right {:.3}, precision {:.3})  person recall {:.3}  place recall {:.3} (country {:.3}, coords {:.3})",
            ratio(self.orgs.0, self.orgs.1),
            ratio(self.org_country.0, self.org_country.1),
            ratio(self.org_precision.0, self.org_precision.1),
            ratio(self.people.0, self.people.1),
            ratio(self.place_ents.0, self.place_ents.1),
            ratio(self.place_quality.0, self.place_ents.0),
            ratio(self.place_quality.1, self.place_ents.0)
        );
        let (cp, cr, cf) = prf(self.countries.0, self.countries.1, self.countries.2);
        let _ = writeln!(o, "countries     P {cp:.3}  R {cr:.3}  F1 {cf:.3}");
        let _ = writeln!(
            o,
            "time          {:.2} s for {} chars",
            self.seconds, self.chars
        );
        let _ = writeln!(
            o,
            "\nper type (a match counts for a type when gold and prediction share it)"
        );
        let _ = writeln!(
            o,
            "  {:<20} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}",
            "type", "gold", "pred", "both", "P", "R", "F1"
        );
        for (t, (tp, pr, gd)) in &self.per_type {
            let (p, rc, f) = prf(*tp, *pr, *gd);
            let _ = writeln!(
                o,
                "  {t:<20} {gd:>5} {pr:>5} {tp:>5}  {p:>6.3} {rc:>6.3} {f:>6.3}"
            );
        }
        let _ = writeln!(o, "\nper domain");
        let _ = writeln!(
            o,
            "  {:<20} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}",
            "domain", "gold", "pred", "both", "P", "R", "F1"
        );
        for (t, (tp, pr, gd)) in &self.per_domain {
            let (p, rc, f) = prf(*tp, *pr, *gd);
            let _ = writeln!(
                o,
                "  {t:<20} {gd:>5} {pr:>5} {tp:>5}  {p:>6.3} {rc:>6.3} {f:>6.3}"
            );
        }
        let _ = writeln!(
            o,
            "\ncalibration (share of predictions that match a gold partnership)"
        );
        for (i, (n, ok)) in self.calibration.iter().enumerate() {
            let _ = writeln!(
                o,
                "  confidence {:.1}-{:.1}  {:>4} predicted  {:>4} right  {:.3}",
                i as f64 * 0.2,
                (i + 1) as f64 * 0.2,
                n,
                ok,
                ratio(*ok, *n)
            );
        }
        let (n8, ok8) = self.confident(0.8);
        let _ = writeln!(
            o,
            "  confidence >= 0.8: {ok8} of {n8} right ({:.3})",
            ratio(ok8, n8)
        );
        let _ = writeln!(o, "\npartnership_f1={f:.3} strict_f1={sf:.3} org_recall={:.3} org_country_acc={:.3} place_recall={:.3}", ratio(self.orgs.0, self.orgs.1), ratio(self.org_country.0, self.org_country.1), ratio(self.place_ents.0, self.place_ents.1));
        o
    }

    /// (predictions, right ones) with confidence at or above `threshold`, counted by bins of 0.2.
    pub fn confident(&self, threshold: f64) -> (usize, usize) {
        let first = ((threshold * 5.0) as usize).min(4);
        self.calibration[first..]
            .iter()
            .fold((0, 0), |a, x| (a.0 + x.0, a.1 + x.1))
    }

    /// An HTML page listing every missed and every spurious partnership with its sentence;
    /// everything from the documents is escaped.
    pub fn to_html(&self, corpus: &str) -> String {
        let mut o = String::new();
        let _ = write!(
            o,
            "<!doctype html><meta charset=utf-8><title>techties eval: {c}</title><style>body{{font:14px sans-serif;max-width:70em;margin:2em auto}}td{{vertical-align:top;padding:.3em}}tr:nth-child(even){{background:#f4f4f4}}.ev{{font-family:serif}}</style><h1>Errors on {c}</h1><pre>{fig}</pre>",
            c = esc(corpus),
            fig = esc(&self.to_text())
        );
        for (title, items) in [
            ("Missed (in gold, not found)", &self.missed),
            ("Spurious (found, not in gold)", &self.spurious),
        ] {
            let _ = write!(o, "<h2>{} — {}</h2><table><tr><th>doc<th>type<th>countries<th>domains<th>conf<th>sentence", esc(title), items.len());
            for it in items.iter() {
                let _ = write!(
                    o,
                    "<tr><td>{}<td>{}<td>{}<td>{}<td>{}<td class=ev>{}",
                    esc(&it.doc),
                    esc(&it.kind),
                    esc(&it.countries.join(" ")),
                    esc(&it.domains.join(" ")),
                    it.confidence.map(|c| format!("{c:.2}")).unwrap_or_default(),
                    esc(&it.evidence)
                );
            }
            o.push_str("</table>");
        }
        o
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_like_the_yardstick() {
        assert!(names_match("The Huawei", "huawei"));
        assert!(names_match("Russia's", "Russia"));
        assert!(!names_match("St. Petersburg", "Saint Petersburg"));
        assert!(names_match("Nizhny Novgorod", "Nizhny Novgorod Oblast"));
        assert!(!names_match("Ka", "Kazan"));
        // accents go, but "Ł" has no decomposition (as in the yardstick)
        assert!(names_match("Łabędy", "Łabedy"));
        assert!(!names_match("Łabędy", "Labedy"));
    }

    #[test]
    fn russian_case_forms_and_chinese_names_match_like_the_yardstick() {
        assert!(names_match("Росатом", "Росатома"));
        assert!(names_match("Китай", "Китаем"));
        assert!(names_match("Госкорпорация Росатом", "Росатомом"));
        assert!(!names_match("Россия", "Роснано"));
        assert!(names_match("华为", "华为技术有限公司"));
        assert!(!names_match("华", "华为"));
        // a passage is not a name
        assert!(!names_match(&"Huawei ".repeat(20), "Huawei"));
        // a possessive goes
        assert!(names_match("China\u{2019}s CNNC", "China CNNC"));
    }

    #[test]
    fn html_escapes_document_text() {
        assert_eq!(
            esc("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_tiny_corpus_scores_as_hand_computed() {
        let dir = std::env::temp_dir().join(format!("techties-eval-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("articles")).unwrap();
        std::fs::create_dir_all(dir.join("gold")).unwrap();
        std::fs::write(dir.join("articles/001.txt"), "Title: T\nURL: u\nDate: 2020-01-02\nOutlet: Example News\n\nChinese firm Huawei opened a research centre in Kazan, Russia. The weather was fine.").unwrap();
        std::fs::write(
            dir.join("gold/001.json"),
            r#"{"countries":["CN","RU"],"organizations":[{"name":"Huawei","aliases":[],"country":"CN","kind":"company"}],"people":[],"places":[{"name":"Kazan","country":"RU"}],
               "partnerships":[{"participants":["Huawei","RU"],"countries":["CN","RU"],"type":"rd_center","domains":["telecom"],"places":["Kazan"],"date":null,
               "evidence":"Chinese firm Huawei opened a research centre in Kazan, Russia."},
               {"participants":["RU","CN"],"countries":["RU","CN"],"type":"other","domains":["ai"],"places":[],"date":null,"evidence":"The weather was fine."}]}"#,
        )
        .unwrap();
        let corpus = load_corpus(&dir, &LoadOptions::default()).unwrap();
        assert_eq!(corpus[0].raw.date.as_deref(), Some("2020-01-02"));
        assert_eq!(corpus[0].outlet.as_deref(), Some("Example News"));
        assert!(corpus[0].raw.text.starts_with("Chinese firm"));
        let r = evaluate(&Pipeline::standard(), &corpus);
        // one of two gold partnerships found, with the right type, countries, domain and place
        assert_eq!((r.gold, r.tp, r.strict_tp), (2, 1, 1));
        assert_eq!(r.places, (1, 1));
        assert_eq!(r.missed.len(), 1);
        assert_eq!(r.orgs, (1, 1));
        assert!(r.to_text().contains("partnership_f1="));
        assert!(r.to_html("t").contains("The weather was fine."));
    }
}
