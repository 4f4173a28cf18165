//! Statistical named-entity recognition for techties.
//!
//! A sequence tagger written in this project: an averaged structured perceptron over hashed
//! features (word, lower case, shape, prefixes and suffixes, a ±2 context window, capitalisation
//! patterns, sentence position, gazetteer classes from the knowledge base, and how the same word
//! was tagged earlier in the document), decoded with Viterbi under IOB2 constraints. Why a
//! perceptron rather than a CRF: training is an order of magnitude cheaper (one Viterbi pass per
//! sentence, no forward-backward), it reaches CRF-level accuracy on CoNLL with the same
//! features, and prediction is the same dot products either way.
//!
//! [`Model`] tags documents; [`train::train`] learns one from CoNLL data ([`conll`]);
//! [`eval`] scores as conlleval does. Models are stored in a compact binary format
//! ([`Model::to_bytes`]): sorted feature hashes and i16-quantised weights.
//!
//! ```
//! use techties_ner::{conll, train, Model, NoGazetteer};
//! let data = "Alice B-PER\nvisited O\nParis B-LOC\n\nBob B-PER\nleft O\nLondon B-LOC\n";
//! let docs = conll::parse("tiny", data, true).unwrap();
//! let cfg = train::TrainConfig { epochs: 5, seed: 1, min_count: 1 };
//! let (model, _) = train::train(&docs, None, &NoGazetteer, cfg, |_| {});
//! let tags = model.tag_document(&[vec!["Alice", "visited", "London"]], &NoGazetteer);
//! assert_eq!(tags[0][0].as_str(), "B-PER");
//! ```
#![deny(missing_docs)]

pub mod conll;
pub mod eval;
mod features;
mod model;
pub mod tags;
pub mod train;
pub mod vectors;

pub use model::{GazetteerClasses, Model, NoGazetteer};
pub use tags::{EntityType, Tag};

/// Errors of the NER crate; each names its file.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// A CoNLL file is malformed.
    #[error("{file}:{line}: {reason}")]
    Format {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A model file cannot be used.
    #[error("{file}: {reason}")]
    Model {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
}
