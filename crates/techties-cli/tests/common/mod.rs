//! What the binary's corpus tests share: running techties, its stats, and generated articles.
// each test file uses its own part of this
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn techties() -> Command {
    Command::new(env!("CARGO_BIN_EXE_techties"))
}

pub fn run(args: &[&str]) -> Output {
    techties().args(args).output().expect("techties runs")
}

pub fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

pub fn stats(db: impl AsRef<Path>) -> serde_json::Value {
    json(&["stats", "--json", "--db", db.as_ref().to_str().unwrap()])
}

pub fn article(dir: &Path, name: &str, url: &str, date: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!("Title: {name}\nURL: {url}\nDate: {date}\n\n{body}\n"),
    )
    .unwrap();
    p
}

pub const DEAL: &str =
    "Huawei opened a research and development centre in Kazan, Russia, on Tuesday. \
    The centre will work on 5G radio equipment, the Chinese company said in a statement. \
    Local officials welcomed the investment and said two hundred engineers would be hired.";

/// Filler that makes each generated article distinct.
pub fn filler(i: usize) -> String {
    let words = [
        "market",
        "analysts",
        "quarter",
        "revenue",
        "officials",
        "growth",
        "exports",
        "policy",
        "network",
        "factory",
        "contract",
        "supply",
    ];
    (0..40)
        .map(|k| words[(i * 7 + k * 3 + k * k) % words.len()])
        .collect::<Vec<_>>()
        .join(" ")
        + &format!(" number {i}.")
}
