"""A local news-feed server for the news watch tests (no internet).

Serves RSS and Atom feeds with matching and non-matching items, and feeds that
misbehave: one that never answers in time, one that fails with 500, one that is not a
feed, one larger than the size limit and one that answers 304 to a conditional GET.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Diario de Honduras</title>
<link>https://diario.example.hn/</link><description>Noticias</description>
{items}
</channel></rss>"""
RSS_ITEM = """<item><title>{title}</title><link>{link}</link>
<description>{summary}</description><pubDate>{date}</pubDate></item>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Caribbean Wire</title>
<id>urn:caribbean-wire</id><updated>2026-11-28T10:00:00Z</updated>
{entries}
</feed>"""
ATOM_ENTRY = """<entry><title>{title}</title><link href="{link}"/>
<id>{link}</id><updated>{date}</updated><summary>{summary}</summary></entry>"""

# What each good feed carries; the first of each matches a default rule.
RSS_ITEMS = [
    (
        "Honduras despide a la brigada médica cubana tras diez años",
        "https://diario.example.hn/salud/brigada?utm_source=rss&utm_medium=feed",
        "El gobierno de Honduras anunció el fin del convenio.",
        "Fri, 27 Nov 2026 14:00:00 GMT",
    ),
    (
        "Llegan a Guatemala 50 médicos cubanos",
        "https://diario.example.hn/mundo/guatemala-medicos",
        "La misión atenderá zonas rurales.",
        "Thu, 26 Nov 2026 09:30:00 GMT",
    ),
    (
        "El precio del café sube en Honduras",
        "https://diario.example.hn/economia/cafe",
        "Los productores celebran.",
        "Thu, 26 Nov 2026 08:00:00 GMT",
    ),
]
ATOM_ENTRIES = [
    (
        "Jamaica extends contract of Cuban doctors for two more years",
        "https://wire.example.com/jamaica-cuban-doctors",
        "The health ministry of Jamaica confirmed the extension.",
        "2026-11-28T09:00:00Z",
    ),
    (
        "Cricket: Jamaica beat Barbados",
        "https://wire.example.com/cricket",
        "A close game in Kingston.",
        "2026-11-28T08:00:00Z",
    ),
]
MATCHING_TITLES = {RSS_ITEMS[0][0], RSS_ITEMS[1][0], ATOM_ENTRIES[0][0]}
ETAG = '"feed-v1"'


def rss(items: list[tuple[str, str, str, str]]) -> str:
    """An RSS 2.0 document with these (title, link, summary, date) items."""
    return RSS.format(items="".join(RSS_ITEM.format(**_fields(i)) for i in items))


def atom(entries: list[tuple[str, str, str, str]]) -> str:
    """An Atom document with these (title, link, summary, date) entries."""
    return ATOM.format(
        entries="".join(ATOM_ENTRY.format(**_fields(e)) for e in entries)
    )


def _fields(item: tuple[str, str, str, str]) -> dict:
    title, link, summary, date = item
    return {
        "title": title,
        "link": link.replace("&", "&amp;"),
        "summary": summary,
        "date": date,
    }


class FeedServer(ThreadingHTTPServer):
    """The server, with the requests it received and the documents it serves."""

    daemon_threads = True
    # Long enough to outlast the tests' NEWSWATCH_TIMEOUT of 1 second.
    slow_seconds = 3.0

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, FeedHandler)
        self.requests: list[tuple[str, dict]] = []
        self.documents = {
            "/rss.xml": rss(RSS_ITEMS),
            "/atom.xml": atom(ATOM_ENTRIES),
            "/etag.xml": rss(RSS_ITEMS[:1]),
        }
        self.stop = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def hits(self, path: str) -> list[dict]:
        """The headers of each request for `path`."""
        return [headers for p, headers in self.requests if p == path]


class FeedHandler(BaseHTTPRequestHandler):
    """Answers each path the way its feed is meant to behave."""

    server: FeedServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.server.requests.append((self.path, dict(self.headers)))
        special = {
            "/slow.xml": self._slow,
            "/error.xml": lambda: self._send(500, b"Internal Server Error"),
            "/broken.xml": lambda: self._send(200, b"<html><p>Not a feed <b>at all"),
            "/huge.xml": self._huge,
            "/etag.xml": self._conditional,
        }
        if self.path in special:
            special[self.path]()
        elif self.path in self.server.documents:
            self._send(200, self.server.documents[self.path].encode())
        else:
            self._send(404, b"Not Found")

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _slow(self) -> None:
        self.server.stop.wait(self.server.slow_seconds)
        try:
            self._send(200, rss(RSS_ITEMS).encode())
        except OSError:
            pass  # the client gave up long ago, as it should

    def _huge(self) -> None:
        # No Content-Length: the client has to count as it reads, and stop.
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        filler = RSS_ITEM.format(**_fields(RSS_ITEMS[0])).encode()
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        try:
            for _ in range(2000):
                self.wfile.write(filler)
        except OSError:
            pass  # the client hung up once it had enough
        self.close_connection = True

    def _conditional(self) -> None:
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        body = self.server.documents["/etag.xml"].encode()
        self._send(200, body, ETag=ETAG, Last_Modified="Fri, 27 Nov 2026 14:00:00 GMT")

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # quiet test output


@contextmanager
def feed_server(port: int = 0) -> Iterator[FeedServer]:
    """A running FeedServer on 127.0.0.1 (port 0: any free port)."""
    server = FeedServer(("127.0.0.1", port))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
