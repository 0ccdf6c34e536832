"""What happens to a texter's message while a person owns the conversation.

While a conversation is claimed by an advocate, nothing reaches the assistant:
the message is stored for the advocate. While it is queued (waiting for a
person), the assistant keeps answering, so a texter who asked for a person in
the middle of the screening can go on with it; the advocate reads the whole
conversation when they claim it. In both states these come first:

- an emergency still gets the emergency numbers at once, and raises the
  request to the top of the queue; detection is the same layered detector as
  everywhere (bot/safety/detector.py), and the router's safety step runs
  first (must-stop pauses, a possible danger gets the Y/N check, a confirmed
  Y arrives here as `emergency=True`);
- "never mind" / "olvídalo" leaves the queue and the assistant answers again;
- "delete my data" (DELETE / BORRAR) is recorded on the case: the conversation
  is erased when the person's part ends (bot/handoff/erasure.py);
- YES / NO right after "may a person text you back later?" is recorded as the
  texter's consent to be contacted back;
- anything else: while waiting, the assistant answers it; once claimed, it is
  stored without a reply (the advocate reads it and answers).

The quick exit is handled before this (bot/messaging/router.py), as everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy.orm import Session

from bot.content.loader import Content
from bot.handoff import queue
from bot.privacy import request_deletion
from bot.safety.detector import is_emergency
from bot.screening.answers import parse_answer
from bot.store.models import Conversation, HandoffRequest, utcnow
from bot.store.statuses import ConversationStatus, HandoffStatus

# Whole-message phrases that take the texter out of the queue (accents, case and
# punctuation ignored). Kept short and explicit: anything else waits for a person.
LEAVE_PHRASES = (
    "never mind", "nevermind", "nvm", "forget it", "no thanks", "dont need help",
    "i dont need help anymore", "cancel request",
    "olvidalo", "olvidelo", "ya no", "no importa", "no gracias", "ya no necesito ayuda",
    "cancelar solicitud",
)


# Whole-message "delete my data" requests (the assistant's NLU is not consulted here).
DELETE_PHRASES = (
    "delete", "delete my data", "delete my info", "delete my information",
    "delete everything", "erase my data", "erase my info",
    "borrar", "borrar mis datos", "borra mis datos", "borrar todo", "eliminar mis datos",
    "elimina mis datos", "borrar mi informacion",
)


def _key(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.lower())
    norm = "".join(ch for ch in norm if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]+", "", norm).split())


def says_only(text: str, phrases: Iterable[str]) -> bool:
    """True when the whole message is one of `phrases` ("never mind", not "never mind
    the boss, help")."""
    key = _key(text)
    return bool(key) and key in {_key(p) for p in phrases}


def wants_to_leave(text: str) -> bool:
    return says_only(text, LEAVE_PHRASES)


def wants_deletion(text: str) -> bool:
    return says_only(text, DELETE_PHRASES)


def held_replies(session: Session, conversation: Conversation, text: str,
                 content: Content, lang: str, *, emergency: bool | None = None) -> list[str] | None:
    """The automatic replies to a held message, or None when the assistant owns the turn.

    `emergency` is the texter's own answer to the Y/N danger check, when there was one.
    """
    if conversation.status == ConversationStatus.BOT:
        return None
    request = queue.active_request(session, conversation.id)
    if request is None:  # stale status (e.g. a request erased): the assistant answers
        conversation.status = ConversationStatus.BOT
        return None
    if emergency or (emergency is None and is_emergency(text)):
        queue.enqueue(session, conversation, "emergency", "emergency")
        return [content.template("emergency", lang)]
    if wants_deletion(text):
        request_deletion(request, utcnow())
        return [content.template("delete_pending_case", lang)]
    if wants_to_leave(text):
        queue.leave(session, conversation.id, "texter_left")
        return [content.template("queue_left", lang)]
    if request.contact_back is None and request.contact_back_asked_at is not None:
        answer = parse_answer(text)
        if answer in ("yes", "no"):
            request.contact_back = answer == "yes"
            return [content.template(f"contact_back_{answer}", lang)]
    if request.status == HandoffStatus.OPEN:
        # Waiting for a person: the assistant keeps helping (answers, the flow the
        # texter was in) until someone claims the conversation; the advocate reads
        # everything in the transcript. Silence here left a texter who asked for a
        # person mid-screening unanswered until one was free (issue 10, round 7).
        return None
    return []


def contact_back_question(session: Session, conversation: Conversation, content: Content,
                          lang: str) -> str | None:
    """Ask once, right after an escalation, whether a person may text back later.

    Not asked when the answer is already known (a tipster said it in the tip
    form). Web chat is asked too: while its tab stays open a person can still
    answer there, and the answer decides what happens if nobody is free.
    """
    if conversation.status == ConversationStatus.BOT or conversation.channel == "unknown":
        return None
    request: HandoffRequest | None = queue.active_request(session, conversation.id)
    if request is None or request.contact_back is not None or request.contact_back_asked_at:
        return None
    request.contact_back_asked_at = utcnow()
    return content.template("contact_back_question", lang)
