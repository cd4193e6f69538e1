"""A local stand-in for LINE's Messaging API on a loopback port, and webhook payloads signed as LINE signs them.

The stand-in records every call (method, path, headers, JSON or bytes) and answers as the test
tells it: "ok" (what LINE answers), "error" (500) or "held" (answers only once `release` is set,
as a LINE that does not answer in time).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "test-channel-secret-0123456789abcdef"
TOKEN = "test-channel-access-token"
BOT_ID = "U0000000000000000000000000000bot"
SENT = {"sentMessages": [{"id": "1", "quoteToken": "q"}]}  # the SDK refuses an empty list


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class StandIn:
    mode: str = "ok"
    release: threading.Event = field(default_factory=threading.Event)
    calls: list[Call] = field(default_factory=list)

    def start(self) -> "StandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin.calls.append(Call(self.command, self.path, dict(self.headers), body))
                if standin.mode == "held":
                    standin.release.wait(30)
                status, answer = (500, {"message": "stand-in failure"}) if standin.mode == "error" else \
                    (200, standin.answer(self.command, self.path))
                data = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (the "held" mode)
                    pass

            do_POST = do_GET = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def answer(self, method: str, path: str) -> dict[str, Any]:
        if path == "/v2/bot/message/reply":
            return SENT
        if path == "/v2/bot/richmenu":
            return {"richMenuId": "richmenu-0123456789abcdef"}
        return {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def replies(self) -> list[Call]:
        return [c for c in self.calls if c.path == "/v2/bot/message/reply"]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.replies()) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.replies()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# Webhook payloads -------------------------------------------------------------------------------
def sign(body: bytes, secret: str = SECRET) -> str:
    """X-Line-Signature: base64(HMAC-SHA256(channel secret, raw body)), as LINE computes it."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def payload(*events: dict[str, Any]) -> bytes:
    return json.dumps({"destination": BOT_ID, "events": list(events)}, ensure_ascii=False).encode()


def user(user_id: str = "U1234567890abcdef1234567890abcdef") -> dict[str, Any]:
    return {"type": "user", "userId": user_id}


def group(group_id: str = "C1234567890abcdef1234567890abcdef",
          user_id: str = "U1234567890abcdef1234567890abcdef") -> dict[str, Any]:
    return {"type": "group", "groupId": group_id, "userId": user_id}


def event(kind: str, source: dict[str, Any] | None = None, *, redelivery: bool = False, event_id: str | None = None,
          reply_token: bool = True, **fields: Any) -> dict[str, Any]:
    e = {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000), "source": source or user(),
         "webhookEventId": event_id or uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": redelivery},
         **fields}
    if reply_token:
        e["replyToken"] = uuid.uuid4().hex
    return e


def text(message: str, source: dict[str, Any] | None = None, mention: list[dict[str, Any]] | None = None,
         **kw: Any) -> dict[str, Any]:
    content = {"type": "text", "id": str(uuid.uuid4().int)[:18], "quoteToken": "q" + uuid.uuid4().hex, "text": message}
    if mention:
        content["mention"] = {"mentionees": mention}
    return event("message", source, message=content, **kw)


def self_mention(index: int, length: int) -> dict[str, Any]:
    return {"index": index, "length": length, "type": "user", "userId": BOT_ID, "isSelf": True}


def other_mention(index: int, length: int) -> dict[str, Any]:
    return {"index": index, "length": length, "type": "user", "userId": "Uother", "isSelf": False}


NON_TEXT = {
    "sticker": {"type": "sticker", "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
                "quoteToken": "q-sticker"},
    "image": {"type": "image", "contentProvider": {"type": "line"}, "quoteToken": "q-image"},
    "location": {"type": "location", "title": "福島市役所", "address": "福島県福島市五老内町3-1",
                 "latitude": 37.7608, "longitude": 140.4747},
    "audio": {"type": "audio", "duration": 3000, "contentProvider": {"type": "line"}},
}


def non_text(kind: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
    return event("message", source, message={"id": str(uuid.uuid4().int)[:18], **NON_TEXT[kind]})


def postback(data: str, source: dict[str, Any] | None = None) -> dict[str, Any]:
    return event("postback", source, postback={"data": data})


def follow() -> dict[str, Any]:
    return event("follow", follow={"isUnblocked": False})


def unfollow(source: dict[str, Any] | None = None) -> dict[str, Any]:
    return event("unfollow", source, reply_token=False)
