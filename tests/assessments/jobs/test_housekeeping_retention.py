"""Every worker's housekeeping deletes answers past their keeping period, once an hour."""

import threading

from assessments.management.commands import worker as command


class Connections:
    def close_all(self):
        pass


def test_housekeeping_deletes_expired_answers_once_an_hour(monkeypatch):
    stop = threading.Event()
    calls = []
    # Each pass reads the clock for the recovery, then for the retention (and once more
    # when it runs): at the start, a second later, and an hour after the start.
    clock = iter([10_000.0] * 3 + [10_001.0] * 2 + [13_600.0] * 3)
    monkeypatch.setattr(command.time, "monotonic", lambda: next(clock, 99_999.0))
    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    monkeypatch.setattr(command, "connections", Connections())
    monkeypatch.setattr(command.worker, "renew", lambda worker_id: None)
    monkeypatch.setattr(command.worker, "recover", lambda: 0)
    monkeypatch.setattr(command.exports, "prune", lambda: 0)
    monkeypatch.setattr(command, "every", lambda: (0.0, 1e9))

    def deleted():
        calls.append(rounds)
        if len(calls) == 2:
            stop.set()
        return 0

    monkeypatch.setattr(command.retention, "expired_answers_delete", deleted)
    rounds = 0

    def wait(seconds):
        nonlocal rounds
        rounds += 1
        if rounds > 10:
            stop.set()

    monkeypatch.setattr(stop, "wait", wait)
    command.housekeeping("w1", stop)
    # At the start, then not on the next pass, only once an hour has passed.
    assert calls == [0, 2]
