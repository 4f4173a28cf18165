//! Throughput of the whole extraction pipeline over the bundled sample corpus, in characters
//! per second. Run with `cargo bench -p techties-extract`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use techties_extract::{source, Pipeline};

fn samples() -> Vec<source::RawDoc> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .flat_map(|p| source::read_input(p.to_str().unwrap_or_default()))
        .filter_map(Result::ok)
        .collect()
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::standard();
    let docs = samples();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();
    let mut g = c.benchmark_group("extract");
    // elements are characters: criterion reports characters per second
    g.throughput(Throughput::Elements(chars as u64));
    g.bench_function("samples", |b| {
        b.iter(|| {
            let mut found = 0;
            for d in &docs {
                let doc = pipeline.run(d.clone()).expect("sample extracts");
                found += doc.partnerships.len();
            }
            // a fast but wrong build must fail here, not pass quietly
            assert!(found > 0);
            found
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
