"""Timestamps as docclf writes them everywhere: UTC, ISO 8601, to the second, with a Z."""

from __future__ import annotations

import datetime as dt

ISO = "%Y-%m-%dT%H:%M:%SZ"


def now_iso() -> str:
    """Now, e.g. 2026-11-29T05:40:00Z."""
    return dt.datetime.now(dt.timezone.utc).strftime(ISO)


def iso_from_ms(ms: int | None) -> str:
    """An MLflow timestamp (milliseconds since the epoch) in the same form; '' for none."""
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).strftime(ISO) if ms else ""
