//! Technology domains per sentence and per document, from the keyword taxonomy in
//! `data/taxonomy/domains.tsv` (documented in `data/taxonomy/README.md`).

use std::sync::OnceLock;

use techties_core::{Annotator, Doc, Domain, Result};

use crate::lexicon::Lexicon;
use crate::words::SentenceWords;

const TAXONOMY: &str = include_str!("../../../data/taxonomy/domains.tsv");

/// A sentence gets a domain when its distinct keywords weigh at least this much.
pub const SENTENCE_THRESHOLD: f32 = 0.5;
/// A document gets a domain when its sentences' keywords weigh at least this much.
pub const DOC_THRESHOLD: f32 = 1.0;

/// The parsed taxonomy.
pub fn taxonomy() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        match Lexicon::parse("data/taxonomy/domains.tsv", TAXONOMY, |l| {
            Domain::ALL.iter().position(|d| d.as_str() == l)
        }) {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        }
    })
}

/// Domain scores of one sentence's words.
pub fn score_words(words: &[&str]) -> [f32; 19] {
    let mut best: std::collections::HashMap<(usize, usize, usize), f32> =
        std::collections::HashMap::new();
    for h in taxonomy().find(words) {
        // a keyword counts once per place even when two entries match it
        let e = best.entry((h.label, h.start, h.end)).or_insert(0.0);
        *e = e.max(h.weight);
    }
    // distinct keywords: the same word repeated counts once
    let mut seen = std::collections::HashSet::new();
    let mut scores = [0.0f32; 19];
    for ((label, s, e), w) in best {
        if seen.insert((label, words[s..e].join(" "))) {
            scores[label] += w;
        }
    }
    scores
}

/// Domains over a threshold, strongest first; `other` only when nothing specific is there.
pub fn pick(scores: &[f32; 19], threshold: f32) -> Vec<Domain> {
    let mut ds: Vec<(Domain, f32)> = Domain::ALL
        .iter()
        .zip(scores)
        .filter(|(_, s)| **s >= threshold)
        .map(|(d, s)| (*d, *s))
        .collect();
    ds.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    if ds.iter().any(|(d, _)| *d != Domain::Other) {
        ds.retain(|(d, _)| *d != Domain::Other);
    }
    ds.into_iter().map(|(d, _)| d).collect()
}

/// Fills [`Doc::sentence_domains`] and [`Doc::domains`].
#[derive(Debug, Default, Clone, Copy)]
pub struct DomainTagger;

impl Annotator for DomainTagger {
    fn name(&self) -> &'static str {
        "domains"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        let words = SentenceWords::new(doc);
        let mut total = [0.0f32; 19];
        let mut per_sentence = Vec::with_capacity(doc.sentences.len());
        for s in 0..doc.sentences.len() {
            let scores = score_words(&words.of(s));
            for (t, x) in total.iter_mut().zip(scores.iter()) {
                *t += x;
            }
            per_sentence.push(pick(&scores, SENTENCE_THRESHOLD));
        }
        doc.sentence_domains = per_sentence;
        doc.domains = pick(&total, DOC_THRESHOLD);
        doc.trace.push(self.name());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains_of(sentence: &str) -> Vec<&'static str> {
        let lower = sentence.to_lowercase();
        let toks = techties_text::tokenize(&lower);
        let words: Vec<&str> = toks.iter().map(|t| &lower[t.span.range()]).collect();
        pick(&score_words(&words), SENTENCE_THRESHOLD)
            .iter()
            .map(|d| d.as_str())
            .collect()
    }

    #[test]
    fn sentences_get_their_domains() {
        assert!(domains_of("They will build a 5G network together.").contains(&"telecom"));
        assert!(
            domains_of("The lab focuses on genetic and molecular research in biotechnology.")
                .contains(&"biotech")
        );
        assert!(
            domains_of("cooperation in data transfer, AI and smart-city technologies")
                .contains(&"smart_city")
        );
        assert!(
            domains_of("a joint project on GNSS chips for satellite navigation").contains(&"space")
        );
    }

    #[test]
    fn generic_technology_words_alone_are_other() {
        assert_eq!(
            domains_of("They talked about technology and innovation and science."),
            ["other"]
        );
        assert!(domains_of("They met for lunch.").is_empty());
    }
}
