"""Write a dataset: plan pages per class and split, render them over processes, manifest and dataset.json."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import math
import os
import random
import shutil
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from docclf.config import GENERATOR_CLASSES, GenerateConfig
from docclf.errors import UsageError
from docclf.ocr import WORDS_FORMAT, WORDS_SUFFIX

log = logging.getLogger(__name__)

SPLITS = ("train", "val", "test")
MANIFEST_COLUMNS = ("path", "split", "class", "layout", "width", "height", "sha256")
ARTEFACTS = ("dataset.json", "manifest.csv", "contact_sheet.png")
PNG_COMPRESS_LEVEL = 1  # about 1.5x faster than the default 6 for a few % larger files on document pages
JPEG_QUALITY = 90
CHUNK = 4  # pages per task: small enough to balance, large enough to amortise the IPC


@dataclass(frozen=True)
class PageJob:
    """One page to render: everything that decides its pixels, and where it goes."""

    cls: str
    index: int
    split: str
    rel_path: str
    seed: int
    min_size: int
    max_size: int
    scan_prob: float
    fmt: str


def split_counts(n: int, fractions: list[float]) -> list[int]:
    """Pages per split: largest remainders, then at least one page for each non-zero fraction when n allows."""
    raw = [n * f for f in fractions]
    counts = [math.floor(r + 1e-9) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))[: n - sum(counts)]:
        counts[i] += 1
    nonzero = [i for i, f in enumerate(fractions) if f > 0]
    if n >= len(nonzero):
        for i in nonzero:
            if counts[i] == 0:
                donor = max(range(len(counts)), key=lambda k: (counts[k], -k))
                counts[donor] -= 1
                counts[i] += 1
    return counts


def page_seed(seed: int, cls: str, index: int) -> int:
    """A page's own seed from (seed, class, index) only, so the worker count cannot change a page."""
    digest = hashlib.sha256(f"docclf.synth/{seed}/{cls}/{index}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def plan(cfg: GenerateConfig) -> list[PageJob]:
    """Every page of the dataset in a fixed order: class, then index; indices fill train, val, test."""
    ext = "jpg" if cfg.format == "jpg" else "png"
    digits = max(5, len(str(cfg.num_per_class - 1)))
    jobs = []
    for cls in cfg.classes:
        counts = split_counts(cfg.num_per_class, cfg.split)
        bounds = [sum(counts[:k + 1]) for k in range(len(counts))]
        for index in range(cfg.num_per_class):
            split = SPLITS[next(k for k, b in enumerate(bounds) if index < b)]
            rel = f"{split}/{cls}/{cls}_{index:0{digits}d}.{ext}"
            jobs.append(PageJob(cls, index, split, rel, page_seed(cfg.seed, cls, index), cfg.min_size,
                                cfg.max_size, cfg.scan_prob, ext))
    return jobs


def render_job(job: PageJob) -> tuple[bytes, bytes, dict, set[str]]:
    """Render and encode one page; returns the image bytes, its words file, its manifest row and the fonts used."""
    from docclf.synth.layouts import render_page
    from docclf.synth.scan import scan

    rng = random.Random(job.seed)
    long_px = rng.randint(job.min_size, job.max_size)
    img, layout, fonts, words = render_page(job.cls, rng, long_px)
    if rng.random() < job.scan_prob:
        img = scan(img, rng)  # keeps the size; its small rotation is left out of the word boxes
    data = encode(img, job.fmt)
    row = {"path": job.rel_path, "split": job.split, "class": job.cls, "layout": layout, "width": img.width,
           "height": img.height, "sha256": hashlib.sha256(data).hexdigest()}
    return data, encode_words(words, img.size), row, fonts


def words_path(rel_path: str) -> str:
    """Where a page's words go: `train/invoice/invoice_00001.png` -> `train/invoice/invoice_00001.words.json`."""
    return rel_path.rsplit(".", 1)[0] + WORDS_SUFFIX


def encode_words(words: list[list], size: tuple[int, int]) -> bytes:
    """The words file: the format the OCR reader writes too (docclf.ocr), with the generator as source."""
    doc = {"format": WORDS_FORMAT, "source": "generator", "size": list(size), "words": words}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode(img, fmt: str) -> bytes:
    """Encode with fixed parameters and no metadata, so equal pixels give equal bytes."""
    buf = io.BytesIO()
    if fmt == "jpg":
        img.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=False, subsampling=2)
    else:
        img.save(buf, "PNG", compress_level=PNG_COMPRESS_LEVEL, optimize=False)
    return buf.getvalue()


def _run_chunk(out_dir: str, jobs: list[PageJob]) -> list[tuple[dict, list[str]]]:
    """Worker task: render and write a few pages."""
    results = []
    for job in jobs:
        data, words, row, fonts = render_job(job)
        Path(out_dir, job.rel_path).write_bytes(data)
        Path(out_dir, words_path(job.rel_path)).write_bytes(words)
        results.append((row, sorted(fonts)))
    return results


def _init_worker() -> None:
    from docclf.synth.fonts import discover_fonts

    discover_fonts()  # once per worker (a no-op when the parent's cache was inherited by fork)


def prepare_output(cfg: GenerateConfig) -> Path:
    """Check the output folder (exists as a folder, writable, empty unless --overwrite) and make the layout."""
    out = Path(cfg.output_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--output-dir {out} is a file; give a folder path")
    if out.is_dir() and any(out.iterdir()):
        if not cfg.overwrite:
            raise UsageError(f"--output-dir {out} is not empty; pass --overwrite to replace a previous dataset "
                             "there, or choose an empty folder")
        _remove_previous(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".docclf-write-test"
        probe.write_bytes(b"")
        probe.unlink()
        for split in SPLITS:
            for cls in cfg.classes:
                (out / split / cls).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write to --output-dir {out} ({exc.strerror or exc}); choose a writable folder") from None
    return out


def _remove_previous(out: Path) -> None:
    """Delete what an earlier generation wrote (split folders and our files); leave anything else alone."""
    for split in SPLITS:
        if (out / split).is_dir():
            shutil.rmtree(out / split)
    for name in ARTEFACTS:
        if (out / name).is_file():
            (out / name).unlink()


def generate_dataset(cfg: GenerateConfig, progress: bool = True) -> dict:
    """Generate the dataset described by `cfg`; returns the content of dataset.json."""
    from docclf.synth import GENERATOR_NAME, GENERATOR_VERSION
    from docclf.synth.fonts import discover_fonts
    from docclf.synth.layouts import family_names

    cfg.validate()
    # One spelling of the class list: canonical order, no duplicates, so the same set gives the same files.
    cfg = dataclasses.replace(cfg, classes=[c for c in GENERATOR_CLASSES if c in cfg.classes])
    fonts = discover_fonts()  # fails early, with a clear message, on a machine without fonts
    out = prepare_output(cfg)
    jobs = plan(cfg)
    workers = cfg.workers or os.cpu_count() or 1
    log.info("generating %d pages into %s with %d worker(s)", len(jobs), out, workers)
    results = _render_all(out, jobs, workers, progress)
    rows = sorted((r for r, _ in results), key=lambda r: r["path"])
    write_manifest(out / "manifest.csv", rows)
    used = {f for _, fs in results for f in fs}
    summary = {
        "name": "docclf synthetic documents",
        "generator": {"name": GENERATOR_NAME, "version": GENERATOR_VERSION},
        "created_by": f"docclf generate ({GENERATOR_NAME} {GENERATOR_VERSION})",
        "classes": list(cfg.classes),
        "splits": list(SPLITS),
        "counts": _counts(rows, cfg.classes),
        "total": len(rows),
        "seed": cfg.seed,
        "format": cfg.format,
        # workers and overwrite change how, not what: leaving them out keeps this file identical
        "options": {k: v for k, v in dataclasses.asdict(cfg).items() if k not in ("workers", "overwrite")},
        "layouts": {cls: family_names(cls) for cls in cfg.classes},
        "layout_counts": _layout_counts(rows, cfg.classes),
        "fonts_available": len(fonts),
        "fonts_used": len(used),
        "manifest": "manifest.csv",
        "manifest_columns": list(MANIFEST_COLUMNS),
        "words": {"suffix": WORDS_SUFFIX, "format": WORDS_FORMAT, "source": "generator",
                  "fields": ["text", "x0", "y0", "x1", "y1", "confidence"],
                  "boxes": "fractions of the image's width and height, in drawing order"},
    }
    (out / "dataset.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def _render_all(out: Path, jobs: list[PageJob], workers: int, progress: bool) -> list[tuple[dict, list[str]]]:
    from tqdm import tqdm

    bar = tqdm(total=len(jobs), unit="page", desc="generate", disable=not progress or not sys.stderr.isatty())
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    results: list[tuple[dict, list[str]]] = []
    try:
        if workers == 1:
            for chunk in chunks:
                results += _run_chunk(str(out), chunk)
                bar.update(len(chunk))
            return results
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=_init_worker) as pool:
            futures = [pool.submit(_run_chunk, str(out), chunk) for chunk in chunks]
            for fut in as_completed(futures):
                part = fut.result()
                results += part
                bar.update(len(part))
        return results
    finally:
        bar.close()


def write_manifest(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _counts(rows: list[dict], classes: list[str]) -> dict[str, dict[str, int]]:
    c = Counter((r["split"], r["class"]) for r in rows)
    return {split: {cls: c[(split, cls)] for cls in classes} for split in SPLITS}


def _layout_counts(rows: list[dict], classes: list[str]) -> dict[str, dict[str, int]]:
    c = Counter((r["class"], r["layout"]) for r in rows)
    return {cls: {name: n for (k, name), n in sorted(c.items()) if k == cls} for cls in classes}
