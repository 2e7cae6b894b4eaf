#!/usr/bin/env python3
"""A small HTTP server for the update tests: serves the real list files under a data folder,
with a behaviour chosen by the first path segment:

  /normal/REL    the file, with an ETag; 304 when If-None-Match matches
  /nocache/REL   the file, without ETag or Last-Modified
  /truncate/REL  announces the full Content-Length, sends half, closes the connection
  /error/REL     HTTP 500
  /halve/REL     an XML list (UN format) with every other entry left out, with an ETag
  /minus1/REL    an XML list (UN format) without its first individual, with an ETag
  /slow/REL      headers, then one byte a second

Usage: list_server.py DATA_DIR PORT_FILE  (binds 127.0.0.1 on a free port, writes it to
PORT_FILE, serves until killed).
"""
import hashlib
import http.server
import os
import re
import socketserver
import sys
import time

DATA = os.path.abspath(sys.argv[1])


def drop_entries(body, keep):
    """Drop INDIVIDUAL/ENTITY elements for which keep(kind, n) is false."""
    text = body.decode("utf-8")
    count = {"INDIVIDUAL": 0, "ENTITY": 0}

    def sub(m):
        kind = m.group(1)
        n = count[kind]
        count[kind] += 1
        return m.group(0) if keep(kind, n) else ""

    text = re.sub(r"<(INDIVIDUAL|ENTITY)>.*?</\1>", sub, text, flags=re.S)
    return text.encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        parts = self.path.lstrip("/").split("/", 1)
        mode, rel = parts[0], parts[1] if len(parts) > 1 else ""
        path = os.path.abspath(os.path.join(DATA, rel))
        if not path.startswith(DATA + os.sep) or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        if mode == "error":
            self.send_error(500, "Internal Server Error")
            return
        if mode == "halve":
            body = drop_entries(body, lambda kind, n: n % 2 == 1)
        elif mode == "minus1":
            body = drop_entries(body, lambda kind, n: not (kind == "INDIVIDUAL" and n == 0))
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        if mode in ("normal", "halve", "minus1") and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        if mode != "nocache":
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Thu, 20 Aug 2026 06:00:00 GMT")
        self.end_headers()
        if mode == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "slow":
            try:
                for b in body[:600]:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                    time.sleep(1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # clients killed mid-transfer (the kill test) are expected


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()
