"""The served model and its hot reload.

`ModelService.predictor` is read once per request and replaced by a single attribute assignment,
so a request always finishes on the model it started with and never waits for a load: the new
version is loaded and warmed up in a background thread, then swapped in. With a registry stage or
alias (`models:/NAME/Production`, `models:/NAME@production`) the thread polls the registry every
`reload_interval` seconds.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from docclf.clock import now_iso
from docclf.redact import redact_text, redact_uri
from docclf.serve.config import ServeConfig
from docclf.serve.source import ModelRef, RegistryClient, load_predictor, parse_model_uri

if TYPE_CHECKING:
    from docclf.serve.predictor import Predictor

log = logging.getLogger(__name__)

RETRY_SECONDS = 10.0  # first load failed (registry down, nothing promoted yet): try again this often

class ModelService:
    """Loads the model once at start-up (in the background) and swaps in new registry versions."""

    def __init__(self, cfg: ServeConfig, on_swap: Callable[["Predictor"], None] | None = None,
                 on_reload_result: Callable[[str], None] | None = None):
        self.cfg = cfg
        self.ref: ModelRef = parse_model_uri(cfg.model_uri)  # a malformed URI fails now, not in a thread
        self._predictor: "Predictor | None" = None
        self._pid = os.getpid()
        self.last_error: str | None = None
        self.last_check: str | None = None
        self._on_swap = on_swap or (lambda p: None)
        self._on_reload_result = on_reload_result or (lambda r: None)
        self._registry: RegistryClient | None = None
        self._stop = threading.Event()
        self._loaded = threading.Event()
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> None:
        """Start loading in a background thread; `/health` answers at once, `/ready` once loaded."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="docclf-model", daemon=True)
            self._thread.start()

    @property
    def predictor(self) -> "Predictor | None":
        """The model serving now (None while loading). Read it once per request."""
        if self._pid != os.getpid():
            self._adopt_after_fork()
        return self._predictor

    @predictor.setter
    def predictor(self, value: "Predictor | None") -> None:
        self._predictor = value

    def _adopt_after_fork(self) -> None:
        """This process was forked from the one that built the app (gunicorn --preload). The loading
        thread, ONNX Runtime's thread pool and the registry's connections did not survive the fork, and
        loading again here could hang on a lock the parent's thread held at that moment (an import
        half done). So the worker refuses to serve, and says what to change."""
        started = self._thread is not None or self._predictor is not None
        self._pid, self._predictor, self._registry = os.getpid(), None, None
        if not started:
            return
        self.last_error = ("this worker was forked after the app started loading its model (gunicorn "
                           "--preload); threads and ONNX Runtime sessions do not survive a fork: run gunicorn "
                           "without --preload (each worker then loads the model itself)")
        log.error(self.last_error)

    def wait_ready(self, timeout: float) -> bool:
        return self._loaded.wait(timeout)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def ready(self) -> bool:
        return self.predictor is not None

    def status(self) -> dict[str, Any]:
        return {"follows": redact_uri(self.ref.uri) if self.ref.follows else None,
                "interval_s": self.cfg.reload_interval if self.ref.follows else None,
                "last_check": self.last_check, "last_error": self.last_error}

    # -- the background thread
    def _run(self) -> None:
        follow = self.ref.follows and self.cfg.reload_interval > 0
        while not self._stop.is_set():
            self.check_once()
            if self.predictor is not None and not follow:
                return  # loaded, and nothing to follow
            if self.predictor is None:  # not loaded yet: retry soon
                self._stop.wait(min(self.cfg.reload_interval or RETRY_SECONDS, RETRY_SECONDS))
            else:
                self._stop.wait(self.cfg.reload_interval)

    def check_once(self) -> bool:
        """Load the model if it is missing or the registry names a new version; True if swapped."""
        try:
            target, run_id = self._target()
            self.last_check = now_iso()
            current = self.predictor
            if current is not None and current.info.version == target.version:
                return False
            t0 = time.perf_counter()
            new = load_predictor(target, self.cfg.backend, self.cfg.tracking_uri, self.cfg.export_dir,
                                 self.cfg.effective_inference_threads(), run_id)
        except Exception as exc:  # keep serving the current model; say why in /model and the log
            # the message may quote the tracking URI (a connection error): never with its password
            self.last_error = redact_text(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}")
            log.error("loading %s failed: %s", redact_uri(self.ref.uri), self.last_error)
            if self.predictor is not None:
                self._on_reload_result("failed")
            return False
        old = self.predictor
        self.predictor = new  # the swap: one assignment, atomic for readers
        self.last_error = None
        self._loaded.set()
        self._on_swap(new)
        if old is not None:
            self._on_reload_result("swapped")
        log.info("serving %s version %s (%s backend, %d inference threads), loaded in %.1f s%s", new.info.name,
                 new.info.version, new.backend, self.cfg.effective_inference_threads(), time.perf_counter() - t0,
                 f", replacing version {old.info.version}" if old else "")
        return True

    def _target(self) -> tuple[ModelRef, str | None]:
        """The reference to load (a registry stage or alias pinned to its current version) and its run."""
        if self.ref.kind != "registered":
            return self.ref, None
        if self._registry is None:
            self._registry = RegistryClient(self.cfg.tracking_uri)
        return self._registry.resolve(self.ref)
