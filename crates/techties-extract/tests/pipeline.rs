//! End-to-end tests of the extraction pipeline: snapshots of the contract JSON for the
//! hand-written fixtures in `fixtures/docs/`, properties every output must have, and
//! regression tests named after what they protect.

use proptest::prelude::*;
use serde_json::Value;
use techties_extract::{output, source, Pipeline};

fn pipeline() -> &'static Pipeline {
    static P: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    P.get_or_init(Pipeline::standard)
}

fn fixture_path(name: &str) -> String {
    format!("{}/../../fixtures/docs/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Value {
    let mut raw = source::read_input(&fixture_path(name))
        .remove(0)
        .expect("fixture reads");
    raw.source = name.to_string();
    output::to_value(&pipeline().run(raw).expect("fixture extracts"))
}

fn run_text(text: &str) -> Value {
    let raw = source::RawDoc {
        source: "t".into(),
        title: None,
        date: None,
        text: text.into(),
    };
    output::to_value(&pipeline().run(raw).expect("extracts"))
}

/// The parts of the output a reviewer reads: partnerships in full, entities without offsets.
fn review(v: &Value) -> Value {
    let ents: Vec<Value> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::json!({"id": e["id"], "kind": e["kind"], "country": e["country"], "mentions": e["mentions"].as_array().unwrap().iter().map(|m| m["text"].clone()).collect::<Vec<_>>()}))
        .collect();
    serde_json::json!({"entities": ents, "partnerships": v["partnerships"]})
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn snapshot_rd_centres() {
    insta::assert_json_snapshot!(review(&fixture("rd-centres.txt")));
}

#[test]
fn snapshot_joint_lab() {
    insta::assert_json_snapshot!(review(&fixture("joint-lab.txt")));
}

#[test]
fn snapshot_no_partnership() {
    insta::assert_json_snapshot!(review(&fixture("no-partnership.txt")));
}

#[test]
fn snapshot_metonyms() {
    insta::assert_json_snapshot!(review(&fixture("metonyms.txt")));
}

#[test]
fn several_cities_in_one_sentence_are_one_partnership() {
    let v = fixture("rd-centres.txt");
    let ps = v["partnerships"].as_array().unwrap();
    let moscow: Vec<&Value> = ps
        .iter()
        .filter(|p| {
            p["places"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["name"] == "Moscow")
        })
        .collect();
    assert_eq!(moscow.len(), 1);
    let names: Vec<&str> = moscow[0]["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    // named as the evidence writes it, linked to the GeoNames city
    assert!(names.contains(&"St. Petersburg"), "{names:?}");
    assert!(moscow[0]["places"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["entity"] == "place:498817"));
}

#[test]
fn unnamed_parties_with_a_nationality_are_participants() {
    let v = fixture("joint-lab.txt");
    let lab = v["partnerships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == "joint_lab")
        .expect("a joint lab");
    let names: Vec<&str> = lab["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("Chinese biotechnology company")),
        "{names:?}"
    );
    assert_eq!(lab["date"], "2018");
    let countries = strs(&lab["countries"]);
    assert!(countries.contains(&"RU") && countries.contains(&"CN"));
}

#[test]
fn domestic_news_is_not_a_partnership() {
    assert_eq!(
        fixture("no-partnership.txt")["partnerships"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn capitals_as_actors_are_countries() {
    let v = fixture("metonyms.txt");
    let p = &v["partnerships"][0];
    assert_eq!(p["type"], "agreement");
    assert_eq!(p["date"], "2019-08-01");
    let mut c = strs(&p["countries"]);
    c.sort();
    assert_eq!(c, ["CN", "RU"]);
}

#[test]
fn soviet_union_is_a_historical_party() {
    let v = fixture("metonyms.txt");
    assert!(v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "country:SU"));
}

/// Checks the invariants of the contract for one output against its text.
fn check_offsets(text: &str, v: &Value) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |s: u64, e: u64| -> String { chars[s as usize..e as usize].iter().collect() };
    assert_eq!(v["doc"]["chars"].as_u64().unwrap() as usize, chars.len());
    for e in v["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().unwrap() {
            let (s, en) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
            assert!(s < en && en as usize <= chars.len());
            assert_eq!(slice(s, en), m["text"].as_str().unwrap());
        }
    }
    for p in v["partnerships"].as_array().unwrap() {
        let ev = &p["evidence"];
        let (s, en) = (ev["start"].as_u64().unwrap(), ev["end"].as_u64().unwrap());
        assert_eq!(slice(s, en), ev["text"].as_str().unwrap());
        assert!(
            p["countries"].as_array().unwrap().len() >= 2,
            "a partnership needs two countries: {p}"
        );
        assert!((0.0..=1.0).contains(&p["confidence"].as_f64().unwrap()));
    }
}

#[test]
fn fixtures_keep_offsets_exact() {
    for name in [
        "rd-centres.txt",
        "joint-lab.txt",
        "no-partnership.txt",
        "metonyms.txt",
    ] {
        let raw = source::read_input(&fixture_path(name)).remove(0).unwrap();
        let text = raw.text.clone();
        let v = output::to_value(&pipeline().run(raw).unwrap());
        check_offsets(&text, &v);
    }
}

#[test]
fn issue_2_multibyte_text_gets_character_offsets() {
    let text = "Компания «Хуавэй» — Chinese firm Huawei opened a research centre in Kazan, Russia. 华为 also signed a deal with Russian operator MTS.";
    let v = run_text(text);
    check_offsets(text, &v);
    assert!(!v["partnerships"].as_array().unwrap().is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn spans_lie_on_characters_and_evidence_is_verbatim(
        parts in prop::collection::vec(prop_oneof![
            Just("Huawei ".to_string()), Just("opened a research centre in ".to_string()), Just("Kazan".to_string()),
            Just(", Russia. ".to_string()), Just("Chinese and Russian firms signed a deal. ".to_string()), Just("St. ".to_string()),
            Just("U.S. ".to_string()), Just("«Хуавэй» ".to_string()), Just("华为。".to_string()), Just("\n\n".to_string()),
            Just("Sino-Russian ".to_string()), Just("in 2018 ".to_string()), Just("— ".to_string()), "[a-zA-Zé .,'\"-]{0,12}",
        ], 0..30)
    ) {
        let text: String = parts.concat();
        let v = run_text(&text);
        check_offsets(&text, &v);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let v = run_text(&text);
        check_offsets(&text, &v);
    }
}

#[test]
fn issue_5_parties_resolved_across_sentences() {
    // "the Chinese firm" is the company named in the sentence before; "the two countries" is
    // the article's main pair
    let v = run_text(
        "Huawei is China's largest telecoms vendor. Russia and China have long traded. \
         Russia and China sign deals every year. The Chinese firm opened a research centre in Novosibirsk. \
         The two countries also agreed to cooperate on satellite navigation.",
    );
    let ps = v["partnerships"].as_array().unwrap();
    let centre = ps
        .iter()
        .find(|p| p["type"] == "rd_center")
        .expect("the centre");
    let names: Vec<&str> = centre["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Huawei"), "{names:?}");
    let mut c = strs(&centre["countries"]);
    c.sort();
    assert_eq!(c, ["CN", "RU"]);
    let nav = ps
        .iter()
        .find(|p| {
            p["evidence"]["text"]
                .as_str()
                .unwrap()
                .starts_with("The two countries")
        })
        .expect("the navigation deal");
    let mut c = strs(&nav["countries"]);
    c.sort();
    assert_eq!(c, ["CN", "RU"]);
    assert_eq!(nav["domains"][0], "space");
}

#[test]
fn issue_5_speculation_is_planned_and_denial_denied() {
    let v = run_text("Russian and Chinese firms plan to build a joint laboratory in Kazan. Huawei denied that it had signed a deal with Russian operator MTS.");
    let ps = v["partnerships"].as_array().unwrap();
    assert_eq!(ps[0]["status"], "planned");
    assert!(ps.iter().any(|p| p["status"] == "denied"), "{ps:?}");
}
