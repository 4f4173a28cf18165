#!/usr/bin/env python3
"""Serves gzip bombs on the loopback for `techties ingest URL`: each response is about 1 MB on
the wire and inflates to 1 GB (Content-Encoding: gzip), as a page, a feed and a text file.
The ingest must stop each at its size limit (64 MiB), with a clear error, in bounded memory.

Usage: python3 scripts/serve_bombs.py PORT   (serves until killed; prints "ready" when up)
"""
import http.server
import sys
import zlib


def bomb(unit, total=1 << 30):
    z = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip wrapper
    chunk = unit * ((1 << 24) // len(unit))
    parts = [z.compress(chunk) for _ in range(total // len(chunk))]
    parts.append(z.flush())
    return b"".join(parts)


PAGES = {
    "/bomb.html": ("text/html", bomb(b"<p>Huawei opened a centre in Kazan.</p>")),
    "/bomb.rss": ("application/rss+xml", b""),
    "/bomb.txt": ("text/plain", b""),
}
PAGES["/bomb.rss"] = ("application/rss+xml", bomb(b"<item><title>t</title><description>Rosatom</description></item>"))
PAGES["/bomb.txt"] = ("text/plain", PAGES["/bomb.html"][1])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ctype, body = PAGES.get(self.path, ("text/plain", None))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("ready", {k: len(v[1]) for k, v in PAGES.items()}, flush=True)
server.serve_forever()
