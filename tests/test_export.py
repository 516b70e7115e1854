"""Export: each format loads without docclf, parity checks pass and catch a broken file, the sidecar is complete.

One tiny model is trained, registered and exported (all formats) once for the module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from conftest import fresh_store, make_tiny_dataset
from docclf.cli import run

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
FAST = ["--latency-runs", "3", "--parity-images", "20", "--calibration-images", "16"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, mlflow_template: Path) -> dict[str, object]:
    """Train, register as doc_classifier v1 (Production), export all formats from models:/doc_classifier/Production."""
    root = tmp_path_factory.mktemp("export")
    data = make_tiny_dataset(root / "data")
    uri = fresh_store(mlflow_template, root / "mlflow.db")
    from docclf.config import build_config
    from docclf.registry import Registry
    from docclf.train import TrainConfig, train

    result = train(build_config(TrainConfig, cli_values={
        "data_dir": str(data), "model": "mobilenetv3_small", "image_size": 64, "batch_size": 8, "epochs": 1,
        "modality": "image", "pretrained": "off", "progress": False, "threads": 1, "tracking_uri": uri,
        "mlflow_experiment": "exp",
        "output_dir": str(root / "out"), "cache_dir": str(root / "cache")}))
    reg = Registry(uri)
    reg.register(result.run_id, "doc_classifier")
    reg.transition("doc_classifier", 1, "Production")
    out = root / "exports"
    code = run(["export", "--model-uri", "models:/doc_classifier/Production", "--format", "all", "--output-dir",
                str(out), "--tracking-uri", uri, "--cache-dir", str(root / "cache"), "--threads", "2", *FAST])
    assert code == 0
    return {"out": out, "uri": uri, "run_id": result.run_id, "data": data, "root": root,
            "checkpoint": root / "out" / "model_final.pth", "sidecar": json.loads((out / "model.json").read_text())}


def test_sidecar_says_everything_a_server_needs(exported):
    from docclf.modeling import load_checkpoint_file

    side = exported["sidecar"]
    ckpt = load_checkpoint_file(exported["checkpoint"])
    assert side["classes"] == ckpt["classes"] and side["num_classes"] == 5
    assert side["input"]["shape"] == ["batch", 3, 64, 64] and side["input"]["name"] == "input"
    assert {k: side["preprocess"][k] for k in ckpt["preprocess"]} == ckpt["preprocess"]  # the model's own
    assert side["preprocess"]["resize_mode"] == "pad" and len(side["preprocess"]["mean"]) == 3
    assert side["source"] == {"uri": "models:/doc_classifier/Production", "model": "doc_classifier",
                              "version": "1", "run_id": exported["run_id"], "stage": "Production"}
    parity = side["parity"]
    assert parity["n_images"] == 20 and parity["data"].endswith("val")
    for fmt in ("onnx", "torchscript"):
        r = parity["formats"][fmt]
        assert r["passed"] and r["top1_agreement"] == 1.0 and r["max_abs_logit_diff"] <= 1e-4
        assert r["accuracy_export"] == r["accuracy_pytorch"]
        assert r["speed"]["latency_ms_p50"] > 0 and r["speed"]["throughput_b32"] > 0
    assert parity["formats"]["onnx"]["exporter"] == "dynamo"
    # INT8: kept only when accurate and faster, and the sidecar says which and why
    int8 = parity["formats"]["int8"]
    assert side["int8"]["kept"] == int8["kept"] and int8["reason"]
    assert (exported["out"] / "model_int8.onnx").exists() == int8["kept"] == ("int8" in side["files"])
    assert side["files"]["onnx"] == "model.onnx" and side["recommended"] in side["files"]


def test_int8_is_built_run_and_judged_even_where_the_policy_drops_it(exported, tmp_path):
    """On CPUs where QDQ INT8 is slower than float the file is dropped, so nothing else runs it: here it is
    quantised, run on the parity pages and judged, and --keep-slow-int8 keeps an accurate one for serving."""
    out = tmp_path / "int8"
    code = run(["export", "--model-uri", str(exported["checkpoint"]), "--format", "int8", "--keep-slow-int8",
                "--output-dir", str(out), "--data-dir", str(exported["data"] / "val"), "--no-log-to-mlflow",
                "--cache-dir", str(exported["root"] / "cache"), "--threads", "1", *FAST])
    side = json.loads((out / "model.json").read_text())
    int8 = side["parity"]["formats"]["int8"]
    assert code == (0 if int8["passed"] else 1)
    # calibrated on half of the 20 validation pages, judged on the other half, timed against float ONNX
    assert int8["calibration_images"] == 10 and int8["n_images"] == 10 and side["parity"]["n_images"] == 20
    assert 0 <= int8["top1_agreement"] <= 1 and int8["reason"] and int8["speedup_vs_onnx"]["cpu"]["batch32"] > 0
    assert 0 <= int8["accuracy_export"] <= 1 and int8["speed"]["latency_ms_p50"] > 0
    assert int8["speedup_vs_onnx"]["batch1"] > 0 and int8["speedup_vs_onnx"]["batch32"] > 0
    assert int8["passed"] == (int8["accuracy_pytorch"] - int8["accuracy_export"] <= 0.01)
    assert int8["kept"] == int8["passed"]  # slow or not: --keep-slow-int8
    assert (out / "model_int8.onnx").exists() == int8["kept"] == (side.get("recommended") == "int8")
    if int8["kept"]:  # a kept file loads and runs on its own, with a dynamic batch
        import onnxruntime as ort

        sess = ort.InferenceSession(str(out / "model_int8.onnx"), providers=["CPUExecutionProvider"])
        x = np.random.default_rng(0).standard_normal((2, 3, 64, 64)).astype(np.float32)
        logits = sess.run(None, {side["input"]["name"]: x})[0]
        assert logits.shape == (2, 5) and np.isfinite(logits).all()


def test_each_format_loads_and_runs_without_docclf(exported):
    """Plain python: onnxruntime and torch.jit.load, with the sidecar as the only guide, on batches of 1 and 3."""
    script = textwrap.dedent("""
        import json, sys
        import numpy as np
        import onnxruntime as ort
        import torch
        out = sys.argv[1]
        side = json.load(open(f"{out}/model.json"))
        s = side["input"]["image_size"]
        x = np.random.default_rng(0).standard_normal((3, 3, s, s)).astype(np.float32)
        result = {}
        for fmt in ("onnx", "int8"):
            if fmt in side["files"]:
                sess = ort.InferenceSession(f"{out}/{side['files'][fmt]}", providers=["CPUExecutionProvider"])
                result[fmt] = [sess.run(None, {side["input"]["name"]: x[:n]})[0].tolist() for n in (1, 3)]
        extra = {"model.json": ""}
        ts = torch.jit.load(f"{out}/{side['files']['torchscript']}", _extra_files=extra)
        with torch.no_grad():
            result["torchscript"] = [ts(torch.from_numpy(x[:n])).tolist() for n in (1, 3)]
        result["embedded_classes"] = json.loads(extra["model.json"])["classes"]
        result["docclf_imported"] = any(m.startswith(("docclf", "timm")) for m in sys.modules)
        print(json.dumps(result))
    """)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-I", "-c", script, str(exported["out"])], capture_output=True,
                          text=True, env=env, timeout=180, cwd="/")
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["docclf_imported"] is False and res["embedded_classes"] == exported["sidecar"]["classes"]
    for fmt in ("onnx", "torchscript"):
        b1, b3 = (np.asarray(a) for a in res[fmt])
        assert b1.shape == (1, 5) and b3.shape == (3, 5)  # dynamic batch
        np.testing.assert_allclose(b1[0], b3[0], atol=1e-5)
    np.testing.assert_allclose(np.asarray(res["onnx"][1]), np.asarray(res["torchscript"][1]), atol=1e-4)


def test_onnx_file_passes_checker_and_carries_metadata(exported):
    import onnx

    model = onnx.load(str(exported["out"] / "model.onnx"))
    onnx.checker.check_model(model, full_check=True)
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and [d.dim_value for d in dims[1:]] == [3, 64, 64]
    meta = json.loads({p.key: p.value for p in model.metadata_props}["docclf"])
    assert meta["classes"] == exported["sidecar"]["classes"]


def test_exports_and_parity_report_are_logged_on_the_source_run(exported):
    import mlflow

    client = mlflow.MlflowClient(tracking_uri=exported["uri"])
    logged = {Path(a.path).name for a in client.list_artifacts(exported["run_id"], "export")}
    assert {"model.onnx", "model_torchscript.pt", "model.json", "parity_report.txt"} <= logged


def test_broken_export_fails_the_check_with_exit_1(exported, monkeypatch, capsys, tmp_path):
    """A file whose logits are off by 0.01 must be refused, removed, and the message says by how much."""
    import onnx
    from onnx import numpy_helper

    import docclf.export as ex

    real = ex.export_onnx

    def broken(model, image_size, path, *args, **kwargs):
        used = real(model, image_size, path, *args, **kwargs)
        proto = onnx.load(str(path))
        last = [n for n in proto.graph.node if n.op_type in ("Gemm", "Conv")][-1]
        bias = next(i for i in proto.graph.initializer if i.name == last.input[2])
        bias.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(bias) + 0.01, bias.name))
        onnx.save(proto, str(path))
        return used

    monkeypatch.setattr(ex, "export_onnx", broken)
    out = tmp_path / "broken"
    capsys.readouterr()
    code = run(["export", "--checkpoint", str(exported["checkpoint"]), "--format", "onnx", "--output-dir", str(out),
                "--data-dir", str(exported["data"]), "--tracking-uri", exported["uri"], *FAST])
    err = capsys.readouterr().err
    assert code == 1 and "max |logit difference| 0.01" in err, err
    assert not (out / "model.onnx").exists()  # nothing broken is left for a server
    side = json.loads((out / "model.json").read_text())
    assert side["files"] == {} and side["parity"]["formats"]["onnx"]["passed"] is False


def test_parity_thresholds():
    from docclf.export import judge

    ok = {"top1_agreement": 1.0, "max_abs_logit_diff": 5e-5, "n_images": 10,
          "accuracy_pytorch": 0.90, "accuracy_export": 0.895}
    assert judge("onnx", ok) is None and judge("int8", ok) is None
    assert "1 of 10 images" in judge("torchscript", {**ok, "top1_agreement": 0.9})
    assert "nan" in judge("onnx", {**ok, "max_abs_logit_diff": float("nan")})
    assert "loses 2.00 points" in judge("int8", {**ok, "accuracy_export": 0.88})


@pytest.mark.parametrize("args, message", [
    ([], "exactly one of --model-uri, --run-id, --checkpoint"),
    (["--model-uri", "doc_classifier"], "model 'doc_classifier' not found: give a checkpoint file"),
    (["--model-uri", "models:/doc_classifier/Staging"], "no version in stage Staging"),
    (["--run-id", "0" * 32], "cannot fetch model_final.pth"),
    (["--checkpoint", "missing.pth"], "model 'missing.pth' not found"),
    (["--model-uri", "runs:/"], "model 'runs:/' is not a run URI"),
])
def test_bad_input_is_one_line_with_exit_2(exported, capsys, args, message):
    capsys.readouterr()
    code = run(["export", *args, "--tracking-uri", exported["uri"], "--output-dir", "out"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and message in err, err
