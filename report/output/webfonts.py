"""The theme's fonts for a web page: each face cut down to the page's characters, WOFF2.

The packaged OpenType files weigh 3.3 MB together; a browser needs only the glyphs
the page shows. Each face is subset to the page's text (both cases, since the styles set
some lines in capitals) plus printable ASCII, keeping the layout features the styles ask
for (old-style and lining figures, small capitals, kerning, ligatures), and saved as
WOFF2 without hinting. The faces come from the ``@font-face`` rules of
``styles/report.css``, which the PDF uses, so the list of faces is written once.

The bytes depend only on the fonts and the text: the files keep their own ``head``
dates (fontTools is asked not to stamp the time of the build), so a site built twice
publishes the same files and caches stay valid.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from fontTools import version as FONTTOOLS_VERSION

from report import PROJECT_STYLES
from report.errors import RenderError
from report.output.files import write_atomically

STYLESHEET = PROJECT_STYLES / "report.css"
ASCII = {chr(code) for code in range(0x20, 0x7F)}  # whatever a template may add in ASCII
# What report.css asks of the fonts: onum/lnum (font-variant-numeric), smcp/c2sc
# (all-small-caps), tabular and proportional figures, kerning and ligatures; and what
# browsers apply to every text, so that accents typed apart (NFD) still sit in place.
FEATURES = ["kern", "liga", "onum", "lnum", "smcp", "c2sc", "pnum", "tnum"]
FEATURES += ["ccmp", "locl", "mark", "mkmk"]
# FontForge's timestamps (FFTM) mean nothing to a browser, and fontTools would warn
# "FFTM NOT subset" for each face; MATH serves MathML, which a report page does not
# hold. Both dropped, with the tables fontTools drops already.
DROPPED_TABLES = ["FFTM", "MATH"]
WEIGHTS = {"normal": 400, "bold": 700}


@dataclass(frozen=True)
class FontFace:
    """One face an ``@font-face`` rule declares: its family, style, weight and file."""

    family: str
    style: str  # "normal" or "italic", as CSS writes them
    weight: int  # 400, 700...
    path: Path


@dataclass(frozen=True)
class WebFont:
    """One subset face to publish as ``fonts/<filename>``, and the rule that loads it."""

    filename: str
    data: bytes
    css: str


def packaged_faces() -> list[FontFace]:
    """The faces ``styles/report.css`` declares, in its order: what the PDF prints with."""
    return faces_in(STYLESHEET.read_text(encoding="utf-8"), STYLESHEET.parent)


def faces_in(css: str, base: Path) -> list[FontFace]:
    """The faces of a stylesheet's ``@font-face`` rules; ``src`` is resolved from ``base``
    (the stylesheet's folder). A rule without a family or a ``url()`` is not a face."""
    import tinycss2

    faces = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or not rule.content:
            continue
        values = {
            declaration.lower_name: [
                token for token in declaration.value if token.type not in ("whitespace", "comment")
            ]
            for declaration in tinycss2.parse_declaration_list(
                rule.content, skip_comments=True, skip_whitespace=True
            )
            if declaration.type == "declaration"
        }
        family = _family(values.get("font-family", []))
        url = _first_url(values.get("src", []))
        if not family or not url:
            continue
        faces.append(
            FontFace(
                family=family,
                style=_keyword(values.get("font-style", []), "normal"),
                weight=_weight(values.get("font-weight", [])),
                path=(base / url).resolve(),
            )
        )
    return faces


def _family(tokens: list) -> str:
    """``"Linux Libertine O"`` or ``Linux Libertine O`` (identifiers joined by spaces)."""
    if len(tokens) == 1 and tokens[0].type == "string":
        return tokens[0].value
    return " ".join(token.value for token in tokens if token.type == "ident")


def _first_url(tokens: list) -> str | None:
    """The address of the first ``url(...)`` of a ``src`` list, quoted or not."""
    for token in tokens:
        if token.type == "url":
            return token.value
        if token.type == "function" and token.lower_name == "url":
            strings = [arg for arg in token.arguments if arg.type == "string"]
            if strings:
                return strings[0].value
    return None


def _keyword(tokens: list, default: str) -> str:
    return tokens[0].lower_value if tokens and tokens[0].type == "ident" else default


def _weight(tokens: list) -> int:
    if tokens and tokens[0].type == "number" and tokens[0].is_integer:
        return tokens[0].int_value
    return WEIGHTS.get(_keyword(tokens, "normal"), 400)


def web_fonts(
    faces: list[FontFace],
    text: str,
    families: set[str] | None = None,
    cache_dir: Path | None = None,
) -> list[WebFont]:
    """Each face (of ``families`` only, when given) subset to ``text``, as WOFF2 files
    named after the face's file (``LinLibertine_R.woff2``) with their ``@font-face`` rule.

    Subsetting takes a quarter of a second a face; with ``cache_dir``, a face cut to the
    same characters before is read back instead (an edit rarely brings a new letter)."""
    wanted = None if families is None else {family.casefold() for family in families}
    characters = _characters(text)
    return [
        _cached(face, characters, cache_dir)
        for face in faces
        if wanted is None or face.family.casefold() in wanted
    ]


def _cached(face: FontFace, characters: set[int], cache_dir: Path | None) -> WebFont:
    if cache_dir is None:
        return _web_font(face, characters)
    stat = face.path.stat()
    key = hashlib.sha256(
        repr((face.path.name, stat.st_size, stat.st_mtime_ns, sorted(characters))).encode()
        + FONTTOOLS_VERSION.encode()
    ).hexdigest()[:24]
    path = cache_dir / f"{face.path.stem}.{key}.woff2"
    filename = f"{face.path.stem}.woff2"
    if path.is_file():
        return WebFont(filename, path.read_bytes(), font_face_rule(face, filename))
    font = _web_font(face, characters)
    with contextlib.suppress(RenderError):  # a cache that cannot be written is no cache
        write_atomically(path, font.data)
    return font


def _characters(text: str) -> set[int]:
    """The code points to keep: the text's in both cases (``text-transform: uppercase``
    turns é into É), and printable ASCII."""
    characters = set(text) | ASCII
    for character in list(characters):
        characters.update(c for c in (character.upper(), character.lower()) if len(c) == 1)
    return {ord(character) for character in characters}


def _web_font(face: FontFace, characters: set[int]) -> WebFont:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.hinting = False
    options.desubroutinize = True  # smaller once compressed: WOFF2 finds the repeats itself
    options.drop_tables = [*options.drop_tables, *DROPPED_TABLES]
    options.recalc_timestamp = False  # the face's own date, not the build's: same bytes
    font = subset.load_font(str(face.path), options, dontLoadGlyphNames=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=characters)
        subsetter.subset(font)
        buffer = io.BytesIO()
        subset.save_font(font, buffer, options)
    finally:
        font.close()
    filename = f"{face.path.stem}.woff2"
    return WebFont(filename, buffer.getvalue(), font_face_rule(face, filename))


def font_face_rule(face: FontFace, filename: str) -> str:
    """The ``@font-face`` rule of a published face, its file beside the page in ``fonts/``."""
    return (
        f"@font-face {{ font-family: {_css_string(face.family)}; font-style: {face.style}; "
        f"font-weight: {face.weight}; font-display: swap; "
        f'src: url("fonts/{filename}") format("woff2"); }}'
    )


def _css_string(value: str) -> str:
    """A CSS string: quotes and backslashes escaped, line breaks as escapes."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'
