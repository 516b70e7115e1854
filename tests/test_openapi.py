"""/openapi.json against the service: real responses from Flask's test client validate against the
schema the document declares for that path, method and status."""

from __future__ import annotations

import base64
import io

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from docclf.config import ServeConfig
from docclf.serve import create_app
from serve_support import image_bytes, trained_model


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tiny = trained_model(tmp_path_factory.getbasetemp())
    app = create_app(ServeConfig(model_uri=tiny.checkpoint, backend="torch", reload_interval=0), start=False)
    assert app.extensions["docclf"].service.check_once(), app.extensions["docclf"].service.last_error
    return app


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/openapi.json").get_json()


def _check(spec: dict, path: str, method: str, resp) -> dict:
    """Validate `resp`'s JSON against the schema the document gives for its status; return the body."""
    declared = spec["paths"][path][method]["responses"]
    assert str(resp.status_code) in declared, (path, resp.status_code, "status not in the document")
    schema = declared[str(resp.status_code)]["content"]["application/json"]["schema"]
    body = resp.get_json()
    errors = list(Draft202012Validator({**schema, "components": spec["components"]}).iter_errors(body))
    assert not errors, f"{method.upper()} {path} {resp.status_code}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    return body


def test_the_document_is_valid_openapi(spec):
    validate_spec(spec)
    schemas = set(spec["components"]["schemas"])
    assert {"Prediction", "BatchResult", "ModelDetails", "Error", "Ready", "Health"} <= schemas


def test_every_json_response_matches_the_document(app, spec):
    c = app.test_client()
    _check(spec, "/health", "get", c.get("/health"))
    assert _check(spec, "/ready", "get", c.get("/ready"))["status"] == "ready"
    details = _check(spec, "/model", "get", c.get("/model"))
    assert details["reload"]["follows"] is None and details["classes"]
    good = image_bytes()
    one = _check(spec, "/predict", "post", c.post("/predict", data={"file": (io.BytesIO(good), "p.png")}))
    assert one["label"] in details["classes"]
    _check(spec, "/predict", "post", c.post("/predict", json={"image": base64.b64encode(good).decode()}))
    bad = _check(spec, "/predict", "post", c.post("/predict", data={"file": (io.BytesIO(b"xx"), "p.png")}))
    assert bad["status"] == 415
    _check(spec, "/predict", "post", c.post("/predict", data={}))  # 400: no file
    batch = _check(spec, "/predict_batch", "post", c.post("/predict_batch", data={
        "files": [(io.BytesIO(good), "a.png"), (io.BytesIO(b"xx"), "b.png")]}))
    assert batch["count"] == 2 and batch["errors"] == 1


def test_a_loading_service_answers_as_documented(app, spec):
    loading = create_app(ServeConfig(model_uri=app.extensions["docclf"].cfg.model_uri, reload_interval=0),
                         start=False)  # never loaded
    c = loading.test_client()
    assert _check(spec, "/ready", "get", c.get("/ready"))["status"] == "loading"
    _check(spec, "/model", "get", c.get("/model"))
    _check(spec, "/predict", "post", c.post("/predict", data={"file": (io.BytesIO(image_bytes()), "p.png")}))


def test_a_field_the_types_lack_is_caught(spec):
    """The check itself: an undocumented key in a body fails (the schemas forbid extras)."""
    class Fake:
        status_code = 200

        @staticmethod
        def get_json():
            return {"status": "ok", "uptime": 3}

    with pytest.raises(AssertionError, match="uptime"):
        _check(spec, "/health", "get", Fake())
