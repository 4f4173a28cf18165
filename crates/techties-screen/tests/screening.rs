//! Screening a hand-made list against a hand-made corpus and risk list: a misspelled name, a
//! transliterated Russian name, a name in Chinese characters, an unknown organisation and an
//! ambiguous one, with the resolutions, paths and levels an analyst would expect; then
//! watches and the alerts a new report raises.

use techties_core::{
    CountryCode, Doc, DocMeta, Domain, Entity, EntityKind, Mention, MentionRole, OrgKind,
    Participant, Partnership, PartnershipType, Span, Status,
};
use techties_kb::Kb;
use techties_screen::{parse_list, parse_risk_list, Options, Screener};
use techties_store::{Extraction, NewDocument, Store};

/// An organisation: a knowledge-base id ("org:huawei") or an unlinked name.
struct Org(&'static str, &'static str, &'static str);

fn entity(o: &Org) -> Entity {
    let linked = o.0.starts_with("org:");
    Entity {
        id: if linked {
            o.0.into()
        } else {
            format!("new:{}", o.1)
        },
        name: o.1.into(),
        kind: EntityKind::Organization,
        subkind: Some(OrgKind::Company),
        country: CountryCode::parse(o.2),
        lat: None,
        lon: None,
        linked,
    }
}

/// Stores one article reporting one partnership between two organisations.
fn report(
    store: &mut Store,
    url: &str,
    published: &str,
    a: &Org,
    b: &Org,
    kind: PartnershipType,
    status: Status,
) {
    let text = format!("{} and {} agreed to cooperate on radar research.", a.1, b.1);
    let mut doc = Doc::new(DocMeta::new(url), text.clone());
    doc.entities = vec![entity(a), entity(b)];
    doc.mentions = vec![
        Mention {
            span: Span::new(0, a.1.len()),
            entity: 0,
            role: MentionRole::Name,
        },
        Mention {
            span: Span::new(a.1.len() + 5, a.1.len() + 5 + b.1.len()),
            entity: 1,
            role: MentionRole::Name,
        },
    ];
    let mut countries: Vec<CountryCode> = [a.2, b.2]
        .iter()
        .filter_map(|c| CountryCode::parse(c))
        .collect();
    countries.sort();
    countries.dedup();
    doc.partnerships = vec![Partnership {
        kind,
        domains: vec![Domain::Telecom],
        participants: [a, b]
            .iter()
            .enumerate()
            .map(|(i, o)| Participant {
                entity: Some(i),
                name: o.1.into(),
                country: CountryCode::parse(o.2),
            })
            .collect(),
        countries,
        places: vec![],
        date: Some(published[..4].into()),
        evidence: Span::new(0, text.len()),
        confidence: 0.8,
        trigger: Span::new(a.1.len() + 5 + b.1.len() + 1, a.1.len() + 5 + b.1.len() + 7),
        status,
    }];
    let id = format!("{url}#{published}");
    store
        .add_document(
            &NewDocument {
                content_id: &id,
                source: url,
                url: Some(url),
                published: Some(published),
                publisher: Some(url.split('/').nth(2).unwrap()),
                lang: "en",
                format: "html",
                text: &text,
                ..NewDocument::default()
            },
            Extraction::Done {
                doc: &doc,
                version: "test",
            },
        )
        .unwrap();
}

const HUAWEI: Org = Org("org:huawei", "Huawei", "CN");
const SKOLTECH: Org = Org("org:skoltech", "Skoltech", "RU");
const HIT: Org = Org("org:hit", "Harbin Institute of Technology", "CN");
const RADAR: Org = Org("-", "Volga Radar Works", "RU");
const AUTOMATION_CN: Org = Org("-", "Institute of Automation", "CN");
const AUTOMATION_RU: Org = Org("-", "Institute of Automation", "RU");
const SENSORS: Org = Org("-", "Nordic Sensor", "SE");

fn world(dir: &std::path::Path) -> Store {
    let mut store = Store::open(dir.join("s.db")).unwrap();
    use PartnershipType::*;
    report(
        &mut store,
        "https://a.example/1",
        "2019-05-07",
        &HUAWEI,
        &SKOLTECH,
        JointLab,
        Status::Operational,
    );
    report(
        &mut store,
        "https://b.example/2",
        "2021-03-01",
        &SKOLTECH,
        &RADAR,
        Agreement,
        Status::Signed,
    );
    report(
        &mut store,
        "https://c.example/3",
        "2020-01-01",
        &AUTOMATION_CN,
        &HUAWEI,
        JointProject,
        Status::Announced,
    );
    report(
        &mut store,
        "https://d.example/4",
        "2020-02-01",
        &AUTOMATION_RU,
        &SKOLTECH,
        Academic,
        Status::Announced,
    );
    // published in the future: not known on any date screened so far
    report(
        &mut store,
        "https://e.example/5",
        "2099-06-01",
        &HIT,
        &SENSORS,
        TechnologyTransfer,
        Status::Planned,
    );
    let csv = "name,country,aliases,reason\n\"Volga Radar Works JSC\",RU,VRW,\"Entity List: radar components for the military\"\n";
    let (format, entries) =
        parse_risk_list("risk.csv", csv.as_bytes(), "demo-entity-list").unwrap();
    assert_eq!(format, "csv");
    store
        .replace_risk_list("demo-entity-list", "risk.csv", format, &entries)
        .unwrap();
    store
}

fn today() -> String {
    // a date safely after the documents were ingested and before the one from the future
    "2098-01-01".to_string()
}

#[test]
fn a_hand_made_list_resolves_and_gets_paths_and_levels() {
    let dir = tempfile::tempdir().unwrap();
    let store = world(dir.path());
    let list = "name,country\n\
        Huawie Technologies,\n\
        Сколтех,\n\
        哈尔滨工业大学,\n\
        Zyx Quantum Widgets Ltd,\n\
        Institute of Automation,\n\
        Institute of Automation,CN\n\
        VRW,\n";
    let rows = parse_list("list.csv", list.as_bytes()).unwrap();
    let s = Screener::new(&store, Kb::embedded(), Options::default()).unwrap();
    let r = s.screen("list.csv", &rows).unwrap();
    let row = |i: usize| &r.rows[i];
    let matched = |i: usize| row(i).resolution.matched.as_ref().map(|m| m.name.as_str());

    // misspelled: Huawei, two partnerships away from a listed radar maker through Skoltech
    assert_eq!(row(0).resolution.status, "resolved");
    assert_eq!(matched(0), Some("Huawei"));
    assert_eq!(row(0).ties.len(), 2);
    let path = &row(0).paths[0];
    assert_eq!(path.target, "Volga Radar Works");
    let chain: Vec<(&str, &str)> = path
        .hops
        .iter()
        .map(|h| (h.from.as_str(), h.to.as_str()))
        .collect();
    assert_eq!(
        chain,
        [("Huawei", "Skoltech"), ("Skoltech", "Volga Radar Works")]
    );
    assert!(path
        .hops
        .iter()
        .all(|h| !h.tie.evidence.is_empty() && h.tie.source.starts_with("https://")));
    assert_eq!(row(0).risk, "high");
    assert!(
        row(0)
            .rationale
            .contains("2 partnerships away from Volga Radar Works"),
        "{}",
        row(0).rationale
    );

    // transliterated Russian: Skoltech, tied directly to the listed entity
    assert_eq!(matched(1), Some("Skoltech"));
    assert_eq!(row(1).risk, "very high");
    assert!(
        row(1).rationale.contains("Volga Radar Works"),
        "{}",
        row(1).rationale
    );
    assert_eq!(row(1).flagged_partners.len(), 1);

    // in Chinese characters: Harbin Institute of Technology, defence in the knowledge base;
    // its only partnership is reported in the future, so it has none yet
    assert_eq!(matched(2), Some("Harbin Institute of Technology"));
    assert!(row(2).flags.iter().any(|f| f.kind == "defence"));
    assert_eq!(row(2).risk, "high");

    // unknown
    assert_eq!(row(3).resolution.status, "unknown");
    assert_eq!(row(3).risk, "none");

    // ambiguous without a country: both candidates shown, no guess
    assert_eq!(row(4).resolution.status, "ambiguous");
    assert!(row(4).resolution.matched.is_none());
    let countries: Vec<Option<&str>> = row(4)
        .resolution
        .alternatives
        .iter()
        .take(2)
        .map(|c| c.country.as_deref())
        .collect();
    assert!(countries.contains(&Some("CN")) && countries.contains(&Some("RU")));
    assert!(row(4).ties.is_empty());
    // the country settles it
    assert_eq!(row(5).resolution.status, "resolved");
    assert_eq!(
        row(5)
            .resolution
            .matched
            .as_ref()
            .unwrap()
            .country
            .as_deref(),
        Some("CN")
    );
    assert_eq!(row(5).ties.len(), 1);

    // the risk list's alias: the listed entity itself
    assert_eq!(matched(6), Some("Volga Radar Works"));
    assert_eq!(row(6).risk, "very high");
    assert!(row(6).flags[0].basis.contains("radar components"));
}

#[test]
fn as_of_screens_only_what_was_known_then() {
    let dir = tempfile::tempdir().unwrap();
    let store = world(dir.path());
    let rows = parse_list(
        "l.txt",
        "Skoltech\nHarbin Institute of Technology\n".as_bytes(),
    )
    .unwrap();
    let before = Screener::new(
        &store,
        Kb::embedded(),
        Options {
            as_of: Some("2000-01-01".into()),
            hops: 2,
        },
    )
    .unwrap()
    .screen("l.txt", &rows)
    .unwrap();
    // nothing was published and ingested by then
    assert!(before.rows[0].ties.is_empty());
    assert_eq!(before.as_of.as_deref(), Some("2000-01-01"));
    assert!(before.snapshot.documents == 5);
    let now = Screener::new(
        &store,
        Kb::embedded(),
        Options {
            as_of: Some(today()),
            hops: 2,
        },
    )
    .unwrap()
    .screen("l.txt", &rows)
    .unwrap();
    assert_eq!(now.rows[0].ties.len(), 3);
    // the report from the future is not known yet
    assert!(now.rows[1].ties.is_empty());
    let all = Screener::new(&store, Kb::embedded(), Options::default())
        .unwrap()
        .screen("l.txt", &rows)
        .unwrap();
    assert_eq!(all.rows[1].ties.len(), 1);
}

#[test]
fn reports_escape_what_documents_and_lists_say() {
    let dir = tempfile::tempdir().unwrap();
    let store = world(dir.path());
    let rows = parse_list(
        "l.txt",
        "<script>alert(1)</script>\n=HYPERLINK(\"x\")\nSkoltech\n".as_bytes(),
    )
    .unwrap();
    let r = Screener::new(&store, Kb::embedded(), Options::default())
        .unwrap()
        .screen("l.txt", &rows)
        .unwrap();
    let html = techties_screen::report::to_html(&r);
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;"));
    assert!(html.contains("Skoltech"));
    let csv = techties_screen::report::to_csv(&r);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&techties_screen::report::to_json(&r)).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), 3);
}

#[test]
fn watches_raise_alerts_on_new_ties_and_status_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = world(dir.path());
    let skoltech = store
        .organisations()
        .unwrap()
        .into_iter()
        .find(|o| o.1 == "Skoltech")
        .unwrap()
        .0;
    store
        .add_watch("entity", &skoltech.to_string(), "Skoltech")
        .unwrap();
    store.add_watch("pair", "CN-SE", "CN,SE").unwrap();
    let all = store.alerts(None).unwrap();
    // Skoltech's three ties and the Chinese-Swedish one, each new
    assert_eq!(all.len(), 4, "{all:#?}");
    assert!(all.iter().all(|a| a.change == "new"));
    let mark = all.iter().map(|a| a.at.clone()).max().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // a later report: the radar agreement is suspended
    report(
        &mut store,
        "https://f.example/6",
        "2021-09-01",
        &SKOLTECH,
        &RADAR,
        PartnershipType::Agreement,
        Status::Suspended,
    );
    let new = store.alerts(Some(&mark)).unwrap();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0].change, "status");
    assert_eq!(new[0].old_status.as_deref(), Some("signed"));
    assert_eq!(new[0].new_status, "suspended");
    assert_eq!(new[0].watch.label, "Skoltech");
}
