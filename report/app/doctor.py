"""``report doctor``: on one screen, what this computer has and lacks to build a report,
and how to get what is missing on Debian or Ubuntu, macOS and Windows.

Advocacy officers install the builder on their own laptops. When Pango is missing,
importing WeasyPrint fails with a library-loading error that names a DLL, not a fix; the
doctor turns each missing piece into one line and the commands that install it. Only
what a build needs decides the exit code (0 ready, 1 not); the tools the tests use are
listed as optional. The module imports nothing heavy at load time: the command line
imports it to declare the subcommand, and ``report --help`` stays instant.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

MIN_PYTHON = (3, 11)
MIN_PANGO = (1, 44)  # WeasyPrint's documented minimum
GUIDE = "docs/installation.md"
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FILE = Path("/usr/bin/chromium")  # Debian's, found even when not on PATH


@dataclass(frozen=True)
class Check:
    """One line of the report: what was looked for, whether it is there, how to get it."""

    name: str
    ok: bool
    detail: str = ""
    required: bool = True
    fix: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.ok:
            return "OK"
        return "MISSING" if self.required else "missing"

    def lines(self) -> list[str]:
        """``OK       Pango 1.50.12``, then the fixes of a missing part, indented."""
        text = f"{self.name}: {self.detail}" if self.detail else self.name
        shown = [f"{self.status:<8} {text}" + ("" if self.required else " (optional)")]
        if not self.ok:
            shown += [f"{'':<8}   {fix}" for fix in self.fix]
        return shown


def per_system(debian: str, macos: str, windows: str) -> tuple[str, ...]:
    """The fix on each system the users have, in the same order everywhere."""
    return (f"Debian/Ubuntu: {debian}", f"macOS:         {macos}", f"Windows:       {windows}")


PANGO_FIX = per_system(
    "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
    f"brew install pango, with Homebrew's Python (see {GUIDE})",
    "install MSYS2, then in its UCRT64 shell: pacman -S mingw-w64-ucrt-x86_64-pango "
    f"(or the MINGW64 one: pacman -S mingw-w64-x86_64-pango); see {GUIDE}",
)
REINSTALL = (
    "reinstall the builder: pipx reinstall advocacy-report, or pip install --force-reinstall "
    "from its folder",
)


def add_doctor_command(commands: argparse._SubParsersAction) -> None:
    doctor = commands.add_parser("doctor", help="say what this computer lacks to build reports")
    doctor.add_argument(
        "content_dir",
        nargs="?",
        type=Path,
        help="folder holding report.yaml, to check it loads (default: content, if present)",
    )
    doctor.set_defaults(strict=False, debug=False, quiet=False, all=False, edition=None)


def doctor(content_dir: Path | None) -> tuple[str, int]:
    """Print one line per part (stderr, like every report); return the summary line and
    the number of required parts missing."""
    content, fonts = content_check(content_dir)
    checks = [python_check(), *engine_checks(), *font_checks(fonts), *tool_checks(), content]
    for check in checks:
        for line in check.lines():
            print(line, file=sys.stderr)
    missing = [check.name for check in checks if check.required and not check.ok]
    optional = sum(1 for check in checks if not check.required and not check.ok)
    if missing:
        parts = f"{len(missing)} required part{'s' * (len(missing) != 1)} missing"
        return f"Checked this computer: not ready, {parts} ({', '.join(missing)})", len(missing)
    extra = f" ({optional} optional missing)" if optional else ""
    return f"Checked this computer: ready to build{extra}", 0


def python_check(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(str(part) for part in version)
    return Check(
        "Python",
        tuple(version[:2]) >= MIN_PYTHON,
        shown if tuple(version[:2]) >= MIN_PYTHON else f"{shown} is too old: 3.11 or later",
        fix=per_system(
            "sudo apt install python3 (Debian 12, Ubuntu 24.04 and later have 3.11+)",
            "brew install python",
            "install Python 3.11 or later from python.org or the Microsoft Store",
        ),
    )


def engine_checks() -> list[Check]:
    """WeasyPrint installed and importing, and the Pango it loads recent enough."""
    from report.output.render import engine_versions

    try:
        installed = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return [Check("WeasyPrint", False, "not installed", fix=REINSTALL), _no_pango("")]
    try:
        # WeasyPrint prints a page of advice to stdout when a library is missing, and
        # warns when fontconfig has no font: the doctor says it in its own line.
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            version, pango = engine_versions()
    except OSError as error:  # a system library (Pango, its FreeType part) cannot load
        return [Check("WeasyPrint", True, installed), _no_pango(_first_line(error))]
    except Exception as error:  # a Python dependency is broken: the installation is
        detail = f"{installed} does not import ({_first_line(error)})"
        return [Check("WeasyPrint", False, detail, fix=REINSTALL), _no_pango("")]
    return [Check("WeasyPrint", True, version), pango_check(pango)]


def pango_check(version: int) -> Check:
    """Pango numbers itself 15010 for 1.50.10."""
    major, minor, micro = version // 10000, version // 100 % 100, version % 100
    shown = f"{major}.{minor}.{micro}"
    if (major, minor) >= MIN_PANGO:
        return Check("Pango", True, shown)
    return Check(
        "Pango", False, f"{shown} is too old: WeasyPrint needs 1.44 or later", fix=PANGO_FIX
    )


def _no_pango(reason: str) -> Check:
    detail = (
        f"cannot be loaded ({reason})" if reason else "not checked (WeasyPrint does not import)"
    )
    return Check("Pango", False, detail, fix=PANGO_FIX)


def _first_line(error: BaseException) -> str:
    """The first sentence of an error: cffi adds a second one about ctypes."""
    text = str(error).strip().split(".  ", 1)[0].splitlines()
    return text[0][:200] if text else type(error).__name__


def font_checks(families: list[str]) -> list[Check]:
    """The fonts the package ships, and each theme font: shipped, installed or missing."""
    from report.output.fonts import font_files, installed_families, packaged_families

    files = font_files()
    packaged = packaged_families()
    shipped = Check(
        "packaged fonts",
        bool(files),
        f"{len(files)} files" if files else "none found in the package",
        fix=REINSTALL,
    )
    installed = None if all(f.casefold() in packaged for f in families) else installed_families()
    found, missing = [], []
    for family in dict.fromkeys(families):
        if family.casefold() in packaged:
            found.append(f"{family} (packaged)")
        elif installed is not None and family.casefold() in installed:
            found.append(f"{family} (installed)")
        else:
            missing.append(family)
    if not missing:
        return [shipped, Check("theme fonts", True, ", ".join(found))]
    why = " (fc-list, from fontconfig, is not there to ask)" if installed is None else ""
    return [
        shipped,
        Check(
            "theme fonts",
            False,
            f"{', '.join(missing)} not found{why}",
            fix=(
                "install it on this computer (Debian: copy its files into ~/.local/share/fonts;"
                " macOS: open each file, Install Font; Windows: right-click, Install for all"
                " users),",
                "or set theme: font_body and font_heading in report.yaml to installed fonts",
            ),
        ),
    ]


def tool_checks() -> list[Check]:
    """Tools the tests and maintainers use; a build needs none of them."""
    chromium = next(
        (found for name in CHROMIUM if (found := shutil.which(name))),
        str(CHROMIUM_FILE) if CHROMIUM_FILE.exists() else None,
    )
    poppler = shutil.which("pdftotext") and shutil.which("pdftoppm")
    qpdf = shutil.which("qpdf")
    return [
        Check(
            "poppler-utils",
            bool(poppler),
            "pdftotext, pdftoppm" if poppler else "not found: the tests read PDFs with it",
            required=False,
            fix=per_system(
                "sudo apt install poppler-utils",
                "brew install poppler",
                "pacman -S mingw-w64-ucrt-x86_64-poppler (MSYS2)",
            ),
        ),
        Check(
            "qpdf",
            bool(qpdf),
            qpdf or "not found: for inspecting PDFs by hand (builds use pikepdf's own qpdf)",
            required=False,
            fix=per_system(
                "sudo apt install qpdf", "brew install qpdf", "pacman -S mingw-w64-ucrt-x86_64-qpdf"
            ),
        ),
        Check(
            "Chromium",
            chromium is not None,
            chromium or "not found: the preview tests need it",
            required=False,
            fix=per_system(
                "sudo apt install chromium", "brew install --cask chromium", "install Chrome"
            ),
        ),
    ]


def _content_folder(content_dir: Path | None) -> Path | None:
    """The folder to check: the one given, else ./content when it holds a report."""
    if content_dir is not None:
        return content_dir
    default = Path("content")
    return default if (default / "report.yaml").is_file() else None


def content_check(content_dir: Path | None) -> tuple[Check, list[str]]:
    """Whether the content folder's report.yaml loads, and the fonts its theme asks for
    (the default theme's when there is none). Optional when no folder was given and there
    is no ./content: the doctor may run before any project exists."""
    from report.errors import ReportError, display_path
    from report.sources.config import CONFIG_FILE, Theme, load_config

    folder = _content_folder(content_dir)
    theme = Theme()
    fonts = [theme.font_body, theme.font_heading]
    create = ("give the folder that holds report.yaml, or start one: report new my-report",)
    if folder is None:
        absent = Check("content", False, "no content/report.yaml here", required=False, fix=create)
        return absent, fonts
    shown = display_path(folder / CONFIG_FILE)
    if not (folder / CONFIG_FILE).is_file():
        return Check(shown, False, "not found", fix=create), fonts
    try:
        theme = load_config(folder).theme
    except ReportError as error:
        count = len(error.problems)
        problems = tuple(str(problem) for problem in error.problems[:3])
        more = (f"... report check {display_path(folder)} lists them all",) if count > 3 else ()
        detail = f"does not load ({count} problem{'s' * (count != 1)})"
        return Check(shown, False, detail, fix=problems + more), fonts
    return Check(shown, True, "loads"), [theme.font_body, theme.font_heading]
