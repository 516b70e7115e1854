"""The model's preprocessing: one code path for training's cache, evaluation, export and serving.

A page is letterboxed: scaled so its long side fits `image_size`, then padded with white to a
square. Squashing a page to a square distorted layouts (scanned-page accuracy 59% vs 68% with
padding in the team's calibration run), and a centre crop would cut the header away.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import torch
from PIL import Image

# Refuse decompression bombs far below PIL's default (~179 Mpx): an A4 page at 600 dpi is 35 Mpx.
MAX_IMAGE_PIXELS = 80_000_000


@dataclass(frozen=True)
class PreprocessConfig:
    """How an image becomes the model's input tensor; stored in every checkpoint and export."""

    image_size: int = 224
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)
    fill: int = 255  # white, like paper
    resize_mode: str = "pad"  # "pad" (letterbox) or "squash"
    interpolation: str = "bilinear"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["mean"], d["std"] = list(self.mean), list(self.std)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PreprocessConfig":
        d = dict(d)
        d["mean"], d["std"] = tuple(d["mean"]), tuple(d["std"])
        return cls(**d)


class BadImageError(ValueError):
    """An input that is not a readable image."""


def open_page(source: str | Path | bytes | IO[bytes], max_pixels: int = MAX_IMAGE_PIXELS,
              draft_size: int | None = None) -> Image.Image:
    """Open an image file or bytes as an RGB page; transparency becomes white paper.

    With `draft_size`, a JPEG decodes at a reduced scale (draft mode) that stays at least twice
    that size: 4-8x less work on a scanned A4 page, and the letterboxed result is what counts.
    """
    fp = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    try:
        img = Image.open(fp)
        if draft_size and img.format == "JPEG":
            img.draft("RGB", (draft_size * 2, draft_size * 2))
        if img.width * img.height > max_pixels:
            raise BadImageError(f"image is {img.width}x{img.height} px, over the {max_pixels:,} px limit")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except BadImageError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise BadImageError(f"cannot read image: {exc}") from None
    return _to_rgb(img)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return img.convert("RGB") if img.mode != "RGB" else img


def open_page_for_size(source: str | Path | bytes | IO[bytes], image_size: int,
                       max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """Open a page that will be letterboxed to `image_size` (JPEG decodes in draft mode)."""
    return open_page(source, max_pixels, draft_size=image_size)


def letterbox(img: Image.Image, cfg: PreprocessConfig) -> np.ndarray:
    """Resize a page to (S, S, 3) uint8, keeping its shape with white padding (or squashing)."""
    size = cfg.image_size
    resample = Image.Resampling.BILINEAR if cfg.interpolation == "bilinear" else Image.Resampling.BICUBIC
    if cfg.resize_mode == "squash":
        return np.asarray(img.resize((size, size), resample, reducing_gap=3.0))
    scale = size / max(img.width, img.height)
    w, h = max(1, round(img.width * scale)), max(1, round(img.height * scale))
    # reducing_gap: integer box-reduce first, then filter; ~2x faster on 3508 px pages, same look
    small = img.resize((w, h), resample, reducing_gap=3.0)
    canvas = np.full((size, size, 3), cfg.fill, dtype=np.uint8)
    top, left = (size - h) // 2, (size - w) // 2
    canvas[top:top + h, left:left + w] = np.asarray(small)
    return canvas


def normalize(batch_uint8: torch.Tensor, cfg: PreprocessConfig) -> torch.Tensor:
    """(B, S, S, 3) or (B, 3, S, S) uint8 -> (B, 3, S, S) float32 normalised by the model's mean/std."""
    x = batch_uint8
    if x.shape[-1] == 3 and x.shape[1] != 3:
        x = x.permute(0, 3, 1, 2)
    x = x.float().div_(255.0)
    mean = torch.tensor(cfg.mean, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(cfg.std, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    return (x - mean) / std


def preprocess(images: list[Image.Image], cfg: PreprocessConfig) -> torch.Tensor:
    """PIL pages -> (B, 3, S, S) float32: the exact input the model saw during evaluation."""
    arr = np.stack([letterbox(img, cfg) for img in images])
    return normalize(torch.from_numpy(arr), cfg)
