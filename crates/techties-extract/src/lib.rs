//! Extraction of evidence-backed technology partnerships from text.
//!
//! [`Pipeline::standard`] runs the annotators over one [`Doc`](techties_core::Doc) in turn:
//! the segmenter (techties-text), the knowledge-base linker (techties-kb), then the components
//! of this crate: [`people`], [`dates`], [`domains`] and [`events`]. [`source`] reads documents
//! from files and [`output`] writes the contract's JSON, the only place where byte spans become
//! character offsets.
//!
//! ```
//! use techties_extract::{Pipeline, source::RawDoc};
//! let p = Pipeline::standard();
//! let doc = p.run(RawDoc {
//!     source: "example".into(), title: None, date: None,
//!     text: "Chinese tech giant Huawei signed a deal with Russian operator MTS to build a 5G network.".into(),
//! }).unwrap();
//! let deal = &doc.partnerships[0];
//! assert_eq!(deal.kind.as_str(), "agreement");
//! assert_eq!(deal.countries.len(), 2);
//! ```
#![deny(missing_docs)]

pub mod dates;
pub mod domains;
pub mod evaluate;
pub mod events;
pub mod learned;
pub mod lexicon;
pub mod ner;
pub mod output;
pub mod people;
mod pipeline;
pub mod source;
mod words;

pub use pipeline::{ExtractError, Pipeline};
