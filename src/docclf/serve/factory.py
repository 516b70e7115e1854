"""`create_app`: the Flask app factory. Building the app starts the model load in the background."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask

from docclf.serve.config import ServeConfig, config_from_env
from docclf.serve.metrics import Metrics
from docclf.serve.openapi import openapi_spec
from docclf.serve.reload import ModelService
from docclf.serve.routes import AppState, bp, register_error_handlers
from docclf.serve.validation import Limits


def create_app(config: ServeConfig | None = None, start: bool = True) -> Flask:
    """The web API for `config` (default: DOCCLF_* environment variables). `start=False` defers the
    model load to `app.extensions["docclf"].service.start()` (tests)."""
    cfg = config if config is not None else config_from_env()
    cfg.validate()
    _log_to_stderr()
    _limit_malloc_arenas()
    app = Flask("docclf.serve", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = cfg.max_request_bytes  # werkzeug answers 413 past this
    app.config["MAX_FORM_MEMORY_SIZE"] = cfg.max_request_bytes
    # a few parts more than a full batch, so an over-long batch gets the batch-size message
    app.config["MAX_FORM_PARTS"] = cfg.max_batch_size + 16
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep label, confidence, ... in reading order
    metrics = Metrics()
    service = ModelService(cfg, on_swap=metrics.set_model,
                           on_reload_result=lambda result: metrics.reloads.labels(result).inc())
    limits = Limits(cfg.max_image_pixels, cfg.max_batch_size, tuple(cfg.image_formats))
    # threads start on a batch's first page, not here
    decoders = ThreadPoolExecutor(cfg.effective_inference_threads(), thread_name_prefix="docclf-decode")
    app.extensions["docclf"] = AppState(cfg, service, metrics, limits, openapi_spec(cfg),
                                        threading.BoundedSemaphore(cfg.inference_slots), decoders)
    app.register_blueprint(bp)
    register_error_handlers(app)
    if start:
        service.start()
    return app


def _limit_malloc_arenas(arenas: int = 2) -> None:
    """Cap glibc's per-thread malloc arenas: with 8 request threads the worker's RSS kept creeping up
    after warm-up (bench_api, PyTorch backend); capped, it levels off once every path has run. Same as
    MALLOC_ARENA_MAX=2, but set by the app so that gunicorn users need not know."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do
        pass


def _log_to_stderr() -> None:
    """Show docclf's INFO lines (model loaded, reloads) when the host (gunicorn) set up no root handler."""
    logger = logging.getLogger("docclf")
    if not logging.getLogger().handlers and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
