"""The one path check, function by function: what is inside a content folder, how a name
leading out is refused, and how folders are listed and walked without following links.

``test_paths.py`` tries the same through the command line; these run in a few
milliseconds on folders made in ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_files

from report.errors import SourceError
from report.sources.paths import LINK_OUTSIDE, OUTSIDE, checked, files_in, inside, walk


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``c/`` with two chapters, and ``secret.md`` beside it; the cwd is ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {"c/chapters/01.md": "# Un\n", "c/chapters/02.md": "# Deux\n"})
    (tmp_path / "secret.md").write_text("secret\n", encoding="utf-8")
    return Path("c")


def refusal(path: Path, *roots: Path) -> str:
    with pytest.raises(SourceError) as caught:
        checked(path, *roots)
    [problem] = caught.value.problems
    return str(problem)


def test_a_file_inside_is_returned_as_named(content: Path) -> None:
    path = content / "chapters" / ".." / "chapters" / "01.md"
    assert checked(path, content) is path


def test_a_name_leading_out_is_refused_in_one_line(content: Path) -> None:
    assert refusal(content / ".." / "secret.md", content) == f"secret.md: {OUTSIDE}"


def test_a_link_leading_out_is_told_as_a_link(content: Path) -> None:
    (content / "chapters" / "03.md").symlink_to(Path("../../secret.md"))
    assert refusal(content / "chapters" / "03.md", content) == f"c/chapters/03.md: {LINK_OUTSIDE}"


def test_a_folder_link_leading_out_is_refused_for_every_file_under_it(content: Path) -> None:
    (content / "annexes").symlink_to(Path("..").resolve())
    assert refusal(content / "annexes" / "secret.md", content) == (
        f"c/annexes/secret.md: {OUTSIDE}"
    )


def test_any_of_several_roots_will_do(content: Path, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    write_files(styles, {"report.css": "p {}\n"})
    assert inside(styles / "report.css", content, styles)
    assert not inside(tmp_path / "secret.md", content, styles)
    assert checked(styles / "report.css", content, styles) == styles / "report.css"


def test_a_folders_files_are_listed_by_name_and_each_checked(content: Path) -> None:
    chapters = content / "chapters"
    assert files_in(chapters, "*.md", content) == [chapters / "01.md", chapters / "02.md"]
    (chapters / "00.md").symlink_to(Path("../../secret.md"))
    with pytest.raises(SourceError, match="is a link to a file outside"):
        files_in(chapters, "*.md", content)


def test_a_folder_outside_is_refused_before_its_files_are_listed(
    content: Path, tmp_path: Path
) -> None:
    write_files(tmp_path, {"ailleurs/01.md": "# Ailleurs\n"})
    with pytest.raises(SourceError, match="is outside the content folder"):
        files_in(content / ".." / "ailleurs", "*.md", content)


def test_walking_lists_every_file_by_path_and_skips_caches_and_the_output(
    content: Path,
) -> None:
    write_files(
        content,
        {
            "data/b.yaml": "",
            "data/a.yaml": "",
            "__pycache__/x.pyc": "",
            "out/rapport.pdf": "",
            "report.yaml": "",
        },
    )
    found = [
        path.relative_to(content).as_posix() for path in walk(content, skipped=content / "out")
    ]
    assert found == [
        "report.yaml",
        "chapters/01.md",
        "chapters/02.md",
        "data/a.yaml",
        "data/b.yaml",
    ]
    assert "out/rapport.pdf" in [p.relative_to(content).as_posix() for p in walk(content)]


def test_walking_lists_a_link_as_itself_and_never_enters_it(content: Path) -> None:
    (content / "ailleurs").symlink_to(Path("..").resolve())
    (content / "chapters" / "secret.md").symlink_to(Path("../../secret.md"))
    found = [path.relative_to(content).as_posix() for path in walk(content)]
    assert found == ["ailleurs", "chapters/01.md", "chapters/02.md", "chapters/secret.md"]
