"""The tested gunicorn set-up for the API; deployments and `docclf serve` use exactly this.

    gunicorn -c python:docclf.serve.gunicorn_conf --bind 0.0.0.0:8000 --workers 2 "docclf.serve:create_app()"

- the BufferingWorker: requests are read whole in the event loop, so slow or stalled clients hold
  no thread; one that does not finish its request within DOCCLF_READ_TIMEOUT seconds gets a 408;
- with several workers, /metrics adds up all of them: PROMETHEUS_MULTIPROC_DIR is created (or
  emptied, if you set it) before the workers start, and dead workers' gauges are dropped;
- each worker sizes its inference threads to its share of the cores (DOCCLF_WORKERS defaults to
  gunicorn's --workers).
"""

from __future__ import annotations

import glob
import os
import shutil
import tempfile
from typing import Any

worker_class = "docclf.serve.worker.BufferingWorker"
threads = 4  # request threads per worker: they decode while one runs the model (inference_slots)
timeout = 60  # a worker silent this long (a wedged model call) is restarted
graceful_timeout = 10
keepalive = 5  # idle kept-alive connections cost no thread here; close them after 5 s


def on_starting(server: Any) -> None:
    """In the arbiter, before any worker: the shared metrics folder and the per-worker thread count."""
    if not os.environ.get("DOCCLF_WORKERS"):
        os.environ["DOCCLF_WORKERS"] = str(server.cfg.workers)
    folder = os.environ.pop("PROMETHEUS_MULTIPROC_DIR", "")  # set but empty would mean the current folder
    if folder:  # given (a mounted emptyDir): files of an earlier run would be added to this one's counts
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
        os.makedirs(folder, exist_ok=True)
        for stale in glob.glob(os.path.join(folder, "*.db")):
            os.remove(stale)
    elif server.cfg.workers > 1:  # set before the workers import prometheus_client
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="docclf-metrics-")
        server.docclf_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def child_exit(server: Any, worker: Any) -> None:
    """A worker ended: its live gauges (model version, ready) must not be reported any more."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server: Any) -> None:
    own = getattr(server, "docclf_metrics_dir", None)
    if own:
        shutil.rmtree(own, ignore_errors=True)
