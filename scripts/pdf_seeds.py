#!/usr/bin/env python3
"""Writes small, valid PDFs that exercise the parts of a PDF reader random bytes never reach:
cross-reference tables and streams, object streams, compressed content, several pages, text
operators (Tj, TJ, ', ", T*), Info dictionaries, ToUnicode maps and incremental updates.

They seed the `pdf` fuzz target (`fuzz/corpus/pdf`) and are written by hand so that every
byte offset in the cross-reference data is exact.

Usage: python3 scripts/pdf_seeds.py OUT_DIR
"""
import os
import sys
import zlib

SENTENCES = [
    "Huawei opened a research centre in Kazan, Russia, in 2019.",
    "Rosatom and CNNC signed an agreement on fast reactors in Beijing.",
    "The joint laboratory (AI and 5G) employs 200 engineers.",
]


def pdf_string(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def build(objects, trailer_extra="", version="1.4", xref_stream=False):
    """objects: list of bytes bodies, numbered from 1. Returns the whole file."""
    out = bytearray(f"%PDF-{version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1"))
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    if xref_stream:
        n = len(objects) + 1
        offsets.append(len(out))
        rows = b"\x00\x00\x00\x00\xff" + b"".join(
            b"\x01" + o.to_bytes(3, "big") + b"\x00" for o in offsets
        )
        data = zlib.compress(rows)
        out += (
            f"{n} 0 obj\n<< /Type /XRef /Size {n + 1} /W [1 3 1] /Root 1 0 R "
            f"/Filter /FlateDecode /Length {len(data)} {trailer_extra}>>\nstream\n"
        ).encode() + data + b"\nendstream\nendobj\n"
        out += f"startxref\n{offsets[-1]}\n%%EOF\n".encode()
        return bytes(out)
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def stream(content, compress=False):
    data = zlib.compress(content) if compress else content
    filt = "/Filter /FlateDecode " if compress else ""
    return f"<< {filt}/Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def page_content(lines, op="Tj"):
    parts = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
    for i, line in enumerate(lines):
        if op == "Tj":
            parts.append(f"{pdf_string(line)} Tj T*".encode("latin-1"))
        elif op == "TJ":
            words = line.split(" ")
            arr = " -250 ".join(pdf_string(w) for w in words)
            parts.append(f"[{arr}] TJ T*".encode("latin-1"))
        elif op == "quote":
            parts.append(f"{pdf_string(line)} '".encode("latin-1"))
        elif op == "dquote":
            parts.append(f"1 0 {pdf_string(line)} \"".encode("latin-1"))
        elif op == "hex":
            parts.append(f"<{line.encode('latin-1').hex()}> Tj 0 -14 Td".encode())
    parts.append(b"ET")
    return b"\n".join(parts)


def simple(pages_lines, op="Tj", compress=False, info=None, font=b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"):
    n_pages = len(pages_lines)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs, then info
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Count {n_pages} /Kids [{kids}] >>".encode(),
        font,
    ]
    for i, lines in enumerate(pages_lines):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(stream(page_content(lines, op), compress))
    extra = ""
    if info:
        objects.append(
            ("<< " + " ".join(f"/{k} {pdf_string(v)}" for k, v in info.items()) + " >>").encode("latin-1")
        )
        extra = f"/Info {len(objects)} 0 R "
    return objects, extra


def to_unicode_font():
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Custom def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfrange <41> <5A> <0041> <61> <7A> <0061> endbfrange\n"
        b"1 beginbfchar <20> <0020> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return cmap


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)

    def write(name, data):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)

    objs, extra = simple([SENTENCES])
    write("plain.pdf", build(objs, extra))
    objs, extra = simple([SENTENCES[:1], SENTENCES[1:]], compress=True,
                         info={"Title": "Deal", "Author": "A. Writer", "CreationDate": "D:20190604120000Z"})
    write("flate-two-pages-info.pdf", build(objs, extra))
    for op in ("TJ", "quote", "dquote", "hex"):
        objs, extra = simple([SENTENCES], op=op)
        write(f"op-{op}.pdf", build(objs, extra))
    objs, extra = simple([SENTENCES], compress=True)
    write("xref-stream.pdf", build(objs, extra, version="1.5", xref_stream=True))

    # a font with a ToUnicode map
    objs, extra = simple(
        [SENTENCES],
        op="hex",
        font=b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding /ToUnicode 99 0 R >>",
    )
    objs.append(stream(to_unicode_font()))
    n = len(objs)
    objs[2] = objs[2].replace(b"99 0 R", f"{n} 0 R".encode())
    write("tounicode.pdf", build(objs, extra))

    # an incremental update: a second body and cross-reference section pointing back at the first
    objs, extra = simple([SENTENCES[:1]])
    base = build(objs, extra)
    prev = int(base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    upd = bytearray(base)
    new_content = stream(page_content(["An updated page: the agreement was extended to 2030."]))
    off = len(upd)
    upd += b"5 0 obj\n" + new_content + b"\nendobj\n"
    x = len(upd)
    upd += f"xref\n5 1\n{off:010d} 00000 n \ntrailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Prev {prev} >>\nstartxref\n{x}\n%%EOF\n".encode()
    write("incremental.pdf", bytes(upd))

    # an object stream holding the font (PDF 1.5)
    objs, extra = simple([SENTENCES], compress=True)
    font_body = objs[2]
    header = b"3 0 "
    objstm = header + font_body
    objs[2] = b"null"
    objs.append(
        f"<< /Type /ObjStm /N 1 /First {len(header)} /Length {len(objstm)} >>\nstream\n".encode()
        + objstm + b"\nendstream"
    )
    write("object-stream.pdf", build(objs, extra, version="1.5"))

    # text inside a form XObject, drawn by the page
    objs, extra = simple([SENTENCES[:1]])
    form_body = page_content(SENTENCES[1:])
    objs.append(
        f"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Length {len(form_body)} >>\nstream\n".encode()
        + form_body + b"\nendstream"
    )
    n = len(objs)
    objs[3] = objs[3].replace(b"/Font << /F1 3 0 R >> >>", f"/Font << /F1 3 0 R >> /XObject << /Fm1 {n} 0 R >> >>".encode())
    objs[4] = stream(page_content(SENTENCES[:1]) + b"\n/Fm1 Do")
    write("form-xobject.pdf", build(objs, extra))

    # many pages
    objs, extra = simple([[f"Page {i}: " + SENTENCES[i % 3]] for i in range(40)], compress=True)
    write("forty-pages.pdf", build(objs, extra))


if __name__ == "__main__":
    main()
