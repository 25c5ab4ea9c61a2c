"""Worker processes, one way for every stage: how many, and a forked pool to map over.

Parsing Markdown, rendering Jinja and encoding photos are pure Python or hold the GIL,
so threads would share one core. A forked worker starts with the parent's memory (the
catalogue, the planned jobs, the Jinja environment) already there: only the items of
work go out and the results come back. `gc.freeze()` before forking keeps the
collector from touching, and so copying, the parent's objects in every worker.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Any, Callable, Iterable, Iterator, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Set in each worker process only, by the pool's initializer: what the parent handed
# over through fork. The parent never sets it.
_state: Any = None


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_map(function: Callable[[Any, Item], Result], items: Iterable[Item], state: Any,
             workers: int | None = None, ordered: bool = False) -> Iterator[Result]:
    """`function(state, item)` for every item, in forked worker processes that inherit
    `state`; results as they come (in order with `ordered`). Without fork, or with one
    worker, in this process. `function` must be a module-level function."""
    items = list(items)
    workers = min(workers or default_workers(), len(items))
    if workers < 2 or not can_fork():
        for item in items:
            yield function(state, item)
        return
    gc.collect()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_adopt, initargs=(state,)) as pool:
            calls = [(function, item) for item in items]
            mapped = pool.imap if ordered else pool.imap_unordered
            try:
                yield from mapped(_call, calls)
            except BaseException:
                pool.terminate()
                raise
    finally:
        gc.unfreeze()


def _adopt(state: Any) -> None:
    global _state
    _state = state


def _call(call: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, item = call
    return function(_state, item)
