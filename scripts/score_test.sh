#!/usr/bin/env bash
# Scores the corpus's TEST split once and appends the entry to docs/TESTLOG.md: date, commit,
# command and figures. The test split is scored once per issue, at its end; later work compares
# with the last entry. Everything else (tuning, error study) uses the dev split.
#   bash scripts/score_test.sh "why: the issue this closes"
set -euo pipefail
cd "$(dirname "$0")/.."
why=${1:?say why the test split is scored (the issue it closes)}
cargo build --release --locked -q
bin=target/release/techties
arts=../shared/corpus/en/articles
test -d "$arts" || { echo "the article texts ($arts) are needed to score" >&2; exit 1; }
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- crates data models || commit="$commit+uncommitted"
cmd="python3 ../shared/eval/score.py --corpus corpus/en --articles $arts --split test --cmd '$bin extract --format jsonl'"
figures=$(eval "$cmd")
types=$("$bin" eval --corpus corpus/en --articles "$arts" --split test | sed -n '/^per type/,/^$/p')
{
  echo
  echo "## $(date -u +%Y-%m-%d) · $commit · $why"
  echo
  echo '```'
  echo "\$ $cmd"
  echo "$figures"
  echo
  echo "$types"
  echo '```'
} >> docs/TESTLOG.md
echo "appended to docs/TESTLOG.md:"
echo "$figures" | tail -n 1
