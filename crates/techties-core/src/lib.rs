//! Core types shared by every techties crate.
//!
//! The design follows spaCy's `Doc`: one [`Doc`] holds the original text, which is never
//! mutated, and pipeline components ([`Annotator`]s) add layers to it in turn: tokens and
//! sentences, entity mentions, dates, domains and finally partnership events.
//!
//! **One offset rule.** Every [`Span`] is a half-open *byte* range into [`Doc::text`]. Conversion
//! to character offsets happens only at the JSON boundary (see `techties-extract::output`).
//!
//! ```
//! use techties_core::{Doc, DocMeta, Span};
//! let doc = Doc::new(DocMeta::new("example.txt"), "Huawei opened a lab.".to_string());
//! assert_eq!(doc.slice(Span::new(0, 6)), "Huawei");
//! assert_eq!(doc.meta.id.len(), 16);
//! ```
#![deny(missing_docs)]

mod country;
mod doc;
mod entity;
mod error;
mod partnership;
mod span;

pub use country::CountryCode;
pub use doc::{
    content_id, Annotator, DateMention, Doc, DocMeta, NameLabel, NameSpan, Sentence, Token,
    TokenKind,
};
pub use entity::{Entity, EntityId, EntityKind, Mention, MentionRole, OrgKind};
pub use error::{Error, Result};
pub use partnership::{
    Domain, Participant, Partnership, PartnershipType, PlaceRef, PlaceRole, Status,
};
pub use span::Span;
