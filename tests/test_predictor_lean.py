"""A worker serving an ONNX export runs without torch, and answers what the PyTorch model answers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import TINY_CLASSES, draw_tiny_page
from docclf import export
from docclf.modeling import Classifier, create_model, preprocess_config_for
from docclf.preprocess import open_page_for_size, preprocess

SIZE = 48


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, Classifier]:
    """A random-weight MobileNetV3 exported as a folder (model.onnx + model.json), as `docclf export` writes it."""
    torch.manual_seed(0)
    model, _ = create_model("mobilenetv3_small", len(TINY_CLASSES), pretrained="off")
    clf = Classifier(model.eval(), TINY_CLASSES, preprocess_config_for(model, SIZE), "mobilenetv3_small_100",
                     "test", {})
    out = tmp_path_factory.mktemp("export")
    export.export_onnx(clf.model, SIZE, out / "model.onnx", exporter="legacy")
    (out / "model.json").write_text(json.dumps(export.sidecar_base(clf, {"model": "lean", "version": "1"})))
    return out, clf


def _jpeg(cls: int) -> bytes:
    buf = io.BytesIO()
    draw_tiny_page(cls, 11, (300, 420)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


LEAN_WORKER = textwrap.dedent("""
    import io, json, sys
    sys.modules["torch"] = None  # `import torch` now raises ImportError anywhere in this process
    from docclf.serve import create_app
    from docclf.serve.config import ServeConfig

    app = create_app(ServeConfig(model_uri=sys.argv[1], backend="onnx", reload_interval=0), start=False)
    assert app.extensions["docclf"].service.check_once(), app.extensions["docclf"].service.last_error
    client = app.test_client()
    pages = [open(p, "rb").read() for p in sys.argv[2:]]
    single = client.post("/predict", data={"file": (io.BytesIO(pages[0]), "p.jpg")})
    batch = client.post("/predict_batch", data={"files": [(io.BytesIO(p), f"{i}.jpg") for i, p in enumerate(pages)]})
    print(json.dumps({"single": single.get_json(), "batch": batch.get_json(),
                      "backend": client.get("/ready").get_json()["backend"]}))
""")


def test_onnx_worker_serves_without_torch(exported, tmp_path):
    folder, clf = exported
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"{i}.jpg")
        paths[-1].write_bytes(_jpeg(i))
    proc = subprocess.run([sys.executable, "-c", LEAN_WORKER, str(folder), *map(str, paths)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["backend"] == "onnx"
    # the same pages through the training-side decode and the PyTorch model
    pages = [open_page_for_size(p, SIZE) for p in paths]
    expected = clf.predict_proba(preprocess(pages, clf.preprocess)).numpy()
    served = np.array([[r["probabilities"][c] for c in TINY_CLASSES] for r in out["batch"]["results"]])
    assert np.allclose(served, expected, atol=1e-5)
    assert np.allclose([out["single"]["probabilities"][c] for c in TINY_CLASSES], expected[0], atol=1e-5)


def test_served_answers_and_abstentions_are_evaluations(exported):
    """The server (ONNX Runtime, numpy) answers a page as evaluation (PyTorch) does, blank-page rule included:
    both measure ink on the same uint8 letterboxed page."""
    from PIL import Image

    from docclf.predict import decisions, views_for_pages
    from docclf.preprocess import letterbox
    from docclf.serve.predictor import ModelInfo, OnnxPredictor

    folder, clf = exported
    dotted = []
    for side in (2, 3, 4, 6):  # a few dark squares: ink around the blank-page threshold
        page = Image.new("RGB", (300, 420), "white")
        for i in range(3):
            page.paste((0, 0, 0), (40 + 90 * i, 200, 40 + 90 * i + side * 7, 200 + side * 7))
        dotted.append(page)
    pages = [open_page_for_size(_jpeg(i), SIZE) for i in range(3)] + [Image.new("RGB", (300, 420), "white")] + dotted
    served = OnnxPredictor(folder / "model.onnx", clf.classes, clf.preprocess,
                           ModelInfo("lean", "1", str(folder), str(folder))).predict(pages)
    boxes = np.stack([letterbox(p, clf.preprocess) for p in pages])
    evaluated = decisions(clf, views_for_pages(clf, boxes, [None] * len(pages)))
    assert {d.reason for d in evaluated} >= {None, "the page is blank or almost blank"}
    for s, e in zip(served, evaluated):
        assert (s.label, s.abstain_reason) == (e.label, e.reason)
        assert np.allclose([s.probabilities[c] for c in clf.classes], [e.probabilities[c] for c in clf.classes],
                           atol=1e-5)
