"""The endpoints. Handlers are thin: authorize, take the current predictor, validate, predict, answer."""

from __future__ import annotations

import hmac
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

from docclf.redact import redact_text, redact_uri
from docclf.serve.config import ServeConfig
from docclf.serve.metrics import Metrics
from docclf.serve.reload import ModelService
from docclf.serve.validation import ApiError, Limits, Upload, batch_uploads, decode_image, single_upload

if TYPE_CHECKING:  # torch and the model code load in the background thread, not before the first request
    from docclf.serve.predictor import Prediction, Predictor, Prepared

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
PREDICT_ENDPOINTS = ("/predict", "/predict_batch")
# /metrics labels come from these sets only: a client inventing methods or paths adds no series
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
STATUSES = frozenset({200, 400, 401, 403, 404, 405, 408, 411, 413, 415, 422, 429, 431, 500, 503})

bp = Blueprint("docclf", __name__)


@dataclass
class AppState:
    """Everything the handlers share, kept in app.extensions['docclf']."""

    cfg: ServeConfig
    service: ModelService
    metrics: Metrics
    limits: Limits
    openapi: dict[str, Any]
    slots: threading.BoundedSemaphore  # model calls at once (ServeConfig.inference_slots)
    decoders: ThreadPoolExecutor  # a batch's pages decode on every core (Pillow releases the GIL)


def _state() -> AppState:
    return current_app.extensions["docclf"]


# --------------------------------------------------------------------------- bookkeeping


@bp.before_app_request
def _start_clock() -> None:
    g.t0 = time.perf_counter()


@bp.after_app_request
def _count(resp: Response) -> Response:
    endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"  # bounded label values
    method = request.method if request.method in METHODS else "other"
    status = str(resp.status_code) if resp.status_code in STATUSES else f"{resp.status_code // 100}xx"
    m = _state().metrics
    m.requests.labels(endpoint, method, status).inc()
    m.latency.labels(endpoint).observe(time.perf_counter() - g.get("t0", time.perf_counter()))
    return resp


def _elapsed_ms() -> float:
    return round((time.perf_counter() - g.t0) * 1000, 2)


def _authorize(cfg: ServeConfig) -> None:
    if not cfg.api_token:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    # compare_digest: the time taken does not reveal how much of the token was right
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), cfg.api_token.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong API token: send the header "
                                            "'Authorization: Bearer <token>'")


def _predictor(st: AppState) -> Predictor:
    predictor = st.service.predictor  # read once: this request keeps this model even if a reload swaps it
    if predictor is None:
        reason = f" (last error: {redact_text(st.service.last_error)})" if st.service.last_error else ""
        raise ApiError(503, "model_not_ready", f"the model is still loading{reason}; retry shortly (see GET /ready)")
    return predictor


def _run(st: AppState, predictor: Predictor, inputs: list[Any]) -> list[Prediction]:
    with st.slots:  # the model already uses every core it was given: queue instead of oversubscribing
        t0 = time.perf_counter()
        preds = predictor.predict_prepared(inputs)
        st.metrics.inference.labels(predictor.backend).observe(time.perf_counter() - t0)
    st.metrics.batch_size.observe(len(inputs))
    st.metrics.images.labels("ok").inc(len(inputs))
    return preds


# --------------------------------------------------------------------------- predictions


@bp.post("/predict")
def predict() -> Any:
    st = _state()
    _authorize(st.cfg)
    predictor = _predictor(st)
    upload = single_upload(request)
    try:
        page = decode_image(upload.data, st.limits, predictor.pcfg.image_size)
    except ApiError as err:
        st.metrics.images.labels(err.code).inc()
        raise
    # a reading model OCRs the upload at its own resolution (the decoded page is model-sized)
    pred = _run(st, predictor, [predictor.prepare(page, source=upload.data)])[0]
    return jsonify({**pred.to_dict(), "model": _short(predictor), "latency_ms": _elapsed_ms()})


@bp.post("/predict_batch")
def predict_batch() -> Any:
    st = _state()
    _authorize(st.cfg)
    predictor = _predictor(st)
    uploads = batch_uploads(request, st.limits)
    # each page is letterboxed as soon as it is decoded (32 full A4 pages would be ~0.8 GB); the pool
    # holds one full page per core at a time
    prepared = list(st.decoders.map(lambda up: _prepare_upload(st, predictor, up), uploads))
    results: list[dict[str, Any]] = [{} for _ in uploads]
    inputs, ok = [], []
    for i, (up, item) in enumerate(zip(uploads, prepared)):
        if isinstance(item, ApiError):
            results[i] = {"index": i, "filename": up.filename, **item.body()}
        else:
            inputs.append(item)
            ok.append(i)
    for i, pred in zip(ok, _run(st, predictor, inputs) if inputs else []):
        results[i] = {"index": i, "filename": uploads[i].filename, **pred.to_dict()}
    return jsonify({"results": results, "count": len(results), "errors": len(results) - len(ok),
                    "model": _short(predictor), "latency_ms": _elapsed_ms()})


def _prepare_upload(st: AppState, predictor: Predictor, up: Upload) -> Prepared | ApiError:
    """One page of a batch decoded and made ready for the model, or the error that answers it."""
    try:
        if up.error is not None:
            raise up.error
        # a reading model OCRs the upload at its own resolution (the decoded page is model-sized)
        return predictor.prepare(decode_image(up.data, st.limits, predictor.pcfg.image_size), source=up.data)
    except ApiError as err:
        st.metrics.images.labels(err.code).inc()
        return err


# --------------------------------------------------------------------------- operations


@bp.get("/health")
def health() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/ready")
def ready() -> Any:
    st = _state()
    predictor = st.service.predictor
    if predictor is None:
        return jsonify({"status": "loading", "model_uri": redact_uri(st.cfg.model_uri),
                        "last_error": redact_text(st.service.last_error or "") or None}), 503
    return jsonify({"status": "ready", "model": _short(predictor), "backend": predictor.backend})


@bp.get("/model")
def model() -> Any:
    st = _state()
    predictor = _predictor(st)
    return jsonify({**_public(predictor.describe()), "reload": _public(st.service.status())})


def _short(predictor: Predictor) -> dict[str, str]:
    return _public(predictor.info.short())


def _public(info: dict[str, Any]) -> dict[str, Any]:
    """What a client may see of the model: no credentials in URIs, no server-side file paths."""
    hidden = {"onnx_path"}  # the server's own export folder (often a temp dir): nothing a client can use
    return {k: redact_text(v) if isinstance(v, str) else v for k, v in info.items() if k not in hidden}


@bp.get("/metrics")
def metrics() -> Response:
    body, content_type = _state().metrics.render()
    return Response(body, headers={"Content-Type": content_type})


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(_state().openapi)


@bp.get("/")
def index() -> Response:
    resp = send_from_directory(STATIC, "index.html")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


# --------------------------------------------------------------------------- errors as JSON


def _too_large_message() -> str:
    """413 from werkzeug: the body's bytes, or (under the byte limit) the number of multipart parts."""
    st = _state()
    if (request.content_length or 0) <= st.cfg.max_request_bytes and request.mimetype == "multipart/form-data":
        return (f"the form has more than {current_app.config['MAX_FORM_PARTS']:,} parts; /predict_batch takes at "
                f"most {st.limits.max_batch_size} images a request: split it into several requests")
    return f"the request is larger than the {st.cfg.max_request_bytes:,}-byte limit: send fewer or smaller images"


def register_error_handlers(app: Flask) -> None:
    """Every error is JSON with a code and a message that says what to do; 401 adds WWW-Authenticate."""

    @app.errorhandler(ApiError)
    def _api_error(err: ApiError) -> Any:
        resp = jsonify(err.body())
        resp.status_code = err.status
        if err.status == 401:
            resp.headers["WWW-Authenticate"] = 'Bearer realm="docclf"'
        if err.status == 503:
            resp.headers["Retry-After"] = "5"
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        messages = {
            404: f"no endpoint {request.path}; see GET /openapi.json for the endpoints",
            405: f"{request.method} is not allowed on {request.path}; allowed: "
                 f"{', '.join(sorted(exc.valid_methods or [])) if hasattr(exc, 'valid_methods') else '-'}",
            413: _too_large_message(),
        }
        body = {"error": exc.name.lower().replace(" ", "_"), "status": status,
                "message": messages.get(status, exc.description or exc.name)}
        resp = jsonify(body)
        resp.status_code = status
        if status == 405 and getattr(exc, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        log.exception("unhandled error on %s %s", request.method, request.path)
        resp = jsonify({"error": "internal_error", "status": 500,
                        "message": "the server failed on this request; it has been logged"})
        resp.status_code = 500
        return resp
