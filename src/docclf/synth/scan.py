"""Scan and photocopy effects: paper tint, uneven light, rotation, skew, shadows, blur, noise, grey, JPEG."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageChops, ImageDraw

RGB = tuple[int, int, int]


def scan(img: Image.Image, rng: random.Random) -> Image.Image:
    """Apply a random subset of scan effects; the size never changes and the same RNG gives the same page."""
    g = np.random.default_rng(rng.getrandbits(64))
    long = max(img.size)
    if rng.random() < 0.5:
        img = paper_tint(img, rng)
    if rng.random() < 0.5:
        img = uneven_light(img, g, rng.uniform(0.06, 0.3))
    if rng.random() < 0.04:
        img = punch_holes(img, rng)
    bed = scanner_bed(rng)
    skew = rng.uniform(0.003, 0.02) if rng.random() < 0.3 else 0.0
    angle = 0.0
    if rng.random() < 0.75:
        angle = rng.uniform(-3, 3) if rng.random() < 0.7 else rng.uniform(-0.8, 0.8)
    if skew or angle:
        img = geometry(img, g, angle, skew, bed)
    if rng.random() < 0.35:
        img = edge_shadow(img, rng)
    if rng.random() < 0.5:
        img = blur(img, rng.uniform(0.2, 1.2) * long / 1500)
    if rng.random() < 0.6:
        img = noise(img, g, rng.uniform(2, 12))
    if rng.random() < 0.25:
        img = specks(img, g, rng)
    r = rng.random()
    if r < 0.12:
        img = binarise(img, rng.randint(110, 190))
    elif r < 0.45:
        img = img.convert("L").convert("RGB")
    if rng.random() < 0.4:
        img = jpeg_artefacts(img, rng.randint(20, 70))
    return img


def scanner_bed(rng: random.Random) -> RGB:
    """Colour outside the paper: white lid, grey lid or black background."""
    r = rng.random()
    v = rng.randint(235, 255) if r < 0.6 else rng.randint(90, 170) if r < 0.85 else rng.randint(0, 40)
    return (v, v, v)


def paper_tint(img: Image.Image, rng: random.Random) -> Image.Image:
    """Off-white or slightly yellowed paper (multiplies, so ink stays dark)."""
    base = rng.randint(228, 252)
    tint = (base, base - rng.randint(0, 6), base - rng.randint(0, 16))
    return ImageChops.multiply(img, Image.new("RGB", img.size, tint))


def uneven_light(img: Image.Image, g: np.random.Generator, strength: float) -> Image.Image:
    """A smooth brightness field (1 - strength .. 1) from a few random values upsampled."""
    small = 1.0 - strength * g.random((3, 3))
    field = Image.fromarray((small * 255).astype(np.uint8), "L").resize(img.size, Image.BILINEAR)
    return ImageChops.multiply(img, field.convert("RGB"))


def geometry(img: Image.Image, g: np.random.Generator, angle: float, skew: float, fill: RGB) -> Image.Image:
    """Rotate by `angle` degrees and move each corner by up to `skew` of the size, in one resampling.

    One bilinear perspective warp costs about a quarter of a bicubic rotate plus a bicubic warp on A4 at 300 dpi.
    """
    w, h = img.size
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    a = np.radians(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    centre = np.array([w / 2, h / 2])
    dst = (src - centre) @ rot.T + centre
    if skew:
        dst = dst + g.uniform(-skew, skew, (4, 2)) * [w, h]
    coeffs = _perspective_coeffs(dst, src)
    return img.transform(img.size, Image.PERSPECTIVE, coeffs, Image.BILINEAR, fillcolor=fill)


def blur(img: Image.Image, radius: float) -> Image.Image:
    """Optical blur: shrink and enlarge again (bilinear), several times cheaper than a Gaussian on large pages."""
    w, h = img.size
    f = 1.0 + max(0.3, radius)
    small = img.resize((max(1, round(w / f)), max(1, round(h / f))), Image.BILINEAR)
    return small.resize((w, h), Image.BILINEAR)


def _perspective_coeffs(dst: np.ndarray, src: np.ndarray) -> tuple[float, ...]:
    """Coefficients mapping output points `dst` to input points `src` (PIL's PERSPECTIVE convention)."""
    rows = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    sol = np.linalg.solve(np.array(rows, float), src.reshape(8))
    return tuple(float(c) for c in sol)


def edge_shadow(img: Image.Image, rng: random.Random) -> Image.Image:
    """A dark band fading inwards from one or two edges (book spine, lid not closed)."""
    w, h = img.size
    mask = np.ones((h, w), np.float32)
    for edge in rng.sample(["left", "right", "top", "bottom"], rng.choice([1, 1, 2])):
        size = (w if edge in ("left", "right") else h)
        width = max(2, int(size * rng.uniform(0.01, 0.06)))
        ramp = np.linspace(rng.uniform(0.1, 0.6), 1.0, width, dtype=np.float32) ** rng.uniform(0.5, 2.0)
        if edge == "left":
            mask[:, :width] *= ramp[None, :]
        elif edge == "right":
            mask[:, -width:] *= ramp[::-1][None, :]
        elif edge == "top":
            mask[:width, :] *= ramp[:, None]
        else:
            mask[-width:, :] *= ramp[::-1][:, None]
    field = Image.fromarray((mask * 255).astype(np.uint8), "L").convert("RGB")
    return ImageChops.multiply(img, field)


def noise(img: Image.Image, g: np.random.Generator, sigma: float) -> Image.Image:
    """Gaussian sensor noise on brightness (the same on all channels, as a scanner's mostly is)."""
    arr = np.asarray(img, np.int16)
    n = (g.standard_normal(arr.shape[:2], dtype=np.float32) * sigma).astype(np.int16)
    return Image.fromarray(np.clip(arr + n[..., None], 0, 255).astype(np.uint8), "RGB")


def specks(img: Image.Image, g: np.random.Generator, rng: random.Random) -> Image.Image:
    """Dust and toner specks, sized for the page (at small sizes most are below a pixel and vanish)."""
    img = img.copy()
    d = ImageDraw.Draw(img)
    w, h = img.size
    unit = max(w, h) / 1800
    n = int(g.integers(5, 40))
    for x, y, s in zip(g.uniform(0, w, n), g.uniform(0, h, n), g.uniform(0.5, 2.5, n)):
        r = unit * s
        if r < 0.6:
            continue
        v = rng.randint(0, 110)
        d.ellipse([x - r, y - r, x + r, y + r], fill=(v, v, v))
    return img


def punch_holes(img: Image.Image, rng: random.Random) -> Image.Image:
    """Two filing holes near the left edge, seen dark through the scanner."""
    img = img.copy()
    d = ImageDraw.Draw(img)
    w, h = img.size
    r = min(w, h) * 0.017
    x = w * 0.04
    v = rng.randint(20, 120)
    for y in (h * 0.5 - h * 0.1, h * 0.5 + h * 0.1):
        d.ellipse([x - r, y - r, x + r, y + r], fill=(v, v, v))
    return img


def binarise(img: Image.Image, threshold: int) -> Image.Image:
    """Black and white only, as fax machines and cheap scanners produce.

    Below 1000 px a hard threshold would erase text that is already a grey smudge; a real scan is
    thresholded at full resolution and shrunk afterwards, which leaves grey. A steep contrast curve
    around the threshold gives that look.
    """
    if max(img.size) >= 1000:
        lut = [255 if v > threshold else 0 for v in range(256)]
    else:
        lut = [max(0, min(255, round((v - threshold) * 4 + 128))) for v in range(256)]
    return img.convert("L").point(lut).convert("RGB")


def jpeg_artefacts(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality, optimize=False)
    buf.seek(0)
    with Image.open(buf) as out:
        return out.convert("RGB")
