"""matplotlib's dot hatches written once a small tile instead of 352 times a big one.

matplotlib fills a dotted bar with a 72 pt pattern tile holding every dot of the tile,
each a circle of eight curves written out in full: 148 KB for one pattern, which the two
status charts each carry. The dots stand on a lattice (every 4 pt across, every 8 pt
down, staggered), so a tile a few steps wide repeats the same dots. Here the tile
becomes the smallest one that is a whole number of CSS pixels at the chart's own size
(12 x 24 pt, 16 x 32 px), as matplotlib's 72 pt (96 px) was: browsers then lay its
copies on the pixel grid as they laid the old ones. The dot itself is kept as
matplotlib drew it (the same curves, to the micrometre), written once, and placed with
``<use>``: ``<circle>`` elements would be smaller still, but Chromium smooths their
edges otherwise than the curves', and the chart would no longer be drawn the same.

Anything that is not exactly such a tile (another shape, dots that touch, a lattice
the tile cuts) is left as matplotlib wrote it.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree

SVG = "http://www.w3.org/2000/svg"
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
PATH_TOKEN = re.compile(rf"[A-Za-z]|{NUMBER.pattern}")
CSS_PIXEL = 4 / 3  # pixels in a point: matplotlib's user unit is the point
PLACES = 6  # matplotlib writes coordinates to a millionth: kept so inside a pattern
EPSILON = 1e-6
Point = tuple[float, float]


def shrink_dot_tiles(root: ElementTree.Element) -> None:
    """Every dot-hatch pattern of a chart in its smallest tile, drawn the same."""
    for pattern in root.iter(f"{{{SVG}}}pattern"):
        _shrink(pattern)


def _shrink(pattern: ElementTree.Element) -> None:
    """The tile's dots must be one shape, round, repeated without touching on a lattice
    the tile repeats, and no dot of the lattice may straddle the tile's border without
    being in it (the old tile cut it where the new one would not)."""
    if not _plain_tile(pattern):
        return
    width, height = float(pattern.get("width", "")), float(pattern.get("height", ""))
    rects = [child for child in pattern if child.tag == f"{{{SVG}}}rect"]
    paths = [child for child in pattern if child.tag == f"{{{SVG}}}path"]
    if len(paths) != 1 or len(rects) + 1 != len(pattern) or paths[0].get("transform"):
        return
    if not all(_covers(rect, width, height) for rect in rects):
        return
    path = paths[0]
    dots, stroke = _dots(path.get("d", "")), _stroke_width(path)
    if dots is None or stroke is None:
        return
    outline, radius, centres = dots
    reach = radius + stroke / 2  # how far a dot's paint goes from its centre
    if _closest(centres) <= 2 * reach:  # touching dots: one path and many differ
        return
    lattice = _lattice(centres, width, height, reach)
    if lattice is None:
        return
    step_x, step_y, basis = lattice
    tile_x, tile_y = _whole_pixels(step_x, width), _whole_pixels(step_y, height)
    kept = sorted(
        (y, x)
        for x, y in _repeat(basis, step_x, step_y, (-reach, tile_x + reach, -reach, tile_y + reach))
        if -reach + EPSILON < x < tile_x + reach - EPSILON
        and -reach + EPSILON < y < tile_y + reach - EPSILON
    )
    pattern.set("width", _exact(tile_x))
    pattern.set("height", _exact(tile_y))
    for rect in rects:  # the background: as much larger than the tile as it was
        rect.set("width", _exact(tile_x + float(rect.get("width", "")) - width))
        rect.set("height", _exact(tile_y + float(rect.get("height", "")) - height))
    dot_id = f"{pattern.get('id')}-dot"
    defs = ElementTree.Element(f"{{{SVG}}}defs")
    attributes = {name: value for name, value in path.attrib.items() if name != "d"}
    ElementTree.SubElement(defs, f"{{{SVG}}}path", {"id": dot_id, "d": outline, **attributes})
    copies = [
        ElementTree.Element(f"{{{SVG}}}use", {"href": f"#{dot_id}", "x": _exact(x), "y": _exact(y)})
        for y, x in kept
    ]
    index = list(pattern).index(path)
    pattern[index : index + 1] = [defs, *copies]


def _plain_tile(pattern: ElementTree.Element) -> bool:
    """A tile in the chart's own units, named, and not derived from another pattern."""
    try:
        size = float(pattern.get("width", "")), float(pattern.get("height", ""))
    except ValueError:
        return False
    return (
        min(size) > 0
        and bool(pattern.get("id"))
        and pattern.get("patternUnits") == "userSpaceOnUse"
        and pattern.get("patternContentUnits", "userSpaceOnUse") == "userSpaceOnUse"
        and not any(pattern.get(name) for name in ("patternTransform", "viewBox", "href"))
        and not any(name.endswith("}href") for name in pattern.attrib)
    )


def _covers(rect: ElementTree.Element, width: float, height: float) -> bool:
    """A plain background: the whole tile, no stroke, no transform."""
    if rect.get("transform") or rect.get("stroke") or rect.get("style"):
        return False
    try:
        x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
        w, h = float(rect.get("width", "")), float(rect.get("height", ""))
    except ValueError:
        return False
    return x <= 0 and y <= 0 and x + w >= width and y + h >= height


def _dots(d: str) -> tuple[str, float, list[Point]] | None:
    """A path of copies of one round shape (``M``, cubic curves around it, ``z``, as
    matplotlib writes a circle): the shape drawn around (0, 0), how far it reaches from
    its centre (its curves' control points included), and each copy's centre."""
    tokens = PATH_TOKEN.findall(d)
    shape = "".join(t if t in ("M", "C", "z", "Z") else "?" if t.isalpha() else "n" for t in tokens)
    if not re.fullmatch(r"(Mnn(?:Cn{6}){4,}[zZ])+", shape):
        return None
    subpaths: list[list[float]] = []
    for token in tokens:
        if token == "M":
            subpaths.append([])
        elif not token.isalpha():
            subpaths[-1].append(float(token))
    first = None
    centres = []
    for numbers in subpaths:
        centre = _round_centre(numbers)
        if centre is None:
            return None
        moved = [value - centre[index % 2] for index, value in enumerate(numbers)]
        if first is None:
            first = moved
        elif len(moved) != len(first) or any(
            abs(a - b) > EPSILON for a, b in zip(moved, first, strict=True)
        ):
            return None
        centres.append(centre)
    assert first is not None
    reach = max(math.hypot(first[i], first[i + 1]) for i in range(0, len(first), 2))
    curves = " ".join(
        "C" + " ".join(_exact(value) for value in first[i : i + 6]) for i in range(2, len(first), 6)
    )
    return f"M{_exact(first[0])} {_exact(first[1])} {curves}z", reach, centres


def _round_centre(numbers: list[float]) -> Point | None:
    """The centre of one closed run of curves whose ends and middles lie on one circle."""
    start = (numbers[0], numbers[1])
    curves = [numbers[i : i + 6] for i in range(2, len(numbers), 6)]
    ends = [(curve[4], curve[5]) for curve in curves]
    centre = (sum(x for x, _ in ends) / len(ends), sum(y for _, y in ends) / len(ends))
    radius = math.dist(start, centre)
    points, previous = [], start
    for curve in curves:
        middle = (
            (previous[0] + 3 * curve[0] + 3 * curve[2] + curve[4]) / 8,  # the curve at t = 1/2
            (previous[1] + 3 * curve[1] + 3 * curve[3] + curve[5]) / 8,
        )
        points += [(curve[4], curve[5]), middle]
        previous = (curve[4], curve[5])
    if radius <= 0 or math.dist(previous, start) > EPSILON:
        return None
    if any(abs(math.dist(point, centre) - radius) > 1e-3 * radius for point in points):
        return None
    return centre


def _stroke_width(path: ElementTree.Element) -> float | None:
    """The width of a path's stroke (0 without one), from its style or attributes."""
    style = {
        name.strip(): value.strip()
        for name, _, value in (part.partition(":") for part in path.get("style", "").split(";"))
    }
    if style.get("stroke", path.get("stroke", "none")) == "none":
        return 0.0
    try:
        return float(style.get("stroke-width", path.get("stroke-width", "1")).removesuffix("px"))
    except ValueError:
        return None


def _closest(centres: list[Point]) -> float:
    """The distance between the two closest centres (dots are few: all pairs)."""
    return min(
        (math.dist(a, b) for index, a in enumerate(centres) for b in centres[index + 1 :]),
        default=math.inf,
    )


def _lattice(
    centres: list[Point], width: float, height: float, reach: float
) -> tuple[float, float, list[Point]] | None:
    """The smallest steps across and down that repeat the dots, and the dots of one step
    (the lattice's basis), when the tile holds exactly that lattice; else None."""
    points = {_key(point) for point in centres}
    step_x, step_y = _step(points, width, 0), _step(points, height, 1)
    if step_x is None or step_y is None:
        return None
    basis = [
        (x, y)
        for x, y in centres
        if -EPSILON <= x < step_x - EPSILON and -EPSILON <= y < step_y - EPSILON
    ]
    tile = (-EPSILON, width + EPSILON, -EPSILON, height + EPSILON)
    if {_key(point) for point in _repeat(basis, step_x, step_y, tile)} != points:
        return None
    around = (-reach, width + reach, -reach, height + reach)
    for x, y in _repeat(basis, step_x, step_y, around):
        outside = not (tile[0] <= x <= tile[1] and tile[2] <= y <= tile[3])
        reaching = -reach + EPSILON < x < width + reach - EPSILON
        if outside and reaching and -reach + EPSILON < y < height + reach - EPSILON:
            return None  # a dot outside the tile reaching into it: the old tile cut it off
    return step_x, step_y, basis


def _step(points: set[Point], size: float, axis: int) -> float | None:
    """The smallest fraction of the tile's size by which the dots repeat along an axis."""
    for count in range(min(len(points), 288), 0, -1):
        step = size / count
        if all(
            (_key(_moved(point, axis, step)) in points or point[axis] + step > size + EPSILON)
            and (_key(_moved(point, axis, -step)) in points or point[axis] - step < -EPSILON)
            for point in points
        ):
            return step
    return None


def _moved(point: Point, axis: int, step: float) -> Point:
    return (point[0] + step, point[1]) if axis == 0 else (point[0], point[1] + step)


def _repeat(
    basis: list[Point], step_x: float, step_y: float, area: tuple[float, float, float, float]
) -> list[Point]:
    """The lattice's dots in an area (left, right, top, bottom; its edges included)."""
    left, right, top, bottom = area
    dots = []
    for x0, y0 in basis:
        for i in range(math.floor((left - x0) / step_x), math.ceil((right - x0) / step_x) + 1):
            for j in range(math.floor((top - y0) / step_y), math.ceil((bottom - y0) / step_y) + 1):
                x, y = x0 + i * step_x, y0 + j * step_y
                if left <= x <= right and top <= y <= bottom:
                    dots.append((x, y))
    return dots


def _whole_pixels(step: float, size: float) -> float:
    """The smallest multiple of the step, up to the old tile's size, that is a whole
    number of CSS pixels; the step itself if none is."""
    count = 1
    while count * step <= size + EPSILON:
        pixels = count * step * CSS_PIXEL
        if abs(pixels - round(pixels)) < EPSILON:
            return count * step
        count += 1
    return step


def _key(point: Point) -> Point:
    """A point as a set member: equal when equal to a ten-thousandth (and no -0.0)."""
    return round(point[0], 4) + 0.0, round(point[1], 4) + 0.0


def _exact(value: float) -> str:
    """A number as matplotlib writes it: to a millionth, without the zeros that say nothing."""
    text = f"{value:.{PLACES}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
