#!/usr/bin/env bash
# Copies the annotation drafts (evidence as text, outside the repository) into the committed
# corpus (evidence as offsets): A, B and gold where each exists, and the adjudication notes.
#   bash scripts/corpus_sync.sh [/work/annot]
set -euo pipefail
cd "$(dirname "$0")/.."
drafts=${1:-/work/annot}
for who in A B gold; do
  python3 scripts/corpus.py to-offsets --drafts "$drafts/$who" --out "corpus/en/$who"
done
mkdir -p corpus/en/notes
for f in "$drafts"/notes/*.json; do
  python3 -c 'import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],"w"), ensure_ascii=False, indent=1)' "$f" "corpus/en/notes/$(basename "$f")"
done
python3 scripts/corpus.py validate
