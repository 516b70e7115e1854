"""Generator speed on one core: draw time and save time per page, PNG vs JPEG, at A4 300 dpi and 1000 px.

Times are this process's CPU time (drawing and encoding are single-threaded), so other load on a shared
machine does not inflate them; pages/s/core = 1000 / (draw ms + words ms + save ms), where words ms
encodes the page's words file.

    python benchmarks/bench_generate.py                 # 10 pages per size (2 per class)
    python benchmarks/bench_generate.py --pages 50 --sizes 3508 1000 224
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from docclf.config import CLASSES
from docclf.synth.dataset import encode, encode_words, page_seed
from docclf.synth.fonts import discover_fonts
from docclf.synth.layouts import render_page
from docclf.synth.scan import scan


def bench_size(long_px: int, pages: int, scan_prob: float, seed: int) -> dict[str, list[float]]:
    """Draw `pages` pages (classes in turn) at one size; time drawing and each encoder separately."""
    times: dict[str, list[float]] = {"draw": [], "words": [], "png": [], "jpg": [], "png_mb": [], "jpg_mb": []}
    for i in range(pages):
        cls = CLASSES[i % len(CLASSES)]
        rng = random.Random(page_seed(seed, cls, i))
        t0 = time.process_time()
        page = render_page(cls, rng, long_px)
        img = page.image
        if rng.random() < scan_prob:
            img = scan(img, rng)
        times["draw"].append(time.process_time() - t0)
        t0 = time.process_time()
        encode_words(page.words, img.size)  # the words file written next to the image
        times["words"].append(time.process_time() - t0)
        for fmt in ("png", "jpg"):
            t0 = time.process_time()
            data = encode(img, fmt)
            times[fmt].append(time.process_time() - t0)
            times[f"{fmt}_mb"].append(len(data) / 1e6)
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=10, help="pages per size (classes in turn; default 10)")
    p.add_argument("--sizes", type=int, nargs="+", default=[3508, 1000], help="long sides in px")
    p.add_argument("--scan-prob", type=float, default=0.4, help="share of pages with scan effects")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    discover_fonts()
    render_page("invoice", random.Random(0), 300)  # warm up imports, Faker and font caches
    print(f"one process, {args.pages} pages per size (classes in turn), scan_prob={args.scan_prob}; "
          "mean CPU time per page")
    print(f"{'long side':>9} | {'format':6} | {'draw ms':>8} | {'words ms':>8} | {'save ms':>8} | {'total ms':>8} | "
          f"{'pages/s/core':>12} | {'MB/page':>7}")
    print("-" * 89)
    for size in args.sizes:
        t = bench_size(size, args.pages, args.scan_prob, args.seed)
        draw = statistics.mean(t["draw"]) * 1000
        words = statistics.mean(t["words"]) * 1000
        for fmt in ("png", "jpg"):
            save = statistics.mean(t[fmt]) * 1000
            total = draw + words + save
            print(f"{size:>9} | {fmt:6} | {draw:8.1f} | {words:8.1f} | {save:8.1f} | {total:8.1f} | "
                  f"{1000 / total:12.2f} | {statistics.mean(t[f'{fmt}_mb']):7.2f}")


if __name__ == "__main__":
    main()
