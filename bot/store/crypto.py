"""Encryption at rest: Fernet keys, a key ring, and SQLAlchemy column types.

Sensitive columns (message bodies, addresses, tip texts, screening answers,
handoff details, and the tracker store's event data) are stored as
``"f1:" + <Fernet token>``. Fernet (from `cryptography`) is AES-128-CBC with
an HMAC-SHA256 over the whole token, so a changed byte or a wrong key fails
loudly instead of returning garbage.

Keys come from ``HOTLINE_DATA_KEYS`` (comma-separated) or else from the key
file ``HOTLINE_DATA_KEY_FILE`` (default ``var/data.keys``, one key per line,
created with mode 600 on first use). The first key encrypts; every key
decrypts (``MultiFernet``), which is what makes rotation possible without
downtime (see docs/security-data.md and ``hotline keys``).

Values without the prefix are legacy plaintext (written before migration
0004) and are returned as they are, so an old database stays readable while
it is being migrated. Nothing in this module ever logs or prints a key or a
value.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from bot.private_files import write_private

logger = logging.getLogger(__name__)

PREFIX = "f1:"
ENV_KEYS = "HOTLINE_DATA_KEYS"
ENV_KEY_FILE = "HOTLINE_DATA_KEY_FILE"


class KeyConfigError(Exception):
    """The key configuration is unusable (no key, malformed key)."""


class DecryptionError(Exception):
    """A value marked as encrypted could not be decrypted with any configured key.

    Raised instead of returning anything: a wrong or missing key must never
    look like an empty or plaintext value. The message names no value.
    """


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_id(key: str) -> str:
    """A short, non-secret name for a key (first 8 hex digits of its SHA-256).

    Keys are 256 random bits, so this reveals nothing usable about them; it
    only lets an operator tell keys apart in `hotline keys status`.
    """
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:8]


def parse_keys(text: str, sep: str | None = None) -> list[str]:
    """Keys from a comma-separated value (sep=",") or a key file (one per line, # comments)."""
    items = text.split(sep) if sep else text.splitlines()
    keys = [k.strip() for k in items if k.strip() and not k.strip().startswith("#")]
    for k in keys:
        try:
            Fernet(k.encode("ascii"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise KeyConfigError("a data key is not a valid Fernet key (32 url-safe base64 bytes); "
                            "generate one with `hotline keys add`") from exc
    if len(set(keys)) != len(keys):
        raise KeyConfigError("the same data key is listed twice")
    return keys


class Keyring:
    """The configured keys: ``keys[0]`` encrypts, all of them decrypt."""

    def __init__(self, keys: Sequence[str], source: str = "memory") -> None:
        if not keys:
            raise KeyConfigError("no data key configured")
        self.keys: tuple[str, ...] = tuple(keys)
        self.source = source  # "env", a file path, or "memory"; never the keys
        self._fernets = [Fernet(k.encode("ascii")) for k in self.keys]
        self._multi = MultiFernet(self._fernets)

    def __repr__(self) -> str:  # never show the keys
        return f"Keyring({len(self.keys)} keys, source={self.source!r})"

    @property
    def ids(self) -> list[str]:
        return [key_id(k) for k in self.keys]

    # -- values ------------------------------------------------------------------------
    def encrypt(self, plaintext: str) -> str:
        return PREFIX + self._multi.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, stored: str) -> str:
        """Plaintext of a stored value; legacy (unprefixed) values are returned unchanged."""
        if not is_encrypted(stored):
            return stored
        try:
            return self._multi.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError(
                "an encrypted value cannot be decrypted with the configured data keys "
                f"({len(self.keys)} key(s) from {self.source}); was a key removed or changed?"
            ) from exc

    def key_index(self, stored: str) -> int | None:
        """Which key encrypted this value: 0 = current, None = cannot decrypt (unknown key).

        Raises ValueError for a legacy plaintext value.
        """
        if not is_encrypted(stored):
            raise ValueError("not an encrypted value")
        token = stored[len(PREFIX):].encode("ascii", "replace")
        for i, f in enumerate(self._fernets):
            try:
                f.decrypt(token)
            except InvalidToken:
                continue
            return i
        return None

    def rotate(self, stored: str) -> str:
        """The value encrypted with the current key (legacy plaintext gets encrypted).

        Uses MultiFernet.rotate, which keeps the plaintext and the token's timestamp.
        """
        if not is_encrypted(stored):
            return self.encrypt(stored)
        try:
            token = self._multi.rotate(stored[len(PREFIX):].encode("ascii"))
        except InvalidToken as exc:
            raise DecryptionError("a value cannot be decrypted with the configured keys") from exc
        return PREFIX + token.decode("ascii")

    def is_valid_token(self, stored: str) -> bool:
        """True when the value is prefixed and decrypts (so it is not legacy text)."""
        return is_encrypted(stored) and self.key_index(stored) is not None


def is_encrypted(stored: str) -> bool:
    return isinstance(stored, str) and stored.startswith(PREFIX)


# -- key storage -------------------------------------------------------------------------

def _write_private(path: Path, text: str, *, exclusive: bool) -> bool:
    """Atomic, mode 600 (bot/private_files.py): a reader never sees a half-written file."""
    return write_private(path, text, exclusive=exclusive)


KEY_FILE_HEADER = (
    "# Hotline data keys (Fernet). The FIRST key encrypts new data; every key decrypts.\n"
    "# Keep this file private (mode 600) and backed up separately from the database:\n"
    "# without it the database cannot be read. Manage it with `hotline keys`.\n"
)


def write_key_file(path: Path, keys: Iterable[str]) -> None:
    """Replace the key file atomically (mode 600)."""
    keys = list(keys)
    parse_keys("\n".join(keys))  # validate before writing
    _write_private(path, KEY_FILE_HEADER + "".join(f"{k}\n" for k in keys), exclusive=False)


def read_key_file(path: Path, *, create: bool = True) -> list[str]:
    """Keys from the key file; created with one new key (mode 600) if missing and create=True."""
    if not path.exists():
        if not create:
            raise KeyConfigError(f"no data key file at {path}")
        _write_private(path, KEY_FILE_HEADER + generate_key() + "\n", exclusive=True)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        logger.warning("data key file %s is readable by other users (mode %o); "
                       "run: chmod 600 %s", path, mode, path)
    keys = parse_keys(path.read_text(encoding="ascii"))
    if not keys:
        raise KeyConfigError(f"the data key file {path} holds no key")
    return keys


def keyring_from_settings(settings: Any, *, create: bool = True) -> Keyring:
    """The key ring for these settings: HOTLINE_DATA_KEYS, else the key file."""
    if settings.data_keys:
        return Keyring(parse_keys(settings.data_keys, sep=","), source=ENV_KEYS)
    path = Path(settings.data_key_file)
    return Keyring(read_key_file(path, create=create), source=str(path))


# -- the process-wide key ring ----------------------------------------------------------

_override: Keyring | None = None
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _cached(data_keys: str | None, data_key_file: str) -> Keyring:
    from types import SimpleNamespace

    return keyring_from_settings(SimpleNamespace(data_keys=data_keys, data_key_file=data_key_file))


def get_keyring() -> Keyring:
    """The key ring used by the column types: set_keyring()'s, else from the settings.

    Keys are read once per process (per setting values): after `hotline keys add`
    or `retire`, restart the server so it picks up the new list.
    """
    if _override is not None:
        return _override
    from bot.config import get_settings

    settings = get_settings()
    with _lock:
        return _cached(settings.data_keys, str(settings.data_key_file))


def set_keyring(keyring: Keyring | None) -> None:
    """Use this key ring in this process (CLI, tests); None goes back to the settings."""
    global _override
    _override = keyring
    _cached.cache_clear()


# -- column types ------------------------------------------------------------------------

class _NotComparable(TypeDecorator.Comparator):  # type: ignore[name-defined]
    """Encrypted values are randomised: a SQL comparison could never match, so refuse it."""

    _allowed = {operators.is_, operators.is_not, operators.isnot}

    def operate(self, op, *other, **kwargs):  # type: ignore[no-untyped-def]
        if op in self._allowed:
            return super().operate(op, *other, **kwargs)
        raise TypeError("an encrypted column cannot be compared or searched in SQL; "
                        "load the rows and compare in Python (or use a keyed hash column)")

    def reverse_operate(self, op, other, **kwargs):  # type: ignore[no-untyped-def]
        return self.operate(op, other, **kwargs)


class EncryptedText(TypeDecorator):
    """Text stored encrypted ("f1:" + Fernet token); legacy plaintext is read as is."""

    impl = Text
    cache_ok = True
    comparator_factory = _NotComparable

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText takes str, not {type(value).__name__}")
        return get_keyring().encrypt(value)

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return get_keyring().decrypt(value)


class EncryptedJSON(TypeDecorator):
    """A JSON value stored as encrypted JSON text; legacy JSON text is parsed as is.

    None is stored as SQL NULL (not as the JSON text "null").
    """

    impl = Text
    cache_ok = True
    comparator_factory = _NotComparable

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return get_keyring().encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):  # a driver that already parsed legacy JSON
            return value
        return json.loads(get_keyring().decrypt(value))
