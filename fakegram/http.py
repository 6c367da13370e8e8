"""``FakeBotApi`` over real HTTP on 127.0.0.1, for the process test and manual runs."""

from __future__ import annotations

import email.policy
import json
import threading
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from fakegram.api import ApiError, FakeBotApi, error_body
from fakegram.request import file_param

_STRING_PARAMS = {"text", "parse_mode", "callback_query_id", "language_code", "caption", "url"}


def _decode_form(body: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, values in parse_qs(body, keep_blank_values=True).items():
        raw = values[-1]
        if key in _STRING_PARAMS:
            params[key] = raw
            continue
        try:
            params[key] = json.loads(raw)
        except json.JSONDecodeError:
            params[key] = raw
    return params


def _decode_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart upload (sendDocument): fields as in a form, files as name and bytes."""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        file_name = part.get_filename()
        if file_name is not None:
            params[name] = file_param(file_name, content)
        else:
            params.update(_decode_form(urlencode({name: content.decode()})))
    return params


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-request (the kill -9 tests) is expected, not an error."""
        return


class FakeBotApiServer:
    def __init__(self, api: FakeBotApi, host: str = "127.0.0.1", port: int = 0) -> None:
        self.api = api
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                self._answer(urlparse(self.path).query)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the client died mid-request (kill -9): no call made
                    return
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):
                    self._answer_params(_decode_multipart(kind, raw))
                elif kind.startswith("application/json"):
                    self._answer_params(json.loads(raw.decode() or "{}"))
                else:
                    self._answer(raw.decode())

            def _answer(self, form: str) -> None:
                self._answer_params(_decode_form(form))

            def _answer_params(self, params: dict[str, Any]) -> None:
                path = urlparse(self.path).path
                prefix = f"/bot{outer.api.token}/"
                if not path.startswith(prefix):
                    self._reply(
                        401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                    )
                    return
                try:
                    result = outer.api.call(path[len(prefix) :], params)
                except ApiError as error:
                    self._reply(error.code, error_body(error))
                    return
                self._reply(200, {"ok": True, "result": result})

            def _reply(self, code: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = _QuietServer((host, port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def start(self) -> FakeBotApiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
