"""Allow ``python -m report`` to behave exactly like the ``report`` command."""

from report.cli import run

run()
