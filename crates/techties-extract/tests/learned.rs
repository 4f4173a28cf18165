//! The learned extractor: candidates from hand-written sentences, training on a tiny
//! hand-written corpus, and the model bundle's format.

use techties_core::CountryCode;
use techties_extract::evaluate::{load_corpus, LoadOptions};
use techties_extract::learned::candidates::{candidates, cue};
use techties_extract::learned::train::{candidate_recall, fit, prepare, score_learned, Fit};
use techties_extract::learned::{org_domains, Models};
use techties_extract::source::RawDoc;
use techties_extract::Pipeline;
use techties_kb::Kb;

fn doc(text: &str) -> techties_core::Doc {
    Pipeline::rules()
        .run(RawDoc {
            source: "test".into(),
            title: None,
            date: Some("2020-05-01".into()),
            text: text.into(),
        })
        .unwrap()
}

fn cc(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

#[test]
fn a_sentence_names_its_parties_and_a_sentence_without_any_has_them_only_from_context() {
    let d = doc("Chinese tech giant Huawei opened a research centre in Kazan, Russia. The weather was fine that day.");
    let cs = candidates(&d);
    assert_eq!(cs[0].sentence, 0);
    assert!(cs[0].cues_of(cc("CN")) & (cue::ORG | cue::DEMONYM) != 0);
    assert!(cs[0].cues_of(cc("RU")) & (cue::NAME | cue::SITE) != 0);
    // the second sentence is offered to the models, but nothing in it names a party
    let weather = cs
        .iter()
        .find(|c| c.sentence == 1)
        .expect("completed from context");
    assert!(weather
        .countries
        .iter()
        .all(|c| c.cues & cue::IN_SENTENCE == 0 && c.cues & (cue::PREVIOUS | cue::DOCUMENT) != 0));
}

#[test]
fn the_company_refers_back_to_the_organisation_named_before() {
    let d = doc("Huawei is a Chinese telecoms company. The company opened a laboratory in Moscow last year.");
    let cs = candidates(&d);
    let second = cs
        .iter()
        .find(|c| c.sentence == 1)
        .expect("the second sentence is a candidate");
    assert!(second.cues_of(cc("CN")) & cue::ANAPHOR != 0, "{second:?}");
    assert!(second.anaphor_org.is_some());
}

#[test]
fn both_sides_brings_in_the_documents_main_pair() {
    let d = doc("Russia and China held talks in Moscow. Russia and China agreed on a roadmap. Both sides signed an agreement on satellite navigation.");
    let cs = candidates(&d);
    let third = cs.iter().find(|c| c.sentence == 2).expect("a candidate");
    assert!(third.cues_of(cc("RU")) & cue::PAIR != 0);
    assert!(third.cues_of(cc("CN")) & cue::PAIR != 0);
}

/// A tiny corpus: three articles with gold, written for this test.
fn tiny_corpus() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("techties-learned-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::create_dir_all(dir.join("gold")).unwrap();
    let arts = [
        ("001", "Chinese firm Huawei opened a research centre in Kazan, Russia. The weather was fine.", "Chinese firm Huawei opened a research centre in Kazan, Russia.", "rd_center", "telecom", ["CN", "RU"]),
        ("002", "Russian Helicopters signed a contract with Chinese firm Avicopter to develop a heavy helicopter. Analysts were surprised.", "Russian Helicopters signed a contract with Chinese firm Avicopter to develop a heavy helicopter.", "joint_project", "aerospace", ["RU", "CN"]),
        ("003", "India bought S-400 missile systems from Russia in 2018. The sky was blue.", "India bought S-400 missile systems from Russia in 2018.", "arms_sale", "defense", ["IN", "RU"]),
    ];
    let mut splits = String::from("id\tsplit\n");
    for (id, text, ev, kind, dom, cs) in arts {
        std::fs::write(
            dir.join(format!("articles/{id}.txt")),
            format!("Title: t\nDate: 2020\nOutlet: Test\n\n{text}"),
        )
        .unwrap();
        let gold = serde_json::json!({"countries": cs, "organizations": [], "people": [], "places": [],
            "partnerships": [{"participants": cs, "countries": cs, "type": kind, "domains": [dom],
                              "places": [], "date": null, "evidence": ev}]});
        std::fs::write(dir.join(format!("gold/{id}.json")), gold.to_string()).unwrap();
        splits.push_str(&format!("{id}\ttrain\n"));
    }
    std::fs::write(dir.join("splits.tsv"), splits).unwrap();
    dir
}

#[test]
fn training_is_deterministic_and_learns_its_own_corpus() {
    let dir = tiny_corpus();
    let docs = load_corpus(
        &dir,
        &LoadOptions {
            split: Some("train"),
            ..LoadOptions::default()
        },
    )
    .unwrap();
    let prepared = prepare(&Pipeline::rules(), &docs);
    let (covered, total) = candidate_recall(&prepared);
    assert_eq!((covered, total), (3, 3));
    let refs: Vec<_> = prepared.iter().collect();
    let od = org_domains(Kb::embedded());
    let a = fit(&refs, &od, Fit::default());
    let b = fit(&refs, &od, Fit::default());
    assert_eq!(a.to_bytes(), b.to_bytes(), "same corpus, same bytes");
    let r = score_learned(&prepared, &a, &a.config, &od, Kb::embedded());
    assert_eq!(r.gold, 3);
    assert!(
        r.tp >= 2,
        "a model finds the facts it was trained on: {} of 3",
        r.tp
    );
    let back = Models::from_bytes("tiny", &a.to_bytes()).unwrap();
    assert_eq!(back.to_bytes(), a.to_bytes());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_bundle_is_refused_by_name() {
    let e = Models::from_bytes("models/extractor.bin", b"TTEX\x01\x09\x00").unwrap_err();
    assert!(e.to_string().contains("models/extractor.bin"), "{e}");
    assert!(Models::from_bytes("x", b"not a bundle").is_err());
}

#[test]
fn the_embedded_bundle_loads_or_is_absent() {
    // an empty models/extractor.bin means "rules only"; anything else must parse
    if let Some(m) = Models::embedded() {
        assert_eq!(
            m.kind.labels().len(),
            techties_core::PartnershipType::ALL.len()
        );
    }
}
