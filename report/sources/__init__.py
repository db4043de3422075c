"""Sources: read and check what the author wrote.

``report.yaml`` (``config``), the data files (``validate`` into the ``model``, with
references resolved into objects by ``references``), each text in the edition's language
(``translate``); files are read with their line numbers (``files``) and every validation
failure becomes one located line (``problems``). Nothing here knows HTML or PDF.
"""
