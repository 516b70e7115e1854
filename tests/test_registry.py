"""The README's registry workflow on a tiny model and a temporary SQLite store.

One model is trained for the module (about 10 s); each test registers it under its own name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import fresh_store, make_tiny_dataset
from docclf.cli import run

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, mlflow_template: Path) -> dict[str, str]:
    """A trained tiny model in its own SQLite store: run id, tracking URI and data dir."""
    root = tmp_path_factory.mktemp("registry")
    data = make_tiny_dataset(root / "data")
    uri = fresh_store(mlflow_template, root / "mlflow.db")
    from docclf.config import build_config
    from docclf.train import TrainConfig, train

    cfg = build_config(TrainConfig, cli_values={
        "data_dir": str(data), "model": "mobilenetv3_small", "image_size": 64, "batch_size": 8, "epochs": 1,
        "modality": "image", "pretrained": "off", "progress": False, "threads": 1, "tracking_uri": uri,
        "mlflow_experiment": "reg",
        "output_dir": str(root / "out"), "cache_dir": str(root / "cache")})
    result = train(cfg)
    return {"run_id": result.run_id, "uri": uri, "data": str(data), "cache": str(root / "cache")}


@pytest.fixture
def registry(store: dict[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    """`registry(*args)` runs `docclf registry` on the module's store; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store["uri"])

    def call(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = run(["registry", *args, "--tracking-uri", store["uri"]])
        out, err = capsys.readouterr()
        return code, out, err

    return call


def _json(registry, *args: str):
    code, out, err = registry(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_seed_workflow_register_stage_validate_promote_load(registry, store):
    name = "doc_classifier"
    v1 = _json(registry, "--action", "register-model", "--run-id", store["run_id"], "--model-name", name)
    assert v1["version"] == "1" and v1["run_id"] == store["run_id"]
    staged = _json(registry, "--action", "transition-stage", "--model-name", name, "--version", "1", "--stage", "Staging")
    assert staged["stage"] == "Staging" and staged["aliases"] == ["staging"]

    report = _json(registry, "--action", "validate", "--model-name", name, "--version", "1", "--data-dir",
                   f"{store['data']}/test", "--latency-runs", "5", "--cache-dir", store["cache"])
    cand = report["candidate"]
    assert cand["n_images"] == 20 and 0 <= cand["accuracy"] <= 1 and set(cand["recall"]) == {
        "invoice", "letter", "presentation", "resume", "scientific_paper"}
    assert cand["speed"]["latency_ms_p95"] >= cand["speed"]["latency_ms_p50"] > 0
    assert cand["speed"]["throughput_b32"] > 0 and report["production"] is None
    tags = _json(registry, "--action", "list-versions", "--model-name", name)[0]["validation"]
    assert float(tags["accuracy"]) == pytest.approx(cand["accuracy"], abs=1e-6)
    assert tags["production_version"] == "none" and tags["report"].endswith(".json")

    promoted = _json(registry, "--action", "promote", "--model-name", name, "--version", "1", "--stage", "Production")
    assert promoted["stage"] == "Production" and promoted["aliases"] == ["production"] and promoted["gate"]["passed"]

    # the two ways a server names Production load the same version
    import mlflow

    mlflow.set_tracking_uri(store["uri"])
    by_stage = mlflow.pytorch.load_model(f"models:/{name}/Production")
    by_alias = mlflow.pytorch.load_model(f"models:/{name}@production")
    assert all((a == b).all() for a, b in zip(by_stage.state_dict().values(), by_alias.state_dict().values()))
    client = mlflow.MlflowClient()
    assert str(client.get_model_version_by_alias(name, "production").version) == "1"

    # a second version: validated against Production v1 on the same data, then promoted; v1 is archived
    _json(registry, "--action", "register-model", "--run-id", store["run_id"], "--model-name", name)
    _json(registry, "--action", "transition-stage", "--model-name", name, "--version", "2", "--stage", "staging")
    report = _json(registry, "--action", "validate", "--model-name", name, "--version", "2", "--data-dir",
                   f"{store['data']}/test", "--latency-runs", "5", "--cache-dir", store["cache"])
    assert report["production"]["version"] == "1"
    assert report["production"]["accuracy"] == report["candidate"]["accuracy"]  # same weights, same data
    code, out, _ = registry("--action", "promote", "--model-name", name, "--version", "2")
    assert code == 0 and "version 1 archived" in out
    versions = {v["version"]: v for v in _json(registry, "--action", "list-versions", "--model-name", name)}
    assert versions["2"]["stage"] == "Production" and versions["2"]["aliases"] == ["production"]
    assert versions["1"]["stage"] == "Archived" and versions["1"]["aliases"] == []
    assert client.get_registered_model(name).aliases == {"production": 2}  # staging went with v2

    history = _json(registry, "--action", "history", "--model-name", name)
    assert [(h["version"], h["to_stage"], h["replaced_version"]) for h in history] == [
        ("1", "Staging", None), ("1", "Production", None), ("2", "Staging", None), ("2", "Production", "1")]
    assert all(h["who"] and h["when"].endswith("Z") for h in history)
    code, out, _ = registry("--action", "history", "--model-name", name)
    assert code == 0 and "replaced" in out.splitlines()[0]


def test_gate_refuses_unvalidated_stale_and_worse_versions(registry, store):
    name = "gate_model"
    for v in ("1", "2"):
        _json(registry, "--action", "register-model", "--run-id", store["run_id"], "--model-name", name)
    validate = ["--action", "validate", "--model-name", name, "--data-dir", f"{store['data']}/test",
                "--latency-runs", "3", "--cache-dir", store["cache"]]

    code, _, err = registry("--action", "promote", "--model-name", name, "--version", "1")
    assert code == 1 and "has not been validated" in err and len(err.strip().splitlines()) == 1
    _json(registry, *validate, "--version", "2")  # compared with nothing: no Production yet
    _json(registry, *validate, "--version", "1")
    _json(registry, "--action", "promote", "--model-name", name, "--version", "1")

    code, _, err = registry("--action", "promote", "--model-name", name, "--version", "2")
    assert code == 1 and "Production is now version 1; validate again" in err

    _json(registry, *validate, "--version", "2")
    # identical weights: a negative tolerance demands an improvement, so the gate must refuse and say by how much
    code, _, err = registry("--action", "promote", "--model-name", name, "--version", "2", "--tolerance", "-1")
    assert code == 1 and "+0.00 points" in err and "tolerance -1.0" in err and "--force" in err
    assert _json(registry, "--action", "list-versions", "--model-name", name)[1]["stage"] == "Production"

    forced = _json(registry, "--action", "promote", "--model-name", name, "--version", "2", "--tolerance", "-1",
                   "--force")
    assert forced["stage"] == "Production" and forced["forced"] is True
    assert "(forced)" in _json(registry, "--action", "history", "--model-name", name)[-1]["note"]


def test_aliases_follow_stages(registry, store):
    name = "alias_model"
    for _ in range(2):
        _json(registry, "--action", "register-model", "--run-id", store["run_id"], "--model-name", name)
    # setting the production alias by hand moves the stage too, so the two never disagree
    moved = _json(registry, "--action", "set-alias", "--model-name", name, "--alias", "production", "--version", "1")
    assert moved["stage"] == "Production" and moved["aliases"] == ["production"]
    custom = _json(registry, "--action", "set-alias", "--model-name", name, "--alias", "canary", "--version", "latest")
    assert custom["version"] == "2" and custom["aliases"] == ["canary"] and custom["stage"] == "None"
    code, _, err = registry("--action", "delete-alias", "--model-name", name, "--alias", "production")
    assert code == 2 and "transition-stage" in err
    assert _json(registry, "--action", "delete-alias", "--model-name", name, "--alias", "canary")["deleted_alias"] == "canary"
    archived = _json(registry, "--action", "transition-stage", "--model-name", name, "--version", "1", "--stage", "Archived")
    assert archived["stage"] == "Archived" and archived["aliases"] == []


def test_runs_listing_best_and_compare(registry, store):
    assert "reg" in [e["name"] for e in _json(registry, "--action", "list-experiments")]
    runs = _json(registry, "--action", "list-runs", "--experiment", "reg", "--order-by", "val_f1")
    assert [r["run_id"] for r in runs] == [store["run_id"]] and "val_accuracy" in runs[0]["metrics"]
    best = _json(registry, "--action", "best-run", "--experiment", "reg", "--metric", "val_accuracy", "--register",
                 "--model-name", "best_model")
    assert best["run_id"] == store["run_id"] and best["registered"]["version"] == "1"
    cmp = _json(registry, "--action", "compare-runs", "--run-ids", store["run_id"], store["run_id"])
    assert cmp["params"]["model"] == ["mobilenetv3_small", "mobilenetv3_small"] and cmp["differs"] == []
    code, out, _ = registry("--action", "list-runs", "--experiment", "reg")
    assert code == 0 and out.splitlines()[0].split()[:2] == ["run", "name"]


@pytest.mark.parametrize("args, message", [
    (["--action", "register-model", "--run-id", "0" * 32], "run 00000000000000000000000000000000 not found"),
    (["--action", "list-versions", "--model-name", "no_such_model"], "registered model 'no_such_model' not found"),
    (["--action", "transition-stage", "--model-name", "err_model", "--version", "9", "--stage", "Staging"],
     "has no version '9'"),
    (["--action", "transition-stage", "--model-name", "err_model", "--version", "1", "--stage", "Prod"],
     "unknown stage 'Prod'"),
    (["--action", "validate", "--model-name", "err_model", "--version", "1"], "needs --data-dir"),
    (["--action", "list-runs", "--experiment", "nope"], "experiment 'nope' not found"),
])
def test_errors_are_one_line_with_exit_code_2(registry, store, args, message):
    registry("--action", "register-model", "--run-id", store["run_id"], "--model-name", "err_model")
    code, out, err = registry(*args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_seed_script_runs_as_written(registry, store, tmp_path):
    """`python mlflow_utils.py --action transition-stage ...` as the seed types it; no deprecation noise."""
    _json(registry, "--action", "register-model", "--run-id", store["run_id"], "--model-name", "script_model")
    cmd = [sys.executable, str(ROOT / "mlflow_utils.py"), "--action", "transition-stage", "--model-name",
           "script_model", "--version", "1", "--stage", "Staging"]
    env = {**os.environ, "MLFLOW_TRACKING_URI": store["uri"]}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("script_model version 1: stage Staging, aliases staging")
    assert "FutureWarning" not in proc.stderr and "deprecated" not in proc.stderr
