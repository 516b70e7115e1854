"""Team mode, for real: MLflow server on PostgreSQL with artifacts in S3, started by the tests."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from services import MlflowServer, free_port, postgres_cluster, s3_objects, s3_server
from conftest import make_tiny_dataset, pausing_python, wait_until_stopped
from docclf.cli import run

pytestmark = pytest.mark.services
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """(PostgreSQL URL, S3 endpoint, running MlflowServer, tiny dataset) shared by the module."""
    with postgres_cluster() as pg, s3_server() as s3:
        server = MlflowServer(pg, s3).start()
        data = make_tiny_dataset(tmp_path_factory.mktemp("svc") / "data")
        try:
            yield pg, s3, server, data
        finally:
            server.stop()


@pytest.fixture
def server_env(stack, monkeypatch):
    pg, s3, server, data = stack
    for k, v in server.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)
    return stack


def _pg_rows(pg_url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(pg_url) as conn:
        return conn.execute(sql).fetchall()


def _train_cmd(data: Path, *extra: str) -> list[str]:
    # image only: these two tests are about where runs land, and fusion would first read every tiny page by
    # OCR and fit a text model (the team workflow below trains and serves fusion models through the server)
    return [sys.executable, str(REPO / "train.py"), "--data-dir", str(data), "--model", "mobilenetv3_small",
            "--modality", "image", "--image-size", "32", "--batch-size", "8", "--pretrained", "off", "--no-progress",
            "--threads", "1", *extra]


@pytest.mark.long(20)
def test_training_run_lands_in_postgres_and_s3(server_env):
    pg, s3, server, data = server_env
    proc = subprocess.run(_train_cmd(data, "--epochs", "2", "--mlflow-experiment", "team",
                                     "--output-dir", "out"), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    run_id = torch.load("out/last.pth", weights_only=True)["mlflow_run_id"]
    rows = _pg_rows(pg, f"SELECT status FROM runs WHERE run_uuid = '{run_id}'")
    assert rows == [("FINISHED",)]
    steps = _pg_rows(pg, f"SELECT step FROM metrics WHERE run_uuid = '{run_id}' AND key = 'val_f1' ORDER BY step")
    assert [s for (s,) in steps] == [1, 2]
    keys = s3_objects(s3)
    assert any(k.endswith(f"{run_id}/artifacts/model_final.pth") for k in keys), keys
    assert any(k.endswith("MLmodel") for k in keys), "the logged pytorch_model is stored in the bucket"
    assert not Path("mlruns").exists() and not Path("mlartifacts").exists()  # nothing fell back to disk


@pytest.mark.long(40)
def test_tracking_server_outage_mid_run_does_not_stop_training(server_env, tmp_path):
    """Stop the server after epoch 1; training goes on, buffers metrics, and sends them when it is back."""
    pg, s3, server, data = server_env
    log_file = tmp_path / "train.log"
    # the training stops itself as epochs 2 and 4 begin, and stays stopped while the server stops and starts,
    # so that the outage covers exactly epochs 2 and 3 however fast this machine trains
    with open(log_file, "w") as log:
        proc = subprocess.Popen([*pausing_python(2, 4), *_train_cmd(data, "--epochs", "6", "--mlflow-experiment",
                                                                    "outage", "--output-dir", "out")[1:]],
                                stdout=log, stderr=subprocess.STDOUT)
    wait_until_stopped(proc, log_file)
    server.stop()
    proc.send_signal(signal.SIGCONT)
    wait_until_stopped(proc, log_file)
    server.start()
    proc.send_signal(signal.SIGCONT)
    assert proc.wait(300) == 0, log_file.read_text()[-3000:]
    out = log_file.read_text()
    assert "buffered" in out and "Traceback" not in out
    run_id = torch.load("out/last.pth", weights_only=True)["mlflow_run_id"]
    steps = _pg_rows(pg, f"SELECT step FROM metrics WHERE run_uuid = '{run_id}' AND key = 'val_loss' ORDER BY step")
    assert [s for (s,) in steps] == [1, 2, 3, 4, 5, 6]
    assert _pg_rows(pg, f"SELECT status FROM runs WHERE run_uuid = '{run_id}'") == [("FINISHED",)]


@pytest.mark.long(120)
def test_team_workflow_search_registry_export_and_api_on_the_server(server_env, tmp_path, capsys):
    """Two tuning workers share a PostgreSQL study; the best model is registered, validated, promoted,
    exported and served from the tracking server; every row and object is where it should be."""
    import optuna

    pg, s3, server, data = server_env
    optuna_url = pg.rsplit("/", 1)[0] + "/optuna"
    tune = [str(REPO / "tune_hyperparameters.py"), "--search-strategy", "grid", "--epochs", "1",
            "--data-dir", str(data), "--models", "mobilenetv3_small", "--batch-sizes", "8",
            "--lrs", "0.001", "0.003", "--image-sizes", "32", "48", "--storage", optuna_url,
            "--study-name", "team", "--mlflow-experiment", "team-tuning", "--threads", "1"]
    workers = [subprocess.Popen([sys.executable, *tune, "--output", f"w{i}.json", "--", "--pretrained", "off"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for i in range(2)]
    outs = [w.communicate(timeout=600)[0] for w in workers]
    assert all(w.returncode == 0 for w in workers), "\n".join(o[-2000:] for o in outs)
    trials = optuna.load_study(study_name="team", storage=optuna_url).get_trials(deepcopy=False)
    done = [t for t in trials if t.state == optuna.trial.TrialState.COMPLETE]
    combos = [tuple(sorted(t.params.items())) for t in done]
    assert len(done) == 4 and len(set(combos)) == 4, combos  # the grid, split, none twice
    # each worker waited for the other's trials before reporting the whole study
    assert all(json.loads(Path(f"w{i}.json").read_text())["counts"] == {"COMPLETE": 4} for i in range(2))

    # `python mlflow_utils.py ARGS` and `python export_model.py ARGS` are `docclf registry|export ARGS`: run
    # here, they skip five interpreter start-ups (the scripts as processes: test_seed_commands, test_registry)
    def docclf(*argv: str) -> str:
        capsys.readouterr()
        code = run(list(argv))
        out, err = capsys.readouterr()
        assert code == 0, f"docclf {' '.join(argv[:3])} failed:\n{out[-3000:]}\n{err[-3000:]}"
        return out

    best = json.loads(docclf("registry", "--action", "best-run", "--experiment", "team-tuning",
                             "--metric", "val_accuracy", "--json"))
    utils = ["registry", "--model-name", "doc_classifier"]
    docclf(*utils, "--action", "register-model", "--run-id", best["run_id"])
    docclf(*utils, "--action", "transition-stage", "--version", "1", "--stage", "Staging")
    docclf(*utils, "--action", "validate", "--version", "1", "--data-dir", str(data / "test"))
    docclf(*utils, "--action", "promote", "--version", "1", "--stage", "Production")
    docclf("export", "--model-uri", "models:/doc_classifier/Production", "--format", "onnx",
           "--output-dir", str(tmp_path / "exports"), "--data-dir", str(data))

    versions = _pg_rows(pg, "SELECT name, version, current_stage FROM model_versions")
    assert versions == [("doc_classifier", 1, "Production")]
    aliases = _pg_rows(pg, "SELECT alias, version FROM registered_model_aliases")
    assert ("production", 1) in aliases
    keys = s3_objects(s3)
    assert any(k.endswith("export/model.onnx") for k in keys) and any("validation/" in k for k in keys)

    port = free_port()
    api = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--model-uri", "models:/doc_classifier/Production",
                            "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        import requests

        deadline = time.time() + 240
        while True:
            assert api.poll() is None, api.communicate()[0][-3000:]
            try:
                if requests.get(f"http://127.0.0.1:{port}/ready", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.time() < deadline, "API not ready"
            time.sleep(0.5)
        page = next((data / "test" / "letter").iterdir())
        answer = requests.post(f"http://127.0.0.1:{port}/predict", files={"file": page.open("rb")}, timeout=60).json()
        assert answer["model"]["name"] == "doc_classifier" and str(answer["model"]["version"]) == "1"
        assert abs(sum(answer["probabilities"].values()) - 1) < 1e-3
    finally:
        api.terminate()
        api.wait(timeout=30)
