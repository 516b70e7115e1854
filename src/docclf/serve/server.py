"""`docclf serve` / `python app.py`: the app under gunicorn, with the tested set-up of `gunicorn_conf`."""

from __future__ import annotations

from typing import Any

from docclf.serve import gunicorn_conf
from docclf.serve.config import ServeConfig
from docclf.serve.source import parse_model_uri

GUNICORN_CONFIG = "python:docclf.serve.gunicorn_conf"
APP = "docclf.serve:create_app()"


def gunicorn_command(bind: str, workers: int) -> list[str]:
    """The command a deployment runs (Dockerfile, compose, Kubernetes); the live tests run it too."""
    return ["gunicorn", "-c", GUNICORN_CONFIG, "--bind", bind, "--workers", str(workers), APP]


def gunicorn_options(cfg: ServeConfig) -> dict[str, Any]:
    """gunicorn_conf's settings and hooks, with the sizes and timeouts `cfg` asks for."""
    from docclf.serve.worker import BufferingWorker

    host = f"[{cfg.host}]" if ":" in cfg.host else cfg.host
    # the worker takes its limits from this config rather than from DOCCLF_* variables
    worker = type("BufferingWorker", (BufferingWorker,), {"read_timeout": float(cfg.read_timeout),
                                                         "max_request_bytes": cfg.max_request_bytes,
                                                         "configured": True})
    return {"graceful_timeout": gunicorn_conf.graceful_timeout, "keepalive": gunicorn_conf.keepalive,
            "on_starting": gunicorn_conf.on_starting, "child_exit": gunicorn_conf.child_exit,
            "on_exit": gunicorn_conf.on_exit, "bind": f"{host}:{cfg.port}", "workers": cfg.workers,
            "threads": cfg.threads, "worker_class": worker, "timeout": cfg.timeout,
            "accesslog": "-" if cfg.access_log else None}


def serve(cfg: ServeConfig) -> None:
    """Run gunicorn in this process until it is stopped (SIGINT / SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    parse_model_uri(cfg.model_uri)  # a missing file or malformed URI: one line now, not a crash per worker

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(cfg).items():
                self.cfg.set(key, value)

        def load(self) -> Any:  # in each worker, after the fork: the model is loaded per worker
            from docclf.serve import create_app

            return create_app(cfg)

    Server().run()
