"""One turn handed to the assistant: the message and where its replies are collected.

The same attribute and method names as Rasa's `UserMessage` and
`CollectingOutputChannel`, so a Rasa-style handler (`on_new_message`) works
with it, without importing Rasa: the gateway process starts in about a second
because it never loads Rasa (importing rasa.core.channels alone takes seconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CollectingOutputChannel:
    """Collects the assistant's replies for one turn, in order."""

    messages: list[dict[str, Any]] = field(default_factory=list)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in text.strip().split("\n\n"):
            self.messages.append({"recipient_id": recipient_id, "text": part})


@dataclass
class UserMessage:
    """A texter's message as the assistant sees it (sender id = our conversation id)."""

    text: str
    output_channel: CollectingOutputChannel
    sender_id: str
    input_channel: str
    message_id: str
    metadata: dict[str, Any] | None = None
