"""Web chat sessions issued by the server: a sender id alone is not an identity.

The first message of a browser (or scripted client) gets a random token, signed
with HOTLINE_SECRET_KEY so only tokens this server issued are accepted. The
conversation's address is derived from the token *and* the page's `sender`, so
a client that names another texter's `sender` without that texter's token gets
a fresh conversation of its own: it can neither read the advocate's replies nor
write into the other conversation. Stateless on purpose: every replica accepts
every other replica's tokens, and nothing needs cleaning up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

COOKIE = "hotline_webchat"
HEADER = "X-Webchat-Session"
_ISSUE = b"webchat-session:"
_ADDRESS = b"webchat-address:"


def _mac(secret: bytes, purpose: bytes, value: str) -> str:
    digest = hmac.new(secret, purpose + value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_token(secret: bytes) -> str:
    """A fresh random session token: `<random>.<signature>`."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_mac(secret, _ISSUE, nonce)}"


def verified(secret: bytes, token: str | None) -> str | None:
    """The token if this server issued it, else None (missing, forged or malformed)."""
    if not token or len(token) > 200 or token.count(".") != 1:
        return None
    nonce, signature = token.split(".")
    if not nonce or not hmac.compare_digest(signature, _mac(secret, _ISSUE, nonce)):
        return None
    return token


def address(secret: bytes, token: str, sender: str) -> str:
    """The conversation's address for this session and page sender id.

    Holds a keyed digest of the token, never the token itself, so the stored
    (encrypted) address cannot be replayed as a session.
    """
    return f"{sender}#{_mac(secret, _ADDRESS, token.split('.')[0])[:22]}"
