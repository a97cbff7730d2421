"""KeystrokeDecoder: scans vs human typing, decided by timing alone."""

from __future__ import annotations

import pytest

from pos_app.devices.scanner.wedge import KeystrokeDecoder, Replay, Scan, WedgeConfig


def feed_all(dec: KeystrokeDecoder[int], text: str, start: float, gap: float):
    decisions, taken = [], []
    t = start
    for i, ch in enumerate(text):
        d, held = dec.feed(ch, t, i)
        decisions.extend(d)
        taken.append(held)
        t += gap
    return decisions, taken, t


def test_fast_burst_with_enter_is_a_scan_and_everything_is_swallowed():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    decisions, taken, _ = feed_all(dec, "134567890123456789\r", 10.0, 0.004)
    assert decisions == [Scan("134567890123456789", tuple(range(19)))]
    assert all(taken)
    assert not dec.holding


def test_human_typing_is_replayed_key_by_key_and_never_captured():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    decisions, _taken, t = feed_all(dec, "690123", 0.0, 0.150)
    # each key is held only until the next (slow) key arrives, then given back
    assert decisions == [Replay((i,)) for i in range(5)]
    assert dec.poll(t) == [Replay((5,))]
    d, held = dec.feed("\r", t + 1, 99)
    assert d == [] and held is False  # a lone Enter passes straight through


def test_fast_but_short_burst_is_typing():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    decisions, taken, _ = feed_all(dec, "1234\r", 0.0, 0.005)
    assert decisions == [Replay((0, 1, 2, 3))]
    assert taken == [True] * 4 + [False]  # the Enter is delivered after the replay


def test_average_gap_too_slow_is_typing():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder(WedgeConfig(avg_gap=0.030, max_gap=0.050))
    decisions, _, _ = feed_all(dec, "12345678\r", 0.0, 0.045)
    assert decisions == [Replay(tuple(range(8)))]


def test_one_long_pause_inside_a_burst_splits_it():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    out = []
    for i, (ch, t) in enumerate([("1", 0.0), ("2", 0.01), ("3", 0.2), ("4", 0.21)]):
        out.extend(dec.feed(ch, t, i)[0])
    assert out == [Replay((0, 1))]
    assert dec.poll(0.3) == [Replay((2, 3))]


def test_no_terminator_mode_accepts_a_burst_that_stops():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder(WedgeConfig(terminator_required=False))
    _, _, t = feed_all(dec, "6901234567011", 0.0, 0.003)
    assert dec.poll(t - 0.003 + 0.049) == []  # not yet idle long enough
    assert dec.poll(t + 0.1) == [Scan("6901234567011", tuple(range(13)))]


def test_non_printable_key_releases_held_keys():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    dec.feed("a", 0.0, 0)
    d, held = dec.feed("", 0.001, 1)  # e.g. an arrow key
    assert d == [Replay((0,))] and held is False


def test_tab_terminates_too_and_flush_returns_everything():
    dec: KeystrokeDecoder[int] = KeystrokeDecoder()
    decisions, _, _ = feed_all(dec, "ABC123\t", 0.0, 0.002)
    assert decisions == [Scan("ABC123", tuple(range(7)))]
    dec.feed("x", 1.0, 0)
    assert dec.flush() == [Replay((0,))]
    assert dec.deadline() is None


@pytest.mark.parametrize("kwargs", [{"avg_gap": 0.06, "max_gap": 0.05}, {"min_length": 0}])
def test_bad_config_rejected(kwargs):
    with pytest.raises(ValueError):
        WedgeConfig(**kwargs)
