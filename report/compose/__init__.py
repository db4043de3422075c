"""Compose: build the document's HTML from the chapters, the data and the templates.

``chapters`` (front matter, ``[[M12]]``, sandboxed expressions) and ``markdown`` turn
texts into HTML; ``components`` are the data-driven blocks chapters place, drawn once
every text is read (``placement``); ``charts`` draws the figures; ``document`` renders
the page templates (``templates/``) and ``typography`` finishes every text run.
"""
