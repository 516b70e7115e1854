"""What a hostile or careless client cannot do to the API: grow /metrics, read credentials, confuse the
limits; and the request reader that keeps stalled clients from holding threads (its parsing, no sockets)."""

from __future__ import annotations

import io
import logging
import socket
import sys
import tracemalloc

import pytest
from serve_support import image_bytes, trained_model

from docclf.errors import UsageError
from docclf.redact import redact_text, redact_uri
from docclf.serve import create_app
from docclf.serve.config import ServeConfig, config_from_env
from docclf.serve.worker import BufferedSocket, RequestError, RequestScanner

SECRET = "pa55word"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return trained_model(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def loaded(tiny):
    """A loaded PyTorch predictor to share between apps (loading once is what takes time)."""
    app = create_app(ServeConfig(model_uri=tiny.checkpoint, backend="torch", reload_interval=0), start=False)
    assert app.extensions["docclf"].service.check_once(), app.extensions["docclf"].service.last_error
    return app.extensions["docclf"].service.predictor


def _app(loaded, **overrides):
    app = create_app(ServeConfig(**{"model_uri": loaded.info.uri, "backend": "torch", "reload_interval": 0,
                                    **overrides}), start=False)
    app.extensions["docclf"].service.predictor = loaded
    return app


# --------------------------------------------------------------------------- /metrics labels


def test_metrics_labels_stay_in_known_sets(loaded):
    c = _app(loaded).test_client()
    for i in range(150):  # invented methods, paths and (via 404/405) statuses
        c.open(f"/health/{i}", method=f"X{i}")
        c.open(f"/nowhere-{i}", method="GET")
        c.open("/health", method=f"BREW{i}")
    c.get("/health")
    text = c.get("/metrics").get_data(as_text=True)
    series = [line for line in text.splitlines() if line.startswith("docclf_http_requests_total{")]
    assert 'docclf_http_requests_total{endpoint="unmatched",method="other",status="405"} 150.0' in series
    assert 'docclf_http_requests_total{endpoint="unmatched",method="GET",status="404"} 150.0' in series
    assert sum(float(line.split()[-1]) for line in series) == 451
    assert len(series) <= 5, series  # 451 requests, a handful of series
    assert "X1" not in text and "BREW" not in text and "nowhere" not in text


# --------------------------------------------------------------------------- credentials


def test_redact_uri_hides_user_info_and_secret_query_values():
    assert redact_uri(f"http://user:{SECRET}@mlflow:5000") == "http://***@mlflow:5000"
    assert redact_uri(f"https://{SECRET}@h/x?a=1&access_token={SECRET}&b=2") == "https://***@h/x?a=1&access_token=***&b=2"
    assert redact_uri(f"postgresql://u:{SECRET}@db/mlflow?sslmode=require") == "postgresql://***@db/mlflow?sslmode=require"
    assert redact_uri(f"https://s3/b/k?X-Amz-Signature={SECRET}&X-Amz-Date=1") == \
        "https://s3/b/k?X-Amz-Signature=***&X-Amz-Date=1"
    for harmless in ("sqlite:///mlflow.db", "models:/doc/Production", "s3://bucket/a@b", "/tmp/m.onnx", None):
        assert redact_uri(harmless) == harmless
    assert SECRET not in redact_text(f"server http://u:{SECRET}@h:1 is down; retry https://h/?token={SECRET}")


@pytest.mark.parametrize("tracking_uri", [f"http://user:{SECRET}@127.0.0.1:9", f"http://127.0.0.1:9/?token={SECRET}"])
def test_no_response_or_log_shows_tracking_credentials(tracking_uri, caplog):
    """A registry model behind an unreachable server: /ready, the 503s and the log explain, without the password."""
    app = create_app(ServeConfig(model_uri="models:/doc/Production", tracking_uri=tracking_uri, reload_interval=0,
                                 api_token="t"), start=False)
    service = app.extensions["docclf"].service
    with caplog.at_level(logging.INFO):
        assert not service.check_once()
    assert "127.0.0.1:9" in service.last_error  # the error still says where it looked
    c = app.test_client()
    shown = [c.get("/ready").get_data(as_text=True), c.get("/model").get_data(as_text=True),
             c.post("/predict", headers={"Authorization": "Bearer t"}).get_data(as_text=True), caplog.text]
    assert "unreachable" in shown[0] and "unreachable" in shown[2]
    for text in shown:
        assert SECRET not in text, text


def test_user_errors_never_quote_credentials():
    err = UsageError(f"cannot open the study storage postgresql://u:{SECRET}@db/optuna; check it")
    assert str(err) == "cannot open the study storage postgresql://***@db/optuna; check it"


def test_mlflow_params_tags_and_tracking_errors_hide_credentials(tmp_path):
    """Training logs its options as params, --tracking-uri included: the password must not be stored."""
    import mlflow

    from docclf import tracking

    with pytest.raises(UsageError) as err:
        tracking.connect(f"http://user:{SECRET}@127.0.0.1:9")
    assert SECRET not in str(err.value) and "http://***@127.0.0.1:9" in str(err.value)
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    tracker = tracking.RunTracker(uri, "redact", "r")
    try:
        tracker.log_params({"tracking_uri": f"http://user:{SECRET}@mlflow:5000", "lr": 0.1})
        tracker.set_tags({"storage": f"postgresql://u:{SECRET}@db/optuna", "note": f"https://h/?token={SECRET}"})
    finally:
        tracker.end()
    data = mlflow.MlflowClient(uri).get_run(tracker.run_id).data
    assert data.params["tracking_uri"] == "http://***@mlflow:5000" and data.params["lr"] == "0.1"
    assert data.tags["storage"] == "postgresql://***@db/optuna" and SECRET not in str(data.tags)


# --------------------------------------------------------------------------- limits and the token


def test_a_batch_of_1200_tiny_parts_is_refused_for_its_part_count(loaded):
    c = _app(loaded, max_batch_size=8).test_client()
    resp = c.post("/predict_batch", data={"files": [(io.BytesIO(b"x"), f"{i}.png") for i in range(1200)]})
    body = resp.get_json()
    assert resp.status_code == 413 and "parts" in body["message"] and "at most 8 images" in body["message"]
    assert "byte" not in body["message"]
    resp = c.post("/predict_batch", data={"files": [(io.BytesIO(b"x"), f"{i}.png") for i in range(9)]})
    assert resp.status_code == 413 and resp.get_json()["error"] == "batch_too_large"


def test_api_token_from_a_file_or_the_environment(loaded, tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-file\n")
    cfg = config_from_env({"DOCCLF_MODEL_URI": loaded.info.uri, "DOCCLF_API_TOKEN_FILE": str(secret)})
    assert cfg.api_token == "from-file"
    assert config_from_env({"DOCCLF_MODEL_URI": "x.pth", "DOCCLF_API_TOKEN": "from-env"}).api_token == "from-env"
    c = _app(loaded, api_token_file=str(secret)).test_client()
    page = image_bytes()
    for header, status in (("Bearer from-file", 200), ("bearer from-file", 200), ("Bearer wrong", 401), ("", 401)):
        resp = c.post("/predict", headers={"Authorization": header}, data={"file": (io.BytesIO(page), "p.png")})
        assert resp.status_code == status, header
    empty = tmp_path / "empty"
    empty.write_text("\n")
    for kwargs, words in (({"api_token_file": str(empty)}, "is empty"),
                          ({"api_token_file": str(tmp_path / "missing")}, "cannot read it"),
                          ({"api_token_file": str(secret), "api_token": "other"}, "not both")):
        with pytest.raises(UsageError, match=words):
            ServeConfig(model_uri="x.pth", **kwargs).validate()


# --------------------------------------------------------------------------- the worker's request reader


def _scan(*pieces: bytes, max_body: int = 1000) -> list[bool]:
    scanner = RequestScanner(max_body)
    return [scanner.feed(p) for p in pieces]


def test_scanner_waits_for_the_whole_request():
    assert _scan(b"GET /health HTTP/1.1\r\nHost: x\r\n", b"\r\n") == [False, True]
    head = b"POST /predict HTTP/1.1\r\nContent-Length: 10\r\n\r\n"
    assert _scan(head, b"12345", b"67890") == [False, False, True]
    chunked = b"POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert _scan(chunked, b"5\r\nhel", b"lo\r\n", b"0\r\n", b"\r\n") == [False, False, False, False, True]
    assert _scan(chunked + b"3;x=y\r\nabc\r\n0\r\nTrailer: 1\r\n\r\n") == [True]


def test_scanner_refuses_oversized_heads_and_bodies_before_reading_them():
    with pytest.raises(RequestError) as err:
        _scan(b"POST /predict HTTP/1.1\r\nContent-Length: 1001\r\n\r\n")
    assert err.value.status == 413 and "1,000-byte limit" in err.value.message
    with pytest.raises(RequestError) as err:
        _scan(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", b"3e9\r\n")
    assert err.value.status == 413
    with pytest.raises(RequestError) as err:
        _scan(b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000)
    assert err.value.status == 431 and err.value.code == "headers_too_large"


def test_scanner_answers_expect_continue_once():
    scanner = RequestScanner(1000)
    assert not scanner.feed(b"POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
    assert scanner.expect_continue and scanner.feed(b"ok")
    assert scanner.take() == b"POST /p HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"  # gunicorn must not send a second


def test_buffered_socket_hands_a_large_request_to_gunicorn_without_copying_the_rest():
    """gunicorn reads 8 kB at a time; copying the rest of a 20 MB batch on every read took seconds.

    Measured in memory, not time: a read that copies the rest allocates another 20 MB while the
    previous copy is alive, so the peak of what the reads allocate tells the two apart on any machine.
    """
    body = bytes(range(256)) * (20_000_000 // 256)
    refs = sys.getrefcount(body)
    a, b = socket.socketpair()
    with a, b:
        sock = BufferedSocket(a, read_timeout=5)
        sock.give(body)
        got, same = 0, True
        tracemalloc.start()
        try:
            while got < len(body):
                piece = sock.recv(8192)
                same &= piece == body[got:got + len(piece)]
                got += len(piece)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert same and got == len(body)
        assert peak < 1_000_000, f"reading 20 MB in 8 kB pieces allocated up to {peak / 1e6:.0f} MB at once"
        assert sys.getrefcount(body) == refs  # read: the socket no longer holds the request (kept-alive connections)
        b.sendall(b"next")  # past the buffered request, reads come from the socket
        assert sock.recv(8192) == b"next"
