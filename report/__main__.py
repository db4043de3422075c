"""Allow ``python -m report`` to behave exactly like the ``report`` command."""

from report.app.cli import run

run()
