"""The proposed changes in report/, chosen by what the measured code already does.

Each proposal names the fact (benchmarks/facts.py) that makes it worth doing, so a change
once made moves to "already in the measured code" instead of being proposed again. An
unknown fact (its source not found) neither proposes nor claims anything.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks.facts import Facts

DONE = {
    "fingerprint_ignores_force": "`--force` and `--strict` are kept out of the build "
    "fingerprint (report/app/build.py `input_fingerprint`), so a plain build right after a "
    "`--force` one is up to date (*extra check*).",
    "gc_off_in_render": "No cyclic garbage collection while WeasyPrint lays out and writes "
    "(report/output/render.py `render_pdf`, `gc.disable()` ... `gc.enable()`).",
    "skips_teardown": "The console script skips the interpreter's heap teardown "
    "(`report.app.cli:run`: `main()`, flush, `os._exit`); the benchmarks call it as the script "
    "does, so the *interpreter exit* row is near zero.",
}


def _known_false(fact: str) -> Callable[[Facts], bool]:
    return lambda facts: facts.get(fact) is False


def _true(*names: str) -> Callable[[Facts], bool]:
    return lambda facts: all(facts.get(name) for name in names)


# (when to propose it, the proposal), in the order they are listed
TODO: tuple[tuple[Callable[[Facts], bool], str], ...] = (
    (
        _known_false("fingerprint_ignores_force"),
        "**Keep `--force` out of the fingerprint** (report/app/build.py, `input_fingerprint`): "
        "hashing the whole `BuildOptions` repr includes `force` (and `strict`), so a plain "
        "`report build` right after `report build --force` never matches the record and "
        "rebuilds everything (*extra check*). Hash `replace(options, force=False, "
        "strict=False)` or only the fields that change the PDF.",
    ),
    (
        _true("fix_tags_after_gc_enable"),
        "**Run the tagged-PDF repair with the garbage collector still off** "
        "(report/output/render.py, `render_pdf`): `fix_tags(pdf)` is called in the `return` "
        "statement, after the `finally` has re-enabled the collector, while WeasyPrint's "
        "`Document` (millions of objects) is still alive; every full collection during "
        "the repair walks that whole heap. Call `fix_tags` inside the `try` (or keep the "
        "collector off until it returns). The what-if table measures exactly this.",
    ),
    (
        lambda facts: (
            not facts.get("fix_tags_after_gc_enable") and facts.get("gc_off_in_render") is False
        ),
        "**No cyclic garbage collection while WeasyPrint and pikepdf work** "
        "(report/output/render.py, `render_pdf`): `gc.disable()` before `weasyprint.HTML(...)`, "
        "`gc.enable()` (if it was enabled) after the tagged-PDF repair. Nothing "
        "WeasyPrint builds becomes garbage before the PDF is written, so these collections "
        "free nothing (what-if table).",
    ),
    (
        _true("fix_tags", "refresh_walks"),
        "**Walk the structure tree less** (report/output/tagging/): `StructTree.refresh` walks "
        "the whole tree in Python four times (after `load` and after each editing pass), "
        "`PageMarks.scan` parses every page's content stream and keeps them all, and the "
        "file is parsed and saved a second time by pikepdf. Keeping `order`/`parents` up "
        "to date as `merge_nested_links` and `remove_empty_elements` edit the tree saves "
        "most of the walking; scanning pages one at a time lowers the memory the repair "
        "adds on top of WeasyPrint's (see the memory high-water marks).",
    ),
    (
        _true("fix_tags"),
        "**Lower the memory high-water mark**: `render_pdf` keeps WeasyPrint's `Document` "
        "alive until it returns, so pikepdf's copy of the PDF comes on top of it. "
        "Computing the page summaries first and dropping the document before `fix_tags` "
        "(`pages = [summarise(page) for page in document.pages]; del document`) lowers "
        "the peak, at the price of freeing the document at that point (time the "
        "`os._exit` at the end otherwise saves).",
    ),
    (
        _known_false("render_split"),
        "**Split the `render` stage** so `--debug` shows what the benchmarks measure from "
        "outside: in report/output/render.py, `layout_document(html, base_dir, stylesheets, "
        "allowed_roots) -> Document` (fetcher, `FontConfiguration`, `CSS(...)`, "
        "`HTML(...).render(...)`), `write_document(document, settings) -> bytes` "
        "(attachments and `write_pdf`), `summarise_pages(document)`, and `fix_tags` on "
        "its own; in report/app/build.py a timed stage each for `layout`, `pdf`, "
        "`summaries` and `tagging` in place of `render`, with the `_DropRefusals` filter "
        "and the collector switched off around the first two. WeasyPrint's import (0.3 to "
        "0.5 s) then shows inside `layout` unless it gets a stage of its own.",
    ),
    (
        _known_false("skips_teardown"),
        "**Skip the interpreter's teardown** (the *interpreter exit* row): a console "
        "entry point that calls `main()`, flushes stdout and stderr, calls "
        "`logging.shutdown()`, then `os._exit(code)`, declared in pyproject.toml "
        "`[project.scripts]`.",
    ),
    (
        lambda facts: True,
        "**Unchanged builds** (optional; the target passes): most of their time is importing "
        "report/app/build.py, which imports every stage (pydantic, Jinja, markdown-it, Babel, "
        "YAML, pikepdf) before the up-to-date check needs any of them. The fingerprint and "
        "build record in a small module imported first, the pipeline only when a build is "
        "needed, should bring it near the bare interpreter start-up (not measured).",
    ),
    (
        _true("recap_avoid"),
        "**Recap grid on large plans** (report/styles/report.css, `.recap { break-inside: avoid "
        "}`): a grid taller than a page is pushed to the next page, leaving what precedes "
        "it (a heading) alone on a page, which the gate reports as nearly empty. Avoiding "
        "breaks inside rows (`.recap-grid tr`) instead lets a long grid break between "
        "rows.",
    ),
)


def proposals_section(facts: Facts) -> list[str]:
    """What to change in report/ next, given what the measured code already does."""
    done = [text for key, text in DONE.items() if facts.get(key)]
    todo = [text for wanted, text in TODO if wanted(facts)]
    unknown = sorted(key for key, value in facts.items() if value is None)
    lines = ["## Proposed changes in report/ (not made by the benchmarks)", ""]
    if done:
        lines += ["Already in the measured code:", ""] + [f"- {text}" for text in done] + [""]
    if unknown:
        lines += [
            "Not checked, their source was not found in the measured tree: "
            + ", ".join(f"`{key}`" for key in unknown)
            + " (benchmarks/facts.py).",
            "",
        ]
    lines += ["Next:", ""]
    lines += [f"{index}. {text}" for index, text in enumerate(todo, 1)]
    return [*lines, ""]
