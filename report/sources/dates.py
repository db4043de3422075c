"""Dates as sources give them: a day, a month or only a year.

A bibliography entry "issued" in 2022 or a chronology event in "2007" is not a day, and
writing ``2022-01-01`` would invent one. ``PartialDate`` accepts ``2023-01-12``,
``"2023-01"`` or ``2023``; ``earliest_day`` is the first day it can mean, which is what
is compared with the report's date (a fact "in 2025" is later than a report of 2024).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def date_parts(value: dt.date | int | str) -> list[int]:
    """[year], [year, month] or [year, month, day]; a ValueError says how to write it."""
    if isinstance(value, dt.date):
        return [value.year, value.month, value.day]
    found = PARTIAL.match(str(value))
    parts = [int(part) for part in found.groups() if part] if found else []
    try:
        dt.date(*parts, *[1] * (3 - len(parts)))
    except (TypeError, ValueError):
        parts = []
    if not parts:
        raise ValueError(f"'{value}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    return parts


def _checked(value: dt.date | int | str) -> dt.date | int | str:
    date_parts(value)
    return value


PartialDate = Annotated[dt.date | int | str, AfterValidator(_checked)]


def earliest_day(value: dt.date | int | str) -> dt.date:
    """The first day a partial date can mean: 2025 -> 2025-01-01."""
    parts = date_parts(value)
    return dt.date(*parts, *[1] * (3 - len(parts)))


def iso(value: dt.date | int | str) -> str:
    """As written in the data, for messages: 2023-01-12, 2023-01, 2023."""
    return "-".join(
        f"{part:02d}" if index else str(part) for index, part in enumerate(date_parts(value))
    )
