"""What a user sees in the MLflow UI (issue 12), in headless chromium and through MlflowClient.

A demo-sized store is made once: a training run, a 2-trial grid search, a registered version taken
through Staging, validation and promotion. `mlflow server` serves it; chromium opens the run, its
charts, the runs tables, the tuning parent and the registered model, as a user would.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import importlib.util
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import fresh_store, make_tiny_dataset

REPO = Path(__file__).resolve().parents[1]
USER = getpass.getuser()
TRAIN_ARGS = ["--modality", "image", "--pretrained", "off"]
EPOCH_METRICS = {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "val_f1", "learning_rate",
                 "epoch_seconds", "images_per_second"}
SUMMARIES = {"best_epoch", "best_val_f1", "epochs_completed"}


def _load_screenshots():
    spec = importlib.util.spec_from_file_location("screenshots", REPO / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _load_screenshots()


def _in_git() -> bool:
    return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, cwd=REPO).returncode == 0


# --------------------------------------------------------------------------- the store, the server, the browser


@pytest.fixture(scope="module")
def store(tmp_path_factory, mlflow_template):
    """Train, tune (2 trials), register, stage, validate, promote: a demo in miniature (about a minute)."""
    from mlflow import MlflowClient

    from docclf.cli import run
    from docclf.registry import Registry

    root = tmp_path_factory.mktemp("ui-store")
    data = make_tiny_dataset(root / "data")
    uri = fresh_store(mlflow_template, root / "mlflow.db")
    with pytest.MonkeyPatch.context() as mp, contextlib.chdir(root):
        mp.setenv("MLFLOW_TRACKING_URI", uri)
        mp.setenv("DOCCLF_CACHE_DIR", str(root / "cache"))
        mp.setenv("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "1")  # tiny runs last seconds, not 10 s
        assert run(["train", "--data-dir", str(data), "--model", "mobilenetv3_small", "--image-size", "64",
                    "--batch-size", "8", "--epochs", "2", "--no-progress", "--threads", "2", *TRAIN_ARGS,
                    "--mlflow-experiment", "docclf", "--mlflow-run-name", "ui-train", "--output-dir",
                    str(root / "out")]) == 0
        assert run(["tune", "--search-strategy", "grid", "--models", "mobilenetv3_small", "--image-sizes", "64",
                    "--batch-sizes", "8", "--lrs", "0.001", "0.003", "--epochs", "1", "--n-jobs", "2", "--threads", "1",
                    "--data-dir", str(data), "--mlflow-experiment", "tuning", "--study-name", "ui-search",
                    "--storage", f"sqlite:///{root}/optuna.db", "--output", str(root / "tuning.json"),
                    "--", *TRAIN_ARGS]) == 0
        client = MlflowClient(uri)
        train_exp = client.get_experiment_by_name("docclf")
        train_run = client.search_runs([train_exp.experiment_id])[0]
        reg = Registry(uri)
        reg.register(train_run.info.run_id, "doc_classifier")
        reg.transition("doc_classifier", "1", "Staging")
        reg.validate("doc_classifier", "1", str(data / "test"), latency_runs=3, cache_dir=str(root / "cache"))
        reg.promote("doc_classifier", "1")
    tune_exp = client.get_experiment_by_name("tuning")
    tuning = client.search_runs([tune_exp.experiment_id])
    parent = next(r for r in tuning if "mlflow.parentRunId" not in r.data.tags)
    children = [r for r in tuning if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    return SimpleNamespace(root=root, data=data, uri=uri, client=client, train_exp=train_exp.experiment_id,
                           tune_exp=tune_exp.experiment_id, train=client.get_run(train_run.info.run_id),
                           parent=client.get_run(parent.info.run_id), children=children)


@pytest.fixture(scope="module")
def ui(store, tmp_path_factory):
    """`mlflow server` over the store, on a free loopback port."""
    proc, url = shots.start_ui(store.uri, tmp_path_factory.mktemp("ui-log") / "mlflow.log")
    try:
        yield url
    finally:
        shots.stop_ui(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver = shots.chromium_paths()
    if not (chromium and driver):
        pytest.skip("Debian's chromium and chromium-driver are not installed "
                    "(apt-get install -y chromium chromium-driver; `make test` installs them)")
    pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[test])")
    driver = shots.open_browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


def _dataset_label(run, split: str) -> str:
    ds = next(d.dataset for d in run.inputs.dataset_inputs if d.dataset.name.endswith("-" + split))
    return f"{ds.name} ({ds.digest})"


def _assert_created_by_and_source(text: str, run) -> None:
    assert re.search(r"Created by\s*\n\s*" + re.escape(USER) + r"\s*\n", text), text[:1500]
    assert re.search(r"Source\s*\n\s*docclf\s*\n", text), text[:1500]
    if _in_git():  # the UI shows the commit's first 7 characters beside the source
        assert run.data.tags["mlflow.source.git.commit"][:7] in text


# --------------------------------------------------------------------------- what the browser shows


@pytest.mark.long(60)
@pytest.mark.services
@pytest.mark.slow
def test_run_page_shows_creator_source_data_and_description(store, ui, browser):
    text = shots.open_page(browser, ui, f"experiments/{store.train_exp}/runs/{store.train.info.run_id}", "Created by")
    _assert_created_by_and_source(text, store.train)
    assert _dataset_label(store.train, "train") in text and "Training" in text
    assert "Result: best val_f1" in text and "trained from scratch" in text  # the description, rendered


@pytest.mark.services
@pytest.mark.slow
def test_run_charts_are_curves_and_bars_never_single_dots(store, ui, browser):
    browser.set_window_size(1400, 4200)  # charts draw only when on screen: show them all at once
    try:
        shots.open_page(browser, ui, f"experiments/{store.train_exp}/runs/{store.train.info.run_id}/model-metrics",
                        "val_loss")
        charts = shots.chart_traces(browser)
    finally:
        browser.set_window_size(1400, 900)
    titles = set(charts)
    assert EPOCH_METRICS | {"test_accuracy", "test_f1", "test_loss"} <= titles, charts
    assert not titles & SUMMARIES
    single_dots = [t for t, traces in charts.items() if all(kind == "scatter" and n <= 1 for kind, n in traces)]
    assert not single_dots, charts
    assert any(kind == "scatter" and n == 2 for kind, n in charts["val_f1"])  # one point per epoch
    assert all(kind == "bar" for kind, _ in charts["test_accuracy"])  # a summary drawn as a bar


@pytest.mark.services
@pytest.mark.slow
def test_runs_tables_show_dataset_and_source(store, ui, browser):
    text = shots.open_page(browser, ui, f"experiments/{store.train_exp}/runs", "matching run")
    assert "ui-train" in text and _dataset_label(store.train, "train") in text and "docclf" in text
    assert "docclf training runs" in text  # the experiment's description above the table
    text = shots.open_page(browser, ui, f"experiments/{store.tune_exp}/runs", "matching run")
    assert "ui-search" in text and _dataset_label(store.parent, "train") in text
    assert "one parent run per Optuna study" in text


@pytest.mark.services
@pytest.mark.slow
def test_tuning_parent_page_and_charts(store, ui, browser):
    run_id = store.parent.info.run_id
    text = shots.open_page(browser, ui, f"experiments/{store.tune_exp}/runs/{run_id}", "Created by")
    _assert_created_by_and_source(text, store.parent)
    assert "Best: trial #" in text and "grid search" in text
    assert _dataset_label(store.parent, "train") in text
    browser.set_window_size(1400, 2400)
    try:
        shots.open_page(browser, ui, f"experiments/{store.tune_exp}/runs/{run_id}/model-metrics", "val_accuracy")
        charts = shots.chart_traces(browser)
    finally:
        browser.set_window_size(1400, 900)
    assert set(charts) == {"trial_val_accuracy", "best_val_accuracy"}, charts
    assert all(n >= 2 for traces in charts.values() for kind, n in traces if kind == "scatter")


@pytest.mark.services
@pytest.mark.slow
def test_registered_model_and_version_pages(store, ui, browser):
    text = shots.open_page(browser, ui, "models/doc_classifier/versions/1", "Validation")
    assert "accuracy" in text and "latency p50" in text and "recall" in text
    assert "None -> Staging" in text and "Staging -> Production" in text
    text = shots.open_page(browser, ui, "models/doc_classifier", "Classifies a document page")
    assert "models:/doc_classifier/Production" in text and "Stage history" in text
    text = shots.open_page(browser, ui, "models", "doc_classifier")
    assert "docclf.history." not in text  # no per-change tag columns in the models list


# --------------------------------------------------------------------------- the same, through MlflowClient


@pytest.mark.slow
def test_every_run_says_who_and_from_where(store):
    for run in [store.train, store.parent, *store.children]:
        tags = run.data.tags
        assert tags["mlflow.user"] == USER and tags["mlflow.source.type"] == "LOCAL"
        assert tags["mlflow.source.name"] == "docclf", tags["mlflow.source.name"]
        if _in_git():
            assert re.fullmatch(r"[0-9a-f]{40}", tags["mlflow.source.git.commit"])
    assert len(store.children) == 2


@pytest.mark.slow
def test_splits_are_dataset_inputs_shared_by_runs_on_the_same_data(store):
    def inputs(run):
        return {d.dataset.name: (d.dataset.digest, json.loads(d.dataset.source)["uri"],
                                 {t.key: t.value for t in d.tags}["mlflow.data.context"])
                for d in run.inputs.dataset_inputs}

    train = inputs(store.train)
    assert {name: ctx for name, (_, _, ctx) in train.items()} == {
        "data-train": "training", "data-val": "validation", "data-test": "test"}
    assert train["data-train"][1] == str(store.data.resolve() / "train")
    schema = json.loads(store.train.inputs.dataset_inputs[0].dataset.schema)["mlflow_colspec"]
    assert [c["name"] for c in schema] == ["path", "class"]
    # the parent and every trial trained on the same files: the same datasets
    for run in [store.parent, *store.children]:
        assert inputs(run) == train


@pytest.mark.slow
def test_descriptions_of_experiments_runs_model_and_version(store):
    c = store.client
    assert "docclf training runs" in c.get_experiment(store.train_exp).tags["mlflow.note.content"]
    assert "one parent run per Optuna study" in c.get_experiment(store.tune_exp).tags["mlflow.note.content"]
    note = store.train.data.tags["mlflow.note.content"]
    assert "mobilenetv3_small_100" in note and "40 train / 20 val / 20 test pages" in note
    assert f"best val_f1 {float(store.train.data.tags['best_val_f1']):.3f}" in note
    assert "test accuracy" in note
    parent_note = store.parent.data.tags["mlflow.note.content"]
    assert "**Best**: trial #" in parent_note and "ui-search" in parent_note and "rank" in parent_note
    model = c.get_registered_model("doc_classifier")
    assert "invoice, letter, presentation, resume, scientific_paper" in model.description
    assert "models:/doc_classifier/Production" in model.description and "Production: v1" in model.description
    version = c.get_model_version("doc_classifier", "1").description
    assert "**Validation**" in version and "recall" in version and "ui-train" in version


@pytest.mark.slow
def test_summaries_are_tags_and_model_metrics_not_one_point_charts(store):
    c = store.client
    metrics = store.train.data.metrics
    assert not SUMMARIES & set(metrics)
    assert store.train.data.tags["best_epoch"] in ("1", "2") and store.train.data.tags["epochs_completed"] == "2"
    for name in EPOCH_METRICS:
        assert [m.step for m in c.get_metric_history(store.train.info.run_id, name)] == [1, 2], name
    # the test figures: step 0 (a bar), on the logged model, on the test split's dataset
    assert [m.step for m in c.get_metric_history(store.train.info.run_id, "test_accuracy")] == [0]
    model_id = store.train.outputs.model_outputs[0].model_id
    model_metrics = {m.key: m for m in c.get_logged_model(model_id).metrics}
    assert {"test_accuracy", "test_f1", "test_loss"} <= set(model_metrics)
    assert model_metrics["test_accuracy"].dataset_name == "data-test"
    assert not [k for k in model_metrics if k.startswith("system/")]
    # system metrics on the training run
    assert "system/cpu_utilization_percentage" in metrics and "system/system_memory_usage_megabytes" in metrics
    # the tuning parent: counts are tags, only per-trial series are metrics
    assert set(store.parent.data.metrics) == {"trial_val_accuracy", "best_val_accuracy"}
    assert store.parent.data.tags["n_complete"] == "2"


@pytest.mark.slow
def test_promotion_history_is_one_record_and_a_readable_table(store):
    from docclf.registry import Registry

    tags = store.client.get_registered_model("doc_classifier").tags
    assert not [k for k in tags if k.startswith("docclf.history.")]
    record = json.loads(tags["docclf.stage_history"])
    assert [(e["version"], e["from_stage"], e["to_stage"]) for e in record] == [
        ("1", "None", "Staging"), ("1", "Staging", "Production")]
    assert Registry(store.uri).history("doc_classifier") == record
    description = store.client.get_registered_model("doc_classifier").description
    rows = [line for line in description.splitlines() if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", line)]
    assert len(rows) == 2 and "Staging -> Production" in rows[0] and "None -> Staging" in rows[1]


# --------------------------------------------------------------------------- fast checks of the pieces


def test_dataset_digest_follows_the_files_and_manifest(tmp_path):
    from docclf.tracking import split_dataset

    data = make_tiny_dataset(tmp_path / "a", per_split={"train": 2}, classes=["invoice", "letter"])
    paths = sorted(str(p) for p in (data / "train").rglob("*.png"))
    labels = [Path(p).parent.name for p in paths]
    first = split_dataset(data, "train", paths, labels)
    copy = shutil.copytree(data, tmp_path / "b" / "a")  # same files elsewhere: the same dataset
    assert split_dataset(copy, "train", [p.replace(str(data), str(copy)) for p in paths], labels).digest == first.digest
    Path(paths[0]).write_bytes(Path(paths[0]).read_bytes() + b"\0")  # one file changed: a new dataset
    assert split_dataset(data, "train", paths, labels).digest != first.digest
    # with a manifest, its sha256 (content) names each file and its columns join the schema
    rows = ["path,split,class,layout,width,height,sha256"]
    for p, label in zip(paths, labels):
        rel = Path(p).relative_to(data).as_posix()
        rows.append(f"{rel},train,{label},classic,90,120,{hashlib.sha256(Path(p).read_bytes()).hexdigest()}")
    (data / "manifest.csv").write_text("\n".join(rows) + "\n")
    listed = split_dataset(data, "train", paths, labels)
    assert listed.digest != first.digest and list(listed.df.columns) == ["path", "class", "layout", "width",
                                                                          "height", "sha256"]
    assert listed.df["layout"].tolist() == ["classic"] * 4


def test_stage_history_folds_older_per_change_tags_into_one_record(tmp_path):
    from mlflow import MlflowClient

    from docclf import notes

    client = MlflowClient(f"sqlite:///{tmp_path}/mlflow.db")
    client.create_registered_model("m")
    old = {"when": "2026-01-01T00:00:00Z", "who": "ann", "version": "1", "from_stage": "None",
           "to_stage": "Production", "replaced_version": None, "note": ""}
    client.set_registered_model_tag("m", "docclf.history.20260101T000000.000000Z", json.dumps(old))
    new = {**old, "when": "2026-02-01T00:00:00Z", "version": "2", "replaced_version": "1"}
    notes.record_stage_change(client, "m", new)
    tags = client.get_registered_model("m").tags
    assert list(tags) == ["docclf.stage_history"] and notes.read_history(tags) == [old, new]
    table = notes.history_table(notes.read_history(tags))
    assert table.index("2026-02-01 00:00:00") < table.index("2026-01-01 00:00:00")  # newest first


def test_demo_search_trains_distinct_combinations_for_several_epochs(tiny_dataset, capsys):
    """The Makefile's demo search: two different trials, long enough to tell them apart."""
    from docclf.cli import run

    makefile = (REPO / "Makefile").read_text()
    line = re.search(r"tune_hyperparameters\.py (.+?)\n\t\$\(PY\) mlflow_utils", makefile.replace("\\\n", " "),
                     re.S).group(1)
    args = shlex.split(line.replace("$(DEMO_DIR)", str(tiny_dataset)))
    assert run(["tune", *args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    combos = [ln.split()[1:] for ln in out.splitlines() if ln.strip()[:1].isdigit() and "model=" in ln]
    assert len(combos) == 2 and combos[0] != combos[1], out
    epochs = int(args[args.index("--epochs") + 1])
    assert epochs >= 6
