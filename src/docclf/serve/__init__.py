"""The web API: a Flask app factory, a predictor per backend, request validation, metrics, hot reload.

    gunicorn "docclf.serve:create_app()"        # configured by DOCCLF_* environment variables
    docclf serve --model-uri models:/doc_classifier/Production   # or: python app.py ...

Importing this package loads nothing; `create_app` imports Flask, Prometheus and the model code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from docclf.serve.config import ServeConfig

__all__ = ["create_app"]


def create_app(config: "ServeConfig | None" = None, start: bool = True) -> "Flask":
    """The Flask app (see `docclf.serve.factory.create_app`)."""
    # Imported here, not at the top: `docclf serve` must set PROMETHEUS_MULTIPROC_DIR before
    # prometheus_client is first imported.
    from docclf.serve.factory import create_app as _create_app

    return _create_app(config, start)
