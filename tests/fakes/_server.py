"""Shared plumbing for the fake provider APIs: a threaded stdlib HTTP server that can be
taken "down" (listening socket really closed -> connection refused) and brought back up on
the same port, can hang requests ("timeout"), and can answer every request with a 5xx.

Subclasses implement ``_dispatch(request) -> Response`` and ``_error_response(status)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MODES = ("ok", "down", "timeout", "error500")


@dataclass
class Request:
    """One HTTP request as the fake saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, tuple[str | None, bytes]] = field(default_factory=dict)
    json: Any = None
    received_at: float = field(default_factory=time.time)

    def header(self, name: str, default: str | None = None) -> str | None:
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return default

    def param(self, name: str, default: str | None = None) -> str | None:
        """Last value of ``name`` from the form body, else the query string."""
        if name in self.form:
            return self.form[name][-1]
        if name in self.query:
            return self.query[name][-1]
        return default


@dataclass
class Response:
    status: int
    body: Any = None  # dict/list -> JSON; bytes/str -> as is
    headers: dict[str, str] = field(default_factory=dict)


class _Drop:
    """Sentinel: close the connection without answering."""


DROP = _Drop()


def parse_body(content_type: str, body: bytes) -> tuple[dict, dict, Any]:
    """Return (form, files, json) for a request body."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    form: dict[str, list[str]] = {}
    files: dict[str, tuple[str | None, bytes]] = {}
    data: Any = None
    if not body:
        return form, files, data
    if ctype == "application/json":
        data = json.loads(body.decode("utf-8"))
    elif ctype == "multipart/form-data":
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name is None:
                continue
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = (filename, payload)
            else:
                charset = part.get_content_charset() or "utf-8"
                form.setdefault(name, []).append(payload.decode(charset))
    else:  # application/x-www-form-urlencoded (also the default for clients that omit it)
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    return form, files, data


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, fake: FakeHttpServer):
        self.fake = fake
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):  # noqa: D401 - quiet broken pipes
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):  # no Nagle/delayed-ACK 40 ms stalls
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.fake._untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _serve(self) -> None:
        try:
            self.server.fake._handle(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class FakeHttpServer:
    """Base class: lifecycle, modes, connection tracking and request log."""

    name = "fake"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, timeout_sleep: float = 30.0):
        self.host = host
        self._requested_port = port
        self.port: int | None = None
        self.timeout_sleep = timeout_sleep
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._server: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._mode = "ok"
        self._error_status = 500
        self._started = False
        self._stopping = False
        self._requests: list[Request] = []
        self._failures: list[dict[str, Any]] = []

    # ----------------------------------------------------------------- lifecycle
    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return f"http://{self.host}:{self.port}"

    def start(self):
        with self._lock:
            if self._started:
                return self
            self._stopping = False
            self._mode = "ok" if self._mode == "down" else self._mode
            self._listen(self.port if self.port is not None else self._requested_port)
            self._started = True
        return self

    def stop(self) -> None:
        with self._lock:
            if not self._started:
                return
            self._stopping = True
            self._started = False
            self._cond.notify_all()
        self._unlisten()

    close = stop

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self):
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._started

    def _listen(self, port: int) -> None:
        last_err: OSError | None = None
        for _ in range(50):  # re-binding the same port right after closing it
            try:
                server = _HTTPServer((self.host, port), self)
                break
            except OSError as err:
                last_err = err
                time.sleep(0.05)
        else:
            raise RuntimeError(f"cannot bind {self.host}:{port}: {last_err}")
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self.name}-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def _unlisten(self) -> None:
        with self._lock:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            conns = list(self._conns)
            self._cond.notify_all()
        if server is not None:
            server.shutdown()
            server.server_close()
        for conn in conns:  # also kill keep-alive / hanging connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.add(conn)

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.discard(conn)

    # ----------------------------------------------------------------- modes / faults
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str, *, error_status: int = 500) -> None:
        """Switch to "ok", "down" (refused), "timeout" (hang) or "error500" (always 5xx).

        "down" really closes the listening socket (and open connections); switching back
        to any other mode listens again on the same port.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        with self._lock:
            previous = self._mode
            self._mode = mode
            self._error_status = error_status
            self._cond.notify_all()
            started = self._started
        if not started:
            return
        if mode == "down" and previous != "down":
            self._unlisten()
        elif mode != "down" and previous == "down":
            with self._lock:
                self._listen(self.port or self._requested_port)

    def _add_failures(self, n: int, **spec: Any) -> None:
        with self._lock:
            if n > 0:
                self._failures.append({"remaining": n, **spec})

    def _take_failure(self, predicate: Callable[[dict], bool] = lambda spec: True):
        with self._lock:
            for spec in self._failures:
                if predicate(spec):
                    spec["remaining"] -= 1
                    if spec["remaining"] <= 0:
                        self._failures.remove(spec)
                    return spec
        return None

    def clear_faults(self) -> None:
        with self._lock:
            self._failures.clear()
        if self._mode != "ok":
            self.set_mode("ok")

    # ----------------------------------------------------------------- inspection
    @property
    def requests(self) -> list[Request]:
        """Every HTTP request received (including failed/rejected ones), in order."""
        with self._lock:
            return list(self._requests)

    def _wait(self, predicate: Callable[[], Any], timeout: float, what: str):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"{type(self).__name__}: timed out waiting for {what}")
                self._cond.wait(min(remaining, 0.1))

    async def _async_wait(self, predicate: Callable[[], Any], timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{type(self).__name__}: timed out waiting for {what}")
            await asyncio.sleep(0.01)

    # ----------------------------------------------------------------- request handling
    def _hang(self) -> None:
        deadline = time.monotonic() + self.timeout_sleep
        with self._cond:
            while not self._stopping and self._mode == "timeout":
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)

    def _handle(self, handler: _Handler) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {k: v for k, v in handler.headers.items()}
        try:
            form, files, data = parse_body(headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError):
            form, files, data = {}, {}, None
        request = Request(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=headers,
            body=body,
            form=form,
            files=files,
            json=data,
        )
        with self._lock:
            self._requests.append(request)
            mode, error_status = self._mode, self._error_status
        if mode == "timeout":
            self._hang()
            response: Response | _Drop = DROP
        elif mode == "error500":
            response = self._error_response(error_status)
        elif mode == "down":  # raced with set_mode("down")
            response = DROP
        else:
            try:
                response = self._dispatch(request)
            except Exception as exc:  # a bug in the fake must not look like a hang
                response = Response(500, {"fake_error": repr(exc)})
        if isinstance(response, _Drop):
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        self._write(handler, response)

    @staticmethod
    def _write(handler: _Handler, response: Response) -> None:
        body = response.body
        headers = dict(response.headers)
        if isinstance(body, (dict, list)):
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        elif isinstance(body, str):
            payload = body.encode("utf-8")
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        elif body is None:
            payload = b""
        else:
            payload = bytes(body)
        handler.send_response(response.status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(payload)
        handler.wfile.flush()

    def _dispatch(self, request: Request) -> Response | _Drop:  # pragma: no cover - abstract
        raise NotImplementedError

    def _error_response(self, status: int) -> Response:  # pragma: no cover - abstract
        return Response(status, {"error": status})
