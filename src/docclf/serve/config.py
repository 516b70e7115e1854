"""The service's options now live in docclf.config with every other stage's; these names stay importable."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from docclf import config as _config
from docclf.config import IMAGE_FORMATS, SERVE_BACKENDS, ServeConfig

__all__ = ["BACKENDS", "ENV_PREFIX", "IMAGE_FORMATS", "ServeConfig", "config_from_args", "config_from_env",
           "env_values"]

ENV_PREFIX = ServeConfig.env_prefix
BACKENDS = SERVE_BACKENDS


def env_values(environ: Mapping[str, str]) -> dict[str, Any]:
    """The DOCCLF_* variables that name a ServeConfig field, as raw values."""
    return _config.env_values(ServeConfig, environ)


def config_from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> ServeConfig:
    """ServeConfig from DOCCLF_* variables (what gunicorn "docclf.serve:create_app()" uses)."""
    return _config.config_from_env(ServeConfig, environ, **overrides)


def config_from_args(ns: argparse.Namespace, environ: Mapping[str, str] | None = None) -> ServeConfig:
    """ServeConfig for `docclf serve`: defaults < --config YAML < DOCCLF_* variables < flags typed."""
    return _config.config_from_args(ServeConfig, ns, environ)
