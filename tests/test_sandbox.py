"""Untrusted templates and expressions: no code runs, no file is read, no runaway resources.

Every case is what a hostile or careless chapter or template override could hold; each
must end in one located line and exit 1, with nothing executed or read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from support import Project

from report.compose.sandbox import MAX_RANGE_ITEMS, MAX_TEXT, ContentSandbox

MARKER = Path("/tmp/advocacy-report-sandbox-marker")


def render(source: str, **values) -> str:
    return ContentSandbox(undefined=StrictUndefined).from_string(source).render(**values)


@pytest.fixture(autouse=True)
def no_marker():
    MARKER.unlink(missing_ok=True)
    yield
    assert not MARKER.exists(), "a template ran a command"


# --- through the command line: one located line -----------------------------------------


def test_a_template_override_cannot_run_a_command(project: Project, cli) -> None:
    project.write(
        "templates/partials/key_figures.html",
        "<div>\n{{ cycler.__init__.__globals__.os.popen('touch " + str(MARKER) + "').read() }}"
        "</div>\n",
    )
    project.append("chapters/01-synthese.md", "{{ key_figures() }}\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems == [
        "p/templates/partials/key_figures.html:2: template error: access to attribute "
        "'__init__' of 'type' object is unsafe.",
        "Build failed: 1 problem; nothing was written (any previous PDF in out is unchanged)",
    ]


def test_a_chapter_cannot_reach_pydantic_methods_that_read_files(project: Project, cli) -> None:
    line = project.append(
        "chapters/01-synthese.md", "{{ data.measures[0].parse_file('/etc/passwd') }}\n"
    )
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems[0] == (
        f"p/chapters/01-synthese.md:{line}: expression failed: access to attribute "
        "'parse_file' of 'Measure' object is unsafe.; check the name against docs/writing.md"
    )
    assert "root:" not in run.err


def test_a_template_cannot_read_a_file_through_a_path(project: Project, cli) -> None:
    project.write(
        "templates/partials/chapter.html",
        '<section id="{{ chapter.id }}">{{ chapter.path.read_text() }}</section>\n',
    )
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems[0] == (
        "p/templates/partials/chapter.html:1: template error: access to attribute "
        "'read_text' of 'PosixPath' object is unsafe."
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ 10 / 0 }}", "expression failed: division by zero"),
        (
            "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
            "expression failed: maximum recursion depth exceeded",
        ),
        ("{{ 'ab' * 10**8 }}", "expression failed: repeating 2 characters or items"),
    ],
    ids=["division by zero", "endless recursion", "repetition"],
)
def test_runaway_expressions_are_one_located_line(
    project: Project, cli, expression: str, message: str
) -> None:
    line = project.append("chapters/01-synthese.md", expression + "\n")
    run = cli("build", "p", "-o", "out")
    assert run.code == 1
    assert run.problems[0].startswith(f"p/chapters/01-synthese.md:{line}: {message}")
    assert "Traceback" not in run.err


# --- the sandbox itself ----------------------------------------------------------------


def test_declared_fields_properties_and_methods_are_readable(data, config) -> None:
    measure = data.measure_by_number[1]
    assert render("{{ m.status.label }} / {{ m.axis.number }}", m=measure) == (
        "Partiellement réalisée / 1"
    )
    assert render("{{ d.axis_by_key['axe-1'].number }}", d=data) == "1"
    assert render("{{ c.statuses[0].many }}", c=config) == "réalisées"


@pytest.mark.parametrize(
    "source",
    [
        "{{ m.model_dump_json() }}",
        "{{ m.model_validate_json('{}') }}",
        "{{ m.parse_raw('{}') }}",
        "{{ m.copy() }}",
        "{{ m.model_config }}",
        "{{ m.__class__ }}",
    ],
)
def test_inherited_pydantic_methods_are_refused(data, source: str) -> None:
    with pytest.raises(SecurityError):
        render(source, m=data.measure_by_number[1])


def test_objects_that_are_not_plain_data_show_nothing() -> None:
    with pytest.raises(SecurityError):
        render("{{ p.read_text() }}", p=Path("/etc/passwd"))
    with pytest.raises(SecurityError):
        render("{{ p.parent }}", p=Path("/etc/passwd"))


def test_plain_data_keeps_its_reading_methods() -> None:
    assert render("{{ 'a,b'.split(',') | join('+') }} {{ d.get('x') }}", d={"x": 1}) == "a+b 1"


def test_lists_and_mappings_cannot_be_changed() -> None:
    with pytest.raises(SecurityError):
        render("{{ d.update({'x': 2}) }}", d={"x": 1})


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'ab' * 2000000 }}",
        "{{ [1] * 3000000 }}",
        "{{ 'x' | center(1000000000) }}",
        "{{ 'x'.ljust(1000000000) }}",
        "{{ 9 ** 99999 }}",
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    ],
    ids=["text repetition", "list repetition", "filter width", "method width", "power", "concat"],
)
def test_values_are_bounded(source: str) -> None:
    with pytest.raises(SecurityError):  # refused before it is computed
        render(source)


def test_nested_loops_are_bounded_for_the_whole_document() -> None:
    sandbox = ContentSandbox()
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    with pytest.raises(SecurityError, match="range"):
        sandbox.from_string(loops + loops).render()


def test_a_value_just_under_the_limit_is_fine() -> None:
    assert len(render("{{ 'a' * n }}", n=MAX_TEXT)) == MAX_TEXT


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{{ 'ab' * 1000001 }}",
            "repeating 2 characters or items 1,000,001 times is over the limit of 2,000,000",
        ),
        (
            "{{ 'a' * 2000000 ~ 'b' }}",
            "a value of 2,000,001 characters or items is over the limit of 2,000,000; "
            "an expression repeats or joins too much",
        ),
        ("{{ 'x' | center(2000001) }}", "the number 2,000,001 is over the limit of 2,000,000"),
        ("{{ 9 ** 257 }}", "a power over 256 is refused (9 ** 257)"),
    ],
    ids=["repetition", "concat", "width", "power"],
)
def test_each_limit_says_what_went_over(source: str, message: str) -> None:
    """The text a chapter's author reads after "expression failed: "."""
    with pytest.raises(SecurityError) as caught:
        render(source)
    assert str(caught.value) == message


def test_values_at_the_limits_are_fine() -> None:
    assert len(render("{{ 'x' | center(n) }}", n=MAX_TEXT)) == MAX_TEXT
    assert render("{{ 2 ** 256 }}") == str(2**256)
    assert render("{{ 6 * 7 }} {{ 3 * n }}", n=MAX_TEXT) == f"42 {3 * MAX_TEXT}"


def test_a_document_may_spend_its_whole_range_budget_and_not_one_item_more() -> None:
    sandbox = ContentSandbox()
    whole = "{% set r = range(100000) %}" * (MAX_RANGE_ITEMS // 100000)
    assert sandbox.from_string(whole + "ok").render() == "ok"
    with pytest.raises(SecurityError) as caught:
        sandbox.from_string("{% set r = range(1) %}").render()
    assert str(caught.value) == (
        "the loops of this document go over 1,000,000 items of range(); loop over the data instead"
    )
