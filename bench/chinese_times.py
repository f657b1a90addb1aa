"""Reading times typed in Chinese: our parser beside the PyPI candidates, on the phrasings of
tests/unit/chinese_time_phrasings.py (relative to Wednesday 3 December 2025, 10:00,
Asia/Shanghai).

For each parser: how many phrasings it reads to the right start, how many to the right
start and end (ranges; for a time point, no end), the median time per phrasing, and the
cost of importing it in a fresh process (what it adds to the CLI's start-up). A candidate
that is not installed is reported as such; to measure one without adding it to the
project, install it elsewhere and put it on the path:

    pip install --target /tmp/tp dateparser jionlp
    PYTHONPATH=/tmp/tp .venv/bin/python bench/chinese_times.py

jionlp's time_point answers are spans of their granularity ("下午3点" → 15:00:00–15:59:59),
so its end is compared only for ranges; a span's end is compared to the minute (dates only
for ranges of days).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.domain.chinese_times import parse_when
from tests.unit.chinese_time_phrasings import NOW, PHRASINGS, ZONE

Parsed = tuple[datetime | None, datetime | None, bool]  # start, end, timed
Parser = Callable[[str], Parsed]


def ours(text: str) -> Parsed:
    when = parse_when(text, zone=ZONE, now=NOW)
    if when is None:
        return None, None, True
    return when.start, when.end, when.timed


def dateparser_parser() -> Parser | None:
    try:
        import dateparser
    except ImportError:
        return None
    settings = {
        "RELATIVE_BASE": NOW.replace(tzinfo=None),
        "TIMEZONE": "Asia/Shanghai",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
    }

    def parse(text: str) -> Parsed:
        try:
            got = dateparser.parse(text, languages=["zh"], settings=settings)  # type: ignore[arg-type]
        except Exception:  # a crash on a phrasing is a miss
            return None, None, True
        return (got.astimezone(ZONE) if got else None), None, True

    return parse


def jionlp_parser() -> Parser | None:
    try:
        import jionlp
    except ImportError:
        return None
    base = NOW.timestamp()

    def parse(text: str) -> Parsed:
        try:
            got = jionlp.parse_time(text, time_base=base)
        except Exception:  # jionlp raises on what it cannot read
            return None, None, True
        start, end = (datetime.fromisoformat(t).replace(tzinfo=ZONE) for t in got["time"][:2])
        timed = not (start.hour == start.minute == 0 and end.hour == 23 and end.minute == 59)
        return start, (end if got["type"] == "time_span" else None), timed

    return parse


def score(parse: Parser) -> tuple[int, int, float, list[str]]:
    starts = both = 0
    misses: list[str] = []
    times: list[float] = []
    for text, start, end in PHRASINGS:
        t0 = time.perf_counter()
        got_start, got_end, timed = parse(text)
        times.append(time.perf_counter() - t0)
        ok_start = got_start == start
        if end is None:
            ok_end = True
        elif got_end is None:
            ok_end = False
        elif timed and (end.hour or end.minute):
            ok_end = got_end.replace(second=0, microsecond=0) == end
        else:
            ok_end = got_end.date() == end.date()
        starts += ok_start
        both += ok_start and ok_end
        if not (ok_start and ok_end):
            misses.append(text)
    return starts, both, statistics.median(times) * 1000, misses


def import_ms(module: str) -> float:
    """Median wall time of ``import module`` in a fresh interpreter, minus a bare start."""

    def run(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        return time.perf_counter() - t0

    bare = statistics.median(run("pass") for _ in range(3))
    return (statistics.median(run(f"import {module}") for _ in range(3)) - bare) * 1000


def main() -> None:
    candidates: list[tuple[str, str, Parser | None]] = [
        ("ours (bot.domain.chinese_times)", "bot.domain.chinese_times", ours),
        ("dateparser", "dateparser", dateparser_parser()),
        ("jionlp", "jionlp", jionlp_parser()),
    ]
    print(f"{len(PHRASINGS)} phrasings")
    for name, module, parse in candidates:
        if parse is None:
            print(f"{name}: not installed")
            continue
        starts, both, ms, misses = score(parse)
        print(
            f"{name}: start right {starts}/{len(PHRASINGS)}, start and end right "
            f"{both}/{len(PHRASINGS)}, median {ms:.3f} ms a phrasing, "
            f"import {import_ms(module):.0f} ms"
        )
        if misses:
            print("  missed: " + "、".join(misses[:12]) + (" …" if len(misses) > 12 else ""))


if __name__ == "__main__":
    main()
