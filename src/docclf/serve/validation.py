"""Turning a request into decoded pages, or into a 4xx that says what to fix.

Order of checks for one image: empty -> format by its magic bytes (415 if not an accepted image)
-> header only: size (zero: 400, over the pixel limit: 413, before any pixel is decoded) ->
decode with the training code's `open_page_for_size` (corrupt or truncated: 400). Nothing a client
sends may raise past this module: every failure is an `ApiError`.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import logging
import struct
import warnings
from dataclasses import dataclass
from typing import Any

from flask import Request
from PIL import Image

log = logging.getLogger(__name__)

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "JPEG": (b"\xff\xd8\xff",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "BMP": (b"BM",),
    "TIFF": (b"II*\x00", b"MM\x00*"),
}
KNOWN_NOT_IMAGES = {b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or Office document)",
                    b"<svg": "an SVG drawing", b"<?xml": "an XML file", b"%!PS": "a PostScript file"}
HOW_TO_SEND = ("send one image as multipart field 'file' (curl -F file=@page.png) or as JSON "
               "{\"image\": \"<base64>\"}")
HOW_TO_SEND_BATCH = ("send images as multipart fields named 'files' (curl -F files=@a.png -F files=@b.png) or as "
                     "JSON {\"images\": [\"<base64>\", ...]} (or a bare JSON list)")


class ApiError(Exception):
    """A client error with an HTTP status, a stable code and a message that says what to fix."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "status": self.status}


@dataclass(frozen=True)
class Upload:
    """One image as received; `error` set when it could not even be extracted (bad base64, ...)."""

    data: bytes = b""
    filename: str | None = None
    error: ApiError | None = None


@dataclass(frozen=True)
class Limits:
    max_image_pixels: int
    max_batch_size: int
    image_formats: tuple[str, ...]


# --------------------------------------------------------------------------- requests -> uploads


def single_upload(req: Request) -> Upload:
    """The one image of a /predict request."""
    kind = _body_kind(req, HOW_TO_SEND)
    if kind == "raw":
        return Upload(req.get_data(), None)
    if kind == "json":
        body = _json_body(req, HOW_TO_SEND)
        if not isinstance(body, dict):
            raise ApiError(400, "invalid_json", f"expected a JSON object, got {_json_type(body)}; {HOW_TO_SEND}")
        if "image" not in body:
            hint = " (for several images use POST /predict_batch)" if "images" in body else ""
            raise ApiError(400, "missing_field", f"JSON has no 'image' key (keys: {_keys(body)}); "
                                                 f"{HOW_TO_SEND}{hint}")
        return _from_base64(body["image"], body.get("filename"), "image")
    files = req.files
    uploads = files.getlist("file")
    if len(uploads) > 1:
        raise ApiError(400, "too_many_files", f"/predict takes one 'file', got {len(uploads)}; "
                                              "use POST /predict_batch with fields named 'files'")
    if uploads:
        return Upload(uploads[0].read(), uploads[0].filename)
    if "files" in files:
        raise ApiError(400, "missing_field", "/predict takes one image in field 'file'; for several images "
                                             "use POST /predict_batch with fields named 'files'")
    if "file" in req.form:
        raise ApiError(400, "not_a_file", "field 'file' is text, not a file upload: use curl -F file=@page.png "
                                          "(with the @)")
    raise ApiError(400, "missing_field", f"no multipart field 'file' (got: {_keys(files) or 'nothing'}); "
                                         f"{HOW_TO_SEND}")


def batch_uploads(req: Request, limits: Limits) -> list[Upload]:
    """The images of a /predict_batch request, in order; undecodable entries carry their error."""
    kind = _body_kind(req, HOW_TO_SEND_BATCH, raw_ok=False)
    if kind == "json":
        body = _json_body(req, HOW_TO_SEND_BATCH)
        items = body.get("images") if isinstance(body, dict) else body
        if not isinstance(items, list):
            got = f"keys: {_keys(body)}" if isinstance(body, dict) else _json_type(body)
            raise ApiError(400, "missing_field", f"expected a list of images ({got}); {HOW_TO_SEND_BATCH}")
        _check_count(len(items), limits)
        return [_json_item(item, i) for i, item in enumerate(items)]
    files = req.files.getlist("files")
    if not files:
        hint = "; use 'files' (plural) for /predict_batch" if "file" in req.files else ""
        raise ApiError(400, "missing_field", f"no multipart fields named 'files' (got: {_keys(req.files) or 'nothing'})"
                                             f"{hint}; {HOW_TO_SEND_BATCH}")
    _check_count(len(files), limits)
    return [Upload(f.read(), f.filename) for f in files]


def _check_count(n: int, limits: Limits) -> None:
    if n == 0:
        raise ApiError(400, "empty_batch", f"the batch has no images; {HOW_TO_SEND_BATCH}")
    if n > limits.max_batch_size:
        raise ApiError(413, "batch_too_large", f"{n} images in one batch; the limit is {limits.max_batch_size}: "
                                               "split it into several requests")


def _body_kind(req: Request, how: str, raw_ok: bool = True) -> str:
    mime = (req.mimetype or "").lower()
    if mime == "multipart/form-data":
        return "multipart"
    if mime == "application/json" or mime.endswith("+json"):
        return "json"
    if raw_ok and (mime.startswith("image/") or mime == "application/octet-stream"):
        return "raw"
    raise ApiError(415, "unsupported_media_type",
                   f"Content-Type {mime or '(none)'} is not accepted; {how}")


def _json_body(req: Request, how: str) -> Any:
    raw = req.get_data()
    if not raw.strip():
        raise ApiError(400, "invalid_json", f"the JSON body is empty; {how}")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_json", "the body is not UTF-8 text; send JSON, or the image as multipart") from None
    except json.JSONDecodeError as exc:
        raise ApiError(400, "invalid_json", f"the body is not valid JSON ({exc.msg} at line {exc.lineno} "
                                            f"column {exc.colno}); {how}") from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the JSON is nested too deeply") from None


def _json_item(item: Any, index: int) -> Upload:
    try:
        if isinstance(item, dict):
            if "image" not in item:
                raise ApiError(400, "missing_field", f"item {index} has no 'image' key (keys: {_keys(item)})")
            return _from_base64(item["image"], item.get("filename"), f"images[{index}]")
        return _from_base64(item, None, f"images[{index}]")
    except ApiError as err:
        return Upload(error=err)


def _from_base64(value: Any, filename: Any, where: str) -> Upload:
    if not isinstance(value, str):
        raise ApiError(400, "invalid_field", f"'{where}' must be a base64 string, got {_json_type(value)}")
    text = value.split(",", 1)[1] if value.startswith("data:") and "," in value else value  # data: URLs
    text = "".join(text.split())  # line-wrapped base64 (`base64` wraps at 76 columns)
    try:
        alphabet = b"-_" if ("-" in text or "_" in text) else b"+/"
        data = base64.b64decode(text + "=" * (-len(text) % 4), altchars=alphabet, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, "invalid_base64", f"'{where}' is not valid base64; encode the image file's bytes "
                                              "(e.g. base64 -w0 page.png)") from None
    return Upload(data, filename if isinstance(filename, str) else None)


def _keys(obj: Any) -> str:
    return ", ".join(sorted(str(k) for k in obj.keys()))[:200]


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- bytes -> page


def sniff_format(data: bytes) -> str | None:
    """The image format named by the file's first bytes (never by its name or declared type)."""
    for fmt, sigs in SIGNATURES.items():
        if data.startswith(sigs):
            return fmt
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def decode_image(data: bytes, limits: Limits, image_size: int) -> Image.Image:
    """Bytes -> RGB page exactly as training decodes it, after the cheap checks."""
    if not data:
        raise ApiError(400, "empty_image", "the image is empty (0 bytes); check the file path you uploaded")
    fmt = sniff_format(data)
    if fmt is None:
        what = next((name for magic, name in KNOWN_NOT_IMAGES.items() if data.lstrip()[:5].startswith(magic)),
                    "not an image format we accept")
        raise ApiError(415, "unsupported_image_type", f"the upload is {what}; send a "
                                                      f"{'/'.join(limits.image_formats)} image of the page")
    if fmt not in limits.image_formats:
        raise ApiError(415, "unsupported_image_type", f"{fmt} images are not accepted here; send "
                                                      f"{'/'.join(limits.image_formats)}")
    width, height = _header_size(data, fmt)
    if width <= 0 or height <= 0:
        raise ApiError(400, "empty_image", f"the {fmt} image is {width}x{height} px: it has no pixels")
    if width * height > limits.max_image_pixels:
        raise ApiError(413, "image_too_large", f"the image is {width}x{height} = {width * height:,} px; the limit "
                                               f"is {limits.max_image_pixels:,} px: downscale it (300 dpi is plenty)")
    from docclf.preprocess import BadImageError, open_page_for_size  # numpy and Pillow only

    try:
        return open_page_for_size(io.BytesIO(data), image_size)
    except BadImageError as exc:
        raise ApiError(400, "corrupt_image", f"the {fmt} image cannot be decoded ({_first_line(exc)}); it is corrupt "
                                             "or truncated: upload the complete file") from None
    except Exception as exc:  # Pillow's decoders raise a zoo of types on hostile input; all are the client's
        log.warning("decoder error on a %s upload: %s: %s", fmt, type(exc).__name__, _first_line(exc))
        raise ApiError(400, "corrupt_image", f"the {fmt} image cannot be decoded ({type(exc).__name__}); it is "
                                             "corrupt or truncated: upload the complete file") from None


def _header_size(data: bytes, fmt: str) -> tuple[int, int]:
    """Width and height from the header alone: no pixel data is decoded here."""
    declared = _declared_size(data, fmt)
    if declared is not None and (0 in declared or declared[0] * declared[1] > 2**31):
        return declared  # Pillow refuses these itself, with a message about its own limits
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # our own limit decides; truncated-file warnings become errors below
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                return img.size
    except Image.DecompressionBombError as exc:
        raise ApiError(413, "image_too_large", f"{_first_line(exc)}; downscale the image") from None
    except Exception as exc:  # UnidentifiedImageError, SyntaxError, struct.error, ...: a broken header
        raise ApiError(400, "corrupt_image", f"the {fmt} header cannot be read ({type(exc).__name__}); the file "
                                             "is corrupt or truncated: upload the complete file") from None


def _declared_size(data: bytes, fmt: str) -> tuple[int, int] | None:
    """The size a PNG or GIF header declares, read by hand (Pillow rejects 0 px without saying so)."""
    if fmt == "PNG" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if fmt == "GIF" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
