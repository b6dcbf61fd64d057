"""The server's address in every page's HTML (``app.ui.server_address``); in the browser:
``tests/app/test_e2e_map.py``."""

from __future__ import annotations

import asyncio
import gzip
import json
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from app.ui.server_address import ServerAddressMiddleware, page_depth, with_address

#: A page long enough for the gzip middleware to compress it.
PAGE = ("<!DOCTYPE html><html lang='en'><head><meta charset='UTF-8'/><title>Streamlit</title>"
        + "<link rel='modulepreload' href='./static/js/x.js'>" * 40
        + "</head><body><div id='root'></div></body></html>")


@pytest.mark.parametrize(("path", "base", "depth"), [
    ("/", "", 0), ("/map", "", 1), ("/map", "/", 1), ("/hotspots", "", 1),
    ("/mapa", "mapa", 0), ("/mapa/", "/mapa/", 0), ("/mapa/map", "mapa", 1), ("/a/b", "", 2),
    ("/other/map", "mapa", 2)])
def test_page_depth_counts_the_segments_below_the_base_path(path: str, base: str,
                                                           depth: int) -> None:
    assert page_depth(path, base) == depth


def test_the_script_follows_the_head_tag_once() -> None:
    html = with_address(PAGE.encode(), 1)
    assert html.startswith(b"<!DOCTYPE html><html lang='en'><head><script>(function ()")
    assert html.count(b"<script>") == 1
    assert b"parts.length - 1)" in html and b"BACKEND_BASE_URL" in html
    assert html.endswith(PAGE.split("<head>", 1)[1].encode())
    assert with_address(b"<p>no head here</p>", 1) == b"<p>no head here</p>"


def _page(request: Request) -> Response:
    return HTMLResponse(PAGE)


def _data(request: Request) -> Response:
    return JSONResponse({"page": PAGE})


@pytest.fixture
def server() -> ASGIApp:
    """A server ordered as ``st.App`` orders them: this middleware outside, a gzipping one
    (Streamlit's own) inside."""
    return Starlette(routes=[Route("/data", _data),
                             Route("/{page}", _page, methods=["GET", "POST"]),
                             Route("/", _page)],
                     middleware=[Middleware(ServerAddressMiddleware),
                                 Middleware(GZipMiddleware, minimum_size=100)])


def _call(server: ASGIApp, method: str, path: str,
          encoding: str = "identity") -> tuple[Headers, bytes]:
    """One request to ``server`` over ASGI: the answer's headers and its body as sent."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(),
        "root_path": "", "query_string": b"mesto=kraslice", "scheme": "http",
        "http_version": "1.1", "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000),
        "headers": [(b"accept-encoding", encoding.encode())]}
    asyncio.run(server(scope, receive, send))
    start, *rest = sent
    assert start["type"] == "http.response.start" and start["status"] == 200
    return Headers(raw=start["headers"]), b"".join(part.get("body", b"") for part in rest)


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_an_html_page_gets_the_script_plain_or_gzipped(server: ASGIApp, encoding: str) -> None:
    headers, raw = _call(server, "GET", "/map", encoding)
    assert headers.get("content-encoding", "identity") == encoding
    assert int(headers["content-length"]) == len(raw)
    body = gzip.decompress(raw) if encoding == "gzip" else raw
    assert body == with_address(PAGE.encode(), 1)


def test_the_root_page_has_depth_zero(server: ASGIApp) -> None:
    assert _call(server, "GET", "/")[1] == with_address(PAGE.encode(), 0)


def test_other_answers_pass_untouched(server: ASGIApp) -> None:
    assert json.loads(_call(server, "GET", "/data")[1]) == {"page": PAGE}  # not HTML
    assert _call(server, "POST", "/map")[1] == PAGE.encode()  # not a GET
