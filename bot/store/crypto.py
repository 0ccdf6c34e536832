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

Every value the column types write is **bound to its place**: stored as
``"f2:" + Fernet(["<table>.<column>:<primary key>", value])``, and a read
checks that the place named inside is the row it was read from (the column
types select the row's primary key with the value, `column_expression`). A
ciphertext copied or moved to another row, column or table is refused
(`DecryptionError`) instead of being shown as that row's data. Rows get
their binding right after the INSERT/UPDATE that wrote them, in the same
transaction (mapper events, `bind_encrypted_columns`), because an
autoincrement key is known only then.

Older formats (``"f1:"`` tokens without a place, and plaintext from before
migration 0004) are read only by the migrations and `hotline keys rotate`
(the raw `Keyring.decrypt`), which rewrite them bound; the column types refuse
them. Nothing in this module ever logs or prints a key or a value.
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

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from bot.private_files import write_private

logger = logging.getLogger(__name__)

PREFIX = "f1:"  # Fernet token of the bare value (before migration 0008)
BOUND = "f2:"  # Fernet token of [place, value]: see the module docstring
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

    def seal(self, plaintext: str, place: str) -> str:
        """The value encrypted together with its place ("table.column:pk")."""
        payload = json.dumps([place, plaintext], ensure_ascii=False)
        return BOUND + self._multi.encrypt(payload.encode("utf-8")).decode("ascii")

    def open(self, stored: str, place: str) -> str:
        """Plaintext of a value read from `place`; refused if it was sealed elsewhere."""
        if not is_bound(stored):
            raise DecryptionError(
                "a value is not bound to its row (written before migration 0008); "
                "run `hotline db upgrade` or `hotline keys rotate`")
        sealed_at, plaintext = self._payload(stored)
        if sealed_at != place:
            raise DecryptionError(
                "an encrypted value belongs to another row, column or table and was "
                "refused (was it copied or moved in the database?)")
        return plaintext

    def _payload(self, stored: str) -> tuple[str, str]:
        try:
            place, plaintext = json.loads(self._token_text(stored))
        except (ValueError, TypeError) as exc:
            raise DecryptionError("an encrypted value is malformed") from exc
        return place, plaintext

    def _token_text(self, stored: str) -> str:
        try:
            return self._multi.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise DecryptionError(
                "an encrypted value cannot be decrypted with the configured data keys "
                f"({len(self.keys)} key(s) from {self.source}); was a key removed or changed?"
            ) from exc

    def decrypt(self, stored: str) -> str:
        """Plaintext of a stored value in any format, without checking its place.

        For the migrations, `hotline keys` and tests reading raw rows; the
        application reads through the column types, which use `open`. Legacy
        (unprefixed) values are returned unchanged.
        """
        if not is_encrypted(stored):
            return stored
        if is_bound(stored):
            return self._payload(stored)[1]
        return self._token_text(stored)

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
        return stored[:len(PREFIX)] + token.decode("ascii")

    def rebind(self, stored: str, place: str) -> str:
        """The value under the current key, bound to `place` (legacy formats included).

        A value already bound keeps its own place: if that is not `place`, it was
        moved, and the move is not laundered into a valid value.
        """
        if is_bound(stored):
            sealed_at, _ = self._payload(stored)
            if sealed_at != place:
                raise DecryptionError("an encrypted value belongs to another row")
            return self.rotate(stored)
        return self.seal(self.decrypt(stored), place)

    def is_valid_token(self, stored: str) -> bool:
        """True when the value is prefixed and decrypts (so it is not legacy text)."""
        return is_encrypted(stored) and self.key_index(stored) is not None


def is_encrypted(stored: str) -> bool:
    return isinstance(stored, str) and stored.startswith((PREFIX, BOUND))


def is_bound(stored: str) -> bool:
    return isinstance(stored, str) and stored.startswith(BOUND)


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


class _Sealed(TypeDecorator):
    """Shared by the encrypted column types: values are bound to their row.

    `place` ("table.column") and `pk` are set by `bind_encrypted_columns` once
    the table exists. A SELECT of the column reads "<pk>|<stored>" (see
    `column_expression`), so the value is checked against the row it came from.
    Writes are sealed without a row first and re-sealed with it right after the
    statement (`_seal_rows`), in the same transaction.
    """

    impl = Text
    cache_ok = True
    comparator_factory = _NotComparable
    place: str | None = None
    pk: str | None = None

    def _plaintext(self, value: Any) -> str:
        raise NotImplementedError

    def _value(self, plaintext: str) -> Any:
        raise NotImplementedError

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        # Not readable until `_seal_rows` binds it to its row, moments later.
        return get_keyring().seal(self._plaintext(value), f"{self.place}:")

    def column_expression(self, colexpr: Any) -> Any:
        table = getattr(colexpr, "table", None)
        if self.pk is None or table is None or self.pk not in table.c:
            return colexpr
        row = sa.cast(table.c[self.pk], Text())
        return sa.type_coerce(row.concat("|").concat(sa.type_coerce(colexpr, Text())), self)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        row, sep, stored = str(value).partition("|")
        if not sep:
            raise DecryptionError("an encrypted value was read without its row")
        return self._value(get_keyring().open(stored, f"{self.place}:{row}"))


class EncryptedText(_Sealed):
    """Text stored encrypted and bound to its row ("f2:" + Fernet token)."""

    cache_ok = True

    def _plaintext(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"EncryptedText takes str, not {type(value).__name__}")
        return value

    def _value(self, plaintext: str) -> Any:
        return plaintext


class EncryptedJSON(_Sealed):
    """A JSON value stored as encrypted JSON text, bound to its row.

    None is stored as SQL NULL (not as the JSON text "null").
    """

    cache_ok = True

    def _plaintext(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def _value(self, plaintext: str) -> Any:
        return json.loads(plaintext)


def _encrypted_columns(mapper: Any) -> list[tuple[str, Any, str]]:
    """(attribute key, column, primary key attribute) of the mapper's encrypted columns."""
    table = mapper.local_table
    (pk_column,) = list(table.primary_key.columns)
    pk_key = mapper.get_property_by_column(pk_column).key
    return [(mapper.get_property_by_column(c).key, c, pk_key) for c in table.columns
            if isinstance(c.type, _Sealed)]


def _seal_rows(mapper: Any, connection: Any, target: Any, *, changed_only: bool) -> None:
    """Re-seal the row's encrypted values with its primary key (after INSERT/UPDATE)."""
    from sqlalchemy import inspect

    state = inspect(target)
    keyring = get_keyring()
    for key, column, pk_key in _encrypted_columns(mapper):
        if changed_only and not state.attrs[key].history.has_changes():
            continue
        value = getattr(target, key)
        if value is None:
            continue
        row = getattr(target, pk_key)
        raw = sa.table(column.table.name, sa.column(column.type.pk),
                       sa.column(column.name, Text()))
        sealed = keyring.seal(column.type._plaintext(value), f"{column.type.place}:{row}")
        connection.execute(raw.update().where(raw.c[column.type.pk] == row)
                           .values({column.name: sealed}))


def _after_insert(mapper: Any, connection: Any, target: Any) -> None:
    _seal_rows(mapper, connection, target, changed_only=False)


def _after_update(mapper: Any, connection: Any, target: Any) -> None:
    _seal_rows(mapper, connection, target, changed_only=True)


def bind_encrypted_columns(base: Any) -> None:
    """Give every encrypted column of `base`'s models its place, and seal rows on write."""
    for mapper in base.registry.mappers:
        columns = _encrypted_columns(mapper)
        for _key, column, _pk in columns:
            (pk_column,) = list(column.table.primary_key.columns)
            column.type.place = f"{column.table.name}.{column.name}"
            column.type.pk = pk_column.name
        if columns and not sa.event.contains(mapper, "after_insert", _after_insert):
            sa.event.listen(mapper, "after_insert", _after_insert)
            sa.event.listen(mapper, "after_update", _after_update)
