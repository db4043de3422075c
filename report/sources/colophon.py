"""What a French publication states about itself: ``colophon:`` in ``report.yaml``.

A reader, a librarian or a journalist looks for who published the report, under which
licence, how to cite it, and, for a printed book, its ISBN and legal deposit
(*dépôt légal*). The publisher's name, address and contact and the edition's date are
``report.yaml``'s own ``organisation``, ``address``, ``contact`` and ``date``; this
section adds the rest. Every value is optional: a colophon prints nothing it was not
given, so an unknown licence or ISBN is left out rather than guessed. An ISBN is checked
(its check digit), since a wrong one sends a library to another book.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from report.sources.dates import PartialDate
from report.sources.strict import Strict


class Colophon(Strict):
    """The colophon's settings beside the report's own (organisation, address, date)."""

    publisher: str = Field(
        default="", description="Who publishes the report (default: the organisation)."
    )
    url: str = Field(
        default="", description="Where the report is published online (http or https)."
    )
    licence: str = Field(default="", description="Licence of the report, e.g. CC BY 4.0.")
    licence_url: str = Field(default="", description="Address of the licence's text.")
    isbn: str = Field(default="", description="ISBN-13 or ISBN-10, with or without hyphens.")
    legal_deposit: PartialDate | None = Field(
        default=None, description="Month of the legal deposit (dépôt légal), YYYY-MM."
    )

    @field_validator("url", "licence_url")
    @classmethod
    def _web(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(f"'{value}' is not a web address; write it with https://")
        return value

    @field_validator("isbn")
    @classmethod
    def _isbn(cls, value: str) -> str:
        return checked_isbn(value) if value else value


def checked_isbn(value: str) -> str:
    """An ISBN whose check digit is right; a wrong one says which digit it should be."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{13}", digits):
        expected = str(-sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits[:12])) % 10)
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        check = -sum(int(d) * (10 - i) for i, d in enumerate(digits[:9])) % 11
        expected = "X" if check == 10 else str(check)
    else:
        raise ValueError(
            f"'{value}' is not an ISBN; write its 13 digits (or 10), hyphens allowed, "
            "e.g. 978-2-1234-5680-3"
        )
    if digits[-1] != expected:
        raise ValueError(
            f"'{value}' is not a valid ISBN: its last digit should be {expected}; copy it "
            "from the ISBN agency's record (AFNIL in France)"
        )
    return value
