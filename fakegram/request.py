"""PTB's request seam: Bot API calls answered by ``FakeBotApi`` in-process, as JSON bytes."""

from __future__ import annotations

import json

from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from fakegram.api import ApiError, FakeBotApi, error_body


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
        try:
            result = self.api.call(api_method, params)
        except ApiError as error:
            return error.code, json.dumps(error_body(error)).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()
