//! The checks CI runs on the committed corpus, with or without the article texts.

use std::collections::BTreeSet;
use std::path::Path;

use crate::{Annotation, Article, Corpus, Evidence};

/// One thing wrong with the corpus, naming the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file (or `articles.tsv` / `splits.tsv`).
    pub file: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.reason)
    }
}

/// Checks every `gold`, `A` and `B` file of the corpus:
/// - it parses, its types, domains, statuses and kinds are the contract's, and its country
///   codes are in `countries` (when given);
/// - its article is in `articles.tsv`, and every evidence is offsets (never text: texts are not
///   committed) inside the body's length;
/// - where `texts` (the articles folder) is given, every body still has the length and SHA-256
///   that `articles.tsv` records;
/// - every id of `splits.tsv` is in `articles.tsv`, with a split of train, dev or test, and no
///   outlet and no story group of `splits.tsv` is in two splits.
///
/// Returns the problems and the number of annotation files read.
pub fn validate(
    corpus: &Corpus,
    texts: Option<&Path>,
    countries: Option<&BTreeSet<String>>,
) -> (Vec<Problem>, usize) {
    let mut problems = Vec::new();
    let mut files = 0;
    let table: std::collections::BTreeMap<&str, &crate::ArticleRow> =
        corpus.articles.iter().map(|a| (a.id.as_str(), a)).collect();
    for who in ["gold", "A", "B"] {
        let dir = corpus.dir.join(who);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        for name in names {
            files += 1;
            let path = dir.join(&name);
            let file = path.display().to_string();
            let mut say = |reason: String| {
                problems.push(Problem {
                    file: file.clone(),
                    reason,
                })
            };
            let id = name.trim_end_matches(".json");
            let Some(row) = table.get(id) else {
                say(format!("article {id} is not in articles.tsv"));
                continue;
            };
            let ann = match Annotation::read(&path) {
                Ok(a) => a,
                Err(e) => {
                    say(e.to_string());
                    continue;
                }
            };
            if ann.id.as_deref().is_some_and(|i| i != id) {
                say(format!("its id {:?} is not its file name", ann.id));
            }
            for p in ann.shape_problems() {
                say(p);
            }
            if let Some(known) = countries {
                let mut codes: Vec<&String> = ann.countries.iter().collect();
                codes.extend(ann.organizations.iter().filter_map(|o| o.country.as_ref()));
                codes.extend(ann.people.iter().filter_map(|o| o.country.as_ref()));
                codes.extend(ann.places.iter().filter_map(|o| o.country.as_ref()));
                codes.extend(ann.partnerships.iter().flat_map(|p| &p.countries));
                for c in codes {
                    if !known.contains(c) {
                        say(format!(
                            "{c} is not a country code the knowledge base knows"
                        ));
                    }
                }
            }
            for (i, p) in ann.partnerships.iter().enumerate() {
                for (k, ev) in std::iter::once(&p.evidence)
                    .chain(&p.alt_evidence)
                    .enumerate()
                {
                    let what = if k == 0 {
                        "evidence".to_string()
                    } else {
                        format!("alt_evidence[{}]", k - 1)
                    };
                    match ev {
                        Evidence::Text(_) => say(format!(
                            "partnerships[{i}].{what} is text: the corpus keeps offsets only"
                        )),
                        Evidence::Offsets { start, end } | Evidence::Pair([start, end]) => {
                            if start >= end || *end > row.chars {
                                say(format!(
                                    "partnerships[{i}].{what} {start}..{end} is not inside the body of {} characters",
                                    row.chars
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    if let Some(dir) = texts {
        for row in &corpus.articles {
            match Article::read(dir, &row.id) {
                Ok(a) => {
                    if a.chars() != row.chars || a.sha256() != row.sha256 {
                        problems.push(Problem {
                            file: dir.join(format!("{}.txt", row.id)).display().to_string(),
                            reason: format!(
                                "the body changed since articles.tsv was written ({} characters, recorded {})",
                                a.chars(),
                                row.chars
                            ),
                        });
                    }
                }
                Err(e) => problems.push(Problem {
                    file: "articles.tsv".into(),
                    reason: e.to_string(),
                }),
            }
        }
    }
    for (id, split) in &corpus.splits {
        if !table.contains_key(id.as_str()) {
            problems.push(Problem {
                file: "splits.tsv".into(),
                reason: format!("{id} is not in articles.tsv"),
            });
        }
        if !matches!(split.as_str(), "train" | "dev" | "test") {
            problems.push(Problem {
                file: "splits.tsv".into(),
                reason: format!("{id}: split {split:?} is not train, dev or test"),
            });
        }
    }
    // an outlet (original publisher) or a story group in two splits leaks text between them
    let split_path = corpus.dir.join("splits.tsv");
    if let Ok(rows) = crate::read_tsv(&split_path) {
        for key in ["outlet", "group"] {
            let mut seen: std::collections::BTreeMap<&str, &str> = Default::default();
            for r in &rows {
                let (Some(v), Some(s)) = (r.get(key), r.get("split")) else {
                    continue;
                };
                if let Some(prev) = seen.insert(v, s) {
                    if prev != s {
                        problems.push(Problem {
                            file: "splits.tsv".into(),
                            reason: format!("{key} {v:?} is in both {prev} and {s}"),
                        });
                    }
                }
            }
        }
    }
    (problems, files)
}
