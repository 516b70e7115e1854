"""A page canvas in points: layouts think in a physical page size, the canvas scales to pixels."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from PIL import Image, ImageDraw

from docclf.synth.fonts import Face, ink_box, measure, truetype

RGB = tuple[int, int, int]
WHITESPACE = re.compile(r"(\s+)")  # split keeping the separators: words at even, whitespace at odd indices
SEPARATORS = frozenset("·•|")  # drawn, but not recorded as words
Point = tuple[float, float]

PAGE_SIZES_PT = {"A4": (595.28, 841.89), "Letter": (612.0, 792.0),
                 "16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}


class Canvas:
    """An RGB page of `width` x `height` points drawn at a scale that makes the long side `long_px`."""

    def __init__(self, width: float, height: float, long_px: int, bg: RGB = (255, 255, 255)) -> None:
        self.w, self.h = width, height
        self.s = long_px / max(width, height)
        size = (max(1, round(width * self.s)), max(1, round(height * self.s)))
        if width >= height:
            size = (long_px, size[1])
        else:
            size = (size[0], long_px)
        self.img = Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.img)
        self.used: set[str] = set()
        self.words: list[tuple[str, float, float, float, float]] = []  # drawn words, boxes in pixels

    def px(self, v: float) -> int:
        return round(v * self.s)

    def font(self, face: Face, size: float):
        self.used.add(face.path)
        return truetype(face.path, max(1, round(size * self.s)))

    # ----------------------------------------------------------------- text

    def width(self, text: str, face: Face, size: float) -> float:
        """Width in points, measured at a fixed pixel size so layout does not change with resolution."""
        return measure(face.path, fit_text(face, text)) * size

    def text(self, x: float, y: float, text: str, face: Face, size: float, fill: RGB = (20, 20, 20),
             anchor: str = "ls", bold: bool = False) -> float:
        """Draw `text` with its baseline at y (anchor 'ls'); returns its width in points."""
        if not text:
            return 0.0
        text = fit_text(face, text)
        stroke = max(1, round(size * self.s * 0.03)) if bold and size * self.s > 8 else 0
        self.draw.text((x * self.s, y * self.s), text, font=self.font(face, size), fill=fill, anchor=anchor,
                       stroke_width=stroke, stroke_fill=fill if stroke else None)
        if anchor == "ls":
            self._record_words(x, y, text, face, size)
        return self.width(text, face, size)

    def _record_words(self, x: float, y: float, text: str, face: Face, size: float) -> None:
        """Keep each whitespace-separated word of a drawn line with its ink box (the page's ground truth)."""
        s = self.s * size
        pos = x * self.s
        base = y * self.s
        for i, part in enumerate(WHITESPACE.split(text)):
            if i % 2 and part:  # the whitespace between words
                pos += measure(face.path, part) * s
            elif part:
                left, top, right, bottom = ink_box(face.path, part)
                # a lone separator dot or bar is a pixel or two in small print: no word to read there
                if right > left and part not in SEPARATORS:
                    self.words.append((part, pos + left * s, base + top * s, pos + right * s, base + bottom * s))
                pos += measure(face.path, part) * s

    def page_words(self) -> list[list]:
        """Drawn words as [text, x0, y0, x1, y1, 100], boxes as fractions of the page's width and height.

        Fractions hold for the saved image whatever it is resized to; boxes are clipped to the page and
        words drawn entirely off it are dropped.
        """
        w, h = self.img.width, self.img.height
        out = []
        for word, x0, y0, x1, y1 in self.words:
            box = [min(max(v, 0.0), 1.0) for v in (x0 / w, y0 / h, x1 / w, y1 / h)]
            if box[2] > box[0] and box[3] > box[1]:
                out.append([word, *(round(v, 4) for v in box), 100])
        return out

    def text_right(self, x: float, y: float, text: str, face: Face, size: float, fill: RGB = (20, 20, 20),
                   bold: bool = False) -> float:
        w = self.width(text, face, size)
        self.text(x - w, y, text, face, size, fill, bold=bold)
        return w

    def text_center(self, x: float, y: float, text: str, face: Face, size: float, fill: RGB = (20, 20, 20),
                    bold: bool = False) -> float:
        w = self.width(text, face, size)
        self.text(x - w / 2, y, text, face, size, fill, bold=bold)
        return w

    # ----------------------------------------------------------------- shapes

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> list[int]:
        a, b, c, d = self.px(x0), self.px(y0), self.px(x1), self.px(y1)
        return [min(a, c), min(b, d), max(a, c), max(b, d)]

    def lw(self, width: float) -> int:
        """Line width in pixels, never 0 so hairlines survive small pages."""
        return max(1, round(width * self.s))

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: RGB | None = None,
             outline: RGB | None = None, width: float = 0.75, radius: float = 0) -> None:
        box = self._box(x0, y0, x1, y1)
        w = self.lw(width) if outline else 0
        if radius > 0:
            self.draw.rounded_rectangle(box, radius=self.px(radius), fill=fill, outline=outline, width=w)
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=w)

    def line(self, points: Sequence[Point], fill: RGB = (20, 20, 20), width: float = 0.75,
             curve: bool = False) -> None:
        pts = [(x * self.s, y * self.s) for x, y in points]
        self.draw.line(pts, fill=fill, width=self.lw(width), joint="curve" if curve else None)

    def hline(self, x0: float, x1: float, y: float, fill: RGB = (20, 20, 20), width: float = 0.75) -> None:
        self.rect(x0, y - width / 2, x1, y + width / 2, fill=fill)

    def vline(self, x: float, y0: float, y1: float, fill: RGB = (20, 20, 20), width: float = 0.75) -> None:
        self.rect(x - width / 2, y0, x + width / 2, y1, fill=fill)

    def ellipse(self, x0: float, y0: float, x1: float, y1: float, fill: RGB | None = None,
                outline: RGB | None = None, width: float = 0.75) -> None:
        self.draw.ellipse(self._box(x0, y0, x1, y1), fill=fill, outline=outline,
                          width=self.lw(width) if outline else 0)

    def polygon(self, points: Sequence[Point], fill: RGB | None = None, outline: RGB | None = None) -> None:
        self.draw.polygon([(x * self.s, y * self.s) for x, y in points], fill=fill, outline=outline)

    def pieslice(self, x0: float, y0: float, x1: float, y1: float, start: float, end: float, fill: RGB,
                 outline: RGB | None = None) -> None:
        self.draw.pieslice(self._box(x0, y0, x1, y1), start, end, fill=fill, outline=outline,
                           width=1 if outline else 0)

    def paste(self, im: Image.Image, x: float, y: float, mask: Image.Image | None = None) -> None:
        self.img.paste(im, (self.px(x), self.px(y)), mask)


FALLBACK = {"€": "EUR", "£": "GBP", "·": "|", "•": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "“": '"',
            "”": '"', "„": '"', "«": '"', "»": '"', "…": "...", "\u202f": " ", "\u00a0": " ", "²": "2",
            "º": "o", "°": "o", "−": "-", "‖": "|", "×": "x"}


def fit_text(face: Face, text: str) -> str:
    """Replace characters the font lacks (ASCII stand-ins, then accents dropped) instead of drawing boxes."""
    if face.covers(text):
        return text
    out = []
    for ch in text:
        if ch in face.coverage:
            out.append(ch)
            continue
        sub = FALLBACK.get(ch)
        if sub is None:
            sub = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(sub if sub and face.covers(sub) else "")
    return "".join(out)


# --------------------------------------------------------------------------- text blocks


def wrap(cv: Canvas, text: str, face: Face, size: float, width: float) -> list[str]:
    """Greedy word wrap into lines no wider than `width` points (over-long words get their own line)."""
    space = cv.width(" ", face, size)
    lines: list[str] = []
    for para in text.split("\n"):
        cur: list[str] = []
        cur_w = 0.0
        for word in para.split():
            ww = cv.width(word, face, size)
            if cur and cur_w + space + ww > width:
                lines.append(" ".join(cur))
                cur, cur_w = [word], ww
            else:
                cur_w += (space if cur else 0) + ww
                cur.append(word)
        lines.append(" ".join(cur))
    return lines



def first_line(cv: Canvas, text: str, face: Face, size: float, width: float) -> str:
    """What of `text` fits on one line of `width` points (narrow table cells cut long text)."""
    return wrap(cv, text, face, size, width)[0]


def paragraph(cv: Canvas, x: float, y: float, width: float, text: str, face: Face, size: float,
              fill: RGB = (20, 20, 20), leading: float = 1.25, align: str = "left",
              bottom: float | None = None, indent: float = 0.0) -> float:
    """Draw wrapped text starting with the first baseline at y + size; returns the y below the block.

    Stops at `bottom` (points) so a long text never runs off its column.
    """
    lines = wrap(cv, text, face, size, width - indent) if indent else wrap(cv, text, face, size, width)
    step = size * leading
    bottom = cv.h if bottom is None else bottom
    for i, line in enumerate(lines):
        base = y + size + i * step
        if base > bottom:
            return base - size
        lx = x + (indent if i == 0 else 0)
        last = i == len(lines) - 1
        if align == "justify" and not last and " " in line:
            _justify(cv, lx, base, width - (lx - x), line, face, size, fill)
        elif align == "center":
            cv.text_center(x + width / 2, base, line, face, size, fill)
        elif align == "right":
            cv.text_right(x + width, base, line, face, size, fill)
        else:
            cv.text(lx, base, line, face, size, fill)
    return y + len(lines) * step


def _justify(cv: Canvas, x: float, base: float, width: float, line: str, face: Face, size: float,
             fill: RGB) -> None:
    words = line.split()
    widths = [cv.width(w, face, size) for w in words]
    gap = (width - sum(widths)) / (len(words) - 1)
    if gap > size * 1.2:  # a line with one long word would look broken when stretched
        cv.text(x, base, line, face, size, fill)
        return
    for w, ww in zip(words, widths):
        cv.text(x, base, w, face, size, fill)
        x += ww + gap
