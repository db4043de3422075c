"""One sandbox for every template and expression, the content folder's overrides included.

A content folder is written by many hands (member associations send chapters, a
partner sends a template tweak) and may be built on a shared preview server, so nothing
in it may run code, read a file or exhaust the machine. Jinja's immutable sandbox
already refuses underscored attributes (``__class__``, ``__globals__``) and changes to
lists and dicts. :class:`ContentSandbox` adds what a report needs on top:

* **Read-only data views.** On the builder's own objects only what they declare for
  reading is reachable: model fields, dataclass fields, and the properties and methods
  the project's classes define (``m.status.label``, ``figures.category('done')``).
  pydantic's inherited methods (``parse_file``, ``model_validate_json``...) and
  ``model_*`` names are refused, and so is every attribute of an object that is neither
  plain data (text, numbers, dates, lists, mappings) nor the builder's nor Jinja's own.
* **Bounded resources.** A value may hold at most ``MAX_TEXT`` characters or items
  (string repetition, ``~`` concatenation, filters such as ``center``, ``**``), and the
  ``range()`` calls of one document may give ``MAX_RANGE_ITEMS`` items in all, so nested
  loops cannot run for hours. Going over is a ``SecurityError`` the caller turns into a
  located line, like a recursion that never ends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup
from pydantic import BaseModel

MAX_TEXT = 2_000_000  # characters (or items) one value may hold
MAX_RANGE_ITEMS = 1_000_000  # items all range() calls of one document may give
MAX_EXPONENT = 256  # larger powers of whole numbers take seconds and megabytes

PLAIN_DATA = (str, int, float, bool, list, tuple, dict, set, frozenset, dt.date, Markup)
JINJA_OWN = (LoopContext, Macro, Undefined, Cycler, Joiner, Namespace)
PROJECT = "report."


def _project_class(cls: type) -> bool:
    return cls.__module__.startswith(PROJECT)


@functools.cache
def _declared(cls: type, attribute: str) -> bool:
    """Whether the builder's class ``cls`` offers ``attribute`` for reading."""
    if attribute.startswith("model_"):
        return False
    if issubclass(cls, BaseModel) and attribute in cls.model_fields:
        return True
    if dataclasses.is_dataclass(cls) and attribute in {f.name for f in dataclasses.fields(cls)}:
        return True
    return any(attribute in vars(base) for base in cls.__mro__ if _project_class(base))


def readable(obj: Any, attribute: str) -> bool:
    """The attribute policy of the sandbox (see the module docstring)."""
    if _project_class(type(obj)):
        return _declared(type(obj), attribute)
    return isinstance(obj, PLAIN_DATA + JINJA_OWN)


class _BoundedConcat(CodeGenerator):
    """Compiles ``a ~ b`` so that its result goes through ``environment.bounded``."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded(")
        super().visit_Concat(node, frame)
        self.write(")")


class ContentSandbox(ImmutableSandboxedEnvironment):
    """The environment of every template and chapter expression (module docstring)."""

    code_generator_class = _BoundedConcat
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.range_left = MAX_RANGE_ITEMS
        self.filters = {name: self._bounded_call(f) for name, f in self.filters.items()}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return super().is_safe_attribute(obj, attr, value) and readable(obj, attr)

    def bounded(self, value: Any) -> Any:
        """Refuse a value too large to print: a runaway expression, not a report."""
        if isinstance(value, str | list | tuple | dict) and len(value) > MAX_TEXT:
            raise SecurityError(
                f"a value of {len(value):,} characters or items is over the limit of "
                f"{MAX_TEXT:,}; an expression repeats or joins too much"
            )
        return value

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"a power over {MAX_EXPONENT} is refused ({left} ** {right})")
        if operator == "*":
            _check_repetition(left, right)
        return self.bounded(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _check_sizes(args, kwargs)
        if __obj is safe_range:
            __self._spend_range(len(range(*args)))
        return __self.bounded(super().call(__context, __obj, *args, **kwargs))

    def _spend_range(self, items: int) -> None:
        self.range_left -= items
        if self.range_left < 0:
            raise SecurityError(
                f"the loops of this document go over {MAX_RANGE_ITEMS:,} items of range(); "
                "loop over the data instead"
            )

    def _bounded_call(self, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
        def bounded(*args: Any, **kwargs: Any) -> Any:
            _check_sizes(args, kwargs)
            return self.bounded(function(*args, **kwargs))

        return bounded


def _check_sizes(args: tuple, kwargs: dict) -> None:
    """A width, count or length argument beyond MAX_TEXT would build a huge text first."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise SecurityError(f"the number {value:,} is over the limit of {MAX_TEXT:,}")


def _check_repetition(left: Any, right: Any) -> None:
    for sequence, times in ((left, right), (right, left)):
        repeats = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if repeats and len(sequence) * times > MAX_TEXT:
            raise SecurityError(
                f"repeating {len(sequence):,} characters or items {times:,} times is over "
                f"the limit of {MAX_TEXT:,}"
            )


def with_column(message: str, text: str) -> str:
    """Jinja's lexer says "unexpected char '$' at 1234" (an offset in the whole text): say
    the column of the line instead, which an author can find."""
    found = re.search(r" at (\d+)$", message)
    if found is None:
        return message
    offset = int(found[1])
    column = offset - text.rfind("\n", 0, offset)
    return f"{message[: found.start()]} (column {column})"
