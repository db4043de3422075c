"""App: what a user runs.

``cli`` parses the command line and prints; ``build`` calls the stages in order;
``cache`` skips a build whose inputs did not change; ``editions`` plans and runs the
PDFs of ``--all`` in parallel.
"""
