"""The terminal channel: the bot in a shell, for trying it out and for scripted tests.

Buttons print as numbered choices; typing the number presses it. ``/phone PHONE`` shares a
phone number, ``/file PATH`` sends a file. In scripted mode lines come from stdin and
replies go to stdout, so a test (or a clerk's script) can drive a whole conversation.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import replace
from itertools import count
from pathlib import Path
from typing import TextIO

from bot.catalogue import catalogue
from bot.channels.base import Channel, UpdateHandler
from bot.text import render
from bot.types import Button, Incoming, InDocument, Reply, SentMessage

__all__ = ["CONSOLE_USER_ID", "ConsoleChannel"]

CONSOLE_USER_ID = "1"  # the person at the terminal before any --as


class ConsoleChannel(Channel):
    platform = "console"
    markup = "plain"

    def __init__(
        self,
        *,
        user_id: str = CONSOLE_USER_ID,
        out: TextIO | None = None,
        read_line: Callable[[], str | None] | None = None,
        downloads: Path = Path("var/downloads"),
        echo_input: bool = False,
    ) -> None:
        self.user_id = user_id
        self.out = out or sys.stdout
        self._read_line = read_line or _stdin_line
        self.downloads = downloads
        self.echo_input = echo_input
        self._buttons: list[Button] = []
        # A bare number typed when no button has that number is held back once (see below).
        self._held_number: str | None = None
        self._awaiting_phone = False
        self._ids = count(1)
        self._stopped = asyncio.Event()

    # -- receiving ---------------------------------------------------------------
    async def start(self, on_update: UpdateHandler) -> None:
        """Reads lines until end of input or /quit, handing each to ``on_update``."""
        while not self._stopped.is_set():
            line = await asyncio.to_thread(self._read_line)
            if line is None or line.strip() in {"/quit", "/exit", "退出"}:
                break
            if self.echo_input:
                self._print(f"> {line}")
            incoming = self.to_incoming(line.rstrip("\n"))
            if incoming is not None:
                await on_update(incoming)

    async def stop(self) -> None:
        self._stopped.set()

    def to_incoming(self, line: str) -> Incoming | None:
        # Every update here comes from the one person at the terminal, in their private chat.
        base = Incoming(platform=self.platform, user_id=self.user_id, chat_id=self.user_id)
        text = line.strip()
        if self._awaiting_phone:
            self._awaiting_phone = False
            return replace(base, kind="contact", contact_phone=text, contact_user_id=self.user_id)
        if text.startswith("/phone "):  # not /contact: that is the 留言秘书处 command
            phone = text.split(maxsplit=1)[1]
            return replace(base, kind="contact", contact_phone=phone, contact_user_id=self.user_id)
        if text.startswith("/file "):
            path = Path(text.split(maxsplit=1)[1]).expanduser()
            try:
                content = path.read_bytes()
            except OSError as exc:
                self._print(
                    catalogue().s("cli.console_file_unreadable", path=path, reason=exc.strerror)
                )
                return None
            doc = InDocument(file_name=path.name, content=content, size=len(content))
            return replace(base, kind="document", document=doc)
        held, self._held_number = self._held_number, None
        if text.isdigit() and not 0 < int(text) <= len(self._buttons) and len(text) <= 2:
            # Someone pressing a button that is no longer showing would otherwise answer the
            # active step with "1". Typed again right away, the number is meant as text.
            if text != held:
                self._held_number = text
                self._print(catalogue().s("cli.console_no_such_button", number=text))
                return None
            return replace(base, kind="text", text=line)
        if text.isdigit() and 0 < int(text) <= len(self._buttons):
            button = self._buttons[int(text) - 1]
            if button.request_contact:
                self._awaiting_phone = True
                self._print(catalogue().s("cli.console_ask_phone"))
                return None
            if button.action:
                return replace(base, kind="action", action=button.action)
            if button.url:
                self._print(button.url)
                return None
        return replace(base, kind="text", text=line)

    # -- sending -----------------------------------------------------------------
    async def send(
        self, chat_id: str, reply: Reply, *, in_reply_to: Incoming | None = None
    ) -> SentMessage:
        lines = [render(reply.text, self.markup)]
        if reply.document is not None:
            self.downloads.mkdir(parents=True, exist_ok=True)
            target = self.downloads / Path(reply.document.file_name).name
            target.write_bytes(reply.document.content)
            lines.append(f"📎 {target}")
        buttons = [b for row in reply.buttons for b in row]
        # The newest message's buttons are the ones a number presses.
        self._buttons = buttons
        if buttons:
            lines.append(
                "  ".join(f"[{i}] {render(b.label, self.markup)}" for i, b in enumerate(buttons, 1))
            )
        self._print("\n".join(lines) + "\n")
        return SentMessage(chat_id=chat_id, message_id=next(self._ids))

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _stdin_line() -> str | None:
    line = sys.stdin.readline()
    return line if line else None
