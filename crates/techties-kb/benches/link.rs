//! Linking throughput in bytes of text per second (gazetteer matching, context resolution,
//! organisation patterns, acronyms) over the bundled sample corpus repeated to about 2 MB, and
//! tokenising with sentence splitting for comparison; and loading the knowledge base (parsing
//! the embedded data files and building the alias index). Run with `cargo bench -p techties-kb`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use techties_core::{Annotator, Doc, DocMeta};
use techties_kb::{Kb, Linker};

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let one: String = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("sample reads"))
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut text = String::new();
    while text.len() < 2_000_000 {
        text.push_str(&one);
        text.push_str("\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let kb = Kb::embedded();
    let linker = Linker::new(kb);
    let text = corpus();
    let mut g = c.benchmark_group("link");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    // linking alone, over a document segmented once
    let mut doc = Doc::new(DocMeta::new("bench"), text.clone());
    techties_text::Segmenter
        .annotate(&mut doc)
        .expect("segments");
    g.bench_function("link", |b| {
        b.iter(|| {
            doc.entities.clear();
            doc.mentions.clear();
            linker.annotate(&mut doc).expect("links");
            // a fast but broken linker must fail here
            assert!(
                doc.entities.len() > 50 && doc.mentions.len() > 1000,
                "{} entities",
                doc.entities.len()
            );
            doc.mentions.len()
        })
    });
    // tokenising and sentence splitting, for comparison
    g.bench_function("segment", |b| {
        b.iter(|| {
            let toks = techties_text::tokenize(&text);
            let sents = techties_text::split_sentences(&text, &toks);
            assert!(sents.len() > 1000);
            sents.len()
        })
    });
    g.finish();
    // start-up: what the first document of a process waits for
    let mut g = c.benchmark_group("kb");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| {
            let kb = Kb::from_embedded().expect("embedded data loads");
            assert!(kb.places.len() > 30_000 && kb.orgs.len() >= 600);
            kb.alias_count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
