"""Where the served model comes from: parse the model URI, ask the registry which version a stage or
alias names now, and build a predictor for it.

This is the serving side's only MLflow code (alongside tracking/registry): `models:/NAME/Production`
is resolved to a pinned `models:/NAME/<version>` before loading, so the version we report is the
version we loaded even if the stage moves in between.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import re
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docclf.errors import UsageError
from docclf.refs import SIDECAR, ModelRef, parse_ref

if TYPE_CHECKING:  # torch, ONNX Runtime and the model code are imported by the loading thread
    from docclf.modeling import Classifier
    from docclf.preprocess import PreprocessConfig
    from docclf.serve.predictor import ModelInfo, OnnxPredictor, Predictor

log = logging.getLogger(__name__)

parse_model_uri = parse_ref  # the name server.py and reload.py know it by


class RegistryClient:
    """Answers 'which version does this stage or alias name now?' (registry.py's resolve) for the reloader."""

    def __init__(self, tracking_uri: str | None):
        from docclf.registry import Registry

        self.registry = Registry(tracking_uri)

    def resolve(self, ref: ModelRef) -> tuple[ModelRef, str | None]:
        """`ref` pinned to the version it names now, and that version's run id (one-line error if none)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # stages are deprecated in MLflow 3, still honoured
            found = self.registry.resolve(ref.uri)
        return replace(ref, version=found["version"]), found.get("run_id")


def load_predictor(ref: ModelRef, backend: str = "auto", tracking_uri: str | None = None,
                   export_dir: str | None = None, threads: int = 0, run_id: str | None = None) -> "Predictor":
    """Build (and warm up) a predictor for `ref`; registry references must be resolved first."""
    from docclf.serve.predictor import ModelInfo, Predictor

    if ref.kind == "export":
        if backend == "torch":
            raise UsageError(f"{ref.uri} is an ONNX file; serve it with --backend onnx (or auto)")
        predictor: Predictor = _onnx_from_file(ref, threads)
    else:
        predictor = _from_classifier(ref, backend, tracking_uri, export_dir, threads, run_id)
    predictor.warm_up()
    predictor.info = replace(predictor.info, loaded_at=ModelInfo.now())
    return predictor


def _from_classifier(ref: ModelRef, backend: str, tracking_uri: str | None, export_dir: str | None,
                     threads: int, run_id: str | None) -> "Predictor":
    import torch

    from docclf.evaluate import load_classifier
    from docclf.serve.predictor import ModelInfo, TorchPredictor

    if ref.kind == "registered" and not ref.version:
        raise ValueError("resolve registry references before loading")  # programming error
    torch_threads = threads or torch.get_num_threads()
    # torch does the model's work only for the PyTorch backend; for ONNX Runtime it only normalises
    # the input, and a second pool of busy threads next to ORT's slowed that 20x on 2 cores.
    torch.set_num_threads(torch_threads if backend == "torch" else 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # stage URIs are deprecated in MLflow 3; still served
        clf = load_classifier(ref.pinned_uri, tracking_uri)
    run_id = run_id or clf.meta.get("mlflow_run_id") or clf.meta.get("run_id")
    info = ModelInfo(name=ref.name, version=ref.version or _checkpoint_version(ref, run_id), uri=ref.uri,
                     resolved_uri=ref.pinned_uri, stage=ref.stage, alias=ref.alias,
                     architecture=clf.model_name, run_id=run_id)
    if backend == "torch":
        return TorchPredictor(clf, info)
    try:
        return _export_and_load(clf, info, export_dir, threads)
    except Exception as exc:
        if backend == "onnx":
            raise UsageError(f"cannot export {ref.uri} to ONNX ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:200] if str(exc) else ''}); use --backend torch") from None
        log.warning("ONNX export of %s failed (%s); serving it with PyTorch", ref.uri, exc)
        torch.set_num_threads(torch_threads)
        return TorchPredictor(clf, info)


def _checkpoint_version(ref: ModelRef, run_id: str | None) -> str:
    """A checkpoint has no registry version: name it by its run (or say it has none)."""
    return f"run-{run_id[:8]}" if run_id else "-"


def _export_and_load(clf: "Classifier", info: "ModelInfo", export_dir: str | None, threads: int) -> "OnnxPredictor":
    """Export with export.py (dynamic batch), then check ONNX Runtime against PyTorch before serving it."""
    import torch

    from docclf import export
    from docclf.serve.predictor import OnnxPredictor

    for noisy in ("onnxscript", "onnx_ir", "torch.onnx"):  # INFO lines per optimisation pass
        logging.getLogger(noisy).setLevel(logging.WARNING)

    root = Path(export_dir) if export_dir else Path(tempfile.mkdtemp(prefix="docclf-serve-"))
    out = root / re.sub(r"[^A-Za-z0-9._-]+", "_", f"{info.name}-{info.version}")
    out.mkdir(parents=True, exist_ok=True)
    onnx_path = out / export.FILES["onnx"]
    model = copy.deepcopy(clf.model).float().eval().to(memory_format=torch.contiguous_format)
    source = {"uri": info.uri, "model": info.name, "version": info.version, "run_id": info.run_id,
              "stage": info.stage}
    sidecar = export.sidecar_base(clf, source)
    sidecar["exporter"] = export.export_onnx(model, clf.preprocess.image_size, onnx_path,
                                             metadata={"docclf": json.dumps(sidecar)})
    predictor = OnnxPredictor(onnx_path, clf.classes, clf.preprocess, info, threads=threads)
    predictor.with_reading(clf.text_view, clf.ocr, clf.fusion)
    export.write_text_view(clf, out)
    sidecar["parity"] = _parity(clf, predictor)
    (out / export.SIDECAR).write_text(json.dumps(sidecar, indent=2))
    return predictor


def _parity(clf: "Classifier", predictor: "OnnxPredictor") -> dict[str, Any]:
    """Logits of ONNX Runtime vs PyTorch on a few pages (blank, noise, stripes): export.py's thresholds."""
    import numpy as np
    import torch
    from PIL import Image

    from docclf import export
    from docclf.preprocess import preprocess

    rng = np.random.default_rng(0)
    size = clf.preprocess.image_size
    pages = [Image.new("RGB", (size, size), "white"),
             Image.fromarray(rng.integers(0, 256, (size + 7, size // 2 + 3, 3), dtype=np.uint8)),
             Image.fromarray(np.kron(rng.integers(0, 2, (16, 12, 1)) * 255, np.ones((5, 5, 3))).astype(np.uint8))]
    x = preprocess(pages, clf.preprocess)
    with torch.inference_mode():
        reference = clf.model(x).float().numpy()
    logits = predictor.session.run(None, {predictor.input_name: x.contiguous().numpy()})[0]
    result = export.compare(reference, logits, reference.argmax(1))
    problem = export.judge("onnx", result)
    if problem:
        raise export.ParityError(problem)
    return result


def read_sidecar(path: Path) -> dict[str, Any]:
    """The model.json that export.py writes beside its files: classes, preprocessing, source."""
    candidate = path / SIDECAR if path.is_dir() else path.parent / SIDECAR
    if not candidate.is_file():
        raise UsageError(f"{path} has no model.json beside it (classes and preprocessing); export the model "
                         "with `docclf export` and serve the folder or its model.onnx")
    try:
        sidecar = json.loads(candidate.read_text())
        sidecar["classes"], sidecar["preprocess"]  # noqa: B018 - the keys a server cannot do without
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise UsageError(f"{candidate} is not a docclf export sidecar ({type(exc).__name__}: {exc})") from None
    return sidecar


def _sidecar_preprocess(sidecar: dict[str, Any]) -> "PreprocessConfig":
    from docclf.preprocess import PreprocessConfig

    names = {f.name for f in dataclasses.fields(PreprocessConfig)}
    return PreprocessConfig.from_dict({k: v for k, v in sidecar["preprocess"].items() if k in names})


def _onnx_file(path: Path, sidecar: dict[str, Any]) -> Path:
    """An export folder serves its recommended ONNX file (INT8 when it was kept, else float)."""
    if not path.is_dir():
        return path
    files = sidecar.get("files") or {"onnx": "model.onnx"}
    name = files.get(sidecar.get("recommended")) if sidecar.get("recommended") in ("onnx", "int8") else None
    name = name or files.get("onnx") or files.get("int8")
    if not name or not (path / name).is_file():
        raise UsageError(f"{path} holds no ONNX file (model.onnx); export one with `docclf export --format onnx`")
    return path / name


def _onnx_from_file(ref: ModelRef, threads: int) -> "OnnxPredictor":
    from docclf.serve.predictor import ModelInfo, OnnxPredictor

    path = Path(ref.uri)
    if not path.exists():
        raise UsageError(f"ONNX file {path} not found")
    sidecar = read_sidecar(path)
    onnx_path = _onnx_file(path, sidecar)
    source = sidecar.get("source") or {}
    info = ModelInfo(name=str(source.get("model") or ref.name), version=str(source.get("version") or "-"),
                     uri=ref.uri, resolved_uri=str(onnx_path), stage=source.get("stage"),
                     architecture=str(sidecar.get("model_name", "")), run_id=source.get("run_id"))
    predictor = OnnxPredictor(onnx_path, sidecar["classes"], _sidecar_preprocess(sidecar), info, threads=threads)
    return predictor.with_reading(*_sidecar_reading(onnx_path.parent, sidecar))


def _sidecar_reading(folder: Path, sidecar: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(text view, OCR settings, fusion settings) of an export; Nones for an image-only model."""
    from docclf.fusion import FusionConfig
    from docclf.ocr import OcrConfig
    from docclf.textview import TextView

    fusion = FusionConfig.from_dict(sidecar["fusion"]) if sidecar.get("fusion") else None
    if not sidecar.get("text_view"):
        return None, None, fusion
    path = folder / sidecar["text_view"]
    if not path.is_file():
        raise UsageError(f"{folder} is a reading model's export but {sidecar['text_view']} is missing; "
                         "export the model again with `docclf export`")
    return TextView.load(path), OcrConfig.from_dict(sidecar.get("ocr")), fusion
