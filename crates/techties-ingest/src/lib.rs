//! Ingest: turns files, folders, feeds and URLs into stored, extracted documents.
//!
//! The flow of one batch: inputs are expanded into items ([`read::expand`]); worker threads
//! (one per core) read each item into articles, detect the language, extract English ones with
//! the [`Pipeline`] and sign them for near-duplicate detection; one writer thread owns the
//! [`Store`] and commits each document in its own transaction. Exact duplicates (same content
//! id) are not stored again; near-duplicates (MinHash similarity ≥ 0.7) are stored as copies
//! of the first story. A bad input is a failure with its name and reason in the summary; it
//! never stops the batch, and a re-run after a crash skips what was committed.
#![deny(missing_docs)]

pub mod dedup;
pub mod read;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::Serialize;
use techties_core::{content_id, Doc};
use techties_extract::Pipeline;
use techties_store::{Added, Extraction, NewDocument, Store, StoreError};

pub use read::{Item, Limits, ReadError};

/// The extractor's version, recorded with each extraction: `reprocess` redoes the others.
pub const EXTRACTOR_VERSION: &str = concat!("techties ", env!("CARGO_PKG_VERSION"));

/// Languages extracted; others are stored and counted.
const EXTRACTED_LANGUAGES: &[&str] = &["en"];

/// One input that failed, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    /// Path, `FILE:LINE`, `FILE[i]` or URL.
    pub source: String,
    /// The reason.
    pub reason: String,
}

/// What a batch did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Items (files, URLs) read.
    pub inputs: usize,
    /// Documents stored.
    pub added: usize,
    /// Documents already stored (same content): not stored again.
    pub duplicates: usize,
    /// Of the added, syndicated copies of an earlier story.
    pub near_duplicates: usize,
    /// Of the added, documents in a language techties does not extract yet, by language.
    pub not_extracted: BTreeMap<String, usize>,
    /// Files in folders skipped for their type.
    pub skipped_files: usize,
    /// Partnership reports stored.
    pub partnerships: usize,
    /// Inputs or records that failed.
    pub failed: Vec<Failure>,
    /// Wall time.
    pub seconds: f64,
}

impl Summary {
    /// Adds another summary's counts to this one (not its inputs, skipped files or time).
    fn absorb(&mut self, other: Summary) {
        self.added += other.added;
        self.duplicates += other.duplicates;
        self.near_duplicates += other.near_duplicates;
        for (lang, n) in other.not_extracted {
            *self.not_extracted.entry(lang).or_default() += n;
        }
        self.partnerships += other.partnerships;
        self.failed.extend(other.failed);
    }

    /// Documents per second.
    pub fn rate(&self) -> f64 {
        (self.added + self.duplicates) as f64 / self.seconds.max(1e-9)
    }
}

/// Progress of a batch, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Items done.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// Documents written so far.
    pub documents: usize,
}

/// Why a batch could not run at all (a bad input is not this: it is a [`Failure`]).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Options of a batch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads reading and extracting (default: the number of cores).
    pub threads: usize,
    /// Limits on files and URLs.
    pub limits: Limits,
    /// Most documents per commit group (see [`GROUP_DOCS`]).
    pub group_docs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            limits: Limits::default(),
            group_docs: GROUP_DOCS,
        }
    }
}

/// A document ready to store.
struct Prepared {
    article: read::Article,
    content_id: String,
    lang: String,
    signature: Option<Vec<u32>>,
    outcome: Outcome,
}

enum Outcome {
    Extracted(Box<Doc>),
    NotExtracted(String),
    Failed(String),
}

/// ISO 639-1 code of the text's language ("en" when the text is too short to tell).
pub fn detect_language(text: &str) -> String {
    if looks_english(text) {
        return "en".to_string();
    }
    // a thousand characters decide the language of an article as well as the whole of it
    let sample: String = text.chars().take(1000).collect();
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() || info.confidence() > 0.5 => {
            iso639_1(info.lang().code()).to_string()
        }
        _ => "en".to_string(),
    }
}

/// Plain ASCII prose full of English function words: English, without the trigram model
/// (which costs as much as a third of extracting the article).
fn looks_english(text: &str) -> bool {
    let sample = &text[..text.floor_char_boundary(2000)];
    let words: Vec<&str> = sample.split_whitespace().collect();
    if words.len() < 30 || !sample.is_ascii() {
        return false;
    }
    let function = words
        .iter()
        .filter(|w| {
            matches!(
                w.to_ascii_lowercase()
                    .trim_matches(|c: char| !c.is_ascii_alphabetic()),
                "the"
                    | "and"
                    | "of"
                    | "to"
                    | "in"
                    | "a"
                    | "is"
                    | "was"
                    | "for"
                    | "with"
                    | "on"
                    | "that"
                    | "by"
                    | "said"
            )
        })
        .count();
    function * 100 >= words.len() * 15
}

fn iso639_1(code3: &str) -> &str {
    match code3 {
        "eng" => "en",
        "rus" => "ru",
        "cmn" => "zh",
        "ukr" => "uk",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "jpn" => "ja",
        "kor" => "ko",
        "ara" => "ar",
        "pes" => "fa",
        "tur" => "tr",
        "pol" => "pl",
        "nld" => "nl",
        "heb" => "he",
        "hin" => "hi",
        other => other,
    }
}

/// Longest text extracted (bytes): extraction's memory grows with the text (about 60 bytes
/// per byte), and no article is this long. A longer text is stored, and reported as not
/// extracted.
pub const MAX_EXTRACT_BYTES: usize = 4 << 20;

/// Runs the pipeline over one document's text, or says why not.
fn extract(pipeline: &Pipeline, lang: &str, raw: &techties_extract::source::RawDoc) -> Outcome {
    if !EXTRACTED_LANGUAGES.contains(&lang) {
        return Outcome::NotExtracted(format!("language {lang} is not extracted yet"));
    }
    if raw.text.len() > MAX_EXTRACT_BYTES {
        return Outcome::Failed(format!(
            "text too long to extract: {:.1} MB (limit {} MB)",
            raw.text.len() as f64 / 1e6,
            MAX_EXTRACT_BYTES >> 20
        ));
    }
    // the pipeline is rule and model code over text: a panic on one strange document must
    // not take the batch down
    let raw = raw.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pipeline.run(raw))) {
        Ok(Ok(doc)) => Outcome::Extracted(Box::new(doc)),
        Ok(Err(e)) => Outcome::Failed(e.to_string()),
        Err(_) => Outcome::Failed("the extractor panicked on this document".into()),
    }
}

fn prepare(pipeline: &Pipeline, article: read::Article) -> Prepared {
    let lang = detect_language(&article.raw.text);
    let content_id = content_id(&article.raw.text);
    let signature = dedup::signature(&article.raw.text);
    let outcome = extract(pipeline, &lang, &article.raw);
    Prepared {
        article,
        content_id,
        lang,
        signature,
        outcome,
    }
}

/// Ingests inputs (paths, folders, URLs) into the store at `db`.
pub fn ingest(
    inputs: &[String],
    store: &mut Store,
    pipeline: &Pipeline,
    opts: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Summary, IngestError> {
    let t0 = Instant::now();
    let (items, errors, skipped) = read::expand(inputs);
    let mut summary = Summary {
        inputs: items.len(),
        skipped_files: skipped,
        failed: errors
            .into_iter()
            .map(|e| Failure {
                source: e.source_name,
                reason: e.reason,
            })
            .collect(),
        ..Summary::default()
    };
    let next = AtomicUsize::new(0);
    // bounded, so memory is flat: readers stay at most a few hundred items ahead of the
    // writer, enough to smooth over its commits and checkpoints
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Result<Prepared, ReadError>>)>(256);
    let mut result = Ok(());
    std::thread::scope(|scope| {
        for _ in 0..opts.threads.max(1) {
            let tx = tx.clone();
            let (items, next, limits) = (&items, &next, opts.limits);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let docs = read::read_item(item, &limits)
                    .into_iter()
                    .map(|r| r.map(|a| prepare(pipeline, a)))
                    .collect();
                if tx.send((i, docs)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut done = 0;
        // the open group: its documents, what storing them did (counted once it commits),
        // and when it was opened
        let mut group: Vec<Prepared> = Vec::new();
        let mut counted = Summary::default();
        let mut opened = Instant::now();
        if let Err(e) = store
            .checkpoint_in_background(true)
            .and_then(|_| store.begin_group())
        {
            result = Err(e.into());
        }
        for (_, docs) in rx.iter() {
            if result.is_err() {
                continue; // drain, so the readers finish
            }
            // commit in groups: at most GROUP_DOCS documents or GROUP_TIME of work at risk
            if group.len() >= opts.group_docs || opened.elapsed() >= GROUP_TIME {
                let step = close_group(store, &mut group, &mut counted, &mut summary)
                    .and_then(|_| store.begin_group().map_err(IngestError::from));
                if let Err(e) = step {
                    result = Err(e);
                    continue;
                }
                opened = Instant::now();
            }
            for d in docs {
                match d {
                    Ok(p) => match store_one(store, &p, &mut counted) {
                        Ok(()) => group.push(p),
                        Err(IngestError::Store(StoreError::GroupRolledBack { .. })) => {
                            // one document failed and took its group with it: write them
                            // again one by one, so the good ones are kept and the bad one is
                            // the error
                            group.push(p);
                            counted = Summary::default();
                            let step = replay(store, &mut group, &mut summary)
                                .and_then(|_| store.begin_group().map_err(IngestError::from));
                            if let Err(e) = step {
                                result = Err(e);
                                break;
                            }
                            opened = Instant::now();
                        }
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    },
                    Err(e) => summary.failed.push(Failure {
                        source: e.source_name,
                        reason: e.reason,
                    }),
                }
            }
            done += 1;
            progress(Progress {
                done,
                total: items.len(),
                documents: summary.added + summary.duplicates + counted.added + counted.duplicates,
            });
        }
        // what was written is kept even when a later document failed the store
        let closed = close_group(store, &mut group, &mut counted, &mut summary)
            .and_then(|_| Ok(store.checkpoint_in_background(false)?));
        if result.is_ok() {
            result = closed;
        }
    });
    result?;
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}

/// Commits the open group and counts what it did; when the commit fails, writes its
/// documents again one transaction each.
fn close_group(
    store: &mut Store,
    group: &mut Vec<Prepared>,
    counted: &mut Summary,
    summary: &mut Summary,
) -> Result<(), IngestError> {
    let outcome = store.commit_group();
    let counted = std::mem::take(counted);
    match outcome {
        Ok(()) => {
            summary.absorb(counted);
            group.clear();
            Ok(())
        }
        Err(StoreError::GroupRolledBack { .. }) => replay(store, group, summary),
        Err(e) => Err(e.into()),
    }
}

/// Writes a rolled-back group's documents again, each in its own transaction.
fn replay(
    store: &mut Store,
    group: &mut Vec<Prepared>,
    summary: &mut Summary,
) -> Result<(), IngestError> {
    debug_assert!(!store.in_group());
    for p in group.drain(..) {
        store_one(store, &p, summary)?;
    }
    Ok(())
}

/// Documents per commit group: a commit writes every page the group changed, and the
/// indexes' hot pages are shared by all its documents.
pub const GROUP_DOCS: usize = 1024;
/// Longest a group stays open: the most work a crash can lose.
const GROUP_TIME: std::time::Duration = std::time::Duration::from_secs(2);

fn store_one(store: &mut Store, p: &Prepared, summary: &mut Summary) -> Result<(), IngestError> {
    if store.find_content(&p.content_id)?.is_some() {
        summary.duplicates += 1;
        return Ok(());
    }
    let bands = p.signature.as_deref().map(dedup::bands).unwrap_or_default();
    let mut story = None;
    if let Some(sig) = &p.signature {
        let best = store
            .band_candidates(&bands)?
            .into_iter()
            .map(|(_, story, other)| (dedup::similarity(sig, &other), story))
            .filter(|(s, _)| *s >= dedup::COPY_THRESHOLD)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        story = best.map(|(_, s)| s);
    }
    let a = &p.article;
    let new = NewDocument {
        content_id: &p.content_id,
        source: &a.raw.source,
        url: a.url.as_deref(),
        title: a.raw.title.as_deref(),
        author: a.author.as_deref(),
        published: a.raw.date.as_deref(),
        publisher: a.publisher.as_deref(),
        lang: &p.lang,
        format: a.format,
        text: &a.raw.text,
        signature: p.signature.as_deref(),
        bands: &bands,
        story,
    };
    let extraction = match &p.outcome {
        Outcome::Extracted(doc) => Extraction::Done {
            doc,
            version: EXTRACTOR_VERSION,
        },
        Outcome::NotExtracted(why) => Extraction::Skipped(why),
        Outcome::Failed(why) => Extraction::Failed(why),
    };
    match store.add_document(&new, extraction)? {
        Added::New(_) => {
            summary.added += 1;
            if story.is_some() {
                summary.near_duplicates += 1;
            }
            match &p.outcome {
                Outcome::Extracted(doc) => summary.partnerships += doc.partnerships.len(),
                Outcome::NotExtracted(_) => {
                    *summary.not_extracted.entry(p.lang.clone()).or_default() += 1
                }
                Outcome::Failed(why) => summary.failed.push(Failure {
                    source: a.raw.source.clone(),
                    reason: format!("stored, but extraction failed: {why}"),
                }),
            }
        }
        Added::Duplicate(_) => summary.duplicates += 1,
    }
    Ok(())
}

/// What `reprocess` did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReprocessSummary {
    /// Documents extracted again.
    pub documents: usize,
    /// Partnership reports now stored for them.
    pub partnerships: usize,
    /// Documents whose extraction failed.
    pub failed: Vec<Failure>,
    /// Entities no longer referred to, removed.
    pub orphans_removed: usize,
    /// Wall time.
    pub seconds: f64,
}

/// Runs the pipeline again over stored documents (those extracted by another version, or
/// all), replacing what each yielded, one transaction per document.
pub fn reprocess(
    store: &mut Store,
    pipeline: &Pipeline,
    all: bool,
    threads: usize,
    progress: &mut dyn FnMut(Progress),
) -> Result<ReprocessSummary, IngestError> {
    let t0 = Instant::now();
    let ids = store.documents_to_reprocess(EXTRACTOR_VERSION, all)?;
    let mut summary = ReprocessSummary::default();
    for chunk in ids.chunks(256) {
        let mut inputs = Vec::with_capacity(chunk.len());
        for &id in chunk {
            let (source, title, date, lang, text) = store.document_input(id)?;
            inputs.push((
                id,
                lang,
                techties_extract::source::RawDoc {
                    source,
                    title,
                    date,
                    text,
                },
            ));
        }
        let next = AtomicUsize::new(0);
        let results: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads.max(1))
                .map(|_| {
                    let (inputs, next) = (&inputs, &next);
                    scope.spawn(move || {
                        let mut out = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((_, lang, raw)) = inputs.get(i) else {
                                break;
                            };
                            let outcome = extract(pipeline, lang, raw);
                            out.push((i, outcome));
                        }
                        out
                    })
                })
                .collect();
            let mut all: Vec<(usize, Outcome)> = handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect();
            all.sort_by_key(|(i, _)| *i);
            all
        });
        for (i, outcome) in results {
            let (id, _, raw) = &inputs[i];
            let extraction = match &outcome {
                Outcome::Extracted(doc) => {
                    summary.partnerships += doc.partnerships.len();
                    Extraction::Done {
                        doc,
                        version: EXTRACTOR_VERSION,
                    }
                }
                Outcome::NotExtracted(why) => Extraction::Skipped(why),
                Outcome::Failed(why) => {
                    summary.failed.push(Failure {
                        source: raw.source.clone(),
                        reason: why.clone(),
                    });
                    Extraction::Failed(why)
                }
            };
            store.replace_extraction(*id, extraction)?;
            summary.documents += 1;
        }
        progress(Progress {
            done: summary.documents,
            total: ids.len(),
            documents: summary.documents,
        });
    }
    summary.orphans_removed = store.remove_orphan_entities()?;
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}
