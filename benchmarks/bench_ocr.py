"""What reading a page costs: OCR pages per second on all cores at several resolutions, and one
A4 page through a reading model next to the same model without its text view.

    python benchmarks/bench_ocr.py --pages data/realdev/clean --model outputs/run/best.pth

Every figure in one run, side by side (the machine is noisy: read the ratios). Nothing is cached:
each resolution reads the same pages afresh in a temporary cache.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def ocr_rate(paths: list[Path], long_side: int, workers: int) -> tuple[float, float]:
    """(pages per second, words per page) reading `paths` at `long_side` with `workers` processes."""
    from docclf.ocr import OcrConfig, words_for_files

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        words = words_for_files(paths, OcrConfig(long_side=long_side), tmp, use_sidecars=False, workers=workers,
                                progress=False)
        seconds = time.perf_counter() - start
    n_words = [len(w.words) for w in words if w is not None]
    return len(paths) / seconds, statistics.mean(n_words) if n_words else 0.0


def a4_jpeg(source: Path) -> bytes:
    """The page enlarged to A4 at 300 dpi (2480x3508) as a JPEG, like a scanner's output."""
    from PIL import Image

    img = Image.open(source).convert("RGB").resize((2480, 3508), Image.Resampling.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def request_times(model: str, page: bytes, runs: int) -> dict[str, float]:
    """p50 seconds of decode + (OCR) + model for one A4 page: reading model vs image view alone."""
    from docclf.preprocess import open_page_for_size
    from docclf.refs import parse_ref
    from docclf.serve.source import load_predictor

    predictor = load_predictor(parse_ref(model), backend="onnx")
    reader, text_view = predictor.reader, predictor.text_view
    out = {}
    for name, reading in (("image only", False), ("image + OCR + text", True)):
        predictor.reader, predictor.text_view = (reader, text_view) if reading else (None, None)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            decoded = open_page_for_size(page, predictor.pcfg.image_size)
            predictor.predict_prepared([predictor.prepare(decoded, source=page)])
            times.append(time.perf_counter() - start)
        out[name] = statistics.median(times)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", default="data/realdev/clean", help="a folder of page images (searched recursively)")
    p.add_argument("--n", type=int, default=24, help="pages to read per setting")
    p.add_argument("--sizes", type=int, nargs="+", default=[1200, 1600, 2000], help="OCR long sides to compare")
    p.add_argument("--model", help="a reading model (fusion checkpoint) for the per-request comparison")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    paths = sorted(f for f in Path(args.pages).rglob("*") if f.suffix.lower() in (".png", ".jpg", ".jpeg"))
    if not paths:
        print(f"error: no pages under {args.pages} (build the dev set with `make realdev`)", file=sys.stderr)
        return 2
    paths = paths[:: max(1, len(paths) // args.n)][: args.n]
    workers = os.cpu_count() or 1
    print(f"OCR (Tesseract, eng, one page per process, {workers} processes), {len(paths)} pages")
    print(f"{'long side':>10} {'pages/s':>9} {'words/page':>11} {'vs 1600':>8}")
    rows = {size: ocr_rate(paths, size, workers) for size in args.sizes}
    ref = rows.get(1600, next(iter(rows.values())))[0]
    for size, (rate, words) in rows.items():
        print(f"{size:>10} {rate:>9.2f} {words:>11.0f} {rate / ref:>7.2f}x")
    if args.model:
        times = request_times(args.model, a4_jpeg(paths[0]), args.runs)
        base = times["image only"]
        print(f"\none A4 300 dpi JPEG page, p50 of {args.runs} (decode, OCR, model; ONNX Runtime)")
        for name, t in times.items():
            print(f"{name:>20} {t * 1000:>8.0f} ms {t / base:>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
