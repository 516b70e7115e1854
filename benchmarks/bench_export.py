"""Speed of each export format relative to PyTorch eager, for the seed's three models, in one run.

    python benchmarks/bench_export.py --data-dir data/documents [--checkpoint A.pth ...] [--threads 2]

For each model: PyTorch eager (the baseline), ONNX Runtime on files from both torch.onnx exporters
(dynamo, which docclf uses, and the legacy TorchScript-based one), TorchScript (traced, frozen) and
static QDQ INT8 (per-tensor and per-channel). Speed is batch-1 latency (p50) and batch-32
throughput on real validation pages at 224 px; ratios > 1 mean faster than eager. INT8 also
reports top-1 agreement with eager and the accuracy change. Without --checkpoint the models have
random weights (the table says so); their logits lie close together, so INT8 agreement is then a
pessimistic figure.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from docclf.export import (compare, export_onnx, export_torchscript, load_parity_data, onnx_predictor,
                           predict_all, quantize_int8, torch_predictor, torchscript_predictor)
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


def interleaved_speeds(predictors: dict, images: np.ndarray, runs: int, rounds: int) -> dict[str, dict]:
    """Time every format in turn, `rounds` times, and keep the median of each: on a shared machine
    the load then falls on all formats alike instead of on whichever ran during a busy spell."""
    samples: dict[str, list[dict]] = {name: [] for name in predictors}
    for _ in range(rounds):
        for name, predict in predictors.items():
            samples[name].append(measure_speed(predict, images, max(2, runs // rounds)))
    return {name: {k: float(np.median([s[k] for s in rows])) for k in rows[0]} for name, rows in samples.items()}


def bench_model(clf: Classifier, data_dir: str, n_images: int, runs: int, rounds: int, threads: int) -> dict:
    data = load_parity_data(clf, data_dir, n_images, None)
    images, labels = data.images, data.labels
    model = clf.model.float().eval().to(memory_format=torch.contiguous_format)
    predictors = {"eager": eager_predictor(model),
                  "eager (channels_last)": torch_predictor(copy.deepcopy(model).to(memory_format=torch.channels_last))}
    size = clf.preprocess.image_size
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for exporter in ("dynamo", "legacy"):
            export_onnx(model, size, tmp / f"{exporter}.onnx", exporter=exporter)
            predictors[f"onnx ({exporter})"] = onnx_predictor(tmp / f"{exporter}.onnx", threads)
        export_torchscript(model, size, tmp / "ts.pt", {})
        predictors["torchscript"] = torchscript_predictor(tmp / "ts.pt")
        for per_channel in (False, True):
            path = tmp / f"int8_{per_channel}.onnx"
            quantize_int8(tmp / "dynamo.onnx", path, images[:64], per_channel)
            predictors[f"int8 ({'per-channel' if per_channel else 'per-tensor'})"] = onnx_predictor(path, threads)
        reference = predict_all(predictors["eager"], images)
        rows = {name: compare(reference, predict_all(predict, images), labels) for name, predict in predictors.items()}
        speeds = interleaved_speeds(predictors, images, runs, rounds)
    base = speeds["eager"]
    for name, r in rows.items():
        r["speed"] = speeds[name]
        r["x_b1"] = base["latency_ms_p50"] / speeds[name]["latency_ms_p50"]
        r["x_b32"] = speeds[name]["throughput_b32"] / base["throughput_b32"]
    return {"weights": clf.source, "n_images": len(labels), "accuracy_eager": float((reference.argmax(1) == labels).mean()),
            "formats": rows}


def format_table(results: dict[str, dict]) -> str:
    lines = [f"{'model':<20}{'format':<24}{'b1 ms':>8}{'b32 img/s':>10}{'x b1':>7}{'x b32':>7}"
             f"{'top-1 agree':>12}{'acc':>8}{'max|dlogit|':>12}"]
    for name, res in results.items():
        for fmt, r in res["formats"].items():
            s = r["speed"]
            agree, acc, diff = f"{r['top1_agreement']:.1%}", f"{r['accuracy_export']:.1%}", f"{r['max_abs_logit_diff']:.1e}"
            lines.append(f"{name:<20}{fmt:<24}{s['latency_ms_p50']:>8.1f}{s['throughput_b32']:>10.0f}"
                         f"{r['x_b1']:>7.2f}{r['x_b32']:>7.2f}{agree:>12}{acc:>8}{diff:>12}")
        lines.append(f"{'':<20}weights: {res['weights']}; {res['n_images']} validation images")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", required=True, help="dataset with val/ (real pages for timing, calibration, agreement)")
    p.add_argument("--checkpoint", action="append", default=[], help="trained model_final.pth (repeatable)")
    p.add_argument("--models", nargs="+", default=list(MODELS))
    p.add_argument("--image-size", type=int, default=224, help="input size for random-weight models")
    p.add_argument("--images", type=int, default=96, help="validation images used")
    p.add_argument("--runs", type=int, default=40, help="timed batch-1 calls per format (batch-32 calls: a tenth)")
    p.add_argument("--rounds", type=int, default=4, help="formats are timed in turn, this many times")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--output", default=None, help="also write the results as JSON here")
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    checkpoints = {load_checkpoint_file(c)["model_name"]: Path(c) for c in args.checkpoint}
    from docclf.data import find_classes

    classes = find_classes(args.data_dir)
    results = {}
    for name in args.models:
        clf = classifier_for(name, checkpoints, classes, args.image_size)
        print(f"benchmarking {name} ({clf.source}) ...", file=sys.stderr, flush=True)
        results[name] = bench_model(clf, args.data_dir, args.images, args.runs, args.rounds, args.threads)
    print(f"{args.threads} threads, torch {torch.__version__}; ratios are speed relative to PyTorch eager "
          "(> 1 is faster)")
    print(format_table(results))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
