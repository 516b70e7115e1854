"""Export a classifier to ONNX, TorchScript and INT8 ONNX; every file is checked against PyTorch.

Each export ends with a parity check on real validation images, preprocessed by the model's own
`preprocess` (through the page cache): max |logit difference|, top-1 agreement, accuracy of both,
and speed of both at batch 1 and 32. Float files must agree on every top-1 and within 1e-4 on
logits; INT8 may lose at most 1 point of accuracy. `model.json` beside the files says everything
a server needs: classes, input size, resize policy, mean/std, where the model came from, parity.

ONNX uses the dynamo exporter (`torch.onnx.export(dynamo=True)`): the TorchScript-based one is
deprecated in torch 2.14 and slated for removal; both gave identical graphs and parity on timm's
MobileNetV3 and EfficientNet here. A model dynamo cannot export falls back to the legacy exporter,
and the sidecar says which one made the file.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import math
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch

from docclf.clock import now_iso
from docclf.config import FLOAT_MAX_LOGIT_DIFF, FORMATS, ExportConfig  # noqa: F401 - re-exported
from docclf.errors import UsageError
from docclf.modeling import Classifier
from docclf.refs import SIDECAR
from docclf.timing import measure_speed

log = logging.getLogger(__name__)

FILES = {"onnx": "model.onnx", "torchscript": "model_torchscript.pt", "int8": "model_int8.onnx"}
INT8_MAX_ACCURACY_LOSS = 1.0  # points
INT8_MIN_SPEEDUP = 1.3  # x float ONNX at batch 32 (CPU time): less is not worth a second file and its accuracy loss
INPUT_NAME, OUTPUT_NAME = "input", "logits"

Predict = Callable[[np.ndarray], np.ndarray]


class ParityError(Exception):
    """An exported file does not match the PyTorch model closely enough."""


@dataclass
class ParityData:
    """Preprocessed real images with labels: (N, 3, S, S) float32 and (N,) int64."""

    images: np.ndarray
    labels: np.ndarray
    source: str


# --------------------------------------------------------------------------- the source model


def load_source(cfg: ExportConfig) -> tuple[Classifier, dict[str, Any]]:
    """The model to export and where it came from (URI, registered name and version, run id)."""
    from docclf.evaluate import load_classifier
    from docclf.refs import parse_ref

    ref = parse_ref(cfg.source)
    if ref.kind == "registered":
        from docclf.registry import Registry

        where = Registry(cfg.tracking_uri).resolve(ref.uri)
        # Load the resolved version, not the stage: a promotion meanwhile must not change what we export.
        clf = load_classifier(ref.pinned(where["version"]), cfg.tracking_uri)
        return clf, {"uri": ref.uri, **where}
    clf = load_classifier(ref, cfg.tracking_uri)
    if ref.kind == "checkpoint":
        return clf, {"uri": str(Path(ref.path or "").resolve()), "run_id": clf.meta.get("mlflow_run_id"),
                     "model": None, "version": None}
    return clf, {"uri": f"runs:/{ref.run_id}" if ref.run_id and not ref.artifact else ref.uri, "run_id": ref.run_id,
                 "model": None, "version": None}


def training_data_dir(clf: Classifier, source: dict[str, Any], tracking_uri: str | None) -> str | None:
    """The dataset the model was trained on, from its checkpoint config or its run's params."""
    config = clf.meta.get("config") or {}
    if config.get("data_dir"):
        return config["data_dir"]
    if source.get("run_id"):
        from docclf.registry import Registry

        try:
            return Registry(tracking_uri).run_param(source["run_id"], "data_dir")
        except UsageError:
            return None
    return None


def load_parity_data(clf: Classifier, data_dir: str | None, limit: int, cache_dir: str | None) -> ParityData:
    """Up to `limit` real images, spread evenly over the validation split, preprocessed like training."""
    from docclf.data import eval_batch, load_or_build_cache, scan_split
    from docclf.evaluate import folders_to_evaluate

    if not data_dir:
        raise UsageError("no validation images for the parity check: pass --data-dir (a dataset with val/, "
                         "or a folder with one sub-folder per class)")
    root = Path(data_dir)
    if (root / "val").is_dir():
        files = scan_split(root, "val", clf.classes)
    elif root.is_dir():
        files = folders_to_evaluate(root, clf.classes)[0]
    else:
        raise UsageError(f"--data-dir {root} does not exist; pass the dataset the model was trained on")
    split = load_or_build_cache(files, clf.preprocess, cache_dir, progress=False)
    idx = np.unique(np.linspace(0, len(split) - 1, min(limit, len(split))).round().astype(int))
    images = eval_batch(torch.from_numpy(np.ascontiguousarray(split.images[idx])), clf.preprocess)
    return ParityData(images.contiguous().numpy(), split.labels[idx], str(files.root.resolve()))


def torch_predictor(model: torch.nn.Module) -> Predict:
    """PyTorch eager as served: channels-last input (faster on CPU), logits as numpy."""
    @torch.inference_mode()
    def predict(x: np.ndarray) -> np.ndarray:
        return model(torch.from_numpy(x).contiguous(memory_format=torch.channels_last)).float().numpy()
    return predict


def predict_all(predict: Predict, images: np.ndarray, batch: int = 32) -> np.ndarray:
    """(N, C) logits, in batches of `batch` (so the last one has another size: dynamic batch is exercised)."""
    return np.concatenate([predict(images[i:i + batch]) for i in range(0, len(images), batch)])


# --------------------------------------------------------------------------- the formats


@contextlib.contextmanager
def _quiet() -> Any:
    """Exporters print progress and deprecation notices that say nothing to our users."""
    logging.disable(logging.INFO)  # onnxscript's optimiser and ORT's quantiser log every pass at INFO
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()) as out:
            warnings.simplefilter("ignore", (DeprecationWarning, FutureWarning, UserWarning))
            yield
    finally:
        logging.disable(logging.NOTSET)
    if out.getvalue().strip():
        log.debug("exporter output:\n%s", out.getvalue())


def export_onnx(model: torch.nn.Module, image_size: int, path: Path, exporter: str = "dynamo",
                opset: int = 18, metadata: dict[str, Any] | None = None) -> str:
    """Write an ONNX file with a dynamic batch axis and check it with onnx's checker; returns the exporter used."""
    import onnx

    example = torch.zeros(2, 3, image_size, image_size)  # (B, 3, S, S); batch 2 so it is not specialised to 1
    used = exporter
    with torch.no_grad(), _quiet():
        if exporter == "dynamo":
            try:
                torch.onnx.export(model, (example,), str(path), dynamo=True, input_names=[INPUT_NAME],
                                  output_names=[OUTPUT_NAME], opset_version=opset, external_data=False,
                                  dynamic_shapes=({0: torch.export.Dim("batch", min=1, max=4096)},))
            except Exception as exc:  # torch.export refuses some models; the legacy exporter may not
                log.warning("dynamo ONNX export failed (%s: %s); trying the legacy exporter",
                            type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else "")
                used = "legacy"
        if used == "legacy":
            torch.onnx.export(model, (example,), str(path), dynamo=False, input_names=[INPUT_NAME],
                              output_names=[OUTPUT_NAME], opset_version=min(opset, 17),
                              dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}})
    proto = onnx.load(str(path))
    for key, value in (metadata or {}).items():
        proto.metadata_props.add(key=key, value=value)
    onnx.save(proto, str(path))
    onnx.checker.check_model(str(path), full_check=True)
    return used


def onnx_predictor(path: Path, threads: int = 0) -> Predict:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if threads:
        opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return lambda x: sess.run(None, {INPUT_NAME: np.ascontiguousarray(x, dtype=np.float32)})[0]


def export_torchscript(model: torch.nn.Module, image_size: int, path: Path, sidecar: dict[str, Any]) -> None:
    """Trace and freeze (batch norm folded into convolutions); the sidecar rides along as an extra file."""
    example = torch.zeros(2, 3, image_size, image_size)
    with torch.no_grad(), _quiet():
        traced = torch.jit.freeze(torch.jit.trace(model, example))
        torch.jit.save(traced, str(path), _extra_files={SIDECAR: json.dumps(sidecar)})


def torchscript_predictor(path: Path) -> Predict:
    with _quiet():
        module = torch.jit.load(str(path), map_location="cpu")
    return torch_predictor(module)


def quantize_int8(onnx_path: Path, out_path: Path, calibration: np.ndarray, per_channel: bool = True) -> None:
    """Static INT8 in QDQ format, unsigned activations and signed per-channel weights, calibrated on real pages.

    u8 activations x s8 weights is the pairing ONNX Runtime's x86 kernels run natively (VNNI); signed
    activations ran at 0.26-0.35x float here, u8s8 at 0.9x (MobileNetV3-small) to 1.6x (EfficientNet-B0)
    in CPU time at batch 32 (benchmarks/bench_export.py has the per-op times).
    """
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.batches = iter([{INPUT_NAME: calibration[i:i + 16]} for i in range(0, len(calibration), 16)])

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.batches, None)

    with tempfile.TemporaryDirectory() as tmp, _quiet():
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(onnx_path), str(prepared))  # shape inference + graph clean-up, as ORT advises
        quantize_static(str(prepared), str(out_path), Reader(), quant_format=QuantFormat.QDQ,
                        per_channel=per_channel, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax,
                        # ranges averaged over calibration batches, not the extreme of all: one outlier page
                        # no longer stretches a layer's scale (top-1 agreement with float 0.67 -> 0.89 and
                        # 0.84 -> 0.92 on trained MobileNetV3-large / EfficientNet-B0)
                        extra_options={"CalibMovingAverage": True})


# --------------------------------------------------------------------------- parity


def compare(reference: np.ndarray, logits: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """How close `logits` are to the PyTorch reference, and both accuracies."""
    return {"max_abs_logit_diff": float(np.abs(reference - logits).max()),
            "top1_agreement": float((reference.argmax(1) == logits.argmax(1)).mean()),
            "accuracy_pytorch": float((reference.argmax(1) == labels).mean()),
            "accuracy_export": float((logits.argmax(1) == labels).mean()),
            "n_images": int(len(labels))}


def judge(fmt: str, result: dict[str, Any], logit_tolerance: float = FLOAT_MAX_LOGIT_DIFF) -> str | None:
    """None if `result` meets the thresholds of `fmt`, else what is wrong and by how much."""
    if fmt == "int8":
        loss = (result["accuracy_pytorch"] - result["accuracy_export"]) * 100
        if loss > INT8_MAX_ACCURACY_LOSS:
            return (f"INT8 loses {loss:.2f} points of accuracy ({result['accuracy_pytorch']:.2%} -> "
                    f"{result['accuracy_export']:.2%}), over the {INT8_MAX_ACCURACY_LOSS:g}-point limit")
        return None
    problems = []
    if result["top1_agreement"] < 1.0:
        n = round((1 - result["top1_agreement"]) * result["n_images"])
        problems.append(f"top-1 differs on {n} of {result['n_images']} images "
                        f"({result['top1_agreement']:.2%} agreement, 100% required)")
    if not result["max_abs_logit_diff"] <= logit_tolerance:  # `not <=` also catches NaN
        problems.append(f"max |logit difference| {result['max_abs_logit_diff']:.3g} > {logit_tolerance:g}")
    return f"{fmt}: " + "; ".join(problems) if problems else None


def speedup(export_speed: dict[str, float], base_speed: dict[str, float]) -> dict[str, float]:
    """Ratios > 1 mean faster than `base`: batch-1 latency (p50) and batch-32 throughput."""
    b1 = base_speed["latency_ms_p50"] / export_speed["latency_ms_p50"]
    b32 = export_speed["throughput_b32"] / base_speed["throughput_b32"]
    return {"batch1": b1, "batch32": b32, "geomean": math.sqrt(b1 * b32)}


# --------------------------------------------------------------------------- the whole export


def sidecar_base(clf: Classifier, source: dict[str, Any]) -> dict[str, Any]:
    """Everything a server needs to feed the files and read their outputs."""
    p = clf.preprocess
    return {
        "format": "docclf.export/1",
        "classes": list(clf.classes),
        "num_classes": len(clf.classes),
        "model_name": clf.model_name,
        "input": {"name": INPUT_NAME, "shape": ["batch", 3, p.image_size, p.image_size], "dtype": "float32",
                  "layout": "NCHW", "image_size": p.image_size},
        "output": {"name": OUTPUT_NAME, "shape": ["batch", len(clf.classes)],
                   "meaning": "logits in the order of `classes`; softmax gives probabilities"},
        "preprocess": {**p.to_dict(), "steps": [
            "open the image as RGB; transparent pixels become white",
            f"resize_mode pad: scale so the long side is {p.image_size} px (PIL resize, {p.interpolation}, "
            "reducing_gap=3.0; sides rounded, at least 1 px), paste at ((S - w) // 2, (S - h) // 2) on an S x S "
            f"canvas filled with {p.fill}; squash: resize straight to S x S",
            "HWC uint8 -> CHW float32, divide by 255",
            "subtract mean and divide by std, per channel (RGB order)"]},
        "source": source,
        **reading_sidecar(clf),
    }


TEXT_VIEW_FILE = "text_view.npz"  # a reading model's text view, beside the ONNX file


def reading_sidecar(clf: Classifier) -> dict[str, Any]:
    """What a server needs to read pages too: modality, OCR settings, fusion settings, the text view's file."""
    out: dict[str, Any] = {"modality": clf.modality}
    if clf.fusion is not None:
        out["fusion"] = clf.fusion.to_dict()
    if clf.text_view is not None:
        out.update(ocr=clf.ocr.to_dict(), text_view=TEXT_VIEW_FILE,
                   reading=["OCR the page with Tesseract (settings in `ocr`): words with boxes in [0, 1]",
                            "text view logits: docclf.textview.TextView.load(text_view).logits([words])",
                            "fuse: docclf.fusion.fuse_logits(image_logits, text_logits, has_words, fusion), "
                            "then docclf.fusion.decide (label null = none of these)"])
    return out


def write_text_view(clf: Classifier, out: Path) -> None:
    """Save a reading model's text view next to its export (nothing for image-only models)."""
    (out / TEXT_VIEW_FILE).unlink(missing_ok=True)
    if clf.text_view is not None:
        clf.text_view.save(out / TEXT_VIEW_FILE)


def run_export(cfg: ExportConfig) -> dict[str, Any]:
    """Export, check each file against PyTorch, write model.json; raises ParityError if a check fails."""
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    clf, source = load_source(cfg)
    if clf.model is None:
        raise UsageError(f"{clf.source} is a text-only model: there is no network to export; train with "
                         "--modality fusion (or image) to export and serve it")
    data_dir = cfg.data_dir or training_data_dir(clf, source, cfg.tracking_uri)
    n_calib = cfg.calibration_images if "int8" in cfg.formats() else 0
    data = load_parity_data(clf, data_dir, cfg.parity_images + n_calib, cfg.cache_dir)
    parity, calib, held_out = split_calibration(data, cfg.parity_images, n_calib)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*FILES.values(), SIDECAR]:
        (out / stale).unlink(missing_ok=True)  # a file left from an earlier export would be mislabelled

    model = copy.deepcopy(clf.model).float().eval().to(memory_format=torch.contiguous_format)
    size = clf.preprocess.image_size
    eager = torch_predictor(clf.model.eval())
    reference = predict_all(eager, parity.images)
    base_speed = measure_speed(eager, parity.images, cfg.latency_runs)
    sidecar = sidecar_base(clf, source)
    report: dict[str, Any] = {"data": parity.source, "n_images": len(parity.labels), "pytorch_speed": base_speed,
                              "threads": torch.get_num_threads(), "formats": {}}
    failures: list[str] = []

    def check(fmt: str, path: Path, predict: Predict, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        rows = held_out if fmt == "int8" else slice(None)  # INT8 is judged on pages it was not calibrated on
        logits = predict_all(predict, parity.images[rows])
        result = {"file": path.name, **compare(reference[rows], logits, parity.labels[rows]), **(extra or {})}
        result["speed"] = measure_speed(predict, parity.images, cfg.latency_runs)
        result["speedup_vs_pytorch"] = speedup(result["speed"], base_speed)
        problem = judge(fmt, result, cfg.logit_tolerance)
        result["passed"] = problem is None
        if problem:
            result["problem"] = problem
        return result

    with tempfile.TemporaryDirectory() as tmp:
        onnx_path = out / FILES["onnx"] if "onnx" in cfg.formats() else Path(tmp) / FILES["onnx"]
        if {"onnx", "int8"} & set(cfg.formats()):
            exporter = export_onnx(model, size, onnx_path, cfg.onnx_exporter, cfg.opset,
                                   {"docclf": json.dumps(sidecar_base(clf, source))})
            onnx_result = check("onnx", onnx_path, onnx_predictor(onnx_path, cfg.threads),
                                {"exporter": exporter, "opset": cfg.opset if exporter == "dynamo" else min(cfg.opset, 17)})
            if "onnx" in cfg.formats():
                report["formats"]["onnx"] = onnx_result
                if not onnx_result["passed"]:
                    failures.append(onnx_result["problem"])
        if "torchscript" in cfg.formats():
            ts_path = out / FILES["torchscript"]
            export_torchscript(model, size, ts_path, sidecar)
            report["formats"]["torchscript"] = check("torchscript", ts_path, torchscript_predictor(ts_path))
            if not report["formats"]["torchscript"]["passed"]:
                failures.append(report["formats"]["torchscript"]["problem"])
        if "int8" in cfg.formats():
            int8 = _export_int8(cfg, onnx_path, out / FILES["int8"], calib, onnx_result, check)
            report["formats"]["int8"] = int8
            if not int8["passed"] and cfg.format == "int8":
                failures.append(int8["problem"])

    for fmt, result in report["formats"].items():  # no broken or unwanted file is left for a server to find
        if not result["passed"] or not result.get("kept", True):
            (out / FILES[fmt]).unlink(missing_ok=True)
    sidecar.update(_sidecar_summary(report, cfg.logit_tolerance))
    write_text_view(clf, out)
    (out / SIDECAR).write_text(json.dumps(sidecar, indent=2))
    if failures:
        raise ParityError("; ".join(failures))
    if cfg.log_to_mlflow:
        _log_to_mlflow(cfg, source, out, format_parity(sidecar))
    return sidecar


def _spread(n: int, k: int) -> np.ndarray:
    """Up to k indices spread evenly over range(n)."""
    return np.unique(np.linspace(0, n - 1, min(k, n)).round().astype(int)) if n and k else np.zeros(0, int)


def split_calibration(data: ParityData, n_parity: int, n_calib: int) -> tuple[ParityData, np.ndarray, np.ndarray]:
    """Parity pages, INT8 calibration pages (at most half of all), and the parity rows that did not calibrate.

    Float files are checked on every parity page; INT8 is judged only on the held-out rows.
    """
    n = len(data.labels)
    calib_idx = _spread(n, min(n_calib, n // 2))
    idx = _spread(n, n_parity)
    held_out = np.flatnonzero(~np.isin(idx, calib_idx))
    return ParityData(data.images[idx], data.labels[idx], data.source), data.images[calib_idx], held_out


def _export_int8(cfg: ExportConfig, onnx_path: Path, path: Path, calib: np.ndarray,
                 float_result: dict[str, Any], check: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """Quantise, judge on pages that did not calibrate it, keep it only where it pays.

    Kept where it is accurate and at least INT8_MIN_SPEEDUP x float ONNX at batch 32, measured in
    CPU time on one thread (`cpu_speedup`): wall-clock time on a shared machine mostly measures the
    neighbours. MobileNetV3-small does not get there on this CPU; EfficientNet-B0 and -large do.
    """
    quantize_int8(onnx_path, path, calib, per_channel=True)
    result = check("int8", path, onnx_predictor(path, cfg.threads), {"per_channel": True,
                                                                       "calibration_images": len(calib)})
    result["speedup_vs_onnx"] = {**speedup(result["speed"], float_result["speed"]),
                                 "cpu": cpu_speedup(onnx_path, path, calib[:32])}
    faster = result["speedup_vs_onnx"]["cpu"]["batch32"] >= INT8_MIN_SPEEDUP
    result["kept"] = result["passed"] and (faster or cfg.keep_slow_int8)
    if not result["passed"]:
        result["reason"] = f"not kept: {result['problem']}"
    elif not faster:
        result["reason"] = (f"{'kept (--keep-slow-int8)' if cfg.keep_slow_int8 else 'not kept'}: not faster than "
                            f"float ONNX by {INT8_MIN_SPEEDUP:g}x ({_cpu_ratios(result)})")
    else:
        result["reason"] = (f"kept: {_cpu_ratios(result)}, accuracy "
                            f"{(result['accuracy_export'] - result['accuracy_pytorch']) * 100:+.2f} points")
    return result


def _cpu_ratios(result: dict[str, Any]) -> str:
    cpu = result["speedup_vs_onnx"]["cpu"]
    return f"{cpu['batch1']:.2f}x / {cpu['batch32']:.2f}x float ONNX at batch 1 / 32 in CPU time"


def cpu_speedup(float_path: Path, int8_path: Path, images: np.ndarray, rounds: int = 3) -> dict[str, float]:
    """float / INT8 CPU time of one call at batch 1 and 32, one thread each, timed in turn (medians).

    CPU time of the calling thread counts the work, not the waits for a busy core (with one intra-op
    thread ORT runs every kernel on the caller)."""
    import onnxruntime as ort

    def session(path: Path) -> Any:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads, opts.log_severity_level = 1, 1, 3
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    batch = np.ascontiguousarray(np.resize(images, (32, *images.shape[1:])), dtype=np.float32)
    sessions = [session(float_path), session(int8_path)]
    times: dict[int, list[list[float]]] = {1: [[], []], 32: [[], []]}
    for sess in sessions:
        sess.run(None, {INPUT_NAME: batch[:1]})  # warm-up
    for _ in range(rounds):
        for which, sess in enumerate(sessions):
            for size, runs in ((1, 10), (32, 1)):
                t0 = time.thread_time()
                for _ in range(runs):
                    sess.run(None, {INPUT_NAME: batch[:size]})
                times[size][which].append((time.thread_time() - t0) / runs)
    return {f"batch{size}": float(np.median(f) / np.median(q)) for size, (f, q) in times.items()}


def _sidecar_summary(report: dict[str, Any], logit_tolerance: float) -> dict[str, Any]:
    files = {fmt: FILES[fmt] for fmt, r in report["formats"].items() if r["passed"] and r.get("kept", True)}
    recommended = next((f for f in ("int8", "onnx", "torchscript") if f in files), None)
    int8 = report["formats"].get("int8")
    return {"files": files, "recommended": recommended,
            "int8": {k: int8[k] for k in ("kept", "reason", "per_channel")} if int8 else None,
            "thresholds": {"float_max_abs_logit_diff": logit_tolerance, "float_top1_agreement": 1.0,
                           "int8_max_accuracy_loss_points": INT8_MAX_ACCURACY_LOSS},
            "parity": report, "created": now_iso(),
            "versions": _versions()}


def _versions() -> dict[str, str]:
    import onnx
    import onnxruntime

    return {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__}


def _log_to_mlflow(cfg: ExportConfig, source: dict[str, Any], out: Path, text: str) -> None:
    from docclf.tracking import log_export

    if not source.get("run_id"):
        log.info("not logged to MLflow: the checkpoint names no run")
        return
    try:
        paths = [out / name for name in [*FILES.values(), SIDECAR] if (out / name).is_file()]
        log_export(cfg.tracking_uri, source["run_id"], paths, text)
    except UsageError as exc:
        log.warning("exports not logged to MLflow: %s", exc)


# --------------------------------------------------------------------------- the report


def format_parity(sidecar: dict[str, Any]) -> str:
    """The parity table: closeness, accuracy and speed of each format next to PyTorch eager."""
    report = sidecar["parity"]
    base = report["pytorch_speed"]
    lines = [f"parity on {report['n_images']} images from {report['data']} ({report['threads']} threads); "
             f"PyTorch eager: {base['latency_ms_p50']:.1f} ms at batch 1, {base['throughput_b32']:.0f} img/s at "
             "batch 32",
             f"{'format':<12}{'max|dlogit|':>12}{'top-1 agree':>12}{'acc torch':>10}{'acc file':>10}"
             f"{'b1 ms':>8}{'b32 img/s':>10}{'x b1':>7}{'x b32':>7}  result"]
    for fmt, r in report["formats"].items():
        s, x = r["speed"], r["speedup_vs_pytorch"]
        verdict = "ok" if r["passed"] else f"FAILED: {r['problem']}"
        if fmt == "int8":
            verdict = r["reason"]
        lines.append(f"{fmt:<12}{r['max_abs_logit_diff']:>12.2e}{r['top1_agreement']:>12.2%}"
                     f"{r['accuracy_pytorch']:>10.2%}{r['accuracy_export']:>10.2%}{s['latency_ms_p50']:>8.1f}"
                     f"{s['throughput_b32']:>10.0f}{x['batch1']:>7.2f}{x['batch32']:>7.2f}  {verdict}")
    files = ", ".join(sidecar.get("files", {}).values()) or "none"
    lines.append(f"files: {files}; recommended: {sidecar.get('recommended')}")
    return "\n".join(lines)

