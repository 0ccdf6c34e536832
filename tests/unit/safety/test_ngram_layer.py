"""The n-gram layer never makes a texter wait while the start-up warm-up trains it."""

from __future__ import annotations

import threading

import pytest

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


def test_a_layer_the_warm_up_has_not_reached_answers_zero_without_fitting(monkeypatch) -> None:
    monkeypatch.setenv(ngram.CACHE_ENV, "off")
    calls = []

    def counted() -> tuple[list[str], list[int]]:
        calls.append(1)
        return _examples()

    layer = ngram.Layer(counted, 4.0, "test_reserved")
    unnamed = ngram.Layer(_examples, 4.0)  # a test's or an experiment's: never reserved
    ngram.start_background_fit()
    try:
        assert layer.score("he is hitting me now") == 0.0
        assert calls == [] and not layer.ready  # the texter's message fitted nothing
        assert unnamed.score("he is hitting me now") > 0.5
    finally:
        ngram.end_background_fit()
    assert layer.score("he is hitting me now") > 0.5 and calls == [1]


def test_the_warm_up_fitting_a_layer_releases_it_even_when_the_fit_fails(monkeypatch) -> None:
    monkeypatch.setenv(ngram.CACHE_ENV, "off")
    attempts = []

    def broken_once() -> tuple[list[str], list[int]]:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("examples unreadable")
        return _examples()

    layer = ngram.Layer(broken_once, 4.0, "test_reserved_broken")
    ngram.start_background_fit()
    try:
        with pytest.raises(OSError):
            layer.fit()  # what the warm-up thread does
        # Released although the warm-up is still running: the next message fits it.
        assert layer.score("me esta pegando") > 0.5 and len(attempts) == 2
    finally:
        ngram.end_background_fit()


def _refuse() -> tuple[list[str], list[int]]:
    raise AssertionError("fitted although a cached model matches the inputs")


def test_a_fitted_layer_is_cached_and_the_next_process_loads_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ngram.CACHE_ENV, str(tmp_path))
    first = ngram.Layer(_examples, 4.0, "test_layer")
    first.fit()
    (cached,) = tmp_path.glob("test_layer-*.pkl")
    second = ngram.Layer(_refuse, 4.0, "test_layer")  # as in a new process
    assert second.score("me esta pegando") == first.score("me esta pegando") > 0.5
    assert not list(tmp_path.glob(".tmp-*"))  # written whole, then renamed
    # Other C: another file, fitted from the examples; the older fit is removed.
    ngram.Layer(_examples, 8.0, "test_layer").fit()
    (newer,) = tmp_path.glob("test_layer-*.pkl")
    assert newer != cached


def test_a_torn_cache_file_is_fitted_again_and_replaced(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ngram.CACHE_ENV, str(tmp_path))
    ngram.Layer(_examples, 4.0, "test_layer").fit()
    (cached,) = tmp_path.glob("test_layer-*.pkl")
    cached.write_bytes(cached.read_bytes()[:100])
    layer = ngram.Layer(_examples, 4.0, "test_layer")
    assert layer.score("he is hitting me now") > 0.5
    assert ngram.Layer(_refuse, 4.0, "test_layer").score("he is hitting me now") > 0.5


def test_without_a_writable_cache_the_layer_still_works(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv(ngram.CACHE_ENV, str(blocked / "cache"))
    assert ngram.Layer(_examples, 4.0, "test_layer").score("me esta pegando") > 0.5
    monkeypatch.setenv(ngram.CACHE_ENV, "off")
    assert ngram.cache_dir() is None
    assert ngram.Layer(_examples, 4.0, "test_layer").score("me esta pegando") > 0.5


def test_the_cache_key_changes_with_the_examples(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    (data / "safety").mkdir(parents=True)
    (data / "nlu").mkdir()
    examples = data / "safety" / "emergency_examples.yml"
    examples.write_text("emergency: [he is hitting me]\n")
    monkeypatch.setattr(ngram, "DATA_DIR", data)
    before = ngram.inputs_fingerprint("emergency", 24.0)
    assert ngram.inputs_fingerprint("emergency", 24.0) == before
    examples.write_text("emergency: [he is hitting me, me esta pegando]\n")
    more_examples = ngram.inputs_fingerprint("emergency", 24.0)
    (data / "nlu" / "rights.yml").write_text("nlu: []\n")
    assert len({before, more_examples, ngram.inputs_fingerprint("emergency", 24.0)}) == 3
