"""The live preview's HTTP server (``report serve``): the page, its event stream, the PDF
and the files the page needs, on 127.0.0.1 only.

What may be served is decided here and nowhere else: the preview page (the compose
stage's HTML with the report's stylesheets linked, the preview's screen stylesheet and
bar), ``/report.pdf`` (the last good build), the builder's ``styles/`` and the files of
the content folder. Every file name goes through ``sources/paths.py``'s check, links
resolved, so ``../``, absolute paths and links out of the folder are refused (403); hidden
files and the output folder are not served (404). A page only runs the preview's own
script (a Content-Security-Policy with a nonce) and loads nothing from the network, as
in the PDF; a request naming another host than 127.0.0.1 or localhost is refused, so a
web page cannot reach the server through a DNS name of its own.
"""

from __future__ import annotations

import html
import json
import mimetypes
import secrets
import sys
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from report import PACKAGE_DIR, PACKAGED_FONTS, PROJECT_STYLES
from report.sources.paths import inside

HOST = "127.0.0.1"
PDF_URL = "/report.pdf"
EVENTS_URL = "/_preview/events"
SCRIPT_URL = "/_preview/live.js"
STYLES_URL = "/_preview/styles/"
FONTS_URL = "/_preview/fonts/"  # report.css's @font-face rules say "../fonts/"
SCRIPT = PACKAGE_DIR / "app" / "live.js"
SCREEN_STYLESHEET = PROJECT_STYLES / "preview.css"
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream
TEXT_TYPES = {".md": "text/plain", ".yaml": "text/plain", ".yml": "text/plain"}
# Everything but the page: nothing runs, nothing loads from elsewhere.
FILE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; sandbox"
PAGE_POLICY = (
    "default-src 'none'; script-src 'nonce-{nonce}'; connect-src 'self'; "
    "img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
EMPTY_DOCUMENT = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>Report preview</title>\n</head>\n<body>\n</body>\n</html>\n"
)


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows at one moment; replaced whole, never changed in place."""

    version: int = 0  # the page's version: a newer one makes the open pages reload
    tick: int = 0  # any change, the PDF's state included: the event streams send it
    html: str | None = None  # the last good document; None until there is one
    stylesheets: tuple[Path, ...] = ()
    problems: tuple[str, ...] = ()  # what stopped the last update, one line each
    warnings: tuple[str, ...] = ()
    updated: str = ""  # when the page last changed (HH:MM:SS)
    pdf: Path | None = None  # the last good PDF
    pdf_state: str = "not built yet"


class LiveState:
    """The current snapshot, replaced by the one thread that rebuilds and read by the
    request threads; a condition wakes the event streams when it changes."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._now = Snapshot()
        self.closed = False

    @property
    def now(self) -> Snapshot:
        return self._now

    def update(self, new_page: bool, **fields: object) -> None:
        """A new snapshot; ``new_page`` when the page itself changed (open pages reload)."""
        with self._changed:
            now = self._now
            self._now = replace(now, version=now.version + new_page, tick=now.tick + 1, **fields)
            self._changed.notify_all()

    def wait(self, tick: int, timeout: float) -> Snapshot:
        """The snapshot once it is newer than ``tick`` (or the same one after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: self._now.tick != tick or self.closed, timeout)
            return self._now

    def close(self) -> None:
        """The server stops: the event streams end."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()


class PreviewServer(ThreadingHTTPServer):
    """One thread per request; the event streams' threads never delay the end."""

    daemon_threads = True

    def __init__(self, port: int, content_dir: Path, output_dir: Path, state: LiveState):
        super().__init__((HOST, port), PreviewHandler)
        self.content_dir = content_dir
        self.output_dir = output_dir
        self.state = state
        self.serving: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}/"

    def serve_in_background(self) -> None:
        self.serving = threading.Thread(target=self.serve_forever, name="preview", daemon=True)
        self.serving.start()

    def handle_error(self, request: object, client_address: object) -> None:
        """A page that went away before its answer was written (it reloaded, the tab was
        closed) is no error; anything else is a bug, shown as one (a traceback)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def stop(self) -> None:
        """End the event streams and the server (``shutdown`` waits for a server that
        was started, and for ever for one that was not)."""
        self.state.close()
        if self.serving is not None:
            self.shutdown()
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    """GET and HEAD only; every answer is uncached, so a reload shows the latest files."""

    server: PreviewServer

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for the author's problems, not for requests."""

    def _answer(self, with_body: bool) -> None:
        self.with_body = with_body
        if not self._host_allowed():
            self._refuse(403, "only http://127.0.0.1 or http://localhost may ask this server")
            return
        path = unquote(urlsplit(self.path).path)
        if "\x00" in path or "\\" in path:
            self._refuse(400, "bad file name")
        elif path in ("/", "/index.html"):
            self._send_page()
        elif path == EVENTS_URL:
            self._send_events()
        elif path == SCRIPT_URL:
            self._send_file(SCRIPT, SCRIPT.parent, "text/javascript; charset=utf-8")
        elif path == PDF_URL:
            self._send_pdf()
        elif path.startswith(STYLES_URL):
            self._send_file(PROJECT_STYLES / path[len(STYLES_URL) :], PROJECT_STYLES)
        elif path.startswith(FONTS_URL):
            self._send_file(PACKAGED_FONTS / path[len(FONTS_URL) :], PACKAGED_FONTS)
        elif path.startswith("/_preview/"):
            self._refuse(404, "not found")
        else:
            self._send_file(self.server.content_dir / path.lstrip("/"), self.server.content_dir)

    def _host_allowed(self) -> bool:
        """The Host header names this computer (a browser leaves out port 80)."""
        host = self.headers.get("Host")
        if host is None:
            return True
        name, _, port = host.rpartition(":") if ":" in host else (host, "", "80")
        return name in (HOST, "localhost") and port == str(self.server.server_port)

    def _send_page(self) -> None:
        nonce = secrets.token_urlsafe(16)
        body = page(self.server.state.now, self.server.content_dir, nonce).encode()
        self._send(200, body, "text/html; charset=utf-8", PAGE_POLICY.format(nonce=nonce))

    def _send_pdf(self) -> None:
        pdf = self.server.state.now.pdf
        if pdf is None or not pdf.is_file():
            self._refuse(404, "no PDF yet: the first build has not finished; reload in a moment")
            return
        # No policy: browsers' PDF viewers refuse to show a sandboxed document.
        self._send(200, pdf.read_bytes(), "application/pdf", None)

    def _send_file(self, target: Path, root: Path, kind: str | None = None) -> None:
        """A file of ``root``, if the path check lets it through."""
        status = refusal(target, root, self.server.output_dir)
        if status:
            self._refuse(status, "outside the folders served" if status == 403 else "not found")
            return
        self._send(200, target.resolve().read_bytes(), kind or content_type(target), FILE_POLICY)

    def _send_events(self) -> None:
        """Server-sent events: the page's version and the PDF's state, at once and on each
        change, until the page goes away or the server stops."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state, tick = self.server.state, -1
        try:
            while self.with_body and not state.closed:
                now = state.wait(tick, KEEP_ALIVE)
                if now.tick == tick:
                    self.wfile.write(b": still here\n\n")
                else:
                    tick = now.tick
                    message = json.dumps({"version": now.version, "pdf": now.pdf_state})
                    self.wfile.write(f"data: {message}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the page reloaded or closed
            return

    def _refuse(self, status: int, reason: str) -> None:
        body = f"{status}: {reason}\n".encode()
        self._send(status, body, "text/plain; charset=utf-8", FILE_POLICY)

    def _send(self, status: int, body: bytes, kind: str, policy: str | None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if policy is not None:
            self.send_header("Content-Security-Policy", policy)
        self.end_headers()
        if self.with_body:
            self.wfile.write(body)


def refusal(target: Path, root: Path, output_dir: Path) -> int | None:
    """Why a file may not be served (403 outside ``root``, 404 hidden, in the output
    folder or missing), or None."""
    if not inside(target, root):
        return 403
    relative = PurePosixPath(target.relative_to(root).as_posix())
    hidden = any(part.startswith(".") for part in relative.parts)
    if hidden or inside(target, output_dir) or not target.is_file():
        return 404
    return None


def content_type(path: Path) -> str:
    kind = TEXT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith("text/") else kind


def page(now: Snapshot, content_dir: Path, nonce: str) -> str:
    """The document's HTML with the stylesheets linked and the preview's bar, notices and
    script added; the document itself is untouched (the HTML WeasyPrint would lay out)."""
    links = [stylesheet_url(path, content_dir) for path in [*now.stylesheets, SCREEN_STYLESHEET]]
    head = "".join(f'<link rel="stylesheet" href="{html.escape(url)}">\n' for url in links)
    head += '<link rel="icon" href="data:,">\n'
    head += (
        f'<script nonce="{nonce}" src="{SCRIPT_URL}" data-version="{now.version}" defer></script>\n'
    )
    document = now.html or EMPTY_DOCUMENT
    at = max(document.find("</head>"), 0)  # a template of the content folder may lack it
    document = document[:at] + head + document[at:]
    opening = document.find("<body", at + len(head))
    body = document.find(">", opening) + 1 if opening >= 0 else at + len(head)
    return document[:body] + "\n" + preview_ui(now) + document[body:]


def stylesheet_url(path: Path, content_dir: Path) -> str:
    """Where the page finds a stylesheet of the build (the builder's or the content's),
    with its version: a stylesheet saved gets a new address, and the page reloads."""
    if inside(path, PROJECT_STYLES):
        url = STYLES_URL + quote(path.resolve().relative_to(PROJECT_STYLES.resolve()).as_posix())
    else:
        url = "/" + quote(path.resolve().relative_to(content_dir.resolve()).as_posix())
    try:
        saved = path.stat()
    except OSError:  # gone since the page was made: the next update says so
        return url
    return f"{url}?v={saved.st_mtime_ns:x}-{saved.st_size:x}"


def preview_ui(now: Snapshot) -> str:
    """The bar (when the page was updated, the PDF's state) and the notices: the problems
    that stopped the last update, the warnings of the last good one."""
    parts = ['<div class="preview-ui preview-bar" role="status">Live preview']
    if now.updated:
        parts.append(f", updated {now.updated}")
    parts.append(
        f' · <a href="{PDF_URL}">PDF</a>: <span id="preview-pdf-state">'
        f"{html.escape(now.pdf_state)}</span>"
    )
    if now.warnings:
        parts.append(f' · <a href="#preview-warnings">{counted(len(now.warnings), "warning")}</a>')
    parts.append("</div>\n")
    if now.problems:
        count = counted(len(now.problems), "problem")
        parts.append(
            '<div class="preview-ui preview-notice preview-problems" role="alert">'
            f"<p><strong>The preview is not up to date: {count}.</strong> "
            "Fix and save; this page updates itself.</p>"
            f"{_lines(now.problems)}</div>\n"
        )
    if now.warnings:
        parts.append(
            '<div class="preview-ui preview-notice preview-warnings" id="preview-warnings">'
            f"<p><strong>Warnings</strong> (the PDF is still made)</p>{_lines(now.warnings)}"
            "</div>\n"
        )
    return "".join(parts)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _lines(lines: tuple[str, ...]) -> str:
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return f"<ul>{items}</ul>"
