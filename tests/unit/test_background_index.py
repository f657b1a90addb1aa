"""The rebuild machinery on its own: failures keep the old index, bursts coalesce, and an
old index is taken apart only when nobody else holds its parts."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.background_index import BackgroundIndex, dismantle


class Source:
    """A fake data source whose builds can fail or be held."""

    def __init__(self) -> None:
        self.version = 1
        self.fail = False
        self.builds = 0
        self.release = asyncio.Event()
        self.release.set()

    async def build(self) -> tuple[int, list[int]]:
        self.builds += 1
        version = self.version
        await self.release.wait()
        if self.fail:
            raise OSError("database went away")
        return version, list(range(version))


async def test_a_failed_rebuild_keeps_the_old_index_and_is_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = Source()
    index = BackgroundIndex(source.build, name="test", retry_seconds=0.05)
    assert await index.ready() == [0]
    source.version, source.fail = 2, True
    with caplog.at_level(logging.ERROR):
        index.request()
        await asyncio.sleep(0.02)
        assert index.current == [0] and index.failures >= 1  # old one still served
    assert "rebuilding the test index failed" in caplog.text
    source.fail = False
    await index.settled()
    assert index.current == [0, 1] and index.key == 2


async def test_without_any_index_a_failed_build_is_an_error() -> None:
    source = Source()
    source.fail = True
    index = BackgroundIndex(source.build, name="test", retry_seconds=60)
    with pytest.raises(RuntimeError):
        await index.ready()


async def test_requests_during_a_build_make_one_more_build_with_the_latest_data() -> None:
    source = Source()
    index = BackgroundIndex(source.build, name="test")
    await index.ready()
    source.release.clear()
    for version in range(2, 12):  # ten changes while the first rebuild is held
        source.version = version
        index.request()
        await asyncio.sleep(0)
    source.release.set()
    await index.settled()
    assert source.builds == 3  # the first index, the held rebuild, one more
    assert index.key == 11


async def test_a_request_naming_the_data_in_place_builds_nothing() -> None:
    source = Source()
    index = BackgroundIndex(source.build, name="test")
    await index.ready()
    index.request(1, known=True)
    await index.settled()
    assert source.builds == 1


class Part:
    def __init__(self) -> None:
        self.rows: list[Any] = list(range(5000))
        self.table: dict[int, int] = {i: i for i in range(5000)}


class Whole:
    def __init__(self) -> None:
        self.part = Part()
        self.shared: list[int] = [1, 2, 3]


def test_dismantle_empties_what_only_the_index_holds() -> None:
    whole = Whole()
    kept = whole.shared  # someone else still uses this list
    dismantle(whole)
    assert whole.part.rows == [] and whole.part.table == {}
    assert kept == [1, 2, 3]
