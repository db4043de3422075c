#!/usr/bin/env bash
# Install everything the builder needs on Debian/Ubuntu, then build the default report.
#   system: Pango (WeasyPrint's text engine), HarfBuzz subsetting, fontconfig with
#           DejaVu (the fallback for characters the theme's fonts lack; the theme's own
#           fonts, Linux Libertine and Biolinum, ship inside the package), poppler-utils
#           and qpdf (used by the tests to inspect PDFs), chromium (the browser test of
#           the live preview, driven by Playwright: no browser download)
#   python: this package with its test extras; the CommonMark spec (npm registry)
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
  fonts-dejavu-core poppler-utils qpdf chromium >/dev/null
python3 -m pip install -q -e ".[test]"
python3 tests/commonmark_spec.py  # the CommonMark spec's examples, for the tests
report build
