//! Training the learned extractor on the annotated corpus, and measuring it.
//!
//! Each training article runs through the rule pipeline (so the rule extractor's verdicts are
//! there to be features), its candidates are found, and each candidate is labelled from the
//! gold: it states a fact when a gold evidence or restatement covers a third of it (the
//! scorer's own criterion for crediting a prediction). From these labels come the examples of
//! the five models. Thresholds are then chosen on the dev split by the scorer's figures.
//! Everything is single-threaded and seeded: the same corpus gives the same bytes.

use std::collections::HashMap;

use serde_json::Value;
use techties_core::{Doc, Domain, PartnershipType};
use techties_kb::Kb;
use techties_learn::{train as fit_model, Example, Kind, TrainConfig};

use super::candidates::{candidates, Candidate};
use super::features::{self, Sources};
use super::{decode, partnership, DecodeConfig, Models};
use crate::evaluate::{self, GoldDoc, Report};
use crate::output::{self, CharIndex};
use crate::Pipeline;

/// A candidate's gold: the facts (indices of gold partnerships) whose sentences cover it.
#[derive(Debug, Clone, Default)]
pub struct Label {
    /// Facts stated (or restated) by the candidate.
    pub facts: Vec<usize>,
    /// The facts whose main evidence it is (several when one sentence states several facts).
    pub evidence_of: Vec<usize>,
}

/// A corpus article run through the rule pipeline, with its candidates and their labels.
pub struct Prepared {
    /// The article and its gold.
    pub gold: GoldDoc,
    /// The annotated document (rule partnerships included).
    pub doc: Doc,
    /// Candidates.
    pub cands: Vec<Candidate>,
    /// One label per candidate.
    pub labels: Vec<Label>,
}

/// Runs the articles through `pipeline` (the rule pipeline) and labels their candidates.
pub fn prepare(pipeline: &Pipeline, docs: &[GoldDoc]) -> Vec<Prepared> {
    docs.iter()
        .filter_map(|g| {
            let doc = pipeline.run(g.raw.clone()).ok()?;
            let cands = candidates(&doc);
            let idx = CharIndex::new(&doc.text);
            let spans: Vec<Vec<(usize, usize)>> = g
                .gold
                .partnerships
                .iter()
                .map(|p| p.spans(&doc.text))
                .collect();
            let evidence: Vec<Vec<(usize, usize)>> = g
                .gold
                .partnerships
                .iter()
                .map(|p| p.evidence.spans(&doc.text))
                .collect();
            let labels = cands
                .iter()
                .map(|c| {
                    let cs = (idx.char_of(c.span.start), idx.char_of(c.span.end));
                    let covers = |s: &(usize, usize)| {
                        let ov = s.1.min(cs.1).saturating_sub(s.0.max(cs.0));
                        ov > 0 && ov * 3 >= (cs.1 - cs.0)
                    };
                    let facts: Vec<usize> = spans
                        .iter()
                        .enumerate()
                        .filter(|(_, ss)| ss.iter().any(covers))
                        .map(|(i, _)| i)
                        .collect();
                    let evidence_of: Vec<usize> = facts
                        .iter()
                        .copied()
                        .filter(|&i| evidence[i].iter().any(covers))
                        .collect();
                    Label { facts, evidence_of }
                })
                .collect();
            Some(Prepared {
                gold: g.clone(),
                doc,
                cands,
                labels,
            })
        })
        .collect()
}

/// Share of gold partnerships (of articles in `prepared`) that some candidate covers with all
/// of its countries among the candidate's: (covered, total).
pub fn candidate_recall(prepared: &[Prepared]) -> (usize, usize) {
    let mut covered = 0;
    let mut total = 0;
    for p in prepared {
        for (i, g) in p.gold.gold.partnerships.iter().enumerate() {
            total += 1;
            let hit = p.cands.iter().zip(&p.labels).any(|(c, l)| {
                l.facts.contains(&i)
                    && g.countries.iter().all(|code| {
                        techties_core::CountryCode::parse(code)
                            .is_some_and(|code| c.cues_of(code) != 0)
                    })
            });
            covered += usize::from(hit);
        }
    }
    (covered, total)
}

/// How many passes and how much regularisation each model gets.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// Training of every model.
    pub config: TrainConfig,
    /// Which evidence the models may use.
    pub sources: Sources,
}

impl Default for Fit {
    fn default() -> Self {
        Fit {
            config: TrainConfig {
                epochs: 15,
                learning_rate: 0.1,
                l2: 1e-4,
                min_count: 2,
                seed: 7,
            },
            sources: Sources { rules: true },
        }
    }
}

/// Trains the five models on prepared articles (thresholds left at their defaults).
///
/// The detector learns which sentence is a fact's evidence (the most specific statement):
/// restatements are its negatives, so a fact is found once, and the same-fact model only has to
/// catch the restatements the detector still takes. The type model is multi-label: one sentence
/// may state facts of several types.
pub fn fit(train: &[&Prepared], org_domains: &HashMap<String, Vec<String>>, fit: Fit) -> Models {
    let types: Vec<&str> = PartnershipType::ALL.iter().map(|t| t.as_str()).collect();
    let doms: Vec<&str> = Domain::ALL.iter().map(|d| d.as_str()).collect();
    let (mut det, mut kind, mut dom, mut ctry, mut same) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let ex = |features, labels, weight| Example {
        features,
        labels,
        weight,
    };
    // measured on dev: weighting restatements less as negatives changed nothing beyond noise
    let alt_weight = 1.0;
    for p in train {
        let gold = &p.gold.gold.partnerships;
        for (c, l) in p.cands.iter().zip(&p.labels) {
            let sf = features::sentence(&p.doc, c, fit.sources);
            let evidence = !l.evidence_of.is_empty();
            // a restatement is not the evidence, but it does state the fact: it counts less
            let w = if !evidence && !l.facts.is_empty() {
                alt_weight
            } else {
                1.0
            };
            det.push(ex(sf.clone(), if evidence { vec![0] } else { vec![] }, w));
            if l.facts.is_empty() {
                continue;
            }
            // the type is learned from every sentence that states the fact — restatements
            // share its type, and there are three times as many of them as facts
            let stated = if evidence { &l.evidence_of } else { &l.facts };
            let mut ts: Vec<usize> = stated
                .iter()
                .filter_map(|&i| types.iter().position(|t| *t == gold[i].kind))
                .collect();
            ts.sort_unstable();
            ts.dedup();
            kind.push(ex(sf, ts, if evidence { 1.0 } else { 0.5 }));
            let mut ds: Vec<usize> = stated
                .iter()
                .flat_map(|&i| gold[i].domains.iter())
                .filter_map(|d| doms.iter().position(|x| x == d))
                .collect();
            ds.sort_unstable();
            ds.dedup();
            dom.push(ex(
                features::domains(&p.doc, c, org_domains),
                ds,
                if evidence { 1.0 } else { 0.5 },
            ));
            if !evidence {
                continue;
            }
            let gold_countries: Vec<&str> = l
                .evidence_of
                .iter()
                .flat_map(|&i| gold[i].countries.iter().map(String::as_str))
                .collect();
            for cc in &c.countries {
                let yes = gold_countries.contains(&cc.code.as_str());
                ctry.push(ex(
                    features::country(&p.doc, c, cc, fit.sources),
                    if yes { vec![0] } else { vec![] },
                    1.0,
                ));
            }
        }
    }
    let cfg = fit.config;
    let type_model = fit_model(Kind::Sigmoid, &types, &kind, cfg);
    // pairs of sentences that state something (evidence or restatement): the same fact, or
    // distinct ones; the types are the type model's, as at decoding time
    for p in train {
        let pos: Vec<usize> = (0..p.cands.len())
            .filter(|&i| !p.labels[i].facts.is_empty())
            .collect();
        let predicted: Vec<&str> = p
            .cands
            .iter()
            .map(|c| {
                let pr = type_model.predict(&features::sentence(&p.doc, c, fit.sources));
                let best = pr
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |x| x.0);
                types[best]
            })
            .collect();
        for (x, &i) in pos.iter().enumerate() {
            for &j in &pos[x + 1..] {
                let shared = p.labels[i]
                    .facts
                    .iter()
                    .any(|f| p.labels[j].facts.contains(f));
                same.push(ex(
                    features::pair(&p.doc, &p.cands[i], &p.cands[j], predicted[i], predicted[j]),
                    if shared { vec![0] } else { vec![] },
                    1.0,
                ));
            }
        }
    }
    Models {
        detect: fit_model(Kind::Sigmoid, &["evidence"], &det, cfg),
        kind: type_model,
        domains: fit_model(Kind::Sigmoid, &doms, &dom, cfg),
        country: fit_model(Kind::Sigmoid, &["party"], &ctry, cfg),
        same: fit_model(Kind::Sigmoid, &["same"], &same, cfg),
        config: DecodeConfig::default(),
        sources: fit.sources,
    }
}

/// The learned partnerships of a prepared article, in the contract's JSON.
pub fn predict(
    p: &Prepared,
    m: &Models,
    cfg: &DecodeConfig,
    org_domains: &HashMap<String, Vec<String>>,
    kb: &Kb,
) -> Value {
    let facts = decode(&p.doc, &p.cands, m, cfg, |c| {
        features::domains(&p.doc, c, org_domains)
    });
    let mut doc = p.doc.clone();
    doc.partnerships = facts
        .into_iter()
        .map(|(f, k, cs, ds)| partnership(&p.doc, &p.cands, &f, k, cs, ds, kb))
        .collect();
    output::to_value(&doc)
}

/// The scorer's report for the learned extractor over prepared articles.
pub fn score_learned(
    prepared: &[Prepared],
    m: &Models,
    cfg: &DecodeConfig,
    org_domains: &HashMap<String, Vec<String>>,
    kb: &Kb,
) -> Report {
    let golds: Vec<GoldDoc> = prepared.iter().map(|p| p.gold.clone()).collect();
    let preds: Vec<Value> = prepared
        .iter()
        .map(|p| predict(p, m, cfg, org_domains, kb))
        .collect();
    evaluate::score(&golds, &preds)
}

/// The scorer's report for the rule extractor (the prepared documents' own partnerships).
pub fn score_rules(prepared: &[Prepared]) -> Report {
    let golds: Vec<GoldDoc> = prepared.iter().map(|p| p.gold.clone()).collect();
    let preds: Vec<Value> = prepared.iter().map(|p| output::to_value(&p.doc)).collect();
    evaluate::score(&golds, &preds)
}

/// The objective thresholds are chosen by: detection F1 and strict F1 alike.
pub fn objective(r: &Report) -> f64 {
    r.detection().2 + r.strict().2
}

/// Chooses the decoder's thresholds on `dev` by a grid search over the detector's and the
/// same-fact model's, then the country and domain thresholds, each maximising [`objective`].
pub fn tune(
    dev: &[Prepared],
    m: &Models,
    org_domains: &HashMap<String, Vec<String>>,
    kb: &Kb,
) -> DecodeConfig {
    let mut best = (f64::MIN, DecodeConfig::default());
    let consider = |cfg: DecodeConfig, best: &mut (f64, DecodeConfig)| {
        let o = objective(&score_learned(dev, m, &cfg, org_domains, kb));
        if o > best.0 + 1e-9 {
            *best = (o, cfg);
        }
    };
    for d in [0.2f32, 0.3, 0.4, 0.5, 0.6, 0.7] {
        for s in [0.3f32, 0.5, 0.7, 0.9, 1.01] {
            let cfg = DecodeConfig {
                detect: d,
                same: s,
                ..DecodeConfig::default()
            };
            consider(cfg, &mut best);
        }
    }
    for c in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8] {
        let cfg = DecodeConfig {
            country: c,
            ..best.1
        };
        consider(cfg, &mut best);
    }
    for x in [0.2f32, 0.3, 0.4, 0.5, 0.7, 1.01] {
        let cfg = DecodeConfig {
            second_type: x,
            ..best.1
        };
        consider(cfg, &mut best);
    }
    for x in [0.2f32, 0.3, 0.4, 0.5, 0.6] {
        let cfg = DecodeConfig {
            domain: x,
            ..best.1
        };
        consider(cfg, &mut best);
    }
    best.1
}

/// A deterministic subset of about `fraction` of the articles (by a hash of their ids), for
/// the learning curve.
pub fn subset(prepared: &[Prepared], fraction: f64) -> Vec<&Prepared> {
    let mut v: Vec<(u64, &Prepared)> = prepared
        .iter()
        .map(|p| (techties_learn::hash_feature("subset", &[&p.gold.id]), p))
        .collect();
    v.sort_by_key(|x| x.0);
    let n = ((prepared.len() as f64) * fraction).round() as usize;
    v.into_iter().take(n.max(1)).map(|x| x.1).collect()
}

/// One line of JSON per dev article for studying errors: the gold facts, every candidate with
/// its label, probability and countries, and the decoded facts.
pub fn diagnose(
    prepared: &[Prepared],
    m: &Models,
    org_domains: &HashMap<String, Vec<String>>,
) -> String {
    use serde_json::json;
    let mut out = String::new();
    for p in prepared {
        let idx = CharIndex::new(&p.doc.text);
        let probs = super::detect_all(&p.doc, &p.cands, m);
        let decoded = decode(&p.doc, &p.cands, m, &m.config, |c| {
            features::domains(&p.doc, c, org_domains)
        });
        let cands: Vec<Value> = p
            .cands
            .iter()
            .zip(&p.labels)
            .zip(&probs)
            .map(|((c, l), pr)| {
                let countries: Vec<Value> = c
                    .countries
                    .iter()
                    .map(|cc| {
                        json!({"code": cc.code.as_str(), "cues": cc.cues,
                               "p": m.country.probability(&features::country(&p.doc, c, cc, m.sources), 0)})
                    })
                    .collect();
                json!({"sentence": c.sentence, "start": idx.char_of(c.span.start), "end": idx.char_of(c.span.end),
                       "text": p.doc.slice(c.span), "facts": l.facts, "evidence_of": l.evidence_of,
                       "p": pr, "countries": countries})
            })
            .collect();
        let facts: Vec<Value> = decoded
            .iter()
            .map(|(f, k, cs, ds)| {
                json!({"members": f.members.iter().map(|&i| p.cands[i].sentence).collect::<Vec<_>>(),
                       "type": k.as_str(), "countries": cs.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                       "domains": ds.iter().map(|d| d.as_str()).collect::<Vec<_>>(), "p": f.probability})
            })
            .collect();
        let gold: Vec<Value> = p
            .gold
            .gold
            .partnerships
            .iter()
            .map(|g| {
                json!({"type": g.kind, "countries": g.countries, "domains": g.domains,
                            "spans": g.spans(&p.doc.text), "participants": g.participants})
            })
            .collect();
        let types: Vec<&str> = p
            .cands
            .iter()
            .map(|c| super::type_of(&p.doc, c, m).as_str())
            .collect();
        let mut pairs: Vec<Value> = Vec::new();
        for i in 0..p.cands.len() {
            for j in i + 1..p.cands.len() {
                if p.labels[i].facts.is_empty() || p.labels[j].facts.is_empty() {
                    continue;
                }
                let same = p.labels[i]
                    .facts
                    .iter()
                    .any(|f| p.labels[j].facts.contains(f));
                let pr = m.same.probability(
                    &features::pair(&p.doc, &p.cands[i], &p.cands[j], types[i], types[j]),
                    0,
                );
                pairs.push(json!([p.cands[i].sentence, p.cands[j].sentence, same, pr]));
            }
        }
        let sentences: Vec<Value> = p
            .doc
            .sentences
            .iter()
            .map(|s| json!([idx.char_of(s.span.start), idx.char_of(s.span.end)]))
            .collect();
        out.push_str(&json!({"id": p.gold.id, "gold": gold, "cands": cands, "facts": facts, "sentences": sentences, "pairs": pairs}).to_string());
        out.push('\n');
    }
    out
}
