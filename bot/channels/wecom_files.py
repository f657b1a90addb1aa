"""Files to WeCom members through the WeCom application message API.

WeCom's AI bot cannot send files. When the committee's WeCom has a self-built application
(``COMMITTEE_BOT_WECOM_CORP_ID``, ``_AGENT_ID``, ``_APP_SECRET``), a DOCX, XLSX or .ics goes
to the member from that application: the file is uploaded as temporary media
(``/cgi-bin/media/upload``, type ``file``) and sent as a file message
(``/cgi-bin/message/send``), all outbound HTTPS to ``qyapi.weixin.qq.com``. The access
token is fetched once (``/cgi-bin/gettoken``) and again when WeCom says it expired.

Failures come out as ``bot.errors`` by the same errcode mapping as the long connection.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp

from bot.channels.wecom_frames import channel_error
from bot.errors import ChannelError, TransientError
from bot.log_redaction import register_secrets
from bot.types import OutDocument

__all__ = ["WeComAppFiles"]

log = logging.getLogger(__name__)
_TOKEN_GONE = frozenset({40014, 42001})  # invalid or expired access token


class _Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"errcode={code}, errmsg={message}")
        self.code = code


class WeComAppFiles:
    def __init__(
        self,
        *,
        corp_id: str,
        agent_id: int,
        secret: str,
        api_url: str = "https://qyapi.weixin.qq.com",
        retry_seconds: float = 30.0,
    ) -> None:
        self.corp_id = corp_id
        self.agent_id = agent_id
        self._secret = secret
        self.api_url = api_url.rstrip("/")
        self.retry_seconds = retry_seconds
        self._session: aiohttp.ClientSession | None = None
        self._token: tuple[str, float] | None = None  # (token, expires at, monotonic)
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send(self, userid: str, document: OutDocument) -> None:
        """Uploads ``document`` and sends it to ``userid`` (a private chat)."""
        try:
            for attempt in (1, 2):
                token = await self._access_token(fresh=attempt == 2)
                try:
                    media_id = await self._upload(token, document)
                    await self._message(token, userid, media_id)
                    return
                except _Refused as exc:
                    if exc.code not in _TOKEN_GONE or attempt == 2:
                        raise
        except ChannelError:
            raise
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientError(f"WeCom API: {type(exc).__name__}") from exc
        except _Refused as exc:
            raise channel_error(exc, chat_id=userid, pause=self.retry_seconds) from exc

    # -- the three calls ----------------------------------------------------------------
    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        return self._session

    @staticmethod
    def _checked(answer: dict[str, Any]) -> dict[str, Any]:
        code = int(answer.get("errcode") or 0)
        if code:
            raise _Refused(code, str(answer.get("errmsg") or ""))
        return answer

    async def _access_token(self, *, fresh: bool) -> str:
        async with self._lock:
            if self._token and not fresh and time.monotonic() < self._token[1]:
                return self._token[0]
            params = {"corpid": self.corp_id, "corpsecret": self._secret}
            async with self._http().get(f"{self.api_url}/cgi-bin/gettoken", params=params) as r:
                answer = self._checked(await r.json(content_type=None))
            expires = float(answer.get("expires_in") or 7200)
            self._token = (str(answer["access_token"]), time.monotonic() + expires - 300)
            register_secrets(self._token[0])  # it rides in URLs an error message may quote
            return self._token[0]

    async def _upload(self, token: str, document: OutDocument) -> str:
        form = aiohttp.FormData()
        form.add_field(
            "media",
            document.content,
            filename=document.file_name,
            content_type=document.mime_type,
        )
        url = f"{self.api_url}/cgi-bin/media/upload"
        params = {"access_token": token, "type": "file"}
        async with self._http().post(url, params=params, data=form) as r:
            answer = self._checked(await r.json(content_type=None))
        return str(answer["media_id"])

    async def _message(self, token: str, userid: str, media_id: str) -> None:
        body = {
            "touser": userid,
            "msgtype": "file",
            "agentid": self.agent_id,
            "file": {"media_id": media_id},
        }
        url = f"{self.api_url}/cgi-bin/message/send"
        async with self._http().post(url, params={"access_token": token}, json=body) as r:
            answer = self._checked(await r.json(content_type=None))
        if answer.get("invaliduser"):
            raise _Refused(81013, f"invaliduser {answer['invaliduser']}")
