//! The extraction pipeline: the annotators in order, over one [`Doc`].

use techties_core::{Annotator, Doc, DocMeta};
use techties_kb::{Kb, Linker};
use techties_text::Segmenter;

use crate::dates::DateTagger;
use crate::domains::DomainTagger;
use crate::events::EventExtractor;
use crate::learned::{LearnedExtractor, Models};
use crate::ner::NerTagger;
use crate::people::PeopleFinder;
use crate::source::RawDoc;

/// Errors of the pipeline, each naming the document.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {inner}")]
pub struct ExtractError {
    /// The document's source.
    pub source_name: String,
    /// What failed.
    #[source]
    pub inner: techties_core::Error,
}

/// The annotators, built once and run over each document.
pub struct Pipeline {
    annotators: Vec<Box<dyn Annotator>>,
}

impl Pipeline {
    /// The standard pipeline over the embedded knowledge base, NER model and extractor models:
    /// segmenter → ner → linker → people → dates → domains → events (rules) → learned events.
    /// Without an embedded extractor bundle, the rule extractor's partnerships stand.
    pub fn standard() -> Self {
        match Models::embedded() {
            Some(m) => Self::with_models(m),
            None => Self::rules(),
        }
    }

    /// The pipeline with the rule extractor alone deciding the partnerships.
    pub fn rules() -> Self {
        let kb: &'static Kb = Kb::embedded();
        // the shipped model is checked by the test suite; a broken build fails there
        let model = match crate::ner::default_model() {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        Pipeline {
            annotators: vec![
                Box::new(Segmenter),
                Box::new(NerTagger::new(model, kb)),
                Box::new(Linker::new(kb)),
                Box::new(PeopleFinder),
                Box::new(DateTagger),
                Box::new(DomainTagger),
                Box::new(EventExtractor::new(kb)),
            ],
        }
    }

    /// The pipeline with trained extractor models deciding the partnerships (after the rule
    /// extractor, whose verdicts are among their features).
    pub fn with_models(models: &'static Models) -> Self {
        let mut p = Self::rules();
        p.annotators
            .push(Box::new(LearnedExtractor::new(models, Kb::embedded())));
        p
    }

    /// Names of the annotators, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.annotators.iter().map(|a| a.name()).collect()
    }

    /// Runs every annotator over a document read from a source.
    pub fn run(&self, raw: RawDoc) -> Result<Doc, ExtractError> {
        let mut meta = DocMeta::new(raw.source);
        meta.title = raw.title;
        meta.date = raw.date;
        let mut doc = Doc::new(meta, raw.text);
        for a in &self.annotators {
            a.annotate(&mut doc).map_err(|inner| ExtractError {
                source_name: doc.meta.source.clone(),
                inner,
            })?;
        }
        drop_unmentioned(&mut doc);
        Ok(doc)
    }
}

/// Entities whose every mention was withdrawn (a place inside a person's name) are dropped,
/// and ids are renumbered everywhere.
fn drop_unmentioned(doc: &mut Doc) {
    let mut used = vec![false; doc.entities.len()];
    for m in &doc.mentions {
        used[m.entity] = true;
    }
    for p in &doc.partnerships {
        for x in &p.participants {
            if let Some(e) = x.entity {
                used[e] = true;
            }
        }
    }
    if used.iter().all(|u| *u) {
        return;
    }
    let mut remap = vec![usize::MAX; doc.entities.len()];
    let mut kept = Vec::new();
    for (i, e) in std::mem::take(&mut doc.entities).into_iter().enumerate() {
        if used[i] {
            remap[i] = kept.len();
            kept.push(e);
        }
    }
    doc.entities = kept;
    for m in &mut doc.mentions {
        m.entity = remap[m.entity];
    }
    for p in &mut doc.partnerships {
        for x in &mut p.participants {
            x.entity = x.entity.map(|e| remap[e]);
        }
        for pl in &mut p.places {
            pl.entity = remap[pl.entity];
        }
    }
}
