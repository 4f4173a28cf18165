//! Lower-cased, typographically folded token texts of a document, shared by the lexicon-based
//! components so each token is folded once.

use techties_core::Doc;
use techties_text::fold_char;

/// Folded lower-case text of every token of a document.
pub struct SentenceWords<'d> {
    doc: &'d Doc,
    lower: Vec<String>,
}

impl<'d> SentenceWords<'d> {
    /// Folds every token of `doc`.
    pub fn new(doc: &'d Doc) -> Self {
        let lower = doc
            .tokens
            .iter()
            .map(|t| {
                doc.text[t.span.range()]
                    .chars()
                    .map(fold_char)
                    .flat_map(char::to_lowercase)
                    .collect()
            })
            .collect();
        SentenceWords { doc, lower }
    }

    /// The words of sentence `s`.
    pub fn of(&self, s: usize) -> Vec<&str> {
        self.lower[self.doc.sentences[s].tokens.clone()]
            .iter()
            .map(String::as_str)
            .collect()
    }
}
