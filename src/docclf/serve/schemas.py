"""The API's response bodies as types: /openapi.json is generated from these, and the tests check
real responses against them, so the document and the service cannot drift apart."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    # A field the service returns but the type lacks is an error in the tests, not a silent extra.
    model_config = ConfigDict(extra="forbid")


class Error(_Body):
    """Every 4xx/5xx answer."""

    error: str = Field(description="stable code, e.g. image_too_large")
    message: str = Field(description="what was wrong and what to do")
    status: int


class ModelRef(_Body):
    """Which model answered: every prediction carries it."""

    name: str
    version: str
    uri: str = Field(description="the pinned URI that was loaded, e.g. models:/doc_classifier/3")


class Prediction(_Body):
    label: str | None = Field(description="the class, or null when the model abstains (none of these)")
    confidence: float
    probabilities: dict[str, float]
    abstain_reason: str | None = Field(None, description="why label is null (blank page, none of the known "
                                                         "classes, not confident enough)")
    views: dict[str, dict[str, float]] | None = Field(
        None, description="a model that reads: each view's calibrated probabilities (image, text)")
    ocr_seconds: float | None = Field(None, description="a model that reads: time spent on OCR")
    model: ModelRef
    latency_ms: float


class BatchItem(_Body):
    """One image of a batch: its prediction, or its own error (the rest of the batch still answers)."""

    index: int
    filename: str | None = None
    label: str | None = None
    confidence: float | None = None
    probabilities: dict[str, float] | None = None
    abstain_reason: str | None = None
    views: dict[str, dict[str, float]] | None = None
    ocr_seconds: float | None = None
    error: str | None = None
    message: str | None = None
    status: int | None = None


class BatchResult(_Body):
    results: list[BatchItem]
    count: int
    errors: int
    model: ModelRef
    latency_ms: float


class Health(_Body):
    status: str


class Ready(_Body):
    """`ready` with the model, or `loading` with what is being loaded and the last error."""

    status: str = Field(description="ready or loading")
    model: ModelRef | None = None
    backend: str | None = None
    model_uri: str | None = None
    last_error: str | None = None


class ReloadStatus(_Body):
    follows: str | None = Field(description="the stage or alias URI polled for new versions, if any")
    interval_s: float | None
    last_check: str | None
    last_error: str | None


class ModelDetails(_Body):
    """What `GET /model` shows: where the model came from, its classes and preprocessing, the reloader."""

    name: str
    version: str
    uri: str = Field(description="what the operator asked for, e.g. models:/doc_classifier/Production")
    resolved_uri: str = Field(description="what was loaded, e.g. models:/doc_classifier/3")
    stage: str | None = None
    alias: str | None = None
    architecture: str
    run_id: str | None = None
    loaded_at: str
    backend: str
    classes: list[str]
    input_size: list[int]
    preprocess: dict[str, Any]
    views: list[str] = Field(description="what the model uses: image, and text (OCR) for a reading model")
    abstain_below: float = Field(description="confidence under which the answer is label null")
    reject_above: float | None = Field(None, description="probability of the model's 'none of these' class at which "
                                                         "the answer is label null (null: the model has no such class)")
    wordless_classes: list[str] | None = Field(None, description="the only classes answered for a page where OCR reads "
                                                                 "under 3 words (null: any class; image-only models)")
    reload: ReloadStatus


RESPONSES: tuple[type[BaseModel], ...] = (Error, Prediction, BatchResult, Health, Ready, ModelDetails)


def component_schemas() -> dict[str, Any]:
    """JSON Schemas of every response body (and the types inside them), for `components.schemas`."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema([(m, "validation") for m in RESPONSES],
                                ref_template="#/components/schemas/{model}")
    return top["$defs"]
