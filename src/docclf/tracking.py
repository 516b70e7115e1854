"""The MLflow side of a training run: start or resume, params, metrics, tags, artifacts, model.

Only this module (with tune and registry) imports mlflow. Metric logging is batched (one
`log_batch` per epoch) and buffered: if the tracking server goes away mid-run, values are kept
and sent with the next epoch's, so training never stops for the tracker.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from docclf.errors import UsageError
from docclf.locks import file_lock
from docclf.redact import redact_text, redact_uri
from docclf.refs import CHECKPOINT_ARTIFACT, MODEL_ARTIFACT, parse_run_id

log = logging.getLogger(__name__)

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"


def transport_errors() -> tuple[type[BaseException], ...]:
    """What a call to an unreachable or failing tracking server raises (for `except` clauses)."""
    import requests
    from mlflow.exceptions import MlflowException

    return (requests.RequestException, MlflowException, ConnectionError, TimeoutError)


def resolve_tracking_uri(cli_value: str | None) -> str:
    """--tracking-uri, else MLFLOW_TRACKING_URI, else sqlite:///mlflow.db in the working directory."""
    return cli_value or os.environ.get("MLFLOW_TRACKING_URI") or DEFAULT_TRACKING_URI


def _limit_http_retries() -> None:
    # MLflow's default retry schedule waits minutes on a dead server; we buffer instead.
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "20")


def connect(uri: str) -> None:
    """Point MLflow at `uri`, failing with one line if a tracking server does not answer."""
    import mlflow

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # noise in training logs
    if uri.startswith(("http://", "https://")):
        _limit_http_retries()
        import requests

        try:
            requests.get(uri.rstrip("/") + "/health", timeout=5).raise_for_status()
        except requests.RequestException as exc:
            raise UsageError(f"tracking server {redact_uri(uri)} is unreachable ({type(exc).__name__}); start it "
                             "(`mlflow server ...`) or unset MLFLOW_TRACKING_URI to use the local "
                             f"{DEFAULT_TRACKING_URI}") from None
    elif uri.startswith("file:") or (not uri.startswith(("sqlite:", "postgresql", "mysql")) and "://" not in uri):
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")  # the seed's mlruns/ option
    mlflow.set_tracking_uri(uri)
    if uri.startswith("sqlite:///"):
        _create_sqlite_store_once(uri)


def _create_sqlite_store_once(uri: str) -> None:
    """Create a new SQLite store under a file lock: two processes migrating a fresh mlflow.db at
    the same moment fail in alembic (seen with parallel trials in a new folder)."""
    import mlflow

    db = Path(uri[len("sqlite:///"):])
    with file_lock(db.with_name(db.name + ".lock")):
        mlflow.MlflowClient(tracking_uri=uri).search_experiments(max_results=1)


def git_commit() -> str:
    """The commit of the docclf code that runs (not of the folder it runs in)."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
                             cwd=Path(__file__).resolve().parent)
        return out.stdout.strip() if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def library_versions() -> dict[str, str]:
    import mlflow
    import timm
    import torch
    import torchvision

    return {"torch": torch.__version__, "torchvision": torchvision.__version__,
            "timm": timm.__version__, "mlflow": mlflow.__version__}


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "unknown"


def entry_point() -> str:
    """The script that was run (train.py, tune_hyperparameters.py, ...), else `docclf`."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script and script.suffix == ".py" and script.name != "__main__.py" and script.is_file():
        return str(script.resolve())
    return "docclf"


def context_tags() -> dict[str, str]:
    """Who started a run and from what: the tags MLflow's UI shows as "Created by" and "Source"."""
    tags = {"mlflow.user": current_user(), "mlflow.source.type": "LOCAL", "mlflow.source.name": entry_point()}
    commit = git_commit()
    if commit != "unknown":
        tags["mlflow.source.git.commit"] = commit
    return tags


def describe_experiment(client: Any, experiment_id: str, text: str) -> None:
    """Give an experiment a description unless it has one (a user's own text is kept)."""
    from docclf.notes import NOTE_TAG

    if NOTE_TAG not in client.get_experiment(experiment_id).tags:
        client.set_experiment_tag(experiment_id, NOTE_TAG, text)


SPLIT_CONTEXTS = {"train": "training", "val": "validation", "test": "test"}


def split_dataset(data_dir: str | Path, split: str, paths: list[str], labels: list[str]) -> Any:
    """One split as an MLflow dataset: its files' rows (manifest columns when there is one), a digest
    of the files and their manifest hashes, the split folder as source."""
    import csv
    import warnings

    import mlflow
    import pandas as pd

    root = Path(data_dir).resolve()
    rel = [os.path.relpath(Path(p).resolve(), root) for p in paths]
    manifest = root / "manifest.csv"
    listed: dict[str, dict[str, str]] = {}
    if manifest.is_file():
        with open(manifest, newline="") as fh:
            listed = {row["path"]: row for row in csv.DictReader(fh)}
    rows = []
    h = hashlib.sha256()
    for r, path, label in zip(rel, paths, labels):
        row = listed.get(r)
        # a manifest row names the content; a file the manifest lacks counts by path and size
        h.update(f"{r}|{label}|{row['sha256'] if row else Path(path).stat().st_size}\n".encode())
        rows.append({"path": r, "class": label, **({k: v for k, v in row.items() if k not in ("path", "split", "class")}
                                                   if row else {})})
    df = pd.DataFrame(rows)
    for col in ("width", "height"):
        if col in df:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")  # no int-with-NaN warning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "source can be interpreted in multiple ways": it is local
        return mlflow.data.from_pandas(df, source=str(root / split), name=f"{root.name}-{split}",
                                       targets="class", digest=h.hexdigest()[:16])


def log_datasets(client: Any, run_id: str, data_dir: str | Path,
                 splits: dict[str, tuple[list[str], list[str]]] | None = None) -> dict[str, Any]:
    """Log each split (files, class names; scanned from `data_dir` when not given) as a dataset input."""
    from mlflow.entities import DatasetInput, InputTag

    if splits is None:
        from docclf.folders import find_classes, scan_split

        classes = find_classes(data_dir)
        scanned = {name: scan_split(data_dir, name, classes, required=False) for name in SPLIT_CONTEXTS}
        splits = {name: ([str(p) for p in f.paths], [classes[i] for i in f.labels])
                  for name, f in scanned.items() if f is not None}
    datasets = {split: split_dataset(data_dir, split, paths, labels) for split, (paths, labels) in splits.items()}
    client.log_inputs(run_id, datasets=[
        DatasetInput(ds._to_mlflow_entity(), [InputTag("mlflow.data.context", SPLIT_CONTEXTS.get(split, split))])
        for split, ds in datasets.items()])
    return datasets


class RunTracker:
    """One MLflow run, started fresh or resumed by id; every call survives a flaky server."""

    def __init__(self, uri: str, experiment: str, run_name: str | None, run_id: str | None = None,
                 parent_run_id: str | None = None, tags: dict[str, str] | None = None,
                 system_metrics: bool = False):
        import mlflow

        from docclf.notes import TRAINING_EXPERIMENT

        connect(uri)
        self.uri = uri
        if run_id is None:
            exp = mlflow.set_experiment(experiment)
            describe_experiment(mlflow.MlflowClient(), exp.experiment_id, TRAINING_EXPERIMENT)
            all_tags = {**context_tags(), **(tags or {})}
            if parent_run_id:
                all_tags["mlflow.parentRunId"] = parent_run_id
            run = mlflow.MlflowClient().create_run(exp.experiment_id, run_name=run_name, tags=all_tags)
        else:
            run = mlflow.MlflowClient().get_run(run_id)
        # Active (and RUNNING again when resumed) so that mlflow.pytorch.log_model can attach to it.
        mlflow.start_run(run_id=run.info.run_id)
        self.run_id: str = run.info.run_id
        self.experiment_id: str = run.info.experiment_id
        self.run_name: str = run.info.run_name
        self._client = mlflow.MlflowClient()
        self._pending: list[Any] = []
        self.datasets: dict[str, Any] = {}  # split -> mlflow dataset, once logged
        self.facts: dict[str, Any] | None = None  # what the description says about model and data
        self.model_id: str | None = None
        wanted = os.environ.get("MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true").lower() not in ("false", "0")
        self._monitor = self._start_system_metrics(resumed=run_id is not None) if system_metrics and wanted else None

    def _start_system_metrics(self, resumed: bool) -> Any:
        """CPU, memory, disk, network (GPU with nvidia-ml-py) every 10 s, in a thread, until the model
        is logged: MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL sets the period."""
        from mlflow.system_metrics.system_metrics_monitor import SystemMetricsMonitor

        monitor = SystemMetricsMonitor(self.run_id, resume_logging=resumed, tracking_uri=self.uri)
        # log_model copies the run's metrics at the model's step (0) onto the logged model: keep
        # system samples off step 0 so that the model's metrics are its test figures alone
        monitor._logging_step = max(1, monitor._logging_step)
        monitor.start()
        return monitor

    def _stop_system_metrics(self) -> None:
        if self._monitor is not None:
            self._monitor.finish()
            self._monitor = None

    # -- what the UI shows about the run: its data and its description
    def log_datasets(self, data_dir: str | Path, splits: dict[str, tuple[list[str], list[str]]]) -> None:
        """Each split (files, class names) as a dataset input, context training / validation / test."""
        self.datasets = log_datasets(self._client, self.run_id, data_dir, splits)

    def describe(self, facts: dict[str, Any], summary: dict[str, Any] | None = None) -> None:
        """The run's description: model, data and recipe; the headline result once there is one."""
        from docclf.notes import NOTE_TAG, training_note

        self.facts = facts
        self.set_tags({NOTE_TAG: training_note(facts, summary)})

    def log_summary(self, final: dict[str, float], report: dict[str, Any], monitor: str) -> None:
        """After training. Best epoch and value go to tags and the description (as metrics they would
        draw one-dot charts); evaluation figures are the logged model's metrics on its split, step 0."""
        from mlflow.entities import Metric

        keys = ("best_epoch", f"best_{monitor}", "epochs_completed")
        self.set_tags({k: final[k] for k in keys if k in final})
        split = report.get("split", "test")
        ds = self.datasets.get(split)
        now = int(time.time() * 1000)
        metrics = [Metric(k, float(v), now, 0, model_id=self.model_id, dataset_name=ds.name if ds else None,
                          dataset_digest=ds.digest if ds else None) for k, v in final.items() if k not in keys]
        if metrics:
            self._client.log_batch(self.run_id, metrics=metrics)
        if self.facts is not None:
            self.describe(self.facts, {"monitor": monitor, "best_value": final.get(f"best_{monitor}"),
                                       "best_epoch": final.get("best_epoch"),
                                       "epochs_completed": final.get("epochs_completed"), "eval_split": split,
                                       "accuracy": report.get("accuracy"), "macro_f1": report.get("macro_f1"),
                                       "n_images": report.get("n_images")})

    # -- params and tags
    def log_params(self, params: dict[str, Any]) -> None:
        """Log params once; on a resumed run only the ones not yet there (MLflow forbids changes)."""
        from mlflow.entities import Param

        existing = self._client.get_run(self.run_id).data.params
        # a --tracking-uri with a password is a param like any other: never store the password
        fresh = [Param(k, redact_text(str(v))[:6000]) for k, v in params.items() if k not in existing]
        for i in range(0, len(fresh), 100):
            self._client.log_batch(self.run_id, params=fresh[i:i + 100])

    def set_tags(self, tags: dict[str, Any]) -> None:
        from mlflow.entities import RunTag

        self._client.log_batch(self.run_id, tags=[RunTag(k, redact_text(str(v))) for k, v in tags.items()])

    # -- metrics, buffered
    def log_metrics(self, metrics: dict[str, float], step: int) -> bool:
        """Send this step's metrics (and any earlier ones a failed call left); False if buffered."""
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self._pending += [Metric(k, float(v), now, step) for k, v in metrics.items()]
        try:
            for i in range(0, len(self._pending), 1000):
                self._client.log_batch(self.run_id, metrics=self._pending[i:i + 1000])
        except Exception as exc:  # any transport error: keep the values, try again next epoch
            log.warning("MLflow unreachable (%s); %d metric values buffered, will retry",
                        type(exc).__name__, len(self._pending))
            return False
        self._pending = []
        return True

    def log_missing_epochs(self, history: list[dict[str, float]]) -> None:
        """On resume, send epochs the checkpoint has but MLflow lacks (killed between save and log)."""
        logged = {m.step for m in self._client.get_metric_history(self.run_id, "val_loss")}
        for row in history:
            if row["epoch"] not in logged:
                self.log_metrics({k: v for k, v in row.items() if k != "epoch"}, step=int(row["epoch"]))

    def flush(self) -> bool:
        return self.log_metrics({}, step=0) if self._pending else True

    # -- artifacts
    def log_artifact(self, path: str | Path, artifact_path: str | None = None) -> None:
        self._client.log_artifact(self.run_id, str(path), artifact_path)

    def log_pytorch_model(self, model: Any, image_size: int, meta: dict[str, Any]) -> str:
        """Log the model as MLflow's pytorch flavour (pickle: any batch and size), returns its URI.

        MLflow 3's default torch.export format fixes the example's height, width and batch; the
        pickle format keeps an nn.Module that classifies any preprocessed (B, 3, S, S) batch.
        """
        import mlflow
        import numpy as np
        import timm
        import torch
        from mlflow.models import ModelSignature
        from mlflow.types import Schema, TensorSpec

        signature = ModelSignature(
            inputs=Schema([TensorSpec(np.dtype(np.float32), (-1, 3, image_size, image_size))]),
            outputs=Schema([TensorSpec(np.dtype(np.float32), (-1, len(meta["classes"])))]))
        example = np.zeros((1, 3, image_size, image_size), dtype=np.float32)
        self._stop_system_metrics()  # training is over; see _start_system_metrics
        with tempfile.TemporaryDirectory() as tmp:
            meta_path = Path(tmp) / "docclf_model.json"
            meta_path.write_text(json.dumps(meta, indent=2))
            # pickle is chosen on purpose (see docstring); MLflow's warning about it is noise here
            logging.getLogger("mlflow.pytorch").setLevel(logging.ERROR)
            info = mlflow.pytorch.log_model(
                model, name=MODEL_ARTIFACT, serialization_format="pickle", signature=signature,
                input_example=example, extra_files=[str(meta_path)],
                pip_requirements=[f"torch=={torch.__version__.split('+')[0]}", f"timm=={timm.__version__}"])
        self.model_id = info.model_id
        return info.model_uri

    def end(self, status: str = "FINISHED") -> None:
        """Close the run as FINISHED, FAILED or KILLED (after a last try to flush metrics)."""
        import mlflow

        try:
            self._stop_system_metrics()
            self.flush()
            mlflow.end_run(status=status)
        except Exception as exc:
            log.warning("could not mark MLflow run %s as %s (%s)", self.run_id, status, type(exc).__name__)


def download_run_checkpoint(run_ref: str, dst: str | Path) -> Path:
    """Fetch a run's `model_final.pth` (run id or runs:/ID) into `dst`."""
    import mlflow

    run_id = parse_run_id(run_ref)
    try:
        return Path(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=CHECKPOINT_ARTIFACT,
                                                        dst_path=str(dst)))
    except Exception as exc:
        raise UsageError(f"cannot fetch {CHECKPOINT_ARTIFACT} of run {run_id} from "
                         f"{redact_uri(mlflow.get_tracking_uri())} ({type(exc).__name__}); check the run id "
                         "and --tracking-uri") from None


def load_logged_model(uri: str) -> tuple[Any, dict[str, Any]]:
    """Load an MLflow pytorch model (models:/..., runs:/.../pytorch_model) and its docclf metadata."""
    import mlflow

    try:
        model = mlflow.pytorch.load_model(uri, map_location="cpu")
        local = mlflow.artifacts.download_artifacts(uri.rstrip("/") + "/extra_files/docclf_model.json")
    except Exception as exc:
        raise UsageError(f"cannot load model {uri} from {redact_uri(mlflow.get_tracking_uri())} "
                         f"({type(exc).__name__}: {str(exc).splitlines()[0][:200]})") from None
    return model, json.loads(Path(local).read_text())


def log_export(tracking_uri: str | None, run_id: str, paths: list[Path], report_text: str) -> None:
    """Log exported files and the parity report under `export/` on the model's run; one line if it cannot."""
    import mlflow

    connect(resolve_tracking_uri(tracking_uri))
    client = mlflow.MlflowClient()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for path in paths:
                client.log_artifact(run_id, str(path), "export")
            report = Path(tmp) / "parity_report.txt"
            report.write_text(report_text + "\n")
            client.log_artifact(run_id, str(report), "export")
    except transport_errors() as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UsageError(f"cannot log exports on run {run_id}: {first[:300]}") from None
