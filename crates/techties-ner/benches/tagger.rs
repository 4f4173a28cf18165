//! Tagging throughput of the shipped model, in tokens per second, on the CoNLL-2003 test set
//! when `../shared/data/conll2003/test.txt` is beside the repository, else on a built-in
//! sample (without the knowledge-base gazetteer, which lives in techties-extract; the
//! `ner eval` command reports the figure with it).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use techties_ner::{conll, Model, NoGazetteer};

const MODEL: &[u8] = include_bytes!("../../../models/ner-conll03.bin");

fn data() -> Vec<conll::Document> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/conll2003/test.txt"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| {
        "Chinese B-MISC\ntech O\ngiant O\nHuawei B-ORG\nsigned O\na O\ndeal O\nwith O\nRussian B-MISC\noperator O\nMTS B-ORG\nin O\nMoscow B-LOC\n. O\n\n".repeat(200)
    });
    conll::parse(path, &text, true).expect("CoNLL data parses")
}

fn bench(c: &mut Criterion) {
    let model = Model::from_bytes("models/ner-conll03.bin", MODEL).expect("shipped model loads");
    let docs = data();
    let sents: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.words.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let tokens: usize = sents.iter().flatten().map(Vec::len).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function("tag", |b| {
        b.iter(|| {
            let mut entities = 0;
            for d in &sents {
                for tags in model.tag_document(d, &NoGazetteer) {
                    entities += tags.iter().filter(|t| t.is_begin()).count();
                }
            }
            // a fast but broken model must fail here
            assert!(entities * 20 > tokens / 10, "too few entities: {entities}");
            entities
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
