#!/usr/bin/env python3
"""Checks the report of `techties ingest` over scripts/hostile_corpus.py's folder: each hostile
file has the outcome it should, with a reason that says why, and the batch completed.

Usage: python3 scripts/hostile_check.py REPORT.json
"""
import json
import os
import sys

report = json.load(open(sys.argv[1]))
failed = {os.path.basename(f["source"]): f["reason"] for f in report["failed"]}

# file -> words its failure must contain, or None when it must be stored
expected = {
    "good.txt": None,
    "utf16-bom.txt": None,
    "entity-flood.html": None,
    "invalid-utf8.txt": "UTF-8",
    "nul-bytes.txt": "NUL bytes",
    "one-line-100mb.txt": "too large",
    "one-line-60mb.txt": "text too long to extract",
    "nested-100k.html": "nested deeper than 512",
    "million-items.rss": "too large",
    "deep.json": "recursion limit",
    "empty.txt": "no text",
    "deflate-bomb.pdf": "decompression bomb",
    "billion-pages.pdf": None,  # one real page: read, or refused with a PDF reason
}
problems = []
for name, words in expected.items():
    reason = failed.get(name)
    if words is None:
        if reason is not None and not (name.endswith(".pdf") and "PDF" in reason):
            problems.append(f"{name}: should be stored, failed: {reason}")
    elif reason is None:
        problems.append(f"{name}: should fail with {words!r}, was stored")
    elif words not in reason:
        problems.append(f"{name}: reason {reason!r} does not say {words!r}")
for name in failed:
    if name not in expected:
        problems.append(f"{name}: unexpected failure {failed[name]!r}")
if report["added"] < 3:
    problems.append(f"only {report['added']} documents stored")
for p in problems:
    print("hostile corpus:", p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"hostile corpus: {len(failed)} files refused by name, {report['added']} stored, "
      f"{report.get('skipped_files', '?')} skipped, as expected")
