//! Faults of the machine rather than the input: a disk that fills up during an ingest, and a
//! database on a read-only disk or behind read-only permissions. Afterwards the database
//! passes SQLite's integrity check and holds every committed document exactly once.
//!
//! A real full disk needs a small filesystem: these tests mount a tmpfs, which needs root (or
//! password-less sudo). Without that they say so and return, unless
//! `TECHTIES_REQUIRE_FAULT_TESTS=1` is set (CI sets it), when they fail instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{article, filler, run, stats, DEAL};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn integrity_ok(db: &str) {
    let out = run(&["db-check", "--db", db]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("integrity ok"),
        "{said} {}",
        stderr(&out)
    );
}

/// Runs `mount`/`umount` directly when root, else through `sudo -n`.
fn privileged(args: &[&str]) -> bool {
    let direct = Command::new(args[0]).args(&args[1..]).output();
    if direct.is_ok_and(|o| o.status.success()) {
        return true;
    }
    Command::new("sudo")
        .arg("-n")
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmpfs of `size` mounted at a fresh folder, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let at = dir.path().to_str().unwrap().to_string();
        if privileged(&[
            "mount",
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size}"),
            "tmpfs",
            &at,
        ]) {
            return Some(Tmpfs { dir });
        }
        let required = std::env::var("TECHTIES_REQUIRE_FAULT_TESTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "TECHTIES_REQUIRE_FAULT_TESTS=1 but a tmpfs cannot be mounted (needs root or sudo)"
        );
        eprintln!("skipped: mounting a tmpfs needs root or password-less sudo");
        None
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, opts: &str) {
        let at = self.path().to_str().unwrap();
        assert!(
            privileged(&["mount", "-o", &format!("remount,{opts}"), at]),
            "remount {opts}"
        );
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let at = self.path().to_str().unwrap().to_string();
        privileged(&["umount", "-l", &at]);
    }
}

/// `n` distinct articles in a new folder under `dir`.
fn articles(dir: &Path, name: &str, n: usize, from: usize) -> PathBuf {
    let docs = dir.join(name);
    std::fs::create_dir_all(&docs).unwrap();
    for i in from..from + n {
        article(
            &docs,
            &format!("{i:05}.txt"),
            &format!("https://outlet{}.example/{i}", i % 7),
            "2022-01-02",
            &format!("{DEAL} {}", filler(i)),
        );
    }
    docs
}

#[test]
fn a_full_disk_stops_the_ingest_with_a_clear_error_and_loses_nothing() {
    let Some(disk) = Tmpfs::mount("6m") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let db = disk.path().join("corpus.db");
    let db_s = db.to_str().unwrap();
    // a first batch commits while there is room
    let first = articles(work.path(), "first", 20, 0);
    let out = run(&["ingest", first.to_str().unwrap(), "--db", db_s]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(db_s)["documents"], 20);
    // then the disk fills: a file takes all but ~600 KB
    let free = fs_free(disk.path());
    let ballast = disk.path().join("ballast");
    std::fs::write(
        &ballast,
        vec![0u8; free.saturating_sub(600 * 1024) as usize],
    )
    .unwrap();
    let second = articles(work.path(), "second", 400, 20);
    let ingest = [
        "ingest",
        second.to_str().unwrap(),
        "--db",
        db_s,
        "--commit-every",
        "16",
    ];
    let out = run(&ingest);
    assert!(!out.status.success(), "the disk was full: {}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("corpus.db") && said.contains("disk is full"),
        "{said}"
    );
    assert!(said.contains("run the same command again"), "{said}");
    // what was committed is whole, and every document is there once
    integrity_ok(db_s);
    let s = stats(db_s);
    let kept = s["documents"].as_i64().unwrap();
    assert!((20..420).contains(&kept), "{s}");
    let evidence = s["evidence"].as_i64().unwrap();
    assert_eq!(evidence % kept, 0, "each document's reports are whole: {s}");
    // with room again, the same command finishes the job
    std::fs::remove_file(&ballast).unwrap();
    let out = run(&ingest);
    assert!(out.status.success(), "{}", stderr(&out));
    integrity_ok(db_s);
    let s = stats(db_s);
    assert_eq!(s["documents"], 420, "{s}");
    assert_eq!(s["evidence"].as_i64().unwrap() % 420, 0, "{s}");
}

/// Free bytes on the filesystem holding `p` (from `df`, to need no unsafe `statvfs`).
fn fs_free(p: &Path) -> u64 {
    let out = Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(p)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .expect("df prints the free bytes")
}

#[test]
fn a_database_on_a_read_only_disk_refuses_writes_by_name_and_still_answers_reads() {
    let Some(disk) = Tmpfs::mount("32m") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let db = disk.path().join("corpus.db");
    let db_s = db.to_str().unwrap();
    let docs = articles(work.path(), "docs", 12, 0);
    assert!(run(&["ingest", docs.to_str().unwrap(), "--db", db_s])
        .status
        .success());
    let before = stats(db_s);
    disk.remount("ro");
    let more = articles(work.path(), "more", 3, 100);
    let out = run(&["ingest", more.to_str().unwrap(), "--db", db_s]);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(
        said.contains("corpus.db: the database cannot be written"),
        "{said}"
    );
    assert!(said.contains("reading commands"), "{said}");
    // reading still works, on the same data
    assert_eq!(stats(db_s), before);
    integrity_ok(db_s);
    let out = run(&["search", "Huawei", "--db", db_s]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Huawei"));
    disk.remount("rw");
    assert_eq!(stats(db_s), before, "nothing was lost");
}

#[test]
fn a_database_file_without_write_permission_is_refused_by_name() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("corpus.db");
    let db_s = db.to_str().unwrap();
    let docs = articles(work.path(), "docs", 5, 0);
    assert!(run(&["ingest", docs.to_str().unwrap(), "--db", db_s])
        .status
        .success());
    let before = stats(db_s);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let more = articles(work.path(), "more", 2, 50);
    let out = run(&["ingest", more.to_str().unwrap(), "--db", db_s]);
    // root ignores file permissions: then the write simply succeeds
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("corpus.db: the database cannot be written"),
            "{}",
            stderr(&out)
        );
        assert_eq!(stats(db_s), before);
    }
    integrity_ok(db_s);
}
