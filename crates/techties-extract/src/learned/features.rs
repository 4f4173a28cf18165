//! Features of candidates, of a candidate's countries, and of pairs of candidates.
//!
//! Every feature is a template and its values, hashed ([`techties_learn::FeatureSet`]). The
//! rules of the earlier extractor enter here as features — the trigger lexicon's hits and
//! weights, the modality that gives a status, the veto words, the rule extractor's own verdict
//! for the sentence — and the trained weights decide how much each counts.

use std::collections::HashMap;

use techties_core::{Doc, Partnership};
use techties_learn::FeatureSet;

use super::candidates::{cue, Candidate, CountryCue};
use crate::events::{is_anaphoric, status_of, triggers, vetoed};
use techties_ner::vectors::Vectors;

/// Which sources of evidence the models may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    /// The rule extractor's verdict for the sentence (type, confidence, countries).
    pub rules: bool,
}

/// A crude English stem: lower-case word without a plural, past or gerund ending, so
/// "agreements"/"agreement" and "signed"/"signing"/"sign" share a feature. Numbers become `0`.
pub fn stem(w: &str) -> String {
    if w.chars().any(|c| c.is_ascii_digit()) {
        return "0".into();
    }
    let n = w.chars().count();
    for suf in ["ings", "ing", "ies", "ed", "es", "s"] {
        if n > suf.len() + 3 && w.ends_with(suf) {
            let base = &w[..w.len() - suf.len()];
            return if suf == "ies" {
                format!("{base}y")
            } else {
                base.to_string()
            };
        }
    }
    w.to_string()
}

fn bucket(n: usize, edges: &[usize]) -> String {
    match edges.iter().position(|e| n <= *e) {
        Some(i) => edges[i].to_string(),
        None => format!(">{}", edges[edges.len() - 1]),
    }
}

const STOP: &[&str] = &[
    "the", "a", "an", "of", "and", "to", "in", "on", "for", "by", "at", "with", "from", "as", "is",
    "are", "was", "were", "be", "been", "that", "this", "it", "its", ",", ".", "'s", "’s", "\"",
    "“", "”", "(", ")", "-",
];

/// The countries a candidate states itself (not from context, not as foils), sorted.
pub fn stated_countries(c: &Candidate) -> Vec<techties_core::CountryCode> {
    let mut v: Vec<_> = c
        .countries
        .iter()
        .filter(|x| x.cues & cue::IN_SENTENCE != 0 && x.cues & cue::FOIL == 0)
        .map(|x| x.code)
        .collect();
    v.sort();
    v
}

/// Content stems of a candidate, for overlap measures.
pub fn content_stems(c: &Candidate) -> Vec<String> {
    let mut v: Vec<String> = c
        .words
        .iter()
        .filter(|w| !STOP.contains(&w.as_str()) && w.chars().any(char::is_alphanumeric))
        .map(|w| stem(w))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The rule extractor's partnerships stated by this sentence.
pub fn rule_partnerships<'d>(doc: &'d Doc, c: &Candidate) -> Vec<&'d Partnership> {
    doc.partnerships
        .iter()
        .filter(|p| c.span.contains(p.evidence) || p.evidence.contains(c.span))
        .collect()
}

/// The strongest trigger type of a sentence by the lexicon, if any.
pub fn top_trigger(words: &[&str]) -> Option<&'static str> {
    triggers()
        .find(words)
        .into_iter()
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
        .map(|h| techties_core::PartnershipType::ALL[h.label].as_str())
}

/// Features of a candidate sentence: for "is it a partnership" and "of which type".
pub fn sentence(doc: &Doc, c: &Candidate, src: Sources) -> FeatureSet {
    let mut f = FeatureSet::new();
    let ws: Vec<&str> = c.words.iter().map(String::as_str).collect();
    let stems: Vec<String> = ws.iter().map(|w| stem(w)).collect();
    for s in &stems {
        f.add("w", &[s]);
    }
    for w in stems.windows(2) {
        f.add("b", &[&w[0], &w[1]]);
    }
    word_classes(&mut f, &ws);
    // the trigger lexicon: which types, how strong, introduced as known ("the agreement")
    let hits = triggers().find(&ws);
    f.add("ntrig", &[&bucket(hits.len(), &[0, 1, 2, 4])]);
    for h in &hits {
        let t = techties_core::PartnershipType::ALL[h.label].as_str();
        f.add("trig", &[t]);
        f.add("trigw", &[t, &format!("{:.1}", h.weight.min(1.5))]);
        if is_anaphoric(&ws, h.start, h.end) {
            f.add("trig_anaphoric", &[t]);
        }
    }
    if let Some(t) = top_trigger(&ws) {
        f.add("trig_top", &[t]);
    }
    f.add("status", &[status_of(&ws).as_str()]);
    if vetoed(&ws) {
        f.add("veto", &[]);
    }
    // position and form: headline, lede, caption, quote
    f.add("pos", &[&bucket(c.sentence, &[0, 1, 2, 4, 8])]);
    if is_title(doc, c) {
        f.add("title", &[]);
    }
    let last = ws.last().copied().unwrap_or("");
    if !matches!(last, "." | "!" | "?" | "”" | "\"" | ":" | ";") {
        f.add("no_stop", &[]);
    }
    if ws.iter().any(|w| matches!(*w, "“" | "”" | "\"")) {
        f.add("quote", &[]);
    }
    if ws
        .iter()
        .any(|w| matches!(*w, "said" | "says" | "told" | "stated" | "noted" | "added"))
    {
        f.add("reported_speech", &[]);
    }
    f.add("len", &[&bucket(ws.len(), &[8, 15, 25, 40, 60])]);
    // parties and their countries
    f.add("norgs", &[&bucket(c.orgs.len(), &[0, 1, 2, 3])]);
    let stated = stated_countries(c).len();
    f.add("nstated", &[&bucket(stated, &[0, 1, 2, 3])]);
    f.add("ncountries", &[&bucket(c.countries.len(), &[2, 3, 4])]);
    for (bit, name) in cue::NAMES {
        let n = c.countries.iter().filter(|x| x.cues & bit != 0).count();
        if n > 0 {
            f.add("cue", &[name, &bucket(n, &[1, 2])]);
        }
    }
    if c.anaphor_org.is_some() {
        f.add("anaphor_org", &[]);
    }
    if !c.places.is_empty() {
        f.add("places", &[&bucket(c.places.len(), &[1, 2])]);
    }
    // money, dates, ordinals
    if ws.iter().any(|w| {
        matches!(
            *w,
            "$" | "million"
                | "billion"
                | "bln"
                | "mln"
                | "yuan"
                | "rubles"
                | "roubles"
                | "euros"
                | "€"
        )
    }) {
        f.add("money", &[]);
    }
    let dates = doc.dates.iter().filter(|d| c.span.contains(d.span)).count();
    f.add("dates", &[&bucket(dates, &[0, 1])]);
    for w in &ws {
        if matches!(
            *w,
            "first" | "second" | "third" | "fourth" | "another" | "new" | "also" | "further"
        ) {
            f.add("ord", &[w]);
        }
    }
    for d in doc.sentence_domains.get(c.sentence).into_iter().flatten() {
        f.add("dom", &[d.as_str()]);
    }
    // words around the parties
    let t0 = doc.sentences[c.sentence].tokens.start;
    for cc in &c.countries {
        if let Some(t) = cc.first_token {
            let i = t.saturating_sub(t0);
            for (k, tag) in [(i.wrapping_sub(1), "L1"), (i.wrapping_sub(2), "L2")] {
                if let Some(w) = stems.get(k) {
                    f.add("ctx", &[tag, w]);
                }
            }
            if let Some(w) = stems.get(i + 1) {
                f.add("ctx", &["R1", w]);
            }
        }
    }
    // the sentence's shape: parties, triggers, dates and amounts in order ("O T O", "C T C D"),
    // and the words between the first two parties of different countries
    let t0 = doc.sentences[c.sentence].tokens.start;
    let mut marks: Vec<(usize, String)> = Vec::new();
    for (_, m) in doc.mentions_in(c.span) {
        let e = &doc.entities[m.entity];
        let tag = match e.kind {
            techties_core::EntityKind::Organization => "O",
            techties_core::EntityKind::Country => "C",
            techties_core::EntityKind::Place => "P",
            techties_core::EntityKind::Person => "N",
        };
        marks.push((doc.token_at_or_after(m.span.start) - t0, tag.to_string()));
    }
    for h in &hits {
        marks.push((
            h.start,
            format!("T{}", techties_core::PartnershipType::ALL[h.label].as_str()),
        ));
    }
    marks.sort_by_key(|a| a.0);
    let mut shape: Vec<&str> = Vec::new();
    for (_, m) in &marks {
        if shape.last() != Some(&m.as_str()) {
            shape.push(m);
        }
    }
    for w in shape.windows(2) {
        f.add("shape2", &[w[0], w[1]]);
    }
    for w in shape.windows(3) {
        f.add("shape3", &[w[0], w[1], w[2]]);
    }
    let parties: Vec<(usize, Option<techties_core::CountryCode>)> = doc
        .mentions_in(c.span)
        .filter(|(_, m)| {
            matches!(
                doc.entities[m.entity].kind,
                techties_core::EntityKind::Organization | techties_core::EntityKind::Country
            )
        })
        .map(|(_, m)| {
            (
                doc.token_at_or_after(m.span.end) - t0,
                doc.entities[m.entity].country,
            )
        })
        .collect();
    if let Some(((end_a, ca), start_b)) = parties.first().and_then(|a| {
        doc.mentions_in(c.span)
            .map(|(_, m)| (m, doc.entities[m.entity].country))
            .find(|(m, cb)| {
                doc.token_at_or_after(m.span.start) - t0 >= a.0 && cb.is_some() && *cb != a.1
            })
            .map(|(m, _)| (*a, doc.token_at_or_after(m.span.start) - t0))
    }) {
        let _ = ca;
        let gap = start_b.saturating_sub(end_a);
        f.add("between_len", &[&bucket(gap, &[0, 2, 5, 10, 20])]);
        if gap <= 15 {
            for w in &stems[end_a.min(stems.len())..start_b.min(stems.len())] {
                f.add("between", &[w]);
            }
            let vectors = Vectors::get();
            for w in &ws[end_a.min(ws.len())..start_b.min(ws.len())] {
                if let Some(r) = vectors.row(w) {
                    f.add("between_k", &[&r.clusters[2].to_string()]);
                }
            }
        }
    }
    if src.rules {
        let rules = rule_partnerships(doc, c);
        if rules.is_empty() {
            f.add("rule", &["none"]);
        }
        for p in rules {
            f.add("rule", &[p.kind.as_str()]);
            f.add("rule_conf", &[&format!("{:.1}", p.confidence)]);
        }
    }
    f
}

/// Word classes of a sentence's content words (fine and coarse clusters) and its mean dense
/// vector: what lets a model read a phrasing the corpus never showed it.
fn word_classes(f: &mut FeatureSet, ws: &[&str]) {
    let vectors = Vectors::get();
    let content: Vec<&str> = ws
        .iter()
        .copied()
        .filter(|w| !STOP.contains(w) && w.chars().any(char::is_alphabetic))
        .collect();
    for w in &content {
        if let Some(r) = vectors.row(w) {
            f.add("k", &[&r.clusters[2].to_string()]);
            f.add("kc", &[&r.clusters[0].to_string()]);
        }
    }
    if let Some(mean) = vectors.mean(&content) {
        for (i, v) in mean.iter().enumerate() {
            f.add_value("vec", &[&i.to_string()], *v);
        }
    }
}

/// Features of one country of a candidate: is it a party of the fact?
pub fn country(doc: &Doc, c: &Candidate, cc: &CountryCue, src: Sources) -> FeatureSet {
    let mut f = FeatureSet::new();
    for (bit, name) in cue::NAMES {
        if cc.cues & bit != 0 {
            f.add("cue", &[name]);
        }
    }
    f.add("cues", &[&cc.cues.to_string()]);
    f.add("rank", &[&bucket(cc.doc_rank, &[0, 1, 2, 3])]);
    f.add("mentions", &[&bucket(cc.mentions, &[0, 1, 2])]);
    let stated = stated_countries(c).len();
    f.add("nstated", &[&bucket(stated, &[0, 1, 2, 3])]);
    f.add("ncountries", &[&bucket(c.countries.len(), &[2, 3, 4])]);
    let order = c
        .countries
        .iter()
        .position(|x| x.code == cc.code)
        .unwrap_or(9);
    f.add("order", &[&bucket(order, &[0, 1, 2])]);
    let t0 = doc.sentences[c.sentence].tokens.start;
    if let Some(t) = cc.first_token {
        let i = t.saturating_sub(t0);
        for (k, tag) in [
            (i.wrapping_sub(1), "L1"),
            (i.wrapping_sub(2), "L2"),
            (i.wrapping_sub(3), "L3"),
        ] {
            if let Some(w) = c.words.get(k) {
                f.add("ctx", &[tag, &stem(w)]);
            }
        }
        if let Some(w) = c.words.get(i + 1) {
            f.add("ctx", &["R1", &stem(w)]);
        }
        f.add("at", &[&bucket(i, &[0, 2, 5, 10, 20])]);
    }
    let ws: Vec<&str> = c.words.iter().map(String::as_str).collect();
    if let Some(t) = top_trigger(&ws) {
        f.add("trig_cues", &[t, &cc.cues.to_string()]);
    }
    if src.rules {
        let in_rule = rule_partnerships(doc, c)
            .iter()
            .any(|p| p.countries.contains(&cc.code));
        f.add("rule_has", &[if in_rule { "yes" } else { "no" }]);
    }
    f
}

/// Features of the domains of a candidate: its words, the sentence's and the document's
/// taxonomy hits, and the usual fields of the organisations it names.
pub fn domains(doc: &Doc, c: &Candidate, org_domains: &HashMap<String, Vec<String>>) -> FeatureSet {
    let mut f = FeatureSet::new();
    for w in &c.words {
        f.add("w", &[&stem(w)]);
    }
    for d in doc.sentence_domains.get(c.sentence).into_iter().flatten() {
        f.add("sdom", &[d.as_str()]);
    }
    // the paragraph: the neighbouring sentences' domains
    for s in [c.sentence.wrapping_sub(1), c.sentence + 1] {
        for d in doc.sentence_domains.get(s).into_iter().flatten() {
            f.add("ndom", &[d.as_str()]);
        }
    }
    for d in &doc.domains {
        f.add("ddom", &[d.as_str()]);
    }
    for &o in c.orgs.iter().chain(c.anaphor_org.iter()) {
        for d in org_domains.get(&doc.entities[o].id).into_iter().flatten() {
            f.add("odom", &[d]);
        }
    }
    f
}

/// True when a sentence repeats the document's title (a headline restated in the body).
pub fn is_title(doc: &Doc, c: &Candidate) -> bool {
    let Some(t) = doc.meta.title.as_deref() else {
        return false;
    };
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|ch| ch.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (norm(t), norm(doc.slice(c.span)));
    !a.is_empty() && (a == b || (b.len() > 20 && a.starts_with(&b)))
}

/// Features of a pair of candidates of one document (`a` before `b`): do they state the same
/// fact? `ta`, `tb` are the types the type model gives each.
pub fn pair(doc: &Doc, a: &Candidate, b: &Candidate, ta: &str, tb: &str) -> FeatureSet {
    let mut f = FeatureSet::new();
    if ta == tb {
        f.add("type", &["same", ta]);
    } else {
        let (x, y) = if ta < tb { (ta, tb) } else { (tb, ta) };
        f.add("type", &["differ", x, y]);
    }
    if is_title(doc, a) || is_title(doc, b) {
        f.add("title", &[]);
    }
    f.add(
        "dist",
        &[&bucket(
            b.sentence.saturating_sub(a.sentence),
            &[1, 2, 4, 8],
        )],
    );
    if a.sentence == 0 {
        f.add("a_first", &[]);
    }
    let shared_orgs = a
        .orgs
        .iter()
        .chain(a.anaphor_org.iter())
        .filter(|o| b.orgs.contains(o) || b.anaphor_org == Some(**o))
        .count();
    f.add("shared_orgs", &[&bucket(shared_orgs, &[0, 1, 2])]);
    let a_orgs = a.orgs.len() + usize::from(a.anaphor_org.is_some());
    let b_orgs = b.orgs.len() + usize::from(b.anaphor_org.is_some());
    if shared_orgs == 0 && a_orgs > 0 && b_orgs > 0 {
        f.add("orgs_differ", &[]);
    }
    let shared_places = a.places.iter().filter(|p| b.places.contains(p)).count();
    f.add("shared_places", &[&bucket(shared_places, &[0, 1])]);
    if shared_places == 0 && !a.places.is_empty() && !b.places.is_empty() {
        f.add("places_differ", &[]);
    }
    let (sa, sb) = (stated_countries(a), stated_countries(b));
    if !sa.is_empty() && sa == sb {
        f.add("same_countries", &[]);
    } else if sa.iter().any(|c| sb.contains(c)) {
        f.add("some_countries", &[]);
    } else {
        f.add("no_shared_countries", &[]);
    }
    // dates: the same year, or different ones ("in 2017 … in 2019" are two facts)
    let years = |c: &Candidate| -> Vec<String> {
        let mut v: Vec<String> = doc
            .dates
            .iter()
            .filter(|d| c.span.contains(d.span))
            .map(|d| d.value.chars().take(4).collect())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let (ya, yb) = (years(a), years(b));
    match (ya.is_empty(), yb.is_empty()) {
        (false, false) if ya.iter().any(|y| yb.contains(y)) => f.add("date", &["same"]),
        (false, false) => f.add("date", &["differ"]),
        (false, true) | (true, false) => f.add("date", &["one"]),
        (true, true) => f.add("date", &["none"]),
    }
    // numbers (amounts, counts) shared or not
    let nums = |c: &Candidate| -> Vec<String> {
        c.words
            .iter()
            .filter(|w| w.chars().any(|ch| ch.is_ascii_digit()) && w.len() < 12)
            .cloned()
            .collect()
    };
    let (na, nb) = (nums(a), nums(b));
    if na.iter().any(|x| nb.contains(x)) {
        f.add("shared_number", &[]);
    }
    // words: overlap of content stems
    let (ca, cb) = (content_stems(a), content_stems(b));
    let inter = ca.iter().filter(|x| cb.binary_search(x).is_ok()).count();
    let union = ca.len() + cb.len() - inter;
    let jac = if union > 0 {
        inter as f32 / union as f32
    } else {
        0.0
    };
    f.add("jaccard", &[&format!("{:.1}", (jac * 10.0).floor() / 10.0)]);
    f.add_value("jaccard_v", &[], jac);
    // which words they share, and the words of an act only one of them has
    for w in ca.iter().filter(|x| cb.binary_search(x).is_ok()) {
        f.add("shared", &[w]);
    }
    for (side, mine, other) in [("a", &ca, &cb), ("b", &cb, &ca)] {
        for w in mine.iter().filter(|x| other.binary_search(x).is_err()) {
            f.add("only", &[side, w]);
        }
    }
    // triggers: the same strongest type, or not
    let wa: Vec<&str> = a.words.iter().map(String::as_str).collect();
    let wb: Vec<&str> = b.words.iter().map(String::as_str).collect();
    match (top_trigger(&wa), top_trigger(&wb)) {
        (Some(x), Some(y)) if x == y => f.add("trig", &["same", x]),
        (Some(x), Some(y)) => f.add("trig", &["differ", x, y]),
        (Some(_), None) | (None, Some(_)) => f.add("trig", &["one"]),
        (None, None) => f.add("trig", &["none"]),
    }
    // the later sentence introduces something new, or refers back
    for w in &wb {
        if matches!(
            *w,
            "another"
                | "second"
                | "third"
                | "fourth"
                | "also"
                | "new"
                | "further"
                | "additional"
                | "separately"
                | "besides"
        ) {
            f.add("b_word", &[w]);
        }
    }
    let hits_b = triggers().find(&wb);
    if hits_b.iter().any(|h| is_anaphoric(&wb, h.start, h.end)) {
        f.add("b_anaphoric", &[]);
    }
    f
}
