"""How a model does on real pages: image-only, text-only and fused, per class, clean and scanned.

    python benchmarks/bench_realdev.py --model outputs/run/best.pth [--realdev data/realdev]

Reads the dev set `make realdev` builds (clean/, scanned/, other/), OCRs each page once (cached),
and prints one table: recall per class for each view on clean and scanned pages, accuracy, and
how often the model answers "none of these" on in-class pages and on out-of-class pages (other/).
Never train on these pages; this is the yardstick.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np


def _views(clf, folder: Path, cache_dir: str | None):
    from docclf.config import OTHER_CLASS
    from docclf.data import scan_split, load_or_build_cache
    from docclf.ocr import words_for_files
    from docclf.predict import decisions, views_for_pages

    files = scan_split(folder.parent, folder.name, clf.classes, may_lack=(OTHER_CLASS,))
    split = load_or_build_cache(files, clf.preprocess, cache_dir, "skip", progress=False)
    start = time.perf_counter()
    words = words_for_files(split.paths, clf.ocr, cache_dir, use_sidecars=False, progress=False) if clf.reads else []
    views = views_for_pages(clf, split.images, words)
    return np.asarray(split.labels), views, decisions(clf, views), time.perf_counter() - start


def _other_pages(clf, folder: Path, cache_dir: str | None):
    """Decisions on out-of-class pages (a folder of images, no class sub-folders)."""
    from docclf.predict import classify_files, expand_paths

    return classify_files(clf, expand_paths([str(folder)]), cache_dir=cache_dir, progress=False)


def report(model: str, realdev: Path, cache_dir: str | None) -> dict:
    from docclf.evaluate import load_classifier
    from docclf.fusion import fuse_logits, known_argmax
    from docclf.predict import fusion_config

    clf = load_classifier(model)
    cfg = fusion_config(clf)
    shown = [c for c in clf.classes if c != cfg.reject_class]
    out: dict = {"model": model, "classes": shown, "sets": {}}
    for name in ("clean", "scanned"):
        folder = realdev / name
        if not folder.is_dir():
            continue
        labels, views, decs, seconds = _views(clf, folder, cache_dir)
        probs = {"fusion": views.fused(cfg)}
        if views.image_logits is not None:
            probs["image"] = fuse_logits(views.image_logits, None, None, cfg)
        if views.text_logits is not None:
            probs["text"] = fuse_logits(None, views.text_logits, None, cfg)
        entry = {"n": int(len(labels)), "seconds": seconds, "views": {}}
        # "fusion" (the model's own answer, whatever its views) counts its decisions, as `docclf evaluate` does:
        # abstaining (none of these, unsure, blank, nothing readable) is wrong on an in-class page; a view alone
        # is judged by its most probable known class and `reject_above`
        reject = clf.classes.index(cfg.reject_class) if cfg.reject_class in clf.classes else -1
        for view, p in probs.items():
            pred = known_argmax(p, clf.classes, cfg)
            if view == "fusion":
                pred = np.array([reject if d.label is None else clf.classes.index(d.label) for d in decs])
            entry["views"][view] = {
                "accuracy": float((pred == labels).mean()),
                "recall": {c: float((pred[labels == i] == i).mean()) if (labels == i).any() else None
                           for i, c in enumerate(clf.classes) if c in shown}}
        entry["abstained"] = float(np.mean([d.label is None for d in decs]))
        out["sets"][name] = entry
    for name in ("clean", "scanned"):
        folder = realdev / "other" / name
        if folder.is_dir():
            res = [r for r in _other_pages(clf, folder, cache_dir) if r.decision is not None]
            out["sets"][f"other/{name}"] = {"n": len(res),
                                            "abstained": float(np.mean([r.decision.label is None for r in res]))}
    return out


def format_report(rep: dict) -> str:
    sets = [s for s in ("clean", "scanned") if s in rep["sets"]]
    cols = [(s, v) for s in sets for v in ("image", "text", "fusion") if v in rep["sets"][s]["views"]]
    head = f"{'recall':<18}" + "".join(f"{s[:5] + ' ' + v:>15}" for s, v in cols)
    lines = [f"model {rep['model']}", "", head]
    for c in rep["classes"]:
        cells = []
        for s, v in cols:
            r = rep["sets"][s]["views"][v]["recall"].get(c)
            cells.append(f"{'-' if r is None else f'{r:.2f}':>15}")
        lines.append(f"{c:<18}" + "".join(cells))
    lines.append(f"{'accuracy':<18}" + "".join(f"{rep['sets'][s]['views'][v]['accuracy']:>15.3f}" for s, v in cols))
    lines.append(f"{'pages':<18}" + "".join(f"{rep['sets'][s]['n']:>15d}" for s, v in cols))
    lines.append("")
    for name, entry in rep["sets"].items():
        lines.append(f"answered 'none of these' on {name:<14} {entry['abstained']:6.1%} of {entry['n']} pages")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="any model reference (checkpoint, runs:/..., models:/...)")
    p.add_argument("--realdev", default="data/realdev", help="the dev set folder (make realdev)")
    p.add_argument("--cache-dir", default=None)
    p.add_argument("--json", help="also write the figures to this JSON file")
    args = p.parse_args(argv)
    root = Path(args.realdev)
    if not (root / "clean").is_dir():
        print(f"error: {root}/clean not found; build the dev set with `make realdev`", file=sys.stderr)
        return 2
    from docclf.errors import UsageError

    try:
        rep = report(args.model, root, args.cache_dir)
    except UsageError as exc:  # a model that cannot be found, OCR not installed: one line, as the CLI says it
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(rep))
    if args.json:
        Path(args.json).write_text(json.dumps(rep, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
