"""In-memory indexes rebuilt off the event loop, swapped in whole, old one served meanwhile.

The similar-proposal index and the rulebook index take seconds to build at a term's or a
large rulebook's size, and the bot has one event loop: built there, every member waits.
:class:`BackgroundIndex` keeps the current index, rebuilds it in a worker thread when asked
(a burst of requests while a build runs makes one more build, which starts after the last
request and so includes the latest data), swaps the new one in with one assignment, and on
failure logs, keeps the old one and tries again later.

A thread still shares the interpreter lock, but pure-Python building gives it up every few
milliseconds. What does not: the collector's full passes over a heap that has just grown
by a large index (0.2-0.6 s each at 100,000 passages), and freeing the old index in one
cascade of deallocations (0.3 s). So a large build runs with the collector paused and
freezes what it made (as ``bot.serving.tune_garbage_collector`` does at start), and the
old index is taken apart a chunk at a time in the worker thread once nobody uses it.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import logging
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, Generic, TypeVar

__all__ = ["BackgroundIndex", "dismantle", "drain", "off_loop", "quiet_collector"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# Builds of this many entries or more pause the collector: a full pass during the build
# walks everything made since the last freeze (0.2 s already with 4,000 proposals on a
# busy machine). Smaller ones (the tests' few rows) leave the collector alone.
LARGE_BUILD = 1_000
RETRY_SECONDS = 30.0
# How long a retired index may stay in use (an answer awaiting the model) before it is
# simply let go wherever its last user drops it.
RETIRE_WAIT_SECONDS = 120.0
_FREE_CHUNK = 500

_executor: ThreadPoolExecutor | None = None
_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = True


def _pool() -> ThreadPoolExecutor:
    # One thread for all index work: builds queue behind each other instead of competing
    # with each other and the loop for the interpreter lock.
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-build")
    return _executor


async def off_loop(fn: Callable[[], R]) -> R:
    """``fn()`` in the index worker thread."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), fn)


@contextmanager
def quiet_collector(enabled: bool = True) -> Iterator[None]:
    """No full collection while a large index is built; what was built is frozen after.

    Freezing moves every object alive at that moment out of the collector's sight for
    good, so garbage cycles made during the build are kept rather than collected (a few
    kilobytes per rebuild, against a stall of a second).
    """
    global _gc_users, _gc_was_enabled
    if not enabled:
        yield
        return
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0:
                gc.freeze()
                if _gc_was_enabled:
                    gc.enable()


class BackgroundIndex(Generic[T]):
    """The current index, rebuilt off the loop on request.

    ``build`` returns ``(key, index)``: ``key`` names the data the index holds (a count
    and sum of ids, a revision), so a request made with the key the caller saw is dropped
    once an index of that key is in place.
    """

    def __init__(
        self,
        build: Callable[[], Awaitable[tuple[Any, T]]],
        *,
        name: str,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self._build = build
        self.name = name
        self.retry_seconds = retry_seconds
        self.current: T | None = None
        self.key: Any = None
        self.builds = 0  # indexes swapped in (tests and benchmarks read it)
        self.failures = 0
        self.last_error: BaseException | None = None
        self._pending = False
        self._pending_keys: set[Any] | None = set()  # None: some request named no key
        self._runner: asyncio.Task[None] | None = None
        self._retry_now = asyncio.Event()
        self._retiring: set[asyncio.Task[None]] = set()

    async def ready(self) -> T:
        """The current index; the first one is built now (the caller waits, the loop does
        not). Without any index yet, a failed build raises."""
        if self.current is None:
            failures = self.failures
            self.request()
            self._retry_now.set()  # someone waits for a first index: no back-off
            while self.current is None and self.rebuilding and self.failures == failures:
                await self._wait()
            if self.current is None:
                raise RuntimeError(f"building the {self.name} index failed") from self.last_error
        return self.current

    def request(self, seen_key: Any = None, *, known: bool = False) -> None:
        """Asks for a rebuild and returns at once. ``known=True``: the caller saw
        ``seen_key`` in the data, so an index built from that key answers the request."""
        if known and self.current is not None and seen_key == self.key:
            return
        self._pending = True
        if not known:
            self._pending_keys = None
        elif self._pending_keys is not None:
            self._pending_keys.add(seen_key)
        if not self.rebuilding:
            # A context of its own: not the requesting update's (its database turn).
            self._runner = asyncio.create_task(
                self._run(), name=f"rebuild {self.name}", context=contextvars.Context()
            )

    def install(self, key: Any, index: T) -> None:
        """Puts an index built elsewhere in place (one built from a transaction's own,
        uncommitted rows, which a rebuild's connection cannot see)."""
        self._swap(key, index)

    @property
    def rebuilding(self) -> bool:
        """A rebuild is running, asked for, or waiting to retry."""
        return self._runner is not None and not self._runner.done()

    async def settled(self) -> None:
        """Waits until no rebuild is running or asked for (tests, benchmarks); returns
        early while builds fail (they go on retrying in the background)."""
        failures = self.failures
        while self.rebuilding and self.failures == failures:
            await self._wait()

    async def _wait(self) -> None:
        assert self._runner is not None
        await asyncio.wait({self._runner}, timeout=0.02)

    async def _run(self) -> None:
        while self._pending:
            self._pending = False
            keys, self._pending_keys = self._pending_keys, set()
            if keys and self.current is not None and keys == {self.key}:
                continue  # every request saw the data this index already holds
            try:
                key, index = await self._build()
            except Exception as exc:
                self.failures += 1
                self.last_error = exc
                log.exception("rebuilding the %s index failed; keeping the old one", self.name)
                self._pending, self._pending_keys = True, None
                self._retry_now.clear()
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._retry_now.wait(), self.retry_seconds)
                continue
            self._swap(key, index)
            del index

    def _swap(self, key: Any, index: T) -> None:
        old, self.current, self.key = self.current, index, key
        self.builds += 1
        if old is not None:
            task = asyncio.create_task(_retire([old]))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
            del old


async def _retire(holder: list[Any]) -> None:
    """Takes the old index apart off the loop once the holder is its only user."""
    base = _refs_in_holder([object()])
    waited = 0.0
    while _refs_in_holder(holder) > base:
        if waited >= RETIRE_WAIT_SECONDS:
            return  # still in use: its last user frees it
        await asyncio.sleep(0.5)
        waited += 0.5
    await off_loop(lambda: dismantle(holder.pop()))


def drain(items: list[Any]) -> None:
    """Empties a large list a chunk at a time (in the worker thread: see :func:`dismantle`)."""
    while items:
        del items[-_FREE_CHUNK:]


def _refs_in_holder(holder: list[Any]) -> int:
    return sys.getrefcount(holder[0])


def _refs_of_attribute(owner: Any, name: str) -> int:
    value = getattr(owner, name)
    return sys.getrefcount(value)


class _Probe:
    __slots__ = ("part",)

    def __init__(self) -> None:
        self.part: list[Any] = []


def dismantle(obj: Any, *, depth: int = 3) -> None:
    """Empties ``obj``'s large lists and dicts a chunk at a time, then lets it go.

    Dropping a large index frees millions of objects in one cascade that holds the
    interpreter lock throughout; freeing a chunk at a time lets the loop's thread in
    between. A container another object also references is left alone.
    """
    own = _refs_of_attribute(_Probe(), "part")
    _dismantle(obj, depth, own)


def _dismantle(obj: Any, depth: int, own: int) -> None:
    if depth <= 0:
        return
    names: list[str] = list(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        names.extend(getattr(cls, "__slots__", ()))
    for name in names:
        try:
            value = getattr(obj, name)
        except AttributeError:
            continue
        if isinstance(value, (str, bytes, int, float, tuple, frozenset, type)):
            continue
        del value
        if _refs_of_attribute(obj, name) > own:
            continue  # shared with someone else: not ours to empty
        value = getattr(obj, name)
        if isinstance(value, list):
            drain(value)
        elif isinstance(value, dict):
            while value:
                for _ in range(min(_FREE_CHUNK, len(value))):
                    value.popitem()
        elif hasattr(value, "__dict__") or hasattr(type(value), "__slots__"):
            _dismantle(value, depth - 1, own)
