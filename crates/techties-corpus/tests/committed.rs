//! The committed corpus (`corpus/en`) is valid: every gold, A and B file parses and is in the
//! contract, every span lies inside its article, every split id exists — checked against the
//! article texts too where `../shared/corpus` is beside the repository.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use techties_corpus::{validate, Annotation, Corpus};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn known_countries() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("data/kb/countries.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .map(String::from)
        .collect()
}

#[test]
fn the_english_corpus_is_valid() {
    let corpus = Corpus::open(&root().join("corpus/en")).unwrap();
    let texts = root().join("../shared/corpus/en/articles");
    let texts = texts.is_dir().then_some(texts.as_path());
    let (problems, files) = validate(&corpus, texts, Some(&known_countries()));
    for p in &problems {
        eprintln!("{p}");
    }
    assert!(problems.is_empty(), "{} problem(s)", problems.len());
    assert!(files > 0);
    eprintln!(
        "{files} files valid{}",
        if texts.is_some() {
            ", checked against the texts"
        } else {
            " (texts absent: lengths checked by articles.tsv)"
        }
    );
}

#[test]
fn validation_catches_text_evidence_spans_outside_and_unknown_ids() {
    let dir = std::env::temp_dir().join(format!("techties-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("gold")).unwrap();
    std::fs::write(
        dir.join("articles.tsv"),
        "id\tchars\tsha256\toutlet\tdate\n0001\t40\tx\tTASS\t2020\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("splits.tsv"),
        "id\tsplit\toutlet\tgroup\n0001\tdev\tTASS\t0001\n0009\ttest\tTASS\t0009\n",
    )
    .unwrap();
    let part = |ev: &str| {
        format!(
            r#"{{"countries":["RU","CN"],"organizations":[],"people":[],"places":[],"partnerships":[
              {{"participants":["RU","CN"],"countries":["RU","CN"],"type":"agreement","domains":["space"],
                "evidence":{ev}}}]}}"#
        )
    };
    std::fs::write(dir.join("gold/0001.json"), part(r#""a sentence""#)).unwrap();
    std::fs::create_dir_all(dir.join("A")).unwrap();
    std::fs::write(dir.join("A/0001.json"), part(r#"{"start":30,"end":41}"#)).unwrap();
    std::fs::create_dir_all(dir.join("B")).unwrap();
    std::fs::write(dir.join("B/0002.json"), part(r#"{"start":0,"end":4}"#)).unwrap();
    let corpus = Corpus::open(&dir).unwrap();
    let (problems, files) = validate(&corpus, None, Some(&known_countries()));
    let all: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(files, 3);
    assert!(
        all.iter()
            .any(|p| p.contains("gold") && p.contains("is text")),
        "{all:?}"
    );
    assert!(all.iter().any(|p| p.contains("30..41")), "{all:?}");
    assert!(
        all.iter()
            .any(|p| p.contains("0002") && p.contains("not in articles.tsv")),
        "{all:?}"
    );
    assert!(all.iter().any(|p| p.contains("0009")), "{all:?}");
    assert!(
        all.iter().any(|p| p.contains("outlet \"TASS\" is in both")),
        "{all:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gold_files_read_as_the_eval_corpora_write_them() {
    let a: Annotation = serde_json::from_str(
        r#"{"id":"002","countries":["CN","RU"],"organizations":[{"name":"Huawei","aliases":[],"country":"CN","kind":"company"}],
            "people":[{"name":"Guo Ping","role":"Deputy Chairman","country":"CN"}],"places":[{"name":"Europe","country":null}],
            "partnerships":[{"participants":["CN","RU"],"countries":["CN","RU"],"type":"other","domains":["defense"],"places":[],"date":null,
              "evidence":"China and Russia are deepening ties.","alt_evidence":["Ties deepen", {"start": 0, "end": 5}]}]}"#,
    )
    .unwrap();
    assert!(a.shape_problems().is_empty());
    let p = &a.partnerships[0];
    assert_eq!(
        p.spans("Ties deepen. China and Russia are deepening ties."),
        vec![(13, 49), (0, 11), (0, 5)]
    );
}

#[test]
fn every_article_has_gold_two_annotations_and_a_split() {
    let corpus = Corpus::open(&root().join("corpus/en")).unwrap();
    let mut partnerships = 0;
    for row in &corpus.articles {
        for who in ["gold", "A", "B"] {
            assert!(
                corpus.annotation_path(who, &row.id).exists(),
                "{} has no {who} file",
                row.id
            );
        }
        assert!(
            corpus.splits.contains_key(&row.id),
            "{} has no split",
            row.id
        );
        partnerships += Annotation::read(&corpus.annotation_path("gold", &row.id))
            .unwrap()
            .partnerships
            .len();
    }
    assert!(
        corpus.articles.len() >= 300,
        "{} articles",
        corpus.articles.len()
    );
    assert!(partnerships >= 550, "{partnerships} gold partnerships");
    for split in ["train", "dev", "test"] {
        assert!(
            !corpus.ids(Some(split)).is_empty(),
            "the {split} split is empty"
        );
    }
}
