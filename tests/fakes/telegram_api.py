"""A local stand-in for the Telegram Bot API, for tests that drive the REAL
python-telegram-bot ``telegram.Bot`` over real HTTP on 127.0.0.1.

    with FakeTelegramApi() as fake:
        bot = telegram.Bot(fake.token, base_url=f"{fake.url}/bot")   # or fake.bot()
        fake.push_update(fake.text_update(4242, "hola"))
        updates = await bot.get_updates(timeout=2)

Update builders (``text_update`` ...) only BUILD the dict (with a fresh update_id);
``push_update`` queues it for getUpdates, ``post_update_to_webhook`` POSTs it to the
registered webhook.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable
from typing import Any

from ._server import DROP, FakeHttpServer, Request, Response

DEFAULT_TOKEN = "123456789:AAHfakeTokenForHotlineTests_0123456789"

_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Fields PTB sends as plain strings; everything else is JSON-encoded by PTB (ints, bools,
# dicts, lists) and is decoded here.
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "url", "secret_token", "callback_query_id", "parse_mode",
        "ip_address", "action", "language_code", "inline_message_id", "title", "description",
        "address", "phone_number", "first_name", "last_name", "vcard", "emoji", "file_id",
        "business_connection_id", "message_effect_id", "question", "name", "short_description",
    }
)  # fmt: skip
_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "callback_query",
    "inline_query", "chosen_inline_result", "my_chat_member", "chat_member",
    "chat_join_request", "poll", "poll_answer", "pre_checkout_query", "shipping_query",
    "message_reaction", "message_reaction_count", "chat_boost", "removed_chat_boost",
    "business_connection", "business_message", "edited_business_message",
    "deleted_business_messages", "purchased_paid_media",
)  # fmt: skip


def _decode(key: str, value: str) -> Any:
    if key == "chat_id":
        try:
            return int(value)
        except ValueError:
            return value
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _err(code: int, description: str, **parameters: Any) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return Response(code, body)


def _ok(result: Any, **extra: Any) -> Response:
    return Response(200, {"ok": True, "result": result, **extra})


class FakeTelegramApi(FakeHttpServer):
    """Fake ``api.telegram.org`` serving ``/bot{token}/{method}``."""

    name = "fake-telegram"

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "hotline_test_bot",
        bot_first_name: str = "Hotline Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_sleep: float = 30.0,
        max_long_poll: float = 30.0,
    ):
        super().__init__(host=host, port=port, timeout_sleep=timeout_sleep)
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.max_long_poll = max_long_poll
        self._update_ids = itertools.count(100_000_001)
        self._last_update_id = 100_000_000
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._delivered: list[dict[str, Any]] = []
        self._sent: list[dict[str, Any]] = []
        self._calls: list[dict[str, Any]] = []
        self._callback_answers: list[dict[str, Any]] = []
        self._left_chats: list[Any] = []
        self._blocked: set[Any] = set()
        self._chats: dict[Any, dict[str, Any]] = {}
        self._webhook: dict[str, Any] | None = None
        self._webhook_history: list[dict[str, Any] | None] = []

    # ------------------------------------------------------------------ helpers
    @property
    def base_url(self) -> str:
        """Value for ``telegram.Bot(base_url=...)`` (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def bot(self, **kwargs: Any):
        """A real ``telegram.Bot`` pointed at this fake (kwargs go to ``Bot``)."""
        import telegram

        return telegram.Bot(
            self.token, base_url=self.base_url, base_file_url=self.base_file_url, **kwargs
        )

    # ------------------------------------------------------------------ controls
    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        description: str | None = None,
        *,
        methods: Iterable[str] | None = ("sendMessage",),
        retry_after: int = 1,
    ) -> None:
        """The next ``n`` calls of ``methods`` (default: sendMessage only; None = any method
        except getUpdates) fail with HTTP ``status``. 429 carries ``retry_after``;
        status 0 drops the connection without an answer."""
        wanted = None if methods is None else {m.lower() for m in methods}
        self._add_failures(
            n, status=status, description=description, methods=wanted, retry_after=retry_after
        )

    def block_chat(self, chat_id: int | str) -> None:
        """sendMessage to this chat -> 403 "Forbidden: bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int | str) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (assigns update_id if missing). Returns it."""
        with self._cond:
            if "update_id" not in update:
                update = {"update_id": self._next_update_id(), **update}
            self._last_update_id = max(self._last_update_id, update["update_id"])
            self._remember_chat(update)
            self._updates.append(update)
            self._updates.sort(key=lambda u: u["update_id"])
            self._cond.notify_all()
        return update

    def reset(self) -> None:
        """Forget updates, calls, webhook, blocks and faults; back to mode "ok"."""
        with self._lock:
            for lst in (self._updates, self._delivered, self._sent, self._calls,
                        self._callback_answers, self._left_chats, self._requests,
                        self._webhook_history):  # fmt: skip
                lst.clear()
            self._blocked.clear()
            self._webhook = None
        self.clear_faults()

    # ------------------------------------------------------------------ inspection
    @property
    def sent(self) -> list[dict[str, Any]]:
        """sendMessage calls that succeeded: chat_id, text, reply_markup, parse_mode,
        message_id, date, params (all decoded params)."""
        with self._lock:
            return [dict(s) for s in self._sent]

    def sent_to(self, chat_id: int | str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(s) for s in self._sent if s["chat_id"] == chat_id]

    def wait_for_sent(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until >= ``count`` messages were sent; return them (TimeoutError if not).
        In async tests whose bot runs on the same loop use ``async_wait_for_sent``."""
        return self._wait(
            lambda: self.sent if len(self._sent) >= count else None,
            timeout,
            f"{count} sendMessage call(s) (have {len(self._sent)})",
        )

    async def async_wait_for_sent(self, count: int = 1, timeout: float = 5.0) -> list[dict]:
        return await self._async_wait(
            lambda: self.sent if len(self._sent) >= count else None,
            timeout,
            f"{count} sendMessage call(s)",
        )

    @property
    def calls(self) -> list[dict[str, Any]]:
        """Every Bot API call that reached dispatch: {"method", "params", "status"}."""
        with self._lock:
            return [dict(c) for c in self._calls]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c for c in self.calls if c["method"].lower() == method.lower()]

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(a) for a in self._callback_answers]

    @property
    def webhook(self) -> dict[str, Any] | None:
        """Current webhook (url, secret_token, allowed_updates, max_connections,
        drop_pending_updates, ip_address) or None."""
        with self._lock:
            return dict(self._webhook) if self._webhook else None

    @property
    def webhook_history(self) -> list[dict[str, Any] | None]:
        with self._lock:
            return list(self._webhook_history)

    @property
    def left_chats(self) -> list[Any]:
        with self._lock:
            return list(self._left_chats)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Queued updates not yet confirmed by a higher getUpdates offset."""
        with self._lock:
            return list(self._updates)

    @property
    def delivered_updates(self) -> list[dict[str, Any]]:
        """Every update returned by getUpdates so far (with repeats, in order)."""
        with self._lock:
            return list(self._delivered)

    # ------------------------------------------------------------------ builders
    def _next_update_id(self) -> int:
        with self._lock:
            uid = max(next(self._update_ids), self._last_update_id + 1)
            self._last_update_id = uid
            return uid

    def _remember_chat(self, update: dict[str, Any]) -> None:
        for key in ("message", "edited_message", "channel_post", "business_message"):
            chat = (update.get(key) or {}).get("chat")
            if chat:
                self._chats[chat["id"]] = chat
        cb_msg = (update.get("callback_query") or {}).get("message")
        if cb_msg and cb_msg.get("chat"):
            self._chats[cb_msg["chat"]["id"]] = cb_msg["chat"]

    @staticmethod
    def user(user_id: int, first_name: str = "Ana", language_code: str | None = "es") -> dict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    @staticmethod
    def chat(chat_id: int | str, chat_type: str = "private") -> dict[str, Any]:
        if chat_type == "private":
            return {"id": chat_id, "type": "private", "first_name": "Ana"}
        return {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {chat_id}"}

    def _message(
        self,
        chat_id: int | str,
        chat_type: str = "private",
        user_id: int | None = None,
        message_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        if user_id is None:
            user_id = (
                chat_id if chat_type == "private" and isinstance(chat_id, int) else 700_000_001
            )
        return {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "from": self.user(user_id),
            "chat": self.chat(chat_id, chat_type),
            "date": int(time.time()),
            **content,
        }

    def _file(self, kind: str) -> dict[str, str]:
        uid = uuid.uuid4().hex
        return {"file_id": f"{kind}-{uid}", "file_unique_id": f"u{uid[:15]}"}

    def message_update(
        self, chat_id: int | str, chat_type: str = "private", user_id: int | None = None,
        **content: Any,
    ) -> dict[str, Any]:  # fmt: skip
        """Generic message update with arbitrary message ``content`` fields."""
        return {
            "update_id": self._next_update_id(),
            "message": self._message(chat_id, chat_type, user_id, **content),
        }

    def text_update(
        self, chat_id: int | str, text: str, chat_type: str = "private", user_id: int | None = None
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            cmd = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
        return self.message_update(chat_id, chat_type, user_id, **content)

    def group_text_update(
        self, chat_id: int | str, text: str, user_id: int | None = None, chat_type: str = "group"
    ) -> dict[str, Any]:
        return self.text_update(chat_id, text, chat_type=chat_type, user_id=user_id)

    def edited_text_update(
        self, chat_id: int | str, text: str, message_id: int | None = None,
        chat_type: str = "private", user_id: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        msg = self._message(chat_id, chat_type, user_id, message_id, text=text)
        msg["edit_date"] = msg["date"]
        msg["date"] -= 5
        return {"update_id": self._next_update_id(), "edited_message": msg}

    def callback_update(
        self, chat_id: int | str, data: str, message_id: int | None = None,
        user_id: int | None = None, message_text: str = "…",
    ) -> dict[str, Any]:  # fmt: skip
        uid = user_id if user_id is not None else (chat_id if isinstance(chat_id, int) else 1)
        message = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "from": dict(self.bot_user),
            "chat": self.chat(chat_id),
            "date": int(time.time()),
            "text": message_text,
        }
        return {
            "update_id": self._next_update_id(),
            "callback_query": {
                "id": str(4_000_000_000_000 + next(self._callback_ids)),
                "from": self.user(uid),
                "message": message,
                "chat_instance": str(-(abs(hash(chat_id)) % 10**18)),
                "data": data,
            },
        }

    def location_update(self, chat_id: int | str, lat: float, lon: float) -> dict[str, Any]:
        return self.message_update(chat_id, location={"latitude": lat, "longitude": lon})

    def photo_update(self, chat_id: int | str, caption: str | None = None) -> dict[str, Any]:
        sizes = [
            {**self._file("photo"), "width": w, "height": h, "file_size": s}
            for w, h, s in ((90, 67, 1200), (320, 240, 15000), (1280, 960, 120000))
        ]
        content: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            content["caption"] = caption
        return self.message_update(chat_id, **content)

    def sticker_update(self, chat_id: int | str, emoji: str = "😀") -> dict[str, Any]:
        sticker = {
            **self._file("sticker"), "type": "regular", "width": 512, "height": 512,
            "is_animated": False, "is_video": False, "emoji": emoji, "file_size": 20000,
        }  # fmt: skip
        return self.message_update(chat_id, sticker=sticker)

    def voice_update(self, chat_id: int | str, duration: int = 3) -> dict[str, Any]:
        voice = {**self._file("voice"), "duration": duration, "mime_type": "audio/ogg",
                 "file_size": 9000}  # fmt: skip
        return self.message_update(chat_id, voice=voice)

    def document_update(
        self,
        chat_id: int | str,
        file_name: str = "passport.pdf",
        mime_type: str = "application/pdf",
    ) -> dict[str, Any]:
        doc = {**self._file("doc"), "file_name": file_name, "mime_type": mime_type,
               "file_size": 52000}  # fmt: skip
        return self.message_update(chat_id, document=doc)

    def post_update_to_webhook(
        self, update: dict[str, Any], url: str | None = None, secret_token: str | None = None,
        timeout: float = 10.0,
    ) -> tuple[int, str]:  # fmt: skip
        """POST ``update`` as Telegram would to the registered webhook (or ``url``), with the
        ``X-Telegram-Bot-Api-Secret-Token`` header. Returns (status, body)."""
        hook = self.webhook or {}
        target = url or hook.get("url")
        if not target:
            raise ValueError("no webhook registered and no url given")
        secret = secret_token if secret_token is not None else hook.get("secret_token")
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        data = json.dumps(update).encode("utf-8")
        req = urllib.request.Request(target, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    # ------------------------------------------------------------------ HTTP
    def _error_response(self, status: int) -> Response:
        if status == 502:
            return _err(502, "Bad Gateway")
        return _err(status, "Internal Server Error")

    def _params(self, request: Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key, values in request.query.items():
            params[key] = _decode(key, values[-1])
        for key, values in request.form.items():
            params[key] = _decode(key, values[-1])
        if isinstance(request.json, dict):
            params.update(request.json)
        for key, (filename, content) in request.files.items():
            params[key] = {"filename": filename, "content": content}
        return params

    def _dispatch(self, request: Request) -> Response | object:
        match = _PATH.match(request.path)
        if not match:
            return _err(404, "Not Found")
        if match["token"] != self.token:
            return _err(401, "Unauthorized")
        method = match["method"]
        lname = method.lower()
        params = self._params(request)
        call: dict[str, Any] = {"method": method, "params": params, "status": None}
        with self._lock:
            self._calls.append(call)
        if lname != "getupdates":
            failure = self._take_failure(
                lambda spec: spec["methods"] is None or lname in spec["methods"]
            )
            if failure is not None:
                call["status"] = failure["status"]
                if failure["status"] == 0:
                    return DROP
                extra = {"retry_after": failure["retry_after"]} if failure["status"] == 429 else {}
                default = {
                    429: f"Too Many Requests: retry after {failure['retry_after']}",
                    403: "Forbidden: bot was blocked by the user",
                    400: "Bad Request",
                    502: "Bad Gateway",
                }.get(failure["status"], "Internal Server Error")
                return _err(failure["status"], failure["description"] or default, **extra)
        handler = getattr(self, f"_api_{lname}", None)
        response = handler(params) if handler else _err(404, "Not Found")
        call["status"] = response.status if isinstance(response, Response) else None
        return response

    # Bot API methods ------------------------------------------------------
    def _api_getme(self, params: dict) -> Response:
        return _ok(dict(self.bot_user))

    def _api_logout(self, params: dict) -> Response:
        return _ok(True)

    _api_close = _api_logout

    def _api_getupdates(self, params: dict) -> Response:
        try:
            offset = int(params.get("offset") or 0)
            limit = max(1, min(100, int(params.get("limit") or 100)))
            timeout = max(0.0, float(params.get("timeout") or 0))
        except (TypeError, ValueError):
            return _err(400, "Bad Request: invalid parameters")
        allowed = params.get("allowed_updates") or None
        deadline = time.monotonic() + min(timeout, self.max_long_poll)
        with self._cond:
            if self._webhook:
                return _err(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            while True:
                if offset > 0:  # confirm everything below offset
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                if allowed:
                    self._updates = [
                        u
                        for u in self._updates
                        if any(k in u for k in allowed if k in _UPDATE_TYPES)
                    ]
                batch = self._updates[offset:][:limit] if offset < 0 else self._updates[:limit]
                remaining = deadline - time.monotonic()
                if batch or remaining <= 0 or self._stopping or self._mode != "ok":
                    break
                self._cond.wait(remaining)
            if self._stopping or self._mode == "down":
                return DROP
            self._delivered.extend(batch)
            return _ok([dict(u) for u in batch])

    def _chat_for(self, chat_id: Any) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known:
            return dict(known)
        if isinstance(chat_id, int) and chat_id < 0:
            return self.chat(chat_id, "supergroup" if chat_id < -(10**12) else "group")
        return self.chat(chat_id)

    def _api_sendmessage(self, params: dict) -> Response:
        chat_id = params.get("chat_id")
        text = params.get("text")
        if chat_id in (None, ""):
            return _err(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            return _err(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _err(400, "Bad Request: message is too long")
        with self._cond:
            if chat_id in self._blocked:
                return _err(403, "Forbidden: bot was blocked by the user")
            if chat_id in self._left_chats:
                return _err(403, "Forbidden: bot is not a member of the group chat")
            message: dict[str, Any] = {
                "message_id": next(self._message_ids),
                "from": dict(self.bot_user),
                "chat": self._chat_for(chat_id),
                "date": int(time.time()),
                "text": text,
            }
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and "inline_keyboard" in markup:
                message["reply_markup"] = markup
            self._sent.append(
                {
                    "chat_id": chat_id,
                    "text": text,
                    "reply_markup": markup,
                    "parse_mode": params.get("parse_mode"),
                    "message_id": message["message_id"],
                    "date": message["date"],
                    "params": params,
                }
            )
            self._cond.notify_all()
        return _ok(message)

    def _api_answercallbackquery(self, params: dict) -> Response:
        if not params.get("callback_query_id"):
            return _err(400, "Bad Request: query_id is empty")
        with self._cond:
            self._callback_answers.append(
                {
                    "callback_query_id": params.get("callback_query_id"),
                    "text": params.get("text"),
                    "show_alert": bool(params.get("show_alert", False)),
                    "params": params,
                }
            )
            self._cond.notify_all()
        return _ok(True)

    def _api_setwebhook(self, params: dict) -> Response:
        url = params.get("url") or ""
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            return _err(400, "Bad Request: secret token contains unallowed characters")
        if url and not url.startswith(("https://", "http://")):
            return _err(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        with self._lock:
            if params.get("drop_pending_updates"):
                self._updates.clear()
            if not url:
                self._webhook = None
                self._webhook_history.append(None)
                return _ok(True, description="Webhook was deleted")
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "allowed_updates": params.get("allowed_updates"),
                "max_connections": params.get("max_connections", 40),
                "drop_pending_updates": bool(params.get("drop_pending_updates", False)),
                "ip_address": params.get("ip_address"),
            }
            self._webhook_history.append(dict(self._webhook))
        return _ok(True, description="Webhook was set")

    def _api_deletewebhook(self, params: dict) -> Response:
        with self._lock:
            existed = self._webhook is not None
            if params.get("drop_pending_updates"):
                self._updates.clear()
            self._webhook = None
            self._webhook_history.append(None)
        return _ok(
            True, description="Webhook was deleted" if existed else "Webhook is already deleted"
        )

    def _api_getwebhookinfo(self, params: dict) -> Response:
        with self._lock:
            hook = self._webhook or {}
            info: dict[str, Any] = {
                "url": hook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if hook:
                info["max_connections"] = hook.get("max_connections") or 40
                info["ip_address"] = "127.0.0.1"
                if hook.get("allowed_updates"):
                    info["allowed_updates"] = hook["allowed_updates"]
        return _ok(info)

    def _api_leavechat(self, params: dict) -> Response:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            return _err(400, "Bad Request: chat_id is empty")
        with self._cond:
            self._left_chats.append(chat_id)
            self._cond.notify_all()
        return _ok(True)

    def _api_sendchataction(self, params: dict) -> Response:
        return _ok(True)

    def _api_setmycommands(self, params: dict) -> Response:
        return _ok(True)

    _api_deletemycommands = _api_setmycommands

    def _api_deletemessage(self, params: dict) -> Response:
        return _ok(True)

    def _api_editmessagereplymarkup(self, params: dict) -> Response:
        with self._lock:
            message = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "from": dict(self.bot_user),
                "chat": self._chat_for(params.get("chat_id")),
                "date": int(time.time()),
                "edit_date": int(time.time()),
                "text": params.get("text") or "…",
            }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return _ok(message)

    _api_editmessagetext = _api_editmessagereplymarkup
