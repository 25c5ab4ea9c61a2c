"""workers.fork_map, the one pool every stage maps over: real worker processes, forked
(inheriting this process's memory) or from a fork server (inheriting nothing)."""
from __future__ import annotations

import gc
import os
import pickle
import sys

import pytest

from ocop_site.base.workers import collector_paused, default_workers, fork_map

MARK = "as imported"  # a worker from a fork server sees this; a forked one, the parent's


def scaled_with_pid(state: dict, item: int) -> tuple[int, int]:
    return item * state["factor"], os.getpid()


def applied(state: dict, item: int) -> int:
    return state["function"](item)


def mark_seen(state: None, item: int) -> str:
    return MARK


def fail_on_seven(state: None, item: int) -> int:
    if item == 7:
        raise ValueError("item 7 is bad")
    return item


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_results_come_from_worker_processes_in_order_when_asked(start: str) -> None:
    results = list(fork_map(scaled_with_pid, range(40), {"factor": 3}, workers=2,
                            ordered=True, start=start))
    assert [value for value, _ in results] == [item * 3 for item in range(40)]
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_unordered_results_are_each_item_once(start: str) -> None:
    results = fork_map(scaled_with_pid, range(40), {"factor": 2}, workers=2, start=start)
    assert sorted(value for value, _ in results) == [item * 2 for item in range(40)]


def test_one_worker_or_one_item_works_in_this_process() -> None:
    alone = list(fork_map(scaled_with_pid, range(5), {"factor": 1}, workers=1))
    single = list(fork_map(scaled_with_pid, [4], {"factor": 1}, workers=2,
                           start="forkserver"))
    assert {pid for _, pid in alone + single} == {os.getpid()}
    assert [value for value, _ in alone] == [0, 1, 2, 3, 4] and single[0][0] == 4


def test_forked_workers_inherit_state_a_fork_server_must_be_sent() -> None:
    state = {"function": lambda item: item + 1}  # a lambda cannot be pickled
    assert list(fork_map(applied, range(10), state, workers=2, ordered=True)) == \
        list(range(1, 11))
    with pytest.raises((pickle.PicklingError, AttributeError)):  # "can't pickle"
        list(fork_map(applied, range(10), state, workers=2, start="forkserver"))


def test_a_fork_servers_workers_see_nothing_of_this_process(monkeypatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "MARK", "changed in the parent")
    forked = set(fork_map(mark_seen, range(8), None, workers=2))
    served = set(fork_map(mark_seen, range(8), None, workers=2, start="forkserver"))
    assert forked == {"changed in the parent"} and served == {"as imported"}


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_an_error_in_a_worker_reaches_the_caller_and_the_collector_is_back(
        start: str) -> None:
    with pytest.raises(ValueError, match="item 7 is bad"):
        list(fork_map(fail_on_seven, range(20), None, workers=2, start=start))
    assert gc.get_freeze_count() == 0  # the parent's objects are collected again
    assert sorted(fork_map(fail_on_seven, range(7), None, start=start)) == list(range(7))
    assert default_workers() >= 1


def collector_on(state: None, item: int) -> bool:
    return gc.isenabled()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_paused_collector_waits_for_the_end_and_workers_collect_their_own() -> None:
    """collector_paused (around every build): no automatic pass over this process's
    objects inside, the collector as it was after (also when the body raises), and a
    forked worker of a paused parent collecting its own garbage."""
    passes: list[int] = []

    def heard(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(info["generation"])
    assert gc.isenabled()
    gc.callbacks.append(heard)
    try:
        with collector_paused():
            assert not gc.isenabled()
            for _ in range(200_000):
                Cycle()  # garbage in cycles, enough for many automatic passes
            assert passes == []
            assert set(fork_map(collector_on, range(8), None, workers=2)) == {True}
            assert not gc.isenabled()
        assert gc.isenabled()
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError("a build failed")
        assert gc.isenabled()
        gc.disable()  # serve's rebuilds: paused already, left paused
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(heard)
