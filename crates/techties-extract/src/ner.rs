//! The bridge between the statistical tagger (techties-ner) and the knowledge base: gazetteer
//! classes for the tagger's features.

use techties_kb::{AliasKind, Candidate, Kb};
use techties_ner::GazetteerClasses;

/// Class bits: a country's name.
pub const COUNTRY: u8 = 1;
/// A demonym or adjective of a country.
pub const DEMONYM: u8 = 2;
/// A city, region or landmark.
pub const PLACE: u8 = 4;
/// A known organisation.
pub const ORG: u8 = 8;
/// The first word of a match.
pub const BEGIN: u8 = 16;
/// A later word of a multi-word match.
pub const INSIDE: u8 = 32;
/// A name of the Research Organization Registry (not generic, not an acronym).
pub const ROR_ORG: u8 = 64;

/// Knowledge-base membership of word sequences, longest match first.
pub struct KbGazetteer {
    kb: &'static Kb,
}

impl KbGazetteer {
    /// Over a knowledge base.
    pub fn new(kb: &'static Kb) -> Self {
        KbGazetteer { kb }
    }
}

impl GazetteerClasses for KbGazetteer {
    fn classes(&self, words: &[&str]) -> Vec<u8> {
        let mut out = vec![0u8; words.len()];
        let mut i = 0;
        while i < words.len() {
            let maxn = self.kb.max_len_from(words[i]).min(words.len() - i).min(8);
            let mut hit = None;
            let mut key = String::new();
            for n in (1..=maxn).rev() {
                key.clear();
                for (k, w) in words[i..i + n].iter().enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(w);
                }
                let c = self.kb.lookup(&key);
                if !c.is_empty() {
                    hit = Some((n, c));
                    break;
                }
            }
            match hit {
                Some((n, cands)) => {
                    let mut bits = 0u8;
                    for c in cands {
                        bits |= match c {
                            Candidate::Country {
                                kind: AliasKind::Demonym,
                                ..
                            } => DEMONYM,
                            Candidate::Country {
                                kind: AliasKind::Capital,
                                ..
                            } => PLACE,
                            Candidate::Country {
                                kind: AliasKind::Prefix,
                                ..
                            } => 0,
                            Candidate::Country { .. } => COUNTRY,
                            Candidate::Place(p)
                                if self.kb.is_place_stopword(&self.kb.places[p].name) =>
                            {
                                0
                            }
                            Candidate::Place(_) => PLACE,
                            Candidate::Org(_) => ORG,
                            Candidate::Ror {
                                generic: false,
                                acronym: false,
                                ..
                            } => ROR_ORG,
                            Candidate::Ror { .. } => 0,
                        };
                    }
                    if bits != 0 {
                        out[i] = bits | BEGIN;
                        for o in &mut out[i + 1..i + n] {
                            *o = bits | INSIDE;
                        }
                    }
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// The model shipped with techties (`models/ner-conll03.bin`), loaded once.
pub fn default_model() -> Result<&'static techties_ner::Model, &'static techties_ner::NerError> {
    static MODEL: std::sync::OnceLock<Result<techties_ner::Model, techties_ner::NerError>> =
        std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| techties_ner::Model::from_bytes("models/ner-conll03.bin", MODEL_BYTES))
        .as_ref()
}

const MODEL_BYTES: &[u8] = include_bytes!("../../../models/ner-conll03.bin");

/// The statistical tagger as a pipeline component: fills [`Doc::names`](techties_core::Doc)
/// with the names it finds, sentence by sentence, in document order (so the history feature
/// sees earlier sentences).
pub struct NerTagger {
    model: &'static techties_ner::Model,
    gaz: KbGazetteer,
}

impl NerTagger {
    /// A tagger with the shipped model and the knowledge base's gazetteer.
    pub fn new(model: &'static techties_ner::Model, kb: &'static Kb) -> Self {
        NerTagger {
            model,
            gaz: KbGazetteer::new(kb),
        }
    }
}

impl techties_core::Annotator for NerTagger {
    fn name(&self) -> &'static str {
        "ner"
    }

    fn annotate(&self, doc: &mut techties_core::Doc) -> techties_core::Result<()> {
        use techties_core::{NameLabel, NameSpan, Span};
        use techties_ner::EntityType;
        let sents: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.tokens.clone().map(|t| doc.token_text(t)).collect())
            .collect();
        let tagged = self.model.tag_document(&sents, &self.gaz);
        let mut names = Vec::new();
        for (s, tags) in doc.sentences.iter().zip(&tagged) {
            for c in techties_ner::tags::chunks(tags) {
                let (a, b) = (s.tokens.start + c.start, s.tokens.start + c.end - 1);
                let label = match c.ty {
                    EntityType::Per => NameLabel::Person,
                    EntityType::Org => NameLabel::Organization,
                    EntityType::Loc => NameLabel::Location,
                    EntityType::Misc => NameLabel::Misc,
                };
                names.push(NameSpan {
                    span: Span::new(doc.tokens[a].span.start, doc.tokens[b].span.end),
                    label,
                });
            }
        }
        doc.names = names;
        doc.trace.push("ner");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_model_tags_news_text() {
        let m = default_model().unwrap();
        let g = KbGazetteer::new(Kb::embedded());
        let words = [
            "President",
            "Vladimir",
            "Putin",
            "met",
            "Huawei",
            "executives",
            "in",
            "Moscow",
            ".",
        ];
        let tags = m.tag_document(&[words.to_vec()], &g);
        let got: Vec<&str> = tags[0].iter().map(|t| t.as_str()).collect();
        assert_eq!(
            got,
            ["O", "B-PER", "I-PER", "O", "B-ORG", "O", "O", "B-LOC", "O"]
        );
    }

    #[test]
    fn multiword_names_get_begin_and_inside() {
        let g = KbGazetteer::new(Kb::embedded());
        let c = g.classes(&[
            "The", "Russian", "firm", "opened", "in", "Nizhny", "Novgorod",
        ]);
        assert_eq!(c[1], DEMONYM | BEGIN);
        assert_eq!(c[5], PLACE | BEGIN);
        assert_eq!(c[6], PLACE | INSIDE);
        assert_eq!(c[2], 0);
    }
}
