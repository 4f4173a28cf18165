//! Knowledge base and linking: which country, place or organisation a name refers to.
//!
//! The knowledge base is compiled into the binary from the reviewable data files under
//! `data/kb/` (countries and their aliases, GeoNames cities, ISO regions, landmarks, a curated
//! organisation list; see `data/kb/SOURCES.md`). The [`Linker`] annotator finds their names in a
//! tokenised [`Doc`](techties_core::Doc) by longest match over normalised token keys, resolves
//! each match in context (a capital as a place or as its government; the Kazan of the
//! document's countries, then the most populous), recognises organisations the list does not
//! know from their naming patterns ("... Institute of Technology", "... Fund"), and links
//! acronyms defined in the text ("the Russian Direct Investment Fund, or RDIF").
//!
//! ```
//! use techties_core::{Annotator, Doc, DocMeta, EntityKind};
//! let kb = techties_kb::Kb::embedded();
//! let mut doc = Doc::new(DocMeta::new("t"), "Huawei opened a centre in Kazan, Russia.".into());
//! techties_text::Segmenter.annotate(&mut doc).unwrap();
//! techties_kb::Linker::new(kb).annotate(&mut doc).unwrap();
//! let kazan = doc.entities.iter().find(|e| e.name == "Kazan").unwrap();
//! assert_eq!(kazan.kind, EntityKind::Place);
//! assert_eq!(kazan.country.unwrap().as_str(), "RU");
//! ```
#![deny(missing_docs)]

mod check;
mod data;
// shared with build.rs, which writes what the library reads: each side uses its half
#[cfg_attr(not(test), allow(dead_code))]
mod index_format;
mod linker;
pub mod names;
mod orgrules;

pub use check::{check, Problem, Severity};
pub use data::{
    AliasKind, Candidate, CountryRec, Flag, Kb, KbError, OrgRec, PlaceKind, PlaceRec, Probe, RorRec,
};
pub use linker::Linker;
pub use orgrules::{org_head_kind, ORG_SUFFIXES};
