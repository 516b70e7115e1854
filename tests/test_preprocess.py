"""Decoding pages: deep-bit and float samples, EXIF orientation, reduced-scale JPEG, numpy normalisation."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
from PIL import Image

from conftest import draw_tiny_page
from docclf.data import load_or_build_cache, scan_split
from docclf.preprocess import (PreprocessConfig, letterbox, normalize, normalize_array, open_page,
                               open_page_for_size)

PCFG = PreprocessConfig(image_size=64)


def _grey_page() -> np.ndarray:
    """(H, W) uint8: a tiny page, black stripes on white (min 0, max 255)."""
    return np.asarray(draw_tiny_page(1, 3, (90, 120)).convert("L"))


def _save(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def _deep_files() -> dict[str, bytes]:
    """The 8-bit page stored as a scanner or an archive would store it with more bits."""
    a = _grey_page().astype(np.uint32)
    h, w = a.shape
    return {
        "I;16 PNG": _save(Image.frombytes("I;16", (w, h), (a * 257).astype("<u2").tobytes()), "PNG"),
        "12-bit in I;16 PNG": _save(Image.frombytes("I;16", (w, h), (a * 16).astype("<u2").tobytes()), "PNG"),
        "I;16B TIFF": _save(Image.frombytes("I;16B", (w, h), (a * 257).astype(">u2").tobytes()), "TIFF"),
        "32-bit I TIFF": _save(Image.fromarray((a * 65793).astype(np.int32), "I"), "TIFF"),
        "float F TIFF in [0, 1]": _save(Image.fromarray((a / 255).astype(np.float32), "F"), "TIFF"),
    }


@pytest.mark.parametrize("kind", list(_deep_files()))
def test_deep_bit_and_float_pages_decode_as_the_page(kind):
    """Pillow's own conversion made these all white (16/32-bit) or all black (float)."""
    reference = letterbox(Image.fromarray(_grey_page()), PCFG)
    data = _deep_files()[kind]
    for page in (open_page_for_size(data, PCFG.image_size), open_page(data)):
        got = letterbox(page, PCFG)
        assert got.min() < 60 and got.max() == 255, kind  # ink and paper, not a blank page
        assert np.abs(got.astype(int) - reference).max() <= 1, kind


def test_deep_bit_pages_are_trained_and_served_as_pages(tmp_path):
    """Training's cache and the server's decoder both see the page, not a blank."""
    from docclf.serve.validation import Limits, decode_image

    data = _deep_files()["I;16 PNG"]
    for cls in ("a", "b"):
        (tmp_path / "train" / cls).mkdir(parents=True)
        (tmp_path / "train" / cls / "deep.png").write_bytes(data)
    cached = load_or_build_cache(scan_split(tmp_path, "train", ["a", "b"]), PCFG, tmp_path / "cache", progress=False)
    served = letterbox(decode_image(data, Limits(10**8, 8, ("PNG", "TIFF")), PCFG.image_size), PCFG)
    assert np.array_equal(cached.images[0], served)
    assert served.min() < 60


def test_constant_deep_page_is_blank_paper():
    page = open_page(_save(Image.frombytes("I;16", (8, 8), np.full(64, 4000, "<u2").tobytes()), "PNG"))
    assert np.asarray(page).min() == 255


def _sideways(fmt: str) -> tuple[bytes, Image.Image]:
    """A page stored sideways with EXIF orientation 6 ("rotate 90 degrees clockwise to view"), and its upright look."""
    upright = draw_tiny_page(3, 5, (90, 120))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # 120 x 90, as a phone camera writes it
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, fmt, exif=exif, **({"quality": 95} if fmt == "JPEG" else {}))
    return buf.getvalue(), upright


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_exif_orientation_gives_the_upright_page(fmt):
    """The browser preview honours EXIF orientation; the model must see the same page."""
    data, upright = _sideways(fmt)
    reference = letterbox(upright, PCFG).astype(int)
    for page in (open_page(data), open_page_for_size(data, PCFG.image_size)):
        assert page.size == upright.size
        err = np.abs(letterbox(page, PCFG).astype(int) - reference).mean()
        assert err < (0.5 if fmt == "PNG" else 6), err  # JPEG: compression noise only


def test_greyscale_page_letterboxes_exactly_like_its_rgb_copy():
    grey = Image.fromarray(_grey_page())
    data = _save(grey, "PNG")
    page = open_page_for_size(data, PCFG.image_size)
    assert page.mode == "L"  # one channel to resize instead of three
    for cfg in (PCFG, PreprocessConfig(image_size=64, resize_mode="squash")):
        assert np.array_equal(letterbox(page, cfg), letterbox(open_page(data), cfg))


def test_jpeg_decodes_at_the_smallest_scale_covering_the_target():
    page = Image.fromarray(np.tile(_grey_page(), (16, 16))).convert("RGB").resize((1600, 2000))
    data = _save(page, "JPEG")
    small = open_page_for_size(data, 100)  # letterboxed to 80 x 100: 1/8 scale still covers it
    assert small.size == (200, 250)
    assert open_page(data).size == (1600, 2000)


def test_numpy_normalisation_is_bit_identical_to_torch():
    """The ONNX server normalises with numpy, training with torch: every uint8 value, every channel."""
    v = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    values = np.stack([v, v[:, ::-1], np.roll(v, 7)], axis=3)  # each channel its own order of 0..255
    for cfg in (PCFG, PreprocessConfig(mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5))):
        expected = normalize(torch.from_numpy(values), cfg).contiguous().numpy()
        assert np.array_equal(normalize_array(values, cfg).view(np.uint32), expected.view(np.uint32))
