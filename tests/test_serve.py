"""The web API through Flask's test client: every endpoint, every kind of bad input, the backends,
the preprocessing identity with evaluation, hot reload from the registry."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from docclf.cli import run
from docclf.data import eval_batch, load_or_build_cache, scan_split
from docclf.errors import UsageError
from docclf.evaluate import load_classifier
from docclf.serve import create_app
from docclf.serve.config import ServeConfig, config_from_env
from docclf.serve.validation import Limits, decode_image
from serve_support import CLASSES, bomb_png, image_bytes, png_with_header, register, trained_model

REPO = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return trained_model(tmp_path_factory.getbasetemp())


def _loaded_app(**overrides):
    """An app whose model is loaded synchronously (no background thread)."""
    app = create_app(ServeConfig(**{"reload_interval": 0, **overrides}), start=False)
    assert app.extensions["docclf"].service.check_once(), app.extensions["docclf"].service.last_error
    return app


@pytest.fixture(scope="module")
def torch_app(tiny):
    return _loaded_app(model_uri=tiny.checkpoint, backend="torch")


@pytest.fixture(scope="module")
def onnx_app(tiny, tmp_path_factory):
    export_dir = tmp_path_factory.mktemp("exports")
    app = _loaded_app(model_uri=tiny.checkpoint, backend="onnx", export_dir=str(export_dir))
    app.export_dir = export_dir
    return app


@pytest.fixture
def client(torch_app):
    return torch_app.test_client()


@pytest.fixture(scope="module")
def strict_app(torch_app):
    """Small limits, two formats, a token; shares the loaded torch predictor (no second load)."""
    app = create_app(ServeConfig(model_uri=torch_app.extensions["docclf"].cfg.model_uri, backend="torch",
                                 max_request_bytes=300_000, max_image_pixels=1_000_000, max_batch_size=3,
                                 image_formats=["PNG", "JPEG"], api_token=TOKEN, reload_interval=0), start=False)
    app.extensions["docclf"].service.predictor = torch_app.extensions["docclf"].service.predictor
    return app


def _files(field, *items):
    return {field: [(io.BytesIO(data), name) for name, data in items]}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _assert_prediction(body, classes=CLASSES):
    assert body["label"] in classes
    assert set(body["probabilities"]) == set(classes)
    assert abs(sum(body["probabilities"].values()) - 1) < 1e-4
    assert body["confidence"] == max(body["probabilities"].values())
    assert body["probabilities"][body["label"]] == body["confidence"]


# --------------------------------------------------------------------------- happy paths


def test_predict_multipart_json_and_raw_agree(client, tiny):
    png = image_bytes()
    a = client.post("/predict", data={"file": (io.BytesIO(png), "page.png")})
    b = client.post("/predict", json={"image": _b64(png)})
    c = client.post("/predict", json={"image": "data:image/png;base64," + _b64(png)})
    d = client.post("/predict", data=png, content_type="image/png")
    for resp in (a, b, c, d):
        assert resp.status_code == 200, resp.get_json()
        body = resp.get_json()
        _assert_prediction(body)
        assert body["model"] == {"name": "model_final", "version": f"run-{tiny.run_id[:8]}",
                                 "uri": tiny.checkpoint}
        assert body["latency_ms"] > 0
    assert len({json.dumps(r.get_json()["probabilities"]) for r in (a, b, c, d)}) == 1
    assert list(a.get_json()) == ["label", "confidence", "probabilities", "model", "latency_ms"]


def test_predict_matches_evaluation_model(client, tiny):
    """The served probabilities are the evaluation model's softmax on the same page."""
    path = next((Path(tiny.data_dir) / "test" / "resume").iterdir())
    body = client.post("/predict", data={"file": (io.BytesIO(path.read_bytes()), path.name)}).get_json()
    clf = load_classifier(tiny.checkpoint)
    from docclf.preprocess import open_page, preprocess
    expected = clf.predict_proba(preprocess([open_page(path)], clf.preprocess))[0]
    assert np.allclose([body["probabilities"][c] for c in clf.classes], expected.numpy(), atol=1e-5)


def test_predict_batch_in_order_with_a_bad_image(client):
    pages = [image_bytes(cls=i) for i in range(3)]
    resp = client.post("/predict_batch", data=_files("files", ("a.png", pages[0]), ("bad.png", b"not an image"),
                                                     ("c.png", pages[2]), ("empty.png", b"")))
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["count"] == 4 and body["errors"] == 2
    results = body["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3]
    assert [r["filename"] for r in results] == ["a.png", "bad.png", "c.png", "empty.png"]
    _assert_prediction(results[0])
    _assert_prediction(results[2])
    assert results[1]["status"] == 415 and results[1]["error"] == "unsupported_image_type"
    assert results[3]["status"] == 400 and results[3]["error"] == "empty_image"
    # each image's answer is the one /predict gives for it alone (batching changes nothing)
    single = client.post("/predict", data={"file": (io.BytesIO(pages[2]), "c.png")}).get_json()
    assert np.allclose(list(single["probabilities"].values()), list(results[2]["probabilities"].values()),
                       atol=1e-5)


def test_predict_batch_json_forms(client):
    png, jpg = image_bytes(), image_bytes("JPEG")
    as_list = client.post("/predict_batch", json=[_b64(png), _b64(jpg)]).get_json()
    as_obj = client.post("/predict_batch", json={"images": [_b64(png), {"image": _b64(jpg), "filename": "x.jpg"},
                                                            "%%%", 5, {"img": "x"}]}).get_json()
    assert as_list["count"] == 2 and as_list["errors"] == 0
    assert as_obj["count"] == 5 and as_obj["errors"] == 3
    assert as_obj["results"][1]["filename"] == "x.jpg"
    assert [r.get("error") for r in as_obj["results"][2:]] == ["invalid_base64", "invalid_field", "missing_field"]
    assert as_list["results"][0]["probabilities"] == as_obj["results"][0]["probabilities"]


@pytest.mark.parametrize("fmt,mode", [("JPEG", "RGB"), ("WEBP", "RGB"), ("TIFF", "RGB"), ("BMP", "RGB"),
                                      ("GIF", "P"), ("PNG", "RGBA"), ("PNG", "L"), ("JPEG", "CMYK")])
def test_accepted_formats_and_modes(client, fmt, mode):
    resp = client.post("/predict", data={"file": (io.BytesIO(image_bytes(fmt, mode=mode)), "page")})
    assert resp.status_code == 200, resp.get_json()
    _assert_prediction(resp.get_json())


def test_health_ready_model_metrics_openapi_index(client, tiny):
    assert client.get("/health").get_json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"
    model = client.get("/model").get_json()
    assert model["classes"] == CLASSES and model["backend"] == "torch" and model["input_size"] == [3, 64, 64]
    assert model["architecture"] == "mobilenetv3_small_100" and model["run_id"] == tiny.run_id
    assert model["loaded_at"].endswith("Z") and model["preprocess"]["resize_mode"] == "pad"
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert 'id="drop"' in html and "fetch(\"predict\"" in html and "http" not in html.split("<script>")[1]


def test_metrics_count_requests_batches_and_model(torch_app):
    app = create_app(ServeConfig(model_uri=torch_app.extensions["docclf"].cfg.model_uri, reload_interval=0),
                     start=False)  # a second app: its own registry, no clash with torch_app's
    state = app.extensions["docclf"]
    state.service.predictor = torch_app.extensions["docclf"].service.predictor
    state.metrics.set_model(state.service.predictor)
    c = app.test_client()
    c.post("/predict", data={"file": (io.BytesIO(image_bytes()), "p.png")})
    c.post("/predict", data={"file": (io.BytesIO(b"xx"), "p.png")})
    c.post("/predict_batch", data=_files("files", *[(f"{i}.png", image_bytes()) for i in range(3)]))
    c.get("/nowhere")
    text = c.get("/metrics").get_data(as_text=True)
    assert 'docclf_http_requests_total{endpoint="/predict",method="POST",status="200"} 1.0' in text
    assert 'docclf_http_requests_total{endpoint="/predict",method="POST",status="415"} 1.0' in text
    assert 'docclf_http_requests_total{endpoint="unmatched",method="GET",status="404"} 1.0' in text
    assert 'docclf_batch_size_bucket{le="4.0"} 2.0' in text and "docclf_batch_size_count 2.0" in text
    assert 'docclf_http_request_duration_seconds_count{endpoint="/predict"} 2.0' in text
    assert 'docclf_images_total{outcome="unsupported_image_type"} 1.0' in text
    assert 'docclf_model_version{backend="torch",name="model_final"} 0.0' in text
    assert "docclf_model_ready 1.0" in text


def test_openapi_describes_every_route(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1")
    routes = {r.rule for r in client.application.url_map.iter_rules()}
    assert routes == set(spec["paths"])
    for path, ops in spec["paths"].items():
        for method in ops:
            rule = next(r for r in client.application.url_map.iter_rules() if r.rule == path)
            assert method.upper() in rule.methods, (path, method)
    refs = {m for m in json.dumps(spec).split('"') if m.startswith("#/components/schemas/")}
    assert {r.rsplit("/", 1)[1] for r in refs} <= set(spec["components"]["schemas"])


# --------------------------------------------------------------------------- bad input: > 20 kinds


GOOD = image_bytes()
TRUNCATED = GOOD[: len(GOOD) // 2]
CORRUPT = GOOD[:60] + bytes(40) + GOOD[100:]
DEEP_JSON = "[" * 100_000 + "]" * 100_000

MALFORMED = [
    # (id, path, request kwargs, status, error code, words the message must contain)
    ("no-body", "/predict", {}, 415, "unsupported_media_type", "multipart"),
    ("text-plain", "/predict", {"data": "hello", "content_type": "text/plain"}, 415, "unsupported_media_type",
     "text/plain"),
    ("form-urlencoded", "/predict", {"data": {"file": "x"}}, 415, "unsupported_media_type", "file=@"),
    ("wrong-field", "/predict", {"data": {"image": (io.BytesIO(GOOD), "p.png")}}, 400, "missing_field",
     "got: image"),
    ("plural-field-on-single", "/predict", {"data": {"files": (io.BytesIO(GOOD), "p.png")}}, 400, "missing_field",
     "/predict_batch"),
    ("two-files-on-single", "/predict", {"data": {"file": [(io.BytesIO(GOOD), "a.png"), (io.BytesIO(GOOD), "b.png")]}},
     400, "too_many_files", "/predict_batch"),
    ("file-as-text", "/predict", {"data": {"file": "page.png"}, "content_type": "multipart/form-data"}, 400,
     "not_a_file", "@"),
    ("multipart-no-boundary", "/predict", {"data": b"--x\r\n", "content_type": "multipart/form-data"}, 400,
     "missing_field", "'file'"),
    ("empty-file", "/predict", {"data": {"file": (io.BytesIO(b""), "p.png")}}, 400, "empty_image", "0 bytes"),
    ("text-file", "/predict", {"data": {"file": (io.BytesIO(b"just text"), "p.png")}}, 415,
     "unsupported_image_type", "PNG/JPEG"),
    ("pdf", "/predict", {"data": {"file": (io.BytesIO(b"%PDF-1.7\n..."), "p.pdf")}}, 415, "unsupported_image_type",
     "PDF"),
    ("truncated-png", "/predict", {"data": {"file": (io.BytesIO(TRUNCATED), "p.png")}}, 400, "corrupt_image",
     "truncated"),
    ("header-only-png", "/predict", {"data": {"file": (io.BytesIO(GOOD[:33]), "p.png")}}, 400, "corrupt_image",
     "corrupt"),
    ("corrupt-png", "/predict", {"data": {"file": (io.BytesIO(CORRUPT), "p.png")}}, 400, "corrupt_image",
     "cannot be decoded"),
    ("truncated-jpeg", "/predict", {"data": {"file": (io.BytesIO(image_bytes("JPEG")[:300]), "p.jpg")}}, 400,
     "corrupt_image", "JPEG"),
    ("zero-width", "/predict", {"data": {"file": (io.BytesIO(png_with_header(0, 50)), "p.png")}}, 400,
     "empty_image", "no pixels"),
    ("zero-height-gif", "/predict", {"data": {"file": (io.BytesIO(b"GIF89a\x10\x00\x00\x00" + bytes(30)), "p.gif")}},
     400, "empty_image", "no pixels"),
    ("bomb-header", "/predict", {"data": {"file": (io.BytesIO(png_with_header(60_000, 60_000)), "p.png")}}, 413,
     "image_too_large", "3,600,000,000 px"),
    ("bomb-real", "/predict", {"data": {"file": (io.BytesIO(bomb_png()), "p.png")}}, 413, "image_too_large",
     "81,000,000 px"),
    ("invalid-json", "/predict", {"data": "{image: 1", "content_type": "application/json"}, 400, "invalid_json",
     "line 1"),
    ("empty-json", "/predict", {"data": "", "content_type": "application/json"}, 400, "invalid_json", "empty"),
    ("json-not-object", "/predict", {"json": ["abc"]}, 400, "invalid_json", "a list"),
    ("json-wrong-key", "/predict", {"json": {"img": "abc"}}, 400, "missing_field", "keys: img"),
    ("json-images-on-single", "/predict", {"json": {"images": []}}, 400, "missing_field", "/predict_batch"),
    ("json-not-string", "/predict", {"json": {"image": 123}}, 400, "invalid_field", "a number"),
    ("bad-base64", "/predict", {"json": {"image": "not base64!"}}, 400, "invalid_base64", "base64 -w0"),
    ("base64-of-text", "/predict", {"json": {"image": _b64(b"hello world")}}, 415, "unsupported_image_type", ""),
    ("json-not-utf8", "/predict", {"data": b"\xff\xfe{", "content_type": "application/json"}, 400, "invalid_json",
     "UTF-8"),
    ("json-too-deep", "/predict", {"data": DEEP_JSON, "content_type": "application/json"}, 400, "invalid_json",
     "nested"),
    ("batch-singular-field", "/predict_batch", {"data": {"file": (io.BytesIO(GOOD), "p.png")}}, 400,
     "missing_field", "'files' (plural)"),
    ("batch-empty-list", "/predict_batch", {"json": []}, 400, "empty_batch", "no images"),
    ("batch-wrong-key", "/predict_batch", {"json": {"imgs": []}}, 400, "missing_field", "keys: imgs"),
    ("batch-json-string", "/predict_batch", {"json": "abc"}, 400, "missing_field", "a string"),
    ("batch-raw-image", "/predict_batch", {"data": GOOD, "content_type": "image/png"}, 415,
     "unsupported_media_type", "files=@"),
    ("get-predict", "/predict", {"method": "GET"}, 405, "method_not_allowed", "POST"),
    ("unknown-path", "/predikt", {}, 404, "not_found", "/openapi.json"),
]


@pytest.mark.parametrize("path,kwargs,status,code,words", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_requests_get_a_4xx_that_says_what_to_fix(client, path, kwargs, status, code, words):
    kwargs = dict(kwargs)
    method = kwargs.pop("method", "POST")
    resp = client.open(path, method=method, **kwargs)
    body = resp.get_json()
    assert resp.status_code == status, body
    assert body["error"] == code and body["status"] == status
    assert words in body["message"], body["message"]
    # the process keeps serving
    assert client.post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")}).status_code == 200


def test_limits_auth_and_formats(strict_app):
    c = strict_app.test_client()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    page = {"file": (io.BytesIO(GOOD), "p.png")}

    def post(path, headers=None, **kw):
        resp = c.post(path, headers=auth if headers is None else headers, **kw)
        return resp.status_code, resp.get_json()

    status, body = post("/predict", headers={}, data=page)
    assert status == 401 and body["error"] == "unauthorized" and "Bearer" in body["message"]
    assert c.post("/predict", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.post("/predict", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert c.post("/predict", headers={"Authorization": "Bearer"}).status_code == 401
    assert c.post("/predict_batch", headers={"Authorization": "Bearer é"}).status_code == 401
    resp = c.post("/predict")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    for open_path in ("/health", "/ready", "/metrics", "/model", "/openapi.json", "/"):
        assert c.get(open_path).status_code == 200, open_path
    assert post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")})[0] == 200

    status, body = post("/predict", data={"file": (io.BytesIO(image_bytes("GIF", mode="P")), "p.gif")})
    assert status == 415 and "GIF images are not accepted" in body["message"] and "PNG/JPEG" in body["message"]
    status, body = post("/predict", data={"file": (io.BytesIO(image_bytes(size=(1001, 1000))), "p.png")})
    assert status == 413 and body["error"] == "image_too_large" and "1,001,000 px" in body["message"]
    status, body = post("/predict", data={"file": (io.BytesIO(b"\0" * 400_000), "p.png")})
    assert status == 413 and body["error"] == "request_entity_too_large" and "300,000" in body["message"]
    status, body = post("/predict", json={"image": "A" * 400_000})
    assert status == 413
    status, body = post("/predict_batch", data=_files("files", *[(f"{i}.png", GOOD) for i in range(4)]))
    assert status == 413 and body["error"] == "batch_too_large" and "limit is 3" in body["message"]
    status, body = post("/predict_batch", json=[_b64(GOOD)] * 4)
    assert status == 413 and body["error"] == "batch_too_large"
    status, body = post("/predict_batch", json=[_b64(GOOD)] * 3)
    assert status == 200 and body["errors"] == 0


def test_not_ready_until_the_model_is_loaded(tiny):
    app = create_app(ServeConfig(model_uri=tiny.checkpoint, backend="torch", reload_interval=0), start=False)
    c = app.test_client()
    assert c.get("/health").status_code == 200
    ready = c.get("/ready")
    assert ready.status_code == 503 and ready.get_json()["status"] == "loading"
    resp = c.post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")})
    assert resp.status_code == 503 and resp.headers["Retry-After"] and resp.get_json()["error"] == "model_not_ready"
    assert c.get("/model").status_code == 503
    service = app.extensions["docclf"].service
    service.start()  # the real background load
    assert service.wait_ready(120), service.last_error
    assert c.get("/ready").status_code == 200
    assert c.post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")}).status_code == 200
    service.stop()


# --------------------------------------------------------------------------- preprocessing: one code path


def test_served_tensor_is_the_evaluation_tensor(tiny, torch_app, onnx_app, tmp_path):
    """Serving decodes and preprocesses exactly like evaluation's cache + eval_batch (JPEG draft mode too)."""
    split = tmp_path / "pages" / "test" / "invoice"
    split.mkdir(parents=True)
    page = Image.open(next((Path(tiny.data_dir) / "test" / "invoice").iterdir())).convert("RGB")
    big = page.resize((720, 960))  # large enough that JPEG draft mode decodes at a reduced scale
    files = {"a.png": (page, "PNG"), "b.jpg": (big, "JPEG"), "c.webp": (big, "WEBP")}
    for name, (img, fmt) in files.items():
        img.save(split / name, fmt)
    predictor = torch_app.extensions["docclf"].service.predictor
    pcfg = predictor.pcfg
    cached = load_or_build_cache(scan_split(tmp_path / "pages", "test", CLASSES), pcfg, tmp_path / "cache",
                                 progress=False)
    limits = Limits(10**8, 8, ("PNG", "JPEG", "WEBP"))
    onnx_predictor = onnx_app.extensions["docclf"].service.predictor
    for i, path in enumerate(cached.paths):
        expected = eval_batch(torch.from_numpy(cached.images[i:i + 1].copy()), pcfg)
        page_served = decode_image(Path(path).read_bytes(), limits, pcfg.image_size)
        for served in (predictor, onnx_predictor):  # numpy preprocessing for both backends, bit for bit
            assert np.array_equal(served.prepare(page_served).pixels, expected.contiguous().numpy()), path
    # and the draft-mode decode really differs from a full decode, so this test can tell them apart
    from docclf.preprocess import letterbox
    full = letterbox(Image.open(split / "b.jpg").convert("RGB"), pcfg)
    assert not np.array_equal(full, cached.images[cached.paths.index(str(split / "b.jpg"))])


# --------------------------------------------------------------------------- ONNX Runtime backend


def test_onnx_backend_matches_torch_and_serves_the_export(onnx_app, torch_app, tiny):
    model = onnx_app.test_client().get("/model").get_json()
    # what a client needs, not the server's files: no path into the export folder
    assert model["backend"] == "onnx" and "onnx_path" not in model and str(onnx_app.export_dir) not in str(model)
    export = next(onnx_app.export_dir.glob("*/model.onnx")).parent
    sidecar = json.loads((export / "model.json").read_text())
    assert sidecar["classes"] == CLASSES and sidecar["parity"]["top1_agreement"] == 1.0
    pages = [image_bytes(cls=i) for i in range(5)]
    data = _files("files", *[(f"{i}.png", p) for i, p in enumerate(pages)])
    onnx_out = onnx_app.test_client().post("/predict_batch", data=data).get_json()["results"]
    data = _files("files", *[(f"{i}.png", p) for i, p in enumerate(pages)])
    torch_out = torch_app.test_client().post("/predict_batch", data=data).get_json()["results"]
    for a, b in zip(onnx_out, torch_out):
        assert a["label"] == b["label"]
        assert np.allclose(list(a["probabilities"].values()), list(b["probabilities"].values()), atol=1e-4)
    # the exported folder (or its model.onnx) serves on its own, from the sidecar alone
    for uri in (str(export), str(export / "model.onnx")):
        app = _loaded_app(model_uri=uri)
        body = app.test_client().get("/model").get_json()
        assert body["backend"] == "onnx" and body["classes"] == CLASSES and body["run_id"] == tiny.run_id
        got = app.test_client().post("/predict_batch", data=_files(
            "files", *[(f"{i}.png", p) for i, p in enumerate(pages)])).get_json()["results"]
        for a, b in zip(got, onnx_out):
            assert np.allclose(list(a["probabilities"].values()), list(b["probabilities"].values()), atol=1e-6)


def test_onnx_file_without_sidecar_is_a_clear_error(tmp_path):
    (tmp_path / "m.onnx").write_bytes(b"")
    app = create_app(ServeConfig(model_uri=str(tmp_path / "m.onnx"), reload_interval=0), start=False)
    service = app.extensions["docclf"].service
    assert not service.check_once()
    assert "model.json" in service.last_error
    ready = app.test_client().get("/ready").get_json()
    assert ready["status"] == "loading" and "model.json" in ready["last_error"]


# --------------------------------------------------------------------------- hot reload from the registry


def test_hot_reload_swaps_to_the_new_alias_version(tiny):
    v1 = register(tiny, "reload_unit", alias="champion")
    app = _loaded_app(model_uri="models:/reload_unit@champion", backend="torch", tracking_uri=tiny.tracking_uri)
    c = app.test_client()
    service = app.extensions["docclf"].service
    assert c.get("/model").get_json()["version"] == v1
    before = service.predictor
    assert not service.check_once()  # nothing moved: nothing reloaded
    v2 = register(tiny, "reload_unit", alias="champion")
    assert service.check_once()
    assert service.predictor is not before
    model = c.get("/model").get_json()
    assert model["version"] == v2 and model["alias"] == "champion" and model["resolved_uri"].endswith(f"/{v2}")
    body = c.post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")}).get_json()
    assert body["model"] == {"name": "reload_unit", "version": v2, "uri": f"models:/reload_unit/{v2}"}
    text = c.get("/metrics").get_data(as_text=True)
    assert 'docclf_model_reloads_total{result="swapped"} 1.0' in text
    assert f'docclf_model_version{{backend="torch",name="reload_unit"}} {float(v2)}' in text
    # the registry goes away: the service keeps serving v2 and says why it could not check
    from docclf.registry import Registry
    Registry(tiny.tracking_uri).delete_alias("reload_unit", "champion")
    assert not service.check_once()
    assert "champion" in service.last_error
    assert c.post("/predict", data={"file": (io.BytesIO(GOOD), "p.png")}).status_code == 200
    assert c.get("/model").get_json()["reload"]["last_error"] == service.last_error


def test_stage_uri_resolves_to_the_stage_holder(tiny):
    register(tiny, "stage_unit")
    v2 = register(tiny, "stage_unit")
    from docclf.registry import Registry
    Registry(tiny.tracking_uri).transition("stage_unit", v2, "Production")
    app = _loaded_app(model_uri="models:/stage_unit/Production", backend="torch", tracking_uri=tiny.tracking_uri)
    model = app.test_client().get("/model").get_json()
    assert model["version"] == v2 and model["stage"] == "Production"


# --------------------------------------------------------------------------- configuration and entry points


def test_config_from_environment():
    env = {"DOCCLF_MODEL_URI": "m.pth", "DOCCLF_PORT": "9001", "DOCCLF_API_TOKEN": "t", "DOCCLF_BACKEND": "torch",
           "DOCCLF_RELOAD_INTERVAL": "2.5", "DOCCLF_IMAGE_FORMATS": "png,jpeg", "DOCCLF_MAX_BATCH_SIZE": "4"}
    cfg = config_from_env(env)
    assert (cfg.model_uri, cfg.port, cfg.api_token, cfg.backend, cfg.reload_interval, cfg.max_batch_size) == \
        ("m.pth", 9001, "t", "torch", 2.5, 4)
    assert cfg.image_formats == ["PNG", "JPEG"]
    with pytest.raises(UsageError, match="DOCCLF_MODEL_URI"):
        config_from_env({})
    with pytest.raises(UsageError, match="port"):
        config_from_env({"DOCCLF_MODEL_URI": "m.pth", "DOCCLF_PORT": "many"})
    with pytest.raises(UsageError, match="SVG"):
        config_from_env({"DOCCLF_MODEL_URI": "m.pth", "DOCCLF_IMAGE_FORMATS": "svg"})


def test_create_app_reads_the_environment(tiny, monkeypatch):
    monkeypatch.setenv("DOCCLF_MODEL_URI", tiny.checkpoint)
    monkeypatch.setenv("DOCCLF_MAX_BATCH_SIZE", "2")
    app = create_app(start=False)
    assert app.extensions["docclf"].cfg.max_batch_size == 2
    assert app.config["MAX_CONTENT_LENGTH"] == ServeConfig().max_request_bytes


def test_importing_the_package_loads_nothing():
    code = ("import sys, docclf.serve, docclf.serve.config; "
            "print(sorted(m for m in ('flask', 'prometheus_client', 'torch', 'mlflow', 'onnxruntime') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


@pytest.mark.parametrize("argv,words", [
    (["--model-uri", "nowhere/model.pth"], "not found"),
    ([], "--model-uri"),
    (["--model-uri", "models:/a/b/c"], "is not a model URI"),
    (["--model-uri", "x.pth", "--port", "0"], "--port must be positive"),
])
def test_serve_cli_errors_are_one_line(argv, words, capsys):
    assert run(["serve", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and words in err, err


def test_app_py_is_the_serve_command():
    out = subprocess.run([sys.executable, str(REPO / "app.py"), "--help"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and "--model-uri" in out.stdout and "DOCCLF_MODEL_URI" in out.stdout
