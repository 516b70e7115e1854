"""Layout families per class and `render_page`, which draws one page from its own RNG."""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from types import ModuleType
from typing import NamedTuple

from PIL import Image

from docclf.synth.page import Doc

MODULES = {"invoice": "invoice", "letter": "letter", "presentation": "presentation", "resume": "resume",
           "scientific_paper": "paper", "other": "other"}
GREY_PAGE_P = 0.15  # pages printed or exported in greyscale, so colour never identifies a class


def _module(cls: str) -> ModuleType:
    return importlib.import_module(f"docclf.synth.layouts.{MODULES[cls]}")


def family_names(cls: str) -> list[str]:
    """Names of the layout families of a class, in a fixed order."""
    return [name for name, _ in _module(cls).FAMILIES]


class Rendered(NamedTuple):
    """One drawn page: the image, its layout family, the font files used and the words drawn."""

    image: Image.Image
    layout: str
    fonts: set[str]
    words: list[list]  # [text, x0, y0, x1, y1, 100] in drawing order, boxes as fractions of the page


def render_page(cls: str, rng: random.Random, long_px: int, family: int | None = None) -> Rendered:
    """Draw one page of `cls` from its own RNG."""
    mod = _module(cls)
    families: tuple[tuple[str, Callable[[Doc], None]], ...] = mod.FAMILIES
    weights = getattr(mod, "WEIGHTS", None)
    if family is None:
        family = rng.choices(range(len(families)), weights)[0] if weights else rng.randrange(len(families))
    name, draw = families[family]
    doc = mod.make_doc(rng, long_px)
    draw(doc)
    img = doc.cv.img
    if rng.random() < GREY_PAGE_P:
        img = img.convert("L").convert("RGB")
    return Rendered(img, name, doc.cv.used, doc.cv.page_words())
