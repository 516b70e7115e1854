"""`docclf serve` / `python app.py`: the app under gunicorn, configured from one ServeConfig."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

from docclf.serve.config import ServeConfig
from docclf.serve.source import parse_model_uri


def gunicorn_options(cfg: ServeConfig) -> dict[str, Any]:
    host = f"[{cfg.host}]" if ":" in cfg.host else cfg.host
    return {"bind": f"{host}:{cfg.port}", "workers": cfg.workers, "threads": cfg.threads,
            "worker_class": "gthread", "timeout": cfg.timeout, "graceful_timeout": 10,
            "accesslog": "-" if cfg.access_log else None, "child_exit": _child_exit}


def _child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def serve(cfg: ServeConfig) -> None:
    """Run gunicorn in this process until it is stopped (SIGINT / SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    parse_model_uri(cfg.model_uri)  # a missing file or malformed URI: one line now, not a crash per worker
    own_dir = None
    if cfg.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # several processes: /metrics must add up every worker's counts (set before prometheus is imported)
        own_dir = tempfile.mkdtemp(prefix="docclf-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = own_dir

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(cfg).items():
                self.cfg.set(key, value)

        def load(self) -> Any:  # in each worker, after the fork: the model is loaded per worker
            from docclf.serve import create_app

            return create_app(cfg)

    try:
        Server().run()
    finally:
        if own_dir:
            shutil.rmtree(own_dir, ignore_errors=True)
