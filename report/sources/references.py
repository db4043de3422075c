"""References between entries, resolved once, when an entry is validated.

Authors write references as keys (``status: réalisée``, ``lead: [miprof]``, ``axis:
axe-1``); later stages want the object the key names. A field typed with :func:`ref`
takes the key, finds the object among those already validated (:class:`Known`, given as
the validation context) and holds the object itself, so templates read
``m.lead[0].name`` and nothing looks anything up twice. Serialising (``model_dump``, the
attached YAML) writes the key again, so exported data keeps the schema authors write.

An unknown key is a located validation error with the standard "did you mean"
sentence; so is anything else than a key (a mapping would be an entry nobody declared).
A key naming an entry that itself failed validation is not reported again: that entry's
own problem is the one to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, ValidationInfo
from pydantic_core import PydanticCustomError

from report.sources.problems import BROKEN_REFERENCE, UNKNOWN_REFERENCE, unknown_value


@dataclass
class Known:
    """What references may name, per section: the validated objects by key, and the keys
    of entries that were written but failed validation."""

    objects: dict[str, dict[Any, Any]] = field(default_factory=dict)
    broken: dict[str, set[Any]] = field(default_factory=dict)
    # False when a file or section could not be read at all: its keys are unknown, so an
    # unknown reference may be one of them and is not reported until that is fixed.
    complete: bool = True

    def add(self, section: str, key: Any, value: Any) -> None:
        """The first entry with a key wins; duplicates are reported by the data stage."""
        self.objects.setdefault(section, {}).setdefault(key, value)

    def add_broken(self, section: str, key: Any) -> None:
        self.broken.setdefault(section, set()).add(key)

    def lookup(self, section: str, value: Any, noun: str) -> Any:
        """The object named ``value``, or the validation error an author reads."""
        objects = self.objects.get(section, {})
        if value in objects:
            return objects[value]
        if value in self.broken.get(section, set()) or not self.complete:
            raise PydanticCustomError(BROKEN_REFERENCE, "refers to an entry with a problem")
        # Statuses are listed in the order report.yaml gives them; other keys sorted.
        listed = [str(key) for key in objects]
        allowed = listed if section == "statuses" else sorted(listed)
        raise PydanticCustomError(UNKNOWN_REFERENCE, unknown_value(value, allowed, noun))


def _resolver(section: str, noun: str, target: type, key: str):
    def resolve(value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, target):
            return value  # built in code (a selection, a test): already the object
        known = info.context.get("known") if isinstance(info.context, dict) else None
        if known is None:
            return value  # not the data stage: the field's type reports what is wrong
        if not isinstance(value, str | int) or isinstance(value, bool):
            # A mapping would be an entry the plan does not declare: only its key names it.
            article = "an" if noun[0] in "aeiou" else "a"
            got = "" if isinstance(value, dict | list) else f", got {value!r}"
            message = f"expected the {key} of {article} {noun}{got}"
            raise PydanticCustomError(UNKNOWN_REFERENCE, message)
        return known.lookup(section, value, noun)

    return resolve


def ref(section: str, noun: str, target: type, key: str = "key") -> Any:
    """The type of a field holding a reference: the key in YAML, the object in Python."""
    return Annotated[
        target,
        BeforeValidator(_resolver(section, noun, target, key)),
        PlainSerializer(attrgetter(key)),
    ]
