//! Documents written in a group: all of a group commits, or none of it, and a document that
//! fails takes only its group's uncommitted work with it.

use techties_store::{Added, Extraction, NewDocument, Store, StoreError};

fn doc<'a>(content_id: &'a str, text: &'a str, story: Option<i64>) -> NewDocument<'a> {
    NewDocument {
        content_id,
        source: content_id,
        lang: "en",
        format: "txt",
        text,
        story,
        ..NewDocument::default()
    }
}

fn count(store: &Store) -> i64 {
    store.stats().unwrap().documents
}

#[test]
fn a_failing_document_rolls_back_its_group_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("t.db")).unwrap();
    store
        .add_document(
            &doc("before", "Committed on its own.", None),
            Extraction::Skipped("x"),
        )
        .unwrap();
    store.begin_group().unwrap();
    assert!(store.in_group());
    let first = store
        .add_document(
            &doc("a", "First of the group.", None),
            Extraction::Skipped("x"),
        )
        .unwrap();
    assert!(matches!(first, Added::New(_)));
    // a copy of a story that does not exist breaks the foreign key
    let err = store
        .add_document(
            &doc("b", "Second of the group.", Some(999_999)),
            Extraction::Skipped("x"),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::GroupRolledBack { .. }), "{err}");
    assert!(err.to_string().contains("rolled back"));
    assert!(!store.in_group());
    // the group's first document went with it; what was committed before stays
    assert_eq!(count(&store), 1);
    assert!(store.find_content("a").unwrap().is_none());
    assert!(store.find_content("before").unwrap().is_some());
    // written again on its own, it is stored
    store
        .add_document(
            &doc("a", "First of the group.", None),
            Extraction::Skipped("x"),
        )
        .unwrap();
    assert_eq!(count(&store), 2);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_group_commits_together_and_background_checkpoints_stop_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    {
        let mut store = Store::open(&path).unwrap();
        store.checkpoint_in_background(true).unwrap();
        store.begin_group().unwrap();
        for i in 0..50 {
            let id = format!("doc{i}");
            let text = format!("Document number {i} of the group.");
            store
                .add_document(&doc(&id, &text, None), Extraction::Skipped("x"))
                .unwrap();
        }
        store.commit_group().unwrap();
        store.checkpoint_in_background(false).unwrap();
    }
    let store = Store::open_read_only(&path).unwrap();
    assert_eq!(count(&store), 50);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
