"""Where Streamlit's server is, told to its frontend in every page's HTML.

Streamlit's frontend does not know the address of its server. Opened on a page's URL
(``/map``), it first asks ``/map/_stcore/health`` and ``/map/_stcore/host-config``, which
answer 404, waits, and only then asks at ``/`` and opens its websocket: every visit to a page
other than the first one loses 0.1–0.15 s before anything runs (docs/performance.md). The
frontend takes the address from ``window.__streamlit.BACKEND_BASE_URL`` when the page sets it
before the frontend's scripts run (Streamlit's configuration for embedding it).

:class:`ServerAddressMiddleware` (an ASGI middleware of ``app/server.py``'s ``st.App``) puts a
small script that sets it into the ``<head>`` of every HTML page the server sends. The script
works out the address in the browser: the page's own address less as many path segments as
the page's path has below Streamlit's ``server.baseUrlPath``. So it stays right behind a
reverse proxy that serves the app under a prefix of its own (``https://town.cz/mapa/map``).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from typing import Final

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

#: The script; ``DEPTH`` is replaced by the number of the page path's segments.
SCRIPT: Final = (
    "<script>(function () {"
    "var url = new URL(location.href); url.search = ''; url.hash = '';"
    "var parts = url.pathname.replace(/\\/+$/, '').split('/');"
    "parts.length = Math.max(1, parts.length - DEPTH);"
    "url.pathname = parts.join('/') + '/';"
    "window.__streamlit = Object.assign({}, window.__streamlit, {BACKEND_BASE_URL: url.href});"
    "})();</script>")
_HEAD: Final = re.compile(rb"<head[^>]*>", re.IGNORECASE)


def page_depth(path: str, base_url_path: str) -> int:
    """The number of segments of ``path`` (a request's path) below ``base_url_path``
    (Streamlit's ``server.baseUrlPath``, with or without slashes): 0 for the app's root,
    1 for ``/map``."""
    base = [part for part in base_url_path.split("/") if part]
    parts = [part for part in path.split("/") if part]
    return len(parts) - len(base) if parts[:len(base)] == base else len(parts)


def with_address(html: bytes, depth: int) -> bytes:
    """``html`` with :data:`SCRIPT` for a page ``depth`` segments below the app's root right
    after its ``<head>`` tag; unchanged when it has none."""
    found = _HEAD.search(html)
    if found is None:
        return html
    script = SCRIPT.replace("DEPTH", str(depth)).encode("utf-8")
    return html[:found.end()] + script + html[found.end():]


#: The encodings of an HTML answer the middleware can read and write again (Streamlit's own
#: middleware, inside this one, gzips its answers).
_CODECS: Final[dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]]] = {
    "": (bytes, bytes), "gzip": (gzip.decompress, gzip.compress)}


class ServerAddressMiddleware:
    """ASGI middleware: an HTML answer (200) to a GET, plain or gzipped, gets
    :func:`with_address` (its Content-Length set anew); everything else (a 304 to a browser
    that has the page already, a script, a websocket) passes through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        depth = page_depth(scope["path"], str(config.get_option("server.baseUrlPath") or ""))
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_address(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] == 200 \
                        and headers.get("content-type", "").startswith("text/html") \
                        and headers.get("content-encoding", "") in _CODECS:
                    # held until the whole page is here
                    start = {**message, "headers": list(message["headers"])}
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                headers = MutableHeaders(raw=start["headers"])
                decode, encode = _CODECS[headers.get("content-encoding", "")]
                page = encode(with_address(decode(b"".join(body)), depth))
                headers["content-length"] = str(len(page))
                await send(start)
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, send_with_address)
