//! The learned partnership extractor.
//!
//! The rule extractor ([`crate::events`]) fits the dozen articles it was written on; this one is
//! trained on the annotated corpus (`corpus/en`, see docs/CORPUS.md) and measured on outlets it
//! never saw. Per document:
//!
//! 1. [`candidates`]: every sentence whose parties or sites, after references are resolved,
//!    span two countries (or one, completed from context), with how each country is supported;
//! 2. a **detector** scores each candidate: does it state a partnership (or restate one)?
//! 3. a **same-fact** model joins the kept candidates that state one fact (a headline, a lede, a
//!    quote, a recap), so each fact is reported once, with its most probable sentence as
//!    evidence — and keeps apart sentences that state distinct facts of the same parties;
//! 4. for each fact: a **country** model picks which of the candidate's countries are parties,
//!    a **type** model its type, a **domain** model its domains; dates, sites and status come
//!    from the sentence as before.
//!
//! The rule extractor still runs first: its verdict for each sentence is one of the features
//! ([`features::Sources::rules`]), so rules became evidence the models weigh. The models are
//! logistic regressions ([`techties_learn`]) trained by `techties train extractor` into one file,
//! `models/extractor.bin`, embedded in the binary. [`Mode`] selects rules only, the learned
//! models without the rule features, or both (the default).

pub mod candidates;
pub mod features;
pub mod train;

use std::collections::HashMap;
use std::sync::OnceLock;

use techties_core::{
    Annotator, CountryCode, Doc, Domain, Participant, Partnership, PartnershipType, PlaceRef,
    PlaceRole, Result, Span,
};
use techties_kb::Kb;
use techties_learn::{LearnError, Model};

use crate::events::{dates_in, place_role, status_of, triggers};
use candidates::{candidates, Candidate};
use features::Sources;

/// What decides the partnerships of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The rule extractor alone (the learned models are not consulted).
    Rules,
    /// The learned models, with or without rule features as the bundle was trained.
    Learned,
}

/// Thresholds of the decoder, chosen on the dev split at training time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeConfig {
    /// A candidate is kept when the detector's probability reaches this.
    pub detect: f32,
    /// Two kept candidates are one fact when the same-fact probability reaches this.
    pub same: f32,
    /// A country is a party when its probability reaches this (at least two are kept).
    pub country: f32,
    /// A domain is kept when its probability reaches this (at least one is kept).
    pub domain: f32,
    /// A sentence states a second (third, …) fact of another type when that type's
    /// probability reaches this.
    pub second_type: f32,
}

impl Default for DecodeConfig {
    fn default() -> Self {
        DecodeConfig {
            detect: 0.5,
            same: 0.5,
            country: 0.5,
            domain: 0.4,
            second_type: 0.5,
        }
    }
}

/// The trained models and the decoder's thresholds.
#[derive(Debug, Clone)]
pub struct Models {
    /// Is this candidate a statement of a partnership?
    pub detect: Model,
    /// Its type (softmax over the contract's types).
    pub kind: Model,
    /// Its domains (a sigmoid per domain).
    pub domains: Model,
    /// Is this country of the candidate a party?
    pub country: Model,
    /// Do these two candidates state the same fact?
    pub same: Model,
    /// Thresholds.
    pub config: DecodeConfig,
    /// Which evidence the models were trained with.
    pub sources: Sources,
}

const BUNDLE_MAGIC: &[u8] = b"TTEX\x01";

impl Models {
    /// The bundle as bytes: a magic, then named sections (`detect`, `type`, `domains`,
    /// `country`, `same` — each a [`techties_learn::Model`] — and `config`, `key=value` lines).
    pub fn to_bytes(&self) -> Vec<u8> {
        let config = format!(
            "detect={}\nsame={}\ncountry={}\ndomain={}\nsecond_type={}\nrules={}\n",
            self.config.detect,
            self.config.same,
            self.config.country,
            self.config.domain,
            self.config.second_type,
            u8::from(self.sources.rules)
        );
        let sections: Vec<(&str, Vec<u8>)> = vec![
            ("detect", self.detect.to_bytes()),
            ("type", self.kind.to_bytes()),
            ("domains", self.domains.to_bytes()),
            ("country", self.country.to_bytes()),
            ("same", self.same.to_bytes()),
            ("config", config.into_bytes()),
        ];
        let mut out = BUNDLE_MAGIC.to_vec();
        out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
        for (name, data) in sections {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&data);
        }
        out
    }

    /// Reads [`Models::to_bytes`]'s format; `what` names the bundle in errors.
    pub fn from_bytes(what: &str, bytes: &[u8]) -> std::result::Result<Models, LearnError> {
        let err = |reason: String| LearnError::Format {
            what: what.to_string(),
            reason,
        };
        let rest = bytes
            .strip_prefix(BUNDLE_MAGIC)
            .ok_or_else(|| err("not an extractor bundle".into()))?;
        let mut at = 0usize;
        let mut take = |n: usize| -> std::result::Result<&[u8], LearnError> {
            let s = rest
                .get(at..at + n)
                .ok_or_else(|| err("truncated".into()))?;
            at += n;
            Ok(s)
        };
        let u32_of = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let n = u32_of(take(4)?);
        let mut sections: HashMap<String, Vec<u8>> = HashMap::new();
        for _ in 0..n {
            let len = u32_of(take(4)?);
            let name = String::from_utf8_lossy(take(len)?).into_owned();
            let len = u32_of(take(4)?);
            sections.insert(name, take(len)?.to_vec());
        }
        let model = |name: &str| -> std::result::Result<Model, LearnError> {
            let b = sections
                .get(name)
                .ok_or_else(|| err(format!("no {name} section")))?;
            Model::from_bytes(&format!("{what}: {name}"), b)
        };
        let config_text = String::from_utf8_lossy(
            sections
                .get("config")
                .ok_or_else(|| err("no config section".into()))?,
        )
        .into_owned();
        let mut config = DecodeConfig::default();
        let mut sources = Sources { rules: true };
        for line in config_text.lines() {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            let x: f32 = v
                .trim()
                .parse()
                .map_err(|_| err(format!("config {k}: not a number")))?;
            match k.trim() {
                "detect" => config.detect = x,
                "same" => config.same = x,
                "country" => config.country = x,
                "domain" => config.domain = x,
                "second_type" => config.second_type = x,
                "rules" => sources.rules = x != 0.0,
                _ => {}
            }
        }
        Ok(Models {
            detect: model("detect")?,
            kind: model("type")?,
            domains: model("domains")?,
            country: model("country")?,
            same: model("same")?,
            config,
            sources,
        })
    }

    /// The bundle built into the binary (`models/extractor.bin`), if it holds one.
    pub fn embedded() -> Option<&'static Models> {
        static M: OnceLock<Option<Models>> = OnceLock::new();
        M.get_or_init(|| {
            let bytes: &[u8] = include_bytes!("../../../../models/extractor.bin");
            if bytes.is_empty() {
                return None;
            }
            match Models::from_bytes("models/extractor.bin", bytes) {
                Ok(m) => Some(m),
                // the shipped bundle is checked by the test suite; a broken build fails there
                Err(e) => panic!("{e}"),
            }
        })
        .as_ref()
    }
}

/// One fact found by the decoder, before it becomes a [`Partnership`].
#[derive(Debug, Clone)]
pub struct Fact {
    /// Candidates stating it, the evidence first.
    pub members: Vec<usize>,
    /// Its type.
    pub kind: PartnershipType,
    /// The detector's probability for the evidence.
    pub probability: f32,
}

/// Replaces the rule extractor's partnerships with the learned ones.
pub struct LearnedExtractor {
    models: &'static Models,
    kb: &'static Kb,
    org_domains: HashMap<String, Vec<String>>,
}

impl LearnedExtractor {
    /// An extractor over trained models and the knowledge base.
    pub fn new(models: &'static Models, kb: &'static Kb) -> Self {
        LearnedExtractor {
            models,
            kb,
            org_domains: org_domains(kb),
        }
    }
}

/// Each organisation's usual domains, by KB id.
pub fn org_domains(kb: &Kb) -> HashMap<String, Vec<String>> {
    kb.orgs
        .iter()
        .map(|o| (o.id.clone(), o.domains.clone()))
        .collect()
}

impl Annotator for LearnedExtractor {
    fn name(&self) -> &'static str {
        "learned-events"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let cands = candidates(doc);
        let out = decode(doc, &cands, self.models, &self.models.config, |c| {
            features::domains(doc, c, &self.org_domains)
        });
        doc.partnerships = out
            .into_iter()
            .map(|(fact, kind, countries, domains)| {
                partnership(doc, &cands, &fact, kind, countries, domains, self.kb)
            })
            .collect();
        doc.trace.push(self.name());
        Ok(())
    }
}

/// The detector's probability for every candidate.
pub fn detect_all(doc: &Doc, cands: &[Candidate], m: &Models) -> Vec<f32> {
    cands
        .iter()
        .map(|c| {
            m.detect
                .probability(&features::sentence(doc, c, m.sources), 0)
        })
        .collect()
}

/// The type model's probability of each type for a candidate (independent sigmoids: a
/// sentence may state facts of several types).
pub fn type_probs(doc: &Doc, c: &Candidate, m: &Models) -> Vec<(PartnershipType, f32)> {
    let tp = m.kind.predict(&features::sentence(doc, c, m.sources));
    tp.iter()
        .enumerate()
        .filter_map(|(i, p)| PartnershipType::parse(&m.kind.labels()[i]).map(|t| (t, *p)))
        .collect()
}

/// The most probable type of a candidate.
pub fn type_of(doc: &Doc, c: &Candidate, m: &Models) -> PartnershipType {
    type_probs(doc, c, m)
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(PartnershipType::Other, |x| x.0)
}

/// The facts of a document: each kept candidate (in order of probability) states one fact per
/// type the type model finds probable enough (at least its most probable one) — unless the
/// same-fact model finds it restates a fact of that type already found, whose member it
/// becomes.
pub fn group(
    doc: &Doc,
    cands: &[Candidate],
    probs: &[f32],
    m: &Models,
    cfg: &DecodeConfig,
) -> Vec<Fact> {
    let mut order: Vec<usize> = (0..cands.len())
        .filter(|&i| probs[i] >= cfg.detect)
        .collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
    let mut facts: Vec<Fact> = Vec::new();
    for i in order {
        let mut tps = type_probs(doc, &cands[i], m);
        tps.sort_by(|a, b| b.1.total_cmp(&a.1));
        let kinds: Vec<PartnershipType> = tps
            .iter()
            .enumerate()
            .filter(|(k, (_, p))| *k == 0 || *p >= cfg.second_type)
            .map(|(_, (t, _))| *t)
            .collect();
        let top = kinds[0];
        for kind in kinds {
            let mut best: Option<(usize, f32)> = None;
            for (k, f) in facts.iter().enumerate() {
                if f.kind != kind {
                    continue;
                }
                let j = f.members[0];
                let (a, b) = if cands[i].sentence < cands[j].sentence {
                    (i, j)
                } else {
                    (j, i)
                };
                let ta = if a == i { top } else { f.kind };
                let tb = if b == i { top } else { f.kind };
                let p = m.same.probability(
                    &features::pair(doc, &cands[a], &cands[b], ta.as_str(), tb.as_str()),
                    0,
                );
                if best.is_none_or(|(_, bp)| p > bp) {
                    best = Some((k, p));
                }
            }
            match best {
                Some((k, p)) if p >= cfg.same => facts[k].members.push(i),
                _ => facts.push(Fact {
                    members: vec![i],
                    kind,
                    probability: probs[i],
                }),
            }
        }
    }
    facts
}

/// The decoded facts of a document with their countries and domains.
pub fn decode(
    doc: &Doc,
    cands: &[Candidate],
    m: &Models,
    cfg: &DecodeConfig,
    domain_features: impl Fn(&Candidate) -> techties_learn::FeatureSet,
) -> Vec<(Fact, PartnershipType, Vec<CountryCode>, Vec<Domain>)> {
    let probs = detect_all(doc, cands, m);
    let facts = group(doc, cands, &probs, m, cfg);
    let mut out = Vec::new();
    for fact in facts {
        let c = &cands[fact.members[0]];
        let countries = choose_countries(doc, c, m, cfg);
        let dp = m.domains.predict(&domain_features(c));
        let mut domains: Vec<Domain> = dp
            .iter()
            .enumerate()
            .filter(|(_, p)| **p >= cfg.domain)
            .filter_map(|(i, _)| Domain::parse(&m.domains.labels()[i]))
            .collect();
        // the taxonomy's hits in the evidence sentence count too (the model may not know a rare
        // domain's words)
        for d in doc.sentence_domains.get(c.sentence).into_iter().flatten() {
            if *d != Domain::Other && !domains.contains(d) {
                domains.push(*d);
            }
        }
        if domains.len() > 1 {
            domains.retain(|d| *d != Domain::Other);
        }
        if domains.is_empty() {
            if let Some(d) = dp
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .and_then(|(i, _)| Domain::parse(&m.domains.labels()[i]))
            {
                domains.push(d);
            }
        }
        let kind = fact.kind;
        out.push((fact, kind, countries, domains));
    }
    out
}

/// The parties' countries of a candidate: those the country model finds probable enough, and
/// at least the two most probable.
pub fn choose_countries(
    doc: &Doc,
    c: &Candidate,
    m: &Models,
    cfg: &DecodeConfig,
) -> Vec<CountryCode> {
    let mut scored: Vec<(CountryCode, f32)> = c
        .countries
        .iter()
        .map(|cc| {
            (
                cc.code,
                m.country
                    .probability(&features::country(doc, c, cc, m.sources), 0),
            )
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored
        .iter()
        .enumerate()
        .filter(|(i, (_, p))| *i < 2 || *p >= cfg.country)
        .map(|(_, (c, _))| *c)
        .collect()
}

/// A decoded fact as a contract partnership: parties, sites, date and status from its
/// evidence sentence (and, for the date, its restatements).
pub fn partnership(
    doc: &Doc,
    cands: &[Candidate],
    fact: &Fact,
    kind: PartnershipType,
    countries: Vec<CountryCode>,
    domains: Vec<Domain>,
    kb: &Kb,
) -> Partnership {
    let c = &cands[fact.members[0]];
    let mut participants: Vec<Participant> = Vec::new();
    for &o in c.orgs.iter().chain(c.anaphor_org.iter()) {
        let e = &doc.entities[o];
        if e.country.is_some_and(|x| countries.contains(&x))
            && !participants.iter().any(|p| p.entity == Some(o))
        {
            participants.push(Participant {
                entity: Some(o),
                name: e.name.clone(),
                country: e.country,
            });
        }
    }
    for &code in &countries {
        if !participants.iter().any(|p| p.country == Some(code)) {
            participants.push(Participant {
                entity: None,
                name: kb
                    .country(code)
                    .map(|r| r.name.clone())
                    .unwrap_or_else(|| code.to_string()),
                country: Some(code),
            });
        }
    }
    let places: Vec<PlaceRef> = c
        .places
        .iter()
        .map(|&e| PlaceRef {
            entity: e,
            role: place_role(doc, c.span, e, kind),
        })
        .filter(|p| p.role == PlaceRole::Site)
        .collect();
    let date = fact.members.iter().find_map(|&i| {
        dates_in(doc, cands[i].span)
            .max_by_key(|d| (d.value.len(), std::cmp::Reverse(d.span.start)))
            .map(|d| d.value.clone())
    });
    let ws: Vec<&str> = c.words.iter().map(String::as_str).collect();
    let trigger = triggers()
        .find(&ws)
        .into_iter()
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
        .map(|h| {
            let t0 = doc.sentences[c.sentence].tokens.start;
            Span::new(
                doc.tokens[t0 + h.start].span.start,
                doc.tokens[t0 + h.end - 1].span.end,
            )
        })
        .unwrap_or(c.span);
    Partnership {
        kind,
        domains,
        participants,
        countries,
        places,
        date,
        evidence: c.span,
        confidence: fact.probability.clamp(0.01, 0.99),
        trigger,
        status: status_of(&ws),
    }
}
