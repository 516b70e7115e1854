"""The seed's smoke test: train two epochs on a tiny generated set and check what MLflow holds.

    python test_mlflow_integration.py          # about a minute on 2 CPU cores

Uses a temporary SQLite store and cache, never your mlflow.db. Exits 0 when every check passes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

EPOCH_METRICS = ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "val_f1", "learning_rate",
                 "epoch_seconds", "images_per_second"]
FINAL_METRICS = ["test_accuracy", "test_f1"]
PARAMS = ["data_dir", "model", "timm_model", "epochs", "batch_size", "lr", "image_size", "weight_decay",
          "label_smoothing", "pretrained", "amp_dtype", "channels_last", "seed", "train_images"]
TAGS = ["dataset.path", "dataset.json_sha256", "dataset.classes", "git_commit", "version.torch",
        "version.timm", "version.mlflow", "device", "pretrained"]
ARTIFACTS = ["model_final.pth", "config.json", "history.json", "training_history.png", "confusion_matrix.png",
             "classification_report.json"]


def check(condition: bool, what: str, failures: list[str]) -> None:
    print(("  ok    " if condition else "  FAIL  ") + what)
    if not condition:
        failures.append(what)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="docclf-smoke-") as tmp:
        tmp_path = Path(tmp)
        uri = f"sqlite:///{tmp_path}/mlflow.db"
        os.environ["DOCCLF_CACHE_DIR"] = str(tmp_path / "cache")
        return run_checks(tmp_path, uri)


def run_checks(tmp: Path, uri: str) -> int:
    import mlflow
    import numpy as np
    import torch

    from docclf.config import GenerateConfig, build_config
    from docclf.synth import generate_dataset
    from docclf.train import TrainConfig, train

    data = tmp / "data"
    print("generating a tiny dataset ...")
    generate_dataset(build_config(GenerateConfig, cli_values=dict(
        output_dir=str(data), num_per_class=10, max_size=400, min_size=224, workers=1, seed=7)), progress=False)
    print("training 2 epochs ...")
    cfg = build_config(TrainConfig, cli_values=dict(
        data_dir=str(data), model="mobilenetv3_small", epochs=2, batch_size=8, image_size=64, pretrained="off",
        mlflow_experiment="smoke_test", mlflow_run_name="smoke", tracking_uri=uri, output_dir=str(tmp / "out"),
        progress=False))
    result = train(cfg)

    failures: list[str] = []
    client = mlflow.MlflowClient(tracking_uri=uri)
    run = client.get_run(result.run_id)
    print(f"checking run {run.info.run_id} ...")
    check(run.info.status == "FINISHED", f"run status FINISHED (got {run.info.status})", failures)
    check(run.info.run_name == "smoke", "run name as given", failures)
    for p in PARAMS:
        check(p in run.data.params, f"param {p} = {run.data.params.get(p)}", failures)
    for m in EPOCH_METRICS:
        steps = [h.step for h in client.get_metric_history(run.info.run_id, m)]
        check(steps == [1, 2], f"metric {m} logged at epochs {steps}", failures)
    for m in FINAL_METRICS:
        check(m in run.data.metrics, f"final metric {m} = {run.data.metrics.get(m)}", failures)
    check("best_epoch" in run.data.tags, f"tag best_epoch = {run.data.tags.get('best_epoch')}", failures)
    for t in TAGS:
        check(t in run.data.tags, f"tag {t} = {run.data.tags.get(t, '')[:40]}", failures)
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    for a in ARTIFACTS:
        check(a in names, f"artifact {a}", failures)
    # MLflow 3 keeps logged models beside the run's artifacts, linked by source_run_id
    logged = mlflow.search_logged_models(experiment_ids=[run.info.experiment_id], output_format="list",
                                         filter_string=f"source_run_id = '{run.info.run_id}'")
    check([m.name for m in logged] == ["pytorch_model"], "logged model pytorch_model linked to the run", failures)

    model = mlflow.pytorch.load_model(f"runs:/{run.info.run_id}/pytorch_model")
    batch = torch.from_numpy(np.random.default_rng(0).random((3, 3, 64, 64), dtype=np.float32))
    with torch.inference_mode():
        logits = model(batch)
    n_classes = len(run.data.tags["dataset.classes"].split(","))  # the five, plus 'other' when generated
    check(tuple(logits.shape) == (3, n_classes), f"logged model predicts a batch: logits {tuple(logits.shape)}",
          failures)
    print("PASSED" if not failures else f"FAILED: {len(failures)} check(s)")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
