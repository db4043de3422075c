"""The web edition's pages: the report's chapters as a page, the measures as a tool.

The chapters are the content stage's, composed once for the PDF and the web alike
(``app/build.compose_content``); here they are set in a site's pages (``pages.py``), their
print-only markup made web markup (``markup.py``: notes that open in place, headings
under the page's title, links between pages), and the measures listed with what a reader
filters them by (``measures.py``).
"""
