#!/usr/bin/env python3
"""Score `techties ner tag --conll` output with an independent conlleval implementation.

The PyPI package `conlleval` (a Python port of the CoNLL-2000 perl script) reads lines whose
last two columns are the gold and the predicted tag, exactly what `ner tag` writes.

    pip install conlleval==0.2
    target/release/techties ner tag --conll ../shared/data/conll2003/test.txt > /tmp/test.tagged
    python3 scripts/conlleval_check.py /tmp/test.tagged
"""
import sys

import conlleval


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        # the port expects "-DOCSTART-" boundary lines and blank lines to be passed through
        lines = [line.rstrip("\n") for line in f]
    counts = conlleval.evaluate(lines)
    sys.stdout.write(conlleval.report(counts))


if __name__ == "__main__":
    main()
