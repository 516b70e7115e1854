"""Shared fixtures: tiny datasets and an isolated MLflow store per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ordering import SHARED_SCOPES, long_first

TINY_CLASSES = ["invoice", "letter", "presentation", "resume", "scientific_paper"]


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected: the slices are counted on what runs
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make test` (pytest-xdist, worksteal) each worker starts with its share of the long tests. Only the
    workers collect, and xdist sets their --dist to "no"; the order suits its other modes as well."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    if workers > 1:
        items[:] = long_first(items, workers, _long_seconds, lambda it: it.nodeid.split("::")[0], _shares_module)


def _long_seconds(item: pytest.Item) -> float | None:
    mark = item.get_closest_marker("long")
    return float(mark.args[0]) if mark else None


def _shares_module(item: pytest.Item) -> bool:
    # pytest keeps which fixture definitions a test uses here; were that to change, a long test's module fixture
    # would only be built once more, not wrongly
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(d.scope in SHARED_SCOPES for ds in defs.values() for d in ds)


def draw_tiny_page(cls_index: int, seed: int, size: tuple[int, int] = (90, 120)) -> Image.Image:
    """A small page whose class is visible (a distinct stripe pattern) so a model can learn it fast."""
    rng = np.random.default_rng(seed)
    w, h = size
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    step = 6 + 4 * cls_index
    for y in range(int(rng.integers(2, 8)), h, step):
        d.line([(4, y), (w - 4 - int(rng.integers(0, 20)), y)], fill=(0, 0, 0), width=1 + cls_index % 2)
    if cls_index % 2:
        d.rectangle([w // 4, h // 4, w // 2, h // 2], outline=(40, 40, 40), width=2)
    return img


def make_tiny_dataset(root: Path, per_split: dict[str, int] | None = None, classes: list[str] | None = None,
                      size: tuple[int, int] = (90, 120)) -> Path:
    per_split = per_split or {"train": 8, "val": 4, "test": 4}
    classes = classes or TINY_CLASSES
    for split, n in per_split.items():
        for ci, cls in enumerate(classes):
            folder = root / split / cls
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                # crc32, not hash(): str hashes change with PYTHONHASHSEED, and so did every page
                draw_tiny_page(ci, zlib.crc32(f"{split}/{i}".encode()) % 10_000, size).save(folder / f"{cls}_{i:03d}.png")
    return root


# `python -c _PAUSING EPOCHS train.py ARGS`: train.py, patched so that its training stops itself (SIGSTOP) as each
# epoch in EPOCHS (comma-separated) begins
_PAUSING = """
import os, runpy, signal, sys
from docclf.train import Trainer

pause_at = {int(e) for e in sys.argv[1].split(",")}
real_train_epoch = Trainer.train_epoch

def train_epoch(self, epoch):
    if epoch in pause_at:
        os.kill(os.getpid(), signal.SIGSTOP)
    return real_train_epoch(self, epoch)

Trainer.train_epoch = train_epoch
sys.argv = sys.argv[2:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def pausing_python(*epochs: int) -> list[str]:
    """`[*pausing_python(2), "train.py", ...]` trains, stopping itself as epoch 2 begins: what a test does before
    SIGCONT (a SIGTERM, a server outage) happens at that point however fast the machine trains."""
    return [sys.executable, "-c", _PAUSING, ",".join(map(str, epochs))]


def wait_until_stopped(proc: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    """Wait for a pausing_python process to stop itself; fail with its log if it exits or takes too long.
    Its output must go to a file: a full pipe would block it before it stops."""
    deadline = time.monotonic() + timeout
    while not (waited := os.waitpid(proc.pid, os.WUNTRACED | os.WNOHANG))[0]:
        assert time.monotonic() < deadline, f"training did not pause within {timeout:.0f} s:\n{log.read_text()[-3000:]}"
        time.sleep(0.05)
    assert os.WIFSTOPPED(waited[1]), log.read_text()[-3000:]


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    return make_tiny_dataset(tmp_path / "data")


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty MLflow SQLite store, made once: MLflow builds a new one through its whole chain of schema
    migrations (4-8 s here), and nearly every test needs a store of its own."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    path = tmp_path_factory.getbasetemp() / "mlflow-template.db"
    SqlAlchemyStore(f"sqlite:///{path}", str(path.parent / "mlruns")).engine.dispose()
    return path


def fresh_store(template: Path, db: Path) -> str:
    """Copy the empty template to `db` (as MLflow would have made it there); its SQLite tracking URI."""
    db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, db)
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:  # the Default experiment's artifacts beside db
        conn.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                     (str(db.parent / "mlruns" / "0"),))
    return f"sqlite:///{db}"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mlflow_template: Path) -> None:
    """Each test gets its own MLflow store (an empty copy of the template), cache and working directory."""
    fresh_store(mlflow_template, tmp_path / "mlflow.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path}/mlflow.db")
    monkeypatch.setenv("DOCCLF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GIT_PYTHON_REFRESH", "quiet")
    monkeypatch.delenv("WORLD_SIZE", raising=False)


@pytest.fixture
def fast_train_args() -> list[str]:
    """Options for seconds-long training runs on tiny data. One torch thread: on tiny batches a second thread
    only adds synchronisation, and when another process holds a core it made epochs 4-37x slower."""
    return ["--model", "mobilenetv3_small", "--modality", "image", "--abstain-below", "0", "--image-size", "64", "--batch-size", "8",
            "--pretrained", "off", "--no-progress", "--threads", "1"]
