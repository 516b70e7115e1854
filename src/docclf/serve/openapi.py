"""The OpenAPI 3.1 description served at /openapi.json: paths and limits from the config, response
bodies generated from the types in docclf.serve.schemas."""

from __future__ import annotations

from typing import Any

from docclf.config import ServeConfig
from docclf.serve.schemas import component_schemas


def _error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def openapi_spec(cfg: ServeConfig) -> dict[str, Any]:
    """The document; `servers` is left out so clients use whatever address they reached us on."""
    formats = "/".join(cfg.image_formats)
    secured = [{"bearer": []}] if cfg.api_token else []
    client_errors = {
        "400": _error("Bad request: missing or misnamed field, invalid JSON or base64, corrupt, truncated, "
                      "empty or zero-size image"),
        "401": _error("Missing or wrong bearer token (only when the service has an API token)"),
        "413": _error(f"Too large: request over {cfg.max_request_bytes:,} bytes, image over "
                      f"{cfg.max_image_pixels:,} px, or batch over {cfg.max_batch_size} images"),
        "415": _error(f"Not an accepted image ({formats}) or an unsupported Content-Type"),
        "503": _error("The model is still loading; retry after the Retry-After seconds"),
    }
    image_part = {"type": "string", "contentMediaType": "application/octet-stream",
                  "description": f"a {formats} image file"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "docclf document classifier", "version": "1.0.0",
                 "description": "Classifies a document page image as one of the model's classes."},
        "paths": {
            "/predict": {"post": {
                "summary": "Classify one page", "operationId": "predict", "security": secured,
                "requestBody": {"required": True, "content": {
                    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                       "properties": {"file": image_part}}},
                    "application/json": {"schema": {"type": "object", "required": ["image"], "properties": {
                        "image": {"type": "string", "contentEncoding": "base64",
                                  "description": "the image file's bytes, base64 (a data: URL is accepted)"}}}},
                    "image/*": {"schema": {"type": "string", "contentMediaType": "image/*"}}}},
                "responses": {"200": _json("The prediction", "Prediction"), **client_errors}}},
            "/predict_batch": {"post": {
                "summary": f"Classify up to {cfg.max_batch_size} pages; one result per image, in order",
                "operationId": "predictBatch", "security": secured,
                "requestBody": {"required": True, "content": {
                    "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": {
                        "files": {"type": "array", "items": image_part}}}},
                    "application/json": {"schema": {"oneOf": [
                        {"type": "array", "items": {"type": "string", "contentEncoding": "base64"}},
                        {"type": "object", "required": ["images"], "properties": {
                            "images": {"type": "array", "items": {"type": "string", "contentEncoding": "base64"}}}},
                    ]}}}},
                "responses": {"200": _json("One entry per image: a prediction or that image's error",
                                           "BatchResult"), **client_errors}}},
            "/health": {"get": {"summary": "Liveness: the process answers", "operationId": "health",
                                "responses": {"200": _json("Alive", "Health")}}},
            "/ready": {"get": {"summary": "Readiness: a model is loaded and its warm-up prediction passed",
                               "operationId": "ready",
                               "responses": {"200": _json("Ready", "Ready"), "503": _json("Not ready", "Ready")}}},
            "/model": {"get": {"summary": "The served model", "operationId": "model",
                               "responses": {"200": _json("Model details", "ModelDetails"),
                                             "503": _error("No model loaded yet")}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "operationId": "metrics",
                                 "responses": {"200": {"description": "Prometheus text exposition format",
                                                       "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/": {"get": {"summary": "A page to classify an image by hand", "operationId": "index",
                          "responses": {"200": {"description": "HTML",
                                                "content": {"text/html": {"schema": {"type": "string"}}}}}}},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {"application/json": {}}}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": component_schemas(),
        },
    }
