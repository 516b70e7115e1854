"""Training: tracking, resume after a kill, early stopping, DDP, bad input."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import mlflow
import numpy as np
import pytest
import torch

from conftest import pausing_python, wait_until_stopped
from docclf.cli import run
from docclf.config import build_config
from docclf.train import Trainer, TrainConfig, epochs_within, train

REPO = Path(__file__).resolve().parents[1]


def _tracking_client() -> mlflow.MlflowClient:
    return mlflow.MlflowClient(tracking_uri=os.environ["MLFLOW_TRACKING_URI"])


def _only_run(experiment: str) -> mlflow.entities.Run:
    client = _tracking_client()
    exp = client.get_experiment_by_name(experiment)
    runs = client.search_runs([exp.experiment_id])
    assert len(runs) == 1, f"expected one run in {experiment}, found {len(runs)}"
    return runs[0]


def test_train_cli_tracks_run_and_saves_checkpoints(tiny_dataset, fast_train_args, capsys):
    code = run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "2",
                "--mlflow-experiment", "exp", "--mlflow-run-name", "r1", "--output-dir", "out"])
    assert code == 0
    r = _only_run("exp")
    assert r.info.status == "FINISHED" and r.info.run_name == "r1"
    assert r.data.params["batch_size"] == "8" and r.data.params["timm_model"] == "mobilenetv3_small_100"
    assert r.data.tags["pretrained"] == "false" and "random initialisation" in r.data.tags["pretrained_message"]
    history = _tracking_client().get_metric_history(r.info.run_id, "val_f1")
    assert [m.step for m in history] == [1, 2]
    for name in ("best.pth", "last.pth", "model_final.pth", "history.json", "training_history.png",
                 "confusion_matrix.png"):
        assert (Path("out") / name).is_file(), name
    ckpt = torch.load("out/last.pth", weights_only=True)
    assert ckpt["epoch"] == 2 and ckpt["classes"] == sorted(os.listdir(tiny_dataset / "train"))
    assert ckpt["mlflow_run_id"] == r.info.run_id and ckpt["preprocess"]["image_size"] == 64
    assert "optimizer" in ckpt and ckpt["config"]["lr"] == 2e-3  # --lr auto, from random initialisation
    assert f"run {r.info.run_id}" in capsys.readouterr().out


def test_epochs_within_a_time_budget():
    # 35 min, 200 s gone by the end of epoch 1, 80 s an epoch: one epoch's time kept for the test split and the
    # model, (2100 - 200 - 80) // 80 = 22 more epochs
    assert epochs_within(35 * 60, 200, 80, done=1, requested=30) == 23
    assert epochs_within(35 * 60, 200, 20, done=1, requested=30) == 30  # fast enough: --epochs as asked
    assert epochs_within(0, 10_000, 80, done=1, requested=30) == 30  # 0: no limit
    assert epochs_within(60, 200, 80, done=1, requested=30) == 1  # over budget already: stop after this epoch


def test_a_run_over_its_time_budget_trains_fewer_epochs_and_says_so(tiny_dataset, fast_train_args, caplog):
    # 0.001 min: spent before epoch 1 ends on any machine, so the run stops there, with a finished MLflow run
    code = run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "3", "--time-budget", "0.001",
                "--mlflow-experiment", "budget", "--output-dir", "out", "--no-log-model"])
    assert code == 0
    ckpt = torch.load("out/last.pth", weights_only=True)
    assert ckpt["state"]["epoch"] == 1 and ckpt["state"]["epochs"] == 1  # decided once: a resumed run keeps it
    r = _only_run("budget")
    assert r.info.status == "FINISHED" and r.data.tags["epochs_planned"] == "1"
    assert r.data.params["epochs"] == "3" and r.data.params["time_budget"] == "0.001"
    assert "1 of the 3 epochs fit in --time-budget" in caplog.text


def test_a_run_whose_epochs_slow_down_shortens_its_plan_to_end_within_the_budget(tiny_dataset, fast_train_args,
                                                                                  caplog, monkeypatch):
    # A fake clock (logic, not timing): epoch 1 takes 50 s, the next ones 80 s, the budget is 400 s. From epoch 1
    # alone 1 + (400 - 50 - 50) // 50 = 7 epochs fit, which would end at 530 s; re-planned at the mean pace after
    # each epoch the plan shrinks to 5 (after epoch 2) then 4 (after epoch 3), and the last epoch ends at 290 s.
    import types

    import docclf.train as train_module

    clock = [0.0]
    fake_time = types.SimpleNamespace(**{k: getattr(train_module.time, k) for k in dir(train_module.time)
                                         if not k.startswith("_")})
    fake_time.monotonic = lambda: clock[0]
    monkeypatch.setattr(train_module, "time", fake_time)
    real_epoch = Trainer.train_epoch

    def timed_epoch(self, epoch):
        metrics = real_epoch(self, epoch)
        clock[0] += 50 if epoch == 1 else 80
        return metrics

    monkeypatch.setattr(Trainer, "train_epoch", timed_epoch)
    code = run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "12",
                "--time-budget", str(400 / 60), "--mlflow-experiment", "replan", "--output-dir", "out",
                "--no-log-model"])
    assert code == 0
    state = torch.load("out/last.pth", weights_only=True)["state"]
    assert state["epoch"] == 4 and state["epochs"] == 4 and clock[0] == 290
    assert "7 of the 12 epochs fit" in caplog.text and "training for 4 epochs, not 5" in caplog.text
    assert _only_run("replan").data.tags["epochs_planned"] == "4"


def test_config_file_and_command_line_precedence(tiny_dataset, tmp_path):
    cfg_file = tmp_path / "train.yaml"
    cfg_file.write_text("epochs: 7\nlr: 0.01\nmodel: efficientnet_b0\n")
    from docclf.cli import build_parser
    from docclf.config import config_from_args

    ns = build_parser().parse_args(["train", "--config", str(cfg_file), "--lr", "0.002"])
    cfg = config_from_args(TrainConfig, ns)
    assert (cfg.epochs, cfg.lr, cfg.model, cfg.batch_size) == (7, 0.002, "efficientnet_b0", 32)
    cfg_file.write_text("epoch: 7\n")
    assert run(["train", "--config", str(cfg_file)]) == 2


@pytest.mark.long(35)
def test_sigterm_then_resume_continues_same_run(tiny_dataset, fast_train_args, tmp_path):
    """Kill during training: run KILLED, last epoch kept; --resume auto finishes the same run."""
    metrics_file, log_file = tmp_path / "metrics.jsonl", tmp_path / "killed.log"
    args = [str(REPO / "train.py"), "--data-dir", str(tiny_dataset), *fast_train_args,
            "--epochs", "4", "--mlflow-experiment", "resume", "--output-dir", "out",
            "--metrics-file", str(metrics_file)]
    # SIGTERM at a known point, the start of epoch 2, however fast the epochs are (waiting for epoch 1's metrics
    # line, then sending it, let a fast run finish all 4 epochs first)
    with open(log_file, "w") as log:
        proc = subprocess.Popen([*pausing_python(2), *args], stdout=log, stderr=subprocess.STDOUT)
    wait_until_stopped(proc, log_file)
    proc.send_signal(signal.SIGTERM)  # pending until the process runs again
    proc.send_signal(signal.SIGCONT)
    assert proc.wait(60) == 128 + signal.SIGTERM, log_file.read_text()[-3000:]
    out = log_file.read_text()
    assert "Traceback" not in out and "resume" in out
    killed = _only_run("resume")
    assert killed.info.status == "KILLED"
    assert torch.load("out/last.pth", weights_only=True)["epoch"] == 1
    assert metrics_file.read_text().count("\n") == 1

    resumed = subprocess.run([sys.executable, *args, "--resume", "auto"], capture_output=True, text=True,
                             timeout=180)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    r = _only_run("resume")
    assert r.info.run_id == killed.info.run_id and r.info.status == "FINISHED"
    steps = [m.step for m in _tracking_client().get_metric_history(r.info.run_id, "val_loss")]
    assert sorted(steps) == [1, 2, 3, 4], steps
    history = json.loads(Path("out/history.json").read_text())
    assert [h["epoch"] for h in history] == [1, 2, 3, 4]


def test_early_stopping_keeps_best_epoch(tiny_dataset, monkeypatch):
    """Scripted validation scores: patience 2 stops at epoch 4 and best.pth is epoch 2's."""
    scores = iter([0.5, 0.7, 0.6, 0.65, 0.9, 0.9])
    real_eval = Trainer.evaluate_split

    def scripted(self, split, model=None, collective=True):
        loss, cm = real_eval(self, split, model, collective)
        if split.name == "val":
            return 1.0 - next(scores), cm
        return loss, cm

    monkeypatch.setattr(Trainer, "evaluate_split", scripted)
    # image only and one thread: the stopping rule is the same for every modality (fusion adds OCR and a text
    # model), and two torch threads on 32 px batches crawl when another process holds a core
    cfg = build_config(TrainConfig, cli_values=dict(
        data_dir=str(tiny_dataset), model="mobilenetv3_small", image_size=32, batch_size=8, epochs=6,
        patience=2, monitor="val_loss", pretrained="off", progress=False, output_dir="out", log_model=False,
        modality="image", threads=1))
    result = train(cfg)
    assert result.stopped_early and len(result.history) == 4
    assert result.best_epoch == 2 and result.best_metric == pytest.approx(0.3)
    assert torch.load("out/best.pth", weights_only=True)["epoch"] == 2
    r = _only_run("docclf")
    # summaries are tags (as metrics they would draw one-dot charts); no best_* or epochs_* metric
    assert r.data.tags["best_epoch"] == "2" and r.data.tags["epochs_completed"] == "4"
    assert not {"best_epoch", "best_val_loss", "epochs_completed"} & set(r.data.metrics)


def test_evaluate_command_on_checkpoint_run_and_dataset(tiny_dataset, fast_train_args, capsys):
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "1",
                "--output-dir", "out", "--no-log-model"]) == 0
    capsys.readouterr()
    assert run(["evaluate", "--model", "out/best.pth", "--data-dir", str(tiny_dataset / "test"), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) >= {"accuracy", "macro_f1", "per_class", "confusion_matrix", "classes", "n_images"}
    assert report["n_images"] == 20 and np.asarray(report["confusion_matrix"]).sum() == 20
    assert set(report["per_class"]["letter"]) == {"precision", "recall", "f1", "support"}

    run_id = _only_run("docclf").info.run_id
    assert run(["evaluate", "--model", run_id, "--data-dir", str(tiny_dataset)]) == 0
    text = capsys.readouterr().out
    assert "accuracy" in text and "images 80" in text and "confusion matrix" in text


@pytest.mark.long(30)
@pytest.mark.slow
def test_ddp_two_cpu_processes(tiny_dataset):
    torchrun = Path(sys.executable).with_name("torchrun")
    proc = subprocess.run(
        [str(torchrun), "--standalone", "--nproc_per_node", "2", str(REPO / "train.py"),
         "--data-dir", str(tiny_dataset), "--model", "mobilenetv3_small", "--image-size", "32", "--batch-size", "4",
         "--epochs", "2", "--pretrained", "off", "--no-progress", "--threads", "1", "--output-dir", "out",
         "--mlflow-experiment", "ddp"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    r = _only_run("ddp")  # rank 1 must not create a run of its own
    assert r.data.params["world_size"] == "2" and r.info.status == "FINISHED"
    assert [m.step for m in _tracking_client().get_metric_history(r.info.run_id, "train_loss")] == [1, 2]
    # every val image counted once across the two ranks
    report = json.loads(Path("out/classification_report.json").read_text())
    assert report["n_images"] == 20


# --------------------------------------------------------------------------- bad input


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and err.count("\n") == 0 and "error:" in err, err
    return err


def test_missing_data_dir(capsys, fast_train_args):
    assert run(["train", "--data-dir", "nowhere", *fast_train_args]) == 2
    assert "nowhere does not exist" in _one_line_error(capsys)


@pytest.mark.parametrize("option", ["--mixup", "--cutmix", "--ema-decay", "--reject-above", "--time-budget",
                                    "--image-temperature-floor"])
def test_negative_regularisation_option(option, capsys, fast_train_args):
    assert run(["train", "--data-dir", "nowhere", *fast_train_args, option, "-0.5"]) == 2
    assert f"{option} must be" in _one_line_error(capsys)


def test_empty_class_folder(tiny_dataset, capsys, fast_train_args):
    shutil.rmtree(tiny_dataset / "train" / "letter")
    (tiny_dataset / "train" / "letter").mkdir()
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args]) == 2
    assert "letter has no images" in _one_line_error(capsys)


def test_corrupt_image_skipped_or_stops(tiny_dataset, capsys, fast_train_args):
    bad = tiny_dataset / "train" / "resume" / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--on-bad-image", "stop"]) == 2
    assert "broken.png" in _one_line_error(capsys)
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--epochs", "1",
                "--no-log-model"]) == 0
    assert _only_run("docclf").data.tags["dataset.bad_images"] == "1"


def test_batch_larger_than_split(tiny_dataset, capsys, fast_train_args):
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args, "--batch-size", "500"]) == 2
    assert "larger than the train split" in _one_line_error(capsys)


def test_unknown_model_lists_supported(capsys):
    assert run(["train", "--model", "resnet_9000"]) == 2
    err = _one_line_error(capsys)
    assert "mobilenetv3_large" in err and "efficientnet_b0" in err


def test_unreachable_tracking_server(tiny_dataset, capsys, fast_train_args):
    assert run(["train", "--data-dir", str(tiny_dataset), *fast_train_args,
                "--tracking-uri", "http://127.0.0.1:9"]) == 2
    assert "unreachable" in _one_line_error(capsys)


def test_ema_ships_the_averaged_weights_and_resumes_exactly(tiny_dataset, fast_train_args, tmp_path, monkeypatch):
    """--ema-decay: best.pth holds the averaged weights (what evaluate and serve load) next to the raw ones, and
    a run stopped after epoch 2 and resumed ends with the same weights as one that never stopped."""
    stop = tmp_path / "stop"
    real_epoch = Trainer.train_epoch

    def stop_after_two(self, epoch):
        metrics = real_epoch(self, epoch)
        if epoch == 2 and self.cfg.stop_file:
            stop.touch()
        return metrics

    monkeypatch.setattr(Trainer, "train_epoch", stop_after_two)
    base = ["--data-dir", str(tiny_dataset), *fast_train_args, "--ema-decay", "0.99", "--no-log-model",
            "--epochs", "3"]
    assert run(["train", *base, "--output-dir", str(tmp_path / "straight")]) == 0
    assert run(["train", *base, "--output-dir", str(tmp_path / "split"), "--stop-file", str(stop)]) == 0
    assert torch.load(tmp_path / "split" / "last.pth", weights_only=True)["epoch"] == 2
    stop.unlink()
    assert run(["train", *base, "--resume", str(tmp_path / "split" / "last.pth")]) == 0
    straight = torch.load(tmp_path / "straight" / "last.pth", weights_only=True)
    split = torch.load(tmp_path / "split" / "last.pth", weights_only=True)
    assert straight["epoch"] == split["epoch"] == 3
    floats = [k for k, v in straight["state_dict"].items() if v.is_floating_point()]
    # the shipped weights are the average, not the last step's
    assert any(not torch.equal(straight["state_dict"][k], straight["train_state_dict"][k]) for k in floats)
    for key in ("train_state_dict", "state_dict"):  # the average survives the restart
        for k in floats:
            torch.testing.assert_close(split[key][k], straight[key][k], rtol=1e-4, atol=1e-5, msg=f"{key} {k}")
    final = torch.load(tmp_path / "straight" / "model_final.pth", weights_only=True)
    best = torch.load(tmp_path / "straight" / "best.pth", weights_only=True)
    assert all(torch.equal(final["state_dict"][k], best["state_dict"][k]) for k in floats)
