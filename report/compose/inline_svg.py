"""A chart's SVG made fit to sit inside a web page, as many times as the page needs.

``charts.py`` draws each chart as a standalone SVG file with a fixed hash salt, so that
the PDF is reproducible; the price is that two charts share ids (the clip path of the
axes, the hatch patterns of the statuses). Inline in one HTML page, the second chart
would then be clipped and filled by the first one's definitions. Here each id, and each
reference to it, takes a prefix the page chooses.

The file is also cut down for the web: no XML declaration, DOCTYPE or metadata; no
whitespace between elements; path data without the spaces it does not need; shapes'
coordinates rounded to a hundredth of a point (texts' are kept: Chromium snaps text to
the pixel grid, and a hundredth can move a label by a pixel); and matplotlib's dot
hatch, 150 KB a chart, written as a small tile (``svg_hatches.py``). The two status
charts of the default report go from 153 KB to 5 KB each, drawn the same in Chromium.

matplotlib's one style rule (``*{stroke-linejoin: round; stroke-linecap: butt}``) would
apply to the whole page once inline; its properties move to the root's style, whence
they reach every element of the chart by inheritance. The root says what the chart is
to assistive technologies (``role="img"`` and the page's label), scales down on a
narrow screen (``max-width:100%;height:auto``) and takes no keyboard focus.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from report.compose.svg_hatches import PLACES, SVG, shrink_dot_tiles

XLINK = "http://www.w3.org/1999/xlink"
HREFS = ("href", f"{{{XLINK}}}href")

ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")  # safe in an id, a url(#...) and CSS
URL_REFERENCE = re.compile(r"""url\(\s*(['"]?)#([^'")\s]+)\1\s*\)""")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
PATH_TOKEN = re.compile(rf"[A-Za-z]|{NUMBER.pattern}")
# The attributes whose numbers are coordinates; a hundredth of a point is far below a
# pixel. The root's size and viewBox are kept exact.
GEOMETRY = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height"}
GEOMETRY |= {"transform", "points"}
TEXT_ELEMENTS = {f"{{{SVG}}}{name}" for name in ("text", "tspan", "textPath", "title", "desc")}
# Properties that children inherit: a "*" rule of these may move to the root's style.
INHERITED = {"stroke", "stroke-width", "stroke-linejoin", "stroke-linecap", "stroke-miterlimit"}
INHERITED |= {"fill", "fill-rule", "font-family", "font-size", "font-style", "font-weight"}
ROOT_STYLE = "max-width:100%;height:auto"  # the chart's own size, less on a narrow screen


def inline_svg(svg: str, id_prefix: str, label: str) -> str:
    """``svg`` (a chart drawn by ``charts.py``) as an ``<svg>`` element to place in an
    HTML page: its ids prefixed with ``id_prefix``, described by ``label``, smaller."""
    if not ID_PREFIX.match(id_prefix):
        raise ValueError(f"id prefix {id_prefix!r}: a letter, then letters, digits, - or _")
    if not label.strip():
        raise ValueError("a chart needs a label: without one a screen reader says 'image'")
    root = ElementTree.fromstring(svg)  # the declaration, DOCTYPE and comments are dropped
    if root.tag != f"{{{SVG}}}svg":
        raise ValueError(f"not an SVG document: <{root.tag}>")
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG}}}metadata":
                parent.remove(child)
    universal = _universal_style(root)
    shrink_dot_tiles(root)
    _compact(root)
    _prefix_ids(root, id_prefix)
    attributes = {
        name: root.attrib[name]
        for name in ("id", "width", "height", "viewBox")
        if name in root.attrib
    }
    attributes |= {
        "role": "img",
        "aria-label": label,  # escaped by the serialiser, like every attribute
        "focusable": "false",
        "style": ";".join([ROOT_STYLE, *universal]),
    }
    root.attrib.clear()
    root.attrib.update(attributes)
    return _serialise(root)


def _serialise(root: ElementTree.Element) -> str:
    """The markup with the namespaces written as HTML parsers read them: ``xmlns`` on
    the root, ``xlink:href`` (ElementTree would invent ``ns0:`` prefixes)."""
    xlink = False
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
        if f"{{{XLINK}}}href" in element.attrib:
            element.attrib = {
                name.replace(f"{{{XLINK}}}", "xlink:"): value
                for name, value in element.attrib.items()
            }
            xlink = True
    root.attrib = {"xmlns": SVG, **({"xmlns:xlink": XLINK} if xlink else {}), **root.attrib}
    return ElementTree.tostring(root, encoding="unicode")


def _universal_style(root: ElementTree.Element) -> list[str]:
    """matplotlib's ``<style>`` elements removed, their declarations returned for the
    root's style: a rule for ``*`` of properties that children inherit reaches the same
    elements from the root (an element's own style still wins over both; a presentation
    attribute, which the rule overrode, is removed). Any other rule is refused: it would
    style the whole page."""
    import tinycss2

    declarations: list[str] = []
    for parent in list(root.iter()):
        for child in [child for child in parent if child.tag == f"{{{SVG}}}style"]:
            sheet = child.text or ""
            for rule in tinycss2.parse_stylesheet(sheet, skip_whitespace=True, skip_comments=True):
                if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != "*":
                    raise ValueError(f"chart stylesheet not for '*': {sheet!r}")
                for declaration in tinycss2.parse_declaration_list(
                    rule.content, skip_whitespace=True, skip_comments=True
                ):
                    if (
                        declaration.type != "declaration"
                        or declaration.lower_name not in INHERITED
                        or declaration.important
                    ):
                        raise ValueError(
                            f"chart stylesheet with more than inherited properties: {sheet!r}"
                        )
                    value = tinycss2.serialize(declaration.value).strip()
                    declarations.append(f"{declaration.lower_name}:{value}")
            parent.remove(child)
    for parent in list(root.iter()):  # the <defs> that held only the style
        for child in list(parent):
            if child.tag == f"{{{SVG}}}defs" and len(child) == 0 and not child.attrib:
                parent.remove(child)
    names = {declaration.partition(":")[0] for declaration in declarations}
    for element in root.iter():
        for name in names & set(element.attrib):
            del element.attrib[name]
    return declarations


def _compact(root: ElementTree.Element) -> None:
    """Whitespace between elements dropped (never inside a text), path data written
    without spaces it does not need, coordinates rounded to a hundredth; inside a
    pattern, where a dot is 0.8 pt wide, they keep matplotlib's millionths."""
    in_patterns = {
        element for pattern in root.iter(f"{{{SVG}}}pattern") for element in pattern.iter()
    }
    for element in root.iter():
        if element.tag not in TEXT_ELEMENTS:
            if element.text is not None and not element.text.strip():
                element.text = None
            for child in element:
                if child.tail is not None and not child.tail.strip():
                    child.tail = None
        if element is root:
            continue
        if element.tag in TEXT_ELEMENTS:
            continue  # Chromium snaps text to the pixel grid: a hundredth can move it a pixel
        places = PLACES if element in in_patterns else 2
        for name, value in list(element.attrib.items()):
            if name == "d":
                element.set(name, _path(value, places))
            elif name in GEOMETRY:
                element.set(name, _numbers(value, places))


def _numbers(value: str, places: int) -> str:
    """Each number of an attribute rounded (``rotate(-0 82.6875 26.278795)``)."""
    return NUMBER.sub(lambda number: _number(float(number[0]), places), value)


def _path(d: str, places: int) -> str:
    """Path data with each number rounded and only the spaces between two numbers; left
    as it is when it holds arcs (their flags may be written together) or anything the
    tokens do not account for."""
    tokens = PATH_TOKEN.findall(d)
    if "".join(tokens) != re.sub(r"[\s,]+", "", d) or any(t in ("A", "a") for t in tokens):
        return d
    parts: list[str] = []
    for token in tokens:
        if token.isalpha():
            parts.append(token)
            continue
        number = _number(float(token), places)
        if parts and not parts[-1].isalpha() and not number.startswith("-"):
            parts.append(" ")
        parts.append(number)
    return "".join(parts)


def _prefix_ids(root: ElementTree.Element, prefix: str) -> None:
    """Every id, and every reference to one (``url(#id)``, ``href="#id"``), prefixed."""
    ids = {element.get("id") for element in root.iter()} - {None}

    def reference(match: re.Match[str]) -> str:
        quote, name = match[1], match[2]
        return f"url({quote}#{prefix}{name}{quote})" if name in ids else match[0]

    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, prefix + value)
            elif name in HREFS and value.startswith("#") and value[1:] in ids:
                element.set(name, f"#{prefix}{value[1:]}")
            elif "url(" in value:
                element.set(name, URL_REFERENCE.sub(reference, value))


def _number(value: float, places: int = 2) -> str:
    """A coordinate to ``places`` decimals, without the zeros that say nothing."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
