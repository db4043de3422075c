"""``report rollover``: carry a project to next year's report, losing nothing.

The whole content folder is copied to a new folder; there, each measure's current
status becomes the latest entry of its history (dated the old report's date, with its
assessor), the report's date moves on (a year by default) and a year in the output name
follows it. Statuses, comments and chapters are kept as they were, for the authors to
rewrite; the old folder is not touched and still builds. Files are edited with
ruamel.yaml, which keeps their comments and layout.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from report.app.yaml_edit import round_trip
from report.errors import Problem, ReportError
from report.sources.aliases import data_words
from report.sources.config import CONFIG_FILE, load_config
from report.sources.validate import DATA_DIR, data_paths, load_data


@dataclass(frozen=True)
class Rolled:
    """What a rollover did, for the summary line."""

    folder: Path
    measures: int
    old_date: dt.date
    new_date: dt.date


def rollover(source: Path, target: Path, date: dt.date | None = None) -> Rolled:
    """Copy ``source`` to ``target`` with every current status moved into its history."""
    config = load_config(source)
    load_data(source, config, notes=False)  # a project with problems is not rolled over
    new_date = date or _next_year(config.date)
    if new_date <= config.date:
        raise ReportError(
            Problem(
                source / CONFIG_FILE,
                (
                    f"the new date {new_date.isoformat()} is not after the report's date "
                    f"{config.date.isoformat()}; give a later --date"
                ),
            )
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ReportError(Problem(target, "already exists and is not empty; give a new folder"))
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
    _move_date(target / CONFIG_FILE, config.date, new_date)
    sections = {
        author
        for author, builder in data_words(config.vocabulary).sections.items()
        if builder == "measures"
    } | {"measures"}
    rolled = sum(
        _roll_file(path, sections, config.date)
        for path in data_paths(target)
        if path.parent.name == DATA_DIR
    )
    return Rolled(target, rolled, config.date, new_date)


def _next_year(date: dt.date) -> dt.date:
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _move_date(path: Path, old: dt.date, new: dt.date) -> None:
    """The report's date, and the old year in output names, changed line by line so the
    rest of report.yaml stays exactly as its authors wrote it."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if re.match(r"^date:\s", line):
            lines[index] = re.sub(re.escape(old.isoformat()), new.isoformat(), line)
        elif re.match(r"^\s*output:\s", line):
            lines[index] = line.replace(str(old.year), str(new.year))
    path.write_text("".join(lines), encoding="utf-8")


def _roll_file(path: Path, sections: set[str], old: dt.date) -> int:
    """Move the status of each measure of one data file into its history."""
    yaml = round_trip()
    document = yaml.load(path.read_text(encoding="utf-8"))
    if not isinstance(document, CommentedMap):
        return 0
    count = 0
    for section in sections & set(document):
        for measure in document[section] or []:
            _append_rating(measure, old)
            count += 1
    if count:
        _dump(yaml, document, path)
    return count


def _append_rating(measure: CommentedMap, date: dt.date) -> None:
    # a date object of its own each time: a shared one would be written as a YAML alias
    rating = CommentedMap(
        [("date", dt.date.fromordinal(date.toordinal())), ("status", measure["status"])]
    )
    if measure.get("assessor"):
        rating["assessor"] = measure["assessor"]
    rating.fa.set_flow_style()
    history = measure.get("history")
    if not isinstance(history, CommentedSeq):
        history = CommentedSeq()
        measure["history"] = history
    history.append(rating)


def _dump(yaml: YAML, document: object, path: Path) -> None:
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")
