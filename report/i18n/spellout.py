"""Whole numbers in words: "quarante-cinq", "vingt et une", "forty-five".

French correspondence writes small counts in words ("trois mesures sur quarante-cinq"),
and so does careful English prose. Babel formats digits but does not spell numbers out,
and a letter to a minister's office is no place for "3 ont été réalisées". This module
spells whole numbers below a billion in French (traditional spelling, as the Imprimerie
nationale writes them: "vingt et un", "quatre-vingts", "deux cents", "deux cent mille")
and in English (British "one hundred and five", American "one hundred five").
A language it does not know, or a number it cannot spell, returns None: the caller
falls back to digits.
"""

from __future__ import annotations

LIMIT = 1_000_000_000

FR_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}

EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def spell(value: int, language: str, gender: str = "") -> str | None:
    """``value`` in words in ``language`` ('fr', 'en', 'en-US'...), or None when this
    module cannot spell it. ``gender`` 'f' gives the feminine where French has one
    ("une", "vingt et une")."""
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) >= LIMIT:
        return None
    base = language.split("-")[0]
    if base == "fr":
        words = _french(abs(value), gender == "f")
        return f"moins {words}" if value < 0 else words
    if base == "en":
        words = _english(abs(value), joined=language != "en-US")
        return f"minus {words}" if value < 0 else words
    return None


# --- French ---------------------------------------------------------------------------


def _french(number: int, feminine: bool) -> str:
    if number == 0:
        return FR_UNITS[0]
    millions, rest = divmod(number, 1_000_000)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:  # a noun: "deux cents millions", "quatre-vingts millions"
        parts.append(f"{_fr_below_1000(millions, False)} million" + "s" * (millions > 1))
    if thousands:  # not a noun: "deux cent mille", "vingt et un mille"
        parts.append(
            "mille" if thousands == 1 else f"{_fr_below_1000(thousands, False, last=False)} mille"
        )
    if units:
        parts.append(_fr_below_1000(units, feminine))
    return " ".join(parts)


def _fr_below_1000(number: int, feminine: bool, last: bool = True) -> str:
    """1-999. ``last``: no "mille" follows, so "cents" and "quatre-vingts" take their s
    when they end the number."""
    hundreds, rest = divmod(number, 100)
    parts = []
    if hundreds:
        plural = hundreds > 1 and not rest and last
        parts.append(("cent" if hundreds == 1 else f"{FR_UNITS[hundreds]} cent") + "s" * plural)
    if rest:
        parts.append(_fr_below_100(rest, feminine, last))
    return " ".join(parts)


def _fr_below_100(number: int, feminine: bool, last: bool = True) -> str:
    if number == 1:
        return "une" if feminine else "un"
    if number < 20:
        return FR_UNITS[number]
    tens, unit = divmod(number, 10)
    if tens == 7:  # soixante-dix, soixante et onze, soixante-douze...
        return "soixante et onze" if unit == 1 else f"soixante-{FR_UNITS[10 + unit]}"
    if tens == 9:  # quatre-vingt-dix, quatre-vingt-onze...
        return f"quatre-vingt-{FR_UNITS[10 + unit]}"
    if tens == 8:  # quatre-vingts, quatre-vingt-un, quatre-vingt-une
        if unit == 0:
            return "quatre-vingts" if last else "quatre-vingt"
        return f"quatre-vingt-{_fr_below_100(unit, feminine)}"
    if unit == 0:
        return FR_TENS[tens]
    if unit == 1:
        return f"{FR_TENS[tens]} et {'une' if feminine else 'un'}"
    return f"{FR_TENS[tens]}-{FR_UNITS[unit]}"


# --- English --------------------------------------------------------------------------


def _english(number: int, joined: bool) -> str:
    """British English says "one hundred and five"; American English, "one hundred five"."""
    if number == 0:
        return EN_UNITS[0]
    parts = []
    for size, name in ((1_000_000, "million"), (1000, "thousand")):
        count, number = divmod(number, size)
        if count:
            parts.append(f"{_en_below_1000(count, joined)} {name}")
    if number:
        below = _en_below_1000(number, joined)
        and_ = joined and parts and number < 100
        parts.append(f"and {below}" if and_ else below)
    return " ".join(parts)


def _en_below_1000(number: int, joined: bool) -> str:
    hundreds, rest = divmod(number, 100)
    parts = [f"{EN_UNITS[hundreds]} hundred"] if hundreds else []
    if rest:
        below = EN_UNITS[rest] if rest < 20 else _en_tens(rest)
        parts.append(f"and {below}" if hundreds and joined else below)
    return " ".join(parts)


def _en_tens(number: int) -> str:
    tens, unit = divmod(number, 10)
    return EN_TENS[tens] + (f"-{EN_UNITS[unit]}" if unit else "")
