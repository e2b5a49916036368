"""State the app's base address in the page Streamlit serves, so a visit to a page's own address
pays no base-address probe.

Why: opened at any address but the root (``/progress``), Streamlit's front end does not know where
the server is, so it asks ``/progress/_stcore/health`` first, gets a 404, and asks again at ``/``
(streamlit#7074, unfixed in 1.67): about 0.1 s on every direct visit or reload of a page. The
front end reads ``window.__streamlit.BACKEND_BASE_URL`` once, when its bundle loads; set to the
app's root, the only address it tries is the root.

How: an ASGI middleware (:class:`StateBaseAddress`) added through Streamlit's app mode (``st.App``,
see ``serve.py``: ``streamlit run serve.py``) inserts a small script at the top of the served
``index.html``. The server knows which part of the address is the page (the request's path after
``server.baseUrlPath``); the script strips that part from the address the browser shows and states
what is left. It is the same address the front end finds by probing, stated instead of found, so
it holds behind a path prefix (``--server.baseUrlPath``) and behind a proxy that adds its own.

Fails safe: the app works as before, only with the probe, when anything does not fit.
The script states nothing when the browser's address does not end with the page part the server
saw (a proxy that rewrites paths), or when ``window.__streamlit`` is already set (a host that
configures the front end itself). The middleware passes a response through unchanged when it is
not an HTML page, has no ``<head>``, or is compressed in a way it does not read. ``serve.py`` run
as a plain script (a Streamlit without app mode) runs ``app.py`` itself. ``streamlit run app.py``
and hosts that run ``app.py`` (Community Cloud) never load this module: they keep the probe.
``tests/ui/test_base_address.py`` fails if a Streamlit upgrade stops reading the setting, and
``tests/browser/test_browser_base_address.py`` if a direct visit asks the page's address again.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# A page part the script can compare with location.pathname as it is (no percent-encoding to undo).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*")
_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)

# Our own fixed script; the one value in it is JSON of a path that matched _PLAIN_PATH.
_SCRIPT = (
    "<script>(function () {{"
    " var tail = {tail}, path = location.pathname.replace(/\\/+$/, '');"
    " if (window.__streamlit || path.slice(-tail.length - 1) !== '/' + tail) return;"
    " window.__streamlit = {{BACKEND_BASE_URL: location.origin + path.slice(0, -tail.length - 1) + '/'}};"
    " }})();</script>"
)


def page_part(path: str, base_url_path: str) -> str | None:
    """The part of a request's path below the app's base (``"progress"`` for ``/base/progress``),
    or None where there is nothing to state: the root, a path outside the base, or one with
    characters a browser would show percent-encoded."""
    base = "/" + base_url_path.strip("/")
    prefix = base if base == "/" else base + "/"
    if not path.startswith(prefix):
        return None
    tail = path[len(prefix) :].strip("/")
    return tail if tail and _PLAIN_PATH.fullmatch(tail) else None


def script_for(tail: str) -> bytes:
    """The script that states the base address of a page served at ``<base>/<tail>``."""
    return _SCRIPT.format(tail=json.dumps(tail)).encode()


def insert_script(html: bytes, tail: str) -> bytes | None:
    """The page with the script first in its head, or None when it has no head."""
    head = _HEAD.search(html)
    if head is None:
        return None
    return html[: head.end()] + script_for(tail) + html[head.end() :]


class StateBaseAddress:
    """ASGI middleware: every HTML page served below the app's root states the base address.

    ``base_url_path`` defaults to Streamlit's ``server.baseUrlPath``, read once per request (so
    a flag or config file read after start-up counts)."""

    def __init__(self, app: ASGIApp, base_url_path: str | None = None) -> None:
        self.app = app
        self.base_url_path = base_url_path

    def _base(self) -> str:
        if self.base_url_path is not None:
            return self.base_url_path
        from streamlit import config

        return str(config.get_option("server.baseUrlPath") or "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tail = None
        if scope.get("type") == "http" and scope.get("method") == "GET":
            tail = page_part(scope.get("root_path", "") + scope.get("path", ""), self._base())
        if tail is None:
            await self.app(scope, receive, send)
            return

        start: Message | None = None
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if start is None and message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if message.get("status") == 200 and html and headers.get(b"content-encoding", b"gzip") == b"gzip":
                    start = message  # held until the body is read
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _send_page(start, b"".join(chunks), tail, send)

        await self.app(scope, receive, rewrite)


async def _send_page(start: Message, body: bytes, tail: str, send: Send) -> None:
    """The held response, with the script in its page where it can go, else as it came."""
    headers = [(k, v) for k, v in start.get("headers", [])]
    gzipped = any(k.lower() == b"content-encoding" and v == b"gzip" for k, v in headers)
    html = body
    if gzipped:
        try:
            html = gzip.decompress(body)
        except (OSError, EOFError):
            html = b""
    page = insert_script(html, tail) if html else None
    if page is None:  # not a page this can read: unchanged
        await send(start)
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    drop = {b"content-length", b"content-encoding"}
    kept = [(k, v) for k, v in headers if k.lower() not in drop]
    await send({**start, "headers": [*kept, (b"content-length", str(len(page)).encode())]})
    await send({"type": "http.response.body", "body": page, "more_body": False})


def middleware() -> list[Any]:
    """Rebound's middleware for ``st.App`` (``serve.py``)."""
    from starlette.middleware import Middleware

    return [Middleware(StateBaseAddress)]
