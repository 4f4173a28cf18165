//! CoNLL-format data: one token per line (first column the word, last column the tag), blank
//! lines between sentences, `-DOCSTART-` lines between documents.

use crate::tags::{iob1_to_iob2, Tag};
use crate::NerError;

/// A sentence with its gold tags (IOB2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The words.
    pub words: Vec<String>,
    /// Gold tags, IOB2 (empty when the file has none).
    pub tags: Vec<Tag>,
}

/// A document: its sentences in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Sentences.
    pub sentences: Vec<Sentence>,
}

/// Parses CoNLL text. `with_tags` reads the last column as an IOB1 or IOB2 tag (converted to
/// IOB2); otherwise only words are read.
pub fn parse(name: &str, text: &str, with_tags: bool) -> Result<Vec<Document>, NerError> {
    let mut docs = vec![Document::default()];
    let mut sent = Sentence::default();
    let mut raw_tags: Vec<Tag> = Vec::new();
    let flush = |docs: &mut Vec<Document>, sent: &mut Sentence, raw: &mut Vec<Tag>| {
        if !sent.words.is_empty() {
            sent.tags = iob1_to_iob2(raw);
            if let Some(d) = docs.last_mut() {
                d.sentences.push(std::mem::take(sent));
            }
        }
        raw.clear();
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut docs, &mut sent, &mut raw_tags);
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or_default();
        if word == "-DOCSTART-" {
            flush(&mut docs, &mut sent, &mut raw_tags);
            if docs.last().is_some_and(|d| !d.sentences.is_empty()) {
                docs.push(Document::default());
            }
            continue;
        }
        sent.words.push(word.to_string());
        if with_tags {
            let last = line.split_whitespace().last().unwrap_or("O");
            let tag = Tag::parse(last).ok_or_else(|| NerError::Format {
                file: name.to_string(),
                line: i + 1,
                reason: format!("unknown tag {last:?}"),
            })?;
            raw_tags.push(tag);
        }
    }
    flush(&mut docs, &mut sent, &mut raw_tags);
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_sentences() {
        let t = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nJapan NNP I-NP I-LOC\n";
        let d = parse("t", t, true).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].sentences.len(), 2);
        assert_eq!(
            d[0].sentences[0]
                .tags
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>(),
            ["B-ORG", "O"]
        );
        assert_eq!(d[1].sentences[0].words, ["Japan"]);
    }

    #[test]
    fn bad_tag_names_the_line() {
        let e = parse("f.txt", "a O\nb B-FOO\n", true).unwrap_err();
        assert_eq!(e.to_string(), "f.txt:2: unknown tag \"B-FOO\"");
    }
}
