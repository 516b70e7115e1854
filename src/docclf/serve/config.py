"""The service's options: one dataclass, read from the command line, a YAML file or DOCCLF_* variables.

Every field `max_batch_size` is the flag `--max-batch-size` and the variable
`DOCCLF_MAX_BATCH_SIZE`. Precedence: defaults < YAML (`--config`) < environment < command line,
so a container can set variables and an operator can still override one flag by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docclf.config import build_config, load_yaml, opt
from docclf.errors import UsageError

ENV_PREFIX = "DOCCLF_"
BACKENDS = ("auto", "onnx", "torch")
# Formats Pillow decodes natively and safely; EPS (Ghostscript), PDF, SVG and friends are refused.
IMAGE_FORMATS = ["PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF"]


@dataclass
class ServeConfig:
    """Options of the web API (`docclf serve`, `python app.py`, `gunicorn "docclf.serve:create_app()"`)."""

    model_uri: str = opt("", "model to serve: models:/NAME/STAGE|VERSION, models:/NAME@ALIAS, runs:/ID, "
                             "a run id, a checkpoint (.pth) or an exported .onnx with its model.json")
    backend: str = opt("auto", "inference backend; auto = ONNX Runtime when the model exports, else PyTorch",
                       choices=BACKENDS)
    tracking_uri: str | None = opt(None, "MLflow tracking URI for models:/ and runs:/ (unset: "
                                         "MLFLOW_TRACKING_URI, else sqlite:///mlflow.db)")
    host: str = opt("127.0.0.1", "address to listen on (0.0.0.0 for every interface)")
    port: int = opt(8000, "TCP port")
    workers: int = opt(1, "gunicorn worker processes (python app.py / docclf serve)")
    threads: int = opt(4, "request threads per worker")
    inference_threads: int = opt(0, "intra-op threads per worker for the model (0 = cores / workers)")
    inference_slots: int = opt(1, "model calls running at once per worker; other requests decode meanwhile and "
                                  "queue for a slot (more only oversubscribes the cores and holds more memory)")
    api_token: str | None = opt(None, "if set, /predict and /predict_batch need 'Authorization: Bearer TOKEN' "
                                      "(visible in ps: prefer --api-token-file or DOCCLF_API_TOKEN)")
    api_token_file: str | None = opt(None, "read the API token from this file (first line), e.g. a mounted secret")
    reload_interval: float = opt(30.0, "seconds between registry polls for a models:/ stage or alias "
                                       "(0 = never reload)")
    max_request_bytes: int = opt(20_000_000, "largest request body accepted (413 above)")
    max_image_pixels: int = opt(40_000_000, "largest image, width x height, accepted before decoding (413 above)")
    max_batch_size: int = opt(32, "most images in one /predict_batch request (413 above)")
    image_formats: list[str] = opt(list(IMAGE_FORMATS), "image formats accepted (415 otherwise)")
    export_dir: str | None = opt(None, "folder for the ONNX export of a PyTorch model (unset: a temp dir)")
    timeout: int = opt(60, "gunicorn worker timeout, seconds")
    read_timeout: int = opt(30, "seconds a client has to send a whole request (head and body) before it gets "
                                "408 and is disconnected; stalled clients hold no thread meanwhile")
    access_log: bool = opt(False, "log every request (gunicorn access log on stderr)")

    def validate(self) -> None:
        if not self.model_uri:
            raise UsageError("no model to serve: pass --model-uri (or set DOCCLF_MODEL_URI), e.g. "
                             "models:/doc_classifier/Production or outputs/run/model_final.pth")
        self.image_formats = [f.upper() for f in self.image_formats]
        unknown = sorted(set(self.image_formats) - set(IMAGE_FORMATS))
        if unknown:
            raise UsageError(f"--image-formats: {', '.join(unknown)} not supported; choose from "
                             f"{', '.join(IMAGE_FORMATS)}")
        for name in ("port", "workers", "threads", "inference_slots", "max_request_bytes", "max_image_pixels",
                     "max_batch_size", "timeout", "read_timeout"):
            if getattr(self, name) <= 0:
                raise UsageError(f"--{name.replace('_', '-')} must be positive, got {getattr(self, name)}")
        if self.reload_interval < 0 or self.inference_threads < 0:
            raise UsageError("--reload-interval and --inference-threads must be >= 0")
        if self.api_token_file:
            self.api_token = _read_token(self.api_token_file, self.api_token)

    def effective_inference_threads(self) -> int:
        """Threads for the model in one worker: the cores shared out between workers."""
        return self.inference_threads or max(1, (os.cpu_count() or 1) // self.workers)


def _read_token(path: str, given: str | None) -> str:
    """The first line of a token file (a Kubernetes or Docker secret), refusing two sources at once."""
    try:
        token = open(path, encoding="utf-8").readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--api-token-file {path}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    if not token:
        raise UsageError(f"--api-token-file {path} is empty: put the token on its first line")
    if given and given != token:  # validate() may run twice: the token read last time is fine
        raise UsageError("give the API token once: --api-token (DOCCLF_API_TOKEN) or --api-token-file, not both")
    return token


def env_values(environ: Mapping[str, str]) -> dict[str, Any]:
    """The DOCCLF_* variables that name a ServeConfig field, as raw values."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(ServeConfig):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is None or raw == "":
            continue
        values[f.name] = raw.replace(",", " ").split() if f.name == "image_formats" else raw
    return values


def config_from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> ServeConfig:
    """ServeConfig from DOCCLF_* variables (what gunicorn "docclf.serve:create_app()" uses)."""
    return build_config(ServeConfig, env_values(os.environ if environ is None else environ), overrides)


def config_from_args(ns: argparse.Namespace, environ: Mapping[str, str] | None = None) -> ServeConfig:
    """ServeConfig for `docclf serve`: defaults < --config YAML < DOCCLF_* variables < flags typed."""
    names = {f.name for f in dataclasses.fields(ServeConfig)}
    typed = {k: v for k, v in vars(ns).items() if k in names}
    file_values = load_yaml(ns.config) if getattr(ns, "config", None) else {}
    return build_config(ServeConfig, {**file_values, **env_values(os.environ if environ is None else environ)},
                        typed)
