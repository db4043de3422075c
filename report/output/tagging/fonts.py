"""The text a shown string stands for, read from its font's /ToUnicode CMap.

Why: a leader is recognised by what it shows (punctuation and spaces), but a content stream
shows glyph codes of an embedded font, and only the font's /ToUnicode map says which
characters they are. Its bfchar and bfrange entries are read; a string holding a code the
map lacks decodes to None, so it is never taken for a leader.
"""

from __future__ import annotations

import re

import pikepdf
from pikepdf import Dictionary, Name


def page_fonts(page: pikepdf.Page) -> dict[bytes, tuple[tuple[int, int], Dictionary]]:
    """The page's fonts by name as unparsed (``b"/F1"``), following inherited /Resources."""
    node = page.obj
    while node is not None and "/Resources" not in node:
        node = node.get("/Parent")
    if node is None:
        return {}
    fonts = node.Resources.get("/Font", Dictionary())
    return {Name(name).unparse(): (font.objgen, font) for name, font in fonts.items()}


class TextDecoder:
    """Decode shown strings to Unicode with a font's /ToUnicode CMap (cached per font)."""

    def __init__(self) -> None:
        self._maps: dict[tuple[int, int], tuple[int, dict[int, str]] | None] = {}

    def decode(self, font: Dictionary | None, raw: bytes) -> str | None:
        """The text of ``raw``; None when the font has no usable /ToUnicode."""
        if font is None:
            return None
        if font.objgen not in self._maps:
            self._maps[font.objgen] = parse_to_unicode(font)
        cmap = self._maps[font.objgen]
        if cmap is None or not raw or len(raw) % cmap[0]:
            return None
        width, mapping = cmap
        codes = (int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width))
        chars = [mapping.get(code) for code in codes]
        return None if None in chars else "".join(chars)


HEX = r"<([0-9A-Fa-f]*)>"


def parse_to_unicode(font: Dictionary) -> tuple[int, dict[int, str]] | None:
    """Code width and code-to-text map of a /ToUnicode CMap (bfchar and bfrange)."""
    stream = font.get("/ToUnicode")
    if not isinstance(stream, pikepdf.Stream):
        return None
    text = stream.read_bytes().decode("latin-1")
    space = re.search(r"begincodespacerange\s*" + HEX, text)
    width = len(space.group(1)) // 2 if space else 2
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for source, target in re.findall(HEX + r"\s*" + HEX, block):
            mapping[int(source, 16)] = utf16(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        pattern = HEX + r"\s*" + HEX + r"\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])"
        for low, high, target in re.findall(pattern, block):
            first, last = int(low, 16), int(high, 16)
            if target.startswith("["):
                for code, item in zip(
                    range(first, last + 1), re.findall(HEX, target), strict=False
                ):
                    mapping[code] = utf16(item)
            else:
                start = bytes.fromhex(target[1:-1])
                base = int.from_bytes(start[-2:], "big")
                for offset in range(last - first + 1):
                    tail = (base + offset).to_bytes(2, "big")
                    mapping[first + offset] = (start[:-2] + tail).decode("utf-16-be", "replace")
    return width, mapping


def utf16(hex_text: str) -> str:
    """A CMap destination string (UTF-16BE in hex) as text."""
    return bytes.fromhex(hex_text).decode("utf-16-be", "replace")
