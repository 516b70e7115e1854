"""Font discovery (system fonts and fonts shipped inside installed Python packages) and a font cache."""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import string
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageFont

from docclf.errors import UsageError

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",
                    "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")
# Fonts that map letters to symbols or to placeholder boxes: fine for fallback, wrong for text.
NOT_TEXT = ("lastresort", "cmsy", "cmex", "cmmi", "nonunicode", "symbol", "dingbat", "wingding",
            "awesome", "icon", "emoji", "sizesym", "display", "d050000l")  # D050000L: URW's Dingbats clone
# Computer Modern ships as one family name per face; regroup it so bold/italic are found.
ALIASES = {"cmr10": ("Computer Modern", "Regular"), "cmb10": ("Computer Modern", "Bold"),
           "cmti10": ("Computer Modern", "Italic"), "cmss10": ("Computer Modern Sans", "Regular"),
           "cmtt10": ("Computer Modern Mono", "Regular")}
REQUIRED = frozenset(string.ascii_letters + string.digits + ".,:;-()/")
MATH = frozenset("∑∫∂αβγθλμσπ≤≥±×·∈∞√")
CM_SAFE = frozenset(string.ascii_letters + string.digits + " .,:;-()/!?'&%+=*@#$[]")
MEASURE_PX = 100  # text is measured at this size and scaled, so layout does not depend on resolution


@dataclass(frozen=True)
class Face:
    """One font file: its family, style, kind (serif/sans/mono/script) and covered characters."""

    path: str
    family: str
    style: str
    kind: str
    coverage: frozenset[str] = field(repr=False, compare=False)

    @property
    def bold(self) -> bool:
        s = self.style.lower()
        return any(w in s for w in ("bold", "black", "heavy", "semibold"))

    @property
    def italic(self) -> bool:
        s = self.style.lower()
        return "italic" in s or "oblique" in s

    @property
    def plain(self) -> bool:
        s = self.style.lower()
        return not self.bold and not self.italic and not any(w in s for w in ("light", "thin", "condensed"))

    def covers(self, text: str) -> bool:
        return set(text) <= self.coverage


def _system_font_files() -> list[Path]:
    """Font files known to fontconfig plus those in the usual folders."""
    found: list[Path] = []
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                                 timeout=20, check=False).stdout
            found += [Path(line) for line in out.splitlines() if line.lower().endswith(FONT_SUFFIXES)]
        except (OSError, subprocess.SubprocessError):
            pass  # fontconfig broken: the folder walk below still finds them
    for root in SYSTEM_FONT_DIRS:
        top = Path(root).expanduser()
        if top.is_dir():
            found += [Path(d) / f for d, _, files in os.walk(top) for f in files
                      if f.lower().endswith(FONT_SUFFIXES)]
    return found


def _package_font_files() -> list[Path]:
    """Fonts listed in the RECORD of any installed distribution (matplotlib, font-* packages, ...)."""
    found: list[Path] = []
    for dist in importlib.metadata.distributions():
        for item in dist.files or ():
            if str(item).lower().endswith(FONT_SUFFIXES):
                found.append(Path(str(dist.locate_file(item))))
    return found


def _kind(family: str) -> str:
    low = family.lower()
    if any(w in low for w in ("mono", "courier", "code", "console")):
        return "mono"
    if any(w in low for w in ("amatic", "intuitive", "hand", "script", "brush", "caveat", "z003", "chancery")):
        return "script"
    if "sans" in low or "grotesk" in low:
        return "sans"
    if any(w in low for w in ("serif", "stix", "times", "roman", "computer modern", "caladea", "georgia",
                              "garamond", "libertin", "baskerville", "tex gyre", "c059", "p052", "bookman")):
        return "serif"
    return "sans"


def _coverage(path: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont  # matplotlib depends on fontTools; import here to keep import light

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as tt:
            return frozenset(chr(c) for c in (tt.getBestCmap() or {}))
    except Exception:  # a broken or exotic font file is skipped, never fatal
        return frozenset()


def _load_face(path: Path) -> Face | None:
    try:
        family, style = ImageFont.truetype(str(path), 12).getname()
    except OSError:
        return None
    family, style = ALIASES.get(family or "", (family or path.stem, style or "Regular"))
    if any(w in (family + path.stem).lower().replace(" ", "") for w in NOT_TEXT):
        return None
    cov = _coverage(path)
    if family.startswith("Computer Modern"):
        # The BaKoMa cmaps put ligatures and TeX symbols at some codepoints ('…' draws 'ffl', '£' a Theta,
        # '<' an inverted '!'): trust only letters, digits and plain punctuation; the rest gets fallbacks.
        cov &= CM_SAFE
    if not REQUIRED <= cov:
        return None
    return Face(str(path), family, style, _kind(family), cov)


@functools.lru_cache(maxsize=1)
def discover_fonts() -> tuple[Face, ...]:
    """Every usable text font, one per (family, style), system copies first; sorted for determinism."""
    seen_files: set[str] = set()
    faces: dict[tuple[str, str], Face] = {}
    for path in _system_font_files() + _package_font_files():
        real = os.path.realpath(path)
        if real in seen_files or not os.path.isfile(real):
            continue
        seen_files.add(real)
        face = _load_face(Path(real))
        if face and (face.family, face.style) not in faces:
            faces[(face.family, face.style)] = face
    if not faces:
        raise UsageError("no usable TrueType/OpenType font found; install one "
                         "(e.g. `apt-get install fonts-dejavu-core` or `pip install matplotlib`)")
    return tuple(sorted(faces.values(), key=lambda f: (f.family, f.style, f.path)))


@functools.lru_cache(maxsize=512)
def truetype(path: str, px: int) -> ImageFont.FreeTypeFont:
    """A loaded font at a pixel size; cached because loading costs more than drawing a short line."""
    return ImageFont.truetype(path, max(1, px))


@functools.lru_cache(maxsize=65536)
def measure(path: str, text: str) -> float:
    """Advance width of `text` in units of the font size (width / size)."""
    return truetype(path, MEASURE_PX).getlength(text) / MEASURE_PX


@functools.lru_cache(maxsize=65536)
def ink_box(path: str, word: str) -> tuple[float, float, float, float]:
    """Ink bounds (left, top, right, bottom) of `word` drawn at the origin on its baseline, in units of the size."""
    left, top, right, bottom = truetype(path, MEASURE_PX).getbbox(word, anchor="ls")
    return left / MEASURE_PX, top / MEASURE_PX, right / MEASURE_PX, bottom / MEASURE_PX


@dataclass(frozen=True)
class Family:
    """Faces of one family by role; missing roles fall back to the regular face."""

    name: str
    kind: str
    regular: Face
    bold: Face
    italic: Face
    bold_italic: Face
    light: Face


@functools.lru_cache(maxsize=4)
def families(faces: tuple[Face, ...]) -> tuple[Family, ...]:
    """Group faces into families with regular/bold/italic roles (condensed faces make their own family)."""
    groups: dict[str, list[Face]] = {}
    for f in faces:
        key = f.family + (" Condensed" if "condensed" in f.style.lower() else "")
        groups.setdefault(key, []).append(f)
    out = []
    for name in sorted(groups):
        fs = groups[name]
        regular = _pick(fs, lambda f: not f.bold and not f.italic and "light" not in f.style.lower()
                        and "thin" not in f.style.lower()) or fs[0]
        bold = _pick(fs, lambda f: f.bold and not f.italic) or regular
        italic = _pick(fs, lambda f: f.italic and not f.bold) or regular
        bold_italic = _pick(fs, lambda f: f.italic and f.bold) or bold
        light = _pick(fs, lambda f: "light" in f.style.lower() and not f.italic) or regular
        out.append(Family(name, regular.kind, regular, bold, italic, bold_italic, light))
    return tuple(out)


def _pick(faces: list[Face], pred) -> Face | None:
    """The face that matches `pred` with the shortest style name (so 'Bold' beats 'ExtraBold')."""
    hits = sorted((f for f in faces if pred(f)), key=lambda f: (len(f.style), f.style))
    return hits[0] if hits else None
