//! The binary on bad input: every error names its file or line, the other documents are still
//! processed, and the exit status is 1.

use std::process::Command;

fn techties() -> Command {
    Command::new(env!("CARGO_BIN_EXE_techties"))
}

#[test]
fn bad_records_are_reported_and_the_batch_completes() {
    let dir = std::env::temp_dir().join(format!("techties-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let jsonl = dir.join("batch.jsonl");
    std::fs::write(
        &jsonl,
        "{\"url\":\"u1\",\"text\":\"Huawei opened a research centre in Kazan, Russia.\"}\n{broken\n{\"title\":\"no text\"}\n{\"url\":\"u4\",\"text\":\"Nothing here.\"}\n",
    )
    .unwrap();
    let bad_utf8 = dir.join("bad.txt");
    std::fs::write(&bad_utf8, b"caf\xff\xfe").unwrap();
    let missing = dir.join("missing.txt");
    let out = techties()
        .args([
            "extract",
            jsonl.to_str().unwrap(),
            bad_utf8.to_str().unwrap(),
            missing.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let sources: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"]["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(sources, ["u1", "u4"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("batch.jsonl:2: invalid JSON"), "{stderr}");
    assert!(stderr.contains("batch.jsonl:3: no \"text\""), "{stderr}");
    assert!(stderr.contains("bad.txt: not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("missing.txt: cannot read"), "{stderr}");
    assert!(stderr.contains("4 document(s) failed"), "{stderr}");
}

#[test]
fn stdin_and_pretty_output() {
    use std::io::Write;
    let mut child = techties()
        .args(["extract", "--format", "pretty", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Russian and Chinese firms signed an agreement on 5G.")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["doc"]["source"], "<stdin>");
    assert_eq!(v["partnerships"][0]["type"], "agreement");
}

#[test]
fn unsupported_input_type_is_named() {
    let out = techties().args(["extract", "Cargo.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cargo.toml: unsupported input type"));
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let ok = techties()
        .args(["ingest", samples, "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(ok.status.success());
    // `techties search ... | head -0`: the reader is gone before the first line is printed
    for args in [
        &["search", "--db", db.to_str().unwrap()][..],
        &["stats", "--db", db.to_str().unwrap()][..],
    ] {
        let mut child = techties()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
    }
}
