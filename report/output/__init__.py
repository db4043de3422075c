"""Output: from the HTML to files.

``render`` lays the document out with WeasyPrint (the only importer) and serialises the
PDF, whose tags ``tagging`` repairs; ``verify`` is the gate that compares the pages with
what the data says must be there, and ``accessibility`` checks the tagged PDF against
PDF/UA-1's structure rules for it; ``attachments`` are the open-data files embedded in
the PDF; ``stylesheets`` says which CSS applies; ``files`` writes atomically.
"""
