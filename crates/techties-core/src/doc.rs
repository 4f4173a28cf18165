use std::ops::Range;

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::{Entity, Mention, Partnership, Result, Span};

/// Where a document came from and what it says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    /// Stable id: a hash of the normalised text (set by [`Doc::new`]).
    pub id: String,
    /// The path, `FILE:LINE` or URL it came from.
    pub source: String,
    /// Title, when known.
    pub title: Option<String>,
    /// Publication date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// ISO 639-1 language code.
    pub lang: String,
}

impl DocMeta {
    /// Metadata with only a source.
    pub fn new(source: impl Into<String>) -> Self {
        DocMeta {
            source: source.into(),
            lang: "en".into(),
            ..Default::default()
        }
    }
}

/// What kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits, internal `&` or an abbreviation's periods).
    Word,
    /// Digits, possibly with internal `,` or `.`.
    Number,
    /// Any other single character.
    Punct,
}

/// One token: a span of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Bytes in the original text.
    pub span: Span,
    /// Word, number or punctuation.
    pub kind: TokenKind,
    /// True when white space separates this token from the previous one.
    pub space_before: bool,
}

/// A sentence: its byte span and the tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Bytes from the first token's start to the last token's end.
    pub span: Span,
    /// Token indices, half-open.
    pub tokens: Range<usize>,
}

/// The type of a name found by the statistical tagger (the CoNLL types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameLabel {
    /// A person.
    Person,
    /// An organisation.
    Organization,
    /// A location.
    Location,
    /// Another kind of name (nationality, event, product).
    Misc,
}

/// A name the statistical tagger found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameSpan {
    /// Where it is.
    pub span: Span,
    /// What kind of name.
    pub label: NameLabel,
}

/// A date or year stated in the text, resolved to `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Where it is stated.
    pub span: Span,
    /// The resolved value.
    pub value: String,
}

/// A document and every annotation the pipeline adds to it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Metadata.
    pub meta: DocMeta,
    /// The original plain text. Never mutated: every span points into it.
    pub text: String,
    /// Tokens in text order, non-overlapping.
    pub tokens: Vec<Token>,
    /// Sentences in text order, covering the tokens.
    pub sentences: Vec<Sentence>,
    /// Names found by the statistical tagger: candidates for the linker.
    pub names: Vec<NameSpan>,
    /// Entities (organisations, people, countries, places) the document names.
    pub entities: Vec<Entity>,
    /// Mentions of those entities, sorted by start.
    pub mentions: Vec<Mention>,
    /// Dates stated in the text.
    pub dates: Vec<DateMention>,
    /// Technology domains per sentence (parallel to `sentences`).
    pub sentence_domains: Vec<Vec<crate::Domain>>,
    /// Technology domains of the whole document.
    pub domains: Vec<crate::Domain>,
    /// Partnership events, with evidence.
    pub partnerships: Vec<Partnership>,
    /// Names of the annotators that ran, in order.
    pub trace: Vec<&'static str>,
}

impl Doc {
    /// A new document. Its id is a hash of the NFC-normalised text with white space folded,
    /// so the same article read from HTML or from plain text gets the same id.
    pub fn new(mut meta: DocMeta, text: String) -> Self {
        meta.id = content_id(&text);
        if meta.lang.is_empty() {
            meta.lang = "en".into();
        }
        Doc {
            meta,
            text,
            ..Default::default()
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The text of a token.
    pub fn token_text(&self, i: usize) -> &str {
        self.slice(self.tokens[i].span)
    }

    /// The index of the sentence holding token `t`.
    pub fn sentence_of_token(&self, t: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= t);
        (i < self.sentences.len() && self.sentences[i].tokens.contains(&t)).then_some(i)
    }

    /// The index of the first token starting at or after byte `pos`.
    pub fn token_at_or_after(&self, pos: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < pos)
    }

    /// Mentions whose span lies inside `span`.
    ///
    /// `mentions` is sorted by start, so this is a binary search and a short scan.
    pub fn mentions_in(&self, span: Span) -> impl Iterator<Item = (usize, &Mention)> {
        let first = self.mentions.partition_point(|m| m.span.start < span.start);
        self.mentions[first..]
            .iter()
            .enumerate()
            .take_while(move |(_, m)| m.span.start < span.end)
            .map(move |(i, m)| (first + i, m))
            .filter(move |(_, m)| span.contains(m.span))
    }
}

/// Hex digest (16 characters) of the normalised text.
pub fn content_id(text: &str) -> String {
    let mut h = Sha256::new();
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            h.update(b" ");
        }
        first = false;
        // ASCII is its own NFC form: only other words need composing (and a buffer)
        if word.is_ascii() {
            h.update(word.as_bytes());
        } else {
            let w: String = word.nfc().collect();
            h.update(w.as_bytes());
        }
    }
    let d = h.finalize();
    d.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A pipeline component: reads some layers of a [`Doc`] and adds another.
pub trait Annotator: Send + Sync {
    /// Short name, recorded in [`Doc::trace`].
    fn name(&self) -> &'static str;
    /// Adds this component's annotations.
    fn annotate(&self, doc: &mut Doc) -> Result<()>;
}
