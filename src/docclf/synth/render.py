"""Drawing helpers shared by the layouts: tables, charts, logos, signatures, photos, equations, codes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from docclf.synth.canvas import RGB, fit_text
from docclf.synth.fonts import Face
from docclf.synth.page import Doc, random_colour

LIGHT_GREY: RGB = (225, 225, 225)


# --------------------------------------------------------------------------- tables


@dataclass
class TableStyle:
    """How a table looks: grid kind ('full', 'rules', 'box', 'none'), fills and padding."""

    grid: str = "rules"
    header_fill: RGB | None = None
    header_ink: RGB = (20, 20, 20)
    zebra: RGB | None = None
    line: RGB = (60, 60, 60)
    pad: float = 0.5  # row padding as a fraction of the font size
    line_w: float = 0.6


def random_table_style(doc: Doc) -> TableStyle:
    rng = doc.rng
    grid = rng.choice(["full", "rules", "rules", "box", "none"])
    header_fill = None
    header_ink = doc.ink
    if rng.random() < 0.5:
        header_fill = doc.accent if rng.random() < 0.5 else doc.tint(doc.accent, 0.8)
        header_ink = (255, 255, 255) if header_fill == doc.accent else doc.ink
    zebra = doc.tint(doc.accent, 0.92) if rng.random() < 0.3 else None
    line = doc.grey(40, 170) if rng.random() < 0.6 else doc.accent
    return TableStyle(grid, header_fill, header_ink, zebra, line, rng.uniform(0.35, 0.9), rng.uniform(0.3, 1.0))


def table(doc: Doc, x: float, y: float, widths: Sequence[float], rows: Sequence[Sequence[str]],
          face: Face, bold: Face, size: float, aligns: str, style: TableStyle, header: bool = True,
          bottom: float | None = None, wrap_col: int | None = None) -> float:
    """Draw rows (the first is the header when `header`); returns the y below the table.

    `aligns` has one letter per column ('l', 'r', 'c'); `wrap_col` wraps that column's text.
    """
    from docclf.synth.canvas import wrap

    cv = doc.cv
    bottom = cv.h if bottom is None else bottom
    total_w = sum(widths)
    pad = size * style.pad
    top = y
    for r, row in enumerate(rows):
        is_head = header and r == 0
        cells = [[c] for c in row]
        if wrap_col is not None and not is_head:
            cells[wrap_col] = wrap(cv, row[wrap_col], face, size, widths[wrap_col] - 2 * pad) or [""]
        n_lines = max(len(c) for c in cells)
        h = n_lines * size * 1.2 + 2 * pad
        if y + h > bottom:
            break
        fill = style.header_fill if is_head else (style.zebra if style.zebra and r % 2 == 0 else None)
        if fill:
            cv.rect(x, y, x + total_w, y + h, fill=fill)
        cx = x
        for c, (lines, w) in enumerate(zip(cells, widths)):
            f = bold if is_head else face
            ink = style.header_ink if is_head else doc.ink
            for k, line in enumerate(lines):
                base = y + pad + size * (0.95 + 1.2 * k)
                line = _clip(cv, line, f, size, w - 2 * pad)
                al = aligns[c] if c < len(aligns) else "l"
                if al == "r":
                    cv.text_right(cx + w - pad, base, line, f, size, ink)
                elif al == "c":
                    cv.text_center(cx + w / 2, base, line, f, size, ink)
                else:
                    cv.text(cx + pad, base, line, f, size, ink)
            if style.grid == "full" and c > 0:
                cv.vline(cx, y, y + h, style.line, style.line_w)
            cx += w
        if style.grid in ("full", "box") or (style.grid == "rules" and (is_head or r == 1)):
            cv.hline(x, x + total_w, y, style.line, style.line_w * (1.6 if style.grid == "rules" else 1))
        if style.grid == "full" or (style.grid == "rules" and is_head):
            cv.hline(x, x + total_w, y + h, style.line, style.line_w)
        y += h
    if style.grid in ("full", "box", "rules"):
        cv.hline(x, x + total_w, y, style.line, style.line_w * (1.6 if style.grid == "rules" else 1))
    if style.grid in ("full", "box"):
        cv.vline(x, top, y, style.line, style.line_w)
        cv.vline(x + total_w, top, y, style.line, style.line_w)
    return y


def _clip(cv, text: str, face: Face, size: float, width: float) -> str:
    """Shorten text that does not fit its cell, as spreadsheet exports do."""
    if cv.width(text, face, size) <= width or len(text) < 4:
        return text
    while len(text) > 3 and cv.width(text + "…", face, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --------------------------------------------------------------------------- colours


def series_colours(doc: Doc, n: int) -> list[RGB]:
    """Distinct colours for chart series; greys (light to dark) on a grey page."""
    if not doc.colour:
        return [doc.grey(40 + 150 * i // max(1, n), 60 + 150 * i // max(1, n)) for i in range(n)]
    base = [doc.accent, doc.accent2] + [random_colour(doc.rng, val=(0.5, 0.9)) for _ in range(n)]
    return base[:n]


def colormap(values: np.ndarray, colour: bool) -> np.ndarray:
    """Map values in [0, 1] to RGB (viridis-like anchors, or grey); shape (H, W) -> (H, W, 3) uint8."""
    anchors = (np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], float)
               if colour else np.array([[20, 20, 20], [235, 235, 235]], float))
    pos = np.clip(values, 0, 1) * (len(anchors) - 1)
    lo = np.floor(pos).astype(int).clip(0, len(anchors) - 2)
    frac = (pos - lo)[..., None]
    return (anchors[lo] * (1 - frac) + anchors[lo + 1] * frac).astype(np.uint8)


def smooth_field(doc: Doc, w_px: int, h_px: int, cells: int = 6) -> np.ndarray:
    """A smooth random field in [0, 1] of shape (h_px, w_px): a few random values upsampled bicubically."""
    small = doc.np.random((cells, cells)).astype(np.float32)
    im = Image.fromarray((small * 255).astype(np.uint8), "L").resize((max(1, w_px), max(1, h_px)),
                                                                      Image.BICUBIC)
    return np.asarray(im, np.float32) / 255.0


# --------------------------------------------------------------------------- charts


def axes(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float, ymax: float,
         grid: bool, xlabels: Sequence[str]) -> tuple[float, float, float, float]:
    """Draw y ticks, gridlines and x labels; returns the plot area (x0, y0, x1, y1)."""
    cv = doc.cv
    label_w = cv.width(f"{ymax:g}", face, size) + size * 0.6
    x0, y0, x1, y1 = x + label_w, y + size * 0.6, x + w, y + h - size * 1.6
    ticks = 4 if doc.rng.random() < 0.5 else 5
    axis_ink = doc.grey(60, 110)
    for i in range(ticks + 1):
        ty = y1 - (y1 - y0) * i / ticks
        if grid and i:
            cv.hline(x0, x1, ty, (222, 222, 222), 0.4)
        cv.text_right(x0 - size * 0.35, ty + size * 0.35, f"{ymax * i / ticks:g}", face, size, axis_ink)
    cv.hline(x0, x1, y1, axis_ink, 0.6)
    if doc.rng.random() < 0.6:
        cv.vline(x0, y0, y1, axis_ink, 0.6)
    step = (x1 - x0) / max(1, len(xlabels))
    every = max(1, math.ceil(len(xlabels) * cv.width("0000", face, size) / (x1 - x0)))
    for i, lab in enumerate(xlabels):
        if i % every == 0:
            cv.text_center(x0 + step * (i + 0.5), y1 + size * 1.2, lab, face, size, axis_ink)
    return x0, y0, x1, y1


def nice_max(v: float) -> float:
    mag = 10 ** math.floor(math.log10(max(v, 1e-9)))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag:
            return m * mag
    return 10 * mag


def x_labels(doc: Doc, n: int) -> list[str]:
    rng = doc.rng
    kind = rng.randrange(4)
    if kind == 0:
        start = rng.randint(2000, 2024 - n)
        return [str(start + i) for i in range(n)]
    if kind == 1:
        return [f"Q{i % 4 + 1}" for i in range(n)]
    if kind == 2:
        return [m[:3] for m in doc.lang.months][:n] if n <= 12 else [str(i + 1) for i in range(n)]
    return [name[:10] for name in series_names(doc, n)]


def series_names(doc: Doc, n: int) -> list[str]:
    """Names for categories and legend entries: the methods a paper compares, or years and places."""
    rng = doc.rng
    if hasattr(doc.text, "series"):
        return doc.text.series(n)
    if rng.random() < 0.5:
        start = rng.randint(2010, 2024)
        return [str(start + i) for i in range(n)]
    return [doc.fake.city()[:12] for _ in range(n)]


def bar_chart(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float) -> None:
    rng = doc.rng
    n = rng.randint(3, 8)
    k = rng.choice([1, 1, 2, 3])
    vals = doc.np.uniform(0.15, 1.0, (k, n)) * rng.choice([10, 50, 100, 1000])
    ymax = nice_max(float(vals.max()))
    x0, y0, x1, y1 = axes(doc, x, y, w, h, face, size, ymax, rng.random() < 0.7, x_labels(doc, n))
    cols = series_colours(doc, k)
    slot = (x1 - x0) / n
    bw = slot * rng.uniform(0.5, 0.8) / k
    for i in range(n):
        for j in range(k):
            bx = x0 + slot * i + (slot - bw * k) / 2 + bw * j
            top = y1 - (y1 - y0) * vals[j, i] / ymax
            doc.cv.rect(bx, top, bx + bw, y1, fill=cols[j])
    if k > 1:
        legend(doc, x1 - w * 0.3, y0, series_names(doc, k), cols, face, size)


def line_chart(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float,
               markers: bool | None = None) -> None:
    rng = doc.rng
    n = rng.randint(6, 24)
    k = rng.randint(1, 4)
    steps = doc.np.normal(0.05, 1.0, (k, n)).cumsum(axis=1)
    vals = steps - steps.min() + doc.np.uniform(0.5, 3.0, (k, 1))
    ymax = nice_max(float(vals.max()))
    x0, y0, x1, y1 = axes(doc, x, y, w, h, face, size, ymax, rng.random() < 0.6, x_labels(doc, n))
    cols = series_colours(doc, k)
    markers = rng.random() < 0.5 if markers is None else markers
    slot = (x1 - x0) / n
    for j in range(k):
        pts = [(x0 + slot * (i + 0.5), y1 - (y1 - y0) * vals[j, i] / ymax) for i in range(n)]
        doc.cv.line(pts, cols[j], rng.uniform(0.8, 1.8), curve=True)
        if markers:
            r = size * 0.22
            for px, py in pts:
                doc.cv.ellipse(px - r, py - r, px + r, py + r, fill=cols[j])
    if k > 1 or rng.random() < 0.3:
        names = [rng.choice(["Baseline", "Ours", "Model", "Train", "Test", "Actual", "Forecast"])
                 + (f" {j + 1}" if j else "") for j in range(k)]
        legend(doc, x0 + (x1 - x0) * 0.05, y0, names, cols, face, size)


def scatter_plot(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float) -> None:
    rng = doc.rng
    n = rng.randint(20, 120)
    xs = doc.np.uniform(0, 1, n)
    ys = np.clip(xs * rng.uniform(-0.8, 0.9) + doc.np.normal(0.5, rng.uniform(0.05, 0.25), n), 0.02, 1.0)
    x0, y0, x1, y1 = axes(doc, x, y, w, h, face, size, 1.0, rng.random() < 0.5,
                          [f"{v:.1f}" for v in np.linspace(0, 1, 6)])
    col = series_colours(doc, 1)[0]
    r = size * rng.uniform(0.15, 0.3)
    for px, py in zip(xs, ys):
        cx, cy = x0 + (x1 - x0) * px, y1 - (y1 - y0) * py
        doc.cv.ellipse(cx - r, cy - r, cx + r, cy + r, fill=col)
    if rng.random() < 0.5:
        a, b = np.polyfit(xs, ys, 1)
        doc.cv.line([(x0, y1 - (y1 - y0) * b), (x1, y1 - (y1 - y0) * (a + b))], doc.ink, 0.9)


def pie_chart(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float) -> None:
    rng = doc.rng
    n = rng.randint(3, 6)
    vals = doc.np.uniform(0.2, 1.0, n)
    vals = vals / vals.sum()
    d = min(w * 0.55, h * 0.9)
    cx, cy = x + d / 2 + w * 0.03, y + h / 2
    cols = series_colours(doc, n)
    start = rng.uniform(-90, 0)
    for v, c in zip(vals, cols):
        end = start + 360 * v
        doc.cv.pieslice(cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2, start, end, c, outline=(255, 255, 255))
        start = end
    if rng.random() < 0.4:  # donut
        doc.cv.ellipse(cx - d * 0.28, cy - d * 0.28, cx + d * 0.28, cy + d * 0.28, fill=doc.cv.img.getpixel(
            (min(doc.cv.img.width - 1, doc.cv.px(x + 1)), min(doc.cv.img.height - 1, doc.cv.px(y + 1)))))
    names = [f"{name} {round(v * 100)}%" for name, v in zip(series_names(doc, len(vals)), vals)]
    legend(doc, x + d + w * 0.08, cy - n * size * 0.8, names, cols, face, size)


def legend(doc: Doc, x: float, y: float, names: Sequence[str], cols: Sequence[RGB], face: Face,
           size: float) -> None:
    for i, (name, c) in enumerate(zip(names, cols)):
        yy = y + i * size * 1.5
        doc.cv.rect(x, yy, x + size, yy + size * 0.8, fill=c)
        doc.cv.text(x + size * 1.5, yy + size * 0.8, name, face, size, doc.ink)


def heatmap(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    """An image-like figure panel (microscopy, map, attention matrix)."""
    cv = doc.cv
    wp, hp = max(1, cv.px(w)), max(1, cv.px(h))
    # Several octaves of smooth noise look like texture (tissue, terrain), one octave like a blur.
    field = sum(wt * smooth_field(doc, wp, hp, c) for wt, c in ((0.5, doc.rng.choice([3, 5])), (0.3, 12), (0.2, 40)))
    lo, hi = float(field.min()), float(field.max())
    field = (field - lo) / max(hi - lo, 1e-6)
    if doc.rng.random() < 0.4:  # blocky, like a confusion or attention matrix
        n = doc.rng.randint(5, 14)
        field = np.kron(doc.np.random((n, n)), np.ones((hp // n + 1, wp // n + 1)))[:hp, :wp]
    cv.img.paste(Image.fromarray(colormap(field, doc.colour)), (cv.px(x), cv.px(y)))


def chart(doc: Doc, x: float, y: float, w: float, h: float, face: Face, size: float,
          kinds: Sequence[str] = ("bar", "line", "pie", "scatter")) -> str:
    """One random chart of the given kinds; returns the kind drawn."""
    kind = doc.rng.choice(list(kinds))
    {"bar": bar_chart, "line": line_chart, "pie": pie_chart, "scatter": scatter_plot}[kind](
        doc, x, y, w, h, face, size)
    return kind


# --------------------------------------------------------------------------- logos, photos, marks


def logo(doc: Doc, x: float, y: float, size: float, name: str, face: Face, colour: RGB | None = None,
         text: bool = True, right: bool = False) -> float:
    """A company mark (shape + initials) and optionally its name; returns the width drawn.

    With `right`, x is the right edge of the whole logo.
    """
    cv, rng = doc.cv, doc.rng
    c = colour or doc.accent
    s = size
    shape = rng.randrange(8)
    initials_p = rng.random()
    fs = s * rng.uniform(0.45, 0.75)
    label = name.upper() if rng.random() < 0.3 else name
    label_ink = c if rng.random() < 0.5 else doc.ink
    width = s * 1.25 + cv.width(label, face, fs) if text else s
    if right:
        x -= width
    if shape == 0:
        cv.ellipse(x, y, x + s, y + s, fill=c)
    elif shape == 1:
        cv.rect(x, y, x + s, y + s, fill=c, radius=s * 0.2)
    elif shape == 2:
        cv.polygon([(x + s / 2, y), (x + s, y + s), (x, y + s)], fill=c)
    elif shape == 3:
        pts = [(x + s / 2 + s / 2 * math.cos(a), y + s / 2 + s / 2 * math.sin(a))
               for a in (math.pi / 3 * i + math.pi / 6 for i in range(6))]
        cv.polygon(pts, fill=c)
    elif shape == 4:
        for i in range(3):
            cv.rect(x + i * s / 3, y + s * (0.6 - 0.3 * i), x + (i + 0.8) * s / 3, y + s, fill=c)
    elif shape == 5:
        cv.ellipse(x, y, x + s, y + s, outline=c, width=s * 0.15)
    elif shape == 6:
        cv.ellipse(x, y + s * 0.15, x + s * 0.7, y + s * 0.85, fill=c)
        cv.ellipse(x + s * 0.3, y + s * 0.15, x + s, y + s * 0.85, fill=doc.tint(c, 0.45))
    else:
        cv.polygon([(x, y + s / 2), (x + s / 2, y), (x + s, y + s / 2), (x + s / 2, y + s)], fill=c)
    if shape in (0, 1, 3) and initials_p < 0.7:
        initials = "".join(w[0] for w in name.split()[:2] if w[:1].isalpha()).upper() or "A"
        ifs = s * (0.5 if len(initials) == 1 else 0.38)
        cv.text_center(x + s / 2, y + s / 2 + ifs * 0.36, initials, face, ifs, (255, 255, 255))
    if text:
        cv.text(x + s * 1.25, y + s / 2 + fs * 0.36, label, face, fs, label_ink)
    return width


def signature(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    """A handwritten-looking scribble: random control points joined by a Catmull-Rom curve, in ink."""
    rng = doc.rng
    ink = rng.choice([(20, 30, 110), (15, 15, 15), (30, 30, 60), (10, 40, 140)]) if doc.colour else doc.ink
    width = rng.uniform(0.6, 1.4)
    cx = x
    for k in range(rng.choice([1, 1, 2, 2, 3])):
        sw = w * rng.uniform(0.35, 0.75) / (1 if k == 0 else 1.6)
        n = rng.randint(6, 14)
        ctrl = [(cx, y + h * rng.uniform(0.3, 0.8))]
        for i in range(n):
            back = rng.random() < 0.25  # a loop: the pen goes back a little
            px = ctrl[-1][0] + (sw / n) * (rng.uniform(-1.2, -0.3) if back else rng.uniform(0.8, 2.2))
            py = y + h * (rng.uniform(0.0, 0.45) if i % 2 else rng.uniform(0.5, 1.0))
            ctrl.append((px, py))
        doc.cv.line(_catmull_rom(ctrl, 8), ink, width, curve=True)
        cx = max(p[0] for p in ctrl) + w * rng.uniform(0.03, 0.1)
    if rng.random() < 0.35:  # an underline flourish
        doc.cv.line(_catmull_rom([(x - w * 0.05, y + h * 0.95), (x + w * 0.4, y + h * 0.85),
                                  (cx, y + h * rng.uniform(0.6, 0.9))], 8), ink, width)


def _catmull_rom(pts: list[tuple[float, float]], steps: int) -> list[tuple[float, float]]:
    """A smooth curve through `pts` (`steps` samples per segment)."""
    p = [pts[0]] + pts + [pts[-1]]
    out = []
    for i in range(1, len(p) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[i - 1], p[i], p[i + 1], p[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append((0.5 * (2 * x1 + (-x0 + x2) * t + (2 * x0 - 5 * x1 + 4 * x2 - x3) * t2 + (-x0 + 3 * x1 - 3 * x2 + x3) * t3),
                        0.5 * (2 * y1 + (-y0 + y2) * t + (2 * y0 - 5 * y1 + 4 * y2 - y3) * t2 + (-y0 + 3 * y1 - 3 * y2 + y3) * t3)))
    out.append(pts[-1])
    return out


def photo(doc: Doc, x: float, y: float, w: float, h: float, portrait: bool = False, round_: bool = False) -> None:
    """A photo-like panel in muted colours; `portrait` draws a head-and-shoulders picture."""
    cv = doc.cv
    wp, hp = max(1, cv.px(w)), max(1, cv.px(h))
    im = _portrait(doc, wp, hp) if portrait else _scene(doc, wp, hp)
    if not doc.colour:
        im = im.convert("L").convert("RGB")
    mask = None
    if round_:
        from PIL import ImageDraw

        mask = Image.new("L", (wp, hp), 0)
        ImageDraw.Draw(mask).ellipse([0, 0, wp - 1, hp - 1], fill=255)
    cv.img.paste(im, (cv.px(x), cv.px(y)), mask)


def _muted(doc: Doc, lo: int = 60, hi: int = 220) -> np.ndarray:
    """A random colour pulled towards grey, as most photos are."""
    c = doc.np.integers(lo, hi, 3).astype(float)
    return c * 0.55 + c.mean() * 0.45


def _scene(doc: Doc, wp: int, hp: int) -> Image.Image:
    """Sky-to-ground gradient with soft blobs: reads as a landscape, office or product photo when small."""
    rng = doc.rng
    top, bottom = _muted(doc, 120, 240), _muted(doc, 30, 160)
    t = np.linspace(0, 1, hp, dtype=np.float32)[:, None, None]
    horizon = rng.uniform(0.3, 0.7)
    t = np.clip((t - horizon) * rng.uniform(2, 8) + 0.5, 0, 1)
    arr = top * (1 - t) + bottom * t
    arr = np.broadcast_to(arr, (hp, wp, 3)).copy()
    tex = smooth_field(doc, wp, hp, rng.choice([4, 8, 16]))[..., None]
    arr = arr * (0.75 + 0.5 * tex)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _portrait(doc: Doc, wp: int, hp: int) -> Image.Image:
    from PIL import ImageDraw, ImageFilter

    rng = doc.rng
    bg = tuple(int(v) for v in _muted(doc, 150, 235))
    im = Image.new("RGB", (wp, hp), bg)
    d = ImageDraw.Draw(im)
    skin = rng.choice([(234, 192, 160), (205, 150, 115), (160, 110, 80), (110, 75, 55), (240, 205, 180)])
    hair = rng.choice([(40, 30, 25), (90, 60, 35), (150, 110, 60), (200, 170, 110), (120, 120, 120), (20, 20, 20)])
    cloth = tuple(int(v) for v in _muted(doc, 20, 120))
    d.ellipse([wp * 0.1, hp * 0.68, wp * 0.9, hp * 1.45], fill=cloth)  # shoulders
    d.rectangle([wp * 0.43, hp * 0.5, wp * 0.57, hp * 0.72], fill=skin)  # neck
    d.ellipse([wp * 0.3, hp * 0.14, wp * 0.7, hp * 0.62], fill=hair)  # hair behind the face
    d.ellipse([wp * 0.34, hp * 0.2, wp * 0.66, hp * 0.62], fill=skin)  # face
    if rng.random() < 0.6:
        d.chord([wp * 0.32, hp * 0.12, wp * 0.68, hp * 0.4], 180, 360, fill=hair)  # fringe
    return im.filter(ImageFilter.GaussianBlur(max(0.5, wp / 120)))


def image_placeholder(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    """An empty image frame as templates show it: a light box with a cross or a mountain icon."""
    cv = doc.cv
    fill = doc.tint(doc.accent, 0.88) if doc.rng.random() < 0.5 else (236, 236, 236)
    line = doc.grey(150, 200)
    cv.rect(x, y, x + w, y + h, fill=fill, outline=line, width=0.6)
    if doc.rng.random() < 0.5:
        cv.line([(x, y), (x + w, y + h)], line, 0.6)
        cv.line([(x, y + h), (x + w, y)], line, 0.6)
    else:
        m = min(w, h) * 0.3
        cx, cy = x + w / 2, y + h / 2
        cv.polygon([(cx - m, cy + m * 0.6), (cx - m * 0.2, cy - m * 0.4), (cx + m * 0.3, cy + m * 0.2),
                    (cx + m * 0.6, cy - m * 0.1), (cx + m, cy + m * 0.6)], fill=line)
        cv.ellipse(cx + m * 0.3, cy - m * 0.9, cx + m * 0.7, cy - m * 0.5, fill=line)


def barcode(doc: Doc, x: float, y: float, w: float, h: float) -> None:
    n = doc.rng.randint(40, 70)
    widths = doc.np.integers(1, 4, n)
    unit = w / widths.sum() / 1.0
    cx = x
    for i, bw in enumerate(widths):
        if i % 2 == 0:
            doc.cv.rect(cx, y, cx + bw * unit * 0.999, y + h, fill=(10, 10, 10))
        cx += bw * unit


def qr_code(doc: Doc, x: float, y: float, s: float) -> None:
    n = 25
    cells = doc.np.random((n, n)) < 0.5
    for cx0, cy0 in ((0, 0), (n - 7, 0), (0, n - 7)):
        cells[cy0:cy0 + 7, cx0:cx0 + 7] = False
        cells[cy0, cx0:cx0 + 7] = cells[cy0 + 6, cx0:cx0 + 7] = True
        cells[cy0:cy0 + 7, cx0] = cells[cy0:cy0 + 7, cx0 + 6] = True
        cells[cy0 + 2:cy0 + 5, cx0 + 2:cx0 + 5] = True
    cv = doc.cv
    wp = max(1, cv.px(s))
    im = Image.fromarray(np.where(cells, 0, 255).astype(np.uint8), "L").resize((wp, wp), Image.NEAREST)
    cv.img.paste(im.convert("RGB"), (cv.px(x), cv.px(y)))


def stamp(doc: Doc, x: float, y: float, text: str, face: Face, size: float) -> None:
    """A rubber stamp (PAID, COPY, ...) drawn as a rotated outlined label."""
    cv = doc.cv
    col = (190, 30, 30) if doc.colour else doc.grey(80, 120)
    w = cv.width(text, face, size) + size
    wp, hp = max(2, cv.px(w)), max(2, cv.px(size * 1.6))
    im = Image.new("L", (wp, hp), 0)
    from PIL import ImageDraw

    d = ImageDraw.Draw(im)
    lw = max(1, cv.px(size * 0.08))
    d.rectangle([0, 0, wp - 1, hp - 1], outline=255, width=lw)
    d.text((wp / 2, hp / 2), fit_text(face, text), font=cv.font(face, size), fill=255, anchor="mm")
    im = im.rotate(doc.rng.uniform(-20, 20), expand=True, resample=Image.BICUBIC)
    mask = im.point(lambda v: int(v * 0.75))
    cv.img.paste(Image.new("RGB", im.size, col), (cv.px(x), cv.px(y)), mask)


def bullet(doc: Doc, x: float, base: float, size: float, kind: str, colour: RGB, face: Face) -> None:
    """A bullet mark whose centre sits on the x-height of a line with baseline `base`."""
    cy = base - size * 0.33
    r = size * 0.17
    if kind == "dot":
        doc.cv.ellipse(x - r, cy - r, x + r, cy + r, fill=colour)
    elif kind == "square":
        doc.cv.rect(x - r, cy - r, x + r, cy + r, fill=colour)
    elif kind == "dash":
        doc.cv.hline(x - r * 1.5, x + r * 1.5, cy, colour, size * 0.08)
    elif kind == "arrow":
        doc.cv.polygon([(x - r, cy - r * 1.3), (x + r * 1.3, cy), (x - r, cy + r * 1.3)], fill=colour)
    else:
        doc.cv.ellipse(x - r, cy - r, x + r, cy + r, outline=colour, width=size * 0.06)


# --------------------------------------------------------------------------- equations

GREEK = "αβγδεθλμνπρστφψωΣΩΔΓ"


def equation(doc: Doc, x: float, base: float, face: Face, size: float, width: float | None = None) -> float:
    """Draw a random display equation with its baseline at `base`; returns its width.

    Built from atoms: variables with sub/superscripts, big operators with limits, fractions.
    With `width`, x is the left of a box of that width and the equation is centred in it.
    """
    rng = doc.rng
    lhs = rng.choice(["L(θ)", "f(x)", "E", "p(y|x)", "J", "u(t)", "Z", "R", "∂u/∂t", "h", "F(ω)", "σ²"])
    terms = [_term(doc) for _ in range(rng.randint(1, 3))]
    ops = [rng.choice([" + ", " − ", " · ", " "]) for _ in terms[1:]]
    atoms: list[tuple] = [("t", lhs), ("t", " = " if rng.random() < 0.8 else " ≤ ")]
    for i, t in enumerate(terms):
        if i:
            atoms.append(("t", ops[i - 1]))
        atoms += t
    if width is not None:
        x += max(0.0, (width - _draw_atoms(doc, x, base, atoms, face, size, draw=False)) / 2)
    return _draw_atoms(doc, x, base, atoms, face, size)


def _var(doc: Doc) -> str:
    rng = doc.rng
    return rng.choice("xyzwbkvnq") if rng.random() < 0.6 else rng.choice(GREEK[:12])


def _term(doc: Doc) -> list[tuple]:
    rng = doc.rng
    kind = rng.randrange(5)
    v = _var(doc)
    if kind == 0:
        return [("big", rng.choice("∑∏∫"), rng.choice(["i=1", "k=0", "n", "Ω", "0"]),
                 rng.choice(["N", "K", "∞", "T", ""])), ("t", v), ("sub", "i")]
    if kind == 1:
        return [("frac", f"{rng.choice('1 2 ∂ d'.split())}{_var(doc)}", f"{rng.choice(['2', 'N', 'd', '∂'])}{_var(doc)}")]
    if kind == 2:
        return [("t", v), ("sup", rng.choice(["2", "T", "−1", "(k)"]))]
    if kind == 3:
        return [("t", f"{rng.choice(['exp', 'log', 'sin', 'max', 'tr', ''])}({v}"), ("sub", rng.choice("ijt")),
                ("t", f" − {_var(doc)})")]
    return [("t", f"‖{v} − {_var(doc)}‖"), ("sub", "2"), ("sup", "2")]


def _draw_atoms(doc: Doc, x: float, base: float, atoms: list[tuple], face: Face, size: float,
                draw: bool = True) -> float:
    """Lay out (and with `draw`, draw) equation atoms from x; returns their width."""
    cv = doc.cv
    ink = doc.ink
    x0 = x

    def put(px: float, py: float, text: str, s: float, centre: bool = False) -> float:
        w = cv.width(text, face, s)
        if draw:
            cv.text(px - (w / 2 if centre else 0), py, text, face, s, ink)
        return w

    for atom in atoms:
        kind = atom[0]
        if kind == "t":
            x += put(x, base, atom[1], size)
        elif kind in ("sub", "sup"):
            dy = size * 0.3 if kind == "sub" else -size * 0.45
            x += put(x, base + dy, atom[1], size * 0.65) + size * 0.05
        elif kind == "big":
            sym, lo, hi = atom[1], atom[2], atom[3]
            w = put(x, base + size * 0.3, sym, size * 1.6)
            if lo:
                put(x + w / 2, base + size * 1.0, lo, size * 0.6, centre=True)
            if hi:
                put(x + w / 2, base - size * 1.25, hi, size * 0.6, centre=True)
            x += w + size * 0.2
        elif kind == "frac":
            num, den = atom[1], atom[2]
            w = max(cv.width(num, face, size), cv.width(den, face, size)) + size * 0.3
            put(x + w / 2, base - size * 0.55, num, size, centre=True)
            if draw:
                cv.hline(x, x + w, base - size * 0.3, ink, size * 0.05)
            put(x + w / 2, base + size * 0.75, den, size, centre=True)
            x += w + size * 0.15
    return x - x0
