"""Allow ``python -m report`` to behave exactly like the ``report`` command."""

import sys

from report.cli import main

sys.exit(main())
