//! Text layer of techties: tokenisation and sentence splitting with byte offsets into the
//! original text, and the normalised keys that gazetteers match on.
//!
//! Nothing here rewrites the document: a token is a [`Span`] of the original text, and the
//! normalised forms ([`norm_key`]) are derived on the fly, so every match found on them maps
//! straight back to the original bytes (the tokenizers crate's alignment rule, kept simple).
//!
//! ```
//! use techties_core::{Doc, DocMeta, Annotator};
//! let mut doc = Doc::new(DocMeta::new("t"), "Dr. Li met U.S. officials. They agreed.".into());
//! techties_text::Segmenter.annotate(&mut doc).unwrap();
//! assert_eq!(doc.sentences.len(), 2);
//! assert_eq!(doc.token_text(0), "Dr.");
//! ```
#![deny(missing_docs)]

mod sentences;
mod tokenize;

pub use sentences::split_sentences;
pub use tokenize::{is_abbreviation, tokenize};

use techties_core::{Annotator, Doc, Result, Token};

/// The annotator that fills [`Doc::tokens`] and [`Doc::sentences`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Segmenter;

impl Annotator for Segmenter {
    fn name(&self) -> &'static str {
        "segmenter"
    }

    fn annotate(&self, doc: &mut Doc) -> Result<()> {
        doc.tokens = tokenize(&doc.text);
        doc.sentences = split_sentences(&doc.text, &doc.tokens);
        doc.trace.push(self.name());
        Ok(())
    }
}

/// Folds typographic variants that gazetteer keys should not distinguish: curly apostrophes
/// and quotes, the dash family, and non-breaking spaces.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => ' ',
        c => c,
    }
}

/// The key a token sequence is matched on: token texts with typographic variants folded,
/// joined by one space where the original had white space and by nothing where it had none.
/// "St. Petersburg", "Sino-Russian" and "华为" keep their shape; line breaks and double
/// spaces inside a name do not matter.
pub fn norm_key(text: &str, tokens: &[Token]) -> String {
    let mut key = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && t.space_before {
            key.push(' ');
        }
        key.extend(text[t.span.range()].chars().map(fold_char));
    }
    key
}

/// [`norm_key`] into a reused buffer (cleared first): the gazetteer builds one key per
/// candidate n-gram, so it should not allocate each time.
pub fn norm_key_into(text: &str, tokens: &[Token], key: &mut String) {
    key.clear();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 && t.space_before {
            key.push(' ');
        }
        let w = &text[t.span.range()];
        if w.is_ascii() && !w.contains('`') {
            key.push_str(w);
        } else {
            key.extend(w.chars().map(fold_char));
        }
    }
}

/// [`norm_key`] of a free-standing name, as gazetteers build their tables.
pub fn key_of(name: &str) -> String {
    let toks = tokenize(name);
    norm_key(name, &toks)
}
