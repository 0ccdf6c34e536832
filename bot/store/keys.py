"""`hotline keys status | add | rotate | retire`: manage the data keys without downtime.

Procedure (docs/security-data.md): ``add`` (new key first) → restart → ``rotate``
(re-encrypt every value with the new key, in small batches, while the server
runs) → ``retire`` (drop keys no value needs) → restart.

Never prints a key (except ``add --print`` for keys kept in HOTLINE_DATA_KEYS,
which the operator must put in place by hand) and never prints a value; keys are
shown by a short non-secret id (bot.store.crypto.key_id).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.store.crypto import (
    ENV_KEYS,
    DecryptionError,
    EncryptedJSON,
    EncryptedText,
    Keyring,
    generate_key,
    get_keyring,
    is_bound,
    is_encrypted,
    keyring_from_settings,
    set_keyring,
    write_key_file,
)

BATCH = 200
PLAINTEXT = "plaintext"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Target:
    """One encrypted column: where it lives and how to page through it."""

    database: str  # "hotline" or "tracker" (for messages; never a URL with a password)
    table: str
    pk: str
    column: str

    @property
    def name(self) -> str:
        return f"{self.database}:{self.table}.{self.column}"


def encrypted_columns() -> list[tuple[str, str, str]]:
    """(table, primary key, column) of every encrypted column of bot.store.models."""
    from bot.store.models import Base

    found = []
    for table in Base.metadata.sorted_tables:
        (pk,) = [c.name for c in table.primary_key.columns]
        for column in table.columns:
            if isinstance(column.type, (EncryptedText, EncryptedJSON)):
                found.append((table.name, pk, column.name))
    return found


def tracker_location(settings: Any, tracker_db: str | None = None) -> str:
    """Where the running hotline keeps Rasa's tracker store, as a SQLAlchemy URL.

    The same code the server's endpoints file is written with
    (bot/endpoints.py runtime_endpoints -> Settings.tracker_url), so a relative
    HOTLINE_TRACKER_DB means the same file here as for the server, whatever the
    current folder. `--tracker-db` overrides it the way HOTLINE_TRACKER_URL /
    HOTLINE_TRACKER_DB would.
    """
    from dataclasses import replace

    from bot.endpoints import runtime_endpoints

    if tracker_db:
        settings = (replace(settings, tracker_store_url=tracker_db) if "://" in tracker_db
                    else replace(settings, tracker_store_url="", tracker_db=Path(tracker_db)))
    return runtime_endpoints(settings)[1]["HOTLINE_TRACKER_URL"]


def default_tracker_location() -> str:
    from bot.config import get_settings

    return tracker_location(get_settings())


def safe_location(url: str) -> str:
    """A tracker location fit to print: no password."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _tracker_engine(url: str) -> Engine | None:
    """The tracker store's database; None if it does not exist (or has no events yet)."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():  # never create an empty tracker file
            return None
        engine = sa.create_engine(url, future=True, connect_args={"timeout": 10})
    else:
        engine = sa.create_engine(url, future=True)
    if not sa.inspect(engine).has_table("events"):
        engine.dispose()
        return None
    return engine


class Stores:
    """The engines holding encrypted columns (hotline database, tracker store)."""

    def __init__(self, database_url: str, tracker_db: str | None) -> None:
        from bot.config import get_settings
        from bot.store.db import make_engine

        self.engines: dict[str, Engine] = {"hotline": make_engine(database_url)}
        location = tracker_location(get_settings(), tracker_db)
        tracker = _tracker_engine(location)
        # Where the tracker store should be when it is not there: retire refuses then.
        self.tracker_missing = None if tracker is not None else safe_location(location)
        if tracker is not None:
            self.engines["tracker"] = tracker
        self.targets = [Target("hotline", t, pk, c) for t, pk, c in encrypted_columns()]
        if tracker is not None:
            self.targets.append(Target("tracker", "events", "id", "data"))

    def close(self) -> None:
        for engine in self.engines.values():
            engine.dispose()

    def batches(self, target: Target) -> Iterator[list[tuple[Any, str]]]:
        """(pk, stored value) of every non-NULL value, BATCH rows per short transaction."""
        engine = self.engines[target.database]
        t = sa.table(target.table, sa.column(target.pk), sa.column(target.column, sa.Text()))
        last = None
        while True:
            q = sa.select(t.c[target.pk], t.c[target.column]).where(
                t.c[target.column].isnot(None))
            if last is not None:
                q = q.where(t.c[target.pk] > last)
            with engine.connect() as conn:
                rows = [(r[0], r[1]) for r in
                        conn.execute(q.order_by(t.c[target.pk]).limit(BATCH)).fetchall()]
            if not rows:
                return
            yield rows
            last = rows[-1][0]

    def compare_and_set(self, target: Target, changes: list[tuple[Any, str, str]]) -> int:
        """Write new values where the row still holds the old one; returns rows changed.

        A row the server rewrote in the meantime is left alone (it was written with
        the current key anyway), so rotating while the server runs is safe.
        """
        engine = self.engines[target.database]
        t = sa.table(target.table, sa.column(target.pk), sa.column(target.column, sa.Text()))
        changed = 0
        with engine.begin() as conn:
            for key, old, new in changes:
                result = conn.execute(
                    t.update().where(t.c[target.pk] == key, t.c[target.column] == old)
                    .values({target.column: new}))
                changed += result.rowcount or 0
        return changed


def classify(keyring: Keyring, value: str) -> int | str:
    """Index of the key that encrypted the value, PLAINTEXT (legacy) or UNREADABLE."""
    if not is_encrypted(value):
        return PLAINTEXT
    index = keyring.key_index(value)
    return UNREADABLE if index is None else index


@dataclass
class Census:
    """How many values each key (by index) encrypted, per column and in total."""

    per_target: dict[str, Counter] = field(default_factory=dict)

    @property
    def total(self) -> Counter:
        total: Counter = Counter()
        for c in self.per_target.values():
            total.update(c)
        return total

    def needing_old_keys(self) -> int:
        return sum(n for k, n in self.total.items() if isinstance(k, int) and k > 0)


def census(keyring: Keyring, stores: Stores) -> Census:
    result = Census()
    for target in stores.targets:
        counts: Counter = Counter()
        for rows in stores.batches(target):
            counts.update(classify(keyring, value) for _key, value in rows)
        result.per_target[target.name] = counts
    return result


def rotate(keyring: Keyring, stores: Stores,
           progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Re-encrypt every value not under the current key or not bound to its row
    (legacy plaintext and "f1:" values included)."""
    totals = {"rotated": 0, "skipped": 0, UNREADABLE: 0}
    for target in stores.targets:
        for rows in stores.batches(target):
            changes = []
            for key, value in rows:
                kind = classify(keyring, value)
                if kind == 0 and is_bound(value):
                    continue
                if kind == UNREADABLE:
                    totals[UNREADABLE] += 1
                    continue
                try:
                    new = keyring.rebind(value, f"{target.table}.{target.column}:{key}")
                except DecryptionError:  # sealed for another row: moved, never laundered
                    totals[UNREADABLE] += 1
                    continue
                changes.append((key, value, new))
            if changes:
                done = stores.compare_and_set(target, changes)
                totals["rotated"] += done
                totals["skipped"] += len(changes) - done
        if progress:
            progress(f"[keys] {target.name}: done")
    return totals


def bind_tracker_store(settings: Any) -> int:
    """Seal the tracker store's events to their rows (migration 0008's step for a tracker
    store in its own database); run by `hotline run` before the server starts."""
    stores = Stores(settings.database_url, None)
    try:
        stores.targets = [t for t in stores.targets if t.database == "tracker"]
        return rotate(get_keyring(), stores)["rotated"] if stores.targets else 0
    finally:
        stores.close()


# -- key list changes ------------------------------------------------------------------------

class KeyCommandError(Exception):
    """A refused key operation; the message says why and what to do."""


def add_key(settings: Any) -> tuple[Keyring, str]:
    """Put a new key first in the key file; returns the new key ring and the new key's id."""
    if settings.data_keys:
        raise KeyCommandError(
            f"the data keys come from {ENV_KEYS}, which this command cannot change: "
            f"run `hotline keys add --print` and put the printed key FIRST in {ENV_KEYS}")
    current = keyring_from_settings(settings)
    new = generate_key()
    write_key_file(Path(settings.data_key_file), [new, *current.keys])
    keyring = keyring_from_settings(settings)
    return keyring, keyring.ids[0]


def retire_keys(settings: Any, stores: Stores, *,
                no_tracker_store: bool = False) -> tuple[Keyring, list[str]]:
    """Drop every key but the current one, if no value in any store still needs them.

    A tracker store that cannot be found is not skipped: its events may still need
    an old key. `no_tracker_store` is the operator saying there is none (a hotline
    that never ran Rasa).
    """
    keyring = keyring_from_settings(settings)
    if len(keyring.keys) == 1:
        return keyring, []
    if stores.tracker_missing and not no_tracker_store:
        raise KeyCommandError(
            f"the tracker store was not found at {stores.tracker_missing} (where the "
            "server keeps it); its events may still need an older key, so nothing was "
            "retired. Point --tracker-db at it (SQLite path or URL), or pass "
            "--no-tracker-store if this hotline has never run")
    counts = census(keyring, stores).total
    if counts[UNREADABLE]:
        raise KeyCommandError(
            f"{counts[UNREADABLE]} value(s) cannot be decrypted with any configured key; "
            "nothing retired (find the missing key first)")
    needing = {k: n for k, n in counts.items() if isinstance(k, int) and k > 0}
    if needing:
        detail = ", ".join(f"{n} with key {keyring.ids[k]}" for k, n in sorted(needing.items()))
        raise KeyCommandError(
            f"older keys are still needed ({detail}); run `hotline keys rotate` first "
            "(after restarting the server so it writes with the current key)")
    retired = keyring.ids[1:]
    if settings.data_keys:
        raise KeyCommandError(
            f"the data keys come from {ENV_KEYS}: no value needs keys {', '.join(retired)} any "
            f"more; keep only the first key ({keyring.ids[0]}) in {ENV_KEYS} and restart")
    write_key_file(Path(settings.data_key_file), keyring.keys[:1])
    return keyring_from_settings(settings), retired


# -- command line ----------------------------------------------------------------------------

def _describe(keyring: Keyring) -> list[str]:
    lines = [f"data keys: {len(keyring.keys)} (from {keyring.source})"]
    for i, kid in enumerate(keyring.ids):
        lines.append(f"  key {i + 1}: id {kid}" + ("  (current: encrypts new data)" if i == 0
                                                   else "  (decrypts only)"))
    return lines


def _count_line(keyring: Keyring, counts: Counter) -> str:
    parts = [f"{counts.get(i, 0)} key {kid}" for i, kid in enumerate(keyring.ids)]
    parts.append(f"{counts.get(PLAINTEXT, 0)} plaintext")
    if counts.get(UNREADABLE):
        parts.append(f"{counts[UNREADABLE]} UNREADABLE")
    return ", ".join(parts)


def _open(args: argparse.Namespace) -> tuple[Any, Keyring, Stores]:
    from bot.config import get_settings

    settings = get_settings()
    keyring = keyring_from_settings(settings)
    set_keyring(keyring)
    return settings, keyring, Stores(settings.database_url, args.tracker_db)


def cmd_status(args: argparse.Namespace) -> int:
    _settings, keyring, stores = _open(args)
    try:
        print("\n".join(_describe(keyring)))
        result = census(keyring, stores)
    finally:
        stores.close()
    if stores.tracker_missing:
        print(f"[keys] no tracker store at {stores.tracker_missing} (not counted)")
    print("values (per key id):")
    for name, counts in result.per_target.items():
        print(f"  {name}: {_count_line(keyring, counts)}")
    total = result.total
    print(f"  total: {_count_line(keyring, total)}")
    old = result.needing_old_keys()
    if old or total.get(PLAINTEXT):
        print(f"[keys] {old} value(s) use an older key and {total.get(PLAINTEXT, 0)} are "
              "plaintext: run `hotline keys rotate`")
    if total.get(UNREADABLE):
        print(f"[keys] {total[UNREADABLE]} value(s) cannot be decrypted with any configured "
              "key", file=sys.stderr)
        return 1
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from bot.config import get_settings

    settings = get_settings()
    if args.print:
        key = generate_key()
        print(key)
        print(f"# put this key FIRST in {ENV_KEYS} (keep the others after it), restart, "
              "then run `hotline keys rotate`", file=sys.stderr)
        return 0
    try:
        keyring, kid = add_key(settings)
    except KeyCommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n".join(_describe(keyring)))
    print(f"[keys] added key {kid} as the current key. Next: restart the hotline (so new "
          "data is written with it), then run `hotline keys rotate`.")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    _settings, keyring, stores = _open(args)
    try:
        print(f"[keys] re-encrypting with the current key {keyring.ids[0]} "
              f"in batches of {BATCH}...")
        if stores.tracker_missing:
            print(f"[keys] no tracker store at {stores.tracker_missing} (nothing to rotate "
                  "there; use --tracker-db if it is elsewhere)")
        totals = rotate(keyring, stores, progress=print)
    finally:
        stores.close()
    print(f"[keys] rotated {totals['rotated']} value(s); {totals['skipped']} changed meanwhile "
          "and were left as written")
    if totals[UNREADABLE]:
        print(f"error: {totals[UNREADABLE]} value(s) cannot be decrypted with any configured "
              "key and were left alone", file=sys.stderr)
        return 1
    if totals["skipped"]:
        print("[keys] run `hotline keys status` to check nothing still needs an older key")
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    from bot.config import get_settings

    settings = get_settings()
    stores = Stores(settings.database_url, args.tracker_db)
    try:
        keyring, retired = retire_keys(settings, stores, no_tracker_store=args.no_tracker_store)
    except (KeyCommandError, DecryptionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        stores.close()
    set_keyring(keyring)
    if not retired:
        print("[keys] only the current key is configured: nothing to retire")
        return 0
    print(f"[keys] retired key(s) {', '.join(retired)}; current key {keyring.ids[0]}. "
          "Restart the hotline. Backups made before the rotation need the retired keys.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `keys` command group to the `hotline` CLI (bot/cli.py)."""
    p = subparsers.add_parser("keys", help="data encryption keys: status, add, rotate, retire")
    keys_sub = p.add_subparsers(dest="keys_command", required=True)
    tracker_help = ("tracker store database: SQLite path (relative to the project folder, "
                    "like HOTLINE_TRACKER_DB) or SQLAlchemy URL (default: the running "
                    "hotline's, see HOTLINE_TRACKER_URL in docs/deploy.md)")

    s = keys_sub.add_parser("status", help="keys (by id, never the keys) and how many values "
                                           "each one encrypts")
    s.add_argument("--tracker-db", default=None, help=tracker_help)
    s.set_defaults(func=cmd_status)

    s = keys_sub.add_parser("add", help="generate a new current key (old keys still decrypt)")
    s.add_argument("--print", action="store_true",
                   help=f"only print a new key (for keys kept in {ENV_KEYS})")
    s.set_defaults(func=cmd_add)

    s = keys_sub.add_parser("rotate", help="re-encrypt every value with the current key "
                                           "(batches; safe while the server runs)")
    s.add_argument("--tracker-db", default=None, help=tracker_help)
    s.set_defaults(func=cmd_rotate)

    s = keys_sub.add_parser("retire", help="drop keys no value needs any more "
                                           "(refused while any value needs them)")
    s.add_argument("--tracker-db", default=None, help=tracker_help)
    s.add_argument("--no-tracker-store", action="store_true",
                   help="there is no tracker store (the hotline never ran): do not look for one")
    s.set_defaults(func=cmd_retire)
