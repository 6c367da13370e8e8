"""PTB's request seam: Bot API calls answered by ``FakeBotApi`` in-process, as JSON bytes."""

from __future__ import annotations

import base64
import json
from typing import Any

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from fakegram.api import ApiError, FakeBotApi, error_body

TIMEOUT = 0
"""A scripted failure with this code is a request that times out (no HTTP answer)."""


MALFORMED = -1
"""A scripted failure with this code answers 200 with a body that is not JSON."""


class FakeRequest(BaseRequest):
    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = {} if request_data is None else json.loads(json.dumps(request_data.parameters))
        if request_data is not None:
            for name, upload in request_data.multipart_data.items():
                params[name] = file_param(upload[0], upload[1])
        try:
            result = self.api.call(api_method, params)
        except ApiError as error:
            if error.code == TIMEOUT:  # no answer at all, as when Telegram is unreachable
                raise TimedOut() from None
            if error.code == MALFORMED:  # an answer that is not JSON (a broken proxy)
                return 200, b"<html>502 Bad Gateway</html>"
            return error.code, json.dumps(error_body(error)).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()


def file_param(file_name: str | None, content: Any) -> dict[str, str]:
    """An uploaded file as the fake Bot API takes it (name and base64 bytes)."""
    data = content if isinstance(content, bytes) else bytes(content.read())
    return {"file_name": file_name or "file", "data": base64.b64encode(data).decode()}
