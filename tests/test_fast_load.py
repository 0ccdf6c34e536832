"""The fast model load (bot/nlu/fast_load.py) gives the very model Rasa's own load gives.

Both loads run on the trained model in this process: every TensorFlow weight of
DIET, the response selector and TED must be equal, and so must the parse of
texters' messages (intent, confidence, retrieval answer).
"""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from tests.conftest import model_path

pytestmark = pytest.mark.rasa

TEXTS = [
    "hi", "they took my passport and i cant leave", "me quitaron mis papeles",
    "is there a number for abuse at home", "quiero hablar con una persona",
    "he is hitting me right now", "can i get a t visa", "no me pagan hace 3 meses",
    "i want to report a massage place", "ok keep going", "what is continued presence",
    "cuanto debo si me traen", "2", "y", "stop",
]


def _load(monkeypatch: pytest.MonkeyPatch, fast: bool) -> tuple[dict[str, Any], list]:
    from rasa.core.agent import Agent
    from rasa.utils.tensorflow.models import RasaModel

    from bot.nlu import fast_load

    monkeypatch.setattr(RasaModel, "load", RasaModel.load)  # restored after the test
    monkeypatch.setattr(fast_load, "_installed", False)
    if fast:
        fast_load.install()
    models: list = []
    inner = RasaModel.load.__func__

    def recording(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        model = inner(cls, *args, **kwargs)
        models.append(model)
        return model

    monkeypatch.setattr(RasaModel, "load", classmethod(recording))
    agent = Agent.load(str(model_path()))
    weights = {f"{i}:{type(m).__name__}:{v.name}": v.numpy()
               for i, m in enumerate(models) for v in m.weights}

    async def parse() -> list:
        out = []
        for text in TEXTS:
            r = await agent.parse_message(text)
            answers = {k: (v["response"].get("intent_response_key"), v["response"]["confidence"])
                       for k, v in r.get("response_selector", {}).items()
                       if k != "all_retrieval_intents"}
            out.append((r["intent"]["name"], r["intent"]["confidence"], answers))
        return out

    return weights, asyncio.run(parse())


def test_fast_load_restores_every_weight_and_parses_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        rasa_weights, rasa_parses = _load(m, fast=False)
    with monkeypatch.context() as m:
        fast_weights, fast_parses = _load(m, fast=True)
    assert len(rasa_weights) > 50  # DIET, the response selector and TED were all loaded
    assert {k.split(":")[1] for k in rasa_weights} >= {"DIET", "TED"}
    assert fast_weights.keys() == rasa_weights.keys()
    unequal = [k for k in rasa_weights if not np.array_equal(rasa_weights[k], fast_weights[k])]
    assert unequal == []
    assert fast_parses == rasa_parses
