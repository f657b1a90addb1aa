"""Throughput and latency of the two Telegram channels, and the outbox's sending rate.

Run: python bench/telegram_bench.py [--quick] [--rounds 3] [--users 64] [--channels ptb,aiogram]

For each channel (python-telegram-bot, aiogram), 5,000 updates go through long polling
against the Bot API emulator (tests/support/botapi_emulator.py):

(a) a bare echo bot written the library's own way (a text handler answering with the text;
    updates handled concurrently, as our channels do);
(b) committee-bot (TelegramService: the channel, App.handle with its SQLite database in WAL
    mode, LimitedSender), two workloads:
    - "flow step", the issue's (b): each update is one step of a three-step flow with its
      database write and one reply, like the echo bot's one reply (/note starts the flow,
      three text answers are stored step by step, the last one finishes it);
    - "inbox round": members go through the 留言秘书处 flow over and over (/contact, topic
      button, the message text, the send button), buttons, edits and the inbox row included.

Each row runs in a fresh process of its own, the emulator in the same process and event
loop as the bot: the echo bot's process holds only the emulator and its library (see
telegram_load.py), committee-bot's the whole application, as each would in production.
``--users`` members talk at once, each sending its next update when the bot has answered
the previous one (closed loop). Latency is from the update being queued at the emulator to
the emulator recording the bot's last message for it (a button press gets an edit and a new
prompt: the second one counts). Telegram's sending limits are lifted for (a) and (b): they
measure the pipeline, not the 30 msg/s cap, which the outbox part measures instead: 3,000
messages to 3,000 chats through the OutboxWorker at the default limits.

The machine's speed drifts between runs (by up to a third here, with nothing else running),
so the rows of a channel run ``--rounds`` times, interleaved (echo, flow step, inbox round,
echo, ...). The table gives each row's best round, the least disturbed figure (as timeit
does), with the range over rounds; "vs echo" is best against best, and the range of each
round's share against the echo run just before it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram_load import (
    LIBRARIES,
    OutboxResult,
    Result,
    bench_echo,
)

WORKLOADS = ("flow step", "inbox round")


# -- report -------------------------------------------------------------------------------
def best(rounds: list[Result]) -> Result:
    return max(rounds, key=lambda r: r.per_second)


def span(values: list[float], unit: str = "") -> str:
    return f"{min(values):.0f}–{max(values):.0f}{unit}"


def table(rows: dict[tuple[str, str], list[Result]], outbox: OutboxResult) -> str:
    lines = [
        "| channel | bot | updates | updates/s (best) | range | p50 ms | p99 ms "
        "| vs echo (best) | vs echo (each round) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (library, bot), rounds in rows.items():
        echo = rows[(library, "echo")]
        r = best(rounds)
        share = r.per_second / best(echo).per_second * 100
        shares = [a.per_second / e.per_second * 100 for a, e in zip(rounds, echo, strict=True)]
        each = "—" if bot == "echo" else span(shares, "%")
        lines.append(
            f"| {library} | {bot} | {r.updates} | {r.per_second:.0f} | "
            f"{span([x.per_second for x in rounds])} | {r.percentile(50):.1f} | "
            f"{r.percentile(99):.1f} | {share:.0f}% | {each} |"
        )
    lines.append("")
    lines.append(
        f"outbox: {outbox.messages} messages at a {outbox.limit:.0f} msg/s limit: "
        f"{outbox.per_second:.2f} msg/s ({outbox.share:.1f}% of the limit)"
    )
    return "\n".join(lines)


# -- one row per process ---------------------------------------------------------------------
async def run_one(
    kind: str, library: str, *, users: int, total: int, tmp: str, postgres: str | None
) -> dict[str, Any]:
    if kind == "echo":
        return asdict(await bench_echo(library, users=users, total=total))
    from telegram_committee import bench_committee, bench_outbox

    if kind == "outbox":
        return asdict(
            await bench_outbox(
                library, messages=total, database_url=f"sqlite+aiosqlite:///{tmp}/out.db"
            )
        )
    result = await bench_committee(
        library,
        users=users,
        total=total,
        database_url=postgres or f"sqlite+aiosqlite:///{tmp}/{library}.db",
        workload=kind,
    )
    return asdict(result)


def in_fresh_process(kind: str, library: str, **row: Any) -> dict[str, Any]:
    """Runs one row in a new interpreter and reads back its JSON line."""
    command = [
        sys.executable,
        __file__,
        "--one",
        json.dumps({"kind": kind, "library": library, **row}),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{library} {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts")
    parser.add_argument("--users", type=int, default=64, help="members talking at once")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs of each row")
    parser.add_argument("--channels", default=",".join(LIBRARIES), help="ptb,aiogram")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="committee-bot rows on this PostgreSQL database (a scratch schema) instead of SQLite",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a row, in the child process
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        row = json.loads(args.one)
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(asyncio.run(run_one(tmp=tmp, **row))))
        return
    updates, messages = (500, 300) if args.quick else (5000, 3000)
    libraries = [name for name in args.channels.split(",") if name]
    rows: dict[tuple[str, str], list[Result]] = {}
    for library in libraries:
        for _ in range(args.rounds):
            for kind in ("echo", *WORKLOADS):
                row = in_fresh_process(
                    kind, library, users=args.users, total=updates, postgres=args.postgres
                )
                result = Result(**row)
                rows.setdefault((library, result.bot), []).append(result)
                print(
                    f"{result.library:8} {result.bot:28} {result.per_second:7.0f} updates/s  "
                    f"p50 {result.percentile(50):6.1f} ms  p99 {result.percentile(99):6.1f} ms",
                    flush=True,
                )
    outbox = OutboxResult(
        **in_fresh_process("outbox", libraries[0], users=1, total=messages, postgres=None)
    )
    print()
    print(table(rows, outbox))
    print(
        f"\n{args.users} members at once; each row in a fresh process, emulator in the bot's "
        f"loop; best of {args.rounds} interleaved rounds"
    )


if __name__ == "__main__":
    main()
