"""Do the generator's words read like real pages? Words-only classifiers trained on two generators, side by side.

For the current tree and a baseline commit, draw N pages per class, keep the words drawn on them, train
TF-IDF (word 1-2-grams + character 3-5-grams) and logistic regression, and score the real-page dev set
(data/realdev, `make realdev`) read by Tesseract (cached). Only the generator differs between the two.

    python benchmarks/bench_generator_words.py --baseline 89645c1 --pages 150
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ["invoice", "letter", "presentation", "resume", "scientific_paper"]

# Runs inside a subprocess with one generator's src on PYTHONPATH: records every drawn string.
DUMP = """
import json, random, sys
from docclf.synth import canvas
from docclf.synth.dataset import page_seed
from docclf.synth.layouts import render_page
lines, orig = [], canvas.Canvas.text
def text(self, x, y, t, *a, **k):
    lines.append(t)
    return orig(self, x, y, t, *a, **k)
canvas.Canvas.text = text
n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rows = []
for cls in %r:
    for i in range(n):
        lines.clear()
        render_page(cls, random.Random(page_seed(seed, cls, i)), 400)
        rows.append({"cls": cls, "text": " ".join(lines)})
json.dump(rows, open(out, "w"))
""" % (CLASSES,)


def generated_words(src: Path, pages: int, seed: int, work: Path, name: str) -> list[dict]:
    """Words of `pages` pages per class drawn by the generator in `src` (a src/ folder)."""
    out = work / f"{name}.json"
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", DUMP, str(pages), str(seed), str(out)], check=True, env=env)
    return json.loads(out.read_text())


def baseline_src(commit: str, work: Path) -> Path:
    """The baseline's src/ folder, extracted from git."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    return work / "src"


def real_pages(split: str) -> tuple[list[str], list[str]]:
    from docclf.ocr import OcrConfig, words_for_files

    paths = [p for p in sorted((ROOT / "data" / "realdev" / split).rglob("*.png")) if p.parent.name in CLASSES]
    words = words_for_files(paths, OcrConfig(), use_sidecars=False, progress=False)
    return [" ".join(w[0] for w in pw.words) if pw else "" for pw in words], [p.parent.name for p in paths]


def score(rows: list[dict], texts: list[str], labels: list[str]) -> tuple[float, dict[str, float]]:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    model = make_pipeline(
        make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                   TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)),
        LogisticRegression(max_iter=2000, C=4.0))
    model.fit([r["text"].lower() for r in rows], [r["cls"] for r in rows])
    pred, y = model.predict([t.lower() for t in texts]), np.array(labels)
    return float((pred == y).mean()), {c: float((pred[y == c] == c).mean()) for c in CLASSES}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--baseline", required=True, help="git commit of the generator to compare against")
    p.add_argument("--pages", type=int, default=150, help="generated pages per class (default 150)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if not (ROOT / "data" / "realdev" / "clean").is_dir():
        sys.exit("bench_generator_words: data/realdev is missing; build it with `make realdev`")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gens = {args.baseline: generated_words(baseline_src(args.baseline, work), args.pages, args.seed, work, "base"),
                "current": generated_words(ROOT / "src", args.pages, args.seed, work, "current")}
    print(f"words-only TF-IDF + logistic regression, {args.pages} generated pages per class, "
          "scored on the real-page dev set (Tesseract, eng)")
    print(f"{'generator':>10} | {'split':7} | {'pages':>5} | {'acc.':>5} | " + " | ".join(f"{c[:8]:>8}" for c in CLASSES))
    for split in ("clean", "scanned"):
        texts, labels = real_pages(split)
        for name, rows in gens.items():
            acc, rec = score(rows, texts, labels)
            print(f"{name:>10} | {split:7} | {len(labels):5d} | {acc:5.3f} | "
                  + " | ".join(f"{rec[c]:8.2f}" for c in CLASSES))


if __name__ == "__main__":
    main()
