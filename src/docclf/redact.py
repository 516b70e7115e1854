"""Credentials out of URIs before they are shown: in responses, logs, MLflow params and tags, errors.

    redact_uri("http://user:secret@mlflow:5000/?token=abc")  ->  "http://***@mlflow:5000/?token=***"
"""

from __future__ import annotations

import re

MASK = "***"
# query parameters that carry credentials (AWS presigned URLs, API tokens, database passwords)
SECRET_PARAM = r"[A-Za-z0-9_.-]*(?:token|key|secret|passw(?:or)?d|pwd|auth|signature|sig|credential|session)" \
               r"[A-Za-z0-9_.-]*"
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#\s@]+)@")
_QUERY_SECRET = re.compile(rf"(?P<key>[?&;]{SECRET_PARAM}=)(?P<value>[^&#\s]+)", re.IGNORECASE)


def redact_uri(uri: str | None) -> str | None:
    """`uri` with its user info and secret query values replaced by ***; anything else unchanged."""
    if not uri:
        return uri
    return redact_text(uri)


def redact_text(text: str) -> str:
    """Every URI inside `text` (an error message, a log line) redacted like `redact_uri`."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", text)
    return _QUERY_SECRET.sub(lambda m: f"{m['key']}{MASK}", text)
