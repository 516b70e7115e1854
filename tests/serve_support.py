"""Shared by the serving tests: one tiny trained model per pytest session, and image bytes."""

from __future__ import annotations

import io
import json
import struct
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image

from conftest import TINY_CLASSES, draw_tiny_page, fresh_store, make_tiny_dataset


@dataclass(frozen=True)
class TinyModel:
    root: str
    data_dir: str
    checkpoint: str
    run_id: str
    tracking_uri: str


def trained_model(base: Path) -> TinyModel:
    """Train once per session (about 10-20 s) under `base`; later callers reuse it."""
    root = base / "serve-model"
    marker = root / "model.json"
    if marker.is_file():
        return TinyModel(**json.loads(marker.read_text()))
    import torch

    from docclf.cli import run

    data = make_tiny_dataset(root / "data")
    uri = fresh_store(base / "mlflow-template.db", root / "mlflow.db")  # conftest's mlflow_template
    code = run(["train", "--data-dir", str(data), "--model", "mobilenetv3_small", "--modality", "image",
                "--abstain-below", "0", "--image-size", "64",
                "--batch-size", "8", "--pretrained", "off", "--no-progress", "--threads", "1",
                "--epochs", "1", "--output-dir", str(root / "out"),
                "--tracking-uri", uri, "--cache-dir", str(root / "cache"), "--mlflow-experiment", "serve"])
    assert code == 0
    ckpt = root / "out" / "model_final.pth"
    run_id = torch.load(ckpt, weights_only=True)["mlflow_run_id"]
    model = TinyModel(str(root), str(data), str(ckpt), run_id, uri)
    marker.write_text(json.dumps(asdict(model)))
    return model


def register(model: TinyModel, name: str, alias: str | None = None) -> str:
    """Register the model's run as a new version of `name` (and point `alias` at it); the version."""
    from docclf.registry import Registry

    reg = Registry(model.tracking_uri)
    version = str(reg.register(model.run_id, name)["version"])
    if alias:
        reg.set_alias(name, alias, version)
    return version


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (90, 120), mode: str = "RGB", cls: int = 1) -> bytes:
    img = draw_tiny_page(cls, 7, size)
    if mode != "RGB":
        img = img.convert(mode)
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def png_with_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height over a few bytes of data (zero-size or a bomb)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def bomb_png(side: int = 9000) -> bytes:
    """A real 1-bit PNG of side x side px: 81 Mpx in about 28 kB."""
    buf = io.BytesIO()
    Image.new("1", (side, side), 1).save(buf, "PNG")
    return buf.getvalue()


CLASSES = TINY_CLASSES
