"""How fast the command line starts, and how much memory a running bot holds per channel.

Startup, as ratios measured in one run with the commands interleaved round by round (a busy
machine slows both sides of a ratio alike); each figure is the median wall time of fresh
processes, after one warm-up round:

    committee-bot --help         /  python -c "import click"      target: at most 2
    committee-bot members list   /  python -c "import sqlmodel"   target: at most 2
                                    (on a small SQLite database, already migrated)

Memory: the peak resident set (VmHWM in /proc/PID/status) of ``committee-bot run`` once the
bot serves: python-telegram-bot and aiogram polling a local Bot API emulator (read after
setMyCommands, the last step of the start, and a second's rest: imports done, app built,
channel started, scheduler running, polling), and
the terminal channel once it has answered /start. Each process is then stopped (SIGTERM, or
end of input for the terminal).

Usage: .venv/bin/python bench/cli_startup.py [--rounds 11]
Exits 1 when a wall-time ratio misses its target. The CPU-time ratio is printed beside it:
on a machine busy with other work the wall times wobble, the CPU times much less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.botapi_emulator import BotApiEmulator  # noqa: E402

BIN = Path(sys.executable).parent
CLI = str(BIN / "committee-bot")
PY = sys.executable
TARGET = 2.0
PAIRS = {
    "--help": ([CLI, "--help"], [PY, "-c", "import click"]),
    "members list": ([CLI, "members", "list"], [PY, "-c", "import sqlmodel"]),
}


def clean_env(cwd: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMITTEE_BOT_")}
    # An installed bot has its bytecode cached; without a cache every start would time the
    # compiler on the project's own modules. The cache goes beside the database, not into
    # the working tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")
    env.update(extra)
    return env


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def startup_ratios(
    rounds: int, env: dict[str, str], cwd: Path
) -> dict[str, tuple[float, float, float, float]]:
    """Per pair: median wall and CPU seconds of ours, then of the baseline."""
    commands = [cmd for pair in PAIRS.values() for cmd in pair]
    times: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(commands))}
    for round_ in range(rounds + 1):
        for i, cmd in enumerate(commands):
            measured = timed(cmd, env, cwd)
            if round_:  # the first round warms the file cache and the bytecode
                times[i].append(measured)
    wall = [statistics.median(w for w, _ in times[i]) for i in range(len(commands))]
    cpu = [statistics.median(c for _, c in times[i]) for i in range(len(commands))]
    return {
        name: (wall[2 * n], cpu[2 * n], wall[2 * n + 1], cpu[2 * n + 1])
        for n, name in enumerate(PAIRS)
    }


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


async def telegram_rss(library: str, env: dict[str, str], cwd: Path) -> float:
    log = cwd / f"run-{library}.log"
    async with BotApiEmulator() as emu:
        proc = await asyncio.create_subprocess_exec(
            CLI,
            "run",
            "--channel",
            library,
            env={
                **env,
                "COMMITTEE_BOT_TELEGRAM_TOKEN": emu.token,
                "COMMITTEE_BOT_TELEGRAM_API_URL": emu.api_url,
            },
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        try:
            started = asyncio.ensure_future(
                emu.wait_for(lambda: bool(emu.method_calls("setmycommands")), timeout=120)
            )
            exited = asyncio.ensure_future(proc.wait())
            await asyncio.wait([started, exited], return_when=asyncio.FIRST_COMPLETED)
            if exited.done():
                raise RuntimeError(f"`run --channel {library}` stopped:\n{log.read_text()[-2000:]}")
            await started
            await asyncio.sleep(1.0)
            return peak_rss_mib(proc.pid)
        finally:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                await proc.wait()


def console_rss(env: dict[str, str], cwd: Path) -> float:
    proc = subprocess.Popen(
        [CLI, "run", "--channel", "console"],
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stdin is not None
    proc.stdout.readline()  # the first line of the answer to /start
    try:
        return peak_rss_mib(proc.pid)
    finally:
        proc.stdin.close()
        proc.stdout.read()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        env = clean_env(cwd, COMMITTEE_BOT_DATABASE_URL=f"sqlite:///{cwd / 'committee.db'}")
        for n in range(1, 6):  # a small roster; the first command also migrates the database
            subprocess.run(
                [CLI, "members", "add", "--name", f"委员{n}", "--phone", f"1380000000{n}"],
                env=env,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                check=True,
            )
        ratios = startup_ratios(args.rounds, env, cwd)
        failed = False
        print(f"startup, median of {args.rounds} interleaved rounds (target: ratio ≤ {TARGET:g})")
        for name, (ours, ours_cpu, base, base_cpu) in ratios.items():
            ratio = ours / base
            failed |= ratio > TARGET
            baseline = " ".join(PAIRS[name][1][1:])
            print(
                f"  committee-bot {name:<13} {ours * 1000:5.0f} ms   {baseline:<18}"
                f" {base * 1000:5.0f} ms   ratio {ratio:4.2f} {'over' if ratio > TARGET else 'ok'}"
                f"   (CPU time: {ours_cpu * 1000:.0f} / {base_cpu * 1000:.0f} ms,"
                f" {ours_cpu / base_cpu:4.2f})"
            )
        print("peak resident memory of `committee-bot run`, once serving")
        for library in ("ptb", "aiogram"):
            print(f"  {library:<8} {asyncio.run(telegram_rss(library, env, cwd)):6.0f} MiB")
        print(f"  {'console':<8} {console_rss(env, cwd):6.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
