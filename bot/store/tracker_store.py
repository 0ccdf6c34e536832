"""Rasa's SQL tracker store with the event data encrypted at rest.

Configured in endpoints.yml::

    tracker_store:
      type: bot.store.tracker_store.EncryptedSQLTrackerStore
      dialect: sqlite
      db: ${HOTLINE_TRACKER_DB}

and, in the endpoints file `hotline run` generates (bot/endpoints.py), by URL —
SQLite or PostgreSQL (Settings.tracker_url; Rasa's SQLTrackerStore takes a full
URL in ``host``, which is where Rasa puts the endpoint's ``url``)::

    tracker_store:
      type: bot.store.tracker_store.EncryptedSQLTrackerStore
      url: ${HOTLINE_TRACKER_URL}

Rasa 3.6 builds a custom tracker store as ``cls(host=url, domain=domain,
event_broker=broker, **kwargs)`` (rasa.core.tracker_store.
_load_from_module_name_in_endpoint_config), which is SQLTrackerStore's own
signature, so every SQL option (dialect, host, port, db, username, password,
login_db, query) works unchanged.

The table is Rasa's own ``events`` table (same name, same columns), so an
existing tracker database keeps working; only ``data`` — the event as JSON,
which holds the user's text, the bot's replies and slot values — is stored
through ``EncryptedText``: encrypted by the column type when a row is written,
decrypted when SQLTrackerStore._retrieve reads ``event.data``. Rows written
before (plaintext JSON) stay readable; ``hotline keys rotate`` encrypts them.

The other columns are plaintext because Rasa queries them: ``sender_id`` (our
random conversation id, never an address), ``type_name``, ``timestamp``,
``intent_name`` and ``action_name``. ``save`` is SQLTrackerStore.save with one
change: a name is stored only if it is a name the domain knows (or an
identifier, for action/slot/form names), so text typed in Rasa's
``/intent`` syntax can never land in ``intent_name``.

Note: Rasa falls back to an in-memory store (with a warning) when this class
cannot be imported; a missing or broken data key, though, stops the server at
start-up instead of running without encryption.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, _create_sequence
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import DeclarativeMeta, declarative_base

from bot.store.crypto import EncryptedText, bind_encrypted_columns, get_keyring

logger = logging.getLogger(__name__)

_IDENTIFIER = re.compile(r"^[A-Za-z0-9_.\-]{1,255}$")


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore whose ``events.data`` column is encrypted (Fernet, bot.store.crypto)."""

    Base: DeclarativeMeta = declarative_base()

    class SQLEvent(Base):  # type: ignore[valid-type, misc]
        """Rasa's ``events`` table, with ``data`` encrypted."""

        __tablename__ = "events"

        id = sa.Column(sa.Integer, _create_sequence(__tablename__), primary_key=True)
        sender_id = sa.Column(sa.String(255), nullable=False, index=True)
        type_name = sa.Column(sa.String(255), nullable=False)
        timestamp = sa.Column(sa.Float)
        intent_name = sa.Column(sa.String(255))
        action_name = sa.Column(sa.String(255))
        data = sa.Column(EncryptedText)

    bind_encrypted_columns(Base)  # events.data sealed to its row, like our own columns

    def __init__(self, domain: Domain | None = None, **kwargs: Any) -> None:
        get_keyring()  # no usable key: fail now, never store plaintext
        super().__init__(domain=domain, **kwargs)

    def _intent_name(self, data: dict[str, Any]) -> str | None:
        intent = (data.get("parse_data") or {}).get("intent") or {}
        name = intent.get(INTENT_NAME_KEY) if isinstance(intent, dict) else None
        if isinstance(name, str) and name in set(self.domain.intents):
            return name
        return None

    def _action_name(self, data: dict[str, Any]) -> str | None:
        # "name" is an action, slot, form or reminder name, never user text.
        name = data.get("name")
        if isinstance(name, str) and _IDENTIFIER.match(name):
            return name
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """SQLTrackerStore.save, with ``data`` encrypted by the column type."""
        await self.stream_events(tracker)

        with self.session_scope() as session:
            # only store recent events
            events = self._additional_events(session, tracker)

            for event in events:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=self._intent_name(data),
                        action_name=self._action_name(data),
                        data=json.dumps(data),
                    )
                )
            session.commit()

        logger.debug("Tracker %s stored (encrypted)", tracker.sender_id)
