"""Contact sheet: a labelled grid of sample pages per class, each thumbnail keeping its page shape."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from PIL import Image, ImageDraw

from docclf.errors import UsageError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp")
CELL = 240  # thumbnail box (square, so portrait pages and slides both fit without squashing)
GAP = 14
LABEL_W = 200
BG = (236, 236, 236)


def make_contact_sheet(data_dir: str | Path, output: str | Path | None = None, per_class: int = 6,
                       split: str = "train") -> Path:
    """Write a PNG grid with a row per class of `per_class` pages from `split`; returns its path."""
    root = Path(data_dir)
    if per_class <= 0:
        raise UsageError(f"--per-class must be positive, got {per_class}")
    split_dir = root / split
    if not split_dir.is_dir():
        found = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        raise UsageError(f"no split folder {split_dir}; "
                         + (f"splits found: {', '.join(found)}" if found else f"is {root} a dataset written by `docclf generate`?"))
    classes = _classes(root, split_dir)
    if not classes:
        raise UsageError(f"{split_dir} has no class folders with images")
    layouts = _layouts(root)
    rows = [(cls, _sample(sorted(p for p in (split_dir / cls).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES),
                          per_class)) for cls in classes]
    sheet = _draw(rows, per_class, layouts, root)
    out = Path(output) if output else root / "contact_sheet.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, "PNG", compress_level=6)
    return out


def _classes(root: Path, split_dir: Path) -> list[str]:
    """Class order from dataset.json when present, else the folder names sorted."""
    present = sorted(p.name for p in split_dir.iterdir() if p.is_dir())
    meta = root / "dataset.json"
    if meta.is_file():
        try:
            order = json.loads(meta.read_text(encoding="utf-8")).get("classes", [])
            return [c for c in order if c in present] + [c for c in present if c not in order]
        except (json.JSONDecodeError, AttributeError):
            pass  # a broken dataset.json should not stop a preview
    return present


def _layouts(root: Path) -> dict[str, str]:
    """File path -> layout family, from manifest.csv when there is one."""
    path = root / "manifest.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["path"]: r.get("layout", "") for r in csv.DictReader(fh)}


def _sample(files: list[Path], k: int) -> list[Path]:
    """k files spread evenly over the sorted list (deterministic)."""
    if len(files) <= k:
        return files
    return [files[round(i * (len(files) - 1) / (k - 1))] if k > 1 else files[0] for i in range(k)]


def _font(size: int, bold: bool = False):
    from docclf.synth.fonts import discover_fonts, truetype

    faces = [f for f in discover_fonts() if f.kind == "sans" and f.bold == bold and not f.italic] or list(discover_fonts())
    return truetype(faces[0].path, size)


def _draw(rows: list[tuple[str, list[Path]]], per_class: int, layouts: dict[str, str], root: Path) -> Image.Image:
    cols = max(1, max(len(files) for _, files in rows), min(per_class, 1))
    cap = 18
    w = LABEL_W + cols * (CELL + GAP) + GAP
    h = GAP + len(rows) * (CELL + cap + GAP)
    sheet = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(sheet)
    title, small = _font(18, bold=True), _font(12)
    for r, (cls, files) in enumerate(rows):
        y = GAP + r * (CELL + cap + GAP)
        d.text((16, y + CELL / 2), cls, font=title, fill=(20, 20, 20), anchor="lm")
        for c, path in enumerate(files):
            x = LABEL_W + c * (CELL + GAP)
            d.rectangle([x, y, x + CELL - 1, y + CELL - 1], fill=BG)
            with Image.open(path) as im:
                im.draft("RGB", (CELL, CELL))  # JPEG: decode at reduced size
                thumb = im.convert("RGB")
                thumb.thumbnail((CELL - 8, CELL - 8), Image.LANCZOS)
            tx, ty = x + (CELL - thumb.width) // 2, y + (CELL - thumb.height) // 2
            sheet.paste(thumb, (tx, ty))
            d.rectangle([tx - 1, ty - 1, tx + thumb.width, ty + thumb.height], outline=(150, 150, 150))
            rel = path.relative_to(root).as_posix()
            caption = f"{layouts.get(rel, '')}  {path.stem.split('_')[-1]}".strip()
            d.text((x + CELL / 2, y + CELL + 3), caption, font=small, fill=(90, 90, 90), anchor="mt")
    return sheet
