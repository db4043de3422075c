"""BENCHMARKS.md, written from one run's measurements: a module per group of sections.

The order of the sections is the order of this function; each section decides on its own
whether it has anything to show (a case not measured leaves its rows out).
"""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.results import Measurements
from benchmarks.writer.analysis import analysis_section
from benchmarks.writer.case_tables import case_table
from benchmarks.writer.editions import editions_section
from benchmarks.writer.method import NOTES, method_section
from benchmarks.writer.overview import header, machine_section, targets_section
from benchmarks.writer.preview import preview_section
from benchmarks.writer.profile import imports_section, profile_section
from benchmarks.writer.proposals import proposals_section
from benchmarks.writer.rebuilds import rebuilds_section
from benchmarks.writer.scaling import scaling_section
from benchmarks.writer.web import web_section
from benchmarks.writer.whatif import whatif_section


def report_lines(measured: Measurements) -> list[str]:
    """Every line of BENCHMARKS.md, in order."""
    cases, by_name = measured.cases, measured.by_name
    default = by_name.get("default")
    return [
        *header(measured.command, measured.elapsed, measured.load_end),
        *machine_section(measured.info, measured.baseline),
        *targets_section(cases),
        *method_section(cases, measured.tree),
        "## Cases",
        "",
        *[line for case in cases for line in case_table(case)],
        *scaling_section(cases),
        *whatif_section(cases, measured.facts),
        *rebuilds_section(cases, measured.shim),
        *imports_section(measured.imports),
        *profile_section(measured.profile, default.cold.wall if default else float("nan")),
        *editions_section(measured.batch),
        *preview_section(measured.preview, f"{os.cpu_count()} cores"),
        *web_section(measured.web, f"{os.cpu_count()} cores"),
        *analysis_section(by_name, measured.profile),
        *proposals_section(measured.facts),
        *NOTES,
    ]


def write_report(path: Path, measured: Measurements) -> None:
    path.write_text("\n".join(report_lines(measured)) + "\n", encoding="utf-8")
