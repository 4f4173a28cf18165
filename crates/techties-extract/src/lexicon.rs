//! Phrase lexicons kept in data files (domain taxonomy, event triggers), matched over the
//! lower-cased tokens of a sentence.

use rustc_hash::FxHashMap;

/// One element of a phrase pattern.
#[derive(Debug, Clone, PartialEq)]
enum Pat {
    Exact(String),
    Prefix(String),
    /// Up to three arbitrary tokens.
    Gap,
}

#[derive(Debug, Clone)]
struct Entry {
    label: usize,
    pats: Vec<Pat>,
    weight: f32,
}

/// A phrase hit: label index, token range (relative to the words given) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index into the labels the lexicon was built with.
    pub label: usize,
    /// First word.
    pub start: usize,
    /// One past the last word.
    pub end: usize,
    /// The entry's weight.
    pub weight: f32,
}

/// A set of weighted phrases with labels.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_first: FxHashMap<String, Vec<Entry>>,
    /// Phrases starting with a prefix pattern, by the prefix's first [`PREFIX_KEY`] bytes:
    /// trying all of them at every word was a tenth of the extractor's time.
    prefix_first: FxHashMap<Vec<u8>, Vec<Entry>>,
    /// Phrases starting with a prefix shorter than that, tried at every word.
    short_prefix_first: Vec<Entry>,
}

/// Bytes of a prefix pattern that key [`Lexicon::prefix_first`].
const PREFIX_KEY: usize = 3;

/// A lexicon file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{file}, line {line}: {reason}")]
pub struct LexiconError {
    /// The data file.
    pub file: &'static str,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl Lexicon {
    /// Parses `label<TAB>phrase<TAB>weight` lines (a header line and `#` comments skipped),
    /// mapping each label through `label_of`.
    pub fn parse(
        file: &'static str,
        text: &str,
        label_of: impl Fn(&str) -> Option<usize>,
    ) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        for (i, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: String| LexiconError {
                file,
                line: i + 1,
                reason,
            };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 2 {
                return Err(err("expected label, phrase and weight".into()));
            }
            let label =
                label_of(f[0].trim()).ok_or_else(|| err(format!("unknown label {:?}", f[0])))?;
            let weight: f32 = match f.get(2) {
                Some(w) => w
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("bad weight {w:?}")))?,
                None => 1.0,
            };
            let pats: Vec<Pat> = f[1]
                .split_whitespace()
                .map(|w| {
                    if w == "~" {
                        Pat::Gap
                    } else if let Some(p) = w.strip_suffix('*') {
                        Pat::Prefix(p.to_lowercase())
                    } else {
                        Pat::Exact(w.to_lowercase())
                    }
                })
                .collect();
            match pats.first() {
                Some(Pat::Exact(w)) => lex.by_first.entry(w.clone()).or_default().push(Entry {
                    label,
                    pats,
                    weight,
                }),
                Some(Pat::Prefix(p)) if p.len() >= PREFIX_KEY => lex
                    .prefix_first
                    .entry(p.as_bytes()[..PREFIX_KEY].to_vec())
                    .or_default()
                    .push(Entry {
                        label,
                        pats,
                        weight,
                    }),
                Some(Pat::Prefix(_)) => lex.short_prefix_first.push(Entry {
                    label,
                    pats,
                    weight,
                }),
                _ => return Err(err("a phrase must start with a word".into())),
            }
        }
        Ok(lex)
    }

    /// Every hit in `words` (lower-cased token texts).
    pub fn find(&self, words: &[&str]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for i in 0..words.len() {
            let w = words[i];
            let exact = self.by_first.get(w).into_iter().flatten();
            let keyed = w
                .as_bytes()
                .get(..PREFIX_KEY)
                .and_then(|k| self.prefix_first.get(k))
                .into_iter()
                .flatten();
            let prefixed = keyed
                .chain(&self.short_prefix_first)
                .filter(|e| matches!(&e.pats[0], Pat::Prefix(p) if w.starts_with(p.as_str())));
            for e in exact.chain(prefixed) {
                if let Some(end) = match_at(&e.pats, words, i) {
                    hits.push(Hit {
                        label: e.label,
                        start: i,
                        end,
                        weight: e.weight,
                    });
                }
            }
        }
        hits
    }
}

fn match_at(pats: &[Pat], words: &[&str], at: usize) -> Option<usize> {
    let Some((first, rest)) = pats.split_first() else {
        return Some(at);
    };
    match first {
        Pat::Gap => (0..=3).find_map(|skip| {
            (at + skip <= words.len())
                .then(|| match_at(rest, words, at + skip))
                .flatten()
        }),
        Pat::Exact(w) => (words.get(at) == Some(&w.as_str()))
            .then(|| match_at(rest, words, at + 1))
            .flatten(),
        Pat::Prefix(p) => words
            .get(at)
            .filter(|x| x.starts_with(p.as_str()))
            .and_then(|_| match_at(rest, words, at + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_prefix_and_gap_patterns() {
        let lex = Lexicon::parse(
            "t",
            "h\na\tjoint lab*\t1\nb\thelp ~ build\t1\nc\tsemiconductor*\t0.5\n",
            |l| "abc".find(l),
        )
        .unwrap();
        let words = [
            "they",
            "help",
            "the",
            "chinese",
            "build",
            "joint",
            "laboratories",
            "for",
            "semiconductors",
        ];
        let hits = lex.find(&words);
        assert_eq!(
            hits.iter()
                .map(|h| (h.label, h.start, h.end))
                .collect::<Vec<_>>(),
            [(1, 1, 5), (0, 5, 7), (2, 8, 9)]
        );
    }

    #[test]
    fn unknown_label_is_an_error_naming_the_line() {
        let e = Lexicon::parse("f.tsv", "h\nzzz\tx\t1\n", |_| None).unwrap_err();
        assert_eq!(e.to_string(), "f.tsv, line 2: unknown label \"zzz\"");
    }
}
