"""The web edition's sitemap (sitemaps.org 0.9): every page's address and date, for
search engines.

A search engine reads only absolute addresses, so each page's path, relative to the
site's folder, is joined to the site's address here, percent-encoded where a path holds
spaces or accents, and escaped as XML. The bytes depend only on the pages given, in
their order, so a site built twice publishes the same file.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ElementTree
from urllib.parse import quote, urljoin, urlsplit

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the protocol's limit for one file
# Characters a path may keep as they are: those with a meaning in an address, and "%" so
# that a path already encoded is not encoded twice.
SAFE = "/%:@!$&'()*+,;=-._~?#"


def sitemap(base_url: str, pages: list[tuple[str, dt.date]]) -> bytes:
    """The sitemap of ``pages`` (a path relative to the site, "" for its home, and the
    date the page last changed) on the site at ``base_url`` (http or https)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"a sitemap needs the site's absolute address, not {base_url!r}")
    if len(pages) > MAX_URLS:
        raise ValueError(f"{len(pages)} pages: a sitemap holds {MAX_URLS} at most")
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    seen = set()
    for path, date in pages:
        loc = _address(base, path)
        if loc in seen:
            raise ValueError(f"page {path!r} listed twice in the sitemap")
        seen.add(loc)
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = loc
        # A datetime is a date too: only its day is kept (W3C format, no time zone needed).
        ElementTree.SubElement(url, "lastmod").text = dt.date(
            date.year, date.month, date.day
        ).isoformat()
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def _address(base: str, path: str) -> str:
    """``base`` joined with a page's relative path; a path that would leave the site (an
    address of its own, an absolute path, ``..``) is a bug of the caller."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or path.startswith("/") or ".." in path.split("/"):
        raise ValueError(f"page {path!r} is not a path inside the site")
    return urljoin(base, quote(path, safe=SAFE))
