#!/usr/bin/env python3
"""Writes a folder of hostile inputs for `techties ingest`: every file must get a clear error or
be processed, in bounded time and memory, and the batch must complete.

Usage: python3 scripts/hostile_corpus.py OUT_DIR
"""
import gzip
import os
import sys
import zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


story = "Huawei opened a research centre in Kazan, Russia, in 2019 with Kazan Federal University. "
write("invalid-utf8.txt", b"Huawei \xff\xfe\xfd opened a centre in Kazan.\n" * 10)
write("utf16-bom.txt", "\ufeff".encode("utf-16-le") + (story * 5).encode("utf-16-le"))
write("nul-bytes.txt", (story * 3).encode() + b"\x00" * 100 + story.encode())
# 100 MB on one line (more than the 64 MB file limit)
with open(os.path.join(out, "one-line-100mb.txt"), "wb") as f:
    chunk = (story * 100).encode()
    for _ in range(100_000_000 // len(chunk) + 1):
        f.write(chunk)
# 60 MB on one line (under the file limit)
with open(os.path.join(out, "one-line-60mb.txt"), "wb") as f:
    chunk = ("word " * 2000).encode()
    for _ in range(60_000_000 // len(chunk)):
        f.write(chunk)
write("nested-100k.html", b"<html><body>" + b"<div>" * 100_000 + story.encode() + b"</div>" * 100_000 + b"</body></html>")
write("entity-flood.html", b"<html><body><p>" + b"&amp;&lt;&#x41;&nbsp;" * 500_000 + b"</p></body></html>")
items = "".join(f"<item><title>t{i}</title><description>{story}</description></item>" for i in range(1_000_000))
write("million-items.rss", f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>{items}</channel></rss>".encode())
write("gzip-bomb.html.gz", gzip.compress(b"\0" * 100_000_000))
write("deep.json", b"[" * 100_000 + b"]" * 100_000)
write("empty.txt", b"")
loop = os.path.join(out, "loop")
os.makedirs(loop, exist_ok=True)
for name, target in (("self", "."), ("parent", "..")):
    p = os.path.join(loop, name)
    if not os.path.lexists(p):
        os.symlink(target, p)
write("good.txt", f"Title: good\n\n{story}\n".encode())

# a valid PDF whose one content stream inflates to 1 GB (about 1 MB on disk)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdf_seeds import build  # noqa: E402

# a valid PDF whose page tree claims 10^9 pages (it has one)
page = b"BT /F1 12 Tf 72 720 Td (Rosatom signed a deal in Beijing on Monday, officials said.) Tj ET"
write("billion-pages.pdf", build([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Count 1000000000 /Kids [4 0 R] >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(page), page),
]))

content = b"BT /F1 12 Tf 72 720 Td (" + story.encode() + b") Tj ET\n"
z = zlib.compressobj(9)
data = z.compress(content) + b"".join(z.compress(b" " * (1 << 24)) for _ in range(64)) + z.flush()
write("deflate-bomb.pdf", build([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
    f"<< /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream",
]))
