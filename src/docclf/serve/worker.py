"""A gunicorn worker that reads each request whole before a thread handles it.

gunicorn's gthread worker hands a connection to a thread as soon as its first bytes arrive, and the
thread then blocks until the rest of the request comes. Clients that send half a request and stop
held every thread: `/health` waited over 100 s behind four of them. This worker reads requests in
its event loop instead (non-blocking, no thread per connection) and gives a thread only complete
requests, so stalled clients cost a buffer each, never a thread. A request must arrive whole within
`read_timeout` seconds (`--read-timeout`, DOCCLF_READ_TIMEOUT; default 30) or the client gets a 408
and is disconnected; a body declared larger than `max_request_bytes` is refused (413) before it is
read. Errors gunicorn's own parser finds (headers too large, a malformed request line) are JSON too.

    gunicorn -c python:docclf.serve.gunicorn_conf "docclf.serve:create_app()"   # uses this worker
"""

from __future__ import annotations

import errno
import json
import os
import re
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_HEAD_BYTES = 64 * 1024  # request line + headers; gunicorn's own limits (8190 per field) apply after
BUFFER_BUDGET_REQUESTS = 8  # bodies of this many largest-allowed requests may be buffered at once per worker
STATUS_RE = re.compile(rb"^HTTP/1\.[01] (\d{3}) ([^\r\n]*)")


class RequestError(Exception):
    """A request refused before it reached the app: status, code and message, sent as JSON."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def json_response(status: int, reason: str, body: dict[str, Any]) -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    payload = json.dumps(body).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n")
    return head.encode("latin-1") + payload


class RequestScanner:
    """Collects the bytes of one HTTP/1.x request and says when it is complete (head and body)."""

    def __init__(self, max_body: int):
        self.max_body = max_body
        self.buf = bytearray()
        self.head_end: int | None = None
        self.body_length: int | None = None  # Content-Length; None for chunked
        self.chunked = False
        self.chunk_pos = 0  # where the next chunk-size line starts (chunked bodies)
        self.chunk_total = 0
        self.expect_continue = False

    def feed(self, data: bytes) -> bool:
        """Add bytes; True once the whole request is here. Raises RequestError for a refused request."""
        self.buf += data
        if self.head_end is None and not self._scan_head():
            return False
        if self.chunked:
            return self._scan_chunks()
        return len(self.buf) >= self.head_end + (self.body_length or 0)

    def take(self) -> bytes | memoryview:
        """The request's bytes, without an Expect header (this worker already answered 100 Continue).
        A view of the buffer, not a copy (a batch is up to --max-request-bytes): feed nothing more."""
        if self.expect_continue and self.head_end is not None:
            head = b"\r\n".join(line for line in bytes(self.buf[:self.head_end]).split(b"\r\n")
                                if not line.lower().startswith(b"expect:"))
            return head + self.buf[self.head_end:]
        return memoryview(self.buf)

    def _scan_head(self) -> bool:
        end = self.buf.find(b"\r\n\r\n", 0, MAX_HEAD_BYTES + 4)
        if end < 0:
            if len(self.buf) > MAX_HEAD_BYTES:
                raise RequestError(431, "headers_too_large", f"the request line and headers exceed "
                                   f"{MAX_HEAD_BYTES:,} bytes: send fewer or shorter headers")
            return False
        self.head_end = end + 4
        for line in bytes(self.buf[:end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length" and value.isdigit():
                self.body_length = int(value)  # several or malformed: gunicorn's parser refuses it later
            elif name == b"transfer-encoding" and b"chunked" in value:
                self.chunked = True
            elif name == b"expect" and value == b"100-continue":
                self.expect_continue = True
        if self.chunked:
            self.body_length, self.chunk_pos = None, self.head_end
        elif (self.body_length or 0) > self.max_body:
            raise _too_large(self.max_body)
        return True

    def _scan_chunks(self) -> bool:
        while True:
            eol = self.buf.find(b"\r\n", self.chunk_pos)
            if eol < 0:
                return False
            try:
                size = int(bytes(self.buf[self.chunk_pos:eol]).split(b";")[0].strip() or b"x", 16)
            except ValueError:
                return True  # malformed: let gunicorn's parser answer it
            if size == 0:  # last chunk, then optional trailers, then an empty line
                return self.buf[eol + 2:eol + 4] == b"\r\n" or self.buf.find(b"\r\n\r\n", eol) >= 0
            self.chunk_total += size
            if self.chunk_total > self.max_body:
                raise _too_large(self.max_body)
            if len(self.buf) < eol + 2 + size + 2:
                return False
            self.chunk_pos = eol + 2 + size + 2


def _too_large(limit: int) -> RequestError:
    return RequestError(413, "request_too_large", f"the request is larger than the {limit:,}-byte limit: "
                                                  "send fewer or smaller images")


class BufferedSocket:
    """A client socket whose first reads come from bytes the event loop already received."""

    def __init__(self, sock: socket.socket, read_timeout: float):
        self._sock, self._timeout = sock, read_timeout
        self._pending = memoryview(b"")

    def give(self, data: bytes | memoryview) -> None:
        self._pending = memoryview(self._pending.tobytes() + data if self._pending else data)

    def recv(self, n: int, *flags: int) -> bytes:
        if self._pending:
            # a view, not `bytes[n:]`: gunicorn reads 8 kB at a time, and copying the rest on every read
            # made a 23 MB batch cost 4 s of CPU (700 kB: 2 ms)
            data = self._pending[:n].tobytes()
            # a view keeps the whole request alive: let it go once read (a 23 MB batch per kept-alive connection)
            self._pending = self._pending[n:] if len(self._pending) > n else memoryview(b"")
            return data
        return self._sock.recv(n, *flags)  # past the buffered request: bounded by the read timeout

    def setblocking(self, flag: bool) -> None:
        # gunicorn's thread sets blocking mode before parsing; a timeout keeps any read beyond the
        # buffered request from blocking a thread forever
        self._sock.settimeout(self._timeout if flag else 0.0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class BufferingWorker(ThreadWorker):
    """gthread with requests read whole in the event loop: see the module docstring."""

    read_timeout: float = 30.0
    max_request_bytes: int = 20_000_000
    configured = False  # True in the subclass `docclf serve` makes from its ServeConfig

    def init_process(self) -> None:
        from docclf.errors import UsageError
        from docclf.serve.config import config_from_env

        # `docclf serve` sets the class attributes; plain gunicorn reads DOCCLF_* like the app does
        if not self.configured:
            try:
                cfg = config_from_env(os.environ)
                self.read_timeout, self.max_request_bytes = float(cfg.read_timeout), cfg.max_request_bytes
            except (UsageError, ValueError, TypeError) as exc:  # the app refuses them too, in full
                self.log.warning("DOCCLF_* settings: %s; reading requests with the default limits", exc)
        self.reading: dict[TConn, float] = {}  # connection -> deadline
        self.buffered = 0  # bytes held by connections still being read
        super().init_process()

    @classmethod
    def check_config(cls, cfg: Any, log: Any) -> None:
        super().check_config(cfg, log)
        if cfg.is_ssl:
            raise RuntimeError("BufferingWorker serves plain HTTP: terminate TLS in front of it (ingress, proxy)")

    # -- connections arrive and become readable: read in the loop, not in a thread
    def accept(self, listener: socket.socket) -> None:
        try:
            sock, addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, BufferedSocket(sock, self.read_timeout), addr, listener.getsockname())
        self._start_reading(conn)

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        """A kept-alive connection sends its next request: read it in the loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._start_reading(conn)
        self._read(conn)

    def _start_reading(self, conn: TConn) -> None:
        conn.scanner = RequestScanner(self.max_request_bytes)
        self.reading[conn] = time.monotonic() + self.read_timeout
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: TConn, _client: Any) -> None:
        self._read(conn)

    def _read(self, conn: TConn) -> None:
        scanner: RequestScanner = conn.scanner
        try:
            data = conn.sock._sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return self._drop(conn)
        if not data:
            return self._drop(conn)  # the client went away
        had_head = scanner.head_end is not None
        if self.buffered + len(data) > BUFFER_BUDGET_REQUESTS * self.max_request_bytes:
            return self._refuse(conn, RequestError(503, "server_busy", "the server is receiving too many uploads "
                                                                       "at once; retry in a few seconds"))
        self.buffered += len(data)  # before feed(): _stop_reading takes back all the scanner holds
        try:
            complete = scanner.feed(data)
        except RequestError as err:
            return self._refuse(conn, err)
        if scanner.expect_continue and not had_head and scanner.head_end is not None and not complete:
            try:
                conn.sock._sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")  # curl waits for it before a large body
            except OSError:
                return self._drop(conn)
        if complete:
            self._hand_over(conn)

    def _hand_over(self, conn: TConn) -> None:
        """The whole request is here: a thread parses it from memory and runs the app."""
        self._stop_reading(conn)
        conn.sock.give(conn.scanner.take())
        conn.scanner = None
        conn.data_ready = True  # ThreadWorker.handle must not wait for data again
        self.enqueue_req(conn)

    def _stop_reading(self, conn: TConn) -> None:
        self.poller.unregister(conn.sock)
        self.reading.pop(conn, None)
        self.buffered -= len(conn.scanner.buf)

    def _refuse(self, conn: TConn, err: RequestError) -> None:
        reasons = {408: "Request Timeout", 413: "Content Too Large", 431: "Request Header Fields Too Large",
                   503: "Service Unavailable"}
        try:
            conn.sock._sock.send(json_response(err.status, reasons[err.status],
                                               {"error": err.code, "message": err.message, "status": err.status}))
        except OSError:
            pass
        self.log.info("refused a request from %s: %s %s", conn.client, err.status, err.code)
        self._drop(conn)

    def _drop(self, conn: TConn) -> None:
        if conn in self.reading:
            self._stop_reading(conn)
        self.nr_conns -= 1
        conn.close()

    # -- the loop's housekeeping (every second): time out requests that do not arrive
    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn, deadline in list(self.reading.items()):
            if deadline <= now:
                if conn.scanner.buf:  # it began a request: say why it is closed
                    self._refuse(conn, RequestError(408, "request_timeout", "the request did not arrive "
                                 f"within {self.read_timeout:g} s; send it whole, or smaller images"))
                else:  # an idle connection (a browser's pre-connect): just close it
                    self._drop(conn)

    # -- errors gunicorn's parser raises (431, 400, ...): JSON like every other answer
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)  # logs it and picks the status
        match = STATUS_RE.match(capture.data)
        status, reason = (int(match[1]), match[2].decode("latin-1")) if match else (500, "Internal Server Error")
        message = str(exc) if status < 500 else "the server failed on this request; it has been logged"
        if status == 431:
            message = f"{exc}: send fewer or shorter headers (each under {self.cfg.limit_request_field_size} bytes)"
        code = re.sub(r"[^a-z]+", "_", reason.lower()).strip("_")
        try:
            client.sendall(json_response(status, reason, {"error": code, "message": message, "status": status}))
        except OSError:
            self.log.debug("Failed to send error message.")


class _Capture:
    """Stands in for the client socket while gunicorn writes its HTML error page."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data
