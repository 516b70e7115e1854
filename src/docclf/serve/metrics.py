"""Prometheus metrics of one app, in its own CollectorRegistry (so tests can build several apps).

Under gunicorn with several workers each process counts its own requests; set
PROMETHEUS_MULTIPROC_DIR (`docclf serve --workers N` does it for you) and `/metrics` adds up
every worker's files with the client library's MultiProcessCollector.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from docclf.serve.predictor import Predictor

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)


class Metrics:
    """The service's counters and histograms."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("docclf_http_requests_total", "HTTP requests by endpoint, method and status",
                                ["endpoint", "method", "status"], registry=r)
        self.latency = Histogram("docclf_http_request_duration_seconds", "Request latency by endpoint",
                                 ["endpoint"], buckets=LATENCY_BUCKETS, registry=r)
        self.inference = Histogram("docclf_inference_duration_seconds",
                                   "Model time (preprocess + forward + postprocess) per call", ["backend"],
                                   buckets=LATENCY_BUCKETS, registry=r)
        self.batch_size = Histogram("docclf_batch_size", "Images per prediction call", buckets=BATCH_BUCKETS,
                                    registry=r)
        self.images = Counter("docclf_images_total", "Images received, by outcome (ok or an error code)",
                              ["outcome"], registry=r)
        self.model_version = Gauge("docclf_model_version", "Registry version of the served model (0 if none)",
                                   ["name", "backend"], registry=r, multiprocess_mode="liveall")
        self.model_ready = Gauge("docclf_model_ready", "1 once a model is loaded and warmed up", registry=r,
                                 multiprocess_mode="liveall")
        self.reloads = Counter("docclf_model_reloads_total", "Hot reloads by result (swapped, failed)",
                               ["result"], registry=r)

    def set_model(self, predictor: "Predictor") -> None:
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # not supported there; labels rarely change anyway
            self.model_version.clear()
        version = predictor.info.version
        self.model_version.labels(predictor.info.name, predictor.backend).set(
            float(version) if version.isdigit() else 0.0)
        self.model_ready.set(1)

    def render(self) -> tuple[bytes, str]:
        """The exposition text: this process's registry, or every worker's in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            combined = CollectorRegistry()
            multiprocess.MultiProcessCollector(combined)
            return generate_latest(combined), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
