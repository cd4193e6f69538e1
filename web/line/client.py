"""The Messaging API through line-bot-sdk (v3): replies sent with a timeout, failures logged, never raised.

`api_url` points the SDK at another host (a local stand-in in the tests); None uses LINE's own
hosts (api.line.me, and api-data.line.me for uploads).
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Any

import urllib3
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob, ReplyMessageRequest

log = logging.getLogger(__name__)


class LineClient:
    """One SDK client per process (made again after a fork), shared by the process's threads."""

    def __init__(self, access_token: str, api_url: str | None = None, timeout: float = 5.0) -> None:
        self.access_token, self.api_url, self.timeout = access_token, api_url, timeout
        self.failures = 0
        self._lock = threading.Lock()
        self._pid = 0
        self._client: ApiClient | None = None

    def configuration(self) -> Configuration:
        config = Configuration(access_token=self.access_token, host=self.api_url or None)
        config.retries = urllib3.Retry(total=1, connect=1, read=0, status=0, redirect=0)  # fail fast, once
        return config

    def api_client(self) -> ApiClient:
        if self._pid != os.getpid() or self._client is None:
            with self._lock:
                if self._pid != os.getpid() or self._client is None:
                    self._client, self._pid = ApiClient(self.configuration()), os.getpid()
        return self._client

    def messaging(self) -> MessagingApi:
        return MessagingApi(self.api_client())

    def blob(self) -> MessagingApiBlob:
        return MessagingApiBlob(self.api_client())

    def reply(self, reply_token: str, messages: list[dict[str, Any]]) -> bool:
        """Send a reply; False (logged, counted) when LINE refuses it, fails or does not answer in time."""
        try:
            request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
            self.messaging().reply_message(request, _request_timeout=(self.timeout, self.timeout))
        except Exception as exc:  # noqa: BLE001 - LINE's failure is logged, never the webhook's
            self.failures += 1
            status = getattr(exc, "status", None)
            log.warning("LINE reply failed (%s%s)", type(exc).__name__, f" {status}" if status else "",
                        extra={"line_failures": self.failures})
            return False
        return True
