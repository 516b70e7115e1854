"""Per-page context: canvas, RNGs, Faker, locale, fonts and colours chosen once for the page."""

from __future__ import annotations

import colorsys
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from docclf.synth.canvas import PAGE_SIZES_PT, RGB, Canvas
from docclf.synth.fonts import Face, Family, discover_fonts, families
from docclf.synth.text import Lang, faker_for, pick_locale

INK_COLOURS: tuple[RGB, ...] = ((20, 20, 20), (0, 0, 0), (35, 35, 40), (45, 45, 45), (30, 34, 48), (55, 55, 60))


@dataclass
class Doc:
    """Everything a layout needs to draw one page."""

    cv: Canvas
    rng: random.Random
    fake: object
    lang: Lang
    fams: tuple[Family, ...]
    colour: bool
    accent: RGB
    accent2: RGB
    ink: RGB
    body: Family
    head: Family
    theme: Any = None  # a slide deck's theme (presentation layouts)
    english: bool = True  # papers: written in English whatever the locale
    text: Any = None  # the class's phrase builder (docclf.synth.phrases), when the layout uses one
    _np: np.random.Generator | None = field(default=None, repr=False)

    @property
    def np(self) -> np.random.Generator:
        """A numpy Generator seeded from the page RNG (created on first use)."""
        if self._np is None:
            self._np = np.random.default_rng(self.rng.getrandbits(64))
        return self._np

    @property
    def W(self) -> float:
        return self.cv.w

    @property
    def H(self) -> float:
        return self.cv.h

    def family(self, weights: dict[str, float]) -> Family:
        """A random family whose kind (serif/sans/mono/script) is drawn with `weights`."""
        fams = [f for f in self.fams if f.regular.covers(self.chars)] or list(self.fams)
        kinds = [k for k in weights if any(f.kind == k for f in fams)]
        if not kinds:
            return self.rng.choice(fams)
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        return self.rng.choice([f for f in fams if f.kind == kind])

    @property
    def chars(self) -> str:
        """Characters this page's language needs (plus the currency sign)."""
        from docclf.synth.text import LOCALE_CHARS, MONEY

        return LOCALE_CHARS.get(self.lang.locale.split("_")[0], "") + MONEY.get(self.lang.locale, ("$",))[0]

    def math_face(self) -> Face:
        """A face that has Greek letters and operators, for equations."""
        from docclf.synth.fonts import MATH

        faces = [f for f in discover_fonts() if MATH <= f.coverage and not f.bold]
        serif = [f for f in faces if f.kind == "serif"]
        return self.rng.choice(serif or faces) if faces else self.body.regular

    def grey(self, lo: int = 60, hi: int = 140) -> RGB:
        v = self.rng.randint(lo, hi)
        return (v, v, v)

    def tint(self, c: RGB, amount: float) -> RGB:
        """Mix colour `c` with white; amount 0 keeps it, 1 gives white."""
        return tuple(round(v + (255 - v) * amount) for v in c)  # type: ignore[return-value]


def random_colour(rng: random.Random, sat: tuple[float, float] = (0.45, 0.85),
                  val: tuple[float, float] = (0.35, 0.75)) -> RGB:
    h = rng.random()
    r, g, b = colorsys.hsv_to_rgb(h, rng.uniform(*sat), rng.uniform(*val))
    return (round(r * 255), round(g * 255), round(b * 255))


def new_doc(rng: random.Random, fmt: str, long_px: int, colour_p: float,
            body_kinds: dict[str, float], head_kinds: dict[str, float] | None = None,
            bg: RGB = (255, 255, 255)) -> Doc:
    """Build the page context: locale, Faker reseeded for this page, fonts, colours, canvas.

    `fmt` is a key of PAGE_SIZES_PT or "portrait" (A4 or Letter, by locale).
    """
    locale = pick_locale(rng)
    if fmt == "portrait":  # North and South America use US Letter, the rest of the world A4
        us = locale in ("en_US", "pt_BR")
        fmt = "Letter" if rng.random() < (0.85 if us else 0.08) else "A4"
    fake = faker_for(locale)
    fake.seed_instance(rng.getrandbits(32))
    fams = families(discover_fonts())
    colour = rng.random() < colour_p
    accent = random_colour(rng) if colour else _grey_accent(rng)
    accent2 = random_colour(rng) if colour else _grey_accent(rng)
    ink = rng.choice(INK_COLOURS)
    w, h = PAGE_SIZES_PT[fmt]
    cv = Canvas(w, h, long_px, bg)
    doc = Doc(cv, rng, fake, Lang(locale), fams, colour, accent, accent2, ink,
              body=fams[0], head=fams[0])
    doc.body = doc.family(body_kinds)
    doc.head = doc.body if rng.random() < 0.5 else doc.family(head_kinds or body_kinds)
    return doc


def _grey_accent(rng: random.Random) -> RGB:
    v = rng.randint(30, 110)
    return (v, v, v)
