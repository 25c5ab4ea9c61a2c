"""Worker processes, one way for every stage: how many, and a pool to map over.

Parsing Markdown, rendering Jinja and encoding photos are pure Python or hold the GIL,
so threads would share one core. A forked worker starts with the parent's memory (the
catalogue, the planned jobs, the Jinja environment) already there: only the items of
work go out and the results come back. `gc.freeze()` before forking keeps the
collector from touching, and so copying, the parent's objects in every worker; a worker
collects its own garbage even when its parent paused the collector (a build does).

Photos are the exception (`start="forkserver"`): Pillow runs threads of its own, and a
process forked while one of them holds a lock hands its worker a lock nobody will
release. Their workers come from a fork server, a clean process started once.
"""
from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from multiprocessing.context import BaseContext
from typing import Any, Callable, Iterable, Iterator, Literal, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
StartMethod = Literal["fork", "forkserver"]

# Set in each worker process only, by the pool's initializer: what the parent handed
# over (through fork, or pickled to a fork server's worker). The parent never sets it.
_state: Any = None


def default_workers() -> int:
    """One worker per core this process may run on: the one rule for every pool."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(function: Callable[[Any, Item], Result], items: Iterable[Item], state: Any,
             workers: int | None = None, ordered: bool = False,
             start: StartMethod = "fork") -> Iterator[Result]:
    """`function(state, item)` for every item, in worker processes; results as they
    come (in the items' order with `ordered`), so the caller stores each as it arrives.
    With one worker (or one item), or without fork, in this process. `function` must be
    a module-level function.

    `start="fork"`: the workers inherit `state` as it is in memory (nothing pickled).
    `start="forkserver"`: they come from a fork server that imported `function`'s
    module once (spawned processes where there is no fork server); `state` and the
    items are pickled to them, and nothing else of this process reaches them."""
    items = list(items)
    workers = min(workers or default_workers(), len(items))
    context = _context(start, function) if workers > 1 else None
    if context is None:
        for item in items:
            yield function(state, item)
        return
    inherits = start == "fork"
    if inherits:
        if gc.isenabled():  # paused (a build): the garbage waits for the build's end
            gc.collect()
        gc.freeze()
    try:
        with context.Pool(workers, initializer=_adopt, initargs=(state,)) as pool:
            calls = [(function, item) for item in items]
            mapped = pool.imap if ordered else pool.imap_unordered
            try:
                yield from mapped(_call, calls)
            except BaseException:
                pool.terminate()
                raise
    finally:
        if inherits:
            gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a build, back as it was after. A build
    makes millions of objects that live to its end (content, caches, the graph, jobs):
    each time they grow by a quarter the collector walks them all, 15 times and 2.1 s
    of a one-edit build at 10,000 products, finding ~46,000 objects in cycles. Freed by
    reference counting, everything else goes as it always does; serve pauses it the
    same way around its rebuilds, and a worker process turns it on again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _context(start: StartMethod, function: Callable) -> BaseContext | None:
    """The multiprocessing context for `start`; None: work in this process."""
    if start == "fork":
        return multiprocessing.get_context("fork") if can_fork() else None
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # pragma: no cover - no fork server on this OS
        return multiprocessing.get_context("spawn")
    context.set_forkserver_preload([function.__module__])
    return context


def _adopt(state: Any) -> None:
    global _state
    _state = state
    gc.enable()  # a worker's own garbage collected (its parent may have paused it)


def _call(call: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, item = call
    return function(_state, item)
