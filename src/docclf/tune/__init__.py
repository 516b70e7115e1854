"""Hyperparameter search: grid, random or TPE over `docclf train`, on an Optuna study.

Each trial is a `docclf train` subprocess (what `train.py` runs) with its own output folder. The
study is one MLflow parent run; every trial is a child run under it. What crosses the process
boundaries, and how:

- Pruning: a trial appends one JSON line per epoch to its --metrics-file; the tuner polls the
  file, reports each epoch to Optuna and, when the pruner says stop, creates the trial's
  --stop-file. Training then stops after the epoch in progress and ends its run normally.
- Sharing work: the study lives in --storage. Workers (threads here, processes on any machine)
  claim trials under a study lock: a file lock beside a SQLite file, an advisory lock on
  PostgreSQL. A grid is enqueued once, as WAITING trials, and workers pop distinct ones; Optuna's
  GridSampler on its own can hand one combination to two parallel workers.
- Resume: finished trials stay finished. The trials of a worker that died stop beating; after
  --grace-period they are failed and re-queued (RetryHeartbeatStaleTrialCallback). Ctrl-C stops
  the running trials and re-queues them the same way, so the same command carries on.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docclf.tune.results import ParentRun, build_report, format_top_k
from docclf.config import TuneConfig
from docclf.tune.space import SearchPlan, describe_plan, make_plan
from docclf.tune.study import StudyLock, mask_url, open_study
from docclf.tune.trials import Search, plan_slots

__all__ = ["TuneConfig", "TuneResult", "SearchPlan", "describe_plan", "format_top_k", "make_plan", "run_search"]

log = logging.getLogger(__name__)


@dataclass
class TuneResult:
    report: dict[str, Any]  # what the JSON file holds
    output: Path
    interrupted: bool


def run_search(cfg: TuneConfig) -> TuneResult:
    """Create or resume the study, run trials until it has no work left, write and return the report."""
    from docclf.folders import find_classes  # not docclf.data: that imports torch, seconds per tuner start

    plan = make_plan(cfg)
    find_classes(cfg.data_dir)  # a missing dataset fails here, not in every trial
    with warnings.catch_warnings():
        from optuna.exceptions import ExperimentalWarning

        warnings.filterwarnings("ignore", category=ExperimentalWarning)
        # We run trials through ask/tell and send their heartbeats ourselves.
        warnings.filterwarnings("ignore", message="Heartbeat of storage is supposed")
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        lock = StudyLock(cfg.storage, cfg.resolved_study_name)
        try:
            study, storage = open_study(cfg, plan, lock)
            parent = ParentRun(cfg, plan, study, lock)
            log.info("study %s in %s; MLflow parent run %s in experiment %r at %s", study.study_name,
                     mask_url(cfg.storage), parent.run_id, cfg.mlflow_experiment, parent.uri)
            search = Search(cfg, plan, study, storage, lock, parent)
            with _sigterm_as_ctrl_c():
                interrupted = search.run(plan_slots(cfg))
            report = build_report(cfg, plan, study, parent)
            parent.finish(report, interrupted)
        finally:
            lock.close()
    out = Path(cfg.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return TuneResult(report, out, interrupted)


@contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    """A scheduler's SIGTERM stops the search like Ctrl-C: trials stopped, re-queued, report written."""
    if threading.current_thread() is not threading.main_thread():  # signals only reach the main thread
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
