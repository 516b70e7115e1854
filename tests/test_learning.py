"""What users rely on: a model learns, and the registry's choices follow real differences.

Three classes of tiny pages that differ clearly (text lines, a dark block, columns) are learned in
a few epochs. One run trains properly, the other barely moves from its random start; `best-run`,
`compare-runs` and the promotion gate must tell them apart in the right direction. A training loop
that never updated its weights, a best-run that sorted the wrong way or a gate that let a worse
model through would fail here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from conftest import fresh_store
from docclf.cli import run

pytestmark = pytest.mark.slow

CLASSES = ["block", "columns", "lines"]
CHANCE = 1 / len(CLASSES)
# test_convnext (timm's 0.2 M-parameter ConvNeXt) reaches 100% val accuracy by epoch 4 here; with
# layer norm it learns from batches of 8, where MobileNetV3's batch norm needs many more steps.
TRAIN = ["--model", "test_convnext", "--modality", "image", "--image-size", "32", "--batch-size", "8",
         "--pretrained", "off", "--no-progress", "--threads", "1", "--seed", "0"]


def learnable_page(cls: str, seed: int, size: tuple[int, int] = (48, 64)) -> Image.Image:
    """A 48x64 page whose class shows at any crop: horizontal lines, one dark block, or vertical columns."""
    rng = np.random.default_rng(seed)
    w, h = size
    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    if cls == "lines":
        for y in range(int(rng.integers(3, 7)), h - 3, 6):
            d.line([(3, y), (w - 3 - int(rng.integers(0, 15)), y)], fill=(0, 0, 0), width=2)
    elif cls == "block":
        x0, y0 = int(rng.integers(2, 10)), int(rng.integers(2, 14))
        d.rectangle([x0, y0, x0 + w // 2 + int(rng.integers(0, 8)), y0 + h // 2], fill=(30, 30, 30))
    else:
        for x in range(int(rng.integers(3, 7)), w - 3, 7):
            d.line([(x, 3), (x, h - 3 - int(rng.integers(0, 15)))], fill=(0, 0, 0), width=2)
    return img


def make_learnable_dataset(root: Path) -> Path:
    for s, (split, n) in enumerate({"train": 16, "val": 8, "test": 8}.items()):
        for c, cls in enumerate(CLASSES):
            (root / split / cls).mkdir(parents=True, exist_ok=True)
            for i in range(n):
                learnable_page(cls, 10_000 * s + 1_000 * c + i).save(root / split / cls / f"{i:02d}.png")
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory, mlflow_template):
    """Two runs in one store: 'trained' (8 epochs) and 'barely' (1 epoch at a learning rate of 1e-6)."""
    root = tmp_path_factory.mktemp("learning")
    data = make_learnable_dataset(root / "data")
    uri = fresh_store(mlflow_template, root / "mlflow.db")
    ids = {}
    for name, extra in (("trained", ["--epochs", "8", "--lr", "3e-3"]), ("barely", ["--epochs", "1", "--lr", "1e-6"])):
        out = root / name
        assert run(["train", "--data-dir", str(data), *TRAIN, *extra, "--output-dir", str(out), "--tracking-uri", uri,
                    "--cache-dir", str(root / "cache"), "--mlflow-experiment", "learning",
                    "--mlflow-run-name", name]) == 0
        ids[name] = torch.load(out / "model_final.pth", weights_only=True)["mlflow_run_id"]
    return {"uri": uri, "data": str(data), "cache": str(root / "cache"), **ids}


@pytest.fixture
def registry(runs, capsys):
    """`registry(*args)`: `mlflow_utils.py --action ...` (docclf registry) on the runs' store, JSON out."""
    def call(*args: str, expect: int = 0):
        capsys.readouterr()
        code = run(["registry", *args, "--tracking-uri", runs["uri"], "--json"])
        out, err = capsys.readouterr()
        assert code == expect, err
        return json.loads(out) if expect == 0 else err
    return call


def test_training_learns_far_above_chance(runs, registry):
    metrics = {r["run_id"]: r["metrics"] for r in registry("--action", "list-runs", "--experiment", "learning")}
    trained, barely = metrics[runs["trained"]], metrics[runs["barely"]]
    assert trained["test_accuracy"] >= 0.9 and trained["val_accuracy"] >= 0.9, trained  # chance is 1/3
    assert barely["val_accuracy"] < trained["val_accuracy"] - 0.3, barely  # the data alone does not do it


def test_best_run_picks_the_better_run_whichever_way_the_metric_points(runs, registry):
    for metric in ("val_accuracy", "val_f1", "val_loss"):  # higher is better, twice; then lower is better
        best = registry("--action", "best-run", "--experiment", "learning", "--metric", metric)
        assert best["run_id"] == runs["trained"], (metric, best)


def test_compare_runs_reports_the_real_difference(runs, registry):
    cmp = registry("--action", "compare-runs", "--run-ids", runs["trained"], runs["barely"])
    assert {"lr", "epochs", "val_accuracy", "val_loss"} <= set(cmp["differs"])
    acc, loss = cmp["metrics"]["val_accuracy"], cmp["metrics"]["val_loss"]
    assert acc[0] - acc[1] > 0.3 and loss[0] < loss[1]
    assert {"model", "image_size", "batch_size"}.isdisjoint(cmp["differs"])  # same recipe otherwise


def test_promotion_gate_refuses_a_genuinely_worse_model(runs, registry):
    name = "learned"
    for run_id in (runs["trained"], runs["barely"]):
        registry("--action", "register-model", "--run-id", run_id, "--model-name", name)
    validate = ["--action", "validate", "--model-name", name, "--data-dir", f"{runs['data']}/test",
                "--latency-runs", "2", "--cache-dir", runs["cache"]]
    registry(*validate, "--version", "1")
    registry("--action", "promote", "--model-name", name, "--version", "1")
    registry(*validate, "--version", "2")  # measured against Production (version 1) on the same pages
    err = registry("--action", "promote", "--model-name", name, "--version", "2", expect=1)  # default tolerance
    assert "not promoted" in err and "--force" in err, err
    versions = registry("--action", "list-versions", "--model-name", name)
    assert {v["version"]: v["stage"] for v in versions} == {"1": "Production", "2": "None"}


def test_tiny_datasets_are_the_same_in_every_process(tmp_path):
    """conftest's pages once took their seeds from hash(), which differs with PYTHONHASHSEED."""
    script = ("import hashlib, pathlib, sys; from conftest import make_tiny_dataset; "
              "root = make_tiny_dataset(pathlib.Path(sys.argv[1])); "
              "print(hashlib.sha256(b''.join(p.read_bytes() for p in sorted(root.rglob('*.png')))).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parent)},
                              check=True, timeout=120).stdout for seed in ("1", "2")}
    assert len(digests) == 1, digests
