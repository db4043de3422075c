"""What the measured code already does, read from its source, to choose the proposals.

Kept in the measurements, so ``--load`` can rewrite the report without the tree.
"""

from __future__ import annotations

from benchmarks.trees import Tree

Facts = dict[str, bool]


def code_facts(tree: Tree) -> Facts:
    """What the measured code already does, read from its source (kept for --load)."""

    def text(name: str) -> str:
        path = tree.root / name
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    render, build, cli = text("report/render.py"), text("report/build.py"), text("report/cli.py")
    css, tagging = text("styles/report.css"), text("report/tagging.py")
    fingerprint = build[build.find("def input_fingerprint") :][:600]
    recap = next((line for line in css.splitlines() if line.startswith(".recap {")), "")
    return {
        "gc_off_in_render": "gc.disable()" in render,
        "fix_tags_after_gc_enable": (
            "gc.enable()" in render and "RenderedPdf(fix_tags(pdf)" in render
        ),
        "fix_tags": "fix_tags" in render,
        # the tree walked again after every editing pass (before the qpdf-JSON rewrite)
        "refresh_walks": "def refresh" in tagging and "to_json" not in tagging,
        "skips_teardown": tree.entry != "report.app.cli:main" and "os._exit" in cli,
        "fingerprint_ignores_force": "force=False" in fingerprint,
        "render_split": '_step("layout"' in build,
        "recap_avoid": "break-inside: avoid" in recap,
    }
