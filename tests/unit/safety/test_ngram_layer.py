"""The n-gram layer never makes a texter wait while the start-up warm-up trains it."""

from __future__ import annotations

import threading

from bot.safety import ngram


def _examples() -> tuple[list[str], list[int]]:
    return (["he is hitting me now", "me esta pegando", "what are my rights",
             "cuales son mis derechos"], [1, 1, 0, 0])


def test_score_answers_zero_while_another_thread_fits_then_the_real_score() -> None:
    started, release = threading.Event(), threading.Event()

    def slow_load() -> tuple[list[str], list[int]]:
        started.set()
        release.wait(10)
        return _examples()

    layer = ngram.Layer(slow_load, 4.0)
    warm = threading.Thread(target=layer.fit)
    warm.start()
    assert started.wait(10)
    assert not layer.ready
    assert layer.score("he is hitting me now") == 0.0  # no wait on the warm-up
    release.set()
    warm.join(10)
    assert layer.ready
    assert layer.score("he is hitting me now") > layer.score("what are my rights")


def test_score_fits_on_first_use_when_nobody_else_is_fitting() -> None:
    layer = ngram.Layer(_examples, 4.0)
    assert not layer.ready
    assert layer.score("me esta pegando") > 0.5
    assert layer.ready
    assert layer.score("") == 0.0 and layer.score(None) == 0.0
