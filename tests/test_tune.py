"""Hyperparameter search: the plan, the ranking, and real searches on tiny data.

A trial is a `docclf train` process (~10 s here, mostly imports), so the searches below are
as small as the behaviour they check allows.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import mlflow
import optuna
import pytest
from optuna.trial import TrialState, create_trial

from docclf.cli import run
from docclf.config import build_config
from docclf.errors import UsageError
from docclf.tune import TuneConfig, describe_plan, make_plan, run_search
from docclf.tune.results import ranked_rows
from docclf.tune.trials import Search, TrialWatch, _terminate, read_new_epochs

REPO = Path(__file__).resolve().parents[1]
# Tiny trials: one small model at 32 px; everything the tuner does not set goes after `--`.
TRAIN_ARGS = ["--modality", "image", "--pretrained", "off", "--no-log-model"]
SMALL = {"models": ["mobilenetv3_small"], "batch_sizes": [8], "image_sizes": [32], "lrs": [1e-3],
         "epochs": 1, "heartbeat_interval": 1, "grace_period": 5, "storage": "sqlite:///optuna.db",
         "mlflow_experiment": "tune-test", "threads": 1, "train_args": TRAIN_ARGS}


def tune_config(data_dir: Path, **overrides: Any) -> TuneConfig:
    return build_config(TuneConfig, None, {**SMALL, "data_dir": str(data_dir), **overrides})


def cli_args(data_dir: Path, **overrides: Any) -> list[str]:
    """The same search as a command line (for tuners run as processes)."""
    values = {**SMALL, "data_dir": str(data_dir), **overrides}
    args = []
    for key, value in values.items():
        if key == "train_args":
            continue
        args += ["--" + key.replace("_", "-"), *map(str, value if isinstance(value, list) else [value])]
    return [*args, "--", *values["train_args"]]


def start_tuner(args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "w") as out:
        # SIGINT as at a terminal, even when pytest itself runs as a background job (SIGINT ignored)
        return subprocess.Popen([sys.executable, str(REPO / "tune_hyperparameters.py"), *args], stdout=out,
                                stderr=subprocess.STDOUT,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def load_trials(study: str, storage: str = "sqlite:///optuna.db") -> list[optuna.trial.FrozenTrial]:
    return optuna.load_study(study_name=study, storage=storage).get_trials(deepcopy=False)


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except (KeyError, FileNotFoundError, optuna.exceptions.OptunaError):  # the study or file is not there yet
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def trial_processes(*markers: str) -> list[int]:
    """Pids of live processes whose command line mentions every marker: a trial's folder name and this test's
    data folder (under `make test` another worker's search runs a "trial-0001" of its own at the same time)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                state = (proc / "stat").read_text().split(")")[-1].split()[0]
            except OSError:
                continue
            if all(m in cmd for m in markers) and state != "Z":
                pids.append(int(proc.name))
    return pids


def client() -> mlflow.MlflowClient:
    return mlflow.MlflowClient(tracking_uri=os.environ["MLFLOW_TRACKING_URI"])


def children_of(parent_id: str, experiment: str = "tune-test") -> list[mlflow.entities.Run]:
    exp = client().get_experiment_by_name(experiment)
    return client().search_runs([exp.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'")


def key(params: dict[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)


# --------------------------------------------------------------------------- the plan (no training)


def test_grid_dry_run_lists_the_seeds_54_combinations(capsys):
    assert run(["tune", "--search-strategy", "grid", "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    combos = [line for line in lines if line.strip()[:1].isdigit() and "model=" in line]
    assert len(combos) == 54
    assert combos[0].split()[1:] == ["model=mobilenetv3_large", "batch_size=32", "lr=0.0001", "image_size=224"]
    assert combos[1].split()[-1] == "image_size=256"  # the seed's trial 2
    assert combos[-1].split()[1:] == ["model=efficientnet_b0", "batch_size=128", "lr=0.001", "image_size=256"]
    assert len({c.split(None, 1)[1] for c in combos}) == 54
    assert any(line.startswith("54 combinations") for line in lines)


def test_the_tuner_process_does_not_load_torch(tiny_dataset):
    """Trials are processes of their own: the tuner checks the dataset, counts GPUs and logs the dataset's files
    without importing torch, which took seconds of every search's start (and every test's)."""
    code = ("import sys; from docclf.tune import run_search; from docclf.tune.trials import _gpu_ids; "
            "from docclf.tracking import log_datasets; from docclf.folders import find_classes, scan_split; "
            f"c = find_classes({str(tiny_dataset)!r}); scan_split({str(tiny_dataset)!r}, 'val', c); _gpu_ids('auto'); "
            f"log_datasets(type('Client', (), {{'log_inputs': lambda *a, **k: None}})(), 'r', {str(tiny_dataset)!r}); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'torchvision', 'timm')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_seed_script_dry_run():
    out = subprocess.run([sys.executable, str(REPO / "tune_hyperparameters.py"), "--search-strategy", "grid",
                          "--dry-run", "--lrs", "1e-4", "1e-3", "--models", "efficientnet_b0"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "12 combinations (1 model x 3 batch_size x 2 lr x 2 image_size)" in out.stdout


def test_space_file_ranges_for_random_and_refused_for_grid(tmp_path, capsys):
    space = tmp_path / "space.yaml"
    space.write_text("lr: {low: 1e-5, high: 1e-2, log: true}\nbatch_size: [16, 32]\nweight_decay: ['0.01', 0.05]\n")
    plan = make_plan(build_config(TuneConfig, None, {"search_strategy": "tpe", "space": str(space), "n_trials": 7}))
    assert plan.space == {"lr": {"low": 1e-5, "high": 1e-2, "log": True}, "batch_size": [16, 32],
                          "weight_decay": [0.01, 0.05]}  # typed from the training options
    assert plan.n_trials == 7 and plan.combinations == []
    with pytest.raises(UsageError, match="grid search needs a list of values for lr"):
        make_plan(build_config(TuneConfig, None, {"search_strategy": "grid", "space": str(space)}))


@pytest.mark.parametrize("overrides, message", [
    ({"models": ["mobilenet_v9"]}, "unknown model 'mobilenet_v9'"),
    ({"lrs": [0.0]}, "--lr must be positive"),
    ({"train_args": ["--epochs", "3"]}, "'epochs' is set by the tuner for every trial; set it with --epochs"),
    ({"train_args": ["--lr", "0.1"]}, "lr is both searched and fixed"),
    ({"train_args": ["--no-such-option", "1"]}, "unknown training options after --: --no-such-option"),
    ({"grace_period": 5, "heartbeat_interval": 10}, "--grace-period (5) must exceed"),
])
def test_bad_options_fail_before_any_trial(overrides, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make_plan(build_config(TuneConfig, None, overrides))


def test_n_trials_caps_the_grid():
    cfg = build_config(TuneConfig, None, {"n_trials": 5})
    plan = make_plan(cfg)
    assert plan.n_trials == 5 and len(plan.combinations) == 54
    assert "--n-trials runs the first 5" in describe_plan(cfg, plan)


def test_ranking_puts_complete_trials_first_by_direction():
    def trial(number, state, value=None, best=None):
        t = create_trial(state=state, value=value if state == TrialState.COMPLETE else None,
                         params={"lr": 0.1 * (number + 1)},
                         distributions={"lr": optuna.distributions.FloatDistribution(0.01, 10)},
                         user_attrs={"best_value": best if best is not None else value})
        t.number = number
        return t

    trials = [trial(0, TrialState.FAIL), trial(1, TrialState.COMPLETE, 0.5), trial(2, TrialState.PRUNED, best=0.9),
              trial(3, TrialState.COMPLETE, 0.8), trial(4, TrialState.WAITING), trial(5, TrialState.COMPLETE, 0.6)]
    assert [(r["number"], r["state"]) for r in ranked_rows(trials, "maximize")] == [
        (3, "COMPLETE"), (5, "COMPLETE"), (1, "COMPLETE"), (2, "PRUNED"), (0, "FAIL"), (4, "WAITING")]
    assert [r["number"] for r in ranked_rows(trials, "minimize")][:3] == [1, 5, 3]
    assert [r["rank"] for r in ranked_rows(trials, "maximize")] == [1, 2, 3, 4, 5, 6]


def test_metrics_file_is_read_incrementally_and_a_half_line_waits(tmp_path):
    path, watch = tmp_path / "m.jsonl", TrialWatch()
    assert read_new_epochs(path, watch) == []  # not written yet
    path.write_text('{"epoch": 1, "val_accuracy": 0.5}\n{"epoch": 2, "val_acc')
    assert [e["epoch"] for e in read_new_epochs(path, watch)] == [1]
    with open(path, "a") as fh:
        fh.write('uracy": 0.75}\n')
    assert read_new_epochs(path, watch) == [{"epoch": 2, "val_accuracy": 0.75}]
    assert len(watch.epochs) == 2


def test_a_repeated_draw_reuses_the_finished_result():
    cfg = build_config(TuneConfig, None, {**SMALL, "search_strategy": "random", "n_trials": 2})
    plan = make_plan(cfg)  # a one-point space: every draw is the same combination
    study = optuna.create_study(direction="maximize")
    params = {"model": "mobilenetv3_small", "batch_size": 8, "lr": 1e-3, "image_size": 32}
    study.add_trial(create_trial(value=0.7, params=params, distributions=plan.distributions(),
                                 user_attrs={"run_id": "run-0", "metrics": {"test_accuracy": 0.6}}))
    search = Search(cfg, plan, study, storage=None, lock=None, parent=None)
    assert search._repeats_finished_trial(study.ask(plan.distributions()))
    again = study.trials[1]
    assert again.state == TrialState.COMPLETE and again.value == 0.7
    assert again.user_attrs["duplicate_of"] == 0 and again.user_attrs["epochs_run"] == 0
    assert again.user_attrs["run_id"] == "run-0"


# a training that forked a helper which outlives it by a moment (it ignores SIGTERM for 1.5 s)
_STRAGGLER = """
import os, signal, sys, time
if os.fork() == 0:
    signal.signal(signal.SIGTERM, lambda *_: None)
    time.sleep(1.5)
    os._exit(0)
time.sleep(120)
"""


def test_a_stopped_trial_leaves_none_of_its_processes_running():
    proc = subprocess.Popen([sys.executable, "-c", _STRAGGLER, "straggler-marker"], start_new_session=True)
    wait_for(lambda: len(trial_processes("straggler-marker")) == 2, 30, "the training and its helper")
    _terminate(proc, threading.Event())
    assert proc.returncode == -signal.SIGTERM
    assert not trial_processes("straggler-marker")


# --------------------------------------------------------------------------- real searches


@pytest.mark.long(50)
@pytest.mark.slow
def test_grid_runs_every_combination_once_ranked_in_json_and_mlflow(tiny_dataset, capsys):
    cfg = tune_config(tiny_dataset, lrs=[1e-3, 3e-3], batch_sizes=[4, 8], n_jobs=2, output="results.json")
    assert run(["tune", *cli_args(tiny_dataset, lrs=[1e-3, 3e-3], batch_sizes=[4, 8], n_jobs=2,
                                  output="results.json")]) == 0
    printed = capsys.readouterr().out
    report = json.loads(Path("results.json").read_text())

    trials = report["trials"]
    assert report["study"] == cfg.resolved_study_name and report["metric"] == "val_accuracy"
    assert [t["state"] for t in trials] == ["COMPLETE"] * 4
    assert sorted(key(t["params"]) for t in trials) == sorted(
        key({"model": "mobilenetv3_small", "batch_size": b, "lr": lr, "image_size": 32})
        for b in (4, 8) for lr in (1e-3, 3e-3))
    values = [t["value"] for t in trials]
    assert values == sorted(values, reverse=True) and [t["rank"] for t in trials] == [1, 2, 3, 4]
    assert report["best"]["number"] == trials[0]["number"]
    assert all(t["run_id"] and "test_accuracy" in t["metrics"] and t["epochs_run"] == 1 for t in trials)
    assert "rank  trial  state" in printed and trials[0]["run_id"] in printed
    # finished trials keep model_final.pth, not the optimiser-laden best.pth / last.pth
    for t in trials:
        kept = {p.name for p in Path(t["output_dir"]).glob("*.pth")}
        assert kept == {"model_final.pth"}, kept

    # MLflow: one parent run, the four trials as its children, tagged with number and state
    parent_id = report["mlflow"]["parent_run_id"]
    parent = client().get_run(parent_id)
    assert "mlflow.parentRunId" not in parent.data.tags and parent.info.status == "FINISHED"
    assert json.loads(parent.data.params["space.lr"]) == [1e-3, 3e-3]
    assert parent.data.tags["best.trial_number"] == str(report["best"]["number"])
    assert parent.data.metrics["best_val_accuracy"] == pytest.approx(report["best"]["value"])
    artifacts = {a.path for a in client().list_artifacts(parent_id)}
    assert {"ranked_trials.csv", "ranked_trials.md", "metric_per_trial.png", "search_space.json"} <= artifacts
    children = children_of(parent_id)
    assert sorted(int(r.data.tags["optuna.trial_number"]) for r in children) == [0, 1, 2, 3]
    assert {r.data.tags["optuna.state"] for r in children} == {"COMPLETE"}
    by_number = {int(r.data.tags["optuna.trial_number"]): r for r in children}
    for t in trials:
        assert by_number[t["number"]].info.run_id == t["run_id"]
        assert float(by_number[t["number"]].data.params["lr"]) == t["params"]["lr"]


@pytest.mark.long(60)
@pytest.mark.slow
def test_random_search_draws_n_trials_from_a_range(tiny_dataset, tmp_path):
    space = tmp_path / "space.yaml"
    space.write_text("model: [mobilenetv3_small]\nbatch_size: [8]\nimage_size: [32]\n"
                     "lr: {low: 1.0e-4, high: 1.0e-2, log: true}\n")
    result = run_search(tune_config(tiny_dataset, search_strategy="random", n_trials=3, space=str(space), seed=3))
    trials = result.report["trials"]
    assert [t["state"] for t in trials] == ["COMPLETE"] * 3
    lrs = [t["params"]["lr"] for t in trials]
    assert all(1e-4 <= lr <= 1e-2 for lr in lrs) and len(set(lrs)) == 3
    assert len(load_trials("tune-test-random")) == 3  # the cap is the study's, not one more


@pytest.mark.long(40)
@pytest.mark.slow
def test_unpromising_trial_is_pruned_in_optuna_and_mlflow(tiny_dataset):
    # lr 10 diverges at once: its val_loss after epoch 1 is far above the first trial's.
    result = run_search(tune_config(tiny_dataset, lrs=[1e-3, 10.0], epochs=6, metric="val_loss", pruner="median",
                                    pruner_startup_trials=1, pruner_warmup_epochs=0))
    first, second = sorted(result.report["trials"], key=lambda t: t["number"])
    assert first["state"] == "COMPLETE" and first["epochs_run"] == 6
    assert second["state"] == "PRUNED" and second["params"]["lr"] == 10.0 and second["pruned_at_epoch"] == 1
    # the stop file ends training after the epoch in progress (sub-second epochs here: allow a few)
    assert second["epochs_run"] < 6
    assert load_trials("tune-test-grid")[1].state == TrialState.PRUNED
    tags = client().get_run(second["run_id"]).data.tags
    assert tags["optuna.state"] == "PRUNED" and tags["stopped_by"] == "stop_file"
    assert tags["optuna.pruned_at_epoch"] == "1"


@pytest.mark.long(30)
@pytest.mark.slow
def test_failing_trial_is_recorded_and_the_search_goes_on(tiny_dataset):
    result = run_search(tune_config(tiny_dataset, batch_sizes=[1000, 8]))  # 1000 > the 40 training images
    by_number = {t["number"]: t for t in result.report["trials"]}
    failed, ok = by_number[0], by_number[1]
    assert failed["state"] == "FAIL" and "larger than the train split" in failed["error"]
    assert ok["state"] == "COMPLETE" and result.report["best"]["number"] == 1
    run_info = client().get_run(failed["run_id"])  # a child run shows the failure in the UI
    assert run_info.info.status == "FAILED" and run_info.data.tags["optuna.state"] == "FAIL"
    assert run_info.data.tags["mlflow.parentRunId"] == result.report["mlflow"]["parent_run_id"]
    assert "larger than the train split" in run_info.data.tags["optuna.error"]


@pytest.mark.long(70)
@pytest.mark.slow
def test_interrupted_then_killed_tuner_resumes_without_rerunning_finished_trials(tiny_dataset, tmp_path):
    study, lrs = "tune-test-grid", [1e-3, 2e-3, 3e-3]
    args = cli_args(tiny_dataset, lrs=lrs, epochs=2)

    def running() -> list[int]:
        return [t.number for t in load_trials(study) if t.state == TrialState.RUNNING]

    # 1. Ctrl-C while trial #1 runs: it is stopped, failed and re-queued; #0 stays complete.
    tuner = start_tuner(args, tmp_path / "run1.log")
    wait_for(lambda: running() == [1] and Path("outputs/tuning", study, "trial-0001", "train.log").stat().st_size,
             300, "trial #1 to run")  # generous: trial processes start slowly on a loaded machine
    tuner.send_signal(signal.SIGINT)
    assert tuner.wait(90) == 130, (tmp_path / "run1.log").read_text()[-3000:]
    trials = load_trials(study)
    assert trials[0].state == TrialState.COMPLETE and trials[1].state == TrialState.FAIL
    assert "interrupted" in trials[1].user_attrs["error"]
    retry = [t for t in trials if t.system_attrs.get("failed_trial") == 1]
    assert len(retry) == 1 and retry[0].state == TrialState.WAITING and retry[0].params == trials[1].params
    assert not trial_processes("trial-0001", str(tiny_dataset))

    # 2. A second tuner is killed outright while it re-runs that trial: its training dies with it.
    tuner = start_tuner(args, tmp_path / "run2.log")
    wait_for(lambda: running() == [retry[0].number], 300, "the re-queued trial to run")
    tuner.kill()
    tuner.wait(30)
    wait_for(lambda: not trial_processes(f"trial-{retry[0].number:04d}", str(tiny_dataset)), 30,
             "the orphaned training to end")

    # 3. The same command again: the dead worker's trial goes stale and is re-run; #0 is not.
    result = run_search(tune_config(tiny_dataset, lrs=lrs, epochs=2))
    trials = load_trials(study)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert sorted(t.params["lr"] for t in complete) == lrs  # each combination completed exactly once
    assert not [t for t in trials if t.state in (TrialState.RUNNING, TrialState.WAITING)]
    assert result.report["counts"] == {"COMPLETE": 3, "FAIL": len(trials) - 3}
    first = [r for r in children_of(result.report["mlflow"]["parent_run_id"]) if r.info.run_name == "trial-0000"]
    assert len(first) == 1  # trial #0 trained once, in the first tuner


@pytest.mark.long(50)
@pytest.mark.slow
def test_two_workers_split_a_grid_without_duplicates(tiny_dataset, tmp_path):
    lrs = [1e-3, 2e-3, 3e-3, 4e-3]
    workers = [start_tuner(cli_args(tiny_dataset, lrs=lrs, threads=1, output="w0.json"), tmp_path / "w0.log")]
    # the second joins while the first is on its first trial, with three left: on a loaded machine both
    # starting at once let one worker finish the grid before the other had imported torch
    wait_for(lambda: Path("outputs/tuning/tune-test-grid/trial-0000/train.log").exists(), 300,
             "the first worker's first trial")
    workers.append(start_tuner(cli_args(tiny_dataset, lrs=lrs, threads=1, output="w1.json"), tmp_path / "w1.log"))
    for i, w in enumerate(workers):
        assert w.wait(300) == 0, (tmp_path / f"w{i}.log").read_text()[-3000:]
    trials = load_trials("tune-test-grid")
    assert len(trials) == 4 and {t.state for t in trials} == {TrialState.COMPLETE}
    assert sorted(t.params["lr"] for t in trials) == lrs
    pids = {t.user_attrs["worker"].split(":")[1] for t in trials}
    assert pids == {str(w.pid) for w in workers}  # both did some of the work
    reports = [json.loads(Path(f"w{i}.json").read_text()) for i in range(2)]
    assert all(r["counts"] == {"COMPLETE": 4} for r in reports)  # each waited for the other's trials
    parent_ids = {r["mlflow"]["parent_run_id"] for r in reports}
    assert len(parent_ids) == 1  # one study, one parent run
    assert len(children_of(parent_ids.pop())) == 4
