"""References between entries: a key in YAML, the object in Python, the key again on export.

A small schema declares its reference fields with ``ref()`` when each test runs (the
report's own models call it once, at import), and its YAML goes through ``parse_yaml`` and
``problems_from`` as in the data stage, so each problem reads as an author would see it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from report.sources.files import parse_yaml
from report.sources.model import Axis, Body
from report.sources.problems import problems_from
from report.sources.references import Known, ref
from report.sources.strict import Strict

PATH = Path("data.yaml")
AXIS = Axis(key="a1", title="Prévenir")
MIN, ARS, DGS = (Body(key=key, name=key.upper()) for key in ("min", "ars", "dgs"))


def schema() -> type[Strict]:
    """A measure-like schema: one axis, a list of lead bodies."""
    axis_ref = ref("axes", "axis", Axis)
    body_ref = ref("bodies", "body", Body)

    class Holder(Strict):
        axis: axis_ref
        lead: tuple[body_ref, ...] = ()

    return Holder


def known(complete: bool = True) -> Known:
    """Bodies declared in the order min, ars, dgs (not alphabetical)."""
    found = Known(complete=complete)
    found.add("axes", "a1", AXIS)
    for body in (MIN, ARS, DGS):
        found.add("bodies", body.key, body)
    return found


def validate(text: str, context: Known | None = None) -> Strict:
    return schema().model_validate(parse_yaml(text, PATH), context={"known": context or known()})


def problems(text: str, context: Known | None = None) -> list[str]:
    model, raw = schema(), parse_yaml(text, PATH)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(raw, context={"known": context or known()})
    return [str(problem) for problem in problems_from(caught.value, raw, PATH, model)]


def test_a_key_becomes_the_object_it_names() -> None:
    holder = validate("axis: a1\nlead: [dgs, min]\n")
    assert holder.axis is AXIS and holder.axis.title == "Prévenir"
    assert holder.lead == (DGS, MIN)


def test_an_exported_reference_is_its_key_again() -> None:
    holder = validate("axis: a1\nlead: [dgs, min]\n")
    assert holder.model_dump(mode="json") == {"axis": "a1", "lead": ["dgs", "min"]}


def test_the_first_entry_with_a_key_is_the_one_named() -> None:
    """A duplicate key is the data stage's to report; references keep to the first."""
    found = known()
    found.add("axes", "a1", Axis(key="a1", title="Doublon"))
    assert validate("axis: a1\n", found).axis is AXIS


def test_an_unknown_key_lists_the_declared_ones_sorted() -> None:
    assert problems("axis: a2\nlead: [min, mnistere]\n") == [
        "data.yaml:1: axis: 'a2' is not a known axis (allowed: a1)",
        "data.yaml:2: lead[1]: 'mnistere' is not a known body (allowed: ars, dgs, min)",
    ]


def test_a_number_is_looked_up_like_a_key() -> None:
    assert problems("axis: 1\n") == [
        "data.yaml:1: axis: '1' is not a known axis (allowed: a1; did you mean 'a1'?)"
    ]


def test_anything_but_a_key_is_refused_with_the_key_expected() -> None:
    assert problems("axis: {key: a9, title: Fantôme}\nlead: [true, [min], 1.5]\n") == [
        "data.yaml:1: axis: expected the key of an axis",
        "data.yaml:2: lead[0]: expected the key of a body, got True",
        "data.yaml:2: lead[1]: expected the key of a body",
        "data.yaml:2: lead[2]: expected the key of a body, got 1.5",
    ]


def test_a_measure_is_named_by_its_number() -> None:
    number_ref = ref("axes", "axis", Axis, key="number")

    class Numbered(Strict):
        axis: number_ref

    found = Known()
    found.add("axes", 3, Axis(key="a3", number=3))
    raw = parse_yaml("axis: {number: 3}\n", PATH)
    with pytest.raises(ValidationError) as caught:
        Numbered.model_validate(raw, context={"known": found})
    [problem] = problems_from(caught.value, raw, PATH, Numbered)
    assert str(problem) == "data.yaml:1: axis: expected the number of an axis"
    numbered = Numbered.model_validate({"axis": 3}, context={"known": found})
    assert numbered.model_dump() == {"axis": 3}


def test_a_reference_to_a_broken_entry_is_not_reported_again() -> None:
    found = known()
    found.add_broken("bodies", "dgpn")
    assert problems("axis: a1\nlead: [dgpn]\n", found) == []


def test_while_a_file_is_unreadable_unknown_keys_wait_and_known_ones_resolve() -> None:
    incomplete = known(complete=False)
    assert problems("axis: a9\n", incomplete) == []
    assert validate("axis: a1\n", incomplete).axis is AXIS


def test_objects_built_in_code_are_kept_as_they_are() -> None:
    model = schema()
    assert model(axis=AXIS, lead=(ARS,)).lead[0] is ARS
    holder = model.model_validate({"axis": AXIS, "lead": [ARS]}, context={"known": known()})
    assert holder.axis is AXIS and holder.lead == (ARS,)


@pytest.mark.parametrize("context", [None, {}, "known"], ids=["none", "empty", "not-a-dict"])
def test_outside_the_data_stage_a_key_is_not_looked_up(context: object) -> None:
    """Without the data stage's ``known`` entries, a key is just a wrong type."""
    with pytest.raises(ValidationError, match="valid dictionary or instance of Axis"):
        schema().model_validate({"axis": "a1"}, context=context)
