"""A local stand-in for the Twilio REST API (Messages resource), for tests that drive the
REAL ``twilio.rest.Client`` over real HTTP on 127.0.0.1.

    with FakeTwilioApi() as fake:
        client = fake.client()          # or: Client(sid, token); client.api.base_url = fake.url
        msg = client.messages.create(to="+15005550006", from_="+15005550001", body="hola")
        assert fake.messages_to("+15005550006")[0]["body"] == "hola"

Also: ``send_status_callback`` (signed delivery-status webhook) and ``sign_inbound`` /
``inbound_sms_params`` / ``post_inbound`` for signed inbound-SMS webhooks.
"""

from __future__ import annotations

import base64
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from ._server import DROP, FakeHttpServer, Request, Response

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "fedcba9876543210fedcba9876543210"
API_VERSION = "2010-04-01"

_MSG_LIST = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
_MSG_ONE = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")

_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXT = set("^{}\\[~]|€\f")

_ERRORS: dict[int, str] = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "An internal server error has occurred",
    20503: "Service unavailable",
    21211: "The 'To' number {to} is not a valid phone number.",
    21602: "Message body is required.",
    21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21617: "The concatenated message body exceeds the 1600 character limit.",
}
_STATUS_TO_CODE = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}


def num_segments(body: str) -> int:
    """SMS segment count the way carriers count it (GSM-7 vs UCS-2)."""
    if all(ch in _GSM7 or ch in _GSM7_EXT for ch in body):
        units = sum(2 if ch in _GSM7_EXT else 1 for ch in body)
        single, multi = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2  # UCS-2 code units (emoji count 2)
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)


def _rfc2822(dt: datetime | None) -> str | None:
    return None if dt is None else format_datetime(dt.astimezone(timezone.utc))


def _parse_date(value: str) -> datetime:
    value = value.strip()
    if len(value) == 10:  # YYYY-MM-DD
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def error_body(code: int, status: int, message: str | None = None) -> dict[str, Any]:
    return {
        "code": code,
        "message": message or _ERRORS.get(code, "Error"),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


class FakeTwilioApi(FakeHttpServer):
    """Fake ``api.twilio.com`` serving ``/2010-04-01/Accounts/{sid}/Messages.json``.

    Constructor: ``account_sid``, ``auth_token`` (HTTP basic auth the client must send),
    ``invalid_numbers`` (-> 400/21211), ``opted_out`` (-> 400/21610), ``validate_e164``
    (also reject To values that are not E.164 with 21211; "whatsapp:" prefix allowed),
    ``timeout_sleep`` (how long "timeout" mode hangs, default 30 s), ``host``/``port``.
    """

    name = "fake-twilio"

    def __init__(
        self,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        *,
        invalid_numbers: Iterable[str] = (),
        opted_out: Iterable[str] = (),
        validate_e164: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_sleep: float = 30.0,
    ):
        super().__init__(host=host, port=port, timeout_sleep=timeout_sleep)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.invalid_numbers: set[str] = set(invalid_numbers)
        self.opted_out: set[str] = set(opted_out)
        self.validate_e164 = validate_e164
        self._messages: list[dict[str, Any]] = []
        self._hang_after_record = 0

    # ------------------------------------------------------------------ controls
    def fail_next(
        self, n: int = 1, status: int = 500, code: int | None = None, message: str | None = None
    ) -> None:
        """The next ``n`` message creates fail with HTTP ``status`` (and Twilio ``code``)."""
        code = code if code is not None else _STATUS_TO_CODE.get(status, status)
        self._add_failures(n, status=status, code=code, message=message)

    def record_then_hang_next(self, n: int = 1) -> None:
        """The next ``n`` message creates are RECORDED, then answered with nothing: the
        connection hangs for ``timeout_sleep`` and is dropped (a lost answer, as when a
        client times out after Twilio accepted the message)."""
        with self._lock:
            self._hang_after_record += n

    def add_invalid_number(self, number: str) -> None:
        with self._lock:
            self.invalid_numbers.add(number)

    def opt_out(self, number: str) -> None:
        with self._lock:
            self.opted_out.add(number)

    def opt_in(self, number: str) -> None:
        with self._lock:
            self.opted_out.discard(number)

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> dict:
        """Change a recorded message's status (what ``messages.list``/fetch then report)."""
        with self._lock:
            msg = self._find(sid)
            if msg is None:
                raise KeyError(sid)
            msg["status"] = status
            msg["error_code"] = error_code
            now = datetime.now(timezone.utc)
            msg["date_updated"] = now
            if status in ("sent", "delivered", "undelivered", "failed") and not msg["date_sent"]:
                msg["date_sent"] = now
            return dict(msg)

    def reset(self) -> None:
        """Forget messages, requests and pending faults; back to mode "ok"."""
        with self._lock:
            self._messages.clear()
            self._requests.clear()
            self._hang_after_record = 0
        self.clear_faults()

    # ------------------------------------------------------------------ inspection
    @property
    def messages(self) -> list[dict[str, Any]]:
        """Recorded (successfully created) messages, oldest first. Copies."""
        with self._lock:
            return [dict(m) for m in self._messages]

    def messages_to(self, number: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(m) for m in self._messages if m["to"] == number]

    def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Block until >= ``count`` messages are recorded; return them (TimeoutError if not)."""
        return self._wait(
            lambda: self.messages if len(self._messages) >= count else None,
            timeout,
            f"{count} Twilio message(s) (have {len(self._messages)})",
        )

    async def async_wait_for(self, count: int = 1, timeout: float = 5.0) -> list[dict]:
        """Like ``wait_for`` but does not block the event loop."""
        return await self._async_wait(
            lambda: self.messages if len(self._messages) >= count else None,
            timeout,
            f"{count} Twilio message(s)",
        )

    def client(self, timeout: float | None = 5.0, **client_kwargs: Any):
        """A real ``twilio.rest.Client`` pointed at this fake (edge/region env cleared)."""
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        client_kwargs.setdefault("http_client", TwilioHttpClient(timeout=timeout))
        client = Client(self.account_sid, self.auth_token, **client_kwargs)
        client.edge = None  # TWILIO_EDGE / TWILIO_REGION would rewrite the host name
        client.region = None
        client.api.base_url = self.url
        return client

    def send_status_callback(
        self, message_sid: str, status: str, error_code: int | None = None, url: str | None = None
    ) -> CallbackResult:
        """Update the message's status and POST a signed callback to its StatusCallback
        (or ``url``)."""
        msg = self.set_status(message_sid, status, error_code)
        target = url or msg["status_callback"]
        if not target:
            raise ValueError(f"message {message_sid} has no StatusCallback and no url given")
        return send_status_callback(
            target,
            self.auth_token,
            message_sid,
            status,
            error_code,
            account_sid=self.account_sid,
            to=msg["to"],
            from_=msg["from"],
            messaging_service_sid=msg["messaging_service_sid"],
        )

    # ------------------------------------------------------------------ HTTP
    def _find(self, sid: str) -> dict[str, Any] | None:
        return next((m for m in self._messages if m["sid"] == sid), None)

    def _error_response(self, status: int) -> Response:
        return Response(status, error_body(_STATUS_TO_CODE.get(status, 20500), status))

    def _authorized(self, request: Request) -> bool:
        header = request.header("Authorization") or ""
        if not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except ValueError:
            return False
        return user == self.account_sid and password == self.auth_token

    def _dispatch(self, request: Request) -> Response | object:
        m_list = _MSG_LIST.match(request.path)
        m_one = _MSG_ONE.match(request.path)
        if not (m_list or m_one):
            return Response(404, error_body(20404, 404))
        if not self._authorized(request):
            return Response(
                401,
                error_body(20003, 401),
                {"WWW-Authenticate": 'Basic realm="Twilio API"'},
            )
        account = (m_list or m_one)["account"]
        if account != self.account_sid:
            return Response(404, error_body(20404, 404))
        if m_list and request.method == "POST":
            return self._create(request)
        if m_list and request.method == "GET":
            return self._list(request)
        if m_one and request.method == "GET":
            with self._lock:
                msg = self._find(m_one["sid"])
                if msg is None:
                    return Response(404, error_body(20404, 404))
                return Response(200, self._resource(msg))
        return Response(405, error_body(20004, 405, "Method not allowed"))

    def _create(self, request: Request) -> Response | object:
        failure = self._take_failure()
        if failure is not None:
            if failure["status"] == 0:
                return DROP
            return Response(
                failure["status"],
                error_body(failure["code"], failure["status"], failure["message"]),
            )
        to = request.param("To")
        from_ = request.param("From")
        service = request.param("MessagingServiceSid")
        body = request.param("Body")
        media = request.form.get("MediaUrl", [])
        if not to:
            return Response(400, error_body(21604, 400))
        if not from_ and not service:
            return Response(400, error_body(21603, 400))
        if not body and not media:
            return Response(400, error_body(21602, 400))
        with self._lock:
            invalid = to in self.invalid_numbers
            opted_out = to in self.opted_out
        bare_to = to[len("whatsapp:") :] if to.startswith("whatsapp:") else to
        if invalid or (self.validate_e164 and not _E164.match(bare_to)):
            return Response(400, error_body(21211, 400, _ERRORS[21211].format(to=to)))
        if opted_out:
            return Response(400, error_body(21610, 400))
        if body and len(body) > 1600:
            return Response(400, error_body(21617, 400))
        now = datetime.now(timezone.utc)
        msg = {
            "sid": "SM" + uuid.uuid4().hex,
            "account_sid": self.account_sid,
            "to": to,
            "from": from_,
            "from_": from_,
            "messaging_service_sid": service,
            "body": body or "",
            "media_urls": list(media),
            "status_callback": request.param("StatusCallback"),
            "status": "queued" if from_ else "accepted",
            "error_code": None,
            "num_segments": num_segments(body or ""),
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "params": {k: v[-1] for k, v in request.form.items()},
        }
        with self._cond:
            self._messages.append(msg)
            self._cond.notify_all()
            if self._hang_after_record <= 0:
                return Response(201, self._resource(msg))
            self._hang_after_record -= 1
            deadline = time.monotonic() + self.timeout_sleep
            while not self._stopping and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
        return DROP

    def _list(self, request: Request) -> Response:
        q = {k: v[-1] for k, v in request.query.items()}
        try:
            page_size = max(1, min(1000, int(q.get("PageSize", 50))))
            page = max(0, int(q.get("Page", 0)))
            on = _parse_date(q["DateSent"]) if q.get("DateSent") else None
            after = _parse_date(q["DateSent>"]) if q.get("DateSent>") else None
            before = _parse_date(q["DateSent<"]) if q.get("DateSent<") else None
        except ValueError as exc:
            return Response(400, error_body(20001, 400, f"Invalid parameter: {exc}"))
        with self._lock:
            found = []
            for msg in reversed(self._messages):  # Twilio lists newest first
                sent = msg["date_sent"] or msg["date_created"]
                if q.get("To") and msg["to"] != q["To"]:
                    continue
                if q.get("From") and msg["from"] != q["From"]:
                    continue
                if on is not None and sent.date() != on.date():
                    continue
                if after is not None and sent < after:
                    continue
                if before is not None and sent > before:
                    continue
                found.append(self._resource(msg))
        chunk = found[page * page_size : (page + 1) * page_size]
        filters = {k: q[k] for k in ("To", "From", "DateSent", "DateSent>", "DateSent<") if k in q}
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"

        def page_uri(n: int) -> str:
            return base + "?" + urlencode({**filters, "PageSize": page_size, "Page": n})

        has_next = (page + 1) * page_size < len(found)
        return Response(
            200,
            {
                "messages": chunk,
                "end": page * page_size + max(len(chunk) - 1, 0),
                "first_page_uri": page_uri(0),
                "next_page_uri": page_uri(page + 1) + f"&PageToken=PA{page + 1}"
                if has_next
                else None,
                "page": page,
                "page_size": page_size,
                "previous_page_uri": page_uri(page - 1) if page > 0 else None,
                "start": page * page_size,
                "uri": page_uri(page),
            },
        )

    def _resource(self, msg: dict[str, Any]) -> dict[str, Any]:
        uri = f"/{API_VERSION}/Accounts/{msg['account_sid']}/Messages/{msg['sid']}"
        return {
            "account_sid": msg["account_sid"],
            "api_version": API_VERSION,
            "body": msg["body"],
            "date_created": _rfc2822(msg["date_created"]),
            "date_sent": _rfc2822(msg["date_sent"]),
            "date_updated": _rfc2822(msg["date_updated"]),
            "direction": "outbound-api",
            "error_code": msg["error_code"],
            "error_message": None,
            "from": msg["from"],
            "messaging_service_sid": msg["messaging_service_sid"],
            "num_media": str(len(msg["media_urls"])),
            "num_segments": str(msg["num_segments"]),
            "price": None,
            "price_unit": "USD",
            "sid": msg["sid"],
            "status": msg["status"],
            "subresource_uris": {
                "media": f"{uri}/Media.json",
                "feedback": f"{uri}/Feedback.json",
            },
            "to": msg["to"],
            "uri": f"{uri}.json",
        }


# ---------------------------------------------------------------------- webhooks
@dataclass
class CallbackResult:
    status: int
    body: str
    headers: dict[str, str]
    params: dict[str, str]


def sign_inbound(url: str, auth_token: str, params: Mapping[str, str]) -> dict[str, str]:
    """Headers for a POST of ``params`` (form-encoded) to ``url`` signed like Twilio does."""
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(auth_token).compute_signature(url, dict(params))
    return {
        "X-Twilio-Signature": signature,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent": "TwilioProxy/1.1",
        "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
    }


def inbound_sms_params(
    from_: str,
    body: str,
    to: str = "+15005550001",
    account_sid: str = DEFAULT_ACCOUNT_SID,
    message_sid: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """Form fields of a realistic inbound-SMS webhook (as Twilio POSTs to your app)."""
    sid = message_sid or "SM" + uuid.uuid4().hex
    params = {
        "ToCountry": "US",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": to,
        "ToZip": "",
        "NumSegments": str(num_segments(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    params.update(extra)
    return params


def _post_form(url: str, params: Mapping[str, str], headers: dict[str, str], timeout: float):
    data = urlencode(dict(params)).encode("utf-8")
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return CallbackResult(
                resp.status,
                resp.read().decode("utf-8", "replace"),
                dict(resp.headers),
                dict(params),
            )
    except urllib.error.HTTPError as err:
        return CallbackResult(
            err.code, err.read().decode("utf-8", "replace"), dict(err.headers), dict(params)
        )


def post_inbound(
    url: str, auth_token: str, params: Mapping[str, str], timeout: float = 10.0
) -> CallbackResult:
    """POST a signed inbound webhook (e.g. ``inbound_sms_params(...)``) to ``url``."""
    return _post_form(url, params, sign_inbound(url, auth_token, params), timeout)


def send_status_callback(
    url: str,
    auth_token: str,
    message_sid: str,
    status: str,
    error_code: int | str | None = None,
    *,
    account_sid: str = DEFAULT_ACCOUNT_SID,
    to: str | None = None,
    from_: str | None = None,
    messaging_service_sid: str | None = None,
    extra: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> CallbackResult:
    """POST a Twilio delivery-status callback, signed with ``X-Twilio-Signature``.

    Returns ``CallbackResult(status, body, headers, params)``; HTTP errors are returned,
    not raised (connection errors are raised).
    """
    params: dict[str, str] = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "ApiVersion": API_VERSION,
    }
    if to is not None:
        params["To"] = to
    if from_ is not None:
        params["From"] = from_
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        params["ErrorCode"] = str(error_code)
    if extra:
        params.update(extra)
    return _post_form(url, params, sign_inbound(url, auth_token, params), timeout)
