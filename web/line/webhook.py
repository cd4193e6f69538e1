"""POST /line/webhook: verify LINE's signature, parse the events, hand them over, answer 200 at once.

Nothing is parsed before the signature over the raw body checks out; a missing or wrong one
gets 400 and nothing else happens. The answering runs on the bot's worker threads.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, request
from linebot.v3.exceptions import InvalidSignatureError
from werkzeug.exceptions import RequestEntityTooLarge

from web.errors import error_response

log = logging.getLogger(__name__)
bp = Blueprint("line", __name__)

MAX_BODY_BYTES = 65_536  # a webhook with a few 5,000-character texts fits; LINE sends less


@bp.post("/line/webhook")
def webhook():
    signature = request.headers.get("X-Line-Signature", "")
    if not signature:
        return error_response(400, "bad_signature", "署名がありません。")
    request.max_content_length = MAX_BODY_BYTES
    try:
        body = request.get_data(cache=False).decode("utf-8")
    except RequestEntityTooLarge:
        return error_response(413)
    except UnicodeDecodeError:
        return error_response(400, "bad_signature", "署名が正しくありません。")
    try:
        events = current_app.extensions["line_parser"].parse(body, signature)
    except InvalidSignatureError:
        return error_response(400, "bad_signature", "署名が正しくありません。")
    except (ValueError, KeyError, TypeError):  # signed by LINE, yet not a webhook body we can read
        log.warning("LINE webhook body with a valid signature could not be parsed")
        return error_response(400)
    current_app.extensions["line"].submit(events)
    return "", 200
