"""Speed of each export format relative to PyTorch eager, and whether INT8 pays, for the seed's models, in one run.

    python benchmarks/bench_export.py --data-dir data/documents [--checkpoint A.pth ...] [--threads 2]

For each model: PyTorch eager (the baseline), ONNX Runtime (dynamo export, what docclf ships), TorchScript
(traced, frozen) and static INT8 two ways: the old recipe (QDQ, signed activations, per-tensor) and
docclf's (QDQ, unsigned activations x signed per-channel weights, ranges averaged over
calibration batches). Wall-clock speed is batch-1
latency (p50) and batch-32 throughput, formats timed in turn; on a shared machine it is noisy, so
INT8 vs float ONNX is also timed in CPU time on one thread (`export.cpu_speedup`, what the export
policy uses). INT8 is calibrated on validation pages and judged on test pages (never the same
pages): top-1 agreement with float and the accuracy change. The per-op table (ONNX Runtime
profiling, one thread, batch 32) shows where INT8's time goes. Without --checkpoint a model has
random weights (the table says so): its logits lie close together, so agreement is pessimistic.
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from docclf.export import (compare, cpu_speedup, export_onnx, export_torchscript, load_parity_data, onnx_predictor,
                           predict_all, torch_predictor, torchscript_predictor)
from docclf.modeling import (Classifier, classifier_from_checkpoint, create_model, load_checkpoint_file,
                             preprocess_config_for, resolve_model_name)
from docclf.timing import measure_speed

MODELS = ("mobilenetv3_large", "mobilenetv3_small", "efficientnet_b0")


def classifier_for(name: str, checkpoints: dict[str, Path], classes: list[str], size: int) -> Classifier:
    """The trained checkpoint for `name` if one was given, else random weights."""
    timm_name = resolve_model_name(name)
    if timm_name in checkpoints:
        return classifier_from_checkpoint(load_checkpoint_file(checkpoints[timm_name]), str(checkpoints[timm_name]))
    model, _ = create_model(name, len(classes), pretrained="off")
    return Classifier(model.eval(), classes, preprocess_config_for(model, size), timm_name, "random weights", {})


def eager_predictor(model: torch.nn.Module) -> Callable[[np.ndarray], np.ndarray]:
    @torch.inference_mode()
    def predict(x: np.ndarray) -> np.ndarray:
        return model(torch.from_numpy(x)).numpy()
    return predict


def quantize(float_path: Path, out: Path, calib: np.ndarray, signed_activations: bool, per_channel: bool) -> None:
    """Static QDQ INT8 with the given activation type and weight granularity (MinMax calibration)."""
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    batches = iter([{"input": calib[i:i + 16]} for i in range(0, len(calib), 16)])

    class Reader(CalibrationDataReader):
        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(batches, None)

    prepared = out.with_suffix(".prep.onnx")
    quant_pre_process(str(float_path), str(prepared))
    quantize_static(str(prepared), str(out), Reader(), quant_format=QuantFormat.QDQ, per_channel=per_channel,
                    activation_type=QuantType.QInt8 if signed_activations else QuantType.QUInt8,
                    weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax,
                    extra_options={} if signed_activations else {"CalibMovingAverage": True})


def op_times(path: Path, images: np.ndarray, runs: int = 3) -> dict[str, float]:
    """ms per batch-32 call spent in each op type (ONNX Runtime profiling, one thread)."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads, opts.log_severity_level, opts.enable_profiling = 1, 3, True
    opts.profile_file_prefix = str(path.with_suffix(""))
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    batch = np.ascontiguousarray(np.resize(images, (32, *images.shape[1:])), dtype=np.float32)
    for _ in range(runs):
        sess.run(None, {"input": batch})
    trace = sess.end_profiling()
    by_op: collections.Counter = collections.Counter()
    for event in json.loads(Path(trace).read_text()):
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            by_op[event["args"]["op_name"]] += event["dur"] / 1000 / runs
    os.unlink(trace)
    return dict(by_op.most_common())


def interleaved_speeds(predictors: dict, images: np.ndarray, runs: int, rounds: int) -> dict[str, dict]:
    """Time every format in turn, `rounds` times, and keep the median of each: on a shared machine
    the load then falls on all formats alike instead of on whichever ran during a busy spell."""
    samples: dict[str, list[dict]] = {name: [] for name in predictors}
    for _ in range(rounds):
        for name, predict in predictors.items():
            samples[name].append(measure_speed(predict, images, max(2, runs // rounds)))
    return {name: {k: float(np.median([s[k] for s in rows])) for k in rows[0]} for name, rows in samples.items()}


def bench_model(clf: Classifier, data_dir: str, n_images: int, runs: int, rounds: int, threads: int) -> dict:
    calib = load_parity_data(clf, str(Path(data_dir) / "val"), n_images, None).images
    test = load_parity_data(clf, str(Path(data_dir) / "test"), n_images, None)
    images, labels = test.images, test.labels
    model = clf.model.float().eval().to(memory_format=torch.contiguous_format)
    predictors = {"eager": eager_predictor(model),
                  "eager (channels_last)": torch_predictor(copy.deepcopy(model).to(memory_format=torch.channels_last))}
    size = clf.preprocess.image_size
    int8 = {"int8 s8s8 per-tensor (old)": (True, False), "int8 u8s8 per-channel": (False, True)}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        export_onnx(model, size, tmp / "float.onnx")
        predictors["onnx"] = onnx_predictor(tmp / "float.onnx", threads)
        export_torchscript(model, size, tmp / "ts.pt", {})
        predictors["torchscript"] = torchscript_predictor(tmp / "ts.pt")
        paths = {"onnx": tmp / "float.onnx"}
        for name, (signed, per_channel) in int8.items():
            paths[name] = tmp / f"int8_{signed}_{per_channel}.onnx"
            quantize(tmp / "float.onnx", paths[name], calib, signed, per_channel)
            predictors[name] = onnx_predictor(paths[name], threads)
        reference = predict_all(predictors["eager"], images)
        rows = {name: compare(reference, predict_all(predict, images), labels) for name, predict in predictors.items()}
        speeds = interleaved_speeds(predictors, images, runs, rounds)
        cpu = {name: cpu_speedup(paths["onnx"], paths[name], images[:32]) for name in int8}
        ops = {name: op_times(paths[name], images) for name in ("onnx", *int8)}
    base = speeds["eager"]
    for name, r in rows.items():
        r["speed"] = speeds[name]
        r["x_b1"] = base["latency_ms_p50"] / speeds[name]["latency_ms_p50"]
        r["x_b32"] = speeds[name]["throughput_b32"] / base["throughput_b32"]
        if name in cpu:
            r["cpu_vs_onnx"] = cpu[name]
            r["accuracy_change_vs_onnx"] = r["accuracy_export"] - rows["onnx"]["accuracy_export"]
    return {"weights": clf.source, "n_test": len(labels), "n_calibration": len(calib), "image_size": size,
            "accuracy_eager": float((reference.argmax(1) == labels).mean()), "formats": rows, "op_ms_b32": ops}


def format_table(results: dict[str, dict]) -> str:
    lines = [f"{'model':<20}{'format':<28}{'b1 ms':>8}{'b32 img/s':>10}{'x b1':>7}{'x b32':>7}"
             f"{'top-1 agree':>12}{'acc':>8}{'CPU x onnx b1/b32':>19}"]
    for name, res in results.items():
        for fmt, r in res["formats"].items():
            s = r["speed"]
            cpu = f"{r['cpu_vs_onnx']['batch1']:.2f}/{r['cpu_vs_onnx']['batch32']:.2f}" if "cpu_vs_onnx" in r else ""
            lines.append(f"{name:<20}{fmt:<28}{s['latency_ms_p50']:>8.1f}{s['throughput_b32']:>10.0f}"
                         f"{r['x_b1']:>7.2f}{r['x_b32']:>7.2f}{r['top1_agreement']:>12.1%}{r['accuracy_export']:>8.1%}"
                         f"{cpu:>19}")
        lines.append(f"{'':<20}weights: {res['weights']}; {res['image_size']} px; calibrated on {res['n_calibration']} "
                     f"validation pages, judged on {res['n_test']} test pages")
        for fmt, ops in res["op_ms_b32"].items():
            total = sum(ops.values())
            top = ", ".join(f"{op} {ms:.0f}" for op, ms in list(ops.items())[:6])
            lines.append(f"{'':<20}ms per batch-32 call by op, {fmt}: total {total:.0f}; {top}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="dataset with val/ (calibration) and test/ (judging) splits")
    p.add_argument("--checkpoint", action="append", default=[], help="trained model_final.pth (repeatable)")
    p.add_argument("--models", nargs="+", default=list(MODELS))
    p.add_argument("--image-size", type=int, default=224, help="input size for random-weight models")
    p.add_argument("--images", type=int, default=96, help="pages per split used")
    p.add_argument("--runs", type=int, default=40, help="timed batch-1 calls per format (batch-32 calls: a tenth)")
    p.add_argument("--rounds", type=int, default=4, help="formats are timed in turn, this many times")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--output", default=None, help="also write the results as JSON here")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    checkpoints = {load_checkpoint_file(c)["model_name"]: Path(c) for c in args.checkpoint}
    from docclf.data import find_classes

    classes = find_classes(args.data_dir)
    results: dict[str, Any] = {}
    for name in args.models:
        clf = classifier_for(name, checkpoints, classes, args.image_size)
        print(f"benchmarking {name} ({clf.source}) ...", file=sys.stderr, flush=True)
        results[name] = bench_model(clf, args.data_dir, args.images, args.runs, args.rounds, args.threads)
    print(f"{args.threads} threads, torch {torch.__version__}, load average {os.getloadavg()[0]:.1f}; x b1/b32: "
          "speed relative to PyTorch eager (wall clock); CPU x onnx: float ONNX / INT8 CPU time, one thread")
    print(format_table(results))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
