"""The web edition's sharing image (Open Graph, 1200 x 630): the report's cover, in small.

A link to the report posted on a social network or in a messaging app shows this image,
so it carries what the PDF's cover carries (``templates/partials/cover.html`` and the
cover rules of ``styles/report.css``): the primary colour behind the organisation's name
under an accent rule, the title large and the subtitle, and a white band at the foot
with the date in the accent colour, all in the headings' font. A long title or subtitle
wraps at the width it is measured at in that font and gets smaller, down to a floor,
then is cut with an ellipsis: never past the image's edge. Lines are balanced, as the
cover balances them, so no word is left alone on the last one.

matplotlib (Agg) draws it, imported only here, with the packaged fonts registered as for
the charts. The bytes depend only on the arguments (no date or software in the PNG):
about 75 KB for the default report, where social networks accept megabytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from report.compose.charts import _register_packaged_fonts

WIDTH, HEIGHT = 1200, 630  # the size Open Graph and social networks ask for
DPI = 100
MARGIN = 80  # left and right, in pixels
BAND = 120  # the foot's white band, as the cover's 58 mm of 297 (about a fifth)
WHITE = "#ffffff"  # the cover's text (--color-cover-text) and its foot's band
# Sizes in pixels, largest first: a long text tries the next one before it is cut.
TITLE_SIZES = (64, 58, 52, 46, 42)
SUBTITLE_SIZES = (28, 26, 24, 22)
TITLE_LINES, SUBTITLE_LINES, ORGANISATION_LINES = 3, 3, 2
ELLIPSIS = "…"
BREAKS = re.compile(r"[ \t\r\n]+")  # where a line may break: not at a no-break space

Measure = Callable[[str], float]


def cover_image(
    title: str,
    subtitle: str,
    organisation: str,
    date_text: str,
    primary: str,
    accent: str,
    text_color: str,
    font_heading: str,
    font_body: str,
) -> bytes:
    """The sharing image as PNG bytes. Texts are plain text (no markup); colours are
    ``#rrggbb``. Text is white on the primary colour, as on the cover, unless the
    primary is too light for white to be read: then it takes ``text_color`` (so does
    the date, on the white band, when the accent is too light). The body's font is the
    heading font's first fallback, for a character it lacks."""
    canvas = _Canvas(primary, [font_heading, font_body, "DejaVu Sans"])
    ink = max((WHITE, text_color), key=lambda color: _contrast(color, primary))
    usable = WIDTH - 2 * MARGIN
    # The head: the organisation in capitals under an accent rule as wide as its lines.
    top = 56
    organisation_lines = _fit(organisation.upper(), canvas.measure(22), usable, ORGANISATION_LINES)
    if organisation_lines:
        rule = max(canvas.measure(22)(line) for line in organisation_lines)
        canvas.rectangle(MARGIN, top, round(rule), 4, accent)
        for index, line in enumerate(organisation_lines):
            canvas.write(line, top + 34 + index * 30, 22, ink)
        top += 34 + 30 * (len(organisation_lines) - 1) + 50
    else:
        top += 30
    # The title and subtitle, as large as they fit above the band.
    room = HEIGHT - BAND - 36 - top
    title_size, title_lines, subtitle_size, subtitle_lines = _layout(
        title, subtitle, canvas.measure, usable, room
    )
    baseline = top + title_size * 0.8
    for line in title_lines:
        canvas.write(line, baseline, title_size, ink, bold=True)
        baseline += title_size * 1.08
    baseline += subtitle_size * 0.5
    for line in subtitle_lines:
        canvas.write(line, baseline, subtitle_size, ink)
        baseline += subtitle_size * 1.35
    # The foot: a white band with the date, in the accent colour.
    canvas.rectangle(0, HEIGHT - BAND, WIDTH, BAND, WHITE)
    date_ink = accent if _contrast(accent, WHITE) >= 3 else text_color
    for line in _fit(date_text, canvas.measure(28, bold=True), usable, 1):
        canvas.write(line, HEIGHT - BAND / 2 + 10, 28, date_ink, bold=True)
    return canvas.png()


class _Canvas:
    """The image being drawn, in pixels from its top left corner; texts start at the
    left margin. Sizes are in pixels too (matplotlib's points at 100 dpi, converted)."""

    def __init__(self, background: str, families: list[str]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        _register_packaged_fonts()
        self.figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor=background)
        self.canvas = FigureCanvasAgg(self.figure)
        self.renderer = self.canvas.get_renderer()
        self.families = families
        self.widths: dict[tuple[int, bool, str], float] = {}  # balancing measures again

    def font(self, size: int, bold: bool = False):
        from matplotlib.font_manager import FontProperties

        weight = "bold" if bold else "normal"
        return FontProperties(family=self.families, weight=weight, size=size * 72 / DPI)

    def measure(self, size: int, bold: bool = False) -> Measure:
        """How wide a text is drawn at this size, in pixels."""
        properties = self.font(size, bold)

        def width(text: str) -> float:
            key = (size, bold, text)
            if key not in self.widths:
                drawn = self.renderer.get_text_width_height_descent(text, properties, False)
                self.widths[key] = drawn[0]
            return self.widths[key]

        return width

    def write(self, text: str, baseline: float, size: int, color: str, bold: bool = False):
        self.figure.text(
            MARGIN / WIDTH,
            1 - baseline / HEIGHT,
            text,
            fontproperties=self.font(size, bold),
            color=color,
            va="baseline",
            ha="left",
        )

    def rectangle(self, x: float, y: float, width: float, height: float, color: str) -> None:
        from matplotlib.patches import Rectangle

        corner = (x / WIDTH, 1 - (y + height) / HEIGHT)
        self.figure.add_artist(
            Rectangle(
                corner,
                width / WIDTH,
                height / HEIGHT,
                transform=self.figure.transFigure,
                facecolor=color,
                linewidth=0,
            )
        )

    def png(self) -> bytes:
        """The drawing as PNG, without the software matplotlib would note (nor a date: it
        notes none in a PNG), so the same arguments give the same bytes; its colours cut
        to a palette of 64 (Pillow, matplotlib's own dependency), which a few flat colours
        and their anti-aliased edges fit: a third of the bytes, to every page shared."""
        from PIL import Image

        buffer = io.BytesIO()
        self.figure.savefig(
            buffer,
            format="png",
            dpi=DPI,
            facecolor=self.figure.get_facecolor(),
            metadata={"Software": None},
        )
        buffer.seek(0)
        with Image.open(buffer) as drawn:
            flat = drawn.convert("RGB").quantize(colors=64, dither=Image.Dither.NONE)
        small = io.BytesIO()
        flat.save(small, format="PNG", optimize=True)
        return small.getvalue()


def _layout(
    title: str,
    subtitle: str,
    measurer: Callable[[int, bool], Measure],  # a size, bold or not -> its measure
    width: float,
    room: float,
) -> tuple[int, list[str], int, list[str]]:
    """The largest sizes at which the title and subtitle fit their lines and, together,
    the room above the band; at the smallest, the texts are cut to fit."""
    for title_size in TITLE_SIZES:
        measure = measurer(title_size, True)
        title_lines = _wrap(_words(title), measure, width, TITLE_LINES)
        if not _fits(title_lines, measure, width, TITLE_LINES):
            continue
        for subtitle_size in SUBTITLE_SIZES:
            measure = measurer(subtitle_size, False)
            subtitle_lines = _wrap(_words(subtitle), measure, width, SUBTITLE_LINES)
            height = _height(title_size, len(title_lines), subtitle_size, len(subtitle_lines))
            if _fits(subtitle_lines, measure, width, SUBTITLE_LINES) and height <= room:
                return title_size, title_lines, subtitle_size, subtitle_lines
    title_size, subtitle_size = TITLE_SIZES[-1], SUBTITLE_SIZES[-1]
    title_lines = _fit(title, measurer(title_size, True), width, TITLE_LINES)
    left = room - _height(title_size, len(title_lines), subtitle_size, 0)
    lines = int((left - subtitle_size * 0.5) // (subtitle_size * 1.35))
    most = max(0, min(SUBTITLE_LINES, lines))
    subtitle_lines = _fit(subtitle, measurer(subtitle_size, False), width, most)
    return title_size, title_lines, subtitle_size, subtitle_lines


def _fits(lines: list[str], measure: Measure, width: float, most: int) -> bool:
    return len(lines) <= most and all(measure(line) <= width for line in lines)


def _height(title_size: int, title_lines: int, subtitle_size: int, subtitle_lines: int) -> float:
    """From the title's first line's top to the subtitle's last line's foot."""
    subtitle = subtitle_size * (0.5 + 1.35 * subtitle_lines) if subtitle_lines else 0
    return title_size * 1.08 * title_lines + subtitle


def _fit(text: str, measure: Measure, width: float, most: int) -> list[str]:
    """``text`` in at most ``most`` balanced lines, none wider than ``width``: what does
    not fit is cut, at a word when it can be, and ends with an ellipsis."""
    if most <= 0:
        return []
    lines = _wrap(_words(text), measure, width)
    if len(lines) > most:
        lines = [*lines[: most - 1], _cut(" ".join(lines[most - 1 :]), measure, width)]
    return [line if measure(line) <= width else _cut(line, measure, width) for line in lines]


def _cut(text: str, measure: Measure, width: float) -> str:
    """The longest start of ``text`` that fits ``width`` with an ellipsis after it:
    whole words, or the start of a word too long for any line."""
    words = _words(text)
    while len(words) > 1 and measure(" ".join(words) + ELLIPSIS) > width:
        words.pop()
    text = " ".join(words)
    while text and measure(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip(" ,;:") + ELLIPSIS


def _words(text: str) -> list[str]:
    """The words between the places a line may break: French typography's no-break
    spaces (before ':' and inside « ») stay inside a word, and stay narrow."""
    return [word for word in BREAKS.split(text) if word]


def _wrap(words: list[str], measure: Measure, width: float, most: int = 0) -> list[str]:
    """Words in the fewest lines no wider than ``width``, then balanced: the narrowest
    width that needs no more lines, so the lines are of like length. More than ``most``
    lines (when given) are not balanced: the caller will not keep them."""
    lines = _greedy(words, measure, width)
    if len(lines) <= 1 or 0 < most < len(lines):
        return lines
    narrow, wide = max(measure(word) for word in words), width
    while wide - narrow > 2:  # pixels
        middle = (narrow + wide) / 2
        if len(_greedy(words, measure, middle)) <= len(lines):
            wide = middle
        else:
            narrow = middle
    return _greedy(words, measure, wide)


def _greedy(words: list[str], measure: Measure, width: float) -> list[str]:
    """As many words on each line as fit; a word wider than a line is a line alone
    (``_fit`` cuts it)."""
    lines: list[str] = []
    for word in words:
        if lines and measure(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
